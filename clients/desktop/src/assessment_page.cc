#include "assessment_page.h"

#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPrintDialog>
#include <QPrinter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTime>
#include <QVBoxLayout>

#include <screening/dates.h>

#include "app_state.h"
#include "documents.h"
#include "form_widget.h"
#include "handover_dialog.h"
#include "i18n.h"
#include "labels.h"
#include "ui_util.h"

namespace screening::desktop {
namespace {

QScrollArea* Scroll(QWidget* content, const QString& name) {
  auto* area = new QScrollArea;
  area->setWidget(content);
  area->setWidgetResizable(true);
  area->setAccessibleName(name);
  area->setFrameShape(QFrame::NoFrame);
  // Keep the focused control in view when moving with the keyboard.
  QObject::connect(qApp, &QApplication::focusChanged, area, [area](QWidget*, QWidget* now) {
    if (now != nullptr && area->widget() != nullptr && area->widget()->isAncestorOf(now)) {
      area->ensureWidgetVisible(now, 40, 80);
    }
  });
  return area;
}

QComboBox* LevelCombo(const Instrument& instrument, const QString& name, bool with_empty) {
  auto* combo = Named(new QComboBox, name);
  if (with_empty) combo->addItem(L("– välj –", "– choose –"), QString());
  for (const char* level : {"low", "medium", "high"}) {
    combo->addItem(Q(LevelLabel(instrument, level, Language())), QString::fromLatin1(level));
  }
  return combo;
}

}  // namespace

AssessmentPage::AssessmentPage(AppState* state, Navigator* navigator, std::int64_t id, Mode mode,
                               const QString& contact_date, QWidget* parent)
    : Page(state, parent),
      navigator_(navigator),
      id_(id),
      mode_(mode),
      contact_date_(contact_date) {
  StartTimers();
  auto record = state_->store().Get(state_->actor(), id_);
  if (!record.ok()) {
    BuildError(Describe(L("Bedömningen kunde inte öppnas", "The assessment could not be opened"),
                        record.status()));
    return;
  }
  record_ = std::move(*record);
  auto instrument = state_->registry().Find(record_.instrument_id, record_.instrument_version);
  if (instrument == nullptr) {
    BuildError(L("Instrumentversionen som bedömningen gjordes med finns inte installerad: ",
                 "The instrument version the assessment was made with is not installed: ") +
               Q(record_.instrument_id + " " + record_.instrument_version));
    return;
  }
  auto session = Session::FromProto(instrument, record_.answers);
  if (!session.ok()) {
    BuildError(
        Describe(L("De sparade svaren kunde inte läsas", "The saved answers could not be read"),
                 session.status()));
    return;
  }
  session_ = std::make_shared<Session>(std::move(*session));
  // Only the author of a draft edits it (the store refuses anyone else: four eyes); a
  // colleague or supervisor who opens it reads it.
  editable_ =
      mode_ != Mode::kReview && IsEditable(record_.status) && record_.owner == state_->actor().name;
  Build(*instrument);
}

AssessmentPage::AssessmentPage(AppState* state, Navigator* navigator,
                               std::shared_ptr<NewContact> contact, QWidget* parent)
    : Page(state, parent),
      navigator_(navigator),
      id_(0),
      mode_(Mode::kRoutine),
      contact_date_(contact->contact_date) {
  StartTimers();
  const Instrument& instrument = contact->session->instrument();
  // What the page shows of the record until the contact is saved; nothing is stored yet.
  record_.unit = contact->unit;
  record_.case_ref = contact->case_ref;
  record_.status = AssessmentStatus::kDraft;
  record_.author = state_->actor().name;
  record_.owner = record_.author;
  record_.instrument_id = instrument.id();
  record_.instrument_version = instrument.version();
  record_.lang = Language();
  session_ = contact->session;
  editable_ = true;
  Build(instrument);
}

void AssessmentPage::StartTimers() {
  autosave_.setSingleShot(true);
  autosave_.setInterval(800);
  connect(&autosave_, &QTimer::timeout, this, &AssessmentPage::Flush);
  evaluate_.setSingleShot(true);
  evaluate_.setInterval(250);
  connect(&evaluate_, &QTimer::timeout, this, &AssessmentPage::Reevaluate);
}

void AssessmentPage::Build(const Instrument& instrument) {
  const std::string& lang = Language();
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(Heading(Q(TextIn(instrument.definition().title(), lang)), 1));
  layout->addWidget(Paragraph(
      QStringLiteral("%1 %2 · %3 · %4 %5 · %6")
          .arg(Q(record_.instrument_id), Q(record_.instrument_version),
               Q(instrument.vocabulary().Label("units", record_.unit, lang)), L("ärende", "case"),
               Q(record_.case_ref), Q(StatusTitle(record_.status, lang)))));
  if (!record_.review_comment.empty() && record_.status == AssessmentStatus::kReturned) {
    auto* comment = new MessageLabel(L("Arbetsledarens kommentar", "The supervisor's comment"));
    comment->ShowInfo(L("Återsänd med kommentar: ", "Returned with the comment: ") +
                      Q(record_.review_comment));
    layout->addWidget(comment);
  }
  auto* status_line = new QHBoxLayout;
  progress_ = Named(new QProgressBar, L("Hur långt formuläret är ifyllt", "Form progress"));
  progress_->setObjectName(QStringLiteral("progress"));
  progress_->setMaximumWidth(260);
  progress_text_ = new QLabel;
  progress_text_->setObjectName(QStringLiteral("progress_text"));
  save_state_ = new QLabel;
  save_state_->setObjectName(QStringLiteral("save_state"));
  status_line->addWidget(progress_);
  status_line->addWidget(progress_text_, 1);
  status_line->addWidget(save_state_);
  layout->addLayout(status_line);
  page_message_ = new MessageLabel(L("Meddelande", "Message"));
  page_message_->setObjectName(QStringLiteral("page_message"));
  layout->addWidget(page_message_);

  tabs_ = Named(new QTabWidget, L("Delar av bedömningen", "Parts of the assessment"));
  tabs_->setObjectName(QStringLiteral("tabs"));
  form_ = new FormWidget(session_.get(), !editable_);
  form_->setObjectName(QStringLiteral("form"));
  connect(form_, &FormWidget::changed, this, &AssessmentPage::OnChanged);
  tabs_->addTab(Scroll(form_, L("Frågor", "Questions")), L("&Frågor", "&Questions"));
  tabs_->addTab(BuildResultTab(), L("&Resultat och bedömning", "&Result and judgement"));
  if (mode_ != Mode::kRoutine) tabs_->addTab(BuildHistoryTab(), L("&Historik", "&History"));
  layout->addWidget(tabs_, 1);

  // Keyboard: F8 goes to the next unanswered required question, Ctrl+S saves now, Ctrl+R
  // shows the result, Ctrl+Shift+F the questions.
  auto* next = new QShortcut(QKeySequence(Qt::Key_F8), this);
  connect(next, &QShortcut::activated, this, [this]() {
    tabs_->setCurrentIndex(0);
    if (!form_->FocusNextMissing()) {
      page_message_->ShowInfo(
          L("Alla obligatoriska frågor är besvarade.", "Every required question is answered."));
    }
  });
  auto* save = new QShortcut(QKeySequence::Save, this);
  connect(save, &QShortcut::activated, this, [this]() {
    dirty_ = true;
    Flush();
  });
  auto* to_result = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_R), this);
  connect(to_result, &QShortcut::activated, this, [this]() { tabs_->setCurrentIndex(1); });
  auto* to_form = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this);
  connect(to_form, &QShortcut::activated, this, [this]() { tabs_->setCurrentIndex(0); });

  UpdateProgress();
  Reevaluate();
  save_state_->setText(!editable_ ? L("Skrivskyddad", "Read-only")
                       : id_ == 0
                           ? L("Sparas när kontakten sparas", "Saved when the contact is saved")
                           : L("Sparas automatiskt", "Saved automatically"));
}

