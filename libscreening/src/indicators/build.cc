// From counted facts to the report's tables: rows from the definitions, the vocabulary and
// the instruments; the sums that complementary suppression protects; shares linked to the
// counts they rest on.
#include <algorithm>
#include <optional>
#include <set>

#include "indicators/layout.h"

namespace screening::internal {
namespace {

struct ColumnSpec {
  const char* id;
  const char* sv;
  const char* en;
};

std::vector<ColumnSpec> Columns(const v1::IndicatorTableDefinition& table) {
  switch (table.measure()) {
    case v1::CONTACTS:
      if (table.case_system_denominator()) {
        return {{"contacts", "Nya kontakter i programmet", "New contacts in this program"},
                {"case_system_contacts", "Nya kontakter enligt verksamhetssystemet",
                 "New contacts in the case system"},
                {"asked", "Frågan ställd", "Question asked"},
                {"asked_share", "Andel ställd", "Share asked"},
                {"disclosed", "Berättade om våld", "Disclosed violence"},
                {"not_disclosed", "Berättade inte", "Did not disclose"},
                {"declined", "Avböjde", "Declined"},
                {"not_asked", "Ej ställd", "Not asked"}};
      }
      return {{"contacts", "Nya kontakter", "New contacts"},
              {"asked", "Frågan ställd", "Question asked"},
              {"asked_share", "Andel ställd", "Share asked"},
              {"disclosed", "Berättade om våld", "Disclosed violence"},
              {"not_disclosed", "Berättade inte", "Did not disclose"},
              {"declined", "Avböjde", "Declined"},
              {"not_asked", "Ej ställd", "Not asked"}};
    case v1::NOT_ASKED_REASONS:
    case v1::VIOLENCE_TYPES:
      return {{"contacts", "Kontakter", "Contacts"}};
    case v1::CASES_WITH_DISCLOSURE:
    case v1::CASES_WITH_ASSESSMENT:
      return {{"cases", "Ärenden", "Cases"}};
    case v1::ASSESSMENTS:
      return {{"assessments", "Bedömningar", "Assessments"},
              {"uncertain", "Osäker nivå", "Uncertain band"},
              {"raised", "Nivå höjd", "Level raised"},
              {"lowered", "Nivå sänkt", "Level lowered"}};
    case v1::LEVELS:
      return {{"computed", "Beräknad nivå", "Computed level"},
              {"final", "Slutlig nivå", "Final level"}};
    case v1::CHILDREN:
    case v1::PERPETRATORS:
      return {{"count", "Antal", "Number"}};
    case v1::DUE_ITEMS:
      return {{"due", "Förfaller i perioden", "Due in the period"},
              {"on_time", "Klara i tid", "Done on time"},
              {"late", "Klara för sent", "Done late"},
              {"overdue", "Försenade", "Overdue"},
              {"not_yet_due", "Ej förfallna", "Not yet due"}};
    case v1::INTERVENTIONS:
      return {{"assessments", "Bedömningar", "Assessments"}};
    case v1::SUBJECT_ROLES:
      return {{"persons", "Personer", "People"},
              {"informed", "Fått stödinformation", "Given support information"},
              {"assessments", "Bedömningar", "Assessments"}};
    case v1::VULNERABLE_GROUPS:
      return {{"persons", "Personer", "People"}};
    case v1::REVIEW:
      return {{"value", "Värde", "Value"}};
    default:
      return {};
  }
}

IndicatorText Text(const char* sv, const char* en) { return IndicatorText{sv, en}; }

IndicatorText VocabularyText(const Vocabulary& vocabulary, std::string_view list,
                             std::string_view id) {
  return IndicatorText{vocabulary.Label(list, id, "sv"), vocabulary.Label(list, id, "en")};
}

IndicatorText Joined(const IndicatorText& a, const IndicatorText& b) {
  return IndicatorText{a.sv + " – " + b.sv, a.en + " – " + b.en};
}

// Builds one table; rows are added as the facts are laid out.
class TableMaker {
 public:
  TableMaker(IndicatorReport* report, const v1::IndicatorTableDefinition& def) : report_(report) {
    index_ = static_cast<int>(report->tables.size());
    report->tables.emplace_back();
    IndicatorTable& t = table();
    t.id = def.id();
    t.title = TextOf(def.title());
    t.description = TextOf(def.description());
    for (const auto& c : Columns(def)) {
      t.columns.push_back(IndicatorAxis{c.id, Text(c.sv, c.en), false});
      if (c.id == def.chart_column()) t.chart_column = static_cast<int>(t.columns.size()) - 1;
    }
  }

