#include "commands/db_support.h"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <istream>
#include <ostream>

#include <screening/labels.h>
#include <sodium.h>
#include <CLI/CLI.hpp>

#include "commands/cli_support.h"
#include "commands/command.h"

namespace screening::cli {
namespace {

TerminalReader& TestReader() {
  static TerminalReader reader;
  return reader;
}

// The terminal's settings while echo is off, so a signal handler can restore them: a
// password prompt interrupted with Ctrl-C must not leave the terminal silent.
int g_tty_fd = -1;
struct termios g_saved_termios {};

extern "C" void RestoreTerminalAndReraise(int signal_number) {
  if (g_tty_fd >= 0) tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_termios);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// Reads one line from the controlling terminal with echo off.
Status ReadTerminal(Io& io, std::string_view prompt, Secret* secret) {
  const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    return Status::FailedPrecondition(Tr(
        io.lang,
        "det finns ingen terminal att fråga efter lösenordet på (se --help för flaggorna "
        "--…-stdin)",
        "there is no terminal to ask for the password on (see --help for the --…-stdin options)"));
  }
  struct termios saved {};
  const bool is_tty = tcgetattr(fd, &saved) == 0;
  struct sigaction old_int {
  }, old_term{}, old_hup{}, old_quit{};
  if (is_tty) {
    g_saved_termios = saved;
    g_tty_fd = fd;
    struct sigaction restore {};
    restore.sa_handler = RestoreTerminalAndReraise;
    sigemptyset(&restore.sa_mask);
    sigaction(SIGINT, &restore, &old_int);
    sigaction(SIGTERM, &restore, &old_term);
    sigaction(SIGHUP, &restore, &old_hup);
    sigaction(SIGQUIT, &restore, &old_quit);
    struct termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &silent);
  }
  // The prompt only once echo is off: TCSAFLUSH drops what was typed before it, so a
  // password typed as soon as the prompt showed must not be typed before the switch.
  io.err << prompt << std::flush;
  secret->Clear();
  bool too_long = false;
  bool got_line = false;
  char c = 0;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (c == '\n') {
      got_line = true;
      break;
    }
    if (!secret->Append(c)) too_long = true;
  }
  sodium_memzero(&c, sizeof c);
  if (is_tty) {
    // TCSANOW: what is typed after the password (the next answer) is kept.
    tcsetattr(fd, TCSANOW, &saved);
    g_tty_fd = -1;
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGHUP, &old_hup, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
  }
  ::close(fd);
  io.err << "\n" << std::flush;
  if (too_long) {
    secret->Clear();
    return Status::InvalidArgument(
        Tr(io.lang, "lösenordet är för långt", "the password is too long"));
  }
  if (!got_line && secret->empty()) {
    return Status::InvalidArgument(Tr(io.lang, "inget lösenord angavs", "no password was given"));
  }
  return Status::Ok();
}

std::string EnvOr(const Io& io, std::string_view name) {
  auto value = io.GetEnv(name);
  return value ? *value : std::string();
}

}  // namespace

// ------------------------------------------------------------------ reading secrets

void SetTerminalReaderForTesting(TerminalReader reader) { TestReader() = std::move(reader); }

Status ReadSecretLine(Io& io, Secret* secret) {
  secret->Clear();
  bool too_long = false;
  bool got_any = false;
  char c = 0;
  while (io.in.get(c)) {
    got_any = true;
    if (c == '\n') break;
    if (!secret->Append(c)) too_long = true;
  }
  sodium_memzero(&c, sizeof c);
  if (too_long) {
    secret->Clear();
    return Status::InvalidArgument(
        Tr(io.lang, "raden på standard in är för lång", "the line on standard input is too long"));
  }
  if (!got_any) {
    return Status::InvalidArgument(Tr(io.lang, "standard in tog slut innan lösenordet",
                                      "standard input ended before the password"));
  }
  // A line written on Windows ends in "\r\n": the '\r' is not part of the password.
  if (!secret->empty() && secret->view().back() == '\r') secret->PopBack();
  return Status::Ok();
}

