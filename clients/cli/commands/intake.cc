#include "commands/intake.h"

#include <algorithm>
#include <ostream>

#include <screening/dates.h>
#include <screening/directory.h>
#include <screening/json.h>
#include <screening/registry.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands/cli_support.h"
#include "commands/form_session.h"
#include "commands/stdin_arguments.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening intake";

std::string CodeOf(const Session& session, const std::string& id) {
  const auto& answers = session.answers().answers();
  auto it = answers.find(id);
  if (it == answers.end() || it->second.value_case() != v1::AnswerValue::kCode) return {};
  return it->second.code();
}

bool Recommended(const v1::Result& result, std::string_view id) {
  return std::find(result.recommendations().begin(), result.recommendations().end(), id) !=
         result.recommendations().end();
}

// The follow-up assessments the result calls for, as commands to run later.
std::vector<std::string> FollowUpHints(const v1::Result& result, const std::string& unit,
                                       const std::string& case_ref) {
  std::vector<std::string> hints;
  const std::string where = " --case " + case_ref + " --unit " + unit;
  if (Recommended(result, "danger_assessment")) {
    hints.push_back("screening subject add" + where + " --role adult_victim");
    hints.push_back("screening assess --instrument farlighet" + where + " --subject ID");
  }
  if (Recommended(result, "barn_assessment")) {
    hints.push_back("screening subject add" + where + " --role child --age-band BAND");
    hints.push_back("screening assess --instrument barn" + where + " --subject ID");
  }
  return hints;
}

// The resources for a person who uses violence: every one of them must be told where help is.
void ShowPerpetratorResources(Io& io, const Directory* directory) {
  if (directory == nullptr) return;
  io.out << Tr(io.lang, "Stöd för den som använder våld:\n",
               "Support for a person who uses violence:\n");
  for (const v1::Resource* resource : directory->ResourcesFor("perpetrator", io.lang)) {
    io.out << "  - " << directory->Text(resource->name(), io.lang) << ", "
           << (resource->phone().empty() ? MissingNumberText(io.lang) : resource->phone()) << "\n";
  }
}

// Offers one follow-up assessment: start it now, keep an empty draft for later, or skip.
// Returns nullopt when the input stopped, else the exit code of what was done (kExitOk for
// a skip).
std::optional<int> OfferFollowUp(Io& io, TerminalInput& input, TerminalForm& form, DbSession& db,
                                 const Directory* directory, const IntakeWalk& walk,
                                 std::int64_t contact_id, std::string_view instrument_id,
                                 std::string_view role, std::string_view question) {
  auto instrument = db.registry->Find(instrument_id);
  if (instrument == nullptr) {
    io.out << Tr(io.lang, "(Instrumentet ", "(The instrument ") << instrument_id
           << Tr(io.lang, " är inte installerat.)\n", " is not installed.)\n");
    return kExitOk;
  }
  io.out << "\n" << question << "\n";
  auto choice = form.AskChoice(
      Tr(io.lang, "  Val: ", "  Choice: "),
      {{"now", Tr(io.lang, "starta nu", "start now")},
       {"draft", Tr(io.lang, "spara som utkast till senare", "keep a draft for later")},
       {"no", Tr(io.lang, "nej", "no")}},
      false);
  if (!choice) return std::nullopt;
  if (*choice == "no") return kExitOk;

  SubjectInput subject;
  subject.unit = walk.unit;
  subject.case_ref = walk.case_ref;
  subject.role = std::string(role);
  if (role == "child") {
    io.out << Tr(io.lang, "  Barnets åldersgrupp (Enter om okänd):\n",
                 "  The child's age band (Enter if unknown):\n");
    auto band = form.AskChoice(Tr(io.lang, "  Åldersgrupp: ", "  Age band: "),
                               {{"0-5", "0–5"}, {"6-12", "6–12"}, {"13-17", "13–17"}}, true);
    if (!band) return std::nullopt;
    subject.age_band = *band;
  }
  auto subject_id = db.store->AddSubject(db.actor, subject);
  if (!subject_id.ok()) {
    return Failure(
        io, kName,
        Describe(io, Tr(io.lang, "kunde inte registrera personen", "could not add the person"),
                 subject_id.status()));
  }
  AssessmentWalk assessment{{walk.unit, walk.case_ref, *subject_id, contact_id, io.lang},
                            Session(instrument),
                            std::nullopt,
                            false,
                            SubmitChoice::kAsk,
                            std::string(role)};
  if (*choice == "draft") {
    DraftAutosaver saver(*db.store, db.actor, assessment.input, std::nullopt);
    if (Status st = saver.Save(assessment.session); !st.ok()) {
      return Failure(
          io, kName,
          Describe(io, Tr(io.lang, "kunde inte skapa utkastet", "could not create the draft"), st));
    }
    io.out << Tr(io.lang, "  Utkast ", "  Draft ") << *saver.id()
           << Tr(io.lang, " skapat (person ", " created (person ") << *subject_id
           << Tr(io.lang, "); fortsätt med 'screening draft resume ",
                 "); continue with 'screening draft resume ")
           << *saver.id() << "'.\n";
    return kExitOk;
  }
  return RunAssessmentWalk(io, kName, input, db, directory, std::move(assessment));
}

}  // namespace