  IndicatorTable& table() { return report_->tables[static_cast<std::size_t>(index_)]; }
  int index() const { return index_; }

  int Row(std::string id, IndicatorText label, bool total = false) {
    IndicatorTable& t = table();
    t.rows.push_back(IndicatorAxis{std::move(id), std::move(label), total});
    t.cells.emplace_back(t.columns.size());
    return static_cast<int>(t.rows.size()) - 1;
  }

  IndicatorCell& Cell(int row, int column) {
    return table().cells[static_cast<std::size_t>(row)][static_cast<std::size_t>(column)];
  }
  IndicatorCellRef Ref(int row, int column) const { return {index_, row, column}; }

  void Count(int row, int column, std::int64_t n) {
    IndicatorCell& c = Cell(row, column);
    c.kind = IndicatorCellKind::kCount;
    c.count = n;
  }

  // A cell with no value (shown as "–"): a number that was not recorded.
  void Empty(int row, int column) {
    IndicatorCell& c = Cell(row, column);
    c.kind = IndicatorCellKind::kMissing;
    c.count = 0;
  }

  void Share(int row, int column, IndicatorCellRef numerator, IndicatorCellRef denominator) {
    const IndicatorCell& num =
        report_->tables[static_cast<std::size_t>(numerator.table)].cells[static_cast<std::size_t>(
            numerator.row)][static_cast<std::size_t>(numerator.column)];
    const IndicatorCell& den =
        report_->tables[static_cast<std::size_t>(denominator.table)].cells[static_cast<std::size_t>(
            denominator.row)][static_cast<std::size_t>(denominator.column)];
    IndicatorCell& c = Cell(row, column);
    c.kind = IndicatorCellKind::kShare;
    c.count = num.count;
    c.denominator = den.count;
    c.value = den.count > 0
                  ? 100.0 * static_cast<double>(num.count) / static_cast<double>(den.count)
                  : 0.0;
    report_->ratios.push_back(IndicatorRatio{Ref(row, column), numerator, denominator});
  }

  void Median(int row, int column, std::int64_t observations, double value) {
    IndicatorCell& c = Cell(row, column);
    c.kind = IndicatorCellKind::kMedian;
    c.count = observations;
    c.value = observations > 0 ? value : 0;
  }

  void Note(IndicatorText note) { table().notes.push_back(std::move(note)); }

  // Every cell withheld, none counted (special-category data for a period that is not a whole
  // month, quarter or year that has ended), and a note saying why.
  void NotCounted(const IndicatorPeriod& period) {
    for (auto& row : table().cells) {
      for (auto& c : row) {
        c.count = 0;
        c.denominator = 0;
        c.value = 0;
        c.suppression = Suppression::kNotCounted;
      }
    }
    std::string sv = IndicatorNotCountedText("sv"), en = IndicatorNotCountedText("en");
    sv[0] = 'R';  // "räknas inte: ..." begins the sentence
    en[0] = 'N';
    const bool calendar = IsCalendarPeriod(period);
    Note(IndicatorText{
        sv + ". " +
            (calendar ? "Perioden hade inte tagit slut vid brytpunkten. "
                      : "Perioden är inte en hel månad, ett helt kvartal eller ett helt år. ") +
            "Tabellen bygger på känsliga personuppgifter: räknades den för andra perioder "
            "kunde två rapporter vars perioder eller brytpunkter skiljer sig åt med en dag "
            "jämföras så att en enskild persons uppgifter framgår, även när små antal döljs.",
        en + ". " +
            (calendar ? "The period had not ended at the cut-off. "
                      : "The period is not a whole month, quarter or year. ") +
            "The table rests on special-category personal data: counted for other periods, two "
            "reports whose periods or cut-offs differ by a day could be compared to single out "
            "one person's data, even with small counts hidden."});
  }

