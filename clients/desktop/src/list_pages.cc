#include "list_pages.h"

#include <memory>
#include <utility>

#include <QComboBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <screening/dates.h>

#include "app_state.h"
#include "assessment_page.h"
#include "i18n.h"
#include "labels.h"
#include "ui_util.h"

namespace screening::desktop {
namespace {

QString UnitLabel(const AppState& state, const std::string& unit) {
  return Q(state.registry().vocabulary()->Label("units", unit, Language()));
}

// The text of a due item's kind: the recommendation of that id in any instrument.
QString KindLabel(const AppState& state, const std::string& kind) {
  for (const auto& instrument : state.registry().all()) {
    for (const v1::Recommendation& r : instrument->definition().recommendations()) {
      if (r.id() == kind) return Q(RecommendationLabel(instrument.get(), kind, Language()));
    }
  }
  return Q(kind);
}

QComboBox* UnitCombo(const AppState& state, const QString& name) {
  auto* combo = Named(new QComboBox, name);
  for (const std::string& unit : state.actor().units)
    combo->addItem(UnitLabel(state, unit), Q(unit));
  return combo;
}

std::vector<AssessmentSummary> Summaries(AppState* state, const ListFilter& filter,
                                         Status* status) {
  auto rows = state->store().List(state->actor(), filter);
  if (!rows.ok()) {
    *status = rows.status();
    return {};
  }
  *status = Status::Ok();
  return std::move(*rows);
}

void FillSummaries(AppState* state, QTableWidget* table,
                   const std::vector<AssessmentSummary>& rows) {
  const std::string& lang = Language();
  table->setRowCount(static_cast<int>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const AssessmentSummary& s = rows[i];
    auto instrument = state->registry().Find(s.instrument_id);
    QString level;
    if (instrument != nullptr && !s.final_level.empty()) {
      level = Q(ResultLevelLabel(*instrument, s.final_level, lang));
    }
    SetRowTexts(
        table, static_cast<int>(i),
        {QString::number(s.chain_id), Q(s.instrument_id) + QStringLiteral(" v%1").arg(s.version),
         UnitLabel(*state, s.unit), Q(s.case_ref), Q(StatusTitle(s.status, lang)), level,
         Q(s.author), Q(s.updated_utc)});
  }
  table->resizeColumnsToContents();
}

QStringList SummaryHeaders() {
  return {L("Nr", "No."),        L("Instrument", "Instrument"),
          L("Enhet", "Unit"),    L("Ärende", "Case"),
          L("Status", "Status"), L("Nivå", "Level"),
          L("Av", "By"),         L("Uppdaterad (UTC)", "Updated (UTC)")};
}

}  // namespace

// ------------------------------------------------------------------ to-do

TodoPage::TodoPage(AppState* state, Navigator* navigator, QWidget* parent)
    : Page(state, parent), navigator_(navigator) {
  auto* v = new QVBoxLayout(this);
  v->addWidget(Heading(L("Att göra", "To do"), 1));
  v->addWidget(
      Paragraph(L("Nästa steg med tidsgräns från inskickade bedömningar. Försenade "
                  "steg är markerade.",
                  "Next steps with deadlines from submitted assessments. Overdue steps "
                  "are marked.")));
  message_ = new MessageLabel(L("Meddelande", "Message"));
  message_->setObjectName(QStringLiteral("todo_message"));
  v->addWidget(message_);
  table_ = ListTable(L("Att göra", "To do"), {L("Läge", "State"), L("Senast", "Due"),
                                              L("Ärende", "Case"), L("Vad", "What")});
  table_->setObjectName(QStringLiteral("todo_table"));
  v->addWidget(table_, 1);
  auto* buttons = new QHBoxLayout;
  auto* open = Named(new QPushButton(L("&Öppna bedömningen", "&Open the assessment")),
                     L("Öppna bedömningen", "Open the assessment"));
  auto* done = Named(new QPushButton(L("&Markera som gjort", "&Mark as done")),
                     L("Markera som gjort", "Mark as done"));
  done->setObjectName(QStringLiteral("todo_done"));
  buttons->addWidget(open);
  buttons->addWidget(done);
  buttons->addStretch(1);
  v->addLayout(buttons);
  auto current = [this]() -> const DueItem* {
    const int row = table_->currentRow();
    if (row < 0 || row >= static_cast<int>(items_.size())) return nullptr;
    return &items_[static_cast<std::size_t>(row)];
  };
  connect(open, &QPushButton::clicked, this, [this, current]() {
    if (const DueItem* item = current(); item != nullptr)
      navigator_->OpenAssessment(item->assessment_id);
  });
  connect(table_, &QTableWidget::cellActivated, this, [this, current](int, int) {
    if (const DueItem* item = current(); item != nullptr)
      navigator_->OpenAssessment(item->assessment_id);
  });
  connect(done, &QPushButton::clicked, this, [this, current]() {
    const DueItem* item = current();
    if (item == nullptr) return;
    Status st = state_->store().MarkDone(state_->actor(), item->id);
    if (!st.ok()) {
      message_->ShowError(Describe(L("Kunde inte markeras", "Could not be marked"), st));
      return;
    }
    Reload();
    message_->ShowInfo(L("Markerat som gjort.", "Marked as done."));
  });
  Reload();
}

QString TodoPage::Title() const { return L("Att göra", "To do"); }

void TodoPage::Reload() {
  auto due = state_->store().Due(state_->actor(), false);
  if (!due.ok()) {
    items_.clear();
    table_->setRowCount(0);
    message_->ShowError(Describe(
        L("Att göra-listan kunde inte visas", "The to-do list could not be shown"), due.status()));
    return;
  }
  items_.clear();
  for (DueItem& item : *due) {
    if (!item.done) items_.push_back(std::move(item));
  }
  table_->setRowCount(static_cast<int>(items_.size()));
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const DueItem& d = items_[i];
    const QString when =
        d.due_date.empty() ? L("vid nästa kontakt", "at the next contact") : Q(d.due_date);
    const QString state = d.overdue ? L("FÖRSENAD", "OVERDUE") : L("Öppen", "Open");
    SetRowTexts(table_, static_cast<int>(i),
                {state, when, UnitLabel(*state_, d.unit) + QStringLiteral(" · ") + Q(d.case_ref),
                 KindLabel(*state_, d.kind)});
    if (d.overdue) {
      for (int c = 0; c < table_->columnCount(); ++c) {
        QTableWidgetItem* cell = table_->item(static_cast<int>(i), c);
        cell->setForeground(QColor(0x8b, 0, 0));
        QFont font = cell->font();
        font.setBold(true);
        cell->setFont(font);
      }
    }
  }
  table_->resizeColumnsToContents();
  if (items_.empty()) message_->ShowInfo(L("Inget att göra just nu.", "Nothing to do right now."));
}

