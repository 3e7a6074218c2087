#include "main_window.h"

#include <string_view>

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "admin_pages.h"
#include "app_state.h"
#include "assessment_page.h"
#include "i18n.h"
#include "list_pages.h"
#include "ui_util.h"

namespace screening::desktop {
namespace {

const QString kAppTitle = QStringLiteral("Screening");

QComboBox* LanguageCombo() {
  auto* combo = Named(new QComboBox, L("Språk", "Language"));
  combo->addItem(QStringLiteral("Svenska"), QStringLiteral("sv"));
  combo->addItem(QStringLiteral("English"), QStringLiteral("en"));
  combo->setCurrentIndex(Language() == "en" ? 1 : 0);
  return combo;
}

}  // namespace

MainWindow::MainWindow(AppState* state, QWidget* parent) : QMainWindow(parent), state_(state) {
  setObjectName(QStringLiteral("main_window"));
  resize(1100, 800);
  views_ = new QStackedWidget(this);
  setCentralWidget(views_);
  RebuildViews();

  // Quick hide: from anywhere in the application, at once.
  for (const QKeySequence& key :
       {QKeySequence(Qt::Key_F12), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H)}) {
    auto* hide = new QShortcut(key, this);
    hide->setContext(Qt::ApplicationShortcut);
    connect(hide, &QShortcut::activated, this, &MainWindow::QuickHide);
  }
  idle_.setSingleShot(true);
  idle_.setInterval(state_->config().lock_after_seconds * 1000);
  connect(&idle_, &QTimer::timeout, this, &MainWindow::Lock);
  qApp->installEventFilter(this);
}

MainWindow::~MainWindow() {
  qApp->removeEventFilter(this);
  WipeSecret(&one_time_password_);
  if (page_ != nullptr) page_->Flush();
}

void MainWindow::OpenStore() {
  Status st = state_->Open();
  if (!st.ok()) {
    login_message_->ShowError(Q(st.message()));
    login_button_->setEnabled(false);
  } else {
    login_button_->setEnabled(true);
    ready_ = true;
  }
  Q_EMIT readyChanged();
}

void MainWindow::RebuildViews() {
  const int current = views_->currentIndex();
  const QString user = login_user_ != nullptr ? login_user_->text() : Q(state_->config().user);
  for (QWidget* w : {login_view_, lock_view_, work_view_, new_password_view_}) {
    if (w != nullptr) {
      views_->removeWidget(w);
      w->deleteLater();
    }
  }
  page_ = nullptr;
  login_view_ = BuildLogin();
  lock_view_ = BuildLock();
  work_view_ = BuildWork();
  new_password_view_ = BuildNewPassword();
  views_->addWidget(login_view_);
  views_->addWidget(lock_view_);
  views_->addWidget(work_view_);
  views_->addWidget(new_password_view_);
  login_user_->setText(user);
  login_button_->setEnabled(state_->is_open());
  views_->setCurrentIndex(current < 0 ? 0 : current);
  if (current == 2 && page_factory_) ShowPage(page_factory_);
  UpdateTitle();
}

namespace {

// A view with `box` centred: the login, locked and new-password views.
QWidget* Centered(QWidget* box) {
  auto* view = new QWidget;
  auto* outer = new QVBoxLayout(view);
  outer->addStretch(1);
  auto* h = new QHBoxLayout;
  h->addStretch(1);
  h->addWidget(box);
  h->addStretch(1);
  outer->addLayout(h);
  outer->addStretch(2);
  return view;
}

}  // namespace