AssessmentPage::~AssessmentPage() { Flush(); }

QString AssessmentPage::Title() const {
  switch (mode_) {
    case Mode::kRoutine:
      return L("Ny kontakt", "New contact");
    case Mode::kReview:
      return L("Granskning", "Review");
    default:
      return L("Bedömning", "Assessment");
  }
}

void AssessmentPage::BuildError(const QString& text) {
  auto* layout = new QVBoxLayout(this);
  page_message_ = new MessageLabel(L("Meddelande", "Message"));
  page_message_->setObjectName(QStringLiteral("page_message"));
  page_message_->ShowError(text);
  layout->addWidget(page_message_);
  layout->addStretch(1);
}

void AssessmentPage::Flush() {
  autosave_.stop();
  // A new contact's answers are kept until the contact is saved (NewContact).
  if (!dirty_ || !editable_ || session_ == nullptr || id_ == 0) return;
  Status st = state_->store().UpdateDraft(state_->actor(), id_, *session_);
  if (st.ok()) {
    dirty_ = false;
    save_state_->setText(L("Utkastet sparat ", "Draft saved ") +
                         QTime::currentTime().toString(QStringLiteral("HH:mm:ss")));
  } else {
    save_state_->setText(L("Inte sparat", "Not saved"));
    page_message_->ShowError(
        Describe(L("Utkastet kunde inte sparas", "The draft could not be saved"), st));
  }
}

void AssessmentPage::OnChanged() {
  dirty_ = true;
  if (id_ != 0) {
    save_state_->setText(L("Sparar …", "Saving …"));
    autosave_.start();
  }
  evaluate_.start();
  UpdateProgress();
}

void AssessmentPage::UpdateProgress() {
  const Progress p = session_->GetProgress();
  progress_->setRange(0, std::max(1, p.enabled));
  progress_->setValue(p.answered);
  const QString text = QStringLiteral("%1 %2 %3 · %4 %5")
                           .arg(p.answered)
                           .arg(L("av", "of"))
                           .arg(p.enabled)
                           .arg(p.required_missing)
                           .arg(L("obligatoriska saknas", "required missing"));
  progress_text_->setText(text);
  progress_->setAccessibleDescription(text);
}

