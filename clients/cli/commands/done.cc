#include "commands/done.h"

#include <ostream>

#include <screening/store.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/db_support.h"
#include "commands/followup_support.h"

namespace screening::cli {
namespace {

constexpr std::string_view kName = "screening done";

}  // namespace

std::string DoneCommand::summary(std::string_view lang) const {
  return Tr(lang, "Markera en uppföljning som klar", "Mark a follow-up item done");
}

int DoneCommand::Run(const std::vector<std::string>& args, Io& io) {
  std::int64_t id = 0;
  CommandLine command_line = CommandLineWithDetails(
      *this, std::string(kName),
      "ID är uppföljningens nummer i 'screening due'. Vem som markerade och när "
      "sparas och loggas. Handläggare och arbetsledare i ärendets enhet.",
      "ID is the item's number in 'screening due'. Who marked it and when is kept "
      "and logged. Caseworkers and supervisors of the case's unit.");
  command_line.configure = [&](CLI::App& app, std::string_view lang) {
    AddIdArgument(app, &id, Tr(lang, "Uppföljningens id", "The follow-up item's id"));
  };
  DbSession db;
  if (auto code = ParseAndOpen(args, io, command_line, Preamble(), &db)) return *code;
  const std::string item =
      std::string(Tr(io.lang, "uppföljning ", "follow-up item ")) + std::to_string(id);
  if (Status st = db.store->MarkDone(db.actor, id); !st.ok()) {
    std::string what = std::string(Tr(io.lang, "kunde inte markera ", "could not mark ")) + item;
    if (st.code() == StatusCode::kFailedPrecondition) {
      return Failure(io, kName, item + Tr(io.lang, " är redan klar", " is done already"));
    }
    return Failure(io, kName, Describe(io, what, st));
  }
  io.out << "ok: " << item << Tr(io.lang, " är klar\n", " is done\n");
  return kExitOk;
}

}  // namespace screening::cli
