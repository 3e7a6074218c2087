// The documents the desktop renders from library data: the result as shown on screen, the
// case-record summary and the discreet card with support numbers for the client, as HTML,
// and their output as PDF through Qt's own PDF writer.
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
// with deadlines and their legal basis as cited for a record of `record_date` (a UTC
// timestamp or a date; the Social Services Act of 2001 before 1 July 2025, of 2025 after),
// the explanation, support resources and the instrument's result note.
QString ResultHtml(const Instrument& instrument, const v1::Result& result,
                   const Directory* directory, std::string_view record_date);

// The case-record summary: instrument title, id, version, hashes, engine and provenance;
// the case, status and times; the answers given; the result.
QString CaseSummaryHtml(const AssessmentRecord& record, const Instrument& instrument,
                        const Session& session, const v1::Result& result,
                        const Directory* directory);

// The discreet card the library composed (Directory::Card): the numbers under their
// neutral names, nothing else — no heading, no word about violence or support.
QString CardHtml(const DiscreetCard& card);

// Writes `html` as an A4 PDF to `path`. kIoError names the path when it cannot be written.
Status WritePdf(const QString& html, const QString& title, const QString& path);

// Writes the card as a PDF of the card's own size to `path`, with the card's neutral title and
// an empty creator (nothing in the file's metadata names the program or its purpose).
// kIoError names the path when it cannot be written.
Status WriteCardPdf(const DiscreetCard& card, const QString& path);

// "Svenska", "English", or the code.
QString LanguageName(const std::string& lang);

}  // namespace screening::desktop
