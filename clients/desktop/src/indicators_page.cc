#include "indicators_page.h"

#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPalette>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QSvgWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <screening/dates.h>
#include <screening/process.h>
#include <screening/registry.h>
#include <screening/store.h>
#include <screening/vocabulary.h>

#include "app_state.h"
#include "i18n.h"
#include "ui_util.h"

namespace screening::desktop {
namespace {

QString UnitLabel(const AppState& state, const std::string& unit) {
  return Q(state.registry().vocabulary()->Label("units", unit, Language()));
}

// The widest a chart is drawn; a narrower window scrolls.
constexpr int kMaxChartWidth = 900;

QTableWidget* ReportTable(const IndicatorReport& report, const IndicatorTable& t) {
  const std::string& lang = Language();
  auto* table =
      Named(new QTableWidget(static_cast<int>(t.rows.size()), static_cast<int>(t.columns.size())),
            Q(t.title.In(lang)));
  table->setObjectName(QStringLiteral("indicators_table_") + Q(t.id));
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionMode(QAbstractItemView::ContiguousSelection);
  table->setTabKeyNavigation(false);
  table->setAlternatingRowColors(true);
  // As large as its contents (the report's scroll area scrolls), only a table wider than the
  // window scrolls sideways.
  table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  table->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
  QStringList columns;
  for (const IndicatorAxis& c : t.columns) columns << Q(c.label.In(lang));
  QStringList rows;
  for (const IndicatorAxis& r : t.rows) rows << Q(r.label.In(lang));
  table->setHorizontalHeaderLabels(columns);
  table->setVerticalHeaderLabels(rows);
  table->horizontalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
  table->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  const QString hidden = L("Dolt: färre än %1", "Hidden: fewer than %1").arg(report.threshold);
  const QString complementary = L("Dolt så att ett litet antal inte kan räknas fram",
                                  "Hidden so that a small count "
                                  "cannot be worked out");
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const IndicatorCell& cell = t.cells[r][c];
      auto* item = new QTableWidgetItem(Q(FormatIndicatorCell(cell, report.threshold, lang)));
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (cell.suppression == Suppression::kPrimary) item->setToolTip(hidden);
      if (cell.suppression == Suppression::kComplementary) item->setToolTip(complementary);
      if (cell.suppression == Suppression::kNotCounted)
        item->setToolTip(Q(IndicatorNotCountedText(lang)));
      if (t.rows[r].total || t.columns[c].total) {
        QFont font = item->font();
        font.setBold(true);
        item->setFont(font);
      }
      table->setItem(static_cast<int>(r), static_cast<int>(c), item);
    }
  }
  table->resizeColumnsToContents();
  table->resizeRowsToContents();
  return table;
}

}  // namespace

