#include "documents.h"

#include <screening/json.h>
#include <screening/process.h>
#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QFile>
#include <QMarginsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>

#include "i18n.h"
#include "labels.h"

namespace screening::desktop {
namespace {

QString E(const std::string& text) { return Q(text).toHtmlEscaped(); }
QString E(const QString& text) { return text.toHtmlEscaped(); }

QString Row(const QString& key, const QString& value) {
  return QStringLiteral("<tr><th align=left valign=top>%1</th><td>%2</td></tr>").arg(E(key), value);
}

// One resource as staff see it. An entry without a number says it is missing (never a
// guessed number); anonymity is mentioned only where the directory has verified it.
QString ResourceHtml(const Directory& directory, const v1::Resource& r, const std::string& lang,
                     bool with_markers) {
  QString html = QStringLiteral("<p><b>%1</b>").arg(E(directory.Text(r.name(), lang)));
  if (!r.phone().empty()) {
    html += QStringLiteral(" – %1 %2").arg(E(T(lang, "telefon", "phone")), E(r.phone()));
    if (with_markers && r.phone_verified().status() != v1::VERIFIED) {
      html += QStringLiteral(" <i>(%1)</i>")
                  .arg(E(T(lang, "numret är inte kontrollerat", "number not verified")));
    }
  } else {
    html += QStringLiteral(" – <i>%1</i>").arg(E(MissingNumberText(lang)));
  }
  html += QStringLiteral("<br>");
  if (r.hours().around_the_clock()) {
    html += E(T(lang, "Öppet dygnet runt", "Open around the clock"));
  } else if (const std::string& hours = directory.Text(r.hours().text(), lang); !hours.empty()) {
    html += E(T(lang, "Öppettider: ", "Opening hours: ") + hours);
  }
  if (r.anonymous() && r.has_anonymity_verified() &&
      r.anonymity_verified().status() == v1::VERIFIED) {
    html += QStringLiteral("<br>") +
            E(T(lang, "Går att ringa anonymt.", "Callers may stay anonymous."));
  }
  if (const std::string& d = directory.Text(r.description(), lang); !d.empty()) {
    html += QStringLiteral("<br>") + E(d);
  }
  html += QStringLiteral("</p>");
  return html;
}

}  // namespace

QString LanguageName(const std::string& lang) {
  if (lang == "sv") return QStringLiteral("Svenska");
  if (lang == "en") return QStringLiteral("English");
  return Q(lang);
}

QString ResultHtml(const Instrument& instrument, const v1::Result& result,
                   const Directory* directory, std::string_view record_date) {
  const std::string& lang = Language();
  const v1::Instrument& def = instrument.definition();
  QString html;
  if (!result.band().empty()) {
    html += QStringLiteral("<h3>%1</h3><p><b>%2</b></p>")
                .arg(L("Nivå enligt instrumentet", "Level from the instrument"),
                     E(ResultLevelLabel(instrument, result.band(), lang)));
    if (!result.band_certain()) {
      html += QStringLiteral("<p style='color:#8b0000'><b>%1</b></p>")
                  .arg(L("Osäker: obesvarade frågor eller ”vet inte” kan ändra nivån. "
                         "Resultatet ska inte läsas som lägre risk.",
                         "Uncertain: unanswered or “don't know” items could change the level. "
                         "The result must not be read as a lower risk."));
    }
  }
  if (!result.final_level().empty()) {
    html +=
        QStringLiteral("<p>%1: <b>%2</b>%3</p>")
            .arg(L("Slutlig nivå", "Final level"),
                 E(ResultLevelLabel(instrument, result.final_level(), lang)),
                 result.overridden() ? E(L(" (ändrad med motivering)", " (changed with a reason)"))
                                     : QString());
  }
  html += QStringLiteral("<p>%1: %2 · %3: %4 · %5: %6</p>")
              .arg(L("Komplett", "Complete"), result.complete() ? L("ja", "yes") : L("nej", "no"),
                   L("Vet inte", "Unknown"), QString::number(result.unknown_count()),
                   L("Obesvarade", "Unanswered"), QString::number(result.unanswered_count()));
  if (def.scores_size() > 0) {
    html += QStringLiteral("<h3>%1</h3><table cellpadding=3>").arg(L("Poäng", "Scores"));
    for (const v1::Score& score : def.scores()) {
      auto it = result.scores().find(score.id());
      if (it == result.scores().end()) continue;
      html += Row(Q(TextIn(score.text(), lang)), QString::number(it->second));
    }
    html += QStringLiteral("</table>");
  }
  if (result.flags_size() > 0) {
    html += QStringLiteral("<h3>%1</h3><ul>").arg(L("Flaggor", "Flags"));
    for (const std::string& id : result.flags()) {
      for (const v1::Flag& flag : def.flags()) {
        if (flag.id() == id)
          html += QStringLiteral("<li>%1</li>").arg(E(TextIn(flag.text(), lang)));
      }
    }
    html += QStringLiteral("</ul>");
  }
  if (result.recommendations_size() > 0) {
    html += QStringLiteral("<h3>%1</h3><ol>").arg(L("Nästa steg", "Next steps"));
    for (const std::string& id : result.recommendations()) {
      for (const v1::Recommendation& r : def.recommendations()) {
        if (r.id() != id) continue;
        html += QStringLiteral("<li>%1").arg(E(TextIn(r.text(), lang)));
        if (const std::string d = DeadlineLabel(r.deadline(), lang); !d.empty()) {
          html += QStringLiteral(" <b>[%1: %2]</b>").arg(L("Senast", "Deadline"), E(d));
        }
        if (directory != nullptr) {
          for (const std::string& ref : r.legal_refs()) {
            if (const v1::LegalReference* legal = directory->Legal(ref); legal != nullptr) {
              // The law as it stood when the record was made.
              auto cited = directory->CitationTextOn(*legal, record_date, lang);
              html += QStringLiteral("<br><small>%1%2</small>")
                          .arg(E(directory->Text(legal->title(), lang)),
                               cited.ok() && !cited->empty() ? QStringLiteral(" – ") + E(*cited)
                                                             : QString());
            }
          }
        }
        html += QStringLiteral("</li>");
      }
    }
    html += QStringLiteral("</ol>");
  }
  if (result.explanation_size() > 0) {
    html += QStringLiteral("<h3>%1</h3><ul>").arg(L("Förklaring", "Explanation"));
    for (const v1::ExplanationEntry& e : result.explanation()) {
      QString items;
      for (const std::string& item : e.items()) {
        if (!items.isEmpty()) items += QStringLiteral(", ");
        items += Q(item);
      }
      html += QStringLiteral("<li>%1<br><small>%2: <code>%3</code>%4</small></li>")
                  .arg(E(e.text()), L("Regel", "Rule"), E(e.rule()),
                       items.isEmpty()
                           ? QString()
                           : QStringLiteral(" · %1: %2").arg(L("frågor", "items"), E(items)));
    }
    html += QStringLiteral("</ul>");
  }
  if (directory != nullptr && result.resources_size() > 0) {
    html += QStringLiteral("<h3>%1</h3>").arg(L("Stöd och hjälp", "Support and help"));
    for (const std::string& id : result.resources()) {
      if (const v1::Resource* r = directory->Resource(id); r != nullptr) {
        html += ResourceHtml(*directory, *r, lang, true);
      }
    }
  }
  if (const std::string& note = TextIn(def.result_note(), lang); !note.empty()) {
    html += QStringLiteral("<p><i>%1</i></p>").arg(E(note));
  }
  return html;
}

QString CaseSummaryHtml(const AssessmentRecord& record, const Instrument& instrument,
                        const Session& session, const v1::Result& result,
                        const Directory* directory) {
  const std::string& lang = Language();
  const v1::Instrument& def = instrument.definition();
  const Instrument::ProvenanceTexts p = instrument.ProvenanceIn(lang);
  QString html = QStringLiteral("<html><body style='font-family: sans-serif'>");
  html += QStringLiteral("<h1>%1</h1>").arg(E(TextIn(def.title(), lang)));
  html += QStringLiteral("<h2>%1</h2><table cellpadding=3>").arg(L("Instrument", "Instrument"));
  html += Row(L("Id och version", "Id and version"), E(def.id() + " " + def.version()));
  html += QStringLiteral("</table><h2>%1</h2>").arg(L("Ursprung", "Provenance"));
  if (!p.in_language && lang != "en") {
    // A version released before provenance was localized has it in English only.
    html += QStringLiteral("<p><i>%1</i></p>")
                .arg(L("Den här versionen av instrumentet har uppgifterna om ursprung bara på "
                       "engelska.",
                       "This version of the instrument has its provenance in English only."));
  }
  html += QStringLiteral("<table cellpadding=3>");
  html += Row(L("Förebild", "Modelled on"), E(p.modelled_on));
  html += Row(L("Källa", "Source"), E(p.source));
  html += Row(L("Licens", "Licence"), E(p.licence_note));
  html += Row(L("Verifierad poängsättning", "Scoring verified"), E(p.scoring_verified));
  html += Row(L("Validerad för", "Validated setting"), E(p.validated_setting));
  html += Row(L("Egen formulering", "Own wording"),
              def.provenance().wording_is_own() ? L("ja", "yes") : L("nej", "no"));
  html += QStringLiteral("</table><h2>%1</h2><table cellpadding=3>").arg(L("Ärende", "Case"));
  html += Row(L("Enhet", "Unit"), E(instrument.vocabulary().Label("units", record.unit, lang)));
  html += Row(L("Ärendereferens", "Case reference"), E(record.case_ref));
  html += Row(L("Bedömning", "Assessment"), E(QStringLiteral("%1 · %2 %3")
                                                  .arg(record.chain_id)
                                                  .arg(L("version", "version"))
                                                  .arg(record.version)));
  html += Row(L("Status", "Status"), E(StatusTitle(record.status, lang)));
  html += Row(L("Bedömare", "Assessor"), E(record.author));
  html += Row(L("Skapad", "Created"), E(record.created_utc));
  if (!record.submitted_utc.empty())
    html += Row(L("Inskickad", "Submitted"), E(record.submitted_utc));
  if (!record.approved_utc.empty()) html += Row(L("Godkänd", "Approved"), E(record.approved_utc));
  html += QStringLiteral("</table><h2>%1</h2><table cellpadding=3>").arg(L("Svar", "Answers"));
  const auto& answers = session.answers().answers();
  for (const ItemInfo& info : instrument.items()) {
    if (info.group >= 0) continue;
    auto it = answers.find(info.def->id());
    if (it == answers.end()) continue;
    const v1::AnswerValue& v = it->second;
    QString value;
    switch (v.value_case()) {
      case v1::AnswerValue::kCode:
        value = E(CodeLabel(instrument, *info.def, v.code(), lang));
        break;
      case v1::AnswerValue::kInteger:
        value = info.def->type() == v1::PROTECTIVE
                    ? E(CodeLabel(instrument, *info.def, std::to_string(v.integer()), lang))
                    : QString::number(v.integer());
        break;
      case v1::AnswerValue::kDate:
        value = E(v.date());
        break;
      case v1::AnswerValue::kText:
        value = E(v.text());
        break;
      case v1::AnswerValue::kCodes:
        for (const std::string& c : v.codes().codes()) {
          if (!value.isEmpty()) value += QStringLiteral(", ");
          value += E(CodeLabel(instrument, *info.def, c, lang));
        }
        break;
      case v1::AnswerValue::kSpj:
        value = E(T(lang, "aktuellt: ", "current: ") +
                  CodeLabel(instrument, *info.def, v.spj().current(), lang) +
                  T(lang, "; historiskt: ", "; history: ") +
                  CodeLabel(instrument, *info.def, v.spj().history(), lang));
        break;
      case v1::AnswerValue::kBlocks:
        value = QStringLiteral("%1 %2").arg(v.blocks().blocks_size()).arg(L("rader", "rows"));
        break;
      default:
        break;
    }
    if (auto note = session.answers().notes().find(info.def->id());
        note != session.answers().notes().end()) {
      value += QStringLiteral("<br><i>%1</i>").arg(E(note->second));
    }
    html += Row(Q(TextIn(info.def->text(), lang)), value);
  }
  html += QStringLiteral("</table>");
  if (!session.answers().judgements().empty()) {
    html +=
        QStringLiteral("<h2>%1</h2>").arg(L("Professionell bedömning", "Professional judgement"));
    for (const v1::Judgement& j : def.judgements()) {
      auto it = session.answers().judgements().find(j.id());
      if (it == session.answers().judgements().end()) continue;
      html += QStringLiteral("<p><b>%1</b>: %2<br>%3</p>")
                  .arg(E(TextIn(j.text(), lang)),
                       E(instrument.LevelLabel(it->second.level(), lang, j.id())),
                       E(it->second.rationale()));
    }
  }
  if (session.answers().has_client_estimate()) {
    html += QStringLiteral("<p><b>%1</b>: %2</p>")
                .arg(L("Personens egen bedömning", "The person's own estimate"),
                     E(instrument.vocabulary().Label(
                         "levels", session.answers().client_estimate().level(), lang)));
  }
  if (session.answers().has_override()) {
    html += QStringLiteral("<p><b>%1</b>: %2 – %3</p>")
                .arg(L("Ändrad nivå", "Changed level"),
                     E(ResultLevelLabel(instrument, session.answers().override().band(), lang)),
                     E(session.answers().override().reason()));
  }
  html += QStringLiteral("<h2>%1</h2>").arg(L("Resultat", "Result"));
  html += ResultHtml(instrument, result, directory, record.created_utc);
  // Engineering detail last: what a technician needs to reproduce the result.
  html += QStringLiteral("<h2>%1</h2><p><small>%2</small></p><table cellpadding=3>")
              .arg(L("Bilaga: teknisk information", "Appendix: technical information"),
                   L("Uppgifterna visar exakt vilken instrumentversion, vilka texter och vilken "
                     "programversion resultatet togs fram med.",
                     "These show exactly which instrument version, which texts and which "
                     "program version the result was produced with."));
  html += Row(L("Logikens hash", "Logic hash"), E(result.instrument().sha256()));
  html += Row(L("Texternas hash", "Text hash"), E(result.instrument().text_sha256()));
  html += Row(L("Motorns version", "Engine version"), E(result.instrument().engine()));
  html += QStringLiteral("</table></body></html>");
  return html;
}

QString CardHtml(const DiscreetCard& card) {
  QString html = QStringLiteral("<html><body style='font-family: sans-serif; font-size: 10pt'>");
  if (!card.heading.empty()) html += QStringLiteral("<p>%1</p>").arg(E(card.heading));
  html += QStringLiteral("<table cellspacing=0 cellpadding=2>");
  for (const CardLine& line : card.lines) {
    // The middle cell keeps the name and the number apart at any resolution.
    html += QStringLiteral(
                "<tr><td>%1</td><td>&nbsp;&nbsp;&nbsp;</td>"
                "<td style='white-space: nowrap'>%2</td></tr>")
                .arg(E(line.label), E(line.phone));
  }
  html += QStringLiteral("</table></body></html>");
  return html;
}

namespace {

// The PDF made in memory, written with WriteUserFile: 0600 (it may hold case content) and
// never through a link planted at the chosen name (QPdfWriter would follow one).
Status Saved(const QByteArray& pdf, const QString& path) {
  const std::string_view bytes(pdf.constData(), static_cast<std::size_t>(pdf.size()));
  Status st = pdf.isEmpty() ? Status::IoError("no PDF was made")
                            : WriteUserFile(QFile::encodeName(path).toStdString(), bytes,
                                            ExistingFile::kReplace);
  if (!st.ok()) {
    return Status(st.code(), T(Language(), "kunde inte skriva ", "could not write ") + S(path) +
                                 ": " + st.message());
  }
  return Status::Ok();
}

}  // namespace

Status WritePdf(const QString& html, const QString& title, const QString& path) {
  QByteArray pdf;
  {
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setTitle(title);
    writer.setCreator(QStringLiteral("screening-desktop"));
    writer.setResolution(300);
    QTextDocument doc;
    doc.setHtml(html);
    doc.print(&writer);
  }
  return Saved(pdf, path);
}

Status WriteCardPdf(const DiscreetCard& card, const QString& path) {
  QByteArray pdf;
  {
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QSizeF(card.width_mm, card.height_mm), QPageSize::Millimeter,
                                 QString(), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(5, 5, 5, 5), QPageLayout::Millimeter);
    writer.setTitle(Q(card.document_title));
    writer.setCreator(Q(card.document_creator));
    writer.setResolution(300);
    // Laid out on the card itself: without a page size of its own, QTextDocument::print adds
    // 2 cm margins and page numbers, which on a card this small put one line on each page.
    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer);
    doc.setDocumentMargin(0);
    doc.setHtml(CardHtml(card));
    doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size());
    doc.print(&writer);
  }
  return Saved(pdf, path);
}

}  // namespace screening::desktop
