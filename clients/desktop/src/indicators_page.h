// The indicator overview (coordinators, and supervisors for their units): the action plan's
// indicators for a period and a unit, as the library counts them (Store::Indicators),
// suppresses small numbers and renders them. The screen only collects the period and the
// unit, shows the report's tables and the library's SVG charts, and writes the library's CSV
// or HTML rendering to a file. A refusal or a failure is shown as the library's answer.
#pragma once

#include <optional>
#include <vector>

#include <screening/indicators.h>

#include "page.h"

class QComboBox;
class QDateEdit;
class QLabel;
class QPushButton;
class QSpinBox;
class QSvgWidget;
class QTableWidget;
class QVBoxLayout;

namespace screening::desktop {

class MessageLabel;

class IndicatorsPage : public Page {
  Q_OBJECT
 public:
  // The period kinds of the period selector, in its order.
  enum PeriodKind { kYear = 0, kQuarter = 1, kMonth = 2, kRange = 3 };

  // Shows the report for the current year and all units at once.
  IndicatorsPage(AppState* state, QWidget* parent = nullptr);
  QString Title() const override;

  // Counts the indicators for the chosen period and unit and shows them, or the library's
  // refusal or failure (no tables then).
  void ShowReport();
  // Writes the shown report in `format` ("csv" or "html", the library's renderers, in the
  // interface language) to `path` through a temporary file. False, with the reason in the
  // message line, when there is no report or the file cannot be written.
  bool ExportTo(const QString& path, const QString& format);

  QComboBox* period_kind() { return period_kind_; }
  QSpinBox* year() { return year_; }
  QComboBox* quarter() { return quarter_; }
  QComboBox* month() { return month_; }
  QDateEdit* from() { return from_; }
  QDateEdit* to() { return to_; }
  QComboBox* unit() { return unit_; }
  QPushButton* show_button() { return show_; }
  QPushButton* export_csv() { return export_csv_; }
  QPushButton* export_html() { return export_html_; }
  MessageLabel* message() { return message_; }
  QLabel* header() { return header_; }
  // The report shown, if any.
  const std::optional<IndicatorReport>& report() const { return report_; }
  // The tables shown, one per report table in order ("indicators_table_<id>").
  const std::vector<QTableWidget*>& tables() const { return tables_; }
  // The charts shown, one per table that has one ("indicators_chart_<id>").
  const std::vector<QSvgWidget*>& charts() const { return charts_; }

 private:
  void UpdatePeriodFields();
  void ClearReport();
  void Fill(const IndicatorReport& report);
  // Asks for a file name and exports there.
  void Export(const QString& format);

  QComboBox* period_kind_;
  QSpinBox* year_;
  QComboBox* quarter_;
  QComboBox* month_;
  QDateEdit* from_;
  QDateEdit* to_;
  QWidget* range_;
  QComboBox* unit_;
  QPushButton* show_;
  QPushButton* export_csv_;
  QPushButton* export_html_;
  MessageLabel* message_;
  QLabel* header_;
  QWidget* content_;
  QVBoxLayout* content_layout_;
  std::optional<IndicatorReport> report_;
  std::vector<QTableWidget*> tables_;
  std::vector<QSvgWidget*> charts_;
};

}  // namespace screening::desktop