  void Sum(IndicatorCellRef total, std::vector<IndicatorCellRef> parts) {
    report_->sums.push_back(IndicatorSum{total, std::move(parts)});
  }

  // Sums of every non-total row into the total row, for the count columns given.
  void ColumnTotals(int total_row, const std::vector<int>& columns) {
    for (int c : columns) {
      std::vector<IndicatorCellRef> parts;
      std::int64_t sum = 0;
      for (int r = 0; r < static_cast<int>(table().rows.size()); ++r) {
        if (table().rows[static_cast<std::size_t>(r)].total) continue;
        parts.push_back(Ref(r, c));
        sum += Cell(r, c).count;
      }
      Count(total_row, c, sum);
      Sum(Ref(total_row, c), std::move(parts));
    }
  }

 private:
  IndicatorReport* report_;
  int index_ = 0;
};

const v1::IndicatorTableDefinition* FirstOf(const IndicatorDefinitions& defs,
                                            v1::IndicatorMeasure measure) {
  for (const auto& t : defs.definition().tables()) {
    if (t.measure() == measure) return &t;
  }
  return nullptr;
}

class Builder {
 public:
  Builder(const IndicatorDefinitions& defs, const Registry& registry, const IndicatorFacts& facts,
          IndicatorReport* report)
      : defs_(defs),
        registry_(registry),
        vocab_(*registry.vocabulary()),
        facts_(facts),
        report_(report) {}

  void Run() {
    for (const auto& def : defs_.definition().tables()) {
      TableMaker t(report_, def);
      switch (def.measure()) {
        case v1::CONTACTS:
          Contacts(def, t);
          break;
        case v1::NOT_ASKED_REASONS:
          NotAsked(t);
          break;
        case v1::CASES_WITH_DISCLOSURE:
          t.Count(t.Row("cases", Text("Ärenden med våld som kommit fram",
                                      "Cases where violence was disclosed")),
                  0, facts_.cases_with_disclosure);
          break;
        case v1::VIOLENCE_TYPES:
          ByVocabulary(t, "violence_types", facts_.violence_types);
          break;
        case v1::CASES_WITH_ASSESSMENT:
          CasesAssessed(t);
          break;
        case v1::ASSESSMENTS:
          Assessments(def, t);
          break;
        case v1::LEVELS:
          Levels(def, t);
          break;
        case v1::CHILDREN:
          Children(def, t);
          break;
        case v1::DUE_ITEMS:
          Due(def, t);
          break;
        case v1::PERPETRATORS:
          Perpetrators(def, t);
          break;
        case v1::INTERVENTIONS:
          Interventions(def, t);
          break;
        case v1::SUBJECT_ROLES:
          Roles(def, t);
          break;
        case v1::VULNERABLE_GROUPS:
          ByVocabulary(t, "vulnerable_groups", facts_.vulnerable_groups);
          break;
        case v1::REVIEW:
          Review(t);
          break;
        default:
          break;
      }
      if (def.special_category() && !SpecialCategoryCounted(report_->period, report_->cutoff_utc)) {
        t.NotCounted(report_->period);
      }
    }
    Equalities();
  }

 private:
  IndicatorText Label(const std::string& id) const {
    for (const auto& l : defs_.definition().labels()) {
      if (l.id() == id) return TextOf(l.label());
    }
    return IndicatorText{id, id};
  }

  IndicatorText InstrumentTitle(const std::string& id) const {
    auto inst = registry_.Find(id);
    if (!inst) return IndicatorText{id, id};
    IndicatorText t = TextOf(inst->definition().title());
    if (t.sv.empty()) t.sv = id;
    if (t.en.empty()) t.en = t.sv;
    return t;
  }

  // The instruments a table shows: its own list, else every counted one.
  std::vector<std::string> Instruments(const v1::IndicatorTableDefinition& def) const {
    const auto& list = def.instruments_size() > 0 ? def.instruments()
                                                  : defs_.definition().assessment_instruments();
    return {list.begin(), list.end()};
  }