QWidget* MainWindow::BuildLogin() {
  auto* box = new QWidget;
  box->setMaximumWidth(460);
  auto* v = new QVBoxLayout(box);
  v->addWidget(Heading(L("Logga in", "Log in"), 1));
  auto* form = new QFormLayout;
  login_user_ = Named(new QLineEdit, L("Användarnamn", "User name"));
  login_user_->setObjectName(QStringLiteral("login_user"));
  login_password_ = Named(new QLineEdit, L("Lösenord", "Password"));
  login_password_->setObjectName(QStringLiteral("login_password"));
  login_password_->setEchoMode(QLineEdit::Password);
  login_lang_ = LanguageCombo();
  login_lang_->setObjectName(QStringLiteral("login_lang"));
  form->addRow(L("&Användarnamn:", "&User name:"), login_user_);
  form->addRow(L("&Lösenord:", "&Password:"), login_password_);
  form->addRow(L("&Språk:", "Lan&guage:"), login_lang_);
  v->addLayout(form);
  login_message_ = new MessageLabel(L("Meddelande om inloggningen", "Message about the login"));
  login_message_->setObjectName(QStringLiteral("login_message"));
  v->addWidget(login_message_);
  login_button_ = Named(new QPushButton(L("Logga in", "Log in")), L("Logga in", "Log in"));
  login_button_->setObjectName(QStringLiteral("login_button"));
  login_button_->setDefault(true);
  login_button_->setEnabled(false);
  v->addWidget(login_button_, 0, Qt::AlignLeft);
  v->addWidget(Paragraph(L("F12 eller Ctrl+Skift+H döljer skärmen direkt.",
                           "F12 or Ctrl+Shift+H hides the screen at once.")));
  connect(login_button_, &QPushButton::clicked, this, &MainWindow::SubmitLogin);
  connect(login_password_, &QLineEdit::returnPressed, this, &MainWindow::SubmitLogin);
  connect(login_user_, &QLineEdit::returnPressed, login_password_,
          [this]() { login_password_->setFocus(); });
  connect(login_lang_, &QComboBox::currentIndexChanged, this,
          [this]() { SetUiLanguage(S(login_lang_->currentData().toString())); });
  return Centered(box);
}

QWidget* MainWindow::BuildLock() {
  // Neutral on purpose: nothing on it says what the program is for.
  auto* box = new QWidget;
  box->setMaximumWidth(420);
  auto* v = new QVBoxLayout(box);
  v->addWidget(Heading(L("Låst", "Locked"), 1));
  unlock_password_ = Named(new QLineEdit, L("Lösenord", "Password"));
  unlock_password_->setObjectName(QStringLiteral("unlock_password"));
  unlock_password_->setEchoMode(QLineEdit::Password);
  v->addWidget(unlock_password_);
  unlock_message_ = new MessageLabel(L("Meddelande om upplåsningen", "Message about unlocking"));
  v->addWidget(unlock_message_);
  auto* buttons = new QHBoxLayout;
  auto* unlock = Named(new QPushButton(L("Lås upp", "Unlock")), L("Lås upp", "Unlock"));
  unlock->setObjectName(QStringLiteral("unlock_button"));
  auto* logout = Named(new QPushButton(L("Logga ut", "Log out")), L("Logga ut", "Log out"));
  buttons->addWidget(unlock);
  buttons->addWidget(logout);
  buttons->addStretch(1);
  v->addLayout(buttons);
  connect(unlock, &QPushButton::clicked, this, &MainWindow::SubmitUnlock);
  connect(unlock_password_, &QLineEdit::returnPressed, this, &MainWindow::SubmitUnlock);
  connect(logout, &QPushButton::clicked, this, &MainWindow::LogOut);
  QWidget* view = Centered(box);
  view->setObjectName(QStringLiteral("lock_view"));
  return view;
}

