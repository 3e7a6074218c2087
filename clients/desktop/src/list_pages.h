// The list screens: to-do of due items, a new contact, the assessments the user may see (with
// starting a new one) and the supervisor's review queue; the coordinator's indicator screen
// is in indicators_page.h. Each shows what the store returns for the logged-in user; a
// denial is shown as the library's answer, not predicted by the screen.
#pragma once

#include <cstdint>
#include <vector>

#include <screening/store.h>

#include "indicators_page.h"  // the coordinator's screen, opened with the others
#include "page.h"

class QComboBox;
class QDateEdit;
class QLineEdit;
class QTableWidget;

namespace screening::desktop {

class MessageLabel;

// Due items (protection assessment the same or next day, 14 days, 4 months, next contact),
// overdue ones marked; mark done, open the assessment.
class TodoPage : public Page {
  Q_OBJECT
 public:
  TodoPage(AppState* state, Navigator* navigator, QWidget* parent = nullptr);
  QString Title() const override;
  QTableWidget* table() { return table_; }
  const std::vector<DueItem>& items() const { return items_; }
  MessageLabel* message() { return message_; }

 private:
  void Reload();
  Navigator* navigator_;
  QTableWidget* table_;
  MessageLabel* message_;
  std::vector<DueItem> items_;
};

// A new contact: unit, case reference and date, then the routine question.
class ContactPage : public Page {
  Q_OBJECT
 public:
  ContactPage(AppState* state, Navigator* navigator, QWidget* parent = nullptr);
  QString Title() const override;
  void Start();
  QComboBox* unit() { return unit_; }
  QLineEdit* case_ref() { return case_ref_; }
  MessageLabel* message() { return message_; }

 private:
  Navigator* navigator_;
  QComboBox* unit_;
  QLineEdit* case_ref_;
  QDateEdit* date_;
  MessageLabel* message_;
};

// The assessments the user may see (drafts to resume first) and starting a new one.
class AssessmentsPage : public Page {
  Q_OBJECT
 public:
  AssessmentsPage(AppState* state, Navigator* navigator, QWidget* parent = nullptr);
  QString Title() const override;
  void StartNew();
  QTableWidget* table() { return table_; }
  const std::vector<AssessmentSummary>& rows() const { return rows_; }
  QComboBox* instrument() { return instrument_; }
  QComboBox* unit() { return unit_; }
  QLineEdit* case_ref() { return case_ref_; }
  MessageLabel* message() { return message_; }

 private:
  Navigator* navigator_;
  QTableWidget* table_;
  QComboBox* instrument_;
  QComboBox* unit_;
  QLineEdit* case_ref_;
  MessageLabel* message_;
  std::vector<AssessmentSummary> rows_;
};

// Submitted assessments awaiting review in the supervisor's units.
class ReviewQueuePage : public Page {
  Q_OBJECT
 public:
  ReviewQueuePage(AppState* state, Navigator* navigator, QWidget* parent = nullptr);
  QString Title() const override;
  QTableWidget* table() { return table_; }
  const std::vector<AssessmentSummary>& rows() const { return rows_; }
  MessageLabel* message() { return message_; }

 private:
  Navigator* navigator_;
  QTableWidget* table_;
  MessageLabel* message_;
  std::vector<AssessmentSummary> rows_;
};

}  // namespace screening::desktop