  void Contacts(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    std::map<std::string, int> group_of;
    std::vector<std::vector<std::string>> units_of;  // the units of each group row
    for (const auto& g : def.unit_groups()) {
      const int row = t.Row(g.id(), TextOf(g.label()));
      units_of.emplace_back();
      for (const auto& u : g.units()) {
        group_of[u] = row;
        // Only the units counted: a report for one unit has that unit's number alone.
        if (report_->units.empty() ||
            std::find(report_->units.begin(), report_->units.end(), u) != report_->units.end()) {
          units_of.back().push_back(u);
        }
      }
    }
    const int other = t.Row("other", Text("Övriga enheter", "Other units"));
    const int total = t.Row("total", Text("Totalt", "Total"), true);
    const bool case_system = def.case_system_denominator();
    // Column indexes: the case system's column comes second when the table has it.
    const int kContacts = 0, kCaseSystem = case_system ? 1 : -1, kAsked = case_system ? 2 : 1,
              kShare = kAsked + 1, kDisclosed = kAsked + 2, kNotDisclosed = kAsked + 3,
              kDeclined = kAsked + 4, kNotAsked = kAsked + 5;
    enum { nContacts, nDisclosed, nNotDisclosed, nDeclined, nNotAsked, nAsked };
    std::vector<std::array<std::int64_t, 6>> n(t.table().rows.size());
    for (const auto& c : facts_.contacts) {
      auto it = group_of.find(c.unit);
      auto& row = n[static_cast<std::size_t>(it == group_of.end() ? other : it->second)];
      row[nContacts] += c.n;
      if (c.outcome == "disclosed") row[nDisclosed] += c.n;
      if (c.outcome == "not_disclosed") row[nNotDisclosed] += c.n;
      if (c.outcome == "declined") row[nDeclined] += c.n;
      if (c.outcome == "not_asked") row[nNotAsked] += c.n;
    }
    const std::vector<std::pair<int, int>> columns = {
        {kContacts, nContacts},         {kAsked, nAsked},       {kDisclosed, nDisclosed},
        {kNotDisclosed, nNotDisclosed}, {kDeclined, nDeclined}, {kNotAsked, nNotAsked}};
    for (int r = 0; r < total; ++r) {
      auto& row = n[static_cast<std::size_t>(r)];
      row[nAsked] = row[nDisclosed] + row[nNotDisclosed] + row[nDeclined];
      for (const auto& [column, index] : columns)
        t.Count(r, column, row[static_cast<std::size_t>(index)]);
    }
    std::vector<int> count_columns;
    for (const auto& [column, index] : columns) count_columns.push_back(column);
    t.ColumnTotals(total, count_columns);
    // The case system's numbers: a group row has one when each of its units recorded every
    // month of the period; the total when every group row has one and no other unit had a
    // contact. Otherwise the share rests on this program's contacts, and a note says so.
    std::vector<bool> uses_case_system(static_cast<std::size_t>(total) + 1, false);
    if (case_system) {
      std::int64_t all = 0;
      bool every_row = facts_.period_months > 0;
      for (int r = 0; r < other; ++r) {
        const auto& units = units_of[static_cast<std::size_t>(r)];
        if (units.empty()) {  // none of the row's units is counted (a report for one unit)
          t.Empty(r, kCaseSystem);
          continue;
        }
        bool complete = facts_.period_months > 0;
        std::int64_t sum = 0;
        for (const auto& u : units) {
          auto it = facts_.case_system.find(u);
          if (it == facts_.case_system.end() || it->second.months != facts_.period_months) {
            complete = false;
          } else {
            sum += it->second.contacts;
          }
        }
        uses_case_system[static_cast<std::size_t>(r)] = complete;
        if (complete) {
          t.Count(r, kCaseSystem, sum);
          all += sum;
        } else {
          t.Empty(r, kCaseSystem);
          every_row = false;
        }
      }
      t.Empty(other, kCaseSystem);
      if (every_row && n[static_cast<std::size_t>(other)][nContacts] == 0) {
        uses_case_system[static_cast<std::size_t>(total)] = true;
        t.Count(total, kCaseSystem, all);
      } else {
        t.Empty(total, kCaseSystem);
      }
    }
    for (int r = 0; r <= total; ++r) {
      t.Sum(t.Ref(r, kContacts), {t.Ref(r, kAsked), t.Ref(r, kNotAsked)});
      t.Sum(t.Ref(r, kAsked), {t.Ref(r, kDisclosed), t.Ref(r, kNotDisclosed), t.Ref(r, kDeclined)});
      const bool external = uses_case_system[static_cast<std::size_t>(r)];
      t.Share(r, kShare, t.Ref(r, kAsked), t.Ref(r, external ? kCaseSystem : kContacts));
      if (!case_system) continue;
      const IndicatorText& label = t.table().rows[static_cast<std::size_t>(r)].label;
      if (external) {
        t.Note(IndicatorText{
            label.sv + ": andelen ställd räknas på verksamhetssystemets antal nya kontakter.",
            label.en + ": the share asked is of the case system's number of new contacts."});
        if (t.Cell(r, kAsked).count > t.Cell(r, kCaseSystem).count) {
          t.Note(IndicatorText{
              label.sv + ": fler frågor ställda än nya kontakter i verksamhetssystemet – "
                         "kontrollera siffrorna.",
              label.en + ": more questions asked than new contacts in the case system – "
                         "check the numbers."});
        }
      } else if (t.Cell(r, kContacts).count > 0) {
        t.Note(IndicatorText{
            label.sv + ": verksamhetssystemets antal saknas för perioden, så andelen räknas på "
                       "kontakterna i programmet och kan vara för hög.",
            label.en + ": the case system's number is missing for the period, so the share is "
                       "of the contacts in this program and may be too high."});
      }
    }
  }

