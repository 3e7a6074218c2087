// The desktop's one window: the login view, the neutral locked view and the work area with
// its screens. It locks after the configured idle time, and the quick-hide key (F12 or
// Ctrl+Shift+H) switches at once to the neutral locked view. The title never carries
// personal data.
#pragma once

#include <functional>
#include <string>

#include <QMainWindow>
#include <QTimer>

#include "page.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QToolBar;

namespace screening::desktop {

class AppState;
class MessageLabel;

class MainWindow : public QMainWindow, public Navigator {
  Q_OBJECT
 public:
  explicit MainWindow(AppState* state, QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens the store (deferred until the window shows, so the window appears at once).
  void OpenStore();

  // Navigator.
  void OpenTodo() override;
  void OpenNewContact() override;
  void OpenAssessments() override;
  void OpenReviewQueue() override;
  void OpenIndicators() override;
  void OpenAccounts() override;
  void OpenGrants() override;
  void OpenAssessment(std::int64_t id) override;
  void OpenRoutine(std::shared_ptr<NewContact> contact) override;
  void OpenReview(std::int64_t id) override;

  // Saves pending work and shows the neutral locked view at once.
  void QuickHide();
  void Lock();
  void LogOut();
  void SetUiLanguage(const std::string& lang);

  // For tests, the screenshot tool and the benchmark.
  bool locked() const;
  bool on_login() const;
  bool ready() const { return ready_; }
  Page* page() const { return page_; }
  QLineEdit* login_user() const { return login_user_; }
  QLineEdit* login_password() const { return login_password_; }
  QPushButton* login_button() const { return login_button_; }
  MessageLabel* login_message() const { return login_message_; }
  QLineEdit* unlock_password() const { return unlock_password_; }
  // After a one-time password: the view asking for the user's own.
  bool on_new_password() const;
  QLineEdit* new_password() const { return new_password_; }
  QLineEdit* new_password_repeat() const { return new_password_repeat_; }
  MessageLabel* new_password_message() const { return new_password_message_; }
  // Installed instrument versions the database does not accept (shown after login).
  MessageLabel* work_message() const { return work_message_; }
  void SubmitLogin();
  void SubmitUnlock();
  void SubmitNewPassword();

 Q_SIGNALS:
  // The login view can be used (the store is open) or shows why not.
  void readyChanged();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  QWidget* BuildLogin();
  QWidget* BuildLock();
  QWidget* BuildWork();
  QWidget* BuildNewPassword();
  // Shows the work area after a login (and a new password, when one was needed).
  void EnterWork();
  void RebuildViews();
  void ShowPage(std::function<Page*()> factory);
  // Saves and removes the current screen.
  void DropPage();
  void OpenHome();
  void UpdateTitle();

  AppState* state_;
  bool ready_ = false;
  QStackedWidget* views_ = nullptr;
  QWidget* login_view_ = nullptr;
  QWidget* lock_view_ = nullptr;
  QWidget* work_view_ = nullptr;
  QWidget* new_password_view_ = nullptr;
  QLineEdit* new_password_ = nullptr;
  QLineEdit* new_password_repeat_ = nullptr;
  MessageLabel* new_password_message_ = nullptr;
  // The one-time password just used, kept (and wiped) only until the new one is chosen.
  std::string one_time_password_;
  MessageLabel* work_message_ = nullptr;
  QPushButton* nav_accounts_ = nullptr;
  QPushButton* nav_grants_ = nullptr;
  QStackedWidget* page_holder_ = nullptr;
  Page* page_ = nullptr;
  std::function<Page*()> page_factory_;
  QToolBar* toolbar_ = nullptr;
  QLineEdit* login_user_ = nullptr;
  QLineEdit* login_password_ = nullptr;
  QPushButton* login_button_ = nullptr;
  QComboBox* login_lang_ = nullptr;
  MessageLabel* login_message_ = nullptr;
  QLineEdit* unlock_password_ = nullptr;
  MessageLabel* unlock_message_ = nullptr;
  QLabel* user_label_ = nullptr;
  QTimer idle_;
};

}  // namespace screening::desktop
