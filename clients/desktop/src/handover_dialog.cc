#include "handover_dialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "i18n.h"
#include "ui_util.h"

namespace screening::desktop {

HandoverDialog::HandoverDialog(const HandoverPrompt& prompt, QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("handover_dialog"));
  setWindowTitle(Q(prompt.question));
  setModal(true);
  setMinimumWidth(480);
  auto* v = new QVBoxLayout(this);
  QLabel* question = Heading(Q(prompt.question), 2);
  question->setObjectName(QStringLiteral("handover_question"));
  v->addWidget(question);
  v->addWidget(Paragraph(Q(prompt.explanation)));
  v->addWidget(Paragraph(Q(prompt.alternative)));
  // The names to save the numbers under, as the caseworker reads them out: name, number.
  QString names = QStringLiteral("<table cellspacing=0 cellpadding=1>");
  for (const CardLine& line : prompt.numbers) {
    names += QStringLiteral("<tr><td>%1</td><td>&nbsp;&nbsp;&nbsp;</td><td>%2</td></tr>")
                 .arg(Q(line.label).toHtmlEscaped(), Q(line.phone).toHtmlEscaped());
  }
  names += QStringLiteral("</table>");
  auto* list = new QLabel(names);
  list->setObjectName(QStringLiteral("handover_numbers"));
  list->setTextFormat(Qt::RichText);
  list->setTextInteractionFlags(Qt::TextSelectableByMouse);
  list->setIndent(16);
  v->addWidget(list);
  v->addWidget(Paragraph(Q(prompt.own_names)));

  auto* buttons = new QHBoxLayout;
  auto* make = Named(new QPushButton(Q(prompt.make_card)), Q(prompt.make_card));
  make->setObjectName(QStringLiteral("make_card"));
  auto* phone = Named(new QPushButton(Q(prompt.save_in_phone)), Q(prompt.save_in_phone));
  phone->setObjectName(QStringLiteral("save_in_phone"));
  auto* cancel = Named(new QPushButton(Q(prompt.cancel)), Q(prompt.cancel));
  cancel->setObjectName(QStringLiteral("cancel"));
  // No default button: Return must not make a card before the question is answered.
  make->setAutoDefault(false);
  phone->setAutoDefault(false);
  cancel->setAutoDefault(false);
  connect(make, &QPushButton::clicked, this, [this]() { done(kMakeCard); });
  connect(phone, &QPushButton::clicked, this, [this]() { done(kSaveInPhone); });
  connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
  buttons->addStretch(1);
  buttons->addWidget(cancel);
  buttons->addWidget(phone);
  buttons->addWidget(make);
  v->addLayout(buttons);
}

}  // namespace screening::desktop
