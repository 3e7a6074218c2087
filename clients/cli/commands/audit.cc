#include "commands/audit.h"

#include <algorithm>
#include <array>
#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kVerifyName = "screening audit verify";
constexpr std::string_view kLogName = "screening audit log";

}  // namespace

std::string VerificationJson(const AuditVerification& v) {
  nlohmann::json json{
      {"ok", v.ok}, {"events", v.events}, {"head_seq", v.head_seq}, {"head_mac", v.head_mac}};
  json["first_bad_seq"] = v.ok ? nlohmann::json(nullptr) : nlohmann::json(v.first_bad_seq);
  json["problem"] = v.ok ? nlohmann::json(nullptr) : nlohmann::json(v.problem);
  return json.dump(2);
}

void WriteVerification(Io& io, const AuditVerification& v) {
  if (v.ok) {
    io.out << Tr(io.lang, "ok: granskningskedjan är obruten (", "ok: the audit chain is intact (")
           << v.events << Tr(io.lang, " händelser)\n", " events)\n");
  } else {
    io.out << Tr(io.lang, "BRUTEN: första händelse som inte stämmer: ",
                 "BROKEN: the first event that does not verify: ")
           << v.first_bad_seq << " (" << v.problem << ")\n";
  }
  io.out << Tr(io.lang, "kedjans huvud: seq ", "chain head: seq ") << v.head_seq << " mac "
         << v.head_mac << "\n";
}

// ------------------------------------------------------------------ audit verify

std::string AuditVerifyCommand::summary(std::string_view lang) const {
  return Tr(lang, "Verifiera granskningsloggens kedja", "Verify the audit log's chain");
}

int AuditVerifyCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string format = "text";
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kVerifyName),
      "Går igenom varje händelse och dess HMAC med granskningsnyckeln. Skriver 'ok' "
      "eller den första händelse som inte stämmer, och kedjans huvud (seq och mac): "
      "spara huvudet utanför databasen för att senare kunna upptäcka att händelser "
      "tagits bort. Avslutar med 1 när kedjan är bruten. Administratör. Med "
      "--read-only öppnas filen skrivskyddat och ingenting skrivs (verifieringen loggas "
      "inte), så att en bevarad kopia kan verifieras oförändrad.",
      "Walks every event and its HMAC with the audit key. Prints 'ok' or the first "
      "event that does not verify, and the chain head (seq and mac): keep the head "
      "outside the database to detect removed events later. Exits 1 when the chain is "
      "broken. Administrator. With --read-only the file is opened read-only and "
      "nothing is written (the verification is not logged), so an evidence copy can be "
      "verified unchanged.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddFormatOption(app, lang, &format, {"text", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithReadOnlyOption(), &db))
    return *code;
  auto verification = db.store->VerifyAudit(db.actor);
  if (!verification.ok()) {
    return Failure(io, kVerifyName,
                   Describe(io,
                            Tr(io.lang, "kunde inte verifiera granskningsloggen",
                               "could not verify the audit log"),
                            verification.status()));
  }
  if (format == "json") {
    io.out << VerificationJson(*verification) << "\n";
  } else {
    WriteVerification(io, *verification);
  }
  if (!verification->ok) {
    return Failure(io, kVerifyName,
                   Tr(io.lang, "granskningskedjan är bruten", "the audit chain is broken"));
  }
  return kExitOk;
}

// ------------------------------------------------------------------ audit log

std::string AuditLogCommand::summary(std::string_view lang) const {
  return Tr(lang, "Visa granskningsloggens händelser", "Show the audit log's events");
}

int AuditLogCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string unit;
  std::string case_ref;
  std::string format = "table";
  StdinArguments hidden;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kLogName),
      "Alla händelser, eller med --unit och --case händelserna för ett ärende (vem "
      "som tittat på vad, för stickprov), eller med bara --unit händelserna i en "
      "enhet. Att läsa loggen loggas också. Administratören läser allt; en "
      "arbetsledare händelserna i sin egen enhet (--unit krävs), utom de i skyddade "
      "ärenden hen inte har tillgång till.",
      "Every event, or with --unit and --case the events of one case (who looked at "
      "what, for sample checks), or with --unit alone the events in one unit. Reading "
      "the log is logged too. The administrator reads everything; a supervisor the "
      "events of their own unit (--unit required), except those of protected cases "
      "they have no access to.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    CLI::Option* unit_option = app.add_option("--unit", unit, Tr(lang, "Enhet", "Unit"))
                                   ->type_name(Tr(lang, "ENHET", "UNIT"));
    const auto added = hidden.AddCase(
        app, lang, &case_ref,
        Tr(lang, "Ärendets referens (kräver --unit)", "The case reference (needs --unit)"), false);
    added.value->needs(unit_option);
    added.from_stdin->needs(unit_option);
    AddFormatOption(app, lang, &format, {"table", "json"});
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble().WithStdinArguments(&hidden), &db))
    return *code;
  auto log = db.store->AuditLog(db.actor, unit, case_ref);
  if (!log.ok()) {
    return Failure(
        io, kLogName,
        Describe(io,
                 Tr(io.lang, "kunde inte läsa granskningsloggen", "could not read the audit log"),
                 log.status()));
  }
  std::vector<AuditEntry> entries = std::move(*log);
  // The store filters by case; a unit alone is filtered here.
  if (!unit.empty() && case_ref.empty()) {
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&](const AuditEntry& e) { return e.unit != unit; }),
                  entries.end());
  }

  if (format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const AuditEntry& e : entries) {
      list.push_back({{"seq", e.seq},
                      {"at_utc", e.at_utc},
                      {"user", e.user_name},
                      {"role", e.role},
                      {"unit", e.unit},
                      {"action", e.action},
                      {"object", e.object},
                      {"reason", e.reason}});
    }
    io.out << list.dump(2) << "\n";
    return kExitOk;
  }

  using Row = std::array<std::string, 8>;
  std::vector<Row> rows;
  rows.push_back({"SEQ", Tr(io.lang, "TID (UTC)", "TIME (UTC)"), Tr(io.lang, "ANVÄNDARE", "USER"),
                  Tr(io.lang, "ROLL", "ROLE"), Tr(io.lang, "ENHET", "UNIT"),
                  Tr(io.lang, "HÄNDELSE", "ACTION"), Tr(io.lang, "OBJEKT", "OBJECT"),
                  Tr(io.lang, "ORSAK", "REASON")});
  for (const AuditEntry& e : entries) {
    rows.push_back({std::to_string(e.seq), e.at_utc, e.user_name, e.role, e.unit, e.action,
                    e.object, e.reason});
  }
  std::array<size_t, 8> widths{};
  for (const Row& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i + 1 < row.size(); ++i) line += PadRight(row[i], widths[i] + 2);
    line += row.back();
    while (!line.empty() && line.back() == ' ') line.pop_back();
    io.out << line << "\n";
  }
  return kExitOk;
}

}  // namespace screening::cli
