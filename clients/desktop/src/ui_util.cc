#include "ui_util.h"

#include <QFont>
#include <QHeaderView>
#include <QTableWidget>

#include "i18n.h"
#include "labels.h"

namespace screening::desktop {

MessageLabel::MessageLabel(const QString& accessible_name, QWidget* parent) : QLabel(parent) {
  setWordWrap(true);
  setTextFormat(Qt::PlainText);
  setTextInteractionFlags(Qt::TextSelectableByMouse);
  setAccessibleName(accessible_name);
  hide();
}

void MessageLabel::ShowError(const QString& text) {
  error_ = true;
  setStyleSheet(QStringLiteral("color: #8b0000; font-weight: bold;"));
  setText(text);
  setAccessibleDescription(text);
  show();
}

void MessageLabel::ShowInfo(const QString& text) {
  error_ = false;
  setStyleSheet(QStringLiteral("color: #1d4d2b;"));
  setText(text);
  setAccessibleDescription(text);
  show();
}

void MessageLabel::Clear() {
  error_ = false;
  setText(QString());
  setAccessibleDescription(QString());
  hide();
}

QLabel* Heading(const QString& text, int level, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  QFont font = label->font();
  font.setBold(true);
  font.setPointSizeF(font.pointSizeF() * (level <= 1 ? 1.5 : level == 2 ? 1.25 : 1.1));
  label->setFont(font);
  label->setWordWrap(true);
  label->setTextFormat(Qt::PlainText);
  label->setAccessibleName(text);
  return label;
}

QTableWidget* ListTable(const QString& name, const QStringList& headers) {
  auto* table = Named(new QTableWidget(0, static_cast<int>(headers.size())), name);
  table->setHorizontalHeaderLabels(headers);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setTabKeyNavigation(false);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setStretchLastSection(true);
  table->setAlternatingRowColors(true);
  return table;
}

void SetRowTexts(QTableWidget* table, int row, const QStringList& cells) {
  for (int c = 0; c < cells.size(); ++c) table->setItem(row, c, new QTableWidgetItem(cells[c]));
}

QLabel* Paragraph(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setWordWrap(true);
  label->setTextFormat(Qt::PlainText);
  label->setAccessibleName(text);
  return label;
}

QString Describe(const QString& what, const Status& status) {
  return Q(::screening::desktop::Describe(S(what), status, Language()));
}

}  // namespace screening::desktop