IndicatorsPage::IndicatorsPage(AppState* state, QWidget* parent) : Page(state, parent) {
  auto* v = new QVBoxLayout(this);
  v->addWidget(Heading(L("Indikatorer", "Indicators"), 1));
  v->addWidget(Paragraph(
      L("Handlingsplanens indikatorer för en period, räknade av biblioteket. Samordnare ser "
        "bara sammanställningar, aldrig enskilda ärenden; små antal döljs.",
        "The action plan's indicators for a period, counted by the library. Coordinators see "
        "aggregates only, never individual cases; small counts are hidden.")));

  // The period and the unit.
  auto* form = new QFormLayout;
  period_kind_ = Named(new QComboBox, L("Periodtyp", "Kind of period"));
  period_kind_->setObjectName(QStringLiteral("indicators_period_kind"));
  period_kind_->addItem(L("År", "Year"), QStringLiteral("year"));
  period_kind_->addItem(L("Kvartal", "Quarter"), QStringLiteral("quarter"));
  period_kind_->addItem(L("Månad", "Month"), QStringLiteral("month"));
  period_kind_->addItem(L("Från–till", "From–to"), QStringLiteral("range"));
  const QDate today = QDate::fromString(Q(SwedishToday()), Qt::ISODate);
  year_ = Named(new QSpinBox, L("År", "Year"));
  year_->setObjectName(QStringLiteral("indicators_year"));
  year_->setRange(1900, 2200);
  year_->setValue(today.year());
  quarter_ = Named(new QComboBox, L("Kvartal", "Quarter"));
  quarter_->setObjectName(QStringLiteral("indicators_quarter"));
  for (int q = 1; q <= 4; ++q) quarter_->addItem(QStringLiteral("Q%1").arg(q), q);
  quarter_->setCurrentIndex((today.month() - 1) / 3);
  month_ = Named(new QComboBox, L("Månad", "Month"));
  month_->setObjectName(QStringLiteral("indicators_month"));
  for (int m = 1; m <= 12; ++m) {
    month_->addItem(QStringLiteral("%1").arg(m, 2, 10, QLatin1Char('0')), m);
  }
  month_->setCurrentIndex(today.month() - 1);
  from_ = Named(new QDateEdit(QDate(today.year(), 1, 1)), L("Från och med", "From"));
  from_->setObjectName(QStringLiteral("indicators_from"));
  to_ = Named(new QDateEdit(today), L("Till och med", "To"));
  to_->setObjectName(QStringLiteral("indicators_to"));
  for (QDateEdit* date : {from_, to_}) {
    date->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    date->setCalendarPopup(true);
  }
  auto* period = new QHBoxLayout;
  period->addWidget(period_kind_);
  period->addWidget(year_);
  period->addWidget(quarter_);
  period->addWidget(month_);
  range_ = new QWidget;
  auto* range = new QHBoxLayout(range_);
  range->setContentsMargins(0, 0, 0, 0);
  range->addWidget(from_);
  range->addWidget(new QLabel(QStringLiteral("–")));
  range->addWidget(to_);
  period->addWidget(range_);
  period->addStretch(1);
  form->addRow(L("&Period:", "&Period:"), period);
  if (auto* label = qobject_cast<QLabel*>(form->labelForField(period)); label != nullptr) {
    label->setBuddy(period_kind_);
  }

  unit_ = Named(new QComboBox, L("Enhet", "Unit"));
  unit_->setObjectName(QStringLiteral("indicators_unit"));
  unit_->addItem(L("Alla enheter", "All units"), QString());
  if (const v1::TermList* units = state_->registry().vocabulary()->List("units");
      units != nullptr) {
    for (const v1::Term& term : units->terms()) {
      unit_->addItem(UnitLabel(*state_, term.id()), Q(term.id()));
    }
  }
  form->addRow(L("&Enhet:", "&Unit:"), unit_);
  v->addLayout(form);

  auto* buttons = new QHBoxLayout;
  show_ =
      Named(new QPushButton(L("&Visa", "&Show")), L("Visa indikatorerna", "Show the indicators"));
  show_->setObjectName(QStringLiteral("indicators_show"));
  show_->setDefault(true);
  export_csv_ = Named(new QPushButton(L("Exportera &CSV…", "Export &CSV…")),
                      L("Exportera som CSV", "Export as CSV"));
  export_csv_->setObjectName(QStringLiteral("indicators_export_csv"));
  export_html_ = Named(new QPushButton(L("Exportera &HTML…", "Export &HTML…")),
                       L("Exportera som HTML", "Export as HTML"));
  export_html_->setObjectName(QStringLiteral("indicators_export_html"));
  buttons->addWidget(show_);
  buttons->addWidget(export_csv_);
  buttons->addWidget(export_html_);
  buttons->addStretch(1);
  v->addLayout(buttons);

  message_ = new MessageLabel(L("Meddelande", "Message"));
  message_->setObjectName(QStringLiteral("indicators_message"));
  v->addWidget(message_);

  // The report: its header, then per table the title, the table, the chart, the description.
  content_ = new QWidget;
  content_layout_ = new QVBoxLayout(content_);
  header_ = Paragraph(QString());
  header_->setObjectName(QStringLiteral("indicators_header"));
  header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  header_->hide();
  content_layout_->addWidget(header_);
  content_layout_->addStretch(1);
  auto* area = Named(new QScrollArea, L("Indikatorrapport", "Indicator report"));
  area->setObjectName(QStringLiteral("indicators_report"));
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  area->setWidget(content_);
  v->addWidget(area, 1);

  connect(period_kind_, &QComboBox::currentIndexChanged, this, &IndicatorsPage::UpdatePeriodFields);
  connect(show_, &QPushButton::clicked, this, &IndicatorsPage::ShowReport);
  connect(export_csv_, &QPushButton::clicked, this, [this]() { Export(QStringLiteral("csv")); });
  connect(export_html_, &QPushButton::clicked, this, [this]() { Export(QStringLiteral("html")); });
  UpdatePeriodFields();
  ShowReport();
}

