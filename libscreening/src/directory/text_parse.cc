#include "directory/text_parse.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace screening::directory_internal {

namespace {

// Deep enough for DirectoryFile (file > resource > hours > verification > text) with room,
// low enough that a hostile file cannot exhaust the stack.
constexpr int kRecursionLimit = 32;

}  // namespace

void ToOneBased(std::string_view text, int line0, int column0, int* line, int* column) {
  if (line0 < 0) {
    *line = 0;
    *column = 0;
    return;
  }
  *line = line0 + 1;
  // Find the start of the line.
  size_t pos = 0;
  for (int l = 0; l < line0 && pos < text.size(); ++l) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      pos = text.size();
      break;
    }
    pos = nl + 1;
  }
  // Walk protobuf's column (bytes, tabs to the next multiple of 8) and count characters
  // (bytes that do not continue a UTF-8 sequence).
  int pb_column = 0;
  int chars = 0;
  while (pos < text.size() && text[pos] != '\n' && pb_column < column0) {
    unsigned char c = static_cast<unsigned char>(text[pos]);
    if (c == '\t') {
      pb_column += 8 - pb_column % 8;
    } else {
      ++pb_column;
    }
    if ((c & 0xC0) != 0x80) ++chars;
    ++pos;
  }
  // Past the end of the line (e.g. an error at end of file): keep protobuf's count.
  if (pb_column < column0) chars += column0 - pb_column;
  *column = chars + 1;
}

namespace {

// The text of 0-based line `line0`, or "" past the end.
std::string_view LineOf(std::string_view text, int line0) {
  size_t pos = 0;
  for (int l = 0; l < line0; ++l) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return {};
    pos = nl + 1;
  }
  size_t end = text.find('\n', pos);
  return text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
}

// Protobuf reports an unknown field at the token after its name; CONTRACTS.md wants the
// start of the offending token, so move back to the name when it is on the same line.
int UnknownFieldColumn(std::string_view text, int line0, int column0, const std::string& message) {
  static constexpr std::string_view kMarker = "has no field named \"";
  size_t m = message.find(kMarker);
  if (m == std::string::npos || line0 < 0) return column0;
  size_t start = m + kMarker.size();
  size_t end = message.find('"', start);
  if (end == std::string::npos) return column0;
  std::string_view name = std::string_view(message).substr(start, end - start);
  std::string_view line = LineOf(text, line0);
  // Byte offsets of protobuf columns on this line (tabs advance to multiples of 8).
  std::vector<int> pb_column_at(line.size() + 1, 0);
  int col = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    pb_column_at[i] = col;
    col = line[i] == '\t' ? col + 8 - col % 8 : col + 1;
  }
  pb_column_at[line.size()] = col;
  size_t limit = 0;
  while (limit < line.size() && pb_column_at[limit] < column0) ++limit;
  size_t found = line.substr(0, limit).rfind(name);
  if (found == std::string_view::npos) return column0;
  return pb_column_at[found];
}

}  // namespace

void DiagnosticCollector::AddError(int line, google::protobuf::io::ColumnNumber column,
                                   const std::string& message) {
  ++errors_;
  if (out_ == nullptr) return;
  Diagnostic d;
  d.file = file_;
  ToOneBased(text_, line, UnknownFieldColumn(text_, line, column, message), &d.line, &d.column);
  d.message = message;
  out_->push_back(std::move(d));
}

void DiagnosticCollector::AddWarning(int /*line*/, google::protobuf::io::ColumnNumber /*column*/,
                                     const std::string& /*message*/) {}

bool ParseText(std::string_view text, const std::string& file, google::protobuf::Message* message,
               google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics* out) {
  DiagnosticCollector collector(text, file, out);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(tree);
  parser.SetRecursionLimit(kRecursionLimit);
  // Unknown fields and extensions stay errors (the parser's default).
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  bool ok = parser.Parse(&input, message);
  if (!ok && collector.errors() == 0 && out != nullptr) {
    out->push_back(Diagnostic{file, 0, 0, "the file does not parse"});
  }
  return ok;
}

const google::protobuf::FieldDescriptor* Node::Field(std::string_view name) const {
  if (descriptor_ == nullptr) return nullptr;
  return descriptor_->FindFieldByName(std::string(name));
}

Node Node::Child(std::string_view field, int index) const {
  const google::protobuf::FieldDescriptor* f = Field(field);
  if (f == nullptr || tree_ == nullptr || (f->is_repeated() && index < 0)) return *this;
  // protobuf insists on -1 for singular fields and a valid index for repeated ones.
  int i = f->is_repeated() ? index : -1;
  google::protobuf::TextFormat::ParseLocation loc = tree_->GetLocation(f, i);
  const google::protobuf::TextFormat::ParseInfoTree* nested = tree_->GetTreeForNested(f, i);
  if (loc.line < 0) return Node(text_, file_, nested, f->message_type(), line0_, column0_);
  return Node(text_, file_, nested, f->message_type(), loc.line, loc.column);
}

Diagnostic Node::At(std::string_view field, int index, std::string message) const {
  const google::protobuf::FieldDescriptor* f = Field(field);
  if (f != nullptr && tree_ != nullptr) {
    // A list written as `f: [a, b]` records one location for the whole list: fall back to
    // the closest earlier element that has one.
    if (!f->is_repeated()) {
      google::protobuf::TextFormat::ParseLocation loc = tree_->GetLocation(f, -1);
      if (loc.line >= 0) return Make(loc.line, loc.column, std::move(message));
    } else {
      for (int i = std::max(index, 0); i >= 0; --i) {
        google::protobuf::TextFormat::ParseLocation loc = tree_->GetLocation(f, i);
        if (loc.line >= 0) return Make(loc.line, loc.column, std::move(message));
      }
    }
  }
  return Here(std::move(message));
}

Diagnostic Node::Here(std::string message) const {
  return Make(line0_, column0_, std::move(message));
}

Diagnostic Node::Make(int line0, int column0, std::string message) const {
  Diagnostic d;
  d.file = file_ != nullptr ? *file_ : std::string();
  ToOneBased(text_, line0, column0, &d.line, &d.column);
  d.message = std::move(message);
  return d;
}

}  // namespace screening::directory_internal
