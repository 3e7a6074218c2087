// Takes the README's screenshots of the desktop client: seeds a temporary database with
// made-up users and case references, drives the real widgets and saves the main screens as
// PNG files. Run by scripts/screenshots under Xvfb; usage: screening_desktop_screenshots DIR
#include <cstdio>
#include <memory>
#include <string>

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDate>
#include <QDir>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>

#include <screening/dates.h>
#include <screening/registry.h>
#include <screening/store.h>

#include "app_state.h"
#include "assessment_page.h"
#include "i18n.h"
#include "indicators_page.h"
#include "list_pages.h"
#include "main_window.h"

using namespace screening;
using namespace screening::desktop;

namespace {

const char kPassword[] = "exempel-losenord-1";

void Settle() {
  for (int i = 0; i < 5; ++i) QApplication::processEvents();
}

template <typename T>
T* Find(MainWindow& window, const char* name) {
  if (window.page() != nullptr) {
    if (T* found = window.page()->findChild<T*>(QString::fromLatin1(name)); found != nullptr) {
      return found;
    }
  }
  return window.findChild<T*>(QString::fromLatin1(name));
}

bool Click(MainWindow& window, const char* name) {
  auto* button = Find<QAbstractButton>(window, name);
  if (button == nullptr) {
    std::fprintf(stderr, "screenshots: no control %s\n", name);
    return false;
  }
  button->click();
  Settle();
  return true;
}

class Shooter {
 public:
  explicit Shooter(QString dir) : dir_(std::move(dir)) {}
  bool Shot(QWidget& window, const char* name) {
    Settle();
    const QString path =
        dir_ + QStringLiteral("/") + QString::fromLatin1(name) + QStringLiteral(".png");
    if (!window.grab().save(path)) {
      std::fprintf(stderr, "screenshots: could not write %s\n", path.toLocal8Bit().constData());
      return false;
    }
    std::printf("%s\n", path.toLocal8Bit().constData());
    return true;
  }

 private:
  QString dir_;
};

std::unique_ptr<MainWindow> LogIn(AppState* state, const char* user) {
  auto window = std::make_unique<MainWindow>(state);
  window->resize(1180, 820);
  window->show();
  window->OpenStore();
  window->login_user()->setText(QString::fromLatin1(user));
  window->login_password()->setText(QString::fromLatin1(kPassword));
  window->SubmitLogin();
  Settle();
  return window;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: screening_desktop_screenshots DIR\n");
    return 2;
  }
  const QString out = QDir(QString::fromLocal8Bit(argv[1])).absolutePath();
  QDir().mkpath(out);
  QTemporaryDir tmp;
  const std::string db = (tmp.path() + QStringLiteral("/screening.db")).toStdString();
  const std::string key = (tmp.path() + QStringLiteral("/audit.key")).toStdString();
  qputenv("SCREENING_DB", QByteArray::fromStdString(db));
  qputenv("SCREENING_AUDIT_KEY", QByteArray::fromStdString(key));
  qputenv("SCREENING_PASSWORD_COST", "0");

