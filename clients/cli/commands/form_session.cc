#include "commands/form_session.h"

#include <algorithm>
#include <cctype>
#include <ostream>

#include <screening/json.h>
#include <screening/registry.h>

#include "commands/cli_support.h"
#include "commands/command.h"
#include "commands/labels.h"

namespace screening::cli {

// ------------------------------------------------------------------ autosave

DraftAutosaver::DraftAutosaver(Store& store, const Actor& actor, AssessmentInput input,
                               std::optional<std::int64_t> existing_id)
    : store_(store), actor_(actor), input_(std::move(input)), id_(existing_id) {}

Status DraftAutosaver::Save(const Session& session) {
  if (id_) return store_.UpdateDraft(actor_, *id_, session);
  auto id = store_.CreateDraft(actor_, input_, session);
  if (!id.ok()) return id.status();
  id_ = *id;
  return Status::Ok();
}

std::string DraftSavedNotice(std::string_view lang, std::optional<std::int64_t> id) {
  if (!id) {
    return Tr(lang, "\nAvbrutet innan något svar gavs; inget sparades.\n",
              "\nStopped before any answer was given; nothing was saved.\n");
  }
  const std::string n = std::to_string(*id);
  return std::string(Tr(lang, "\nAvbrutet. Utkast ", "\nStopped. Draft ")) + n +
         Tr(lang, " är sparat med alla svar hittills; fortsätt med 'screening draft resume ",
            " is saved with every answer so far; continue with 'screening draft resume ") +
         n + "'.\n";
}

// ------------------------------------------------------------------ the case

std::string NoIntakeMessage(std::string_view lang) {
  return Tr(lang,
            "ärendet har ingen registrerad kontakt än (eller är inte öppet för dig), inget "
            "sparades; börja med rutinfrågan vid ny kontakt: 'screening intake --unit ENHET "
            "--case REF'",
            "the case has no intake yet (or is not open to you), nothing was saved; start with "
            "the routine question at a new contact: 'screening intake --unit UNIT --case REF'");
}

int CheckCaseOpen(Io& io, std::string_view name, DbSession& db, const std::string& unit,
                  const std::string& case_ref, std::optional<std::int64_t> subject) {
  auto people = db.store->Subjects(db.actor, unit, case_ref);
  if (people.status().code() == StatusCode::kNotFound) {
    return Failure(io, name, NoIntakeMessage(io.lang));
  }
  if (!people.ok()) {
    return Failure(io, name,
                   Describe(io,
                            Tr(io.lang, "bedömningen kunde inte påbörjas",
                               "the assessment could not be started"),
                            people.status()));
  }
  if (subject && std::none_of(people->begin(), people->end(),
                              [&](const SubjectRecord& p) { return p.id == *subject; })) {
    return Failure(io, name,
                   Tr(io.lang,
                      "personen (--subject) finns inte i ärendet, inget sparades; ange id:t från "
                      "'screening subject add'",
                      "the person (--subject) is not in the case, nothing was saved; give the id "
                      "from 'screening subject add'"));
  }
  return kExitOk;
}

// ------------------------------------------------------------------ directory and dates

Result<std::shared_ptr<const Directory>> LoadDirectoryFor(Io& io, const Registry& registry) {
  Diagnostics diagnostics;
  auto directory =
      Directory::LoadDirectory(registry.directory(), *registry.vocabulary(), &diagnostics);
  if (directory.ok()) return *directory;
  if (directory.status().code() == StatusCode::kNotFound) {
    return std::shared_ptr<const Directory>();
  }
  WriteDiagnostics(io.err, diagnostics);
  return directory.status();
}

bool LooksLikeDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  const int month = (text[5] - '0') * 10 + (text[6] - '0');
  const int day = (text[8] - '0') * 10 + (text[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// ------------------------------------------------------------------ one assessment

int RunAssessmentWalk(Io& io, std::string_view name, TerminalInput& input, DbSession& db,
                      const Directory* directory, AssessmentWalk walk) {
  const Instrument& instrument = walk.session.instrument();
  const std::string title = TextIn(instrument.definition().title(), io.lang);
  io.out << "\n"
         << title << " (" << instrument.id() << " " << instrument.version() << ") — "
         << Tr(io.lang, "ärende ", "case ") << walk.input.case_ref << ", "
         << Tr(io.lang, "enhet ", "unit ") << walk.input.unit << "\n";
  if (walk.draft_id) {
    io.out << Tr(io.lang, "Utkast ", "Draft ") << *walk.draft_id << ". ";
  }
  io.out << Tr(io.lang,
               "Svaren sparas efter varje fråga. ? visar hur en fråga besvaras, < går tillbaka, "
               "Ctrl-C avbryter (utkastet finns kvar).\n",
               "The answers are saved after every question. ? shows how to answer, < goes back, "
               "Ctrl-C stops (the draft is kept).\n");

  DraftAutosaver saver(*db.store, db.actor, walk.input, walk.draft_id);
  input.SetInterruptNotice(DraftSavedNotice(io.lang, saver.id()));
  FormOptions options;
  options.resume = walk.resume;
  options.autosave = [&](const Session& session) {
    Status st = saver.Save(session);
    if (st.ok()) input.SetInterruptNotice(DraftSavedNotice(io.lang, saver.id()));
    return st;
  };
  TerminalForm form(io, input, &walk.session, options);
  const FormEnd end = form.AskAll();
  if (end == FormEnd::kStopped) {
    io.err << DraftSavedNotice(io.lang, saver.id());
    return kExitFailed;
  }
  if (end == FormEnd::kFailed) {
    return Failure(io, name,
                   Tr(io.lang, "utkastet kunde inte sparas; de senast sparade svaren finns kvar",
                      "the draft could not be saved; the answers saved last are kept"));
  }
  // A walk that changed nothing still leaves a draft to come back to.
  if (!saver.id()) {
    if (Status st = saver.Save(walk.session); !st.ok()) {
      return Failure(
          io, name,
          Describe(io, Tr(io.lang, "kunde inte spara utkastet", "could not save the draft"), st));
    }
  }
  const std::int64_t id = *saver.id();

  EvaluateOptions evaluate;
  evaluate.lang = io.lang;
  evaluate.directory = directory;
  evaluate.subject_role = walk.subject_role;
  auto result = Evaluate(walk.session, evaluate);
  io.out << "\n";
  if (result.ok()) {
    io.out << ResultToText(*result, instrument, io.lang, directory);
  } else {
    io.out << Tr(io.lang, "Resultatet kan inte beräknas: ", "The result cannot be computed: ")
           << result.status().message() << "\n";
  }
  Status finishable = walk.session.CheckFinishable();
  if (!finishable.ok()) {
    io.out << "\n"
           << Tr(io.lang, "Utkast ", "Draft ") << id
           << Tr(io.lang, " är sparat men kan inte skickas ännu: ",
                 " is saved but cannot be submitted yet: ")
           << finishable.message() << "\n"
           << Tr(io.lang, "Fortsätt med 'screening draft resume ",
                 "Continue with 'screening draft resume ")
           << id << "'.\n";
    return walk.submit == SubmitChoice::kYes ? kExitFailed : kExitOk;
  }
  bool submit = walk.submit == SubmitChoice::kYes;
  if (walk.submit == SubmitChoice::kAsk) {
    io.out << "\n";
    auto answer = form.AskYesNo(Tr(io.lang, "Skicka bedömningen för granskning nu?",
                                   "Submit the assessment for review now?"));
    if (!answer) {
      io.err << DraftSavedNotice(io.lang, id);
      return kExitFailed;
    }
    submit = *answer;
  }
  if (!submit) {
    io.out << Tr(io.lang, "Utkast ", "Draft ") << id
           << Tr(io.lang, " är sparat; skicka det senare med 'screening draft resume ",
                 " is saved; submit it later with 'screening draft resume ")
           << id << "'.\n";
    return kExitOk;
  }
  if (Status st = db.store->Submit(db.actor, id); !st.ok()) {
    return Failure(
        io, name,
        Describe(io,
                 std::string(Tr(io.lang, "bedömning ", "assessment ")) + std::to_string(id) +
                     Tr(io.lang, " kunde inte skickas", " could not be submitted"),
                 st));
  }
  io.out << Tr(io.lang, "Bedömning ", "Assessment ") << id
         << Tr(io.lang, " är skickad för granskning.\n", " is submitted for review.\n");
  return kExitOk;
}

}  // namespace screening::cli
