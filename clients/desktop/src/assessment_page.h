// One assessment: the generated form, the live result with judgements, the client's estimate
// and an override, submission, the PDF summary and the discreet card; for a supervisor the review
// actions; and the history of versions. The draft is saved as the user works.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <QTimer>

#include <screening/directory.h>
#include <screening/session.h>
#include <screening/store.h>

#include "page.h"

class QComboBox;
class QDateEdit;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QVBoxLayout;

namespace screening::desktop {

class FormWidget;
class MessageLabel;

// The routine question of a new contact before the contact is saved. Only the contact opens a
// case (docs/store.md, "Opening a case") and a draft needs an opened case, so the answers are
// kept here, not as a draft; the window's page factory holds it, so a page rebuilt after a
// lock or a language change shows the same answers. Saving writes the contact and the routine
// question's record together.
struct NewContact {
  std::string unit;
  std::string case_ref;
  QString contact_date;
  std::shared_ptr<Session> session;
};

class AssessmentPage : public Page {
  Q_OBJECT
 public:
  enum class Mode {
    kOpen,     // editable when a draft or returned, else read-only
    kRoutine,  // the routine question of a new contact: finishing saves the contact
    kReview,   // a supervisor's review: read-only answers, review actions
  };

  AssessmentPage(AppState* state, Navigator* navigator, std::int64_t id, Mode mode,
                 const QString& contact_date = {}, QWidget* parent = nullptr);
  // The routine question of a new contact (Mode::kRoutine), not stored until it is saved.
  AssessmentPage(AppState* state, Navigator* navigator, std::shared_ptr<NewContact> contact,
                 QWidget* parent = nullptr);
  ~AssessmentPage() override;

  void Flush() override;
  QString Title() const override;

  // For tests and the screenshot tool: the parts the buttons drive.
  bool loaded() const { return session_ != nullptr; }
  bool editable() const { return editable_; }
  Session* session() { return session_.get(); }
  FormWidget* form() { return form_; }
  const AssessmentRecord& record() const { return record_; }
  // The last evaluation (nullopt when it failed).
  const std::optional<v1::Result>& result() const { return result_; }
  // Writes the case-record summary as PDF.
  Status SaveSummaryPdf(const QString& path);
  // The discreet card for the person in `lang` (the library's Directory::Card over the
  // result's resources), and the card written as PDF without the question (for tests and the
  // screenshot tool; the button asks first).
  Result<DiscreetCard> CardFor(const std::string& lang);
  Status SaveCardPdf(const QString& path, const std::string& lang);
  // Re-evaluates at once (normally debounced).
  void Reevaluate();
  MessageLabel* page_message() { return page_message_; }

 private:
  void StartTimers();
  void Build(const Instrument& instrument);
  void BuildError(const QString& text);
  // The result tab: the result with the role its support is shown for, the judgements, what
  // the mode offers (AddModeActions), the documents, and for a finished assessment a follow-up.
  QWidget* BuildResultTab();
  QHBoxLayout* BuildSupportRoleLine();
  // The judgements, the person's own estimate and the assessor's override.
  QWidget* BuildJudgements();
  void AddJudgement(QVBoxLayout* layout, const v1::Judgement& judgement);
  void AddClientEstimate(QVBoxLayout* layout);
  void AddOverride(QVBoxLayout* layout);
  // What each mode adds: kRoutine saving the contact, kOpen submitting a draft, kReview the
  // review actions.
  void AddModeActions(QVBoxLayout* layout);
  QWidget* BuildSaveContact();
  QWidget* BuildSubmit();
  QWidget* BuildReviewPanel();
  // Printing, the case summary as PDF, the discreet card and recording that support
  // information was given.
  QWidget* BuildDocuments();
  void SaveSummaryAs();
  void PrintSummary();
  void HandOutCard();
  void RecordSupportInformation();
  QWidget* BuildFollowUp();
  QWidget* BuildHistoryTab();
  void OnChanged();
  void UpdateProgress();
  void Submit();
  void SaveContact();
  void ShowMissing();

  Navigator* navigator_;
  std::int64_t id_;  // 0 for a new contact's routine question, not stored yet
  Mode mode_;
  QString contact_date_;
  AssessmentRecord record_;
  std::shared_ptr<Session> session_;
  std::optional<v1::Result> result_;
  bool editable_ = false;
  bool dirty_ = false;

  QTimer autosave_;
  QTimer evaluate_;
  QTabWidget* tabs_ = nullptr;
  FormWidget* form_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* progress_text_ = nullptr;
  QLabel* save_state_ = nullptr;
  QTextBrowser* result_view_ = nullptr;
  QComboBox* role_ = nullptr;
  QComboBox* handout_lang_ = nullptr;
  QDateEdit* contact_date_edit_ = nullptr;
  MessageLabel* page_message_ = nullptr;
  MessageLabel* result_message_ = nullptr;
};

}  // namespace screening::desktop