void AssessmentPage::Reevaluate() {
  if (session_ == nullptr) return;
  EvaluateOptions options;
  options.lang = Language();
  options.directory = state_->directory();
  if (role_ != nullptr) options.subject_role = S(role_->currentData().toString());
  auto result = Evaluate(*session_, options);
  if (!result.ok()) {
    result_.reset();
    result_message_->ShowError(Describe(
        L("Resultatet kunde inte beräknas", "The result could not be computed"), result.status()));
    result_view_->clear();
    return;
  }
  result_message_->Clear();
  result_ = std::move(*result);
  const int scroll =
      result_view_->verticalScrollBar() != nullptr ? result_view_->verticalScrollBar()->value() : 0;
  // A draft not yet stored is cited by today's law.
  const std::string record_date =
      record_.created_utc.empty()
          ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()
          : record_.created_utc;
  result_view_->setHtml(
      ResultHtml(session_->instrument(), *result_, state_->directory(), record_date));
  if (result_view_->verticalScrollBar() != nullptr)
    result_view_->verticalScrollBar()->setValue(scroll);
}

QWidget* AssessmentPage::BuildResultTab() {
  auto* content = new QWidget;
  auto* v = new QVBoxLayout(content);
  result_message_ = new MessageLabel(L("Meddelande om resultatet", "Message about the result"));
  result_message_->setObjectName(QStringLiteral("result_message"));
  v->addWidget(result_message_);
  v->addLayout(BuildSupportRoleLine());

  result_view_ = Named(new QTextBrowser, L("Resultat", "Result"));
  result_view_->setObjectName(QStringLiteral("result_view"));
  result_view_->setMinimumHeight(280);
  result_view_->setOpenLinks(false);
  v->addWidget(result_view_, 1);

  if (editable_ || !session_->answers().judgements().empty() ||
      session_->answers().has_client_estimate()) {
    v->addWidget(BuildJudgements());
  }
  AddModeActions(v);
  v->addWidget(BuildDocuments());
  if (mode_ == Mode::kOpen && !editable_) v->addWidget(BuildFollowUp());
  return Scroll(content, L("Resultat och bedömning", "Result and judgement"));
}

QHBoxLayout* AssessmentPage::BuildSupportRoleLine() {
  const Instrument& instrument = session_->instrument();
  const std::string& lang = Language();
  auto* role_line = new QHBoxLayout;
  role_ = Named(new QComboBox, L("Stöd visas för", "Support shown for"));
  role_->setObjectName(QStringLiteral("subject_role"));
  role_->addItem(L("Instrumentets målgrupp", "The instrument's target group"), QString());
  if (const v1::TermList* roles = instrument.vocabulary().List("subject_roles"); roles != nullptr) {
    for (const auto& term : roles->terms()) {
      role_->addItem(Q(instrument.vocabulary().Label("subject_roles", term.id(), lang)),
                     Q(term.id()));
    }
  }
  connect(role_, &QComboBox::currentIndexChanged, this, [this]() { Reevaluate(); });
  role_line->addWidget(new QLabel(L("Stöd visas för:", "Support shown for:")));
  role_line->addWidget(role_);
  role_line->addStretch(1);
  return role_line;
}

void AssessmentPage::AddModeActions(QVBoxLayout* v) {
  switch (mode_) {
    case Mode::kRoutine:
      if (editable_) v->addWidget(BuildSaveContact());
      break;
    case Mode::kOpen:
      if (editable_) v->addWidget(BuildSubmit(), 0, Qt::AlignLeft);
      break;
    case Mode::kReview:
      v->addWidget(BuildReviewPanel());
      break;
  }
}

QWidget* AssessmentPage::BuildSaveContact() {
  auto* box = new QGroupBox(L("Spara kontakten", "Save the contact"));
  auto* f = new QFormLayout(box);
  contact_date_edit_ = Named(new QDateEdit, L("Kontaktens datum", "Date of the contact"));
  contact_date_edit_->setObjectName(QStringLiteral("contact_date"));
  contact_date_edit_->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
  contact_date_edit_->setCalendarPopup(true);
  const QDate date = QDate::fromString(contact_date_, Qt::ISODate);
  contact_date_edit_->setDate(date.isValid() ? date
                                             : QDate::fromString(Q(SwedishToday()), Qt::ISODate));
  f->addRow(L("Kontaktens datum:", "Date of the contact:"), contact_date_edit_);
  auto* save =
      Named(new QPushButton(
                L("Spara kontakten och rutinfrågan", "Save the contact and the routine question")),
            L("Spara kontakten och rutinfrågan", "Save the contact and the routine question"));
  save->setObjectName(QStringLiteral("save_contact"));
  connect(save, &QPushButton::clicked, this, &AssessmentPage::SaveContact);
  f->addRow(save);
  return box;
}

QWidget* AssessmentPage::BuildSubmit() {
  auto* submit = Named(new QPushButton(L("Skicka för granskning", "Submit for review")),
                       L("Skicka för granskning", "Submit for review"));
  submit->setObjectName(QStringLiteral("submit"));
  connect(submit, &QPushButton::clicked, this, &AssessmentPage::Submit);
  return submit;
}