QWidget* MainWindow::BuildWork() {
  auto* view = new QWidget;
  auto* v = new QVBoxLayout(view);
  auto* bar = new QHBoxLayout;
  struct Nav {
    QString text;
    QString name;
    QKeySequence key;
    void (MainWindow::*open)();
    const char* object;
  };
  const Nav navs[] = {
      {L("Att &göra", "To &do"), L("Att göra", "To do"), QKeySequence(Qt::CTRL | Qt::Key_1),
       &MainWindow::OpenTodo, "nav_todo"},
      {L("&Ny kontakt", "&New contact"), L("Ny kontakt", "New contact"),
       QKeySequence(Qt::CTRL | Qt::Key_2), &MainWindow::OpenNewContact, "nav_contact"},
      {L("&Bedömningar", "&Assessments"), L("Bedömningar", "Assessments"),
       QKeySequence(Qt::CTRL | Qt::Key_3), &MainWindow::OpenAssessments, "nav_assessments"},
      {L("Gr&anskning", "Re&view"), L("Granskning", "Review"), QKeySequence(Qt::CTRL | Qt::Key_4),
       &MainWindow::OpenReviewQueue, "nav_review"},
      {L("&Indikatorer", "&Indicators"), L("Indikatorer", "Indicators"),
       QKeySequence(Qt::CTRL | Qt::Key_5), &MainWindow::OpenIndicators, "nav_indicators"},
      {L("&Konton", "A&ccounts"), L("Konton", "Accounts"), QKeySequence(Qt::CTRL | Qt::Key_6),
       &MainWindow::OpenAccounts, "nav_accounts"},
      {L("&Tillgång", "Acce&ss"), L("Tillgång till skyddade ärenden", "Access to protected cases"),
       QKeySequence(Qt::CTRL | Qt::Key_7), &MainWindow::OpenGrants, "nav_grants"},
  };
  for (const Nav& nav : navs) {
    auto* button = Named(new QPushButton(nav.text), nav.name + QStringLiteral(" (") +
                                                        nav.key.toString(QKeySequence::NativeText) +
                                                        QStringLiteral(")"));
    button->setObjectName(QString::fromLatin1(nav.object));
    button->setToolTip(nav.key.toString(QKeySequence::NativeText));
    button->setAutoDefault(false);
    auto open = nav.open;
    connect(button, &QPushButton::clicked, this, [this, open]() { (this->*open)(); });
    auto* shortcut = new QShortcut(nav.key, view);
    connect(shortcut, &QShortcut::activated, this, [this, open]() { (this->*open)(); });
    bar->addWidget(button);
    // The administrator's and the supervisor's screens are shown to them only (the store
    // decides what each may do; these only keep the bar short for the others).
    if (std::string_view(nav.object) == "nav_accounts") nav_accounts_ = button;
    if (std::string_view(nav.object) == "nav_grants") nav_grants_ = button;
  }
  bar->addStretch(1);
  user_label_ = new QLabel;
  user_label_->setObjectName(QStringLiteral("user_label"));
  bar->addWidget(user_label_);
  auto* lang = LanguageCombo();
  lang->setObjectName(QStringLiteral("work_lang"));
  connect(lang, &QComboBox::currentIndexChanged, this,
          [this, lang]() { SetUiLanguage(S(lang->currentData().toString())); });
  bar->addWidget(lang);
  auto* lock = Named(new QPushButton(L("&Lås", "&Lock")), L("Lås (Ctrl+L)", "Lock (Ctrl+L)"));
  lock->setObjectName(QStringLiteral("lock_button"));
  connect(lock, &QPushButton::clicked, this, &MainWindow::Lock);
  auto* lock_key = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), view);
  connect(lock_key, &QShortcut::activated, this, &MainWindow::Lock);
  auto* hide = Named(new QPushButton(L("Dölj (F12)", "Hide (F12)")),
                     L("Dölj skärmen direkt (F12)", "Hide the screen at once (F12)"));
  hide->setObjectName(QStringLiteral("hide_button"));
  connect(hide, &QPushButton::clicked, this, &MainWindow::QuickHide);
  auto* logout = Named(new QPushButton(L("Logga &ut", "Log &out")), L("Logga ut", "Log out"));
  logout->setObjectName(QStringLiteral("logout_button"));
  connect(logout, &QPushButton::clicked, this, &MainWindow::LogOut);
  bar->addWidget(lock);
  bar->addWidget(hide);
  bar->addWidget(logout);
  v->addLayout(bar);
  work_message_ = new MessageLabel(L("Meddelande", "Message"));
  work_message_->setObjectName(QStringLiteral("work_message"));
  v->addWidget(work_message_);
  page_holder_ = new QStackedWidget;
  v->addWidget(page_holder_, 1);
  return view;
}