// ------------------------------------------------------------------ new contact

ContactPage::ContactPage(AppState* state, Navigator* navigator, QWidget* parent)
    : Page(state, parent), navigator_(navigator) {
  auto* v = new QVBoxLayout(this);
  v->addWidget(Heading(L("Ny kontakt", "New contact"), 1));
  v->addWidget(
      Paragraph(L("Ange enhet och ärendereferens (aldrig personnummer). Sedan kommer "
                  "rutinfrågan, som börjar med om frågan kan ställas säkert nu.",
                  "Give the unit and the case reference (never a personal identity "
                  "number). The routine question follows, beginning with whether it "
                  "can be asked safely now.")));
  auto* form = new QFormLayout;
  unit_ = UnitCombo(*state_, L("Enhet", "Unit"));
  unit_->setObjectName(QStringLiteral("contact_unit"));
  case_ref_ = Named(new QLineEdit, L("Ärendereferens", "Case reference"));
  case_ref_->setObjectName(QStringLiteral("contact_case_ref"));
  date_ = Named(new QDateEdit(QDate::fromString(Q(SwedishToday()), Qt::ISODate)),
                L("Kontaktens datum", "Date of the contact"));
  date_->setObjectName(QStringLiteral("contact_date_start"));
  date_->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
  date_->setCalendarPopup(true);
  form->addRow(L("&Enhet:", "&Unit:"), unit_);
  form->addRow(L("Ä&rendereferens:", "Case &reference:"), case_ref_);
  form->addRow(L("&Datum:", "&Date:"), date_);
  v->addLayout(form);
  auto* routine = Paragraph(QString());
  routine->setObjectName(QStringLiteral("unit_routine"));
  auto show_routine = [this, routine]() {
    const v1::Routine* r =
        state_->directory() == nullptr
            ? nullptr
            : state_->directory()->RoutineFor(S(unit_->currentData().toString()));
    const QString text =
        r == nullptr ? QString() : Q(state_->directory()->Text(r->description(), Language()));
    routine->setText(text);
    routine->setAccessibleName(text.isEmpty() ? L("Enhetens rutin", "The unit's routine") : text);
    routine->setVisible(!text.isEmpty());
  };
  connect(unit_, &QComboBox::currentIndexChanged, this, show_routine);
  show_routine();
  v->addWidget(routine);
  message_ = new MessageLabel(L("Meddelande", "Message"));
  message_->setObjectName(QStringLiteral("contact_message"));
  v->addWidget(message_);
  auto* start = Named(new QPushButton(L("&Starta rutinfrågan", "&Start the routine question")),
                      L("Starta rutinfrågan", "Start the routine question"));
  start->setObjectName(QStringLiteral("contact_start"));
  start->setDefault(true);
  connect(start, &QPushButton::clicked, this, &ContactPage::Start);
  connect(case_ref_, &QLineEdit::returnPressed, this, &ContactPage::Start);
  v->addWidget(start, 0, Qt::AlignLeft);
  v->addStretch(1);
}

