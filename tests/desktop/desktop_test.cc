// QTest tests of the desktop client, driving the real widgets under the offscreen platform
// against a fresh database made with the library (made-up users and case references only).
#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSet>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QSvgWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <optional>
#include <random>
#include <sstream>

#include <screening/indicators.h>
#include <screening/registry.h>
#include <screening/store.h>

#include <nlohmann/json.hpp>

#include "admin_pages.h"
#include "app_state.h"
#include "assessment_page.h"
#include "commands/io.h"
#include "commands/run.h"
#include "form_widget.h"
#include "handover_dialog.h"
#include "i18n.h"
#include "indicators_page.h"
#include "list_pages.h"
#include "main_window.h"
#include "test_paths.h"
#include "ui_util.h"

using namespace screening;
using namespace screening::desktop;

namespace {

const char kAdminPassword[] = "admin-password-1";
const char kCaseworkerPassword[] = "caseworker-pass-1";
const char kSupervisorPassword[] = "supervisor-pass-1";
const char kCoordinatorPassword[] = "coordinator-pass-1";

struct App {
  std::unique_ptr<AppState> state;
  std::unique_ptr<MainWindow> window;

  // A control of the current screen, else of the window (login, lock, navigation). A
  // screen left a moment ago may still exist until the event loop deletes it.
  template <typename T>
  T* Find(const QString& name) const {
    if (window->page() != nullptr) {
      if (T* found = window->page()->findChild<T*>(name); found != nullptr) return found;
    }
    for (T* found : window->findChildren<T*>(name)) {
      QWidget* w = found;
      while (w != nullptr && qobject_cast<Page*>(w) == nullptr) w = w->parentWidget();
      if (w == nullptr) return found;
    }
    return nullptr;
  }
  AssessmentPage* Assessment() const { return qobject_cast<AssessmentPage*>(window->page()); }
};

// Every message Qt or the app logs while the leak canary runs.
QStringList* g_messages = nullptr;
QtMessageHandler g_previous_handler = nullptr;

void CollectMessage(QtMsgType type, const QMessageLogContext& context, const QString& text) {
  if (g_messages != nullptr) g_messages->append(text);
  if (g_previous_handler != nullptr) g_previous_handler(type, context, text);
}

}  // namespace

class DesktopTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::shared_ptr<const Registry> registry_;
  QSet<QString> opened_;  // the cases this test has opened with OpenCase

  std::unique_ptr<Store> OpenStore() {
    StoreOptions options;
    options.password_cost = 0;
    options.audit_key_file = (dir_->path() + QStringLiteral("/audit.key")).toStdString();
    auto store = OpenSqliteStore((dir_->path() + QStringLiteral("/screening.db")).toStdString(),
                                 registry_, options);
    if (!store.ok()) qFatal("open store: %s", store.status().ToString().c_str());
    return std::move(*store);
  }

  Actor LogInDirect(Store& store, const char* user, const char* password) {
    auto actor = store.Login(user, password);
    if (!actor.ok()) qFatal("login: %s", actor.status().ToString().c_str());
    return *actor;
  }

  std::unique_ptr<App> Start(const char* user, const char* password,
                             const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"screening-desktop"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto config = ConfigFromArguments(args);
    if (!config.ok()) qFatal("config: %s", config.status().ToString().c_str());
    SetLanguage(config->lang);
    auto app = std::make_unique<App>();
    app->state = std::make_unique<AppState>(*config);
    app->window = std::make_unique<MainWindow>(app->state.get());
    app->window->show();
    app->window->activateWindow();
    if (!QTest::qWaitForWindowActive(app->window.get())) qWarning("window not active");
    app->window->OpenStore();
    if (!app->window->ready()) qFatal("store did not open");
    if (user != nullptr) {
      app->window->login_user()->setText(QString::fromUtf8(user));
      QTest::keyClicks(app->window->login_password(), QString::fromUtf8(password));
      app->window->login_button()->click();
    }
    return app;
  }

  // Opens a case the only way cases are opened: a new contact (the routine question asked,
  // nothing disclosed) by the caseworker, through the library. Once per case and test.
  void OpenCase(const char* case_ref) {
    if (opened_.contains(QString::fromUtf8(case_ref))) return;
    auto store = OpenStore();
    Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
    ContactInput contact;
    contact.unit = "ifo_vuxen";
    contact.case_ref = case_ref;
    contact.contact_date = QDate::currentDate().toString(Qt::ISODate).toStdString();
    contact.outcome = "not_disclosed";
    auto id = store->AddContact(cw, contact);
    if (!id.ok()) qFatal("open case: %s", id.status().ToString().c_str());
    opened_.insert(QString::fromUtf8(case_ref));
  }

  // Starts a new assessment of `instrument` from the assessments screen, in a case opened by
  // a contact first.
  AssessmentPage* StartAssessment(App& app, const char* instrument, const char* case_ref) {
    OpenCase(case_ref);
    app.window->OpenAssessments();
    auto* page = qobject_cast<AssessmentsPage*>(app.window->page());
    if (page == nullptr) return nullptr;
    page->instrument()->setCurrentIndex(
        page->instrument()->findData(QString::fromLatin1(instrument)));
    QTest::keyClicks(page->case_ref(), QString::fromLatin1(case_ref));
    page->StartNew();
    return app.Assessment();
  }

  void Click(const App& app, const QString& name) {
    auto* button = app.Find<QAbstractButton>(name);
    QVERIFY2(button != nullptr, qPrintable(QStringLiteral("no control ") + name));
    QVERIFY2(button->isEnabled(), qPrintable(QStringLiteral("disabled: ") + name));
    button->click();
  }

  bool Shown(const App& app, const QString& name) {
    auto* w = app.Find<QWidget>(name);
    return w != nullptr && !w->isHidden();
  }

  // Submits a dash with 14 yes answers as the caseworker; returns its id.
  std::int64_t SubmitHighDash(const char* case_ref) {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "dash", case_ref);
    if (page == nullptr || !page->loaded()) qFatal("dash did not open");
    for (int q = 1; q <= 14; ++q) {
      app->Find<QAbstractButton>(QStringLiteral("q%1:yes").arg(q))->click();
    }
    app->Find<QAbstractButton>(QStringLiteral("submit"))->click();
    auto* after = app->Assessment();
    if (after == nullptr || after->record().status != AssessmentStatus::kSubmitted)
      qFatal("dash not submitted");
    return after->record().id;
  }

  // A database in `folder` (screening.db, audit.key) with the unit ifo_vuxen and the test's
  // accounts.
  void MakeDatabase(const QString& folder) {
    StoreOptions options;
    options.password_cost = 0;
    options.audit_key_file = (folder + QStringLiteral("/audit.key")).toStdString();
    auto store = CreateSqliteStore((folder + QStringLiteral("/screening.db")).toStdString(),
                                   registry_, "admin", kAdminPassword, options);
    QVERIFY2(store.ok(), store.status().ToString().c_str());
    Actor admin = LogInDirect(**store, "admin", kAdminPassword);
    QVERIFY((*store)->AddUnit(admin, "ifo_vuxen").ok());
    QVERIFY(AddUserReady(**store, admin, "handlaggare", Role::kCaseworker, {"ifo_vuxen"},
                         kCaseworkerPassword)
                .ok());
    QVERIFY(AddUserReady(**store, admin, "arbetsledare", Role::kSupervisor, {"ifo_vuxen"},
                         kSupervisorPassword)
                .ok());
    QVERIFY(AddUserReady(**store, admin, "samordnare", Role::kCoordinator, {"ifo_vuxen"},
                         kCoordinatorPassword)
                .ok());
  }

  // What a case holds, as the person's own extract gives it (contacts with outcome, reason,
  // note and violence types; people; assessments with answers and result), without what
  // differs between two databases by nature: ids and times.
  nlohmann::json CaseRecords(Store& store, const char* case_ref) {
    Actor supervisor = LogInDirect(store, "arbetsledare", kSupervisorPassword);
    auto extract = store.CaseExtract(supervisor, "ifo_vuxen", case_ref, "Test av intaget.");
    if (!extract.ok()) qFatal("extract: %s", extract.status().ToString().c_str());
    nlohmann::json doc = nlohmann::json::parse(*extract);
    doc.erase("extracted_utc");
    for (const char* list : {"contacts", "subjects", "assessments"}) {
      for (auto& row : doc[list]) {
        row.erase("id");
        row.erase("created_utc");
      }
    }
    return doc;
  }

  // The due items of a case, with the Swedish date of the submission they came from (a due
  // date counts from it).
  struct DueOfCase {
    std::vector<DueItem> items;
    std::string submitted_local_date;
  };
  DueOfCase DueItemsOf(Store& store, const char* case_ref) {
    Actor cw = LogInDirect(store, "handlaggare", kCaseworkerPassword);
    DueOfCase out;
    auto due = store.Due(cw, false);
    if (!due.ok()) qFatal("due: %s", due.status().ToString().c_str());
    for (const DueItem& d : *due) {
      if (d.case_ref != case_ref) continue;
      out.items.push_back(d);
      auto record = store.Get(cw, d.assessment_id);
      if (!record.ok()) qFatal("get: %s", record.status().ToString().c_str());
      out.submitted_local_date = SwedishLocalDateTime(record->submitted_utc).substr(0, 10);
    }
    return out;
  }

  // Records an intake with `screening intake --answers -` (in-process) on the database in
  // `folder`; returns the CLI's JSON output.
  nlohmann::json CliIntake(const QString& folder, const char* case_ref, const std::string& date,
                           const std::string& answers) {
    std::istringstream in(std::string(kCaseworkerPassword) + "\n" + answers);
    std::ostringstream out;
    std::ostringstream err;
    cli::Io io(in, out, err);
    const std::map<std::string, std::string> env = {
        {"SCREENING_DB", (folder + QStringLiteral("/screening.db")).toStdString()},
        {"SCREENING_AUDIT_KEY", (folder + QStringLiteral("/audit.key")).toStdString()},
        {"SCREENING_INSTRUMENTS", SCREENING_TEST_INSTRUMENTS_DIR},
        {"SCREENING_USER", "handlaggare"},
        {"SCREENING_PASSWORD_COST", "0"}};
    io.env = [env](std::string_view name) -> std::optional<std::string> {
      auto it = env.find(std::string(name));
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    const int code = cli::Run({"intake", "--unit", "ifo_vuxen", "--case", case_ref, "--answers",
                               "-", "--date", date, "--format", "json", "--password-stdin"},
                              io);
    if (code != 0) qFatal("screening intake: %s", err.str().c_str());
    return nlohmann::json::parse(out.str());
  }

 private Q_SLOTS:
  void initTestCase() {
    Diagnostics diagnostics;
    auto registry = Registry::LoadDirectory(SCREENING_TEST_INSTRUMENTS_DIR, &diagnostics);
    QVERIFY(registry.ok());
    registry_ = *registry;
  }

  void init() {
    opened_.clear();
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    qputenv("SCREENING_DB", (dir_->path() + QStringLiteral("/screening.db")).toUtf8());
    qputenv("SCREENING_AUDIT_KEY", (dir_->path() + QStringLiteral("/audit.key")).toUtf8());
    qputenv("SCREENING_PASSWORD_COST", "0");
    qputenv("SCREENING_INSTRUMENTS", SCREENING_TEST_INSTRUMENTS_DIR);
    qunsetenv("SCREENING_LANG");
    qunsetenv("SCREENING_LOCK_AFTER");
    MakeDatabase(dir_->path());
  }

  void cleanup() { dir_.reset(); }

  void loginWindowTitleAndRefusal() {
    auto app = Start(nullptr, nullptr);
    QVERIFY(app->window->on_login());
    QCOMPARE(app->window->windowTitle(), QStringLiteral("Screening"));
    app->window->login_user()->setText(QStringLiteral("handlaggare"));
    QTest::keyClicks(app->window->login_password(), QStringLiteral("wrong-password-9"));
    QTest::keyClick(app->window->login_password(), Qt::Key_Return);
    QVERIFY(app->window->on_login());
    QVERIFY(!app->window->login_message()->isHidden());
    QVERIFY(app->window->login_message()->text().contains(QStringLiteral("nekades")));
    QVERIFY(app->window->login_password()->text().isEmpty());
    QTest::keyClicks(app->window->login_password(), QString::fromLatin1(kCaseworkerPassword));
    QTest::keyClick(app->window->login_password(), Qt::Key_Return);
    QVERIFY(!app->window->on_login());
    QVERIFY(qobject_cast<TodoPage*>(app->window->page()) != nullptr);
    QVERIFY(!app->window->windowTitle().contains(QStringLiteral("handlaggare")));
  }

  void intakeWithDisclosure() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    app->window->OpenNewContact();
    auto* contact = qobject_cast<ContactPage*>(app->window->page());
    QVERIFY(contact != nullptr);
    QTest::keyClicks(contact->case_ref(), QStringLiteral("VX-1001"));
    QTest::keyClick(contact->case_ref(), Qt::Key_Return);
    AssessmentPage* page = app->Assessment();
    QVERIFY(page != nullptr && page->loaded() && page->editable());
    QVERIFY(!app->window->windowTitle().contains(QStringLiteral("VX-1001")));
    // Nothing is stored before the contact is saved: only the contact opens the case.
    QVERIFY(app->Find<QLabel>("save_state")->text().startsWith(QStringLiteral("Sparas när")));
    // The routine question begins with whether it can be asked safely.
    QVERIFY(Shown(*app, "item_safe_to_ask"));
    QVERIFY(!Shown(*app, "item_q1"));
    QVERIFY(!Shown(*app, "item_not_asked_reason"));
    QVERIFY(app->Find<QAbstractButton>("safe_to_ask:unknown") == nullptr);  // no_unknown
    Click(*app, "safe_to_ask:yes");
    QVERIFY(Shown(*app, "item_q1"));
    QVERIFY(!Shown(*app, "item_violence_types"));
    Click(*app, "q2:yes");
    Click(*app, "q4:yes");
    Click(*app, "outcome:disclosed");
    QVERIFY(Shown(*app, "item_violence_types"));
    Click(*app, "violence_types:physical");
    Click(*app, "violence_types:economic");
    Click(*app, "children_in_household:yes");
    {
      auto store = OpenStore();
      Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
      auto listed = store->List(cw, ListFilter{});
      QVERIFY(listed.ok() && listed->empty());
    }
    QVERIFY(Shown(*app, "item_children_count"));
    auto* count = app->Find<QLineEdit>("children_count");
    QTest::keyClicks(count, QStringLiteral("2"));
    QTest::keyClick(count, Qt::Key_Return);
    QCOMPARE(page->form()->MessageCount(), 0);
    page->Reevaluate();
    QVERIFY(page->result().has_value());
    QCOMPARE(QString::fromStdString(page->result()->band()), QStringLiteral("disclosed"));
    Click(*app, "save_contact");
    AssessmentPage* saved = app->Assessment();
    QVERIFY(saved != nullptr && saved->loaded());
    QCOMPARE(saved->record().status, AssessmentStatus::kSubmitted);
    QVERIFY(saved->record().contact_id.has_value());
    QVERIFY(!saved->editable());

    auto store = OpenStore();
    Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
    ListFilter drafts;
    drafts.status = AssessmentStatus::kDraft;
    auto left = store->List(cw, drafts);
    QVERIFY(left.ok());
    QCOMPARE(static_cast<int>(left->size()), 0);  // the autosaved draft went with the contact
    // Disclosure with children in the household: protection assessment due the same/next day.
    auto due = store->Due(cw, false);
    QVERIFY(due.ok());
    bool protection = false;
    for (const DueItem& d : *due) protection = protection || d.kind == "protection_assessment";
    QVERIFY(protection);
  }

  void routineNotAsked() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    app->window->OpenNewContact();
    auto* contact = qobject_cast<ContactPage*>(app->window->page());
    QTest::keyClicks(contact->case_ref(), QStringLiteral("VX-1002"));
    contact->Start();
    Click(*app, "safe_to_ask:no");
    QVERIFY(Shown(*app, "item_not_asked_reason"));
    QVERIFY(!Shown(*app, "item_q1"));
    QVERIFY(!Shown(*app, "item_outcome"));
    Click(*app, "not_asked_reason:relative_interpreter");
    Click(*app, "children_in_household:no");
    Click(*app, "save_contact");
    AssessmentPage* saved = app->Assessment();
    QVERIFY(saved != nullptr && saved->loaded());
    QCOMPARE(QString::fromStdString(saved->result()->band()), QStringLiteral("not_asked"));
    auto store = OpenStore();
    Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
    auto due = store->Due(cw, false);
    QVERIFY(due.ok());
    QCOMPARE(static_cast<int>(due->size()), 1);
    QCOMPARE(QString::fromStdString(due->front().kind), QStringLiteral("ask_again_next_contact"));
  }

  // The desktop's new contact and the CLI's `intake` record an intake through one library
  // call (Store::RecordIntake): the same answers give the same contact, outcome, people,
  // routine-question record and due items, field by field, so the two cannot drift apart.
  void intakeRecordsLikeCli() {
    struct Intake {
      const char* case_ref;
      std::vector<const char*> clicks;
      QString children_count;
      std::string cli_answers;
    };
    const std::vector<Intake> intakes = {
        {"VX-1201",
         {"safe_to_ask:yes", "q2:yes", "q4:yes", "outcome:disclosed", "violence_types:physical",
          "violence_types:economic", "children_in_household:yes"},
         QStringLiteral("2"),
         R"({"answers": {"safe_to_ask": "yes", "q2": "yes", "q4": "yes", "outcome": "disclosed",
             "violence_types": ["physical", "economic"], "children_in_household": "yes",
             "children_count": 2}})"},
        {"VX-1202",
         {"safe_to_ask:yes", "q8:yes", "outcome:declined", "children_in_household:no"},
         QString(),
         R"({"answers": {"safe_to_ask": "yes", "q8": "yes", "outcome": "declined",
             "children_in_household": "no"}})"},
        {"VX-1203",
         {"safe_to_ask:no", "not_asked_reason:relative_interpreter", "children_in_household:no"},
         QString(),
         R"({"answers": {"safe_to_ask": "no", "not_asked_reason": "relative_interpreter",
             "children_in_household": "no"}})"},
    };
    QTemporaryDir cli_dir;
    QVERIFY(cli_dir.isValid());
    MakeDatabase(cli_dir.path());
    for (const Intake& intake : intakes) {
      {
        auto app = Start("handlaggare", kCaseworkerPassword);
        app->window->OpenNewContact();
        auto* contact = qobject_cast<ContactPage*>(app->window->page());
        QVERIFY(contact != nullptr);
        QTest::keyClicks(contact->case_ref(), QString::fromLatin1(intake.case_ref));
        contact->Start();
        for (const char* name : intake.clicks) Click(*app, QString::fromLatin1(name));
        if (!intake.children_count.isEmpty()) {
          auto* count = app->Find<QLineEdit>("children_count");
          QVERIFY(count != nullptr);
          QTest::keyClicks(count, intake.children_count);
          QTest::keyClick(count, Qt::Key_Return);
        }
        Click(*app, "save_contact");
        QVERIFY(app->Assessment() != nullptr && !app->Assessment()->editable());
      }
      auto desktop_store = OpenStore();
      const nlohmann::json desktop = CaseRecords(*desktop_store, intake.case_ref);
      QCOMPARE(desktop["contacts"].size(), std::size_t{1});
      const std::string date = desktop["contacts"][0]["date"].get<std::string>();

      const nlohmann::json cli_out =
          CliIntake(cli_dir.path(), intake.case_ref, date, intake.cli_answers);
      StoreOptions options;
      options.password_cost = 0;
      options.audit_key_file = (cli_dir.path() + QStringLiteral("/audit.key")).toStdString();
      auto cli_store = OpenSqliteStore(
          (cli_dir.path() + QStringLiteral("/screening.db")).toStdString(), registry_, options);
      QVERIFY(cli_store.ok());
      const nlohmann::json cli = CaseRecords(**cli_store, intake.case_ref);
      QCOMPARE(QString::fromStdString(cli_out["outcome"].get<std::string>()),
               QString::fromStdString(desktop["contacts"][0]["outcome"].get<std::string>()));

      // Field by field, so that a difference names itself.
      for (const char* list : {"contacts", "subjects", "assessments"}) {
        QCOMPARE(cli[list].size(), desktop[list].size());
        for (std::size_t i = 0; i < cli[list].size(); ++i) {
          for (const auto& [field, value] : desktop[list][i].items()) {
            QVERIFY2(cli[list][i].contains(field), field.c_str());
            QVERIFY2(cli[list][i][field] == value,
                     qPrintable(QStringLiteral("%1 %2 %3: desktop %4, CLI %5")
                                    .arg(QString::fromLatin1(intake.case_ref),
                                         QString::fromLatin1(list), QString::fromStdString(field),
                                         QString::fromStdString(value.dump()),
                                         QString::fromStdString(cli[list][i][field].dump()))));
          }
        }
      }
      QVERIFY(cli == desktop);

      const DueOfCase desktop_due = DueItemsOf(*desktop_store, intake.case_ref);
      const DueOfCase cli_due = DueItemsOf(**cli_store, intake.case_ref);
      QVERIFY(!desktop_due.items.empty());
      QCOMPARE(cli_due.items.size(), desktop_due.items.size());
      for (std::size_t i = 0; i < cli_due.items.size(); ++i) {
        const DueItem& a = desktop_due.items[i];
        const DueItem& b = cli_due.items[i];
        QCOMPARE(QString::fromStdString(b.kind), QString::fromStdString(a.kind));
        QCOMPARE(QString::fromStdString(b.unit), QString::fromStdString(a.unit));
        QCOMPARE(b.done, a.done);
        QCOMPARE(b.overdue, a.overdue);
        QCOMPARE(b.due_date.empty(), a.due_date.empty());
        // A due date counts from the submission's date: the same when both were submitted on
        // the same Swedish day (two runs a moment apart can straddle midnight).
        if (cli_due.submitted_local_date == desktop_due.submitted_local_date) {
          QCOMPARE(QString::fromStdString(b.due_date), QString::fromStdString(a.due_date));
        }
      }
    }
  }

  // Only the contact opens a case, so the routine question's answers are kept until the
  // contact is saved; a quick hide drops the screen but not the answers.
  void newContactKeptAcrossQuickHide() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    app->window->OpenNewContact();
    auto* contact = qobject_cast<ContactPage*>(app->window->page());
    QVERIFY(contact != nullptr);
    QTest::keyClicks(contact->case_ref(), QStringLiteral("VX-1003"));
    contact->Start();
    Click(*app, "safe_to_ask:no");
    Click(*app, "not_asked_reason:acute_crisis");
    QTest::keyClick(app->Find<QWidget>("not_asked_reason:acute_crisis"), Qt::Key_F12);
    QVERIFY(app->window->locked());
    QVERIFY(app->window->page() == nullptr);
    {
      auto store = OpenStore();
      Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
      auto listed = store->List(cw, ListFilter{});
      QVERIFY(listed.ok() && listed->empty());  // nothing stored by the hide
    }
    QTest::keyClicks(app->window->unlock_password(), QString::fromLatin1(kCaseworkerPassword));
    QTest::keyClick(app->window->unlock_password(), Qt::Key_Return);
    QVERIFY(!app->window->locked());
    QVERIFY(app->Assessment() != nullptr);
    QVERIFY(app->Find<QAbstractButton>("safe_to_ask:no")->isChecked());
    QVERIFY(app->Find<QAbstractButton>("not_asked_reason:acute_crisis")->isChecked());
    Click(*app, "children_in_household:no");
    Click(*app, "save_contact");
    AssessmentPage* saved = app->Assessment();
    QVERIFY(saved != nullptr && saved->loaded());
    QCOMPARE(saved->record().status, AssessmentStatus::kSubmitted);
    QVERIFY(saved->record().contact_id.has_value());
    QCOMPARE(QString::fromStdString(saved->result()->band()), QStringLiteral("not_asked"));
  }

  // A reference that looks like a personal identity number is refused before any question.
  void newContactRefusesPersonalNumber() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    app->window->OpenNewContact();
    auto* contact = qobject_cast<ContactPage*>(app->window->page());
    QVERIFY(contact != nullptr);
    QTest::keyClicks(contact->case_ref(), QStringLiteral("19850101-1234"));
    contact->Start();
    QVERIFY(qobject_cast<ContactPage*>(app->window->page()) == contact);
    QVERIFY(contact->message()->is_error());
    QVERIFY(!contact->message()->text().contains(QStringLiteral("19850101")));
  }

  // An assessment goes into a case a contact has opened. A reference without one and a
  // protected case the user has no grant to give the same message, and nothing is stored.
  void assessmentNeedsIntake() {
    OpenCase("VX-1101");
    {
      auto store = OpenStore();
      Actor supervisor = LogInDirect(*store, "arbetsledare", kSupervisorPassword);
      SubjectInput subject;
      subject.unit = "ifo_vuxen";
      subject.case_ref = "VX-1101";
      subject.role = "adult_victim";
      subject.protected_identity = true;
      auto added = store->AddSubject(supervisor, subject);
      QVERIFY2(added.ok(), added.status().ToString().c_str());
    }
    auto app = Start("handlaggare", kCaseworkerPassword);
    QStringList messages;
    for (const char* ref : {"VX-1101", "VX-1102"}) {
      app->window->OpenAssessments();
      auto* page = qobject_cast<AssessmentsPage*>(app->window->page());
      QVERIFY(page != nullptr);
      page->instrument()->setCurrentIndex(page->instrument()->findData(QStringLiteral("dash")));
      QTest::keyClicks(page->case_ref(), QString::fromLatin1(ref));
      page->StartNew();
      QVERIFY(qobject_cast<AssessmentsPage*>(app->window->page()) == page);
      QVERIFY(page->message()->is_error());
      messages << page->message()->text();
    }
    QCOMPARE(messages[0], messages[1]);
    QVERIFY(messages[0].contains(QStringLiteral("ingen registrerad kontakt")));
    QVERIFY(!messages[0].contains(QStringLiteral("VX-11")));
    auto store = OpenStore();
    Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
    auto listed = store->List(cw, ListFilter{});
    QVERIFY(listed.ok() && listed->empty());
  }

  void dashReachesHigh() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "dash", "VX-2001");
    QVERIFY(page != nullptr && page->loaded());
    for (int q = 1; q <= 13; ++q) Click(*app, QStringLiteral("q%1:yes").arg(q));
    page->Reevaluate();
    QCOMPARE(QString::fromStdString(page->result()->band()), QStringLiteral("below_threshold"));
    Click(*app, "q14:yes");
    page->Reevaluate();
    QCOMPARE(QString::fromStdString(page->result()->band()), QStringLiteral("high"));
    QCOMPARE(page->result()->scores().at("yes_count"), 14);
    auto* view = app->Find<QTextBrowser>("result_view");
    QVERIFY(view->toPlainText().contains(QStringLiteral("Synlig hög risk")));
    QVERIFY(view->toPlainText().contains(QStringLiteral("112")));  // resources end with 112
    auto* progress = app->Find<QLabel>("progress_text");
    QVERIFY(progress->text().startsWith(QStringLiteral("14 av ")));
    Click(*app, "submit");
    QCOMPARE(app->Assessment()->record().status, AssessmentStatus::kSubmitted);
    QCOMPARE(QString::fromStdString(app->Assessment()->record().result->final_level()),
             QStringLiteral("high"));
  }

  void draftAutosaveAndResume() {
    std::int64_t id = 0;
    {
      auto app = Start("handlaggare", kCaseworkerPassword);
      AssessmentPage* page = StartAssessment(*app, "dash", "VX-3001");
      QVERIFY(page != nullptr && page->loaded());
      id = page->record().id;
      Click(*app, "q1:yes");
      Click(*app, "q2:no");
      auto* source = app->Find<QPlainTextEdit>("info_source");
      source->insertPlainText(QStringLiteral("polisanmälan"));
      // Saved as the user works: after the debounce, without closing anything.
      QTRY_VERIFY_WITH_TIMEOUT(
          app->Find<QLabel>("save_state")->text().startsWith(QStringLiteral("Utkastet sparat")),
          5000);
      auto store = OpenStore();
      Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
      auto record = store->Get(cw, id);
      QVERIFY(record.ok());
      QCOMPARE(QString::fromStdString(record->answers.answers().at("q1").code()),
               QStringLiteral("yes"));
      QCOMPARE(QString::fromStdString(record->answers.answers().at("info_source").text()),
               QStringLiteral("polisanmälan"));
      // A change just before closing is kept by the close.
      Click(*app, "q3:yes");
      app->window->close();
    }
    auto app = Start("handlaggare", kCaseworkerPassword);
    app->window->OpenAssessments();
    auto* list = qobject_cast<AssessmentsPage*>(app->window->page());
    QVERIFY(list != nullptr);
    QVERIFY(!list->rows().empty());
    QCOMPARE(list->rows().front().id, id);  // drafts first
    list->table()->setCurrentCell(0, 0);
    Click(*app, "assessments_open");
    AssessmentPage* page = app->Assessment();
    QVERIFY(page != nullptr && page->editable());
    QVERIFY(app->Find<QRadioButton>("q1:yes")->isChecked());
    QVERIFY(app->Find<QRadioButton>("q2:no")->isChecked());
    QVERIFY(app->Find<QRadioButton>("q3:yes")->isChecked());
    QCOMPARE(app->Find<QPlainTextEdit>("info_source")->toPlainText(),
             QStringLiteral("polisanmälan"));
  }

  void supervisorApproval() {
    const std::int64_t id = SubmitHighDash("VX-4001");
    auto app = Start("arbetsledare", kSupervisorPassword);
    auto* queue = qobject_cast<ReviewQueuePage*>(app->window->page());
    QVERIFY(queue != nullptr);  // a supervisor starts at the review queue
    QCOMPARE(static_cast<int>(queue->rows().size()), 1);
    QCOMPARE(queue->rows().front().id, id);
    queue->table()->setCurrentCell(0, 0);
    Click(*app, "review_open");
    AssessmentPage* page = app->Assessment();
    QVERIFY(page != nullptr && page->loaded());
    QVERIFY(!page->editable());
    QVERIFY(!app->Find<QAbstractButton>("q1:yes")->isEnabled());  // read-only answers
    QTest::keyClicks(app->Find<QPlainTextEdit>("review_comment"), QStringLiteral("Bra underlag."));
    Click(*app, "approve");
    page = app->Assessment();
    QCOMPARE(page->record().status, AssessmentStatus::kApproved);
    QVERIFY(!app->Find<QAbstractButton>("approve")->isEnabled());
    QVERIFY(
        app->Find<QTextBrowser>("history_view")->toPlainText().contains(QStringLiteral("Godkänd")));
    app->window->OpenReviewQueue();
    QCOMPARE(static_cast<int>(qobject_cast<ReviewQueuePage*>(app->window->page())->rows().size()),
             0);
  }

  void supervisorReturnAndChangeLevel() {
    const std::int64_t id = SubmitHighDash("VX-4002");
    auto app = Start("arbetsledare", kSupervisorPassword);
    app->window->OpenReview(id);
    auto* level = app->Find<QComboBox>("change_level");
    level->setCurrentIndex(level->findData(QStringLiteral("below_threshold")));
    app->Find<QLineEdit>("change_level_reason")
        ->setText(QStringLiteral("Uppgifterna är motstridiga."));
    Click(*app, "change_level_apply");
    AssessmentPage* page = app->Assessment();
    QCOMPARE(page->record().status, AssessmentStatus::kSubmitted);
    QVERIFY(app->Find<QTextBrowser>("history_view")
                ->toPlainText()
                .contains(QStringLiteral("Nivå ändrad")));
    // Returning needs the library's consent; the answer is shown, whichever it is.
    app->Find<QPlainTextEdit>("review_comment")
        ->setPlainText(QStringLiteral("Komplettera fråga 3."));
    Click(*app, "return");
    page = app->Assessment();
    QCOMPARE(page->record().status, AssessmentStatus::kReturned);
    QVERIFY(app->Find<QTextBrowser>("history_view")
                ->toPlainText()
                .contains(QStringLiteral("Återsänd")));
  }

  void coordinatorDenied() {
    const std::int64_t id = SubmitHighDash("VX-5001");
    auto app = Start("samordnare", kCoordinatorPassword);
    QVERIFY(qobject_cast<IndicatorsPage*>(app->window->page()) != nullptr);
    app->window->OpenAssessments();
    auto* list = qobject_cast<AssessmentsPage*>(app->window->page());
    QVERIFY(list != nullptr);
    QVERIFY(list->rows().empty());
    QVERIFY(!list->message()->isHidden());
    QVERIFY(list->message()->is_error());
    QVERIFY(list->message()->text().contains(QStringLiteral("nekad")));
    app->window->OpenAssessment(id);
    AssessmentPage* page = app->Assessment();
    QVERIFY(page != nullptr && !page->loaded());
    QVERIFY(page->page_message()->is_error());
    QVERIFY(!page->page_message()->text().contains(QStringLiteral("VX-5001")));
    app->window->OpenTodo();
    auto* todo = qobject_cast<TodoPage*>(app->window->page());
    QVERIFY(todo->items().empty());
    QVERIFY(todo->message()->is_error());
  }

  void coordinatorIndicators() {
    // Last year: 9 new contacts in ifo_vuxen, 2 of them with a disclosure (a small count).
    const int year = QDate::currentDate().year() - 1;
    {
      auto store = OpenStore();
      Actor caseworker = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
      for (int i = 0; i < 9; ++i) {
        ContactInput contact;
        contact.unit = "ifo_vuxen";
        contact.case_ref = "VX-70" + std::to_string(10 + i);
        contact.contact_date = std::to_string(year) + "-03-1" + std::to_string(i);
        contact.outcome = i < 2 ? "disclosed" : "not_disclosed";
        if (i < 2) contact.violence_types = {"physical"};
        auto id = store->AddContact(caseworker, contact);
        QVERIFY2(id.ok(), id.status().ToString().c_str());
      }
    }
    auto app = Start("samordnare", kCoordinatorPassword);
    auto* page = qobject_cast<IndicatorsPage*>(app->window->page());
    QVERIFY(page != nullptr);
    // The current year is shown at once, with the definitions, their version and the cut-off.
    QVERIFY(page->report().has_value());
    QCOMPARE(page->report()->period.label, std::to_string(year + 1));
    QVERIFY(page->header()->text().contains(QStringLiteral("action_plan_2020")));
    QVERIFY(page->header()->text().contains(Q(page->report()->definitions_version)));
    QVERIFY(page->header()->text().contains(Q(SwedishLocalDateTime(page->report()->cutoff_utc))));
    QVERIFY(page->header()->text().contains(QStringLiteral("Data till och med")));
    // The current year is still running: the vulnerable groups (special-category data) are not
    // counted, and each cell says why.
    auto* groups = app->Find<QTableWidget>("indicators_table_vulnerable_groups");
    QVERIFY(groups != nullptr);
    QCOMPARE(groups->item(0, 0)->text(), QStringLiteral("räknas inte"));
    QCOMPARE(groups->item(0, 0)->toolTip(),
             QStringLiteral("räknas inte: bara hela månader, kvartal eller år som har tagit slut"));

    page->period_kind()->setCurrentIndex(IndicatorsPage::kYear);
    page->year()->setValue(year);
    Click(*app, "indicators_show");
    QVERIFY(!page->message()->is_error());
    QVERIFY(page->report().has_value());
    QCOMPARE(page->report()->period.label, std::to_string(year));
    const IndicatorReport& report = *page->report();
    QCOMPARE(page->tables().size(), report.tables.size());
    // Last year has ended: counted (nobody with a group recorded).
    QVERIFY(report.Find("vulnerable_groups", "disability", "persons")->suppression ==
            Suppression::kNone);
    auto* table = app->Find<QTableWidget>("indicators_table_contacts");
    QVERIFY(table != nullptr);
    QCOMPARE(table->accessibleName(), Q(report.Table("contacts")->title.sv));
    int ifo = -1, contacts = -1, disclosed = -1;
    const IndicatorTable& t = *report.Table("contacts");
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      if (t.rows[r].id == "ifo") ifo = static_cast<int>(r);
    }
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (t.columns[c].id == "contacts") contacts = static_cast<int>(c);
      if (t.columns[c].id == "disclosed") disclosed = static_cast<int>(c);
    }
    QVERIFY(ifo >= 0 && contacts >= 0 && disclosed >= 0);
    QCOMPARE(table->verticalHeaderItem(ifo)->text(),
             QStringLiteral("IFO (individ- och familjeomsorgen)"));
    QCOMPARE(table->horizontalHeaderItem(contacts)->text(), QStringLiteral("Nya kontakter"));
    QCOMPARE(table->item(ifo, contacts)->text(), QStringLiteral("9"));
    QCOMPARE(table->item(ifo, disclosed)->text(), QStringLiteral("<5"));
    QVERIFY(!table->item(ifo, disclosed)->toolTip().isEmpty());
    // The library's SVG charts, drawn by QtSvg.
    QVERIFY(!page->charts().empty());
    auto* chart = app->Find<QSvgWidget>("indicators_chart_contacts");
    QVERIFY(chart != nullptr);
    QVERIFY(chart->renderer()->isValid());
    QVERIFY(!chart->renderer()->defaultSize().isEmpty());
    QVERIFY(!chart->accessibleName().isEmpty());
    QVERIFY(!chart->grab().isNull());
    // Every control is named.
    for (const char* name :
         {"indicators_period_kind", "indicators_year", "indicators_quarter", "indicators_month",
          "indicators_from", "indicators_to", "indicators_unit", "indicators_show",
          "indicators_export_csv", "indicators_export_html"}) {
      auto* w = app->Find<QWidget>(QString::fromLatin1(name));
      QVERIFY2(w != nullptr && !w->accessibleName().isEmpty(), name);
    }

    // Export through the library's renderers.
    QVERIFY(page->export_csv()->isEnabled() && page->export_html()->isEnabled());
    const QString csv_path = dir_->path() + QStringLiteral("/indikatorer.csv");
    QVERIFY(page->ExportTo(csv_path, QStringLiteral("csv")));
    QVERIFY(!page->message()->is_error());
    QFile csv(csv_path);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QString csv_text = QString::fromUtf8(csv.readAll());
    QVERIFY(csv_text.startsWith(QStringLiteral("\"definitions\",\"version\",")));
    QVERIFY(csv_text.contains(QStringLiteral("\"contacts\",\"Nya kontakter\"")));
    QVERIFY(csv_text.contains(QStringLiteral("\"<5\"")));
    const QString html_path = dir_->path() + QStringLiteral("/indikatorer.html");
    QVERIFY(page->ExportTo(html_path, QStringLiteral("html")));
    QFile html(html_path);
    QVERIFY(html.open(QIODevice::ReadOnly));
    const QString html_text = QString::fromUtf8(html.readAll());
    QVERIFY(html_text.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(html_text.contains(QStringLiteral("<title>") + Q(report.title.sv) +
                               QStringLiteral(" ") + QString::number(year) +
                               QStringLiteral("</title>")));
    QVERIFY(html_text.contains(QStringLiteral("<svg")));
    // A file that cannot be written is reported, nothing crashes.
    QVERIFY(
        !page->ExportTo(dir_->path() + QStringLiteral("/missing/x.csv"), QStringLiteral("csv")));
    QVERIFY(page->message()->is_error());
    // A symbolic link planted at the chosen name is replaced, never written through.
    {
      const QString victim = dir_->path() + QStringLiteral("/victim-report.txt");
      QFile v(victim);
      QVERIFY(v.open(QIODevice::WriteOnly));
      v.write("the victim's own content");
      v.close();
      const QString planted = dir_->path() + QStringLiteral("/planted.csv");
      QVERIFY(QFile::link(victim, planted));
      QVERIFY(page->ExportTo(planted, QStringLiteral("csv")));
      QVERIFY(!QFileInfo(planted).isSymLink());
      QVERIFY(v.open(QIODevice::ReadOnly));
      QCOMPARE(v.readAll(), QByteArray("the victim's own content"));
    }

    // One unit, a quarter and a month.
    page->unit()->setCurrentIndex(page->unit()->findData(QStringLiteral("ifo_vuxen")));
    page->period_kind()->setCurrentIndex(IndicatorsPage::kQuarter);
    QVERIFY(!page->quarter()->isHidden() && page->month()->isHidden());
    page->quarter()->setCurrentIndex(0);
    Click(*app, "indicators_show");
    QVERIFY2(!page->message()->is_error(), qPrintable(page->message()->text()));
    QCOMPARE(page->report()->period.label, std::to_string(year) + "Q1");
    QCOMPARE(page->report()->unit, std::string("ifo_vuxen"));
    QCOMPARE(app->Find<QTableWidget>("indicators_table_contacts")->item(ifo, contacts)->text(),
             QStringLiteral("9"));
    page->period_kind()->setCurrentIndex(IndicatorsPage::kMonth);
    page->month()->setCurrentIndex(1);  // February: nothing
    Click(*app, "indicators_show");
    QCOMPARE(page->report()->period.label, std::to_string(year) + "-02");
    QCOMPARE(app->Find<QTableWidget>("indicators_table_contacts")->item(ifo, contacts)->text(),
             QStringLiteral("0"));
    // A range the library refuses (to before from): its message, no tables.
    page->period_kind()->setCurrentIndex(IndicatorsPage::kRange);
    page->from()->setDate(QDate(year, 6, 1));
    page->to()->setDate(QDate(year, 5, 1));
    Click(*app, "indicators_show");
    QVERIFY(page->message()->is_error());
    QVERIFY(!page->report().has_value());
    QVERIFY(page->tables().empty());
    QVERIFY(!page->export_csv()->isEnabled());
  }

  // The leak canary (docs/reliability.md, "Leaks"), for the desktop: unique markers go into
  // passwords (also a wrong one), a protected subject's case reference, free-text answers,
  // notes, a judgement rationale, review comments and a level-change reason. HOME, TMPDIR and
  // the XDG folders point into the test's temporary folder together with the database and the
  // audit key; standard error goes to a file there and every Qt message is collected. Then:
  // no marker in any message, the window title or standard error; only the database (and its
  // -wal/-shm/-journal) holds free text and the case reference; no file, not even the
  // database, holds a password; the indicator exports hold nothing. No PDF is saved here.
  void leakCanary() {
    std::random_device rd;
    const QString hex = QString::number((static_cast<quint64>(rd()) << 32) ^ rd(), 16);
    struct Marker {
      QString value;
      bool password;
    };
    std::map<QString, Marker> markers;
    for (const char* name : {"pwcase", "pwsuper", "pwcoord", "pwwrong"}) {
      markers[QString::fromLatin1(name)] = {QStringLiteral("KANARIE-%1-%2").arg(hex, name), true};
    }
    for (const char* name : {"caseref", "infosource", "freetext", "note", "rationale",
                             "levelreason", "returncomment", "approvecomment", "grantreason"}) {
      markers[QString::fromLatin1(name)] = {QStringLiteral("KANARIE-%1-%2").arg(hex, name), false};
    }
    auto m = [&](const char* name) { return markers.at(QString::fromLatin1(name)).value; };
    const std::string pw_case = m("pwcase").toStdString();
    const std::string pw_super = m("pwsuper").toStdString();
    const std::string pw_coord = m("pwcoord").toStdString();
    const std::string case_ref = m("caseref").toStdString();

    // Everything the app may ask the OS for lands in the temporary folder.
    const char* env_names[] = {"HOME",           "XDG_CONFIG_HOME", "XDG_DATA_HOME",
                               "XDG_CACHE_HOME", "XDG_STATE_HOME",  "XDG_RUNTIME_DIR",
                               "TMPDIR"};
    std::vector<std::pair<QByteArray, std::optional<QByteArray>>> saved_env;
    for (const char* name : env_names) {
      saved_env.emplace_back(name, qEnvironmentVariableIsSet(name)
                                       ? std::optional<QByteArray>(qgetenv(name))
                                       : std::nullopt);
      const QString sub = dir_->path() + QStringLiteral("/env/") + QString::fromLatin1(name);
      QVERIFY(QDir().mkpath(sub));
      QFile::setPermissions(
          sub, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
      qputenv(name, sub.toUtf8());
    }
    // Standard error into a file inside the folder; Qt's messages collected.
    const QString stderr_path = dir_->path() + QStringLiteral("/stderr.txt");
    fflush(stderr);
    const int saved_stderr = dup(2);
    QVERIFY(saved_stderr >= 0);
    const int stderr_file = ::open(stderr_path.toLocal8Bit().constData(),
                                   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    QVERIFY(stderr_file >= 0);
    QVERIFY(dup2(stderr_file, 2) == 2);
    ::close(stderr_file);
    QStringList messages;
    g_messages = &messages;
    g_previous_handler = qInstallMessageHandler(CollectMessage);
    struct Restore {
      std::vector<std::pair<QByteArray, std::optional<QByteArray>>>* env;
      int stderr_fd;
      ~Restore() {
        qInstallMessageHandler(g_previous_handler);
        g_messages = nullptr;
        g_previous_handler = nullptr;
        fflush(stderr);
        dup2(stderr_fd, 2);
        ::close(stderr_fd);
        for (const auto& [name, value] : *env) {
          if (value.has_value()) {
            qputenv(name.constData(), *value);
          } else {
            qunsetenv(name.constData());
          }
        }
      }
    } restore{&saved_env, saved_stderr};

    QStringList titles;
    auto title = [&titles](const App& app) { titles.append(app.window->windowTitle()); };

    // Users with marker passwords and a protected subject with the marker case reference,
    // through the library, in a case a contact has opened.
    OpenCase(case_ref.c_str());
    {
      auto store = OpenStore();
      Actor admin = LogInDirect(*store, "admin", kAdminPassword);
      QVERIFY(AddUserReady(*store, admin, "kanarie_hl", Role::kCaseworker, {"ifo_vuxen"}, pw_case)
                  .ok());
      // A second supervisor of ifo_vuxen: confirmed by its first.
      Actor first_supervisor = LogInDirect(*store, "arbetsledare", kSupervisorPassword);
      QVERIFY(AddUserReady(*store, admin, "kanarie_al", Role::kSupervisor, {"ifo_vuxen"}, pw_super,
                           &first_supervisor)
                  .ok());
      QVERIFY(AddUserReady(*store, admin, "kanarie_sa", Role::kCoordinator, {"ifo_vuxen"}, pw_coord)
                  .ok());
      Actor cw = LogInDirect(*store, "kanarie_hl", pw_case.c_str());
      SubjectInput subject;
      subject.unit = "ifo_vuxen";
      subject.case_ref = case_ref;
      subject.role = "adult_victim";
      subject.protected_identity = true;
      auto added = store->AddSubject(cw, subject);
      QVERIFY2(added.ok(), added.status().ToString().c_str());
      // The supervisor may review the protected case once granted (by a supervisor).
      Actor supervisor = LogInDirect(*store, "arbetsledare", kSupervisorPassword);
      Status granted = store->Grant(supervisor, "ifo_vuxen", case_ref, "kanarie_al",
                                    m("grantreason").toStdString(), "");
      QVERIFY2(granted.ok(), granted.ToString().c_str());
    }

    std::int64_t id = 0;
    {
      // A wrong (marker) password first, then the right one.
      auto app = Start(nullptr, nullptr);
      title(*app);
      app->window->login_user()->setText(QStringLiteral("kanarie_hl"));
      QTest::keyClicks(app->window->login_password(), m("pwwrong"));
      QTest::keyClick(app->window->login_password(), Qt::Key_Return);
      QVERIFY(app->window->on_login());
      title(*app);
      QTest::keyClicks(app->window->login_password(), QString::fromStdString(pw_case));
      QTest::keyClick(app->window->login_password(), Qt::Key_Return);
      QVERIFY(!app->window->on_login());
      title(*app);

      AssessmentPage* page = StartAssessment(*app, "dash", case_ref.c_str());
      QVERIFY(page != nullptr && page->loaded());
      title(*app);
      id = page->record().id;
      for (int q = 1; q <= 14; ++q) Click(*app, QStringLiteral("q%1:yes").arg(q));
      // Every free-text field and note of the form gets a marker.
      for (auto* edit : app->window->page()->findChildren<QPlainTextEdit*>()) {
        if (edit->isReadOnly() || !edit->isEnabled()) continue;
        edit->setFocus();
        edit->insertPlainText(edit->objectName() == QStringLiteral("info_source") ? m("infosource")
                                                                                  : m("freetext"));
      }
      for (auto* edit : app->window->page()->findChildren<QLineEdit*>()) {
        if (edit->objectName().endsWith(QStringLiteral(":note")) && !edit->isReadOnly()) {
          edit->setText(m("note"));
        }
      }
      title(*app);
      QTRY_VERIFY_WITH_TIMEOUT(
          app->Find<QLabel>("save_state")->text().startsWith(QStringLiteral("Utkastet sparat")),
          5000);
      title(*app);
      Click(*app, "submit");
      QCOMPARE(app->Assessment()->record().status, AssessmentStatus::kSubmitted);
      title(*app);

      // A judgement with a marker rationale, in a draft of another instrument.
      AssessmentPage* draft = StartAssessment(*app, "farlighet", case_ref.c_str());
      QVERIFY(draft != nullptr && draft->loaded());
      title(*app);
      const auto levels = app->window->page()->findChildren<QComboBox*>(
          QRegularExpression(QStringLiteral("^judgement_.*:level$")));
      const auto rationales = app->window->page()->findChildren<QPlainTextEdit*>(
          QRegularExpression(QStringLiteral("^judgement_.*:rationale$")));
      QVERIFY(!levels.isEmpty() && !rationales.isEmpty());
      QComboBox* level = levels.front();
      QPlainTextEdit* rationale = rationales.front();
      level->setCurrentIndex(level->count() - 1);
      rationale->setPlainText(m("rationale"));
      const QString judgement = rationale->objectName().section(QLatin1Char(':'), 0, 0);
      Click(*app, judgement + QStringLiteral(":record"));
      title(*app);
      QTRY_VERIFY_WITH_TIMEOUT(
          app->Find<QLabel>("save_state")->text().startsWith(QStringLiteral("Utkastet sparat")),
          5000);
      {
        auto store = OpenStore();
        Actor cw = LogInDirect(*store, "kanarie_hl", pw_case.c_str());
        auto record = store->Get(cw, draft->record().id);
        QVERIFY(record.ok());
        QCOMPARE(static_cast<int>(record->answers.judgements().size()), 1);
      }

      // Quick-hide, a wrong (marker) password, then the right one.
      QTest::keyClick(app->window.get(), Qt::Key_F12);
      QVERIFY(app->window->locked());
      title(*app);
      QTest::keyClicks(app->window->unlock_password(), m("pwwrong"));
      QTest::keyClick(app->window->unlock_password(), Qt::Key_Return);
      QVERIFY(app->window->locked());
      title(*app);
      QTest::keyClicks(app->window->unlock_password(), QString::fromStdString(pw_case));
      QTest::keyClick(app->window->unlock_password(), Qt::Key_Return);
      QVERIFY(!app->window->locked());
      title(*app);
      app->window->OpenTodo();
      QVERIFY(qobject_cast<TodoPage*>(app->window->page()) != nullptr);
      title(*app);
      app->window->close();
    }
    {
      // The supervisor changes the level, returns it with a marker comment.
      auto app = Start("kanarie_al", pw_super.c_str());
      title(*app);
      app->window->OpenReview(id);
      AssessmentPage* page = app->Assessment();
      QVERIFY(page != nullptr && page->loaded());
      title(*app);
      auto* level = app->Find<QComboBox>("change_level");
      level->setCurrentIndex(level->findData(QStringLiteral("below_threshold")));
      app->Find<QLineEdit>("change_level_reason")->setText(m("levelreason"));
      Click(*app, "change_level_apply");
      title(*app);
      app->Find<QPlainTextEdit>("review_comment")->setPlainText(m("returncomment"));
      Click(*app, "return");
      QCOMPARE(app->Assessment()->record().status, AssessmentStatus::kReturned);
      title(*app);
      app->window->OpenTodo();
      title(*app);
    }
    {
      // The caseworker submits again.
      auto app = Start("kanarie_hl", pw_case.c_str());
      app->window->OpenAssessment(id);
      QVERIFY(app->Assessment() != nullptr && app->Assessment()->editable());
      title(*app);
      Click(*app, "submit");
      QCOMPARE(app->Assessment()->record().status, AssessmentStatus::kSubmitted);
      title(*app);
    }
    {
      // The supervisor approves with a marker comment.
      auto app = Start("kanarie_al", pw_super.c_str());
      app->window->OpenReview(id);
      title(*app);
      app->Find<QPlainTextEdit>("review_comment")->setPlainText(m("approvecomment"));
      Click(*app, "approve");
      QCOMPARE(app->Assessment()->record().status, AssessmentStatus::kApproved);
      title(*app);
    }
    const QString csv_path = dir_->path() + QStringLiteral("/indikatorer.csv");
    const QString html_path = dir_->path() + QStringLiteral("/indikatorer.html");
    {
      // The coordinator's indicators, exported.
      auto app = Start("kanarie_sa", pw_coord.c_str());
      app->window->OpenIndicators();
      auto* page = qobject_cast<IndicatorsPage*>(app->window->page());
      QVERIFY(page != nullptr && page->report().has_value());
      title(*app);
      QVERIFY(page->ExportTo(csv_path, QStringLiteral("csv")));
      QVERIFY(page->ExportTo(html_path, QStringLiteral("html")));
      title(*app);
    }
    // The database must hold what was typed, else the search below proves nothing.
    {
      auto store = OpenStore();
      Actor cw = LogInDirect(*store, "kanarie_hl", pw_case.c_str());
      auto record = store->Get(cw, id);
      QVERIFY(record.ok());
      QCOMPARE(QString::fromStdString(record->answers.answers().at("info_source").text()),
               m("infosource"));
    }

    QCoreApplication::processEvents();
    fflush(stderr);
    const QStringList collected = messages;
    auto leaks = [&](const QByteArray& text, bool passwords_only) {
      QStringList found;
      for (const auto& [name, marker] : markers) {
        if (passwords_only && !marker.password) continue;
        if (text.contains(marker.value.toUtf8())) found.append(name);
      }
      return found.join(QStringLiteral(","));
    };
    for (const QString& message : collected) {
      const QString found = leaks(message.toUtf8(), false);
      QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("marker in a message: ") + found));
    }
    for (const QString& t : titles) {
      const QString found = leaks(t.toUtf8(), false);
      QVERIFY2(found.isEmpty(), qPrintable(QStringLiteral("marker in the title: ") + found));
    }
    // Every file in the folder (standard error, exports, key, anything in HOME/XDG/TMPDIR).
    int files = 0;
    bool db_has_free_text = false;
    QDirIterator it(dir_->path(), QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QString path = it.next();
      QFile file(path);
      QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
      const QByteArray content = file.readAll();
      ++files;
      const QString name = QFileInfo(path).fileName();
      const bool database = name == QStringLiteral("screening.db") ||
                            name == QStringLiteral("screening.db-wal") ||
                            name == QStringLiteral("screening.db-shm") ||
                            name == QStringLiteral("screening.db-journal");
      const QString found = leaks(content, database);
      QVERIFY2(found.isEmpty(),
               qPrintable(QStringLiteral("marker in ") + path.mid(dir_->path().size()) +
                          QStringLiteral(": ") + found));
      if (database && content.contains(m("infosource").toUtf8())) db_has_free_text = true;
    }
    QVERIFY(files >= 4);  // database, key, stderr, two exports at least
    QVERIFY(db_has_free_text);
  }

  void caseworkerIndicatorsDenied() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    app->window->OpenIndicators();
    auto* page = qobject_cast<IndicatorsPage*>(app->window->page());
    QVERIFY(page != nullptr);
    QVERIFY(page->message()->is_error());
    QVERIFY2(page->message()->text().contains(QStringLiteral("nekad")),
             qPrintable(page->message()->text()));
    QVERIFY(!page->report().has_value());
    QVERIFY(page->tables().empty());
    QVERIFY(page->charts().empty());
    QVERIFY(app->Find<QTableWidget>("indicators_table_contacts") == nullptr);
    QVERIFY(!page->export_csv()->isEnabled() && !page->export_html()->isEnabled());
    Click(*app, "indicators_show");
    QVERIFY(page->message()->is_error());
    QVERIFY(!page->ExportTo(dir_->path() + QStringLiteral("/x.csv"), QStringLiteral("csv")));
    QVERIFY(!QFile::exists(dir_->path() + QStringLiteral("/x.csv")));
  }

  void quickHideAndUnlock() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "dash", "VX-6001");
    QVERIFY(page != nullptr);
    const std::int64_t id = page->record().id;
    Click(*app, "q5:yes");  // not yet autosaved
    QTest::keyClick(app->Find<QWidget>("q5:yes"), Qt::Key_F12);
    QVERIFY(app->window->locked());
    QCOMPARE(app->window->windowTitle(), QStringLiteral("Screening"));
    QVERIFY(app->window->page() == nullptr);
    // The answer given just before hiding was saved by the hide.
    {
      auto store = OpenStore();
      Actor cw = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
      auto record = store->Get(cw, id);
      QVERIFY(record.ok());
      QVERIFY(record->answers.answers().count("q5") == 1);
    }
    QTest::keyClicks(app->window->unlock_password(), QStringLiteral("not-the-password"));
    QTest::keyClick(app->window->unlock_password(), Qt::Key_Return);
    QVERIFY(app->window->locked());
    QTest::keyClicks(app->window->unlock_password(), QString::fromLatin1(kCaseworkerPassword));
    QTest::keyClick(app->window->unlock_password(), Qt::Key_Return);
    QVERIFY(!app->window->locked());
    QVERIFY(app->Assessment() != nullptr);
    QVERIFY(app->Find<QRadioButton>("q5:yes")->isChecked());
    // Ctrl+Shift+H hides too.
    QTest::keyClick(app->window.get(), Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(app->window->locked());
  }

  void everyInstrumentBuildsAndControlsAreNamed() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    int n = 0;
    for (const auto& instrument : registry_->all()) {
      if (instrument->definition().kind() == v1::SCREENING) continue;
      AssessmentPage* page =
          StartAssessment(*app, instrument->id().c_str(),
                          QStringLiteral("VX-70%1").arg(++n).toLatin1().constData());
      QVERIFY2(page != nullptr && page->loaded(), instrument->id().c_str());
      for (QWidget* w : app->window->page()->findChildren<QWidget*>()) {
        const bool control = qobject_cast<QAbstractButton*>(w) || qobject_cast<QLineEdit*>(w) ||
                             qobject_cast<QComboBox*>(w) || qobject_cast<QPlainTextEdit*>(w) ||
                             qobject_cast<QTableWidget*>(w) || qobject_cast<QTextBrowser*>(w);
        if (w->focusPolicy() == Qt::NoFocus) continue;  // internal parts (table corner)
        if (!control || (w->inherits("QLineEdit") && w->parent() != nullptr &&
                         w->parent()->inherits("QAbstractSpinBox"))) {
          continue;
        }
        if (w->inherits("QTabBar") ||
            (w->parent() != nullptr && w->parent()->inherits("QTabBar"))) {
          continue;
        }
        QString name = w->accessibleName();
        if (name.isEmpty()) {
          if (auto* b = qobject_cast<QAbstractButton*>(w)) name = b->text();
        }
        QVERIFY2(!name.isEmpty(),
                 qPrintable(QString::fromStdString(instrument->id()) + QStringLiteral(": ") +
                            w->metaObject()->className() + QStringLiteral(" ") + w->objectName()));
      }
    }
  }

  void repeatGroupAddsChild() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "farlighet", "VX-8001");
    QVERIFY(page != nullptr && page->loaded());
    Click(*app, "calendar:add");
    Click(*app, "calendar:add");
    QTRY_VERIFY(app->Find<QWidget>("calendar[1]") != nullptr);
    auto* severity = app->Find<QLineEdit>("calendar[1].severity");
    QVERIFY(severity != nullptr);
    QTest::keyClicks(severity, QStringLiteral("4"));
    QTest::keyClick(severity, Qt::Key_Return);
    auto* date = app->Find<QLineEdit>("calendar[1].date");
    QTest::keyClicks(date, QStringLiteral("2026-03-01"));
    QTest::keyClick(date, Qt::Key_Return);
    page->Reevaluate();
    QCOMPARE(page->result()->scores().at("calendar_incidents"), 2);
    QCOMPARE(page->result()->scores().at("calendar_max_severity"), 4);
    Click(*app, "calendar[0]:remove");
    QTRY_VERIFY(app->Find<QWidget>("calendar[1]") == nullptr);
    page->Reevaluate();
    QCOMPARE(page->result()->scores().at("calendar_incidents"), 1);
    QCOMPARE(page->result()->scores().at("calendar_max_severity"), 4);
  }

  void validationMessageNextToItem() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "farlighet", "VX-8002");
    Click(*app, "calendar:add");
    QTRY_VERIFY(app->Find<QLineEdit>("calendar[0].severity") != nullptr);
    auto* severity = app->Find<QLineEdit>("calendar[0].severity");
    QTest::keyClicks(severity, QStringLiteral("9"));
    QTest::keyClick(severity, Qt::Key_Return);
    QCOMPARE(page->form()->MessageCount(), 1);
    auto* row = app->Find<QWidget>("calendar[0].severity");
    bool found = false;
    for (MessageLabel* m : row->findChildren<MessageLabel*>()) {
      found = found || (!m->isHidden() && m->text().contains(QStringLiteral("från 1 till 5")));
    }
    QVERIFY(found);
    severity->clear();
    QTest::keyClicks(severity, QStringLiteral("3"));
    QTest::keyClick(severity, Qt::Key_Return);
    QCOMPARE(page->form()->MessageCount(), 0);
    // Submitting with required answers missing names them and F8 finds the first.
    Click(*app, "submit");
    QVERIFY(page->page_message()->is_error());
    QVERIFY(page->page_message()->text().contains(QStringLiteral("saknas")));
  }

  void summaryAndCardPdf() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "dash", "VX-9001");
    Click(*app, "q1:yes");
    page->Reevaluate();
    const QString summary = dir_->path() + QStringLiteral("/summary.pdf");
    const QString card = dir_->path() + QStringLiteral("/kontakter.pdf");
    QVERIFY(page->SaveSummaryPdf(summary).ok());
    QVERIFY(page->SaveCardPdf(card, "sv").ok());
    for (const QString& path : {summary, card}) {
      QFile file(path);
      QVERIFY(file.open(QIODevice::ReadOnly));
      QVERIFY(file.read(5) == QByteArray("%PDF-"));
      QVERIFY(file.size() > 1000);
    }
    QVERIFY(!page->SaveSummaryPdf(QStringLiteral("/nonexistent-dir/x.pdf")).ok());
    // A symbolic link planted at the chosen name is replaced, never written through, and the
    // PDF (case content) is private to the user.
    const QString victim = dir_->path() + QStringLiteral("/victim.txt");
    {
      QFile v(victim);
      QVERIFY(v.open(QIODevice::WriteOnly));
      v.write("the victim's own content");
    }
    const QString planted = dir_->path() + QStringLiteral("/planted.pdf");
    QVERIFY(QFile::link(victim, planted));
    QVERIFY(page->SaveSummaryPdf(planted).ok());
    QVERIFY(!QFileInfo(planted).isSymLink());
    {
      QFile v(victim);
      QVERIFY(v.open(QIODevice::ReadOnly));
      QCOMPARE(v.readAll(), QByteArray("the victim's own content"));
      QFile pdf(planted);
      QVERIFY(pdf.open(QIODevice::ReadOnly));
      QVERIFY(pdf.read(5) == QByteArray("%PDF-"));
      QCOMPARE(pdf.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
               QFileDevice::Permissions());
    }
    QVERIFY(!page->SaveCardPdf(QStringLiteral("/nonexistent-dir/x.pdf"), "sv").ok());

    // The card as poppler reads it: a business card with the numbers under neutral names,
    // nothing in its text or metadata about violence, support or this program.
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    const QString pdfinfo = QStandardPaths::findExecutable(QStringLiteral("pdfinfo"));
    QVERIFY2(!pdftotext.isEmpty() && !pdfinfo.isEmpty(), "poppler-utils are needed");
    auto run = [](const QString& program, const QStringList& args) {
      QProcess process;
      process.start(program, args);
      process.waitForFinished(30000);
      return QString::fromUtf8(process.readAllStandardOutput());
    };
    const QString text = run(pdftotext, {QStringLiteral("-layout"), card, QStringLiteral("-")});
    QVERIFY2(text.contains(QStringLiteral("Frisören")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("020-50 50 50")));
    QVERIFY(text.contains(QStringLiteral("112")));
    const QString info = run(pdfinfo, {card});
    QVERIFY2(info.contains(
                 QRegularExpression(QStringLiteral("Page size:\\s+24[01](\\.\\d+)? x 15[56]"))),
             qPrintable(info));
    QVERIFY2(info.contains(QRegularExpression(QStringLiteral("Title:\\s+Kontakter"))),
             qPrintable(info));
    for (const QString& word :
         {QStringLiteral("stöd"), QStringLiteral("hjälp"), QStringLiteral("våld"),
          QStringLiteral("kvinnofrid"), QStringLiteral("terrafem"), QStringLiteral("support"),
          QStringLiteral("screening"), QStringLiteral("anonym")}) {
      QVERIFY2(!text.contains(word, Qt::CaseInsensitive),
               qPrintable(word + QStringLiteral(": ") + text));
      QVERIFY2(!info.contains(word, Qt::CaseInsensitive),
               qPrintable(word + QStringLiteral(": ") + info));
    }
  }

  void discreetCardAsksFirst() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "dash", "VX-9002");
    QVERIFY(page != nullptr);
    Click(*app, "q1:yes");
    page->Reevaluate();
    // Answers the dialog when it shows: records its texts, then presses `button`.
    QString question;
    QString numbers;
    auto answer = [&](const char* button) {
      question.clear();
      numbers.clear();
      auto* timer = new QTimer(this);
      timer->setInterval(20);
      connect(timer, &QTimer::timeout, this, [&, timer, button]() {
        auto* dialog = qobject_cast<HandoverDialog*>(QApplication::activeModalWidget());
        if (dialog == nullptr) return;
        timer->stop();
        timer->deleteLater();
        question = dialog->findChild<QLabel*>(QStringLiteral("handover_question"))->text();
        numbers = dialog->findChild<QLabel*>(QStringLiteral("handover_numbers"))->text();
        dialog->findChild<QPushButton*>(QString::fromLatin1(button))->click();
      });
      timer->start();
    };
    // The question comes before any card; saving in the phone makes none.
    answer("save_in_phone");
    Click(*app, "handout_pdf");
    QCOMPARE(question, QStringLiteral("Är det säkert för dig att ta hem det här?"));
    QVERIFY2(numbers.contains(QStringLiteral("Frisören")), qPrintable(numbers));
    QVERIFY(numbers.contains(QStringLiteral("020-50 50 50")));
    QVERIFY(numbers.indexOf(QStringLiteral("Frisören")) <
            numbers.indexOf(QStringLiteral("Tandläkaren")));
    QVERIFY(!numbers.contains(QStringLiteral("Kvinnofrid")));
    QVERIFY(page->page_message()->text().contains(QStringLiteral("Inget kort")));
    // Cancel: nothing happens, no message.
    page->page_message()->Clear();
    answer("cancel");
    Click(*app, "handout_pdf");
    QVERIFY(!question.isEmpty());
    QVERIFY(page->page_message()->text().isEmpty());
    QDir files(dir_->path());
    QVERIFY(files.entryList({QStringLiteral("*.pdf")}).isEmpty());
  }

  void handoverDialogEnglish() {
    auto app = Start("handlaggare", kCaseworkerPassword);
    AssessmentPage* page = StartAssessment(*app, "utovare", "VX-9003");
    QVERIFY(page != nullptr);
    page->Reevaluate();
    auto card = page->CardFor("en");
    QVERIFY(card.ok());
    HandoverDialog dialog(app->state->directory()->PromptFor(*card));
    QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("handover_question"))->text(),
             QStringLiteral("Is it safe for you to take this home?"));
    QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("handover_numbers"))
                ->text()
                .contains(QStringLiteral("020-555 666")));
    for (const char* name : {"make_card", "save_in_phone", "cancel"}) {
      auto* button = dialog.findChild<QPushButton*>(QString::fromLatin1(name));
      QVERIFY(button != nullptr);
      QVERIFY(!button->accessibleName().isEmpty());
      QVERIFY(!button->autoDefault());
    }
  }

  void todoShowsDueItems() {
    {
      auto app = Start("handlaggare", kCaseworkerPassword);
      app->window->OpenNewContact();
      auto* contact = qobject_cast<ContactPage*>(app->window->page());
      QTest::keyClicks(contact->case_ref(), QStringLiteral("VX-9101"));
      contact->Start();
      Click(*app, "safe_to_ask:yes");
      Click(*app, "q8:yes");
      Click(*app, "outcome:not_disclosed");
      Click(*app, "children_in_household:yes");
      Click(*app, "save_contact");
    }
    auto app = Start("handlaggare", kCaseworkerPassword);
    auto* todo = qobject_cast<TodoPage*>(app->window->page());
    QVERIFY(todo != nullptr);
    QVERIFY(!todo->items().empty());
    bool protection = false;
    for (int r = 0; r < todo->table()->rowCount(); ++r) {
      protection = protection ||
                   todo->table()->item(r, 3)->text().contains(QStringLiteral("skyddsbedömning"));
      QVERIFY(todo->table()->item(r, 0)->text() == QStringLiteral("Öppen") ||
              todo->table()->item(r, 0)->text() == QStringLiteral("FÖRSENAD"));
    }
    QVERIFY(protection);
    const int before = static_cast<int>(todo->items().size());
    todo->table()->setCurrentCell(0, 0);
    Click(*app, "todo_done");
    todo = qobject_cast<TodoPage*>(app->window->page());
    QCOMPARE(static_cast<int>(todo->items().size()), before - 1);
  }

  void idleLock() {
    auto app = Start("handlaggare", kCaseworkerPassword, {"--lock-after", "10"});
    AssessmentPage* page = StartAssessment(*app, "dash", "VX-9201");
    QVERIFY(page != nullptr);
    Click(*app, "q1:yes");
    QVERIFY(!app->window->locked());
    QTRY_VERIFY_WITH_TIMEOUT(app->window->locked(), 15000);
    QCOMPARE(app->window->windowTitle(), QStringLiteral("Screening"));
    QVERIFY(app->window->page() == nullptr);
    // Too short a lock time is refused.
    QVERIFY(!ConfigFromArguments({"screening-desktop", "--lock-after", "5"}).ok());
  }

  void oneTimePasswordAtLogin() {
    {
      auto store = OpenStore();
      Actor admin = LogInDirect(*store, "admin", kAdminPassword);
      QVERIFY(store->SetPassword(admin, "handlaggare", "", "reset-by-admin-1").ok());
    }
    auto app = Start("handlaggare", "reset-by-admin-1");
    // Not the work area: the view that asks for the user's own password.
    QVERIFY(app->window->on_new_password());
    QVERIFY(app->window->page() == nullptr);
    QTest::keyClicks(app->window->new_password(), QStringLiteral("chosen-by-me-12"));
    QTest::keyClicks(app->window->new_password_repeat(), QStringLiteral("chosen-by-me-13"));
    Click(*app, QStringLiteral("new_password_save"));
    QVERIFY(app->window->on_new_password());
    QVERIFY(app->window->new_password_message()->is_error());
    // The one-time password again is refused by the store.
    QTest::keyClicks(app->window->new_password(), QStringLiteral("reset-by-admin-1"));
    QTest::keyClicks(app->window->new_password_repeat(), QStringLiteral("reset-by-admin-1"));
    Click(*app, QStringLiteral("new_password_save"));
    QVERIFY(app->window->on_new_password());
    QVERIFY(app->window->new_password_message()->is_error());
    QTest::keyClicks(app->window->new_password(), QStringLiteral("chosen-by-me-12"));
    QTest::keyClicks(app->window->new_password_repeat(), QStringLiteral("chosen-by-me-12"));
    Click(*app, QStringLiteral("new_password_save"));
    QVERIFY(qobject_cast<TodoPage*>(app->window->page()) != nullptr);
    auto store = OpenStore();
    QVERIFY(!store->Login("handlaggare", "reset-by-admin-1").ok());
    auto actor = store->Login("handlaggare", "chosen-by-me-12");
    QVERIFY(actor.ok());
    QVERIFY(!actor->must_change_password);
  }

  void adminAccounts() {
    auto app = Start("admin", kAdminPassword);
    auto* page = qobject_cast<AccountsPage*>(app->window->page());
    QVERIFY(page != nullptr);
    QVERIFY(Shown(*app, QStringLiteral("nav_accounts")));
    QVERIFY(!Shown(*app, QStringLiteral("nav_grants")));
    // A new caseworker with a one-time password.
    QTest::keyClicks(page->new_name(), QStringLiteral("ny.handlaggare"));
    page->new_role()->setCurrentIndex(page->new_role()->findData(QStringLiteral("caseworker")));
    page->new_unit()->setCurrentIndex(page->new_unit()->findData(QStringLiteral("ifo_vuxen")));
    QTest::keyClicks(page->new_password(), QStringLiteral("one-time-pass-12"));
    Click(*app, QStringLiteral("accounts_add"));
    QVERIFY2(!page->message()->is_error(), qPrintable(page->message()->text()));
    QVERIFY(page->Select("ny.handlaggare"));
    const int row = page->table()->currentRow();
    QVERIFY(page->table()->item(row, 3)->text().contains(QStringLiteral("engångslösenord")));
    // Deactivate, reactivate.
    Click(*app, QStringLiteral("accounts_deactivate"));
    QVERIFY(page->table()
                ->item(page->table()->currentRow(), 3)
                ->text()
                .contains(QStringLiteral("avstängt")));
    Click(*app, QStringLiteral("accounts_reactivate"));
    QVERIFY(page->table()
                ->item(page->table()->currentRow(), 3)
                ->text()
                .contains(QStringLiteral("aktivt")));
    // A unit, then a role that waits for the unit's supervisor.
    page->unit()->setCurrentIndex(page->unit()->findData(QStringLiteral("ifo_barn")));
    Click(*app, QStringLiteral("accounts_add_unit"));
    QVERIFY2(page->message()->is_error(), "ifo_barn is not added to the database yet");
    page->role()->setCurrentIndex(page->role()->findData(QStringLiteral("supervisor")));
    Click(*app, QStringLiteral("accounts_change_role"));
    QVERIFY2(!page->message()->is_error(), qPrintable(page->message()->text()));
    QVERIFY(page->table()
                ->item(page->table()->currentRow(), 3)
                ->text()
                .contains(QStringLiteral("väntar på bekräftelse")));
    // The administrator who asked cannot confirm it; the unit's supervisor can (library).
    Click(*app, QStringLiteral("accounts_confirm"));
    QVERIFY(page->message()->is_error());
    QVERIFY(page->message()->text().contains(QStringLiteral("nekad")));
    // A one-time password for an existing user.
    QVERIFY(page->Select("handlaggare"));
    QTest::keyClicks(page->one_time_password(), QStringLiteral("reset-by-admin-1"));
    Click(*app, QStringLiteral("accounts_set_password"));
    QVERIFY2(!page->message()->is_error(), qPrintable(page->message()->text()));
    QVERIFY(page->one_time_password()->text().isEmpty());
    auto store = OpenStore();
    auto reset = store->Login("handlaggare", "reset-by-admin-1");
    QVERIFY(reset.ok() && reset->must_change_password);
    // Every installed version is accepted on a new database: nothing to pin.
    Click(*app, QStringLiteral("accounts_pin"));
    QVERIFY(page->message()->text().contains(QStringLiteral("redan godkända")));
  }

  void supervisorGrantsWithEndDate() {
    {
      auto store = OpenStore();
      Actor worker = LogInDirect(*store, "handlaggare", kCaseworkerPassword);
      ContactInput contact;
      contact.unit = "ifo_vuxen";
      contact.case_ref = "VX-SKYDD";
      contact.contact_date = "2026-01-05";
      contact.outcome = "not_disclosed";
      QVERIFY(store->AddContact(worker, contact).ok());
      SubjectInput person;
      person.unit = "ifo_vuxen";
      person.case_ref = "VX-SKYDD";
      person.role = "adult_victim";
      person.protected_identity = true;
      QVERIFY(store->AddSubject(worker, person).ok());
    }
    auto app = Start("arbetsledare", kSupervisorPassword);
    QVERIFY(Shown(*app, QStringLiteral("nav_grants")));
    QVERIFY(!Shown(*app, QStringLiteral("nav_accounts")));
    app->window->OpenGrants();
    auto* page = qobject_cast<GrantsPage*>(app->window->page());
    QVERIFY(page != nullptr);
    QTest::keyClicks(page->case_ref(), QStringLiteral("VX-SKYDD"));
    QTest::keyClicks(page->user(), QStringLiteral("samordnare"));
    QTest::keyClicks(page->reason(), QStringLiteral("Semestervikarie."));
    page->has_end()->setChecked(true);
    page->until()->setDate(QDate::currentDate().addDays(7));
    Click(*app, QStringLiteral("grants_grant"));
    QVERIFY2(!page->message()->is_error(), qPrintable(page->message()->text()));
    QVERIFY(
        page->message()->text().contains(QDate::currentDate().addDays(7).toString(Qt::ISODate)));
    // Revoking needs a reason too.
    Click(*app, QStringLiteral("grants_revoke"));
    QVERIFY(page->message()->is_error());
    QTest::keyClicks(page->reason(), QStringLiteral("Tillbaka."));
    Click(*app, QStringLiteral("grants_revoke"));
    QVERIFY2(!page->message()->is_error(), qPrintable(page->message()->text()));
    QTest::keyClicks(page->reason(), QStringLiteral("Igen."));
    Click(*app, QStringLiteral("grants_revoke"));
    QVERIFY(page->message()->is_error());  // no grant left to revoke
  }

  void unpinnedVersionsAreSaid() {
    // The same instruments with dash under a version the database never accepted.
    QTemporaryDir copy;
    QVERIFY(copy.isValid());
    const QString from = QString::fromUtf8(SCREENING_TEST_INSTRUMENTS_DIR);
    QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QString file = it.next();
      const QString target = copy.path() + QStringLiteral("/") + QDir(from).relativeFilePath(file);
      QVERIFY(QDir().mkpath(QFileInfo(target).path()));
      QVERIFY(QFile::copy(file, target));
    }
    QFile dash(copy.path() + QStringLiteral("/dash.textproto"));
    QVERIFY(dash.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(dash.readAll());
    dash.close();
    QVERIFY(text.contains(QStringLiteral("version: \"2.0.0\"")));
    text.replace(QStringLiteral("version: \"2.0.0\""), QStringLiteral("version: \"2.9.0\""));
    QVERIFY(QFile::remove(dash.fileName()));
    QVERIFY(dash.open(QIODevice::WriteOnly));
    dash.write(text.toUtf8());
    dash.close();
    qputenv("SCREENING_INSTRUMENTS", copy.path().toUtf8());
    auto app = Start("handlaggare", kCaseworkerPassword);
    qputenv("SCREENING_INSTRUMENTS", SCREENING_TEST_INSTRUMENTS_DIR);
    QVERIFY(app->window->page() != nullptr);
    QVERIFY(!app->window->work_message()->isHidden());
    QVERIFY(app->window->work_message()->text().contains(QStringLiteral("dash 2.9.0")));
  }

  void englishInterface() {
    auto app = Start("handlaggare", kCaseworkerPassword, {"--lang", "en"});
    QVERIFY(qobject_cast<TodoPage*>(app->window->page()) != nullptr);
    QCOMPARE(app->window->windowTitle(), QStringLiteral("Screening – To do"));
    auto* combo = app->Find<QComboBox>("work_lang");
    combo->setCurrentIndex(combo->findData(QStringLiteral("sv")));
    QTRY_COMPARE(app->window->windowTitle(), QStringLiteral("Screening – Att göra"));
    SetLanguage("sv");
  }
};

int main(int argc, char** argv) {
  // Headless, also when CTest discovers or runs the tests on a machine without a display.
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  DesktopTest test;
  return QTest::qExec(&test, argc, argv);
}

#include "desktop_test.moc"