QWidget* AssessmentPage::BuildDocuments() {
  auto* docs = new QGroupBox(L("Utskrift och PDF", "Print and PDF"));
  auto* d = new QHBoxLayout(docs);
  auto* summary =
      Named(new QPushButton(L("Ärendesammanfattning som PDF …", "Case summary as PDF …")),
            L("Spara ärendesammanfattningen som PDF", "Save the case summary as PDF"));
  summary->setObjectName(QStringLiteral("summary_pdf"));
  connect(summary, &QPushButton::clicked, this, &AssessmentPage::SaveSummaryAs);
  auto* print = Named(new QPushButton(L("Skriv ut …", "Print …")),
                      L("Skriv ut ärendesammanfattningen", "Print the case summary"));
  print->setObjectName(QStringLiteral("print"));
  connect(print, &QPushButton::clicked, this, &AssessmentPage::PrintSummary);
  handout_lang_ = Named(new QComboBox, L("Språk för kortet", "Language of the card"));
  handout_lang_->setObjectName(QStringLiteral("handout_lang"));
  if (state_->directory() != nullptr) {
    for (const std::string& l : state_->directory()->languages()) {
      handout_lang_->addItem(LanguageName(l), Q(l));
    }
  }
  // A discreet card instead of a list headed "support and help": found at home, a list like
  // that can put the person in danger. Ask first; the alternative is the person's phone.
  auto* handout = Named(new QPushButton(L("Kort med nummer …", "Card with numbers …")),
                        L("Fråga om det är säkert och gör ett diskret kort med stödnummer",
                          "Ask whether it is safe and make a discreet card with support numbers"));
  handout->setObjectName(QStringLiteral("handout_pdf"));
  connect(handout, &QPushButton::clicked, this, &AssessmentPage::HandOutCard);
  auto* given =
      Named(new QPushButton(L("Registrera att stödinformation gavs",
                              "Record that support information was given")),
            L("Registrera att stödinformation gavs", "Record that support information was given"));
  given->setObjectName(QStringLiteral("support_given"));
  connect(given, &QPushButton::clicked, this, &AssessmentPage::RecordSupportInformation);
  d->addWidget(summary);
  d->addWidget(print);
  d->addWidget(new QLabel(L("Språk:", "Language:")));
  d->addWidget(handout_lang_);
  d->addWidget(handout);
  d->addWidget(given);
  d->addStretch(1);
  return docs;
}

void AssessmentPage::SaveSummaryAs() {
  const QString path =
      QFileDialog::getSaveFileName(this, L("Spara ärendesammanfattning", "Save case summary"),
                                   QString(), QStringLiteral("PDF (*.pdf)"));
  if (path.isEmpty()) return;
  Status st = SaveSummaryPdf(path);
  if (st.ok()) {
    page_message_->ShowInfo(L("Sammanfattningen är sparad.", "The summary is saved."));
  } else {
    page_message_->ShowError(Q(st.message()));
  }
}

void AssessmentPage::PrintSummary() {
  if (!result_) return;
  QPrinter printer;
  QPrintDialog dialog(&printer, this);
  if (dialog.exec() != QDialog::Accepted) return;
  QTextDocument doc;
  doc.setHtml(
      CaseSummaryHtml(record_, session_->instrument(), *session_, *result_, state_->directory()));
  doc.print(&printer);
}

void AssessmentPage::HandOutCard() {
  const std::string card_lang = S(handout_lang_->currentData().toString());
  auto card = CardFor(card_lang);
  if (!card.ok()) {
    page_message_->ShowError(
        Describe(L("Kortet kunde inte göras", "No card could be made"), card.status()));
    return;
  }
  HandoverDialog dialog(state_->directory()->PromptFor(*card), this);
  const int choice = dialog.exec();
  if (choice == HandoverDialog::kSaveInPhone) {
    page_message_->ShowInfo(L("Inget kort gjordes: numren sparas i telefonen under neutrala namn.",
                              "No card was made: the numbers are saved in the phone under "
                              "neutral names."));
    return;
  }
  if (choice != HandoverDialog::kMakeCard) return;
  const QString path = QFileDialog::getSaveFileName(
      this, L("Spara kortet", "Save the card"), Q(card->file_name), QStringLiteral("PDF (*.pdf)"));
  if (path.isEmpty()) return;
  Status st = WriteCardPdf(*card, path);
  if (st.ok()) {
    page_message_->ShowInfo(L("Kortet är sparat.", "The card is saved."));
  } else {
    page_message_->ShowError(Q(st.message()));
  }
}

void AssessmentPage::RecordSupportInformation() {
  if (!result_) return;
  // Only entries with a number can have been handed over; one the municipality has not
  // filled in is shown as missing and never recorded as given.
  std::vector<std::string> ids;
  for (const std::string& id : result_->resources()) {
    if (state_->directory() != nullptr && state_->directory()->CheckGivable(id).ok())
      ids.push_back(id);
  }
  if (ids.empty()) {
    page_message_->ShowError(
        L("Inget av stödställena har något nummer ännu, så ingen information kan ha getts. "
          "Kommunen fyller i numren (screening resources check).",
          "None of the support services has a number yet, so no information can have been "
          "given. The municipality fills in the numbers (screening resources check)."));
    return;
  }
  // The indicators count support information per person: with several people in the case
  // and none linked to this assessment, ask whom it was given to (the store refuses
  // otherwise).
  std::optional<std::int64_t> person = record_.subject_id;
  if (!person) {
    auto people = state_->store().Subjects(state_->actor(), record_.unit, record_.case_ref);
    if (people.ok() && people->size() > 1) {
      const Vocabulary& vocabulary = *state_->registry().vocabulary();
      QStringList choices;
      for (const SubjectRecord& p : *people) {
        QString line = Q(vocabulary.Label("subject_roles", p.role, Language()));
        if (!p.age_band.empty()) line += QStringLiteral(", ") + Q(p.age_band);
        choices << L("Person %1 (%2)", "Person %1 (%2)").arg(p.id).arg(line);
      }
      bool chosen = false;
      const QString choice = QInputDialog::getItem(
          this, L("Vem fick informationen?", "Who was given the information?"),
          L("Ärendet har flera personer. Vem fick stödinformationen?",
            "The case has several people. Who was given the support information?"),
          choices, 0, false, &chosen);
      if (!chosen) return;
      person = (*people)[static_cast<std::size_t>(choices.indexOf(choice))].id;
    }
  }
  Status st = state_->store().RecordSupportGiven(state_->actor(), record_.unit, record_.case_ref,
                                                 person, ids);
  if (st.ok()) {
    page_message_->ShowInfo(
        L("Registrerat att stödinformation gavs.", "Recorded that support information was given."));
  } else {
    page_message_->ShowError(Describe(L("Kunde inte registreras", "Could not be recorded"), st));
  }
}