Status AskSecret(Io& io, std::string_view prompt, Secret* secret) {
  if (TestReader()) return TestReader()(io, prompt, secret);
  return ReadTerminal(io, prompt, secret);
}

Status AskNewSecret(Io& io, std::string_view prompt, std::string_view repeat_prompt,
                    Secret* secret) {
  if (Status st = AskSecret(io, prompt, secret); !st.ok()) return st;
  Secret again;
  if (Status st = AskSecret(io, repeat_prompt, &again); !st.ok()) {
    secret->Clear();
    return st;
  }
  if (!(*secret == again)) {
    secret->Clear();
    return Status::InvalidArgument(
        Tr(io.lang, "lösenorden stämmer inte överens", "the passwords do not match"));
  }
  return Status::Ok();
}

Status GetSecret(Io& io, bool from_stdin, std::string_view prompt, std::string_view repeat_prompt,
                 Secret* secret) {
  Status st = from_stdin              ? ReadSecretLine(io, secret)
              : repeat_prompt.empty() ? AskSecret(io, prompt, secret)
                                      : AskNewSecret(io, prompt, repeat_prompt, secret);
  if (!st.ok()) return st;
  if (secret->empty()) {
    return Status::InvalidArgument(Tr(io.lang, "lösenordet är tomt", "the password is empty"));
  }
  return Status::Ok();
}

// ------------------------------------------------------------------ paths and users

std::filesystem::path DatabasePath(const Io& io) {
  if (!io.global.db.empty()) return io.global.db;
  if (auto db = io.GetEnv("SCREENING_DB"); db && !db->empty()) return *db;
  return DefaultDatabasePath();
}

std::string ActingUser(const Io& io) {
  if (!io.global.user.empty()) return io.global.user;
  if (auto user = io.GetEnv("SCREENING_USER"); user && !user->empty()) return *user;
  return OsLoginName();
}

std::filesystem::path AuditKeyPath(const Io& io, const std::string& flag) {
  if (!flag.empty()) return flag;
  if (auto key = io.GetEnv("SCREENING_AUDIT_KEY"); key && !key->empty()) return *key;
  // The library's default, computed here so that `init` can say where the key is.
  const std::string xdg = EnvOr(io, "XDG_CONFIG_HOME");
  if (!xdg.empty()) return std::filesystem::path(xdg) / "screening" / "audit.key";
  const std::string home = EnvOr(io, "HOME");
  if (!home.empty()) return std::filesystem::path(home) / ".config" / "screening" / "audit.key";
  return {};  // the library decides
}

Result<StoreOptions> StoreOptionsFor(const Io& io, const std::string& audit_key_flag) {
  StoreOptions options;
  options.audit_key_file = AuditKeyPath(io, audit_key_flag);
  if (auto cost = io.GetEnv("SCREENING_PASSWORD_COST"); cost && !cost->empty()) {
    if (*cost != "0" && *cost != "1" && *cost != "2") {
      return Status::InvalidArgument(Tr(io.lang, "SCREENING_PASSWORD_COST ska vara 0, 1 eller 2",
                                        "SCREENING_PASSWORD_COST must be 0, 1 or 2"));
    }
    options.password_cost = (*cost)[0] - '0';
  }
  return options;
}

void AddDbOptions(CLI::App& app, std::string_view lang, DbFlags* flags, bool password,
                  bool new_password) {
  if (password) {
    app.add_flag("--password-stdin", flags->password_stdin,
                 Tr(lang,
                    "Läs ditt lösenord från första raden på standard in i stället för att "
                    "fråga på terminalen",
                    "Read your password from the first line of standard input instead of "
                    "asking on the terminal"));
  }
  if (password && new_password) {
    app.add_flag("--new-password-stdin", flags->new_password_stdin,
                 Tr(lang,
                    "Byt ditt lösenord när du loggar in: första raden på standard in är det "
                    "nuvarande lösenordet, andra raden det nya (krävs första gången efter ett "
                    "lösenord som en administratör har satt)",
                    "Change your password as you log in: the first line of standard input is "
                    "the current password, the second the new one (needed the first time after "
                    "a password an administrator set)"));
  }
  app.add_option("--audit-key", flags->audit_key,
                 Tr(lang,
                    "Granskningsnyckelns fil (standard $SCREENING_AUDIT_KEY, annars "
                    "~/.config/screening/audit.key)",
                    "The audit key file (default $SCREENING_AUDIT_KEY, else "
                    "~/.config/screening/audit.key)"))
      ->type_name(Tr(lang, "FIL", "FILE"));
}