// ------------------------------------------------------------------ interactive

namespace {

// A fresh intake keeps its answers here until the contact is recorded: a draft needs a case
// that an intake has opened (docs/store.md, "Opening a case").
std::string NothingSavedNotice(std::string_view lang) {
  return Tr(lang, "\nAvbrutet innan kontakten registrerades; inget sparades.\n",
            "\nStopped before the contact was recorded; nothing was saved.\n");
}

// What the intake records besides the routine question's answers.
IntakeInput IntakeOf(std::string_view unit, std::string_view case_ref, std::string_view date,
                     std::string_view lang, std::optional<std::int64_t> draft_to_discard) {
  IntakeInput intake;
  intake.unit = std::string(unit);
  intake.case_ref = std::string(case_ref);
  intake.contact_date = std::string(date);
  intake.lang = std::string(lang);
  intake.draft_to_discard = draft_to_discard;
  return intake;
}

// What the intake says when the store refuses it. kNotFound after the contact was accepted
// in the same transaction: the case is one the user may not see.
std::string IntakeRefusal(Io& io, const Status& status) {
  if (status.code() == StatusCode::kNotFound) {
    return Tr(io.lang,
              "kontakten kunde inte registreras: ärendet är inte öppet för dig, inget sparades "
              "(en arbetsledare i enheten kan ge tillgång med 'screening grant')",
              "the contact could not be recorded: the case is not open to you, nothing was saved "
              "(a supervisor of the unit can give access with 'screening grant')");
  }
  return Describe(
      io, Tr(io.lang, "kontakten kunde inte registreras", "the contact could not be recorded"),
      status);
}

}  // namespace

