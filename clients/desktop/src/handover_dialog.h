// The question asked before a discreet card is handed over ("Är det säkert för dig att ta hem
// det här?"), with the alternative of saving the numbers in the phone under neutral names.
// Every text comes from the library (Directory::PromptFor); the dialog only shows it.
#pragma once

#include <QDialog>

#include <screening/directory.h>

namespace screening::desktop {

class HandoverDialog : public QDialog {
  Q_OBJECT
 public:
  // exec() results besides QDialog::Rejected (cancel).
  enum Choice { kMakeCard = QDialog::Accepted, kSaveInPhone = 2 };

  explicit HandoverDialog(const HandoverPrompt& prompt, QWidget* parent = nullptr);
};

}  // namespace screening::desktop