QWidget* AssessmentPage::BuildJudgements() {
  const Instrument& instrument = session_->instrument();
  const v1::Instrument& def = instrument.definition();
  auto* box = new QGroupBox(L("Professionell bedömning", "Professional judgement"));
  auto* v = new QVBoxLayout(box);
  for (const v1::Judgement& j : def.judgements()) AddJudgement(v, j);
  if (def.client_estimate()) AddClientEstimate(v);
  // An override by the assessor (raising; the library refuses lowering).
  if (editable_ && (instrument.has_banding() || !def.judgements().empty()) &&
      def.kind() != v1::SCREENING) {
    AddOverride(v);
  }
  return box;
}

void AssessmentPage::AddJudgement(QVBoxLayout* v, const v1::Judgement& j) {
  const Instrument& instrument = session_->instrument();
  const std::string& lang = Language();
  const QString text =
      Q(TextIn(j.text(), lang)) + (j.required() ? QStringLiteral(" *") : QString());
  v->addWidget(Paragraph(text));
  auto* level = LevelCombo(instrument, L("Nivå: ", "Level: ") + Q(TextIn(j.text(), lang)), true);
  level->setObjectName(Q("judgement_" + j.id()) + QStringLiteral(":level"));
  auto* rationale =
      Named(new QPlainTextEdit, L("Motivering: ", "Rationale: ") + Q(TextIn(j.text(), lang)));
  rationale->setObjectName(Q("judgement_" + j.id()) + QStringLiteral(":rationale"));
  rationale->setTabChangesFocus(true);
  rationale->setMaximumHeight(80);
  rationale->setPlaceholderText(L("Motivering (obligatorisk)", "Rationale (required)"));
  auto it = session_->answers().judgements().find(j.id());
  if (it != session_->answers().judgements().end()) {
    level->setCurrentIndex(std::max(0, level->findData(Q(it->second.level()))));
    rationale->setPlainText(Q(it->second.rationale()));
  }
  level->setEnabled(editable_);
  rationale->setReadOnly(!editable_);
  auto* message = new MessageLabel(L("Meddelande om bedömningen", "Message about the judgement"));
  auto* record =
      Named(new QPushButton(L("Registrera bedömningen", "Record the judgement")),
            L("Registrera bedömningen: ", "Record the judgement: ") + Q(TextIn(j.text(), lang)));
  record->setObjectName(Q("judgement_" + j.id()) + QStringLiteral(":record"));
  record->setEnabled(editable_);
  const std::string id = j.id();
  connect(record, &QPushButton::clicked, this, [this, id, level, rationale, message]() {
    Status st =
        session_->SetJudgement(id, S(level->currentData().toString()), S(rationale->toPlainText()));
    if (st.ok()) {
      message->ShowInfo(L("Bedömningen är registrerad.", "The judgement is recorded."));
      OnChanged();
      Reevaluate();
    } else {
      message->ShowError(
          Describe(L("Bedömningen godtas inte", "The judgement is not accepted"), st));
    }
  });
  auto* line = new QHBoxLayout;
  line->addWidget(new QLabel(L("Nivå:", "Level:")));
  line->addWidget(level);
  line->addWidget(record);
  line->addStretch(1);
  v->addLayout(line);
  v->addWidget(rationale);
  v->addWidget(message);
}

void AssessmentPage::AddClientEstimate(QVBoxLayout* v) {
  const Instrument& instrument = session_->instrument();
  auto* estimate = LevelCombo(
      instrument, L("Personens egen bedömning av faran", "The person's own estimate of the danger"),
      true);
  estimate->setObjectName(QStringLiteral("client_estimate"));
  if (session_->answers().has_client_estimate()) {
    estimate->setCurrentIndex(
        std::max(0, estimate->findData(Q(session_->answers().client_estimate().level()))));
  }
  estimate->setEnabled(editable_);
  auto* message = new MessageLabel(
      L("Meddelande om personens bedömning", "Message about the person's estimate"));
  connect(estimate, &QComboBox::currentIndexChanged, this, [this, estimate, message]() {
    const std::string level = S(estimate->currentData().toString());
    if (level.empty()) return;
    Status st = session_->SetClientEstimate(level);
    if (st.ok()) {
      message->Clear();
      OnChanged();
      Reevaluate();
    } else {
      message->ShowError(Describe(L("Godtas inte", "Not accepted"), st));
    }
  });
  auto* line = new QHBoxLayout;
  line->addWidget(new QLabel(
      L("Personens egen bedömning av faran:", "The person's own estimate of the danger:")));
  line->addWidget(estimate);
  line->addStretch(1);
  v->addLayout(line);
  v->addWidget(message);
}