  void NotAsked(TableMaker& t) {
    std::map<std::string, std::int64_t> by_reason;
    for (const auto& c : facts_.contacts) {
      if (c.outcome == "not_asked") by_reason[c.reason] += c.n;
    }
    ByVocabulary(t, "not_asked_reasons", by_reason);
    const int total = t.Row("total", Text("Totalt", "Total"), true);
    t.ColumnTotals(total, {0});
  }

  void ByVocabulary(TableMaker& t, std::string_view list,
                    const std::map<std::string, std::int64_t>& counts) {
    const v1::TermList* terms = vocab_.List(list);
    if (!terms) return;
    for (const auto& term : terms->terms()) {
      const int row = t.Row(term.id(), VocabularyText(vocab_, list, term.id()));
      auto it = counts.find(term.id());
      t.Count(row, 0, it == counts.end() ? 0 : it->second);
    }
  }

  void Assessments(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    for (const auto& id : Instruments(def)) {
      const int row = t.Row(id, InstrumentTitle(id));
      std::int64_t n = 0, uncertain = 0, raised = 0, lowered = 0;
      for (const auto& g : facts_.assessments) {
        if (g.instrument != id) continue;
        n += g.n;
        if (!g.certain) uncertain += g.n;
        if (g.direction == "raised") raised += g.n;
        if (g.direction == "lowered") lowered += g.n;
      }
      t.Count(row, 0, n);
      t.Count(row, 1, uncertain);
      t.Count(row, 2, raised);
      t.Count(row, 3, lowered);
    }
    const int total = t.Row("total", Text("Totalt", "Total"), true);
    t.ColumnTotals(total, {0, 1, 2, 3});
  }

