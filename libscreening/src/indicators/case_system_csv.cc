// Reading the case systems' numbers of new contacts from CSV (the denominator of the share
// asked). libcsv splits the fields; the columns are found by their names in the first line.
#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>

#include <screening/indicators.h>

namespace screening {
namespace {

constexpr std::size_t kMaxBytes = 1 << 20;
constexpr std::size_t kMaxLines = 100'000;

// The fields of each record, with the line the record started on.
struct Records {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  std::vector<std::string> current;
  std::size_t line = 1;      // the line being read
  std::size_t row_line = 1;  // the line the current record started on
  bool too_many = false;
};

void OnField(void* data, std::size_t size, void* context) {
  auto* r = static_cast<Records*>(context);
  r->current.emplace_back(static_cast<const char*>(data), size);
}

void OnRecord(int, void* context) {
  auto* r = static_cast<Records*>(context);
  const bool blank = r->current.size() == 1 && r->current.front().empty();
  if (!r->current.empty() && !blank) {
    if (r->rows.size() >= kMaxLines) {
      r->too_many = true;
    } else {
      r->rows.push_back(std::move(r->current));
      r->lines.push_back(r->row_line);
    }
  }
  r->current.clear();
}

std::string Trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : c; });
  // The Swedish header "månad" may be written "Månad".
  const std::string upper_a = "\xc3\x85", lower_a = "\xc3\xa5";
  for (std::size_t i = s.find(upper_a); i != std::string::npos; i = s.find(upper_a, i))
    s.replace(i, upper_a.size(), lower_a);
  return s;
}

}  // namespace

Result<std::vector<CaseSystemCount>> ParseCaseSystemCountsCsv(std::string_view text,
                                                              std::vector<std::size_t>* lines) {
  if (text.size() > kMaxBytes) {
    return Status::InvalidArgument("CSV: more than 1 MiB; split the file");
  }
  if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const unsigned char delimiter = first_line.find(';') != std::string_view::npos &&
                                          first_line.find(',') == std::string_view::npos
                                      ? ';'
                                      : ',';
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    return Status::Internal("CSV: the parser could not start");
  }
  csv_set_delim(&parser, delimiter);
  Records records;
  // Feed one line at a time, so a record's first line is known for messages.
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    if (records.current.empty()) records.row_line = records.line;
    const std::size_t fed =
        csv_parse(&parser, text.data() + pos, end - pos, OnField, OnRecord, &records);
    if (fed != end - pos) {
      csv_free(&parser);
      return Status::InvalidArgument(fmt::format("CSV line {}: badly quoted field", records.line));
    }
    pos = end;
    ++records.line;
  }
  if (csv_fini(&parser, OnField, OnRecord, &records) != 0) {
    csv_free(&parser);
    return Status::InvalidArgument(
        fmt::format("CSV line {}: a quoted field is not closed", records.row_line));
  }
  csv_free(&parser);
  if (records.too_many) {
    return Status::InvalidArgument("CSV: more than 100000 lines; split the file");
  }
  if (records.rows.empty()) {
    return Status::InvalidArgument("CSV line 1: no header (unit, month, contacts)");
  }

  // The header: which column holds what.
  const std::map<std::string, std::string> names = {{"unit", "unit"},
                                                    {"enhet", "unit"},
                                                    {"month", "month"},
                                                    {"månad", "month"},
                                                    {"manad", "month"},
                                                    {"contacts", "contacts"},
                                                    {"nya_kontakter", "contacts"},
                                                    {"antal", "contacts"}};
  std::map<std::string, std::size_t> column;
  const auto& header = records.rows.front();
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto it = names.find(Lower(Trimmed(header[i])));
    if (it == names.end()) continue;
    if (!column.emplace(it->second, i).second) {
      return Status::InvalidArgument(fmt::format("CSV line {}, column {}: a second '{}' column",
                                                 records.lines.front(), i + 1, it->second));
    }
  }
  for (const char* needed : {"unit", "month", "contacts"}) {
    if (!column.count(needed)) {
      return Status::InvalidArgument(
          fmt::format("CSV line {}: no column '{}' (the header names unit, month and contacts)",
                      records.lines.front(), needed));
    }
  }

  std::vector<CaseSystemCount> out;
  for (std::size_t r = 1; r < records.rows.size(); ++r) {
    const auto& row = records.rows[r];
    const std::size_t line = records.lines[r];
    auto field = [&](const char* name) -> std::optional<std::string> {
      const std::size_t i = column.at(name);
      if (i >= row.size()) return std::nullopt;
      return Trimmed(row[i]);
    };
    CaseSystemCount c;
    for (const char* name : {"unit", "month", "contacts"}) {
      auto value = field(name);
      if (!value || value->empty()) {
        return Status::InvalidArgument(
            fmt::format("CSV line {}, column {}: '{}' is empty", line, column.at(name) + 1, name));
      }
      const std::string& v = *value;
      if (name[0] == 'u') {
        c.unit = v;
      } else if (name[0] == 'm') {
        c.month = v;
      } else {
        // Spaces as thousands separators ("1 234") are how a Swedish spreadsheet writes them.
        std::string digits;
        for (char ch : v) {
          if (ch != ' ') digits += ch;
        }
        const std::string nbsp = "\xc2\xa0";
        for (std::size_t i = digits.find(nbsp); i != std::string::npos; i = digits.find(nbsp))
          digits.erase(i, nbsp.size());
        std::int64_t n = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || end != digits.data() + digits.size() || n < 0) {
          return Status::InvalidArgument(
              fmt::format("CSV line {}, column {}: contacts: expected a whole number", line,
                          column.at(name) + 1));
        }
        c.contacts = n;
      }
    }
    if (c.month.size() != 7 || c.month[4] != '-' ||
        c.month.find_first_not_of("0123456789-") != std::string::npos) {
      return Status::InvalidArgument(fmt::format("CSV line {}, column {}: month: expected YYYY-MM",
                                                 line, column.at("month") + 1));
    }
    out.push_back(std::move(c));
    if (lines) lines->push_back(line);
  }
  if (out.empty()) return Status::InvalidArgument("CSV: no numbers after the header");
  return out;
}

}  // namespace screening