void AssessmentPage::AddOverride(QVBoxLayout* v) {
  const Instrument& instrument = session_->instrument();
  const v1::Instrument& def = instrument.definition();
  const std::string& lang = Language();
  auto* band = Named(new QComboBox, L("Ändrad nivå", "Changed level"));
  band->setObjectName(QStringLiteral("override_band"));
  band->addItem(L("– ingen ändring –", "– no change –"), QString());
  if (instrument.has_banding()) {
    for (const v1::Band& b : def.banding().bands())
      band->addItem(Q(TextIn(b.text(), lang)), Q(b.id()));
  } else {
    for (const char* level : {"low", "medium", "high"}) {
      band->addItem(Q(LevelLabel(instrument, level, lang)), QString::fromLatin1(level));
    }
  }
  auto* reason = Named(new QLineEdit, L("Skäl till ändrad nivå", "Reason for the changed level"));
  reason->setObjectName(QStringLiteral("override_reason"));
  reason->setPlaceholderText(L("Skäl (obligatoriskt)", "Reason (required)"));
  if (session_->answers().has_override()) {
    band->setCurrentIndex(std::max(0, band->findData(Q(session_->answers().override().band()))));
    reason->setText(Q(session_->answers().override().reason()));
  }
  auto* message =
      new MessageLabel(L("Meddelande om ändrad nivå", "Message about the changed level"));
  auto* apply = Named(new QPushButton(L("Registrera ändrad nivå", "Record the changed level")),
                      L("Registrera ändrad nivå", "Record the changed level"));
  apply->setObjectName(QStringLiteral("override_apply"));
  connect(apply, &QPushButton::clicked, this, [this, band, reason, message]() {
    const std::string b = S(band->currentData().toString());
    if (b.empty()) {
      session_->ClearOverride();
      message->Clear();
    } else {
      Status st = session_->SetOverride(b, S(reason->text()), v1::ASSESSOR);
      if (!st.ok()) {
        message->ShowError(Describe(L("Ändringen godtas inte", "The change is not accepted"), st));
        return;
      }
      message->ShowInfo(L("Ändringen är registrerad.", "The change is recorded."));
    }
    OnChanged();
    Reevaluate();
  });
  auto* line = new QHBoxLayout;
  line->addWidget(new QLabel(L("Höj nivån:", "Raise the level:")));
  line->addWidget(band);
  line->addWidget(reason, 1);
  line->addWidget(apply);
  v->addLayout(line);
  v->addWidget(message);
}

QWidget* AssessmentPage::BuildReviewPanel() {
  const Instrument& instrument = session_->instrument();
  const std::string& lang = Language();
  auto* box = new QGroupBox(L("Granskning", "Review"));
  auto* v = new QVBoxLayout(box);
  auto* comment =
      Named(new QPlainTextEdit, L("Kommentar till handläggaren", "Comment to the caseworker"));
  comment->setObjectName(QStringLiteral("review_comment"));
  comment->setTabChangesFocus(true);
  comment->setMaximumHeight(80);
  comment->setPlaceholderText(L("Kommentar", "Comment"));
  v->addWidget(comment);
  auto* message = new MessageLabel(L("Meddelande om granskningen", "Message about the review"));
  message->setObjectName(QStringLiteral("review_message"));
  auto* buttons = new QHBoxLayout;
  auto* approve = Named(new QPushButton(L("&Godkänn", "&Approve")), L("Godkänn", "Approve"));
  approve->setObjectName(QStringLiteral("approve"));
  auto* send_back = Named(new QPushButton(L("Åt&ersänd med kommentar", "R&eturn with comment")),
                          L("Återsänd med kommentar", "Return with comment"));
  send_back->setObjectName(QStringLiteral("return"));
  connect(approve, &QPushButton::clicked, this, [this, comment, message]() {
    Status st = state_->store().Approve(state_->actor(), id_, S(comment->toPlainText()));
    if (!st.ok()) {
      message->ShowError(Describe(L("Kunde inte godkännas", "Could not be approved"), st));
      return;
    }
    navigator_->OpenReview(id_);
  });
  connect(send_back, &QPushButton::clicked, this, [this, comment, message]() {
    Status st = state_->store().Return(state_->actor(), id_, S(comment->toPlainText()));
    if (!st.ok()) {
      message->ShowError(Describe(L("Kunde inte återsändas", "Could not be returned"), st));
      return;
    }
    navigator_->OpenReview(id_);
  });
  buttons->addWidget(approve);
  buttons->addWidget(send_back);
  buttons->addStretch(1);
  v->addLayout(buttons);

  auto* level_line = new QHBoxLayout;
  auto* level = Named(new QComboBox, L("Ny nivå", "New level"));
  level->setObjectName(QStringLiteral("change_level"));
  if (instrument.has_banding()) {
    for (const v1::Band& b : instrument.definition().banding().bands()) {
      level->addItem(Q(TextIn(b.text(), lang)), Q(b.id()));
    }
  } else {
    for (const char* l : {"low", "medium", "high"}) {
      level->addItem(Q(LevelLabel(instrument, l, lang)), QString::fromLatin1(l));
    }
  }
  auto* reason = Named(new QLineEdit, L("Skäl till ändrad nivå", "Reason for the changed level"));
  reason->setObjectName(QStringLiteral("change_level_reason"));
  reason->setPlaceholderText(L("Skäl (obligatoriskt)", "Reason (required)"));
  auto* change =
      Named(new QPushButton(L("Ändra nivå", "Change level")), L("Ändra nivå", "Change level"));
  change->setObjectName(QStringLiteral("change_level_apply"));
  connect(change, &QPushButton::clicked, this, [this, level, reason, message]() {
    Status st = state_->store().ChangeLevel(state_->actor(), id_,
                                            S(level->currentData().toString()), S(reason->text()));
    if (!st.ok()) {
      message->ShowError(
          Describe(L("Nivån kunde inte ändras", "The level could not be changed"), st));
      return;
    }
    navigator_->OpenReview(id_);
  });
  level_line->addWidget(
      new QLabel(L("Ändra nivå före godkännande:", "Change the level before approval:")));
  level_line->addWidget(level);
  level_line->addWidget(reason, 1);
  level_line->addWidget(change);
  v->addLayout(level_line);
  v->addWidget(message);
  const bool open = record_.status == AssessmentStatus::kSubmitted;
  for (QWidget* w : {static_cast<QWidget*>(approve), static_cast<QWidget*>(send_back),
                     static_cast<QWidget*>(change), static_cast<QWidget*>(level),
                     static_cast<QWidget*>(reason), static_cast<QWidget*>(comment)}) {
    w->setEnabled(open);
  }
  if (!open) {
    message->ShowInfo(L("Bedömningen är inte inskickad för granskning: ",
                        "The assessment is not awaiting review: ") +
                      Q(StatusTitle(record_.status, lang)));
  }
  return box;
}