int RunIntakeWalk(Io& io, std::string_view name, TerminalInput& input, DbSession& db,
                  const Directory* directory, IntakeWalk walk) {
  const Instrument& instrument = walk.session.instrument();
  const std::string title = TextIn(instrument.definition().title(), io.lang);
  io.out << title << " — " << Tr(io.lang, "ärende ", "case ") << walk.case_ref << ", "
         << Tr(io.lang, "enhet ", "unit ") << walk.unit << ", " << walk.date << "\n"
         << TextIn(instrument.definition().description(), io.lang) << "\n";
  // A draft being resumed is saved after every answer; a fresh intake keeps its answers until
  // the contact is recorded, since only the contact opens a case.
  const bool autosave = walk.draft_id.has_value();
  if (autosave) {
    io.out << Tr(io.lang, "Utkast ", "Draft ") << *walk.draft_id << ". "
           << Tr(io.lang,
                 "Svaren sparas efter varje fråga. ? visar hur en fråga besvaras, < går tillbaka, "
                 "Ctrl-C avbryter (utkastet finns kvar).\n",
                 "The answers are saved after every question. ? shows how to answer, < goes back, "
                 "Ctrl-C stops (the draft is kept).\n");
  } else {
    io.out << Tr(io.lang,
                 "Svaren sparas när kontakten registreras. ? visar hur en fråga besvaras, < går "
                 "tillbaka, Ctrl-C avbryter (inget sparas).\n",
                 "The answers are saved when the contact is recorded. ? shows how to answer, < "
                 "goes back, Ctrl-C stops (nothing is saved).\n");
  }
  // Before any answer, or with nothing saved yet: what stopping leaves.
  auto stop_notice = [&](const DraftAutosaver& saver) {
    return autosave ? DraftSavedNotice(io.lang, saver.id()) : NothingSavedNotice(io.lang);
  };

  AssessmentInput draft_input;
  draft_input.unit = walk.unit;
  draft_input.case_ref = walk.case_ref;
  draft_input.lang = io.lang;
  DraftAutosaver saver(*db.store, db.actor, draft_input, walk.draft_id);
  input.SetInterruptNotice(stop_notice(saver));
  FormOptions options;
  options.resume = walk.resume;
  if (autosave) {
    options.autosave = [&](const Session& session) { return saver.Save(session); };
  }
  TerminalForm form(io, input, &walk.session, options);

  v1::Result result;
  for (;;) {
    const FormEnd end = form.AskAll();
    if (end == FormEnd::kStopped) {
      io.err << stop_notice(saver);
      return kExitFailed;
    }
    if (end == FormEnd::kFailed) {
      return Failure(io, name,
                     Tr(io.lang, "utkastet kunde inte sparas; de senast sparade svaren finns kvar",
                        "the draft could not be saved; the answers saved last are kept"));
    }
    EvaluateOptions evaluate;
    evaluate.lang = io.lang;
    evaluate.directory = directory;
    auto evaluated = Evaluate(walk.session, evaluate);
    if (!evaluated.ok()) {
      return Failure(io, name,
                     std::string(Tr(io.lang, "resultatet kan inte beräknas: ",
                                    "the result cannot be computed: ")) +
                         evaluated.status().message());
    }
    result = *evaluated;
    io.out << "\n" << ResultToText(result, instrument, io.lang, directory);
    if (Status st = walk.session.CheckFinishable(); !st.ok()) {
      io.out << Tr(io.lang, "Det saknas svar: ", "Answers are missing: ") << st.message() << "\n";
    }
    io.out << "\n";
    auto save = form.AskYesNo(
        Tr(io.lang, "Registrera kontakten och utfallet nu? (n går tillbaka till frågorna)",
           "Record the contact and the outcome now? (n goes back to the questions)"));
    if (!save) {
      io.err << stop_notice(saver);
      return kExitFailed;
    }
    if (*save && walk.session.CheckFinishable().ok()) break;
    // Back to the questions, from the first, answers kept.
    form.set_resume(false);
  }

  auto saved = db.store->RecordIntake(
      db.actor, IntakeOf(walk.unit, walk.case_ref, walk.date, io.lang, saver.id()), walk.session);
  if (!saved.ok()) {
    io.err << stop_notice(saver);
    return Failure(io, name, IntakeRefusal(io, saved.status()));
  }
  io.out << Tr(io.lang, "Sparat: kontakt ", "Saved: contact ") << saved->contact_id
         << Tr(io.lang, ", rutinfrågan som bedömning ", ", the routine question as assessment ")
         << saved->assessment_id
         << Tr(io.lang, " (skickad för granskning).\n", " (submitted for review).\n");
  input.SetInterruptNotice(
      Tr(io.lang, "\nAvbrutet. Kontakten är sparad.\n", "\nStopped. The contact is saved.\n"));

  // Follow-up assessments: only after the question was asked.
  if (CodeOf(walk.session, "safe_to_ask") != "yes") return kExitOk;
  auto stopped = [&]() {
    io.err << Tr(
        io.lang,
        "\nKontakten är sparad; uppföljande bedömningar kan startas med 'screening assess'.\n",
        "\nThe contact is saved; follow-up assessments can be started with 'screening assess'.\n");
    return kExitOk;
  };
  int code = kExitOk;
  if (Recommended(result, "danger_assessment")) {
    auto done = OfferFollowUp(io, input, form, db, directory, walk, saved->contact_id, "farlighet",
                              "adult_victim",
                              Tr(io.lang, "Starta en farlighetsbedömning (farlighet) för personen?",
                                 "Start a danger assessment (farlighet) for the person?"));
    if (!done) return stopped();
    code = std::max(code, *done);
  }
  if (Recommended(result, "barn_assessment")) {
    const auto& answers = walk.session.answers().answers();
    std::int64_t children = 1;
    if (auto it = answers.find("children_count");
        it != answers.end() && it->second.value_case() == v1::AnswerValue::kInteger &&
        it->second.integer() > 0) {
      children = it->second.integer();
    }
    for (std::int64_t child = 1; child <= children; ++child) {
      const std::string question = std::string(Tr(io.lang, "Starta en bedömning (barn) för barn ",
                                                  "Start an assessment (barn) for child ")) +
                                   std::to_string(child) + Tr(io.lang, " av ", " of ") +
                                   std::to_string(children) + "?";
      auto done = OfferFollowUp(io, input, form, db, directory, walk, saved->contact_id, "barn",
                                "child", question);
      if (!done) return stopped();
      code = std::max(code, *done);
    }
  }
  io.out << "\n";
  auto uses_violence = form.AskYesNo(
      Tr(io.lang, "Framkom det att personen själv använder våld mot någon närstående?",
         "Did it emerge that the person uses violence against someone close?"));
  if (!uses_violence) return stopped();
  if (*uses_violence) {
    ShowPerpetratorResources(io, directory);
    auto done = OfferFollowUp(
        io, input, form, db, directory, walk, saved->contact_id, "utovare", "perpetrator",
        Tr(io.lang, "Starta en bedömning (utovare) för personen som använder våld?",
           "Start an assessment (utovare) for the person who uses violence?"));
    if (!done) return stopped();
    code = std::max(code, *done);
  }
  return code;
}

