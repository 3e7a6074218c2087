// The result writer of the batch path: ResultToJson's output (json.cc), key for key and
// byte for byte, written straight into a reused buffer instead of building an nlohmann
// tree. It escapes as nlohmann's dump() does: '"', '\\', \b \f \n \r \t by name, the
// other control characters as \u00xx (lower-case hex), nothing else. dump() refuses a
// string that is not valid UTF-8; such a string (none should reach a result) makes the
// writer give up and the caller uses ResultToJson.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "json/batch_internal.h"

namespace screening::internal {

namespace {

// Bytes that a JSON string cannot hold as they are: control characters, '"' and '\\'.
constexpr std::array<bool, 256> EscapedBytes() {
  std::array<bool, 256> escaped{};
  for (int c = 0; c < 0x20; ++c) escaped[static_cast<std::size_t>(c)] = true;
  escaped['"'] = true;
  escaped['\\'] = true;
  return escaped;
}
constexpr std::array<bool, 256> kEscaped = EscapedBytes();

// A growing character buffer written through a raw pointer: each piece reserves what it
// may need (a string at most six bytes per byte), then writes without further checks.
class Out {
 public:
  Out() { Grow(1 << 14); }

  void Clear() {
    pos_ = buffer_.get();
    ok_ = true;
  }
  bool ok() const { return ok_; }
  std::string_view view() const {
    return {buffer_.get(), static_cast<std::size_t>(pos_ - buffer_.get())};
  }

  // A fixed piece of JSON (keys with their quotes, punctuation).
  template <std::size_t N>
  void Raw(const char (&text)[N]) {
    Reserve(N - 1);
    std::memcpy(pos_, text, N - 1);
    pos_ += N - 1;
  }
  void Char(char c) {
    Reserve(1);
    *pos_++ = c;
  }
  void String(std::string_view s) {
    Reserve(6 * s.size() + 2);
    char* p = pos_;
    *p++ = '"';
    unsigned high = 0;
    for (const char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      high |= c;
      if (!kEscaped[c]) {
        *p++ = ch;
        continue;
      }
      *p++ = '\\';
      switch (c) {
        case '"':
          *p++ = '"';
          break;
        case '\\':
          *p++ = '\\';
          break;
        case '\b':
          *p++ = 'b';
          break;
        case '\f':
          *p++ = 'f';
          break;
        case '\n':
          *p++ = 'n';
          break;
        case '\r':
          *p++ = 'r';
          break;
        case '\t':
          *p++ = 't';
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          *p++ = 'u';
          *p++ = '0';
          *p++ = '0';
          *p++ = kHex[c >> 4];
          *p++ = kHex[c & 15];
        }
      }
    }
    *p++ = '"';
    pos_ = p;
    if ((high & 0x80) && !simdjson::validate_utf8(s.data(), s.size())) ok_ = false;
  }
  void StringOrNull(const std::string& s) {
    if (s.empty()) {
      Raw("null");
    } else {
      String(s);
    }
  }
  void Bool(bool b) {
    if (b) {
      Raw("true");
    } else {
      Raw("false");
    }
  }
  void Int(std::int64_t v) {
    Reserve(24);
    pos_ = std::to_chars(pos_, pos_ + 24, v).ptr;
  }
  // A list of strings as a JSON array.
  template <typename List>
  void Strings(const List& list) {
    Char('[');
    bool first = true;
    for (const auto& s : list) {
      if (!first) Char(',');
      first = false;
      String(s);
    }
    Char(']');
  }

 private:
  void Reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - pos_) < n) Grow(n);
  }
  void Grow(std::size_t n) {
    const std::size_t used = static_cast<std::size_t>(pos_ - buffer_.get());
    const std::size_t size = std::max(used + n, 2 * static_cast<std::size_t>(end_ - buffer_.get()));
    std::unique_ptr<char[]> bigger(new char[size]);
    if (used) std::memcpy(bigger.get(), buffer_.get(), used);
    buffer_ = std::move(bigger);
    pos_ = buffer_.get() + used;
    end_ = buffer_.get() + size;
  }

  std::unique_ptr<char[]> buffer_;
  char* pos_ = nullptr;
  char* end_ = nullptr;
  bool ok_ = true;
};

const char* DirectionName(v1::OverrideDirection d) {
  return d == v1::RAISED ? "raised" : d == v1::LOWERED ? "lowered" : "none";
}

}  // namespace

