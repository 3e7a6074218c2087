// The documents the desktop renders from library data: the result as shown on screen, the
// case-record summary and the client's support-resource handout, as HTML, and their output
// as PDF through Qt's own PDF writer.
#pragma once

#include <string>
#include <vector>

#include <QString>

#include <screening/directory.h>
#include <screening/instrument.h>
#include <screening/session.h>
#include <screening/status.h>
#include <screening/store.h>

namespace screening::desktop {

// The result in the UI language: band and certainty, final level, scores, flags, next steps
// with deadlines, the explanation, support resources and the instrument's result note.
QString ResultHtml(const Instrument& instrument, const v1::Result& result,
                   const Directory* directory);

// The case-record summary: instrument title, id, version, hashes, engine and provenance;
// the case, status and times; the answers given; the result.
QString CaseSummaryHtml(const AssessmentRecord& record, const Instrument& instrument,
                        const Session& session, const v1::Result& result,
                        const Directory* directory);

// The handout for the client in `lang` (a directory language): the resources, each with
// name, phone, opening hours and what it offers, in the order given.
QString HandoutHtml(const Directory& directory, const std::vector<std::string>& resource_ids,
                    const std::string& lang);

// Writes `html` as an A4 PDF to `path`. kIoError names the path when it cannot be written.
Status WritePdf(const QString& html, const QString& title, const QString& path);

// "Svenska", "English", or the code.
QString LanguageName(const std::string& lang);

}  // namespace screening::desktop