  auto config = ConfigFromArguments({"screening_desktop_screenshots", "--lang", "sv"});
  if (!config.ok()) {
    std::fprintf(stderr, "screenshots: %s\n", config.status().message().c_str());
    return 1;
  }
  Diagnostics diagnostics;
  auto registry = Registry::LoadDirectory(config->instruments, &diagnostics);
  if (!registry.ok()) {
    std::fprintf(stderr, "screenshots: %s\n", registry.status().ToString().c_str());
    return 1;
  }
  {
    StoreOptions options;
    options.password_cost = 0;
    options.audit_key_file = key;
    auto store = CreateSqliteStore(db, *registry, "admin", kPassword, options);
    if (!store.ok()) {
      std::fprintf(stderr, "screenshots: %s\n", store.status().ToString().c_str());
      return 1;
    }
    auto admin = (*store)->Login("admin", kPassword);
    if (!admin.ok() || !(*store)->AddUnit(*admin, "ifo_vuxen").ok() ||
        !AddUserReady(**store, *admin, "handlaggare", Role::kCaseworker, {"ifo_vuxen"}, kPassword)
             .ok() ||
        !AddUserReady(**store, *admin, "arbetsledare", Role::kSupervisor, {"ifo_vuxen"}, kPassword)
             .ok() ||
        !(*store)->AddUnit(*admin, "ifo_barn").ok() || !(*store)->AddUnit(*admin, "bistand").ok() ||
        !AddUserReady(**store, *admin, "samordnare", Role::kCoordinator,
                      {"ifo_vuxen", "ifo_barn", "bistand"}, kPassword)
             .ok() ||
        !AddUserReady(**store, *admin, "mottagning", Role::kCaseworker,
                      {"ifo_vuxen", "ifo_barn", "bistand"}, kPassword)
             .ok()) {
      std::fprintf(stderr, "screenshots: seeding failed\n");
      return 1;
    }
    // This year's contacts for the indicator screen: made-up case references, spread over
    // the days so far, three units and every outcome.
    auto intake = (*store)->Login("mottagning", kPassword);
    if (!intake.ok()) {
      std::fprintf(stderr, "screenshots: seeding failed\n");
      return 1;
    }
    const QDate today = QDate::fromString(Q(SwedishToday()), Qt::ISODate);
    const QDate first(today.year(), 1, 1);
    const char* units[] = {"ifo_vuxen", "ifo_vuxen", "ifo_barn", "bistand"};
    const char* types[] = {"physical", "psychological", "economic", "sexual"};
    const char* reasons[] = {"not_alone", "relative_interpreter", "no_private_room"};
    const int kContacts = 140;
    for (int i = 0; i < kContacts; ++i) {
      ContactInput contact;
      contact.unit = units[i % 4];
      contact.case_ref = QStringLiteral("EX-%1-%2")
                             .arg(today.year())
                             .arg(i / 2 + 1, 4, 10, QLatin1Char('0'))
                             .toStdString();
      contact.contact_date = first.addDays(static_cast<qint64>(i) * first.daysTo(today) / kContacts)
                                 .toString(Qt::ISODate)
                                 .toStdString();
      const int kind = (i * 7) % 10;
      if (kind < 3) {
        contact.outcome = "disclosed";
        contact.violence_types = {types[i % 4]};
        if (i % 3 == 0 && i % 4 != 1) contact.violence_types.push_back("psychological");
      } else if (kind < 8) {
        contact.outcome = "not_disclosed";
      } else if (kind == 8) {
        contact.outcome = "declined";
      } else {
        contact.outcome = "not_asked";
        contact.not_asked_reason = reasons[i % 3];
      }
      if (!(*store)->AddContact(*intake, contact).ok()) {
        std::fprintf(stderr, "screenshots: seeding the contacts failed\n");
        return 1;
      }
    }
  }
  SetLanguage("sv");
  Shooter shooter(out);
  bool ok = true;

