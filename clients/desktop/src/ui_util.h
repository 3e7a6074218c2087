// Small helpers every screen uses: accessible names, message lines, headings.
#pragma once

#include <QLabel>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <screening/status.h>

class QTableWidget;

namespace screening::desktop {

// Sets the accessible name (what a screen reader says) and returns the widget.
template <typename W>
W* Named(W* widget, const QString& name) {
  widget->setAccessibleName(name);
  return widget;
}

// A line for messages next to what they concern: hidden while empty; errors in dark red,
// information in the normal colour. Its accessible name is the message's purpose.
class MessageLabel : public QLabel {
  Q_OBJECT
 public:
  explicit MessageLabel(const QString& accessible_name, QWidget* parent = nullptr);
  void ShowError(const QString& text);
  void ShowInfo(const QString& text);
  void Clear();
  bool is_error() const { return error_; }

 private:
  bool error_ = false;
};

// A heading label (bold, larger) for a page or section.
QLabel* Heading(const QString& text, int level, QWidget* parent = nullptr);
// A read-only list table with one selectable row at a time: the list screens' tables.
QTableWidget* ListTable(const QString& name, const QStringList& headers);
// Fills row `row` of `table` with `cells`, one per column.
void SetRowTexts(QTableWidget* table, int row, const QStringList& cells);

// A wrapped plain-text label.
QLabel* Paragraph(const QString& text, QWidget* parent = nullptr);

// The library's failure as one line in the UI language ("what: denied (…)").
QString Describe(const QString& what, const Status& status);

}  // namespace screening::desktop