QString IndicatorsPage::Title() const { return L("Indikatorer", "Indicators"); }

void IndicatorsPage::UpdatePeriodFields() {
  const int kind = period_kind_->currentIndex();
  year_->setVisible(kind == kYear || kind == kQuarter || kind == kMonth);
  quarter_->setVisible(kind == kQuarter);
  month_->setVisible(kind == kMonth);
  range_->setVisible(kind == kRange);
}

void IndicatorsPage::ClearReport() {
  report_.reset();
  tables_.clear();
  charts_.clear();
  header_->clear();
  header_->hide();
  // Everything after the header and before the final stretch is the previous report.
  while (content_layout_->count() > 2) {
    QLayoutItem* item = content_layout_->takeAt(1);
    delete item->widget();  // not a sender here: the Show button stays
    delete item;
  }
  export_csv_->setEnabled(false);
  export_html_->setEnabled(false);
}

void IndicatorsPage::ShowReport() {
  ClearReport();
  message_->Clear();
  const QString year = QString::number(year_->value());
  const Result<IndicatorPeriod> period = [&]() {
    switch (period_kind_->currentIndex()) {
      case kQuarter:
        return QuarterPeriod(S(year + QStringLiteral("Q") + quarter_->currentData().toString()));
      case kMonth:
        return MonthPeriod(
            S(year + QStringLiteral("-") +
              QStringLiteral("%1").arg(month_->currentData().toInt(), 2, 10, QLatin1Char('0'))));
      case kRange:
        return RangePeriod(S(from_->date().toString(Qt::ISODate)),
                           S(to_->date().toString(Qt::ISODate)));
      default:
        return YearPeriod(S(year));
    }
  }();
  if (!period.ok()) {
    message_->ShowError(
        Describe(L("Perioden kan inte användas", "The period cannot be used"), period.status()));
    return;
  }
  IndicatorRequest request;
  request.period = *period;
  request.unit = S(unit_->currentData().toString());
  auto report = state_->store().Indicators(state_->actor(), request);
  if (!report.ok()) {
    message_->ShowError(
        Describe(L("Indikatorerna kunde inte räknas", "The indicators could not be counted"),
                 report.status()));
    return;
  }
  report_ = std::move(*report);
  Fill(*report_);
  export_csv_->setEnabled(true);
  export_html_->setEnabled(true);
}