QWidget* AssessmentPage::BuildFollowUp() {
  const std::string& lang = Language();
  auto* box = new QGroupBox(L("Ny bedömning i samma ärende", "New assessment in the same case"));
  auto* h = new QHBoxLayout(box);
  auto* instrument = Named(new QComboBox, L("Instrument", "Instrument"));
  instrument->setObjectName(QStringLiteral("followup_instrument"));
  for (const auto& i : state_->registry().all()) {
    if (i->definition().kind() == v1::SCREENING) continue;
    instrument->addItem(Q(TextIn(i->definition().title(), lang)), Q(i->id()));
  }
  auto* start = Named(new QPushButton(L("Starta", "Start")),
                      L("Starta ny bedömning", "Start a new assessment"));
  start->setObjectName(QStringLiteral("followup_start"));
  connect(start, &QPushButton::clicked, this, [this, instrument]() {
    auto def = state_->registry().Find(S(instrument->currentData().toString()));
    if (def == nullptr) return;
    AssessmentInput input;
    input.unit = record_.unit;
    input.case_ref = record_.case_ref;
    input.subject_id = record_.subject_id;
    input.lang = Language();
    auto id = state_->store().CreateDraft(state_->actor(), input, Session(def));
    if (!id.ok()) {
      page_message_->ShowError(Describe(
          L("Bedömningen kunde inte skapas", "The assessment could not be created"), id.status()));
      return;
    }
    navigator_->OpenAssessment(*id);
  });
  h->addWidget(instrument, 1);
  h->addWidget(start);
  return box;
}