QString ContactPage::Title() const { return L("Ny kontakt", "New contact"); }

void ContactPage::Start() {
  auto routine = RoutineInstrument(state_->registry());
  if (!routine.ok()) {
    message_->ShowError(L("Rutinfrågan finns inte bland instrumenten.",
                          "The routine question is not among the instruments."));
    return;
  }
  auto contact = std::make_shared<NewContact>();
  contact->unit = S(unit_->currentData().toString());
  contact->case_ref = S(case_ref_->text().trimmed());
  contact->contact_date = date_->date().toString(Qt::ISODate);
  // Refused now rather than when the answers are saved with the contact.
  if (Status st = CheckCaseReference(contact->case_ref); !st.ok()) {
    message_->ShowError(
        Describe(L("Kontakten kunde inte påbörjas", "The contact could not be started"), st));
    return;
  }
  // Nothing is stored until the contact is saved: only the contact opens a case.
  contact->session = std::make_shared<Session>(*routine);
  navigator_->OpenRoutine(std::move(contact));
}

// ------------------------------------------------------------------ assessments

AssessmentsPage::AssessmentsPage(AppState* state, Navigator* navigator, QWidget* parent)
    : Page(state, parent), navigator_(navigator) {
  const std::string& lang = Language();
  auto* v = new QVBoxLayout(this);
  v->addWidget(Heading(L("Bedömningar", "Assessments"), 1));
  auto* start_box = new QGroupBox(L("Ny bedömning", "New assessment"));
  auto* form = new QFormLayout(start_box);
  instrument_ = Named(new QComboBox, L("Instrument", "Instrument"));
  instrument_->setObjectName(QStringLiteral("new_instrument"));
  for (const auto& i : state_->registry().all()) {
    if (i->definition().kind() == v1::SCREENING) continue;  // asked through "New contact"
    if (state_->registry().Find(i->id()) != i) continue;    // the newest version only
    instrument_->addItem(
        Q(TextIn(i->definition().title(), lang)) + QStringLiteral(" (%1)").arg(Q(i->version())),
        Q(i->id()));
  }
  unit_ = UnitCombo(*state_, L("Enhet", "Unit"));
  unit_->setObjectName(QStringLiteral("new_unit"));
  case_ref_ = Named(new QLineEdit, L("Ärendereferens", "Case reference"));
  case_ref_->setObjectName(QStringLiteral("new_case_ref"));
  auto* start = Named(new QPushButton(L("S&tarta", "S&tart")),
                      L("Starta ny bedömning", "Start a new assessment"));
  start->setObjectName(QStringLiteral("new_start"));
  connect(start, &QPushButton::clicked, this, &AssessmentsPage::StartNew);
  connect(case_ref_, &QLineEdit::returnPressed, this, &AssessmentsPage::StartNew);
  form->addRow(L("&Instrument:", "&Instrument:"), instrument_);
  form->addRow(L("&Enhet:", "&Unit:"), unit_);
  form->addRow(L("Ä&rendereferens:", "Case &reference:"), case_ref_);
  form->addRow(start);
  v->addWidget(start_box);

  message_ = new MessageLabel(L("Meddelande", "Message"));
  message_->setObjectName(QStringLiteral("assessments_message"));
  v->addWidget(message_);
  v->addWidget(Heading(L("Bedömningar du kan se", "Assessments you can see"), 2));
  table_ = ListTable(L("Bedömningar", "Assessments"), SummaryHeaders());
  table_->setObjectName(QStringLiteral("assessments_table"));
  v->addWidget(table_, 1);
  auto* open =
      Named(new QPushButton(L("Ö&ppna", "O&pen")), L("Öppna bedömningen", "Open the assessment"));
  open->setObjectName(QStringLiteral("assessments_open"));
  auto open_current = [this]() {
    const int row = table_->currentRow();
    if (row >= 0 && row < static_cast<int>(rows_.size())) {
      navigator_->OpenAssessment(rows_[static_cast<std::size_t>(row)].id);
    }
  };
  connect(open, &QPushButton::clicked, this, open_current);
  connect(table_, &QTableWidget::cellActivated, this, open_current);
  v->addWidget(open, 0, Qt::AlignLeft);

  Status status;
  rows_ = Summaries(state_, ListFilter{}, &status);
  if (!status.ok()) {
    message_->ShowError(Describe(
        L("Bedömningarna kunde inte visas", "The assessments could not be shown"), status));
  }
  // Drafts and returned assessments (work to resume) first, then the rest in the store's order.
  std::stable_partition(rows_.begin(), rows_.end(),
                        [](const AssessmentSummary& s) { return IsEditable(s.status); });
  FillSummaries(state_, table_, rows_);
}

