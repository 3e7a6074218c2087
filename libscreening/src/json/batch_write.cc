// The result writer of the batch path: ResultToJson's output (json.cc), key for key and
// byte for byte, written with RapidJSON's Writer instead of building an nlohmann tree.
// The two libraries escape alike ('"', '\\', \b \f \n \r \t by name, the other control
// characters as \u00XX, nothing else), except that RapidJSON writes the hex digits in
// upper case: a string with such a character makes the writer give up (rare: an id with
// a control character) and the caller uses ResultToJson.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "json/batch_internal.h"

namespace screening::internal {

namespace {

// Whether RapidJSON would escape a character of `s` as \u00XX (its hex differs in case
// from nlohmann's). Almost every string has no byte below 0x20: one branch-free pass.
bool HexEscaped(std::string_view s) {
  unsigned any = 0;
  for (char ch : s) any |= static_cast<unsigned char>(ch) < 0x20 ? 1u : 0u;
  if (!any) return false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\b' && c != '\f' && c != '\n' && c != '\r' && c != '\t') return true;
  }
  return false;
}

// A RapidJSON writer into a reused StringBuffer (it reserves once per string and writes
// without bounds checks), refusing hex-escaped strings.
class Out {
 public:
  explicit Out(rapidjson::StringBuffer* buffer) : writer_(*buffer) {}

  bool ok() const { return ok_; }
  void Key(std::string_view k) {
    if (HexEscaped(k)) ok_ = false;
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void String(std::string_view s) {
    if (HexEscaped(s)) ok_ = false;
    writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }
  void StringOrNull(const std::string& s) {
    if (s.empty()) {
      writer_.Null();
    } else {
      String(s);
    }
  }
  void Null() { writer_.Null(); }
  void Bool(bool b) { writer_.Bool(b); }
  void Int(std::int64_t v) { writer_.Int64(v); }
  void StartObject() { writer_.StartObject(); }
  void EndObject() { writer_.EndObject(); }
  void StartArray() { writer_.StartArray(); }
  void EndArray() { writer_.EndArray(); }
  template <typename List>
  void Strings(const List& list) {
    StartArray();
    for (const auto& s : list) String(s);
    EndArray();
  }

 private:
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
  bool ok_ = true;
};

const char* DirectionName(v1::OverrideDirection d) {
  return d == v1::RAISED ? "raised" : d == v1::LOWERED ? "lowered" : "none";
}

}  // namespace

bool AppendResultJson(const v1::Result& r, std::string* out) {
  thread_local rapidjson::StringBuffer buffer;
  buffer.Clear();
  Out w(&buffer);
  w.StartObject();
  if (!r.id().empty()) {
    w.Key("id");
    w.String(r.id());
  }
  const auto& i = r.instrument();
  w.Key("instrument");
  w.StartObject();
  w.Key("id");
  w.String(i.id());
  w.Key("version");
  w.String(i.version());
  w.Key("sha256");
  w.String(i.sha256());
  w.Key("text_sha256");
  w.String(i.text_sha256());
  w.Key("engine");
  w.String(i.engine());
  w.EndObject();
  w.Key("complete");
  w.Bool(r.complete());
  w.Key("unknown_count");
  w.Int(r.unknown_count());
  w.Key("unanswered_count");
  w.Int(r.unanswered_count());
  w.Key("scores");
  w.StartObject();
  if (r.scores_size() == 1) {
    const auto& [k, v] = *r.scores().begin();
    w.Key(k);
    w.Int(v);
  } else {
    std::vector<std::pair<std::string_view, std::int64_t>> scores(r.scores().begin(),
                                                                  r.scores().end());
    std::sort(scores.begin(), scores.end());
    for (const auto& [k, v] : scores) {
      w.Key(k);
      w.Int(v);
    }
  }
  w.EndObject();
  w.Key("band");
  w.StringOrNull(r.band());
  w.Key("band_certain");
  w.Bool(r.band_certain());
  w.Key("final_level");
  w.StringOrNull(r.final_level());
  w.Key("overridden");
  w.Bool(r.overridden());
  if (r.has_override()) {
    w.Key("override");
    w.StartObject();
    w.Key("band");
    w.String(r.override().band());
    w.Key("reason");
    w.String(r.override().reason());
    w.Key("by");
    w.String(r.override().by() == v1::SUPERVISOR ? "supervisor" : "assessor");
    w.Key("direction");
    w.String(DirectionName(r.override_direction()));
    w.EndObject();
  }
  w.Key("judgements");
  w.StartObject();
  if (!r.judgements().empty()) {
    std::vector<std::pair<std::string_view, const v1::JudgementEntry*>> judgements;
    for (const auto& [k, v] : r.judgements()) judgements.emplace_back(k, &v);
    std::sort(judgements.begin(), judgements.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [k, v] : judgements) {
      w.Key(k);
      w.StartObject();
      w.Key("level");
      w.String(v->level());
      w.Key("rationale");
      w.String(v->rationale());
      w.EndObject();
    }
  }
  w.EndObject();
  w.Key("client_estimate");
  if (r.has_client_estimate()) {
    w.StartObject();
    w.Key("level");
    w.String(r.client_estimate().level());
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("flags");
  w.Strings(r.flags());
  w.Key("recommendations");
  w.Strings(r.recommendations());
  w.Key("explanation");
  w.StartArray();
  for (const auto& e : r.explanation()) {
    w.StartObject();
    w.Key("rule");
    w.String(e.rule());
    w.Key("items");
    w.Strings(e.items());
    w.Key("text");
    w.String(e.text());
    w.EndObject();
  }
  w.EndArray();
  if (r.ignored_items_size()) {
    w.Key("ignored_items");
    w.Strings(r.ignored_items());
  }
  if (r.missing_required_size()) {
    w.Key("missing_required");
    w.Strings(r.missing_required());
  }
  if (r.missing_judgements_size()) {
    w.Key("missing_judgements");
    w.Strings(r.missing_judgements());
  }
  if (r.resources_size()) {
    w.Key("resources");
    w.Strings(r.resources());
  }
  w.EndObject();
  if (!w.ok()) return false;
  out->append(buffer.GetString(), buffer.GetSize());
  return true;
}

}  // namespace screening::internal
