// What the desktop's screens share: the configuration (same sources and rules as the CLI),
// the loaded instruments and directory, the open store and the logged-in actor.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <screening/directory.h>
#include <screening/os_user.h>
#include <screening/registry.h>
#include <screening/secrets.h>
#include <screening/status.h>
#include <screening/store.h>

namespace screening::desktop {

struct DesktopConfig {
  // `--db`, else $SCREENING_DB, else ~/.local/share/screening/screening.db (the CLI's).
  std::filesystem::path database;
  // `--audit-key`, else $SCREENING_AUDIT_KEY, else the library's default.
  std::filesystem::path audit_key;
  // `--instruments`, else $SCREENING_INSTRUMENTS, else the library's default folder.
  std::filesystem::path instruments;
  // $SCREENING_PASSWORD_COST: 0 (tests only), 1 or 2.
  int password_cost = 2;
  // Seconds without keyboard or mouse input before the window locks (`--lock-after`,
  // $SCREENING_LOCK_AFTER); default five minutes.
  int lock_after_seconds = 300;
  // `--lang`, else $SCREENING_LANG, else Swedish.
  std::string lang = "sv";
  // `--user`, else $SCREENING_USER, else the OS login name: prefilled in the login window.
  std::string user;
  // `--startup-probe`: print the milliseconds to a usable login window and quit (bench).
  bool startup_probe = false;
};

// Reads the configuration from the command line and the environment. kInvalidArgument
// names the offending option (in `lang` of the result when known, else Swedish) for an
// unknown option, a missing value, a bad language, cost or lock time.
Result<DesktopConfig> ConfigFromArguments(const std::vector<std::string>& args);

class AppState {
 public:
  explicit AppState(DesktopConfig config) : config_(std::move(config)) {}

  // Loads the instruments and the directory and opens the database (never creates one).
  // Failure: one line in the UI language naming what and where.
  Status Open();
  bool is_open() const { return store_ != nullptr; }

  // Logs in like the CLI: the OS user on a workstation that trusts the OS login needs no
  // password; anyone else gives a password. Failure is one line in the UI language.
  Status LogIn(const std::string& user, std::string* password);
  // Checks the password of the logged-in user again (unlocking a locked window).
  Status Unlock(std::string* password);
  // The logged-in user chooses a new password (after a one-time password an administrator
  // set: the store allows nothing else until then), and is logged in again with it. Wipes
  // both. On failure the user stays logged in as before.
  Status ChangeOwnPassword(std::string* current, std::string* fresh);
  void LogOut() { actor_.reset(); }
  bool logged_in() const { return actor_ != nullptr; }

  const DesktopConfig& config() const { return config_; }
  const Registry& registry() const { return *registry_; }
  const std::shared_ptr<const Registry>& registry_ptr() const { return registry_; }
  const Directory* directory() const { return directory_.get(); }
  Store& store() { return *store_; }
  // Precondition: logged_in().
  const Actor& actor() const { return *actor_; }

 private:
  DesktopConfig config_;
  std::shared_ptr<const Registry> registry_;
  std::shared_ptr<const Directory> directory_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Actor> actor_;
};

}  // namespace screening::desktop