void IndicatorsPage::Fill(const IndicatorReport& report) {
  const std::string& lang = Language();
  QStringList units;
  if (!report.unit.empty()) {
    units << UnitLabel(*state_, report.unit);
  } else if (report.units.empty()) {
    units << L("alla enheter", "all units");
  } else {
    for (const std::string& u : report.units) units << UnitLabel(*state_, u);
  }
  QStringList lines;
  lines << Q(report.title.In(lang));
  lines << L("Period: %1 (%2 – %3)", "Period: %1 (%2 – %3)")
               .arg(Q(report.period.label), Q(report.period.from), Q(report.period.to));
  lines << L("Enhet: %1", "Unit: %1").arg(units.join(QStringLiteral(", ")));
  lines << L("Data till och med: %1 (svensk tid)", "Data up to and including: %1 (Swedish time)")
               .arg(Q(SwedishLocalDateTime(report.cutoff_utc)));
  lines << L("Definitioner: %1 version %2 – %3", "Definitions: %1 version %2 – %3")
               .arg(Q(report.definitions_id), Q(report.definitions_version), Q(report.source));
  if (report.suppressed) {
    lines << L("Små tal: antal från 1 till %1 visas som \"<%2\", liksom andra celler som de "
               "kunde räknas fram ur",
               "Small numbers: counts from 1 to %1 are shown as \"<%2\", and other cells where "
               "they could be worked out")
                 .arg(report.threshold - 1)
                 .arg(report.threshold);
  } else {
    lines << L("Små tal: alla antal visas", "Small numbers: every count is shown");
  }
  header_->setText(lines.join(QLatin1Char('\n')));
  header_->setAccessibleName(L("Rapportens uppgifter", "The report's details"));
  header_->setAccessibleDescription(header_->text());
  header_->show();

  int at = 1;  // after the header
  for (const IndicatorTable& t : report.tables) {
    content_layout_->insertWidget(at++, Heading(Q(t.title.In(lang)), 2));
    QTableWidget* table = ReportTable(report, t);
    tables_.push_back(table);
    content_layout_->insertWidget(at++, table, 0, Qt::AlignLeft);
    const std::string svg = IndicatorChartSvg(report, t, lang);
    if (!svg.empty()) {
      auto* chart = Named(new QSvgWidget, L("Diagram: %1", "Chart: %1").arg(Q(t.title.In(lang))));
      chart->setObjectName(QStringLiteral("indicators_chart_") + Q(t.id));
      chart->load(QByteArray::fromStdString(svg));
      QSize size = chart->renderer()->defaultSize();
      if (size.width() > kMaxChartWidth)
        size.scale(kMaxChartWidth, size.height(), Qt::KeepAspectRatio);
      chart->setFixedSize(size);
      // The chart's own white background, also where QtSvg leaves a percentage-sized
      // background rectangle short.
      QPalette palette = chart->palette();
      palette.setColor(QPalette::Window, Qt::white);
      chart->setPalette(palette);
      chart->setAutoFillBackground(true);
      charts_.push_back(chart);
      content_layout_->insertWidget(at++, chart, 0, Qt::AlignLeft);
    }
    if (!t.description.In(lang).empty()) {
      content_layout_->insertWidget(at++, Paragraph(Q(t.description.In(lang))));
    }
    for (const IndicatorText& note : t.notes) {
      content_layout_->insertWidget(at++, Paragraph(Q(note.In(lang))));
    }
  }
}

bool IndicatorsPage::ExportTo(const QString& path, const QString& format) {
  if (!report_.has_value()) {
    message_->ShowError(L("Det finns ingen rapport att exportera. Välj Visa först.",
                          "There is no report to export. Choose Show first."));
    return false;
  }
  const std::string& lang = Language();
  std::string text;
  if (format == QStringLiteral("csv")) {
    text = RenderIndicatorCsv(*report_, lang);
  } else if (format == QStringLiteral("html")) {
    text = RenderIndicatorHtml(*report_, lang);
  } else {
    message_->ShowError(L("Okänt exportformat: %1", "Unknown export format: %1").arg(format));
    return false;
  }
  // Never through a link planted at the chosen name; the dialog asked before replacing.
  const Status st =
      WriteUserFile(QFile::encodeName(path).toStdString(), text, ExistingFile::kReplace);
  if (!st.ok()) {
    message_->ShowError(
        L("Rapporten kunde inte sparas i %1: %2", "The report could not be saved to %1: %2")
            .arg(QDir::toNativeSeparators(path), Q(st.message())));
    return false;
  }
  message_->ShowInfo(L("Rapporten sparades i %1.", "The report was saved to %1.")
                         .arg(QDir::toNativeSeparators(path)));
  return true;
}

void IndicatorsPage::Export(const QString& format) {
  if (!report_.has_value()) return;
  const QString name =
      QDir(QDir::homePath())
          .filePath(
              L("indikatorer-%1.%2", "indicators-%1.%2").arg(Q(report_->period.label), format));
  const QString filter = format == QStringLiteral("csv")
                             ? L("CSV-filer (*.csv)", "CSV files (*.csv)")
                             : L("HTML-sidor (*.html)", "HTML pages (*.html)");
  const QString path = QFileDialog::getSaveFileName(
      this, L("Exportera indikatorerna", "Export the indicators"), name, filter);
  if (path.isEmpty()) return;
  ExportTo(path, format);
}

}  // namespace screening::desktop