QWidget* MainWindow::BuildNewPassword() {
  auto* box = new QWidget;
  box->setMaximumWidth(520);
  auto* v = new QVBoxLayout(box);
  v->addWidget(Heading(L("Välj ett eget lösenord", "Choose your own password"), 1));
  v->addWidget(
      Paragraph(L("Lösenordet du loggade in med är satt av en administratör och gäller "
                  "bara den här inloggningen. Välj ett eget (minst 10 tecken); inget "
                  "annat går att göra förrän det är gjort.",
                  "The password you logged in with was set by an administrator and is "
                  "for this login only. Choose your own (at least 10 characters); "
                  "nothing else can be done until then.")));
  auto* form = new QFormLayout;
  new_password_ = Named(new QLineEdit, L("Nytt lösenord", "New password"));
  new_password_->setObjectName(QStringLiteral("new_password"));
  new_password_->setEchoMode(QLineEdit::Password);
  new_password_repeat_ = Named(new QLineEdit, L("Upprepa lösenordet", "Repeat the password"));
  new_password_repeat_->setObjectName(QStringLiteral("new_password_repeat"));
  new_password_repeat_->setEchoMode(QLineEdit::Password);
  form->addRow(L("&Nytt lösenord:", "&New password:"), new_password_);
  form->addRow(L("&Upprepa:", "&Repeat:"), new_password_repeat_);
  v->addLayout(form);
  new_password_message_ =
      new MessageLabel(L("Meddelande om lösenordet", "Message about the password"));
  new_password_message_->setObjectName(QStringLiteral("new_password_message"));
  v->addWidget(new_password_message_);
  auto* buttons = new QHBoxLayout;
  auto* save = Named(new QPushButton(L("&Spara lösenordet", "&Save the password")),
                     L("Spara lösenordet", "Save the password"));
  save->setObjectName(QStringLiteral("new_password_save"));
  save->setDefault(true);
  auto* logout = Named(new QPushButton(L("Logga &ut", "Log &out")), L("Logga ut", "Log out"));
  buttons->addWidget(save);
  buttons->addWidget(logout);
  buttons->addStretch(1);
  v->addLayout(buttons);
  connect(save, &QPushButton::clicked, this, &MainWindow::SubmitNewPassword);
  connect(new_password_repeat_, &QLineEdit::returnPressed, this, &MainWindow::SubmitNewPassword);
  connect(new_password_, &QLineEdit::returnPressed, new_password_repeat_,
          [this]() { new_password_repeat_->setFocus(); });
  connect(logout, &QPushButton::clicked, this, &MainWindow::LogOut);
  QWidget* view = Centered(box);
  view->setObjectName(QStringLiteral("new_password_view"));
  return view;
}

bool MainWindow::on_new_password() const { return views_->currentWidget() == new_password_view_; }

void MainWindow::UpdateTitle() {
  // Only the program and the screen's generic name: never a case, a person or a user.
  if (views_->currentWidget() == work_view_ && page_ != nullptr) {
    setWindowTitle(kAppTitle + QStringLiteral(" – ") + page_->Title());
  } else {
    setWindowTitle(kAppTitle);
  }
}

bool MainWindow::locked() const { return views_->currentWidget() == lock_view_; }
bool MainWindow::on_login() const { return views_->currentWidget() == login_view_; }