void AddReadOnlyOption(CLI::App& app, std::string_view lang, DbFlags* flags) {
  app.add_flag("--read-only", flags->read_only,
               Tr(lang,
                  "Öppna databasfilen skrivskyddat och skriv ingenting (ingen händelse, inga "
                  "-wal/-shm-filer): en bevarad kopia förblir oförändrad",
                  "Open the database file read-only and write nothing (no event, no -wal/-shm "
                  "files): an evidence copy stays unchanged"));
}

// ------------------------------------------------------------------ opening

namespace {

// Says on standard error when installed instrument versions are not accepted by the
// database: assessments on them cannot be submitted until an administrator pins them.
void NoteUnpinned(Io& io, DbSession& session) {
  // A one-time password allows nothing else (`user passwd` replacing it): no note then.
  if (session.actor.must_change_password) return;
  auto unpinned = session.store->UnpinnedInstruments(session.actor);
  if (!unpinned.ok() || unpinned->empty()) return;
  std::string list;
  bool conflict = false;
  for (const InstrumentPinState& p : *unpinned) {
    list += (list.empty() ? "" : ", ") + p.instrument_id + " " + p.version;
    conflict = conflict || p.conflict();
  }
  io.err << Tr(io.lang, "Obs: de här instrumentversionerna är inte godkända i databasen: ",
               "Note: these instrument versions are not accepted by the database: ")
         << list
         << (conflict
                 ? Tr(io.lang, " (minst en fil har ändrad logik under ett släppt versionsnummer)",
                      " (at least one file has changed logic under a released version)")
                 : "")
         << Tr(io.lang,
               ". Bedömningar på dem kan inte skickas in förrän en administratör kör "
               "'screening instruments pin'.\n",
               ". Assessments on them cannot be submitted until an administrator runs "
               "'screening instruments pin'.\n");
}

// The acting user chooses a new password as they log in (`--new-password-stdin`, or a
// one-time password an administrator set): from the next line of stdin, or asked twice at
// a terminal. Logs in again with it.
int ChooseNewPassword(Io& io, std::string_view name, const std::string& user, bool password_stdin,
                      bool new_password_stdin, DbSession* session) {
  if (session->actor.must_change_password) {
    if (password_stdin && !new_password_stdin) {
      session->password.Clear();
      return Failure(
          io, name,
          Tr(io.lang,
             "lösenordet är satt av en administratör och gäller bara en inloggning: välj ett "
             "nytt först (--new-password-stdin: nuvarande lösenord på första raden av standard "
             "in, det nya på andra; eller kör kommandot på en terminal)",
             "the password was set by an administrator and is for one login only: choose a new "
             "one first (--new-password-stdin: the current password on the first line of "
             "standard input, the new one on the second; or run the command at a terminal)"));
    }
    if (!new_password_stdin) {
      io.err << Tr(io.lang,
                   "Lösenordet är satt av en administratör och gäller bara den här "
                   "inloggningen. Välj ett eget (minst 10 tecken).\n",
                   "The password was set by an administrator and is for this login only. "
                   "Choose your own (at least 10 characters).\n");
    }
  }
  Secret fresh;
  if (Status st = GetSecret(
          io, new_password_stdin,
          std::string(Tr(io.lang, "Nytt lösenord för ", "New password for ")) + user + ": ",
          Tr(io.lang, "Upprepa lösenordet: ", "Repeat the password: "), &fresh);
      !st.ok()) {
    session->password.Clear();
    return Failure(io, name, st.message());
  }
  Status changed =
      session->store->SetPassword(session->actor, user, session->password.view(), fresh.view());
  if (!changed.ok()) {
    session->password.Clear();
    return Failure(
        io, name,
        Describe(io, Tr(io.lang, "kunde inte byta lösenord", "could not change the password"),
                 changed));
  }
  auto again = session->store->Login(user, fresh.view());
  if (!again.ok()) {
    return Failure(
        io, name,
        Describe(io, Tr(io.lang, "inloggningen misslyckades", "login failed"), again.status()));
  }
  session->actor = std::move(*again);
  session->password.Assign(fresh);
  io.err << Tr(io.lang, "Lösenordet är bytt.\n", "The password is changed.\n");
  return kExitOk;
}

}  // namespace