  void Levels(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    for (const auto& id : Instruments(def)) {
      auto inst = registry_.Find(id);
      const IndicatorText title = InstrumentTitle(id);
      // The instrument's levels: its bands, lowest first, else the judgement levels; then
      // any other value found, then none.
      std::vector<std::pair<std::string, IndicatorText>> levels;
      if (inst && inst->definition().banding().bands_size() > 0) {
        for (const auto& b : inst->definition().banding().bands()) {
          IndicatorText label = TextOf(b.text());
          if (label.sv.empty()) label.sv = b.id();
          if (label.en.empty()) label.en = label.sv;
          levels.emplace_back(b.id(), label);
        }
      }
      const bool banded = !levels.empty();
      for (const char* level : {"low", "medium", "high"}) {
        bool used = !banded;
        for (const auto& g : facts_.assessments) {
          if (g.instrument == id && (g.computed == level || g.final_level == level)) used = true;
        }
        const bool present = std::any_of(levels.begin(), levels.end(),
                                         [&](const auto& l) { return l.first == level; });
        if (used && !present) {
          levels.emplace_back(level, inst && def.instrument_level_names()
                                         ? IndicatorText{inst->LevelLabel(level, "sv"),
                                                         inst->LevelLabel(level, "en")}
                                         : VocabularyText(vocab_, "levels", level));
        }
      }
      std::set<std::string> known;
      for (const auto& l : levels) known.insert(l.first);
      for (const auto& g : facts_.assessments) {
        if (g.instrument != id) continue;
        for (const std::string* v : {&g.computed, &g.final_level}) {
          if (!v->empty() && known.insert(*v).second)
            levels.emplace_back(*v, IndicatorText{*v, *v});
        }
      }
      levels.emplace_back("", Text("Ingen nivå", "No level"));
      const int total = t.Row(id, title, true);
      std::vector<IndicatorCellRef> computed_parts, final_parts;
      std::int64_t all = 0;
      for (const auto& [level, label] : levels) {
        const int row = t.Row(id + "." + (level.empty() ? "none" : level), Joined(title, label));
        std::int64_t computed = 0, final_count = 0;
        for (const auto& g : facts_.assessments) {
          if (g.instrument != id) continue;
          if (g.computed == level) computed += g.n;
          if (g.final_level == level) final_count += g.n;
          if (level.empty()) all += g.n;
        }
        t.Count(row, 0, computed);
        t.Count(row, 1, final_count);
        computed_parts.push_back(t.Ref(row, 0));
        final_parts.push_back(t.Ref(row, 1));
      }
      t.Count(total, 0, all);
      t.Count(total, 1, all);
      t.Sum(t.Ref(total, 0), computed_parts);
      t.Sum(t.Ref(total, 1), final_parts);
    }
  }

  std::int64_t Recommended(const std::vector<std::string>& instruments,
                           const std::string& recommendation) const {
    std::int64_t n = 0;
    for (const auto& [key, count] : facts_.recommendations) {
      if (key.second == recommendation &&
          std::find(instruments.begin(), instruments.end(), key.first) != instruments.end()) {
        n += count;
      }
    }
    return n;
  }

  void Children(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    const std::vector<std::string> child(def.instruments().begin(), def.instruments().end());
    std::int64_t assessments = 0;
    for (const auto& g : facts_.assessments) {
      if (std::find(child.begin(), child.end(), g.instrument) != child.end()) assessments += g.n;
    }
    t.Count(t.Row("assessments", Text("Bedömningar av barn", "Assessments of children")), 0,
            assessments);
    t.Count(t.Row("children", Text("Barn som bedömts", "Children assessed")), 0,
            facts_.children_assessed);
    t.Count(t.Row("immediate_need", Text("Barn med omedelbart skyddsbehov",
                                         "Children with an immediate need of protection")),
            0, facts_.children_immediate_need);
    t.Count(t.Row("report_of_concern", Text("Bedömningar där orosanmälan rekommenderas",
                                            "Assessments recommending a report of concern")),
            0,
            Recommended(Instruments(v1::IndicatorTableDefinition()),
                        def.report_of_concern_recommendation()));
  }

  void Due(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    std::map<std::string, int> row_of;
    for (const auto& kind : def.recommendations()) row_of[kind] = t.Row(kind, Label(kind));
    const int other = t.Row("other", Text("Övriga uppföljningar", "Other follow-up items"));
    const int total = t.Row("total", Text("Totalt", "Total"), true);
    std::vector<std::array<std::int64_t, 4>> n(static_cast<std::size_t>(total));
    for (const auto& [kind, counts] : facts_.due) {
      auto it = row_of.find(kind);
      auto& row = n[static_cast<std::size_t>(it == row_of.end() ? other : it->second)];
      for (std::size_t i = 0; i < 4; ++i) row[i] += counts[i];
    }
    for (int r = 0; r < total; ++r) {
      const auto& row = n[static_cast<std::size_t>(r)];
      t.Count(r, 0, row[0] + row[1] + row[2] + row[3]);
      for (int c = 0; c < 4; ++c) t.Count(r, c + 1, row[static_cast<std::size_t>(c)]);
    }
    t.ColumnTotals(total, {0, 1, 2, 3, 4});
    for (int r = 0; r <= total; ++r) {
      t.Sum(t.Ref(r, 0), {t.Ref(r, 1), t.Ref(r, 2), t.Ref(r, 3), t.Ref(r, 4)});
    }
  }

