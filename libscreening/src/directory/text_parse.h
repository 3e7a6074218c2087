// Private helpers of the directory loader: a text-format error collector that records
// 1-based line/column diagnostics, and locating fields through a ParseInfoTree for domain
// errors.
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <screening/diagnostic.h>

namespace screening::directory_internal {

// Converts protobuf's 0-based (line, byte column with tabs to multiples of 8) into a 1-based
// line and a 1-based column counted in characters, looking at the line in `text`.
void ToOneBased(std::string_view text, int line0, int column0, int* line, int* column);

// Collects the parser's errors as Diagnostics of `file`.
class DiagnosticCollector : public google::protobuf::io::ErrorCollector {
 public:
  DiagnosticCollector(std::string_view text, std::string file, Diagnostics* out)
      : text_(text), file_(std::move(file)), out_(out) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override;
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override;

  int errors() const { return errors_; }

 private:
  std::string_view text_;
  std::string file_;
  Diagnostics* out_;
  int errors_ = 0;
};

// Parses `text` into `message` with unknown fields as errors and nesting bounded, recording
// locations into `tree`. Returns false after appending the first syntax error to `out`.
bool ParseText(std::string_view text, const std::string& file, google::protobuf::Message* message,
               google::protobuf::TextFormat::ParseInfoTree* tree, Diagnostics* out);

// A message in a parsed file: its locations and where it starts, for domain errors.
class Node {
 public:
  Node() = default;
  Node(std::string_view text, const std::string* file,
       const google::protobuf::TextFormat::ParseInfoTree* tree,
       const google::protobuf::Descriptor* descriptor, int line0, int column0)
      : text_(text),
        file_(file),
        tree_(tree),
        descriptor_(descriptor),
        line0_(line0),
        column0_(column0) {}

  // The nested message `field` (index -1 for a singular field). Missing parts locate at
  // this node.
  Node Child(std::string_view field, int index = -1) const;
  // A diagnostic at `field` (element `index` of a repeated field, -1 for singular), or at
  // this node when the field was not written.
  Diagnostic At(std::string_view field, int index, std::string message) const;
  // A diagnostic at the start of this node.
  Diagnostic Here(std::string message) const;

 private:
  const google::protobuf::FieldDescriptor* Field(std::string_view name) const;
  Diagnostic Make(int line0, int column0, std::string message) const;

  std::string_view text_;
  const std::string* file_ = nullptr;
  const google::protobuf::TextFormat::ParseInfoTree* tree_ = nullptr;
  const google::protobuf::Descriptor* descriptor_ = nullptr;
  int line0_ = -1;
  int column0_ = -1;
};

}  // namespace screening::directory_internal