// ------------------------------------------------------------------ the command

std::string IntakeCommand::summary(std::string_view lang) const {
  return Tr(lang, "Rutinfrågan om våld vid en ny kontakt (interaktiv eller från fil)",
            "The routine question about violence at a new contact (interactive or from a file)");
}

int IntakeCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::string unit;
  std::string case_ref;
  std::string answers_path;
  std::string not_asked;
  std::string note;
  std::string children;
  std::string date;
  std::string format = "text";
  StdinArguments hidden;
  DbFlags flags;
  CommandLine command_line;
  command_line.name = std::string(kName);
  command_line.description = [this](std::string_view lang) {
    return summary(lang) + "\n\n" +
           Tr(lang,
              "Utan --answers och --not-asked frågar kommandot på terminalen: först om frågan kan "
              "ställas säkert (annars varför inte), sedan frågorna i rutinfraga, utfallet, nästa "
              "steg med tidsfrister och stödresurser. Kontakten och svaren sparas tillsammans; "
              "därefter erbjuds farlighetsbedömning, bedömning för varje barn och bedömning av "
              "den som använder våld. Svaren sparas som utkast efter varje fråga: Ctrl-C eller "
              "slut på indata lämnar ett utkast att fortsätta med 'screening draft resume ID'. "
              "Med --password-stdin är första raden på standard in lösenordet och resten svaren.",
              "Without --answers and --not-asked the command asks on the terminal: first whether "
              "the question can be asked safely (and if not, why), then the rutinfraga questions, "
              "the outcome, the next steps with deadlines and support resources. The contact and "
              "the answers are saved together; then a danger assessment, an assessment for each "
              "child and an assessment of a person who uses violence are offered. The answers are "
              "saved as a draft after every question: Ctrl-C or the end of input leaves a draft to "
              "continue with 'screening draft resume ID'. With --password-stdin the first line of "
              "standard input is the password and the rest are the answers.");
  };
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    app.add_option("--unit", unit,
                   Tr(lang, "Enheten (t.ex. ifo_vuxen)", "The unit (e.g. ifo_vuxen)"))
        ->required()
        ->type_name(Tr(lang, "ENHET", "UNIT"));
    hidden.AddCase(app, lang, &case_ref,
                   Tr(lang, "Ärendets referens i verksamhetssystemet (aldrig ett personnummer)",
                      "The case's reference in the case system (never a personal identity number)"),
                   true);
    app.add_option("--answers", answers_path,
                   Tr(lang, "Svar på rutinfraga som JSON (som för score), '-' för standard in",
                      "Answers to rutinfraga as JSON (as for score), '-' for standard input"))
        ->type_name(Tr(lang, "FIL|-", "FILE|-"));
    app.add_option("--not-asked", not_asked,
                   Tr(lang, "Frågan ställdes inte, med skälet",
                      "The question was not asked, for this reason"))
        ->check(OneOf({"not_alone", "relative_interpreter", "no_private_room", "acute_crisis",
                       "child_present", "other"}))
        ->type_name(
            "not_alone|relative_interpreter|no_private_room|acute_crisis|child_present|other");
    hidden.AddText(app, lang, "--note", &note,
                   Tr(lang, "Med --not-asked other: skälet i korthet, utan personuppgifter",
                      "With --not-asked other: the reason in brief, without personal details"),
                   {"skälet", "the reason"},
                   {"Varför frågan inte ställdes (i korthet, utan personuppgifter)",
                    "Why the question was not asked (in brief, without personal details)"},
                   false);
    app.add_option("--children", children,
                   Tr(lang, "Med --not-asked: finns barn under 18 i hushållet",
                      "With --not-asked: are there children under 18 in the household"))
        ->check(OneOf({"yes", "no", "unknown"}))
        ->type_name("yes|no|unknown");
    app.add_option(
           "--date", date,
           Tr(lang, "Kontaktens datum (standard i dag)", "The contact's date (default today)"))
        ->type_name(Tr(lang, "ÅÅÅÅ-MM-DD", "YYYY-MM-DD"));
    app.add_option("--format", format,
                   Tr(lang, "Utdata med --answers/--not-asked (standard text)",
                      "Output with --answers/--not-asked (default text)"))
        ->check(OneOf({"text", "json"}))
        ->type_name("text|json");
  };
  // The values from standard input are checked after the checks below (which say which of
  // them are required), so the preamble's halves are called apart.
  if (auto code = Parse(args, io, std::move(command_line), Preamble(), &flags)) return *code;
  if (!answers_path.empty() && !not_asked.empty()) {
    return UsageError(io, kName,
                      Tr(io.lang, "ange antingen --answers eller --not-asked, inte båda",
                         "give either --answers or --not-asked, not both"));
  }
  if (not_asked.empty() && (hidden.Given("--note") || !children.empty())) {
    return UsageError(io, kName,
                      Tr(io.lang, "--note och --children hör till --not-asked",
                         "--note and --children go with --not-asked"));
  }
  if (!not_asked.empty() && children.empty()) {
    return UsageError(io, kName,
                      Tr(io.lang, "--not-asked kräver --children yes|no|unknown",
                         "--not-asked needs --children yes|no|unknown"));
  }
  if (not_asked == "other" && !hidden.Given("--note") && !io.interactive) {
    return UsageError(io, kName,
                      Tr(io.lang, "--not-asked other kräver --note eller --note-stdin",
                         "--not-asked other needs --note or --note-stdin"));
  }
  if (!not_asked.empty() && not_asked != "other" && hidden.Given("--note")) {
    return UsageError(io, kName,
                      Tr(io.lang, "--note hör bara till --not-asked other",
                         "--note goes only with --not-asked other"));
  }
  hidden.SetRequired("--note", not_asked == "other");
  if (auto code = hidden.Check(io, kName, answers_path == "-" ? "--answers -" : "")) return *code;
  if (!date.empty() && !LooksLikeDate(date)) {
    return UsageError(io, kName, Tr(io.lang, "--date: ange ÅÅÅÅ-MM-DD", "--date: give YYYY-MM-DD"));
  }
  if (date.empty()) date = SwedishToday();
  const bool interactive = answers_path.empty() && not_asked.empty();

  DbSession db;
  if (auto code = Open(io, kName, Preamble().WithStdinArguments(&hidden), flags, &db)) return *code;
  auto routine = RoutineInstrument(*db.registry);
  if (routine.status().code() == StatusCode::kNotFound) {
    return Failure(io, kName,
                   Tr(io.lang, "instrumentet rutinfraga är inte installerat",
                      "the instrument rutinfraga is not installed"));
  }
  if (!routine.ok()) return Failure(io, kName, routine.status().message());
  const std::shared_ptr<const Instrument> instrument = *routine;
  auto directory = LoadDirectoryFor(io, *db.registry);
  if (!directory.ok()) return Failure(io, kName, directory.status().message());

  if (interactive) {
    // Refused at once, not after the questions (the store refuses it again when saving).
    if (Status st = CheckCaseReference(case_ref); !st.ok()) {
      return Failure(
          io, kName,
          std::string(Tr(io.lang, "inget sparades: ", "nothing was saved: ")) + st.message());
    }
    TerminalInput input(io);
    return RunIntakeWalk(io, kName, input, db, directory->get(),
                         {unit, case_ref, date, Session(instrument), std::nullopt, false});
  }

  // Non-interactive: the whole intake at once, or nothing.
  Session session(instrument);
  if (!answers_path.empty()) {
    auto text = ReadInput(answers_path, io);
    if (!text.ok()) return Failure(io, kName, text.status().message());
    auto parsed = ParseAnswersJson(instrument, *text);
    if (!parsed.ok()) return Failure(io, kName, parsed.status().message());
    session = std::move(*parsed);
  } else {
    Status st = session.SetCode("safe_to_ask", "no");
    if (st.ok()) st = session.SetCode("not_asked_reason", not_asked);
    if (st.ok() && !note.empty()) st = session.SetNote("not_asked_reason", note);
    if (st.ok()) st = session.SetCode("children_in_household", children);
    if (!st.ok()) return Failure(io, kName, st.message());
  }
  if (Status st = session.CheckFinishable(); !st.ok()) {
    return Failure(io, kName,
                   std::string(Tr(io.lang, "svaren är ofullständiga, inget sparades: ",
                                  "the answers are incomplete, nothing was saved: ")) +
                       st.message());
  }
  EvaluateOptions evaluate;
  evaluate.lang = io.lang;
  evaluate.directory = directory->get();
  auto result = Evaluate(session, evaluate);
  if (!result.ok()) return Failure(io, kName, result.status().message());
  auto saved = db.store->RecordIntake(
      db.actor, IntakeOf(unit, case_ref, date, io.lang, std::nullopt), session);
  if (!saved.ok()) return Failure(io, kName, IntakeRefusal(io, saved.status()));
  const ContactInput& contact = saved->contact;
  if (format == "json") {
    nlohmann::ordered_json out;
    out["contact_id"] = saved->contact_id;
    out["assessment_id"] = saved->assessment_id;
    out["outcome"] = contact.outcome;
    if (!contact.not_asked_reason.empty()) out["not_asked_reason"] = contact.not_asked_reason;
    out["violence_types"] = contact.violence_types;
    out["result"] = nlohmann::ordered_json::parse(ResultToJson(*result));
    out["follow_up"] = FollowUpHints(*result, unit, case_ref);
    io.out << out.dump() << "\n";
    return kExitOk;
  }
  io.out << ResultToText(*result, *instrument, io.lang, directory->get())
         << Tr(io.lang, "Sparat: kontakt ", "Saved: contact ") << saved->contact_id
         << Tr(io.lang, ", rutinfrågan som bedömning ", ", the routine question as assessment ")
         << saved->assessment_id
         << Tr(io.lang, " (skickad för granskning).\n", " (submitted for review).\n");
  const auto hints = FollowUpHints(*result, unit, case_ref);
  if (!hints.empty()) {
    io.out << Tr(io.lang, "Uppföljande bedömningar:\n", "Follow-up assessments:\n");
    for (const auto& hint : hints) io.out << "  " << hint << "\n";
  }
  return kExitOk;
}

}  // namespace screening::cli
