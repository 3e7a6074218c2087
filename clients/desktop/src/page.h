// What every screen of the work area is, and how screens ask for another screen.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <QString>
#include <QWidget>

namespace screening::desktop {

class AppState;
struct NewContact;

// A screen in the main window's work area. The window recreates screens on navigation and
// on a language change, and calls Flush() before it hides or destroys one.
class Page : public QWidget {
  Q_OBJECT
 public:
  explicit Page(AppState* state, QWidget* parent = nullptr) : QWidget(parent), state_(state) {}
  // Saves whatever is pending (the autosaved draft). Called before hiding or closing.
  virtual void Flush() {}
  // The screen's name for the window title: never personal data.
  virtual QString Title() const = 0;

 protected:
  AppState* state_;
};

// Navigation requested by screens; implemented by the main window.
class Navigator {
 public:
  virtual ~Navigator() = default;
  virtual void OpenTodo() = 0;
  virtual void OpenNewContact() = 0;
  virtual void OpenAssessments() = 0;
  virtual void OpenReviewQueue() = 0;
  virtual void OpenIndicators() = 0;
  // The administrator's accounts and the supervisor's access to protected cases.
  virtual void OpenAccounts() = 0;
  virtual void OpenGrants() = 0;
  // An assessment version: editable when it is a draft or returned, else read-only.
  virtual void OpenAssessment(std::int64_t id) = 0;
  // The routine question of a new contact, kept in `contact` until the contact is saved (a
  // page rebuilt after a lock or a language change shows the same answers).
  virtual void OpenRoutine(std::shared_ptr<NewContact> contact) = 0;
  // A submitted assessment for a supervisor's review.
  virtual void OpenReview(std::int64_t id) = 0;
};

}  // namespace screening::desktop
