// `screening-desktop`: hardens the process like the CLI, reads the configuration and shows
// the login window; the store is opened right after the window appears.

#include <cstdio>
#include <string>
#include <vector>

#include <screening/process.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include "app_state.h"
#include "i18n.h"
#include "main_window.h"

int main(int argc, char** argv) {
  QElapsedTimer clock;
  clock.start();
  screening::HardenProcess();
  std::vector<std::string> args(argv, argv + argc);
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("screening-desktop"));
  auto config = screening::desktop::ConfigFromArguments(args);
  if (!config.ok()) {
    std::fprintf(stderr, "screening-desktop: %s\n", config.status().message().c_str());
    return 2;
  }
  screening::desktop::SetLanguage(config->lang);
  screening::desktop::AppState state(*config);
  screening::desktop::MainWindow window(&state);
  if (config->startup_probe) {
    QObject::connect(&window, &screening::desktop::MainWindow::readyChanged, &app, [&]() {
      std::printf("%lld\n", static_cast<long long>(clock.elapsed()));
      std::fflush(stdout);
      QTimer::singleShot(0, &app, &QApplication::quit);
    });
  }
  window.show();
  QTimer::singleShot(0, &window, [&window]() { window.OpenStore(); });
  const int code = QApplication::exec();
  return config->startup_probe && !window.ready() ? 1 : code;
}
