// The administrator's accounts screen and the supervisor's access screen (docs/desktop.md):
// the account life cycle, the second person's confirmation, one-time passwords, pinning
// instrument versions, and grants to protected cases with an end date and their revocation.
// Every rule is the store's; these screens only ask and show its answer.
#pragma once

#include <vector>

#include <screening/store.h>

#include "page.h"

class QComboBox;
class QDateEdit;
class QCheckBox;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace screening::desktop {

class MessageLabel;

// Accounts (administrator): every account with its role, units and state; add one (with a
// one-time password), deactivate or reactivate, change the role, add or remove a unit,
// confirm what waits for a second person, set a one-time password; and accept (pin) the
// installed instrument versions.
class AccountsPage : public Page {
  Q_OBJECT
 public:
  explicit AccountsPage(AppState* state, QWidget* parent = nullptr);
  QString Title() const override;

  // For tests.
  QTableWidget* table() { return table_; }
  const std::vector<UserRecord>& users() const { return users_; }
  MessageLabel* message() { return message_; }
  QLineEdit* new_name() { return new_name_; }
  QComboBox* new_role() { return new_role_; }
  QComboBox* new_unit() { return new_unit_; }
  QLineEdit* new_password() { return new_password_; }
  QComboBox* role() { return role_; }
  QComboBox* unit() { return unit_; }
  QLineEdit* one_time_password() { return one_time_password_; }
  // Selects the account's row; false when it is not listed.
  bool Select(const std::string& name);
  void AddAccount();
  void SetActive(bool active);
  void ChangeRole();
  void ChangeUnit(bool member);
  void Confirm();
  void SetOneTimePassword();
  void PinInstruments();

 private:
  void Reload();
  // The selected account's name, or "" (with a message) when none is selected.
  std::string Selected();
  // Runs a change of the selected account and shows its outcome.
  void Report(const QString& what, const Status& status, const QString& done);

  QTableWidget* table_;
  MessageLabel* message_;
  MessageLabel* pins_;
  QLineEdit* new_name_;
  QComboBox* new_role_;
  QComboBox* new_unit_;
  QLineEdit* new_password_;
  QComboBox* role_;
  QComboBox* unit_;
  QLineEdit* one_time_password_;
  std::vector<UserRecord> users_;
};

// Access to protected cases (supervisor of the unit): grant a user access, up to and
// including an end date or until revoked, and revoke it, each with a reason.
class GrantsPage : public Page {
  Q_OBJECT
 public:
  explicit GrantsPage(AppState* state, QWidget* parent = nullptr);
  QString Title() const override;

  // For tests.
  QComboBox* unit() { return unit_; }
  QLineEdit* case_ref() { return case_ref_; }
  QLineEdit* user() { return user_; }
  QLineEdit* reason() { return reason_; }
  QCheckBox* has_end() { return has_end_; }
  QDateEdit* until() { return until_; }
  MessageLabel* message() { return message_; }
  void GrantAccess();
  void RevokeAccess();

 private:
  QComboBox* unit_;
  QLineEdit* case_ref_;
  QLineEdit* user_;
  QLineEdit* reason_;
  QCheckBox* has_end_;
  QDateEdit* until_;
  MessageLabel* message_;
};

}  // namespace screening::desktop
