#include "app_state.h"

#include <cstdlib>

#include "i18n.h"
#include "labels.h"

namespace screening::desktop {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

bool ParseInt(const std::string& text, int* out) {
  if (text.empty() || text.size() > 9) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

}  // namespace

Result<DesktopConfig> ConfigFromArguments(const std::vector<std::string>& args) {
  DesktopConfig c;
  std::string lang = Env("SCREENING_LANG");
  c.lang = lang == "en" ? "en" : "sv";
  c.database = DefaultDatabasePath();  // $SCREENING_DB, else the XDG data folder
  c.audit_key = Env("SCREENING_AUDIT_KEY");
  c.instruments = DefaultInstrumentsDirectory();
  c.user = Env("SCREENING_USER");
  if (c.user.empty()) c.user = OsLoginName();
  std::string lock = Env("SCREENING_LOCK_AFTER");
  const std::string cost = Env("SCREENING_PASSWORD_COST");

  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--startup-probe") {
      c.startup_probe = true;
    } else if (a == "--lang" || a == "--db" || a == "--audit-key" || a == "--instruments" ||
               a == "--user" || a == "--lock-after") {
      if (!value(&v)) {
        return Status::InvalidArgument(T(c.lang, "värde saknas efter ", "missing value after ") +
                                       a);
      }
      if (a == "--lang") {
        if (v != "sv" && v != "en") {
          return Status::InvalidArgument(
              T(c.lang, "--lang ska vara sv eller en", "--lang must be sv or en"));
        }
        c.lang = v;
      } else if (a == "--db") {
        c.database = v;
      } else if (a == "--audit-key") {
        c.audit_key = v;
      } else if (a == "--instruments") {
        c.instruments = v;
      } else if (a == "--user") {
        c.user = v;
      } else {
        lock = v;
      }
    } else if (a.rfind("-platform", 0) == 0 || a.rfind("-style", 0) == 0) {
      ++i;  // Qt's own options, handled by QApplication
    } else {
      return Status::InvalidArgument(T(c.lang, "okänt argument: ", "unknown argument: ") + a);
    }
  }
  if (!lock.empty()) {
    int seconds = 0;
    if (!ParseInt(lock, &seconds) || seconds < 10) {
      return Status::InvalidArgument(T(c.lang,
                                       "låstiden (--lock-after, SCREENING_LOCK_AFTER) ska vara "
                                       "ett antal sekunder, minst 10",
                                       "the lock time (--lock-after, SCREENING_LOCK_AFTER) must "
                                       "be a number of seconds, at least 10"));
    }
    c.lock_after_seconds = seconds;
  }
  if (!cost.empty()) {
    if (cost != "0" && cost != "1" && cost != "2") {
      return Status::InvalidArgument(T(c.lang, "SCREENING_PASSWORD_COST ska vara 0, 1 eller 2",
                                       "SCREENING_PASSWORD_COST must be 0, 1 or 2"));
    }
    c.password_cost = cost[0] - '0';
  }
  return c;
}

Status AppState::Open() {
  const std::string& lang = Language();
  Diagnostics diagnostics;
  auto registry = Registry::LoadDirectory(config_.instruments, &diagnostics);
  if (!registry.ok()) {
    return Status(
        registry.status().code(),
        T(lang, "kunde inte läsa instrumentmappen ", "could not load the instruments folder ") +
            config_.instruments.string() + ": " + registry.status().message());
  }
  registry_ = *registry;
  auto directory =
      Directory::LoadDirectory(registry_->directory(), *registry_->vocabulary(), &diagnostics);
  if (!directory.ok()) {
    return Status(
        directory.status().code(),
        T(lang, "kunde inte läsa stödkatalogen i ", "could not load the support directory in ") +
            config_.instruments.string() + ": " + directory.status().message());
  }
  directory_ = *directory;
  std::error_code ec;
  if (!std::filesystem::exists(config_.database, ec)) {
    return Status::NotFound(
        T(lang, "det finns ingen databas på ", "there is no database at ") +
        config_.database.string() +
        T(lang, " (skapa en med 'screening init')", " (create one with 'screening init')"));
  }
  StoreOptions options;
  options.audit_key_file = config_.audit_key;
  options.password_cost = config_.password_cost;
  auto store = OpenSqliteStore(config_.database, registry_, options);
  if (!store.ok()) {
    return Status(store.status().code(),
                  Describe(T(lang, "kunde inte öppna databasen ", "could not open the database ") +
                               config_.database.string(),
                           store.status(), lang));
  }
  store_ = std::move(*store);
  return Status::Ok();
}

Status AppState::LogIn(const std::string& user, std::string* password) {
  const std::string& lang = Language();
  actor_.reset();
  if (user.empty()) {
    WipeSecret(password);
    return Status::InvalidArgument(T(lang, "ange ditt användarnamn", "enter your user name"));
  }
  if (password->empty() && user == OsLoginName()) {
    auto actor = store_->LoginTrusted(user);
    if (actor.ok()) {
      actor_ = std::make_unique<Actor>(std::move(*actor));
      return Status::Ok();
    }
  }
  if (password->empty()) {
    return Status::InvalidArgument(T(lang, "ange ditt lösenord", "enter your password"));
  }
  auto actor = store_->Login(user, *password);
  WipeSecret(password);
  if (!actor.ok()) {
    if (actor.status().code() == StatusCode::kPermissionDenied) {
      return Status::PermissionDenied(
          T(lang, "inloggningen nekades (okänd användare, fel lösenord eller låst konto)",
            "login refused (unknown user, wrong password or locked account)"));
    }
    return Status(
        actor.status().code(),
        Describe(T(lang, "inloggningen misslyckades", "login failed"), actor.status(), lang));
  }
  actor_ = std::make_unique<Actor>(std::move(*actor));
  return Status::Ok();
}

Status AppState::ChangeOwnPassword(std::string* current, std::string* fresh) {
  const std::string& lang = Language();
  if (actor_ == nullptr) {
    WipeSecret(current);
    WipeSecret(fresh);
    return Status::FailedPrecondition("not logged in");
  }
  const std::string user = actor_->name;
  Status st = store_->SetPassword(*actor_, user, *current, *fresh);
  WipeSecret(current);
  if (!st.ok()) {
    WipeSecret(fresh);
    return Status(st.code(), Describe(T(lang, "lösenordet kunde inte bytas",
                                        "the password could not be changed"),
                                      st, lang));
  }
  auto actor = store_->Login(user, *fresh);
  WipeSecret(fresh);
  if (!actor.ok()) {
    actor_.reset();
    return Status(
        actor.status().code(),
        Describe(T(lang, "inloggningen misslyckades", "login failed"), actor.status(), lang));
  }
  actor_ = std::make_unique<Actor>(std::move(*actor));
  return Status::Ok();
}

Status AppState::Unlock(std::string* password) {
  if (actor_ == nullptr) {
    WipeSecret(password);
    return Status::FailedPrecondition("not logged in");
  }
  const std::string user = actor_->name;
  auto previous = std::move(actor_);
  Status st = LogIn(user, password);
  if (!st.ok()) actor_ = std::move(previous);  // still locked; the caller keeps the lock
  return st;
}

}  // namespace screening::desktop
