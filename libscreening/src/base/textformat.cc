#include "base/textformat.h"

#include <google/protobuf/io/tokenizer.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

namespace screening::internal {
namespace {

// Protobuf reports an unknown field at the token after its name; CONTRACTS.md wants the
// start of the offending token, the name, when it stands earlier on the same line.
class Collector : public google::protobuf::io::ErrorCollector {
 public:
  explicit Collector(const SourceText* source) : source_(source) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_) first_ = source_->At(line, UnknownFieldColumn(line, column, message), message);
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    // Deprecated-field and similar warnings are errors in definition files.
    AddError(line, column, message);
  }
  std::optional<Diagnostic> first_;

 private:
  // Protobuf reports an unknown field or enum value where it noticed it (after the name);
  // the contract wants the start of the offending name.
  int UnknownFieldColumn(int line0, int column0, const std::string& message) const {
    std::size_t start = std::string::npos;
    for (std::string_view marker : {"has no field named \"", "Unknown enumeration value of \""}) {
      if (std::size_t m = message.find(marker); m != std::string::npos) {
        start = m + marker.size();
        break;
      }
    }
    if (start == std::string::npos) return column0;
    std::size_t end = message.find('"', start);
    if (end == std::string::npos) return column0;
    return source_->FindBefore(line0, column0,
                               std::string_view(message).substr(start, end - start));
  }

  const SourceText* source_;
};

// The first string field (depth first, in field order) whose value is not valid UTF-8 once
// escapes such as \377 are undone; its location from `tree` when known (line -1 if not).
struct BadString {
  int line0 = -1;
  int column0 = 0;
  std::string field;
};

std::optional<BadString> FindInvalidUtf8(const google::protobuf::Message& message,
                                         const google::protobuf::TextFormat::ParseInfoTree* tree) {
  using google::protobuf::FieldDescriptor;
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    const int n = f->is_repeated() ? reflection->FieldSize(message, f) : 1;
    for (int i = 0; i < n; ++i) {
      const int index = f->is_repeated() ? i : -1;
      if (f->type() == FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& value =
            f->is_repeated() ? reflection->GetRepeatedStringReference(message, f, i, &scratch)
                             : reflection->GetStringReference(message, f, &scratch);
        if (IsValidUtf8(value)) continue;
        BadString bad;
        bad.field = f->name();
        if (tree) {
          auto loc = tree->GetLocation(f, index);
          bad.line0 = loc.line;
          bad.column0 = loc.column;
        }
        return bad;
      }
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const auto& nested = f->is_repeated() ? reflection->GetRepeatedMessage(message, f, i)
                                              : reflection->GetMessage(message, f);
        auto found = FindInvalidUtf8(nested, tree ? tree->GetTreeForNested(f, index) : nullptr);
        if (found) return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

SourceText::SourceText(std::string file, std::string_view text) : file_(std::move(file)) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines_.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::size_t SourceText::ByteOffset(int line0, int pb_column0) const {
  if (line0 < 0 || static_cast<std::size_t>(line0) >= lines_.size()) return 0;
  const std::string& l = lines_[static_cast<std::size_t>(line0)];
  // Protobuf's tokenizer advances one column per byte and tabs to the next multiple of 8.
  int col = 0;
  std::size_t i = 0;
  for (; i < l.size() && col < pb_column0; ++i) {
    col = l[i] == '\t' ? col + 8 - col % 8 : col + 1;
  }
  return i;
}

int SourceText::FindBefore(int line0, int pb_column0, std::string_view token) const {
  if (line0 < 0 || static_cast<std::size_t>(line0) >= lines_.size() || token.empty())
    return pb_column0;
  const std::string& l = lines_[static_cast<std::size_t>(line0)];
  std::size_t limit = ByteOffset(line0, pb_column0);
  std::size_t found = std::string_view(l).substr(0, limit).rfind(token);
  if (found == std::string::npos) return pb_column0;
  int col = 0;
  for (std::size_t i = 0; i < found; ++i) col = l[i] == '\t' ? col + 8 - col % 8 : col + 1;
  return col;
}

int SourceText::CharColumn(int line0, int pb_column0) const {
  if (line0 < 0 || static_cast<std::size_t>(line0) >= lines_.size()) return pb_column0 + 1;
  const std::string& l = lines_[static_cast<std::size_t>(line0)];
  return Utf8Length(std::string_view(l).substr(0, ByteOffset(line0, pb_column0))) + 1;
}

int SourceText::StringValueColumn(int line0, int pb_column0) const {
  if (line0 < 0 || static_cast<std::size_t>(line0) >= lines_.size()) return 0;
  const std::string& l = lines_[static_cast<std::size_t>(line0)];
  std::size_t i = ByteOffset(line0, pb_column0);
  std::size_t colon = l.find(':', i);
  if (colon == std::string::npos) return 0;
  std::size_t quote = l.find_first_of("\"'", colon);
  if (quote == std::string::npos) return 0;
  return Utf8Length(std::string_view(l).substr(0, quote + 1)) + 1;
}

int SourceText::StringOffsetColumn(int line0, int pb_column0, int offset) const {
  int start = StringValueColumn(line0, pb_column0);
  if (start <= 0) return 0;
  const std::string& l = lines_[static_cast<std::size_t>(line0)];
  // Byte index of the first character inside the quotes.
  std::size_t i = 0;
  for (int chars = 1; i < l.size() && chars < start; ++i) {
    if ((static_cast<unsigned char>(l[i]) & 0xC0) != 0x80) ++chars;
  }
  while (i < l.size() && (static_cast<unsigned char>(l[i]) & 0xC0) == 0x80) ++i;
  for (int k = 0; k < offset && i < l.size(); ++k) {
    if (l[i] == '\\') {
      i += 2;
      continue;
    }
    ++i;
    while (i < l.size() && (static_cast<unsigned char>(l[i]) & 0xC0) == 0x80) ++i;
  }
  return Utf8Length(std::string_view(l).substr(0, std::min(i, l.size()))) + 1;
}

Diagnostic SourceText::At(int line0, int pb_column0, std::string message) const {
  return Diagnostic{file_, line0 + 1, CharColumn(line0, pb_column0), std::move(message)};
}

bool ParseTextFormat(const SourceText& source, std::string_view text,
                     google::protobuf::Message* message,
                     google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics* diagnostics) {
  Collector collector(&source);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(tree);
  parser.SetRecursionLimit(kMaxNesting);
  parser.AllowUnknownField(false);
  parser.AllowUnknownExtension(false);
  bool ok = parser.ParseFromString(std::string(text), message);
  if (!ok || collector.first_) {
    if (diagnostics) {
      diagnostics->push_back(collector.first_.value_or(
          Diagnostic{source.file(), 1, 1, "the file could not be parsed"}));
    }
    return false;
  }
  // The file itself is UTF-8 (checked before parsing), but an escape in a string such as
  // "\377" can still make a value that is not.
  if (auto bad = FindInvalidUtf8(*message, tree)) {
    if (diagnostics) {
      std::string what = fmt::format(
          "the text of '{}' is not valid UTF-8 once its escapes are "
          "read",
          bad->field);
      diagnostics->push_back(bad->line0 >= 0 ? source.At(bad->line0, bad->column0, std::move(what))
                                             : Diagnostic{source.file(), 1, 1, std::move(what)});
    }
    return false;
  }
  return true;
}

Result<std::string> ReadDefinitionFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot be read", path));
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0) return Status::IoError(fmt::format("{}: cannot be read", path));
  if (static_cast<std::size_t>(size) > kMaxDefinitionBytes) {
    return Status::InvalidArgument(
        fmt::format("{}: the file is larger than {} bytes", path, kMaxDefinitionBytes));
  }
  in.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), size);
  if (!in) return Status::IoError(fmt::format("{}: cannot be read", path));
  return text;
}