QString AssessmentsPage::Title() const { return L("Bedömningar", "Assessments"); }

void AssessmentsPage::StartNew() {
  auto instrument = state_->registry().Find(S(instrument_->currentData().toString()));
  if (instrument == nullptr) return;
  AssessmentInput input;
  input.unit = S(unit_->currentData().toString());
  input.case_ref = S(case_ref_->text().trimmed());
  input.lang = Language();
  auto id = state_->store().CreateDraft(state_->actor(), input, Session(instrument));
  if (id.status().code() == StatusCode::kNotFound) {
    // No intake yet, or a case the user may not see: the store answers both alike.
    message_->ShowError(Q(NoIntakeText(Language())));
    return;
  }
  if (!id.ok()) {
    message_->ShowError(Describe(
        L("Bedömningen kunde inte skapas", "The assessment could not be created"), id.status()));
    return;
  }
  navigator_->OpenAssessment(*id);
}

// ------------------------------------------------------------------ review queue

ReviewQueuePage::ReviewQueuePage(AppState* state, Navigator* navigator, QWidget* parent)
    : Page(state, parent), navigator_(navigator) {
  auto* v = new QVBoxLayout(this);
  v->addWidget(Heading(L("Granskning", "Review"), 1));
  v->addWidget(
      Paragraph(L("Inskickade bedömningar i dina enheter. Öppna en för att godkänna, "
                  "återsända med kommentar eller ändra nivån med skäl.",
                  "Submitted assessments in your units. Open one to approve it, return "
                  "it with a comment or change the level with a reason.")));
  message_ = new MessageLabel(L("Meddelande", "Message"));
  message_->setObjectName(QStringLiteral("review_queue_message"));
  v->addWidget(message_);
  table_ = ListTable(L("Granskningskö", "Review queue"), SummaryHeaders());
  table_->setObjectName(QStringLiteral("review_table"));
  v->addWidget(table_, 1);
  auto* open = Named(new QPushButton(L("Ö&ppna för granskning", "O&pen for review")),
                     L("Öppna för granskning", "Open for review"));
  open->setObjectName(QStringLiteral("review_open"));
  auto open_current = [this]() {
    const int row = table_->currentRow();
    if (row >= 0 && row < static_cast<int>(rows_.size())) {
      navigator_->OpenReview(rows_[static_cast<std::size_t>(row)].id);
    }
  };
  connect(open, &QPushButton::clicked, this, open_current);
  connect(table_, &QTableWidget::cellActivated, this, open_current);
  v->addWidget(open, 0, Qt::AlignLeft);
  ListFilter filter;
  filter.status = AssessmentStatus::kSubmitted;
  filter.not_mine = true;  // another supervisor reviews what this one wrote
  Status status;
  rows_ = Summaries(state_, filter, &status);
  if (!status.ok()) {
    message_->ShowError(Describe(
        L("Granskningskön kunde inte visas", "The review queue could not be shown"), status));
  } else if (rows_.empty()) {
    message_->ShowInfo(L("Inget väntar på granskning.", "Nothing is awaiting review."));
  }
  FillSummaries(state_, table_, rows_);
}

QString ReviewQueuePage::Title() const { return L("Granskning", "Review"); }

}  // namespace screening::desktop