bool AppendResultJson(const v1::Result& r, std::string* out) {
  thread_local Out w;
  w.Clear();
  w.Char('{');
  if (!r.id().empty()) {
    w.Raw("\"id\":");
    w.String(r.id());
    w.Char(',');
  }
  const auto& i = r.instrument();
  w.Raw("\"instrument\":{\"id\":");
  w.String(i.id());
  w.Raw(",\"version\":");
  w.String(i.version());
  w.Raw(",\"sha256\":");
  w.String(i.sha256());
  w.Raw(",\"text_sha256\":");
  w.String(i.text_sha256());
  w.Raw(",\"engine\":");
  w.String(i.engine());
  w.Raw("},\"complete\":");
  w.Bool(r.complete());
  w.Raw(",\"unknown_count\":");
  w.Int(r.unknown_count());
  w.Raw(",\"unanswered_count\":");
  w.Int(r.unanswered_count());
  w.Raw(",\"scores\":{");
  if (r.scores_size() == 1) {
    const auto& [k, v] = *r.scores().begin();
    w.String(k);
    w.Char(':');
    w.Int(v);
  } else if (r.scores_size() > 1) {
    std::vector<std::pair<std::string_view, std::int64_t>> scores(r.scores().begin(),
                                                                  r.scores().end());
    std::sort(scores.begin(), scores.end());
    bool first = true;
    for (const auto& [k, v] : scores) {
      if (!first) w.Char(',');
      first = false;
      w.String(k);
      w.Char(':');
      w.Int(v);
    }
  }
  w.Raw("},\"band\":");
  w.StringOrNull(r.band());
  w.Raw(",\"band_certain\":");
  w.Bool(r.band_certain());
  w.Raw(",\"final_level\":");
  w.StringOrNull(r.final_level());
  w.Raw(",\"overridden\":");
  w.Bool(r.overridden());
  if (r.has_override()) {
    w.Raw(",\"override\":{\"band\":");
    w.String(r.override().band());
    w.Raw(",\"reason\":");
    w.String(r.override().reason());
    if (r.override().by() == v1::SUPERVISOR) {
      w.Raw(",\"by\":\"supervisor\",\"direction\":");
    } else {
      w.Raw(",\"by\":\"assessor\",\"direction\":");
    }
    w.String(DirectionName(r.override_direction()));
    w.Char('}');
  }
  w.Raw(",\"judgements\":{");
  if (!r.judgements().empty()) {
    std::vector<std::pair<std::string_view, const v1::JudgementEntry*>> judgements;
    for (const auto& [k, v] : r.judgements()) judgements.emplace_back(k, &v);
    std::sort(judgements.begin(), judgements.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    bool first = true;
    for (const auto& [k, v] : judgements) {
      if (!first) w.Char(',');
      first = false;
      w.String(k);
      w.Raw(":{\"level\":");
      w.String(v->level());
      w.Raw(",\"rationale\":");
      w.String(v->rationale());
      w.Char('}');
    }
  }
  w.Raw("},\"client_estimate\":");
  if (r.has_client_estimate()) {
    w.Raw("{\"level\":");
    w.String(r.client_estimate().level());
    w.Char('}');
  } else {
    w.Raw("null");
  }
  w.Raw(",\"flags\":");
  w.Strings(r.flags());
  w.Raw(",\"recommendations\":");
  w.Strings(r.recommendations());
  w.Raw(",\"explanation\":[");
  bool first = true;
  for (const auto& e : r.explanation()) {
    if (!first) w.Char(',');
    first = false;
    w.Raw("{\"rule\":");
    w.String(e.rule());
    w.Raw(",\"items\":");
    w.Strings(e.items());
    w.Raw(",\"text\":");
    w.String(e.text());
    w.Char('}');
  }
  w.Char(']');
  if (r.ignored_items_size()) {
    w.Raw(",\"ignored_items\":");
    w.Strings(r.ignored_items());
  }
  if (r.missing_required_size()) {
    w.Raw(",\"missing_required\":");
    w.Strings(r.missing_required());
  }
  if (r.missing_judgements_size()) {
    w.Raw(",\"missing_judgements\":");
    w.Strings(r.missing_judgements());
  }
  if (r.resources_size()) {
    w.Raw(",\"resources\":");
    w.Strings(r.resources());
  }
  w.Char('}');
  if (!w.ok()) return false;
  out->append(w.view());
  return true;
}

}  // namespace screening::internal
