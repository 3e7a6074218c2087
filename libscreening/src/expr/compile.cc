// Lexer, parser and type checker of the expression language (docs/expressions.md).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>

#include <screening/instrument.h>

#include "base/textformat.h"
#include "expr/expr.h"

namespace screening::internal {
namespace {

// Bounds that keep compile time and evaluation small for any input.
constexpr std::size_t kMaxSourceChars = 4000;
constexpr int kMaxDepth = 64;
constexpr int kMaxRange = 500;

// ---------------------------------------------------------------------------------------
// Lexer

enum class Tok { kEnd, kIdent, kInt, kString, kLParen, kRParen, kComma, kColon, kDotDot, kOp };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  std::int64_t value = 0;
  int offset = 0;  // characters
};

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

bool Lex(std::string_view s, std::vector<Token>* out, std::vector<CompileError>* errors) {
  std::size_t i = 0;
  auto char_offset = [&](std::size_t byte) { return Utf8Length(s.substr(0, byte)); };
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.offset = char_offset(i);
    if (IsIdentStart(c)) {
      std::size_t j = i;
      // Identifiers may be dotted: q1.current, judgement.acute, calendar.severity.
      while (j < s.size() && (IsIdentChar(s[j]) || (s[j] == '.' && j + 1 < s.size() &&
                                                    IsIdentStart(s[j + 1]) && s[j - 1] != '.'))) {
        ++j;
      }
      t.kind = Tok::kIdent;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c >= '0' && c <= '9') {
      std::size_t j = i;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      t.kind = Tok::kInt;
      auto [p, ec] = std::from_chars(s.data() + i, s.data() + j, t.value);
      if (ec != std::errc() || p != s.data() + j || t.value > 1'000'000'000) {
        errors->push_back({t.offset, "number too large"});
        return false;
      }
      i = j;
    } else if (c == '"') {
      std::size_t j = s.find('"', i + 1);
      if (j == std::string_view::npos) {
        errors->push_back({t.offset, "unterminated string"});
        return false;
      }
      t.kind = Tok::kString;
      t.text = std::string(s.substr(i + 1, j - i - 1));
      i = j + 1;
    } else if (c == '(' || c == ')' || c == ',' || c == ':') {
      t.kind = c == '('   ? Tok::kLParen
               : c == ')' ? Tok::kRParen
               : c == ',' ? Tok::kComma
                          : Tok::kColon;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '.' && i + 1 < s.size() && s[i + 1] == '.') {
      t.kind = Tok::kDotDot;
      t.text = "..";
      i += 2;
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      bool two = i + 1 < s.size() && s[i + 1] == '=';
      if ((c == '=' || c == '!') && !two) {
        errors->push_back({t.offset, fmt::format("unexpected '{}' (use == or !=)", c)});
        return false;
      }
      t.kind = Tok::kOp;
      t.text = std::string(s.substr(i, two ? 2 : 1));
      i += two ? 2 : 1;
    } else if (c == '+' || c == '-') {
      t.kind = Tok::kOp;
      t.text = std::string(1, c);
      ++i;
    } else {
      // Quote the whole character, not a byte of it, so the message stays valid UTF-8.
      std::size_t len = 1;
      while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
      std::string ch(s.substr(i, len));
      if (!IsValidUtf8(ch)) ch = "?";
      errors->push_back({t.offset, fmt::format("unexpected character '{}'", ch)});
      return false;
    }
    out->push_back(std::move(t));
  }
  Token end;
  end.kind = Tok::kEnd;
  end.offset = Utf8Length(s);
  out->push_back(end);
  return true;
}

// ---------------------------------------------------------------------------------------
// Parser: a syntax tree, typed afterwards.

struct PNode {
  enum Kind { kIdent, kInt, kString, kCall, kUnary, kBinary, kRange, kWeighted } kind = kIdent;
  std::string text;  // identifier, string, operator or function name
  std::int64_t value = 0;
  int offset = 0;
  std::vector<std::unique_ptr<PNode>> args;
};
using PPtr = std::unique_ptr<PNode>;

class Parser {
 public:
  Parser(const std::vector<Token>& toks, std::vector<CompileError>* errors)
      : toks_(toks), errors_(errors) {}