int OpenDatabase(Io& io, std::string_view name, const DbFlags& flags, DbSession* session) {
  auto options = StoreOptionsFor(io, flags.audit_key);
  if (!options.ok()) return Failure(io, name, options.status().message());
  options->read_only = flags.read_only;
  const std::filesystem::path path = DatabasePath(io);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Failure(
        io, name,
        std::string(Tr(io.lang, "det finns ingen databas på ", "there is no database at ")) +
            path.string() +
            Tr(io.lang, " (skapa en med 'screening init')", " (create one with 'screening init')"));
  }
  auto registry = LoadRegistryOrReport(io, name);
  if (registry == nullptr) return kExitFailed;
  session->registry = registry;
  auto store = OpenSqliteStore(path, registry, *options);
  if (!store.ok()) {
    return Failure(io, name,
                   Describe(io,
                            std::string(Tr(io.lang, "kunde inte öppna databasen ",
                                           "could not open the database ")) +
                                path.string(),
                            store.status()));
  }
  session->store = std::move(*store);

  const std::string user = ActingUser(io);
  if (user.empty()) {
    return Failure(io, name,
                   Tr(io.lang, "vem som agerar är okänt (ange --user)",
                      "the acting user is unknown (give --user)"));
  }
  const bool password_stdin = flags.password_stdin || flags.new_password_stdin;
  if (!password_stdin && user == OsLoginName()) {
    auto actor = session->store->LoginTrusted(user);
    if (actor.ok()) {
      session->actor = std::move(*actor);
      session->trusted = true;
      NoteUnpinned(io, *session);
      return kExitOk;
    }
    // Not trusted: fall through to the password.
  }
  const std::string prompt =
      std::string(Tr(io.lang, "Lösenord för ", "Password for ")) + user + ": ";
  if (Status st = GetSecret(io, password_stdin, prompt, {}, &session->password); !st.ok()) {
    return Failure(io, name, st.message());
  }
  auto actor = session->store->Login(user, session->password.view());
  if (!actor.ok()) {
    session->password.Clear();
    if (actor.status().code() == StatusCode::kPermissionDenied) {
      return Failure(
          io, name,
          Tr(io.lang, "inloggningen nekades (okänd användare, fel lösenord eller låst konto)",
             "login refused (unknown user, wrong password or locked account)"));
    }
    return Failure(
        io, name,
        Describe(io, Tr(io.lang, "inloggningen misslyckades", "login failed"), actor.status()));
  }
  session->actor = std::move(*actor);
  const bool one_time = session->actor.must_change_password && !flags.changes_own_password;
  if (one_time || flags.new_password_stdin) {
    if (int code =
            ChooseNewPassword(io, name, user, password_stdin, flags.new_password_stdin, session);
        code != kExitOk) {
      return code;
    }
  }
  NoteUnpinned(io, *session);
  return kExitOk;
}

std::string Describe(const Io& io, std::string_view what, const Status& status) {
  return DescribeFailure(what, status, io.lang, FailureWords::kMessageUnlessDeniedOrBusy);
}

}  // namespace screening::cli