void MainWindow::SubmitLogin() {
  if (!state_->is_open()) return;
  std::string password = S(login_password_->text());
  login_password_->clear();
  std::string typed = password;  // kept only if it turns out to be one-time
  Status st = state_->LogIn(S(login_user_->text().trimmed()), &password);
  WipeSecret(&password);
  if (!st.ok()) {
    WipeSecret(&typed);
    login_message_->ShowError(Q(st.message()));
    return;
  }
  login_message_->Clear();
  if (state_->actor().must_change_password) {
    one_time_password_ = std::move(typed);
    new_password_message_->Clear();
    views_->setCurrentWidget(new_password_view_);
    new_password_->setFocus();
    return;
  }
  WipeSecret(&typed);
  EnterWork();
}

void MainWindow::SubmitNewPassword() {
  std::string fresh = S(new_password_->text());
  std::string repeat = S(new_password_repeat_->text());
  new_password_->clear();
  new_password_repeat_->clear();
  if (fresh != repeat) {
    WipeSecret(&fresh);
    WipeSecret(&repeat);
    new_password_message_->ShowError(
        L("Lösenorden är inte lika; skriv dem igen.", "The passwords differ; type them again."));
    new_password_->setFocus();
    return;
  }
  WipeSecret(&repeat);
  std::string current = one_time_password_;
  Status st = state_->ChangeOwnPassword(&current, &fresh);
  if (!st.ok()) {
    new_password_message_->ShowError(Q(st.message()));
    if (!state_->logged_in()) LogOut();
    new_password_->setFocus();
    return;
  }
  WipeSecret(&one_time_password_);
  new_password_message_->Clear();
  EnterWork();
}

void MainWindow::EnterWork() {
  const Actor& actor = state_->actor();
  nav_accounts_->setVisible(actor.role == Role::kAdmin);
  nav_grants_->setVisible(actor.role == Role::kSupervisor);
  // Installed instrument versions the database does not accept: said at once, so nobody
  // fills in a form that cannot be submitted.
  work_message_->Clear();
  auto unpinned = state_->store().UnpinnedInstruments(actor);
  if (unpinned.ok() && !unpinned->empty()) {
    QStringList list;
    for (const auto& p : *unpinned) list << Q(p.instrument_id + " " + p.version);
    work_message_->ShowError(
        L("Obs: de här instrumentversionerna är inte godkända i databasen: ",
          "Note: these instrument versions are not accepted by the database: ") +
        list.join(QStringLiteral(", ")) +
        L(". Bedömningar på dem kan inte skickas in förrän en administratör godkänner dem "
          "(Konton).",
          ". Assessments on them cannot be submitted until an administrator accepts them "
          "(Accounts)."));
  }
  user_label_->setText(
      Q(actor.name) + QStringLiteral(" · ") +
      Q(state_->registry().vocabulary()->Label("user_roles", RoleId(actor.role), Language())));
  views_->setCurrentWidget(work_view_);
  idle_.start();
  OpenHome();
}

void MainWindow::SubmitUnlock() {
  std::string password = S(unlock_password_->text());
  unlock_password_->clear();
  Status st = state_->Unlock(&password);
  WipeSecret(&password);
  if (!st.ok()) {
    unlock_message_->ShowError(Q(st.message()));
    return;
  }
  unlock_message_->Clear();
  views_->setCurrentWidget(work_view_);
  if (page_factory_) ShowPage(page_factory_);  // fresh from the store
  idle_.start();
  UpdateTitle();
}

void MainWindow::OpenHome() {
  const Role role = state_->actor().role;
  if (role == Role::kAdmin) {
    OpenAccounts();
  } else if (role == Role::kCoordinator) {
    OpenIndicators();
  } else if (role == Role::kSupervisor) {
    OpenReviewQueue();
  } else {
    OpenTodo();
  }
}

