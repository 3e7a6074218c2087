// Text-format parsing with located errors, shared by every definition loader.
//
// Protobuf reports 0-based lines and columns counted in bytes (tabs to multiples of 8).
// CONTRACTS.md wants 1-based lines and columns counted in characters, so positions are
// converted against the source text.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/diagnostic.h>
#include <screening/status.h>

namespace screening::internal {

// Largest definition file accepted (bytes); larger files are rejected before parsing.
inline constexpr std::size_t kMaxDefinitionBytes = 4 * 1024 * 1024;
// Deepest message nesting accepted by the parser.
inline constexpr int kMaxNesting = 24;

// The source of one parsed file, for converting protobuf positions.
class SourceText {
 public:
  SourceText(std::string file, std::string_view text);
  const std::string& file() const { return file_; }
  // 1-based character column of protobuf's (0-based line, 0-based byte column).
  int CharColumn(int line0, int pb_column0) const;
  // For a field whose name starts at (line0, pb_column0): the 1-based character column of
  // the first character inside its string value (after the opening quote), or 0 when the
  // value is not found on that line.
  int StringValueColumn(int line0, int pb_column0) const;
  // The 1-based character column of the character `offset` characters into the
  // (unescaped) string value of the field at (line0, pb_column0): escape sequences such as
  // \" take two characters in the source but one in the value. 0 when not found.
  int StringOffsetColumn(int line0, int pb_column0, int offset) const;
  Diagnostic At(int line0, int pb_column0, std::string message) const;
  // Protobuf column of the last `token` before (line0, pb_column0) on that line, or
  // pb_column0 when it is not there.
  int FindBefore(int line0, int pb_column0, std::string_view token) const;

 private:
  std::size_t ByteOffset(int line0, int pb_column0) const;
  std::string file_;
  std::vector<std::string> lines_;
};

// Parses `text` into `message`. On a syntax error appends it (located) to `diagnostics`
// and returns false. `tree` receives field locations for later domain errors.
bool ParseTextFormat(const SourceText& source, std::string_view text,
                     google::protobuf::Message* message,
                     google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics* diagnostics);

// Reads a whole file, refusing files larger than kMaxDefinitionBytes.
Result<std::string> ReadDefinitionFile(const std::string& path);

// Location helper over a ParseInfoTree for one message.
class Locator {
 public:
  Locator(const SourceText* source, const google::protobuf::TextFormat::ParseInfoTree* tree,
          const google::protobuf::Descriptor* descriptor)
      : source_(source), tree_(tree), descriptor_(descriptor) {}

  // Diagnostic at field `name` (element `index` when repeated; -1 for singular), or at the
  // message itself when the field was not written.
  Diagnostic At(std::string_view field, int index, std::string message) const;
  // Diagnostic inside the string value of `field`, `offset` characters into the value.
  Diagnostic InString(std::string_view field, int index, int offset, std::string message) const;
  // Locator for a nested message field (element `index` when repeated).
  Locator Nested(std::string_view field, int index) const;
  bool valid() const { return tree_ != nullptr; }

 private:
  const google::protobuf::FieldDescriptor* Field(std::string_view name) const;
  const SourceText* source_;
  const google::protobuf::TextFormat::ParseInfoTree* tree_;
  const google::protobuf::Descriptor* descriptor_;
  int line0_ = -1;  // where this nested message starts, for fields not written
  int col0_ = -1;
  friend class LocatorAccess;
};

// Whether `s` is lower-case snake_case: [a-z][a-z0-9_]*.
bool IsSnakeId(std::string_view s);
// Whether `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);
// Number of UTF-8 characters in `s` (bytes that are not continuation bytes).
int Utf8Length(std::string_view s);

}  // namespace screening::internal