const google::protobuf::FieldDescriptor* Locator::Field(std::string_view name) const {
  return descriptor_ ? descriptor_->FindFieldByName(std::string(name)) : nullptr;
}

Diagnostic Locator::At(std::string_view field, int index, std::string message) const {
  const auto* f = Field(field);
  if (tree_ && f) {
    // A list written as `f: [a, b]` records one location for the whole list: use the
    // closest earlier element that has one.
    for (int i = f->is_repeated() ? std::max(index, 0) : -1; i >= -1; --i) {
      auto loc = tree_->GetLocation(f, i);
      if (loc.line >= 0) return source_->At(loc.line, loc.column, std::move(message));
      if (i == -1 || !f->is_repeated()) break;
      if (i == 0) break;
    }
  }
  if (line0_ >= 0) return source_->At(line0_, col0_, std::move(message));
  return Diagnostic{source_->file(), 0, 0, std::move(message)};
}

Diagnostic Locator::InString(std::string_view field, int index, int offset,
                             std::string message) const {
  const auto* f = Field(field);
  if (tree_ && f) {
    auto loc = tree_->GetLocation(f, f->is_repeated() ? std::max(index, 0) : -1);
    if (loc.line >= 0) {
      int col = source_->StringOffsetColumn(loc.line, loc.column, offset);
      if (col > 0) return Diagnostic{source_->file(), loc.line + 1, col, std::move(message)};
      return source_->At(loc.line, loc.column, std::move(message));
    }
  }
  return At(field, index, std::move(message));
}

Locator Locator::Nested(std::string_view field, int index) const {
  const auto* f = Field(field);
  Locator nested(source_, nullptr, f ? f->message_type() : nullptr);
  if (tree_ && f) {
    int i = f->is_repeated() ? std::max(index, 0) : -1;
    nested.tree_ = tree_->GetTreeForNested(f, i);
    auto loc = tree_->GetLocation(f, i);
    nested.line0_ = loc.line >= 0 ? loc.line : line0_;
    nested.col0_ = loc.line >= 0 ? loc.column : col0_;
  } else {
    nested.line0_ = line0_;
    nested.col0_ = col0_;
  }
  return nested;
}

bool IsSnakeId(std::string_view s) {
  if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned cp = 0;
    if ((c >> 5) == 0x6) {
      n = 1;
      cp = c & 0x1Fu;
    } else if ((c >> 4) == 0xE) {
      n = 2;
      cp = c & 0x0Fu;
    } else if ((c >> 3) == 0x1E) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

int Utf8Length(std::string_view s) {
  int n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace screening::internal