void MainWindow::ShowPage(std::function<Page*()> factory) {
  if (!state_->logged_in()) return;
  if (page_ != nullptr) {
    DropPage();
  }
  page_factory_ = std::move(factory);
  page_ = page_factory_();
  page_holder_->addWidget(page_);
  page_holder_->setCurrentWidget(page_);
  UpdateTitle();
}

void MainWindow::DropPage() {
  // Hidden at once; deleted later, as it may be the sender of the signal that got here.
  page_->Flush();
  page_holder_->removeWidget(page_);
  page_->hide();
  page_->deleteLater();
  page_ = nullptr;
}

void MainWindow::OpenTodo() {
  ShowPage([this]() { return new TodoPage(state_, this); });
}
void MainWindow::OpenNewContact() {
  ShowPage([this]() { return new ContactPage(state_, this); });
}
void MainWindow::OpenAssessments() {
  ShowPage([this]() { return new AssessmentsPage(state_, this); });
}
void MainWindow::OpenReviewQueue() {
  ShowPage([this]() { return new ReviewQueuePage(state_, this); });
}
void MainWindow::OpenIndicators() {
  ShowPage([this]() { return new IndicatorsPage(state_); });
}
void MainWindow::OpenAccounts() {
  ShowPage([this]() { return new AccountsPage(state_); });
}
void MainWindow::OpenGrants() {
  ShowPage([this]() { return new GrantsPage(state_); });
}
void MainWindow::OpenAssessment(std::int64_t id) {
  ShowPage(
      [this, id]() { return new AssessmentPage(state_, this, id, AssessmentPage::Mode::kOpen); });
}
void MainWindow::OpenRoutine(std::shared_ptr<NewContact> contact) {
  ShowPage([this, contact]() { return new AssessmentPage(state_, this, contact); });
}
void MainWindow::OpenReview(std::int64_t id) {
  ShowPage(
      [this, id]() { return new AssessmentPage(state_, this, id, AssessmentPage::Mode::kReview); });
}

void MainWindow::QuickHide() {
  // First make the screen neutral, then save: nothing sensitive stays visible while the
  // store works.
  for (QWidget* w : QApplication::topLevelWidgets()) {
    if (w != this && w->isVisible()) w->hide();
  }
  if (state_->logged_in()) {
    views_->setCurrentWidget(lock_view_);
    UpdateTitle();
    // The work screen is dropped; it is rebuilt from the store after unlocking.
    if (page_ != nullptr) {
      DropPage();
    }
  } else {
    login_password_->clear();
  }
  unlock_password_->setFocus();
}

void MainWindow::Lock() {
  if (!state_->logged_in() || locked()) return;
  QuickHide();
}

void MainWindow::LogOut() {
  if (page_ != nullptr) {
    DropPage();
  }
  page_factory_ = nullptr;
  WipeSecret(&one_time_password_);
  state_->LogOut();
  idle_.stop();
  login_password_->clear();
  views_->setCurrentWidget(login_view_);
  UpdateTitle();
  login_password_->setFocus();
}

void MainWindow::SetUiLanguage(const std::string& lang) {
  if (lang == Language()) return;
  if (page_ != nullptr) page_->Flush();
  SetLanguage(lang);
  // Rebuild after the current event: the combo box that asked is part of what is rebuilt.
  QTimer::singleShot(0, this, [this]() {
    RebuildViews();
    if (state_->logged_in()) {
      const Actor& actor = state_->actor();
      nav_accounts_->setVisible(actor.role == Role::kAdmin);
      nav_grants_->setVisible(actor.role == Role::kSupervisor);
      user_label_->setText(
          Q(actor.name) + QStringLiteral(" · ") +
          Q(state_->registry().vocabulary()->Label("user_roles", RoleId(actor.role), Language())));
    }
  });
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
      if (state_->logged_in() && !locked()) idle_.start();
      break;
    default:
      break;
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (page_ != nullptr) page_->Flush();
  event->accept();
}

}  // namespace screening::desktop