  // Caseworker: login, a new contact with the routine question, a dash, the to-do list.
  {
    AppState state(*config);
    auto window = std::make_unique<MainWindow>(&state);
    window->resize(1180, 820);
    window->show();
    window->OpenStore();
    window->login_user()->setText(QStringLiteral("handlaggare"));
    ok &= shooter.Shot(*window, "login");
    window->login_password()->setText(QString::fromLatin1(kPassword));
    window->SubmitLogin();
    Settle();

    window->OpenNewContact();
    auto* contact = qobject_cast<ContactPage*>(window->page());
    contact->case_ref()->setText(QStringLiteral("VX-2026-0142"));
    contact->Start();
    ok &= Click(*window, "safe_to_ask:yes") && Click(*window, "q1:yes") &&
          Click(*window, "q2:yes") && Click(*window, "q4:yes") &&
          Click(*window, "outcome:disclosed") && Click(*window, "violence_types:physical") &&
          Click(*window, "violence_types:psychological") &&
          Click(*window, "children_in_household:yes");
    ok &= shooter.Shot(*window, "routine-question");
    ok &= Click(*window, "save_contact");
    if (auto* page = qobject_cast<AssessmentPage*>(window->page()); page != nullptr) {
      Find<QTabWidget>(*window, "tabs")->setCurrentIndex(1);
      ok &= shooter.Shot(*window, "routine-result");
    }

    window->OpenAssessments();
    auto* list = qobject_cast<AssessmentsPage*>(window->page());
    list->instrument()->setCurrentIndex(list->instrument()->findData(QStringLiteral("dash")));
    list->case_ref()->setText(QStringLiteral("VX-2026-0142"));
    list->StartNew();
    for (int q = 1; q <= 15; ++q) {
      ok &= Click(*window, QStringLiteral("q%1:yes").arg(q).toLatin1().constData());
    }
    ok &= shooter.Shot(*window, "dash-form");
    auto* page = qobject_cast<AssessmentPage*>(window->page());
    Find<QTabWidget>(*window, "tabs")->setCurrentIndex(1);
    page->Reevaluate();
    ok &= shooter.Shot(*window, "dash-result");
    ok &= Click(*window, "submit");

    window->OpenAssessments();
    list = qobject_cast<AssessmentsPage*>(window->page());
    list->instrument()->setCurrentIndex(list->instrument()->findData(QStringLiteral("farlighet")));
    list->case_ref()->setText(QStringLiteral("VX-2026-0142"));
    list->StartNew();
    ok &= Click(*window, "calendar:add") && Click(*window, "calendar:add");
    for (const char* name : {"calendar[0].date", "calendar[1].date"}) {
      if (auto* date = Find<QLineEdit>(*window, name); date != nullptr) {
        date->setText(QStringLiteral("2026-03-14"));
        Q_EMIT date->editingFinished();
      }
    }
    if (auto* severity = Find<QLineEdit>(*window, "calendar[0].severity"); severity != nullptr) {
      severity->setText(QStringLiteral("3"));
      Q_EMIT severity->editingFinished();
    }
    if (auto* calendar = Find<QWidget>(*window, "item_calendar"); calendar != nullptr) {
      for (QWidget* w = calendar; w != nullptr; w = w->parentWidget()) {
        if (auto* area = qobject_cast<QScrollArea*>(w); area != nullptr) {
          area->ensureWidgetVisible(calendar, 0, 0);
          area->verticalScrollBar()->setValue(area->verticalScrollBar()->maximum());
          break;
        }
      }
    }
    ok &= shooter.Shot(*window, "farlighet-form");

    window->OpenTodo();
    ok &= shooter.Shot(*window, "todo");
    window->QuickHide();
    ok &= shooter.Shot(*window, "quick-hide");
    window->close();
  }
  // Supervisor: the review queue and a review.
  {
    AppState state(*config);
    auto window = LogIn(&state, "arbetsledare");
    ok &= shooter.Shot(*window, "review-queue");
    auto* queue = qobject_cast<ReviewQueuePage*>(window->page());
    if (queue != nullptr && !queue->rows().empty()) {
      window->OpenReview(queue->rows().front().id);
      Settle();
      Find<QTabWidget>(*window, "tabs")->setCurrentIndex(1);
      ok &= shooter.Shot(*window, "review");
    }
    window->close();
  }
  // Coordinator: the indicator screen with this year's report (the screen shows it at once).
  {
    AppState state(*config);
    auto window = LogIn(&state, "samordnare");
    auto* indicators = qobject_cast<IndicatorsPage*>(window->page());
    if (indicators == nullptr || !indicators->report().has_value()) {
      std::fprintf(stderr, "screenshots: the indicator screen shows no report\n");
      ok = false;
    }
    ok &= shooter.Shot(*window, "coordinator");
    window->close();
  }
  return ok ? 0 : 1;
}