  PPtr ParseAll() {
    PPtr e = ParseOr(0);
    if (e && Peek().kind != Tok::kEnd) {
      Fail(Peek(), fmt::format("unexpected '{}'", Peek().text));
      return nullptr;
    }
    return e;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  const Token& Next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  bool IsWord(std::string_view w) const { return Peek().kind == Tok::kIdent && Peek().text == w; }
  bool IsOp(std::string_view op) const { return Peek().kind == Tok::kOp && Peek().text == op; }
  void Fail(const Token& t, std::string msg) {
    if (!failed_) errors_->push_back({t.offset, std::move(msg)});
    failed_ = true;
  }
  PPtr Binary(std::string op, int offset, PPtr a, PPtr b) {
    auto n = std::make_unique<PNode>();
    n->kind = PNode::kBinary;
    n->text = std::move(op);
    n->offset = offset;
    n->args.push_back(std::move(a));
    n->args.push_back(std::move(b));
    return n;
  }
  bool TooDeep(int depth) {
    if (depth > kMaxDepth) {
      Fail(Peek(), "expression nested too deeply");
      return true;
    }
    return false;
  }

  PPtr ParseOr(int depth) {
    if (TooDeep(depth)) return nullptr;
    PPtr left = ParseAnd(depth + 1);
    while (left && IsWord("or")) {
      int off = Next().offset;
      PPtr right = ParseAnd(depth + 1);
      if (!right) return nullptr;
      left = Binary("or", off, std::move(left), std::move(right));
    }
    return left;
  }
  PPtr ParseAnd(int depth) {
    PPtr left = ParseNot(depth + 1);
    while (left && IsWord("and")) {
      int off = Next().offset;
      PPtr right = ParseNot(depth + 1);
      if (!right) return nullptr;
      left = Binary("and", off, std::move(left), std::move(right));
    }
    return left;
  }
  PPtr ParseNot(int depth) {
    if (TooDeep(depth)) return nullptr;
    if (IsWord("not")) {
      auto n = std::make_unique<PNode>();
      n->kind = PNode::kUnary;
      n->text = "not";
      n->offset = Next().offset;
      PPtr operand = ParseNot(depth + 1);
      if (!operand) return nullptr;
      n->args.push_back(std::move(operand));
      return n;
    }
    return ParseCmp(depth + 1);
  }
  PPtr ParseCmp(int depth) {
    PPtr left = ParseAdd(depth + 1);
    if (!left) return nullptr;
    if (Peek().kind == Tok::kOp && Peek().text != "+" && Peek().text != "-") {
      const Token& op = Next();
      PPtr right = ParseAdd(depth + 1);
      if (!right) return nullptr;
      if (Peek().kind == Tok::kOp && Peek().text != "+" && Peek().text != "-") {
        Fail(Peek(), "comparisons cannot be chained; use 'and'");
        return nullptr;
      }
      return Binary(op.text, op.offset, std::move(left), std::move(right));
    }
    return left;
  }
  PPtr ParseAdd(int depth) {
    PPtr left = ParseUnary(depth + 1);
    while (left && (IsOp("+") || IsOp("-"))) {
      const Token& op = Next();
      PPtr right = ParseUnary(depth + 1);
      if (!right) return nullptr;
      left = Binary(op.text, op.offset, std::move(left), std::move(right));
    }
    return left;
  }
  PPtr ParseUnary(int depth) {
    if (TooDeep(depth)) return nullptr;
    if (IsOp("-")) {
      auto n = std::make_unique<PNode>();
      n->kind = PNode::kUnary;
      n->text = "-";
      n->offset = Next().offset;
      PPtr operand = ParseUnary(depth + 1);
      if (!operand) return nullptr;
      n->args.push_back(std::move(operand));
      return n;
    }
    return ParsePrimary(depth + 1);
  }
  PPtr ParsePrimary(int depth) {
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kInt: {
        auto n = std::make_unique<PNode>();
        n->kind = PNode::kInt;
        n->value = t.value;
        n->offset = Next().offset;
        return n;
      }
      case Tok::kString: {
        auto n = std::make_unique<PNode>();
        n->kind = PNode::kString;
        n->text = t.text;
        n->offset = Next().offset;
        return n;
      }
      case Tok::kLParen: {
        Next();
        PPtr e = ParseOr(depth + 1);
        if (!e) return nullptr;
        if (Peek().kind != Tok::kRParen) {
          Fail(Peek(), "expected ')'");
          return nullptr;
        }
        Next();
        return e;
      }
      case Tok::kIdent: {
        if (t.text == "and" || t.text == "or" || t.text == "not") {
          Fail(t, fmt::format("unexpected '{}'", t.text));
          return nullptr;
        }
        auto n = std::make_unique<PNode>();
        n->text = t.text;
        n->offset = Next().offset;
        if (Peek().kind == Tok::kLParen) {
          n->kind = PNode::kCall;
          Next();
          if (Peek().kind == Tok::kRParen) {
            Fail(Peek(), fmt::format("{}() needs arguments", n->text));
            return nullptr;
          }
          for (;;) {
            PPtr arg = ParseArg(depth + 1);
            if (!arg) return nullptr;
            n->args.push_back(std::move(arg));
            if (Peek().kind == Tok::kComma) {
              Next();
              continue;
            }
            if (Peek().kind == Tok::kRParen) {
              Next();
              break;
            }
            Fail(Peek(), "expected ',' or ')'");
            return nullptr;
          }
          return n;
        }
        n->kind = PNode::kIdent;
        return n;
      }
      case Tok::kEnd:
        Fail(t, "unexpected end of expression");
        return nullptr;
      default:
        Fail(t, fmt::format("unexpected '{}'", t.text));
        return nullptr;
    }
  }
  // Function arguments may also be ranges (q1..q24) and weighted items (q1: 2).
  PPtr ParseArg(int depth) {
    if (Peek().kind == Tok::kIdent && toks_[pos_ + 1].kind == Tok::kDotDot) {
      auto n = std::make_unique<PNode>();
      n->kind = PNode::kRange;
      n->offset = Peek().offset;
      n->text = Next().text;
      Next();
      if (Peek().kind != Tok::kIdent) {
        Fail(Peek(), "expected an item id after '..'");
        return nullptr;
      }
      auto end = std::make_unique<PNode>();
      end->kind = PNode::kIdent;
      end->offset = Peek().offset;
      end->text = Next().text;
      n->args.push_back(std::move(end));
      return n;
    }
    if (Peek().kind == Tok::kIdent && toks_[pos_ + 1].kind == Tok::kColon) {
      auto n = std::make_unique<PNode>();
      n->kind = PNode::kWeighted;
      n->offset = Peek().offset;
      n->text = Next().text;
      Next();
      bool negative = false;
      if (IsOp("-")) {
        Next();
        negative = true;
      }
      if (Peek().kind != Tok::kInt) {
        Fail(Peek(), "expected a whole-number weight");
        return nullptr;
      }
      n->value = negative ? -Next().value : Next().value;
      return n;
    }
    return ParseOr(depth + 1);
  }