  void Perpetrators(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    auto it = facts_.roles.find("perpetrator");
    const std::int64_t persons = it == facts_.roles.end() ? 0 : it->second.first;
    std::int64_t informed = it == facts_.roles.end() ? 0 : it->second.second;
    if (def.informing_resource_tags_size() > 0) {
      informed = facts_.perpetrators_informed_with_resource;
    } else if (def.informed_per_person()) {
      auto in_person = facts_.roles_informed_in_person.find("perpetrator");
      informed = in_person == facts_.roles_informed_in_person.end() ? 0 : in_person->second;
    }
    const int p = t.Row("persons", Text("Våldsutövare i ärenden med ny kontakt",
                                        "People who use violence in cases with a new contact"));
    const int i = t.Row(
        "informed", Text("Har fått information om stöd", "Were given information about support"));
    const int n = t.Row("not_informed", Text("Har inte fått information om stöd",
                                             "Were not given information about support"));
    const int s = t.Row("informed_share", Text("Andel som fått information (mål 100 %)",
                                               "Share given information (target 100%)"));
    t.Count(p, 0, persons);
    t.Count(i, 0, informed);
    t.Count(n, 0, persons - informed);
    t.Sum(t.Ref(p, 0), {t.Ref(i, 0), t.Ref(n, 0)});
    t.Share(s, 0, t.Ref(i, 0), t.Ref(p, 0));
  }

  // Distinct cases with a counted assessment, by the instruments' target groups.
  void CasesAssessed(TableMaker& t) {
    const v1::TermList* roles = vocab_.List("subject_roles");
    if (roles) {
      for (const auto& term : roles->terms()) {
        auto it = facts_.cases_assessed_by_group.find(term.id());
        t.Count(t.Row(term.id(), VocabularyText(vocab_, "subject_roles", term.id())), 0,
                it == facts_.cases_assessed_by_group.end() ? 0 : it->second);
      }
    }
    // Not a sum of the rows: a case assessed for two groups counts once here.
    t.Count(
        t.Row("total", Text("Ärenden med minst en bedömning", "Cases with at least one assessment"),
              true),
        0, facts_.cases_assessed);
  }

  void Interventions(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    const std::vector<std::string> instruments = Instruments(def);
    for (const auto& r : def.recommendations()) {
      t.Count(t.Row(r, Label(r)), 0, Recommended(instruments, r));
    }
  }

  void Roles(const v1::IndicatorTableDefinition& def, TableMaker& t) {
    const std::vector<std::string> instruments = Instruments(def);
    const v1::TermList* roles = vocab_.List("subject_roles");
    std::vector<std::string> ids;
    if (roles) {
      for (const auto& term : roles->terms()) ids.push_back(term.id());
    }
    ids.push_back("");
    for (const auto& role : ids) {
      const int row = role.empty() ? t.Row("none", Text("Ingen person kopplad", "No person linked"))
                                   : t.Row(role, VocabularyText(vocab_, "subject_roles", role));
      auto it = facts_.roles.find(role);
      t.Count(row, 0, it == facts_.roles.end() ? 0 : it->second.first);
      if (def.informed_per_person()) {
        auto in_person = facts_.roles_informed_in_person.find(role);
        t.Count(row, 1, in_person == facts_.roles_informed_in_person.end() ? 0 : in_person->second);
      } else {
        t.Count(row, 1, it == facts_.roles.end() ? 0 : it->second.second);
      }
      std::int64_t n = 0;
      for (const auto& g : facts_.assessments) {
        if (g.role == role &&
            std::find(instruments.begin(), instruments.end(), g.instrument) != instruments.end())
          n += g.n;
      }
      t.Count(row, 2, n);
    }
    const int total = t.Row("total", Text("Totalt", "Total"), true);
    t.ColumnTotals(total, {0, 1, 2});
  }

