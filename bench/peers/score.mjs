// The peers of bench/run's batch-scoring row: the dash checklist scored by SurveyJS
// (survey-core, one model reused for every line) and by fhirpath.js (one compiled
// expression per rule, over a QuestionnaireResponse built from each line), with the same
// rules as instruments/dash.textproto: yes_count = count(yes, q1..q24); band high at 14 or
// more; band_certain when the unknown or unanswered items could not change the band; the
// five recommendations; an explanation naming the items behind the score.
//
//   node score.mjs surveyjs|fhirpath ANSWERS.jsonl MAX_LINES [OUR_RESULTS.jsonl]
//
// Reads up to MAX_LINES lines, scores each one and writes one result JSON line per input
// line to standard output. The last line on standard error is
// {"peer": ..., "lines": N, "seconds": CPU_S, "wall_seconds": S} timing the scoring loop
// only (module loading and model building excluded, which favours the peers). With OUR_RESULTS, each peer
// result is first compared with ours (scores, band, certainty, recommendations) and the
// run fails on the first difference: the peers must compute the same thing.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [peer, file, maxArg, oursFile] = process.argv.slice(2);
if (!['surveyjs', 'fhirpath'].includes(peer) || !file || !maxArg) {
  console.error('usage: node score.mjs surveyjs|fhirpath ANSWERS.jsonl MAX_LINES [OURS.jsonl]');
  process.exit(2);
}
const maxLines = Number(maxArg);
const ids = Array.from({ length: 24 }, (_, i) => `q${i + 1}`);

function readLines(path, max) {
  const text = fs.readFileSync(path, 'utf8');
  const lines = [];
  let start = 0;
  while (lines.length < max && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lines.push(text.slice(start, end));
    start = end + 1;
  }
  return lines;
}

function recommendations(band, certain) {
  const out = [];
  if (band === 'high') out.push('multi_agency_referral');
  if (band === 'high' || !certain) out.push('safety_plan', 'offer_investigation');
  if (band === 'below_threshold') out.push('consider_referral_on_judgement');
  out.push('support_information');
  return out;
}

function makeResult(id, yes, open, yesItems) {
  const band = yes >= 14 ? 'high' : 'below_threshold';
  const certain = band === (yes + open >= 14 ? 'high' : 'below_threshold');
  const result = {
    id,
    instrument: { id: 'dash', version: '1.0.0' },
    complete: open === 0,
    scores: { yes_count: yes },
    band,
    band_certain: certain,
    final_level: band,
    flags: [],
    recommendations: recommendations(band, certain),
    explanation: [
      { rule: 'yes_count = count(yes, q1..q24)', items: yesItems, text: `Antal ja: ${yes}` },
      { rule: band === 'high' ? 'yes_count >= 14' : 'yes_count <= 13', items: yesItems },
    ],
  };
  return result;
}

// SurveyJS: 24 radio groups and calculated values in SurveyJS's own expression language.
function surveyScorer() {
  const { Model } = require('survey-core');
  const yesTerms = ids.map((q) => `iif({${q}} = 'yes', 1, 0)`).join(' + ');
  const openTerms = ids.map((q) => `iif({${q}} empty or {${q}} = 'unknown', 1, 0)`).join(' + ');
  const model = new Model({
    elements: [
      ...ids.map((name) => ({ type: 'radiogroup', name, choices: ['yes', 'no', 'unknown'] })),
      { type: 'comment', name: 'info_source' },
    ],
    calculatedValues: [
      { name: 'yes_count', expression: yesTerms },
      { name: 'open_count', expression: openTerms },
    ],
  });
  return (doc) => {
    model.data = doc.answers || {};
    const yes = model.getVariable('yes_count');
    const open = model.getVariable('open_count');
    const yesItems = ids.filter((q) => model.getValue(q) === 'yes');
    return makeResult(doc.id, yes, open, yesItems);
  };
}

// fhirpath.js: the answers as a FHIR QuestionnaireResponse, the rules as FHIRPath.
function fhirpathScorer() {
  const fhirpath = require('fhirpath');
  const r4 = require('fhirpath/fhir-context/r4');
  const yesCount = fhirpath.compile(
    "QuestionnaireResponse.item.where(answer.value.code = 'yes').count()", r4);
  const answered = fhirpath.compile(
    "QuestionnaireResponse.item.where(answer.value.code = 'yes' or answer.value.code = 'no').count()",
    r4);
  const yesIds = fhirpath.compile(
    "QuestionnaireResponse.item.where(answer.value.code = 'yes').linkId", r4);
  return (doc) => {
    const answers = doc.answers || {};
    const item = [];
    for (const q of ids) {
      if (typeof answers[q] === 'string') {
        item.push({ linkId: q, answer: [{ valueCoding: { code: answers[q] } }] });
      }
    }
    const qr = { resourceType: 'QuestionnaireResponse', status: 'completed', item };
    const yes = yesCount(qr)[0];
    const open = 24 - answered(qr)[0];
    return makeResult(doc.id, yes, open, yesIds(qr));
  };
}

const lines = readLines(file, maxLines);
const score = peer === 'surveyjs' ? surveyScorer() : fhirpathScorer();

if (oursFile) {
  const ours = readLines(oursFile, lines.length);
  for (let i = 0; i < lines.length; ++i) {
    const a = score(JSON.parse(lines[i]));
    const b = JSON.parse(ours[i]);
    const same =
      a.scores.yes_count === b.scores.yes_count && a.band === b.band &&
      a.band_certain === b.band_certain &&
      JSON.stringify(a.recommendations) === JSON.stringify(b.recommendations) &&
      JSON.stringify(a.explanation[0].items) === JSON.stringify(b.explanation[0].items);
    if (!same) {
      console.error(`${peer}: line ${i + 1} differs from screening's result`);
      process.exit(1);
    }
  }
}

const out = [];
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (const line of lines) {
  out.push(JSON.stringify(score(JSON.parse(line))));
  if (out.length === 4096) {
    const block = out.join('\n') + '\n';
    fs.writeSync(1, block);
    out.length = 0;
  }
}
if (out.length) fs.writeSync(1, out.join('\n') + '\n');
const wall = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
// CPU seconds (user + system) like the figure bench/run takes for screening; wall too.
const seconds = (cpu.user + cpu.system) / 1e6;
console.error(JSON.stringify({ peer, lines: lines.length, seconds, wall_seconds: wall }));