  const std::vector<Token>& toks_;
  std::vector<CompileError>* errors_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// ---------------------------------------------------------------------------------------
// Type checker: produces the flat typed node vector.

const char* TypeName(VType t) {
  switch (t) {
    case VType::kBool:
      return "a condition";
    case VType::kInt:
      return "a number";
    case VType::kYesNo:
      return "a yes/no answer";
    case VType::kSpj:
      return "a factor code";
    case VType::kLevel:
      return "a level";
    case VType::kCode:
      return "a choice";
    case VType::kBand:
      return "a band";
    case VType::kCodes:
      return "a multiple choice";
    case VType::kOther:
      return "a value that cannot be compared";
  }
  return "?";
}

enum class LitKind { kNone, kYesNo, kSpj, kLevel, kString, kInt, kBool };

struct Literal {
  LitKind kind = LitKind::kNone;
  int code = -1;  // yes/no, SPJ, level code; bool value
  std::string text;
  std::int64_t value = 0;
};

std::optional<Literal> KeywordLiteral(std::string_view w) {
  static constexpr std::pair<std::string_view, std::pair<LitKind, int>> kWords[] = {
      {"yes", {LitKind::kYesNo, kYes}},
      {"no", {LitKind::kYesNo, kNo}},
      {"unknown", {LitKind::kYesNo, kUnknownCode}},
      {"present", {LitKind::kSpj, kPresent}},
      {"partial", {LitKind::kSpj, kPartial}},
      {"absent", {LitKind::kSpj, kAbsent}},
      {"insufficient", {LitKind::kSpj, kInsufficient}},
      {"low", {LitKind::kLevel, kLow}},
      {"medium", {LitKind::kLevel, kMedium}},
      {"high", {LitKind::kLevel, kHigh}},
      {"true", {LitKind::kBool, 1}},
      {"false", {LitKind::kBool, 0}},
  };
  for (const auto& [word, lit] : kWords) {
    if (w == word) return Literal{lit.first, lit.second, {}, 0};
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(const Scope& scope, Expr* out, std::vector<CompileError>* errors)
      : scope_(scope), out_(out), errors_(errors) {}

  int Check(const PNode& n) {
    switch (n.kind) {
      case PNode::kInt:
        return Add({Op::kIntConst, VType::kInt, -1, -1, -1, 0, false, n.value, {}});
      case PNode::kString:
        return Fail(n.offset, fmt::format("a quoted code must be compared with an item, band or "
                                          "final_level ('\"{}\"' stands alone)",
                                          n.text));
      case PNode::kIdent:
        return CheckIdent(n);
      case PNode::kUnary:
        return CheckUnary(n);
      case PNode::kBinary:
        return CheckBinary(n);
      case PNode::kCall:
        return CheckCall(n);
      case PNode::kRange:
      case PNode::kWeighted:
        return Fail(n.offset, "a list or weight is only allowed in a function call");
    }
    return -1;
  }

  bool failed() const { return failed_; }

 private:
  int Add(Node node) {
    out_->nodes.push_back(std::move(node));
    return static_cast<int>(out_->nodes.size()) - 1;
  }
  int Fail(int offset, std::string msg) {
    errors_->push_back({offset, std::move(msg)});
    failed_ = true;
    return -1;
  }
  VType TypeOf(int node) const { return out_->nodes[static_cast<std::size_t>(node)].type; }
  const ItemInfo& Item(int index) const { return (*scope_.items)[static_cast<std::size_t>(index)]; }
  void NoteItem(int index) {
    if (std::find(out_->items.begin(), out_->items.end(), index) == out_->items.end()) {
      out_->items.push_back(index);
    }
  }

  // Resolves an item id in scope: the current group's items first, then top-level items.
  // Returns the global index and whether it is block-local; -1 when not found or not
  // reachable (another group's item).
  std::pair<int, bool> ResolveItem(std::string_view id) const {
    int index = scope_.item_index(id);
    if (index < 0) return {-1, false};
    int group = Item(index).group;
    if (group < 0) return {index, false};
    if (group == scope_.group) return {index, true};
    return {-2, false};
  }

  int IndexOf(const std::vector<std::string>& names, std::string_view id) const {
    auto it = std::find(names.begin(), names.end(), id);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
  }

  int CheckIdent(const PNode& n) {
    const std::string& id = n.text;
    if (auto lit = KeywordLiteral(id)) {
      if (lit->kind == LitKind::kBool) {
        return Add({Op::kBoolConst, VType::kBool, -1, -1, -1, 0, false, lit->code, {}});
      }
      return Fail(n.offset, fmt::format("'{}' must be compared with an answer", id));
    }
    std::string_view head = id, tail;
    if (auto dot = id.find('.'); dot != std::string::npos) {
      head = std::string_view(id).substr(0, dot);
      tail = std::string_view(id).substr(dot + 1);
    }
    if (tail.empty()) {
      if (id == "band" || id == "band_certain" || id == "final_level" || id == "client_estimate") {
        if (!scope_.results) {
          return Fail(n.offset, fmt::format("'{}' is only known in flags and recommendations", id));
        }
        if (id == "band") {
          if (scope_.bands.empty()) return Fail(n.offset, "'band': the instrument has no banding");
          return Add({Op::kBand, VType::kBand, -1, -1, -1, 0, false, 0, {}});
        }
        if (id == "band_certain")
          return Add({Op::kBandCertain, VType::kBool, -1, -1, -1, 0, false, 0, {}});
        if (id == "final_level") {
          return Add({Op::kFinalLevel,
                      scope_.banded ? VType::kBand : VType::kLevel,
                      -1,
                      -1,
                      -1,
                      0,
                      false,
                      0,
                      {}});
        }
        return Add({Op::kClientEstimate, VType::kLevel, -1, -1, -1, 0, false, 0, {}});
      }
      if (int s = IndexOf(scope_.scores, id); s >= 0) {
        return Add({Op::kScore, VType::kInt, -1, -1, s, 0, false, 0, {}});
      }
    } else if (head == "judgement") {
      if (!scope_.results)
        return Fail(n.offset, "judgements are only known in flags and recommendations");
      int j = IndexOf(scope_.judgements, tail);
      if (j < 0) return Fail(n.offset, fmt::format("unknown judgement '{}'", tail));
      return Add({Op::kJudgement, VType::kLevel, -1, -1, j, 0, false, 0, {}});
    } else if (head == "flag") {
      int f = IndexOf(scope_.flags, tail);
      if (f < 0) {
        return Fail(n.offset, fmt::format("unknown flag '{}' (only flags declared earlier, or any "
                                          "flag in recommendations)",
                                          tail));
      }
      return Add({Op::kFlag, VType::kBool, -1, -1, f, 0, false, 0, {}});
    }
    auto [index, local] = ResolveItem(head);
    if (index == -2) return Fail(n.offset, fmt::format("'{}' belongs to another group", head));
    if (index < 0) return Fail(n.offset, fmt::format("unknown name '{}'", id));
    const ItemInfo& item = Item(index);
    int sub = 0;
    if (!tail.empty()) {
      if (item.def->type() != v1::SPJ_FACTOR || !item.def->current_and_history() ||
          (tail != "current" && tail != "history")) {
        return Fail(n.offset,
                    fmt::format("'{}': only split factor codes have .current/.history", id));
      }
      sub = tail == "current" ? 1 : 2;
    } else if (item.def->type() == v1::SPJ_FACTOR && item.def->current_and_history()) {
      return Fail(n.offset,
                  fmt::format("'{}' has two codes: write {}.current or {}.history", id, id, id));
    }
    NoteItem(index);
    VType type = VType::kOther;
    switch (item.def->type()) {
      case v1::YES_NO:
        type = VType::kYesNo;
        break;
      case v1::SINGLE_CHOICE:
        type = VType::kCode;
        break;
      case v1::MULTI_CHOICE:
        type = VType::kCodes;
        break;
      case v1::INTEGER:
      case v1::PROTECTIVE:
        type = VType::kInt;
        break;
      case v1::SPJ_FACTOR:
        type = VType::kSpj;
        break;
      default:
        type = VType::kOther;
        break;
    }
    return Add({Op::kItem, type, -1, -1, index, sub, local, 0, {}});
  }

  int CheckUnary(const PNode& n) {
    int a = Check(*n.args[0]);
    if (a < 0) return -1;
    if (n.text == "not") {
      if (TypeOf(a) != VType::kBool)
        return Fail(n.args[0]->offset,
                    fmt::format("'not' needs a condition, not {}", TypeName(TypeOf(a))));
      return Add({Op::kNot, VType::kBool, a, -1, -1, 0, false, 0, {}});
    }
    if (TypeOf(a) != VType::kInt)
      return Fail(n.args[0]->offset,
                  fmt::format("'-' needs a number, not {}", TypeName(TypeOf(a))));
    return Add({Op::kNeg, VType::kInt, a, -1, -1, 0, false, 0, {}});
  }

  // A literal operand of a comparison (yes, low, present, "code"), or nullopt.
  std::optional<Literal> AsLiteral(const PNode& n) const {
    if (n.kind == PNode::kString) return Literal{LitKind::kString, -1, n.text, 0};
    if (n.kind == PNode::kIdent) {
      auto lit = KeywordLiteral(n.text);
      if (lit && lit->kind != LitKind::kBool) return lit;
    }
    return std::nullopt;
  }

  // Resolves a literal against the type of the other operand to a code index.
  int ResolveLiteral(const Literal& lit, int other, int offset) {
    const Node& o = out_->nodes[static_cast<std::size_t>(other)];
    switch (o.type) {
      case VType::kYesNo:
        if (lit.kind == LitKind::kYesNo) return lit.code;
        break;
      case VType::kSpj:
        if (lit.kind == LitKind::kSpj) return lit.code;
        break;
      case VType::kLevel:
        if (lit.kind == LitKind::kLevel) return lit.code;
        break;
      case VType::kCode: {
        if (lit.kind != LitKind::kString) break;
        const auto& codes = Item(o.ref).codes;
        auto it = std::find(codes.begin(), codes.end(), lit.text);
        if (it == codes.end()) {
          Fail(offset,
               fmt::format("'{}' is not a code of item '{}'", lit.text, Item(o.ref).def->id()));
          return -2;
        }
        return static_cast<int>(it - codes.begin());
      }
      case VType::kBand: {
        if (lit.kind != LitKind::kString) break;
        int b = IndexOf(scope_.bands, lit.text);
        if (b < 0) {
          Fail(offset, fmt::format("'{}' is not a band of this instrument", lit.text));
          return -2;
        }
        return b;
      }
      default:
        break;
    }
    Fail(offset, fmt::format("cannot compare {} with '{}'", TypeName(o.type),
                             lit.kind == LitKind::kString ? "\"" + lit.text + "\""
                                                          : std::string("that value")));
    return -2;
  }

  int CheckBinary(const PNode& n) {
    const std::string& op = n.text;
    if (op == "and" || op == "or") {
      int a = Check(*n.args[0]);
      int b = a < 0 ? -1 : Check(*n.args[1]);
      if (a < 0 || b < 0) return -1;
      if (TypeOf(a) != VType::kBool)
        return Fail(n.args[0]->offset,
                    fmt::format("'{}' needs conditions, not {}", op, TypeName(TypeOf(a))));
      if (TypeOf(b) != VType::kBool)
        return Fail(n.args[1]->offset,
                    fmt::format("'{}' needs conditions, not {}", op, TypeName(TypeOf(b))));
      return Add({op == "and" ? Op::kAnd : Op::kOr, VType::kBool, a, b, -1, 0, false, 0, {}});
    }
    if (op == "+" || op == "-") {
      int a = Check(*n.args[0]);
      int b = a < 0 ? -1 : Check(*n.args[1]);
      if (a < 0 || b < 0) return -1;
      if (TypeOf(a) != VType::kInt)
        return Fail(n.args[0]->offset,
                    fmt::format("'{}' needs numbers, not {}", op, TypeName(TypeOf(a))));
      if (TypeOf(b) != VType::kInt)
        return Fail(n.args[1]->offset,
                    fmt::format("'{}' needs numbers, not {}", op, TypeName(TypeOf(b))));
      return Add({op == "+" ? Op::kAdd : Op::kSub, VType::kInt, a, b, -1, 0, false, 0, {}});
    }
    Op cmp = op == "=="   ? Op::kEq
             : op == "!=" ? Op::kNe
             : op == "<"  ? Op::kLt
             : op == "<=" ? Op::kLe
             : op == ">"  ? Op::kGt
                          : Op::kGe;
    bool ordering = cmp != Op::kEq && cmp != Op::kNe;
    auto la = AsLiteral(*n.args[0]);
    auto lb = AsLiteral(*n.args[1]);
    if (la && lb) return Fail(n.offset, "a comparison needs at least one answer or score");
    if (la || lb) {
      // Literal on one side: normalise to (value op literal).
      const PNode& value_side = la ? *n.args[1] : *n.args[0];
      const Literal& lit = la ? *la : *lb;
      int lit_offset = la ? n.args[0]->offset : n.args[1]->offset;
      int v = Check(value_side);
      if (v < 0) return -1;
      int code = ResolveLiteral(lit, v, lit_offset);
      if (code < -1) return -1;
      if (ordering && TypeOf(v) != VType::kLevel) {
        return Fail(n.offset, fmt::format("'{}' orders numbers and levels only", op));
      }
      if (la) {  // literal op value  ->  value op' literal
        if (cmp == Op::kLt)
          cmp = Op::kGt;
        else if (cmp == Op::kLe)
          cmp = Op::kGe;
        else if (cmp == Op::kGt)
          cmp = Op::kLt;
        else if (cmp == Op::kGe)
          cmp = Op::kLe;
      }
      return Add({cmp, VType::kBool, v, -1, code, 0, false, 0, {}});
    }
    int a = Check(*n.args[0]);
    int b = a < 0 ? -1 : Check(*n.args[1]);
    if (a < 0 || b < 0) return -1;
    VType ta = TypeOf(a), tb = TypeOf(b);
    if (ta == VType::kInt && tb == VType::kInt) {
      return Add({cmp, VType::kBool, a, b, -1, 0, false, 0, {}});
    }
    if (ta == VType::kBool && tb == VType::kBool && !ordering) {
      return Add({cmp, VType::kBool, a, b, -1, 0, false, 0, {}});
    }
    if (ta == VType::kLevel && tb == VType::kLevel) {
      return Add({cmp, VType::kBool, a, b, -1, 0, false, 0, {}});
    }
    return Fail(n.offset, fmt::format("cannot compare {} with {}", TypeName(ta), TypeName(tb)));
  }

  // Expands a list argument (ids, ranges, group fields) into entries.
  bool ExpandList(const PNode& arg, std::vector<ListEntry>* out) {
    auto add_ref = [&](std::string_view text, int offset) -> bool {
      std::string_view head = text, tail;
      if (auto dot = text.find('.'); dot != std::string_view::npos) {
        head = text.substr(0, dot);
        tail = text.substr(dot + 1);
      }
      auto [index, local] = ResolveItem(head);
      if (index < 0) {
        Fail(offset, index == -2 ? fmt::format("'{}' belongs to another group", head)
                                 : fmt::format("unknown item '{}'", head));
        return false;
      }
      ListEntry e;
      const ItemInfo& item = Item(index);
      if (item.def->type() == v1::GROUP) {
        // GROUP.ITEM: that item in every block.
        int child = tail.empty() ? -1 : scope_.item_index(tail);
        if (child < 0 || Item(child).group != index) {
          Fail(offset,
               fmt::format("'{}' is a group: name one of its items, e.g. {}.<item>", head, head));
          return false;
        }
        NoteItem(index);
        e.group = index;
        e.item = child;
        out->push_back(e);
        return true;
      }
      if (!tail.empty()) {
        if (item.def->type() != v1::SPJ_FACTOR || !item.def->current_and_history() ||
            (tail != "current" && tail != "history")) {
          Fail(offset, fmt::format("'{}': only split factor codes have .current/.history", text));
          return false;
        }
        e.sub = tail == "current" ? 1 : 2;
      } else if (item.def->type() == v1::SPJ_FACTOR && item.def->current_and_history()) {
        Fail(offset,
             fmt::format("'{}' has two codes: write {}.current or {}.history", text, text, text));
        return false;
      }
      NoteItem(index);
      e.item = index;
      e.local = local;
      out->push_back(e);
      return true;
    };
    if (arg.kind == PNode::kIdent) return add_ref(arg.text, arg.offset);
    if (arg.kind != PNode::kRange) {
      Fail(arg.offset, "expected an item id or a range like q1..q24");
      return false;
    }
    // q4..q11: same letter prefix, numbers ascending.
    auto split = [](std::string_view id) -> std::pair<std::string_view, int> {
      std::size_t k = id.size();
      while (k > 0 && id[k - 1] >= '0' && id[k - 1] <= '9') --k;
      if (k == id.size() || k == 0 || id.size() - k > 6) return {id, -1};
      int num = 0;
      std::from_chars(id.data() + k, id.data() + id.size(), num);
      return {id.substr(0, k), num};
    };
    const PNode& end = *arg.args[0];
    auto [p1, n1] = split(arg.text);
    auto [p2, n2] = split(end.text);
    if (n1 < 0 || n2 < 0 || p1 != p2) {
      Fail(arg.offset,
           fmt::format("'{}..{}' is not a range of numbered items", arg.text, end.text));
      return false;
    }
    if (n2 < n1 || n2 - n1 >= kMaxRange) {
      Fail(end.offset,
           fmt::format("range '{}..{}' runs backwards or is too long", arg.text, end.text));
      return false;
    }
    std::size_t first = out->size();
    for (int k = n1; k <= n2; ++k) {
      std::string id = fmt::format("{}{}", p1, k);
      if (ResolveItem(id).first < 0) {
        Fail(arg.offset,
             fmt::format("range '{}..{}': item '{}' does not exist here", arg.text, end.text, id));
        return false;
      }
      if (!add_ref(id, arg.offset)) return false;
    }
    v1::ItemType type = Item((*out)[first].item).def->type();
    for (std::size_t k = first; k < out->size(); ++k) {
      if (Item((*out)[k].item).def->type() != type) {
        Fail(arg.offset, fmt::format("range '{}..{}' mixes item types", arg.text, end.text));
        return false;
      }
    }
    return true;
  }

  // The code a literal stands for in item `index` (for count/any/all/wsum), or -2.
  int LiteralCodeFor(const Literal& lit, const ListEntry& e, int offset) {
    const ItemInfo& item = Item(e.item);
    switch (item.def->type()) {
      case v1::YES_NO:
        if (lit.kind == LitKind::kYesNo) return lit.code;
        break;
      case v1::SPJ_FACTOR:
        if (lit.kind == LitKind::kSpj) return lit.code;
        break;
      case v1::SINGLE_CHOICE: {
        if (lit.kind != LitKind::kString) break;
        auto it = std::find(item.codes.begin(), item.codes.end(), lit.text);
        if (it == item.codes.end()) {
          Fail(offset, fmt::format("'{}' is not a code of item '{}'", lit.text, item.def->id()));
          return -2;
        }
        return static_cast<int>(it - item.codes.begin());
      }
      case v1::INTEGER:
      case v1::PROTECTIVE:
        if (lit.kind == LitKind::kInt) return static_cast<int>(lit.value);
        break;
      default:
        break;
    }
    Fail(offset, fmt::format("item '{}' cannot be compared with that value", item.def->id()));
    return -2;
  }

  std::optional<Literal> ValueArg(const PNode& arg) {
    if (arg.kind == PNode::kInt) return Literal{LitKind::kInt, -1, {}, arg.value};
    auto lit = AsLiteral(arg);
    if (!lit || lit->kind == LitKind::kLevel) {
      Fail(arg.offset,
           "expected the value to look for first (yes, no, unknown, a factor code, "
           "a number or a quoted code)");
      return std::nullopt;
    }
    return lit;
  }

  int CheckCall(const PNode& n) {
    const std::string& f = n.text;
    auto argc = n.args.size();
    if (f == "count" || f == "any" || f == "all") {
      if (argc < 2)
        return Fail(n.offset, fmt::format("{}(VALUE, ITEMS...) needs a value and items", f));
      auto lit = ValueArg(*n.args[0]);
      if (!lit) return -1;
      Node node{f == "count" ? Op::kCount
                : f == "any" ? Op::kAny
                             : Op::kAll,
                f == "count" ? VType::kInt : VType::kBool,
                -1,
                -1,
                -1,
                0,
                false,
                0,
                {}};
      for (std::size_t i = 1; i < argc; ++i) {
        if (!ExpandList(*n.args[i], &node.list)) return -1;
      }
      for (auto& e : node.list) {
        e.code = LiteralCodeFor(*lit, e, n.args[0]->offset);
        if (e.code < -1) return -1;
      }
      return Add(std::move(node));
    }
    if (f == "sum") {
      Node node{Op::kSum, VType::kInt, -1, -1, -1, 0, false, 0, {}};
      bool weighted = n.args[0]->kind != PNode::kIdent && n.args[0]->kind != PNode::kRange;
      if (n.args[0]->kind == PNode::kIdent && KeywordLiteral(n.args[0]->text)) weighted = true;
      if (!weighted) {
        for (const auto& arg : n.args) {
          if (!ExpandList(*arg, &node.list)) return -1;
        }
        for (const auto& e : node.list) {
          auto t = Item(e.item).def->type();
          if (t != v1::INTEGER && t != v1::PROTECTIVE) {
            return Fail(n.offset, fmt::format("sum(ITEMS) adds numbers; '{}' is not a number (for "
                                              "weights write sum(yes, {}: 1, ...))",
                                              Item(e.item).def->id(), Item(e.item).def->id()));
          }
        }
        return Add(std::move(node));
      }
      auto lit = ValueArg(*n.args[0]);
      if (!lit) return -1;
      node.op = Op::kWSum;
      if (argc < 2) return Fail(n.offset, "sum(VALUE, ITEM: WEIGHT, ...) needs weighted items");
      for (std::size_t i = 1; i < argc; ++i) {
        const PNode& arg = *n.args[i];
        if (arg.kind != PNode::kWeighted) return Fail(arg.offset, "expected ITEM: WEIGHT");
        PNode ident;
        ident.kind = PNode::kIdent;
        ident.text = arg.text;
        ident.offset = arg.offset;
        std::size_t before = node.list.size();
        if (!ExpandList(ident, &node.list)) return -1;
        for (std::size_t k = before; k < node.list.size(); ++k) {
          node.list[k].weight = arg.value;
          node.list[k].code = LiteralCodeFor(*lit, node.list[k], n.args[0]->offset);
          if (node.list[k].code < -1) return -1;
        }
      }
      return Add(std::move(node));
    }
    if (f == "contains") {
      if (argc != 2 || n.args[1]->kind != PNode::kString) {
        return Fail(n.offset, "contains(ITEM, \"code\") takes a multiple-choice item and a code");
      }
      int a = Check(*n.args[0]);
      if (a < 0) return -1;
      if (TypeOf(a) != VType::kCodes)
        return Fail(n.args[0]->offset, "contains() needs a multiple-choice item");
      const auto& codes = Item(out_->nodes[static_cast<std::size_t>(a)].ref).codes;
      auto it = std::find(codes.begin(), codes.end(), n.args[1]->text);
      if (it == codes.end()) {
        return Fail(n.args[1]->offset,
                    fmt::format("'{}' is not a code of that item", n.args[1]->text));
      }
      return Add({Op::kContains,
                  VType::kBool,
                  a,
                  -1,
                  static_cast<int>(it - codes.begin()),
                  0,
                  false,
                  0,
                  {}});
    }
    if (f == "answered" || f == "size" || f == "max") {
      if (argc != 1 || n.args[0]->kind != PNode::kIdent) {
        return Fail(n.offset, fmt::format("{}() takes one item", f));
      }
      std::vector<ListEntry> list;
      if (f == "max") {
        if (!ExpandList(*n.args[0], &list)) return -1;
        const auto& e = list[0];
        if (e.group < 0)
          return Fail(n.args[0]->offset, "max() takes a group item, e.g. max(calendar.severity)");
        auto t = Item(e.item).def->type();
        if (t != v1::INTEGER && t != v1::PROTECTIVE)
          return Fail(n.args[0]->offset, "max() needs a number item");
        Node node{Op::kMax, VType::kInt, -1, -1, -1, 0, false, 0, {}};
        node.list = std::move(list);
        return Add(std::move(node));
      }
      auto [index, local] = ResolveItem(n.args[0]->text);
      if (index < 0)
        return Fail(n.args[0]->offset, fmt::format("unknown item '{}'", n.args[0]->text));
      NoteItem(index);
      if (f == "size") {
        if (Item(index).def->type() != v1::GROUP)
          return Fail(n.args[0]->offset, "size() takes a repeated group");
        return Add({Op::kSize, VType::kInt, -1, -1, index, 0, local, 0, {}});
      }
      return Add({Op::kAnswered, VType::kBool, -1, -1, index, 0, local, 0, {}});
    }
    return Fail(n.offset, fmt::format("unknown function '{}'", f));
  }

  const Scope& scope_;
  Expr* out_;
  std::vector<CompileError>* errors_;
  bool failed_ = false;
};

}  // namespace

bool Compile(std::string_view source, const Scope& scope, VType want, Expr* out,
             std::vector<CompileError>* errors) {
  *out = Expr{};
  out->source = std::string(source);
  if (source.size() > kMaxSourceChars) {
    errors->push_back({0, "expression too long"});
    return false;
  }
  std::vector<Token> toks;
  if (!Lex(source, &toks, errors)) return false;
  Parser parser(toks, errors);
  PPtr tree = parser.ParseAll();
  if (!tree) return false;
  Checker checker(scope, out, errors);
  int root = checker.Check(*tree);
  if (root < 0 || checker.failed()) return false;
  VType got = out->nodes[static_cast<std::size_t>(root)].type;
  if (got != want) {
    errors->push_back(
        {tree->offset, fmt::format("expected {}, found {}", TypeName(want), TypeName(got))});
    return false;
  }
  out->root = root;
  out->type = got;
  return true;
}

}  // namespace screening::internal