  void Review(TableMaker& t) {
    t.Count(t.Row("submitted", Text("Skickade för granskning", "Submitted for review")), 0,
            facts_.submitted);
    t.Count(t.Row("approved", Text("Godkända", "Approved")), 0, facts_.approved);
    t.Count(t.Row("returned", Text("Återsända", "Returned")), 0, facts_.returned);
    t.Count(t.Row("level_changed",
                  Text("Nivå ändrad av arbetsledare", "Level changed by a supervisor")),
            0, facts_.level_changed);
    t.Count(t.Row("awaiting",
                  Text("Väntar på granskning vid brytpunkten", "Awaiting review at the cut-off")),
            0, facts_.awaiting);
    t.Median(t.Row("median_hours",
                   Text("Mediantid till godkännande (timmar)", "Median time to approval (hours)")),
             0, facts_.review_times, facts_.median_review_hours);
  }

  // The same count shown in two tables must be hidden in both or in neither.
  void Equalities() {
    auto find = [&](v1::IndicatorMeasure measure, std::string_view row,
                    std::string_view column) -> std::optional<IndicatorCellRef> {
      const auto* def = FirstOf(defs_, measure);
      if (!def) return std::nullopt;
      for (int t = 0; t < static_cast<int>(report_->tables.size()); ++t) {
        const IndicatorTable& table = report_->tables[static_cast<std::size_t>(t)];
        if (table.id != def->id()) continue;
        for (int r = 0; r < static_cast<int>(table.rows.size()); ++r) {
          if (table.rows[static_cast<std::size_t>(r)].id != row) continue;
          for (int c = 0; c < static_cast<int>(table.columns.size()); ++c) {
            if (table.columns[static_cast<std::size_t>(c)].id == column)
              return IndicatorCellRef{t, r, c};
          }
        }
      }
      return std::nullopt;
    };
    auto same = [&](std::optional<IndicatorCellRef> a, std::optional<IndicatorCellRef> b) {
      if (a && b) report_->sums.push_back(IndicatorSum{*a, {*b}});
    };
    same(find(v1::CONTACTS, "total", "not_asked"),
         find(v1::NOT_ASKED_REASONS, "total", "contacts"));
    same(find(v1::SUBJECT_ROLES, "perpetrator", "persons"),
         find(v1::PERPETRATORS, "persons", "count"));
    const auto* perpetrators = FirstOf(defs_, v1::PERPETRATORS);
    const auto* people = FirstOf(defs_, v1::SUBJECT_ROLES);
    if (perpetrators && people && perpetrators->informing_resource_tags_size() == 0 &&
        perpetrators->informed_per_person() == people->informed_per_person()) {
      same(find(v1::SUBJECT_ROLES, "perpetrator", "informed"),
           find(v1::PERPETRATORS, "informed", "count"));
    }
    for (const auto& id : defs_.definition().assessment_instruments()) {
      const auto a = find(v1::ASSESSMENTS, id, "assessments");
      same(a, find(v1::LEVELS, id, "computed"));
      same(a, find(v1::LEVELS, id, "final"));
    }
    const auto* assessments = FirstOf(defs_, v1::ASSESSMENTS);
    const auto* roles = FirstOf(defs_, v1::SUBJECT_ROLES);
    if (assessments && roles && Instruments(*assessments) == Instruments(*roles)) {
      same(find(v1::ASSESSMENTS, "total", "assessments"),
           find(v1::SUBJECT_ROLES, "total", "assessments"));
    }
  }

  const IndicatorDefinitions& defs_;
  const Registry& registry_;
  const Vocabulary& vocab_;
  const IndicatorFacts& facts_;
  IndicatorReport* report_;
};

}  // namespace

std::vector<std::string> TableColumns(const v1::IndicatorTableDefinition& table) {
  std::vector<std::string> ids;
  for (const auto& c : Columns(table)) ids.emplace_back(c.id);
  return ids;
}

IndicatorText TextOf(const google::protobuf::RepeatedPtrField<v1::LocalizedText>& texts) {
  IndicatorText t;
  for (const auto& x : texts) {
    if (x.lang() == "sv") t.sv = x.value();
    if (x.lang() == "en") t.en = x.value();
  }
  return t;
}

void BuildIndicatorTables(const IndicatorDefinitions& definitions, const Registry& registry,
                          const IndicatorFacts& facts, IndicatorReport* report) {
  Builder(definitions, registry, facts, report).Run();
}

}  // namespace screening::internal