QWidget* AssessmentPage::BuildHistoryTab() {
  const std::string& lang = Language();
  auto* view = Named(new QTextBrowser, L("Versioner och granskningar", "Versions and reviews"));
  view->setObjectName(QStringLiteral("history_view"));
  QString html =
      QStringLiteral(
          "<h3>%1</h3><table "
          "cellpadding=4><tr><th>%2</th><th>%3</th><th>%4</th><th>%5</th><th>%6</th></tr>")
          .arg(L("Versioner", "Versions"), L("Version", "Version"), L("Status", "Status"),
               L("Bedömare", "Assessor"), L("Uppdaterad", "Updated"),
               L("Skäl till ändring", "Reason for amendment"));
  auto history = state_->store().History(state_->actor(), id_);
  if (history.ok()) {
    for (const AssessmentRecord& r : *history) {
      html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>")
                  .arg(r.version)
                  .arg(Q(StatusTitle(r.status, lang)).toHtmlEscaped(), Q(r.author).toHtmlEscaped(),
                       Q(r.updated_utc).toHtmlEscaped(), Q(r.amend_reason).toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
  } else {
    html += QStringLiteral("</table><p>%1</p>")
                .arg(Describe(L("Historiken kunde inte visas", "The history could not be shown"),
                              history.status())
                         .toHtmlEscaped());
  }
  auto reviews = state_->store().Reviews(state_->actor(), id_);
  html += QStringLiteral("<h3>%1</h3>").arg(L("Granskningar", "Reviews"));
  if (reviews.ok()) {
    if (reviews->empty()) html += QStringLiteral("<p>%1</p>").arg(L("Inga ännu.", "None yet."));
    html += QStringLiteral("<ul>");
    for (const ReviewEntry& r : *reviews) {
      QString decision = r.decision == "approved"   ? L("Godkänd", "Approved")
                         : r.decision == "returned" ? L("Återsänd", "Returned")
                         : r.decision == "level_changed"
                             ? L("Nivå ändrad", "Level changed") +
                                   QStringLiteral(" (%1 → %2)").arg(Q(r.level_from), Q(r.level_to))
                             : Q(r.decision);
      html += QStringLiteral("<li>%1 · %2 · %3<br>%4</li>")
                  .arg(decision.toHtmlEscaped(), Q(r.reviewer).toHtmlEscaped(),
                       Q(r.at_utc).toHtmlEscaped(), Q(r.comment).toHtmlEscaped());
    }
    html += QStringLiteral("</ul>");
  } else {
    html +=
        QStringLiteral("<p>%1</p>")
            .arg(Describe(L("Granskningarna kunde inte visas", "The reviews could not be shown"),
                          reviews.status())
                     .toHtmlEscaped());
  }
  view->setHtml(html);
  return view;
}

void AssessmentPage::ShowMissing() {
  const Instrument& instrument = session_->instrument();
  QStringList names;
  for (const std::string& id : session_->MissingRequired()) {
    const int index = instrument.ItemIndex(id);
    if (index >= 0)
      names << Q(
          TextIn(instrument.items()[static_cast<std::size_t>(index)].def->text(), Language()));
  }
  for (const std::string& id : session_->MissingJudgements()) {
    for (const v1::Judgement& j : instrument.definition().judgements()) {
      if (j.id() == id) names << Q(TextIn(j.text(), Language()));
    }
  }
  page_message_->ShowError(L("Det här saknas (F8 går till nästa obesvarade fråga): ",
                             "Still missing (F8 goes to the next unanswered question): ") +
                           names.join(QStringLiteral(" · ")));
}

void AssessmentPage::Submit() {
  dirty_ = true;
  Flush();
  if (Status st = session_->CheckFinishable(); !st.ok()) {
    ShowMissing();
    return;
  }
  Status st = state_->store().Submit(state_->actor(), id_);
  if (!st.ok()) {
    page_message_->ShowError(Describe(L("Kunde inte skickas", "Could not be submitted"), st));
    return;
  }
  navigator_->OpenAssessment(id_);
}

void AssessmentPage::SaveContact() {
  dirty_ = true;
  Flush();
  if (Status st = session_->CheckFinishable(); !st.ok()) {
    ShowMissing();
    return;
  }
  EvaluateOptions options;
  options.lang = Language();
  auto result = Evaluate(*session_, options);
  if (!result.ok()) {
    page_message_->ShowError(Describe(
        L("Resultatet kunde inte beräknas", "The result could not be computed"), result.status()));
    return;
  }
  // One transaction (Store::RecordIntake): the contact (which opens the case), the routine
  // question linked to it and submitted (its due items), and an earlier draft of it, if any,
  // discarded. All of it is kept or none.
  IntakeInput intake;
  intake.unit = record_.unit;
  intake.case_ref = record_.case_ref;
  intake.contact_date = S(contact_date_edit_->date().toString(Qt::ISODate));
  intake.lang = Language();
  if (id_ != 0) intake.draft_to_discard = id_;
  auto recorded = state_->store().RecordIntake(state_->actor(), intake, *session_);
  const Status st = recorded.status();
  if (st.code() == StatusCode::kNotFound) {
    // After the contact was accepted: a case the user may not see.
    page_message_->ShowError(Q(ContactRefusedText(Language())));
    return;
  }
  if (!st.ok()) {
    page_message_->ShowError(
        Describe(L("Kontakten kunde inte sparas", "The contact could not be saved"), st));
    return;
  }
  editable_ = false;  // saved (any earlier draft discarded): nothing more to save
  navigator_->OpenAssessment(recorded->assessment_id);
}

Status AssessmentPage::SaveSummaryPdf(const QString& path) {
  if (!result_) return Status::FailedPrecondition(S(L("inget resultat", "no result")));
  return WritePdf(
      CaseSummaryHtml(record_, session_->instrument(), *session_, *result_, state_->directory()),
      Q(TextIn(session_->instrument().definition().title(), Language())), path);
}

Result<DiscreetCard> AssessmentPage::CardFor(const std::string& lang) {
  if (state_->directory() == nullptr) {
    return Status::FailedPrecondition(S(L("ingen resurskatalog", "no resource directory")));
  }
  // The resources the library chooses for the person, in the person's language; the card's
  // rules (verified numbers only, each once, neutral names) are the library's.
  EvaluateOptions options;
  options.lang = lang;
  options.directory = state_->directory();
  if (role_ != nullptr) options.subject_role = S(role_->currentData().toString());
  auto result = Evaluate(*session_, options);
  if (!result.ok()) return result.status();
  CardRequest request;
  request.lang = lang;
  request.resource_ids.assign(result->resources().begin(), result->resources().end());
  return state_->directory()->Card(request);
}

Status AssessmentPage::SaveCardPdf(const QString& path, const std::string& lang) {
  auto card = CardFor(lang);
  if (!card.ok()) return card.status();
  return WriteCardPdf(*card, path);
}

}  // namespace screening::desktop
