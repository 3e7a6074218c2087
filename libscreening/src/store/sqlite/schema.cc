// The database schema as numbered, append-only migrations. Never edit a migration that has
// shipped: add the next one. `user_version` holds the number of migrations applied.
#include "store/sqlite/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "store/sqlite/sql.h"

namespace screening::internal {
namespace {

// Migration 1: the first schema.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE units (
  id          TEXT PRIMARY KEY,
  created_utc TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  role             TEXT NOT NULL CHECK (role IN ('caseworker', 'supervisor', 'coordinator', 'admin')),
  password_hash    TEXT,
  failed_logins    INTEGER NOT NULL DEFAULT 0,
  locked_until_utc TEXT,
  active           INTEGER NOT NULL DEFAULT 1,
  created_utc      TEXT NOT NULL
) STRICT;

CREATE TABLE user_units (
  user_id INTEGER NOT NULL REFERENCES users (id),
  unit_id TEXT NOT NULL REFERENCES units (id),
  PRIMARY KEY (user_id, unit_id)
) STRICT;

-- A case is the main case system's reference (ärendenummer) within a unit.
CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,
  unit_id     TEXT NOT NULL REFERENCES units (id),
  case_ref    TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  UNIQUE (unit_id, case_ref)
) STRICT;

-- Access to a case with a protected-identity subject, granted explicitly.
CREATE TABLE grants (
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  granted_by  INTEGER NOT NULL REFERENCES users (id),
  reason      TEXT NOT NULL,
  created_utc TEXT NOT NULL,
  PRIMARY KEY (case_id, user_id)
) STRICT;

CREATE TABLE contacts (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases (id),
  unit_id            TEXT NOT NULL REFERENCES units (id),
  contact_date       TEXT NOT NULL,
  outcome            TEXT NOT NULL CHECK (outcome IN ('disclosed', 'not_disclosed', 'declined', 'not_asked')),
  not_asked_reason   TEXT,
  not_asked_note     TEXT,
  author_id          INTEGER NOT NULL REFERENCES users (id),
  created_utc        TEXT NOT NULL,
  created_local_date TEXT NOT NULL,
  CHECK ((outcome = 'not_asked') = (not_asked_reason IS NOT NULL))
) STRICT;
CREATE INDEX contacts_by_unit_date ON contacts (unit_id, contact_date);
CREATE INDEX contacts_by_case ON contacts (case_id);

CREATE TABLE contact_violence_types (
  contact_id INTEGER NOT NULL REFERENCES contacts (id),
  type       TEXT NOT NULL,
  PRIMARY KEY (contact_id, type)
) STRICT, WITHOUT ROWID;

CREATE TABLE subjects (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases (id),
  role               TEXT NOT NULL CHECK (role IN ('adult_victim', 'child', 'perpetrator')),
  age_band           TEXT,
  protected_identity INTEGER NOT NULL DEFAULT 0,
  created_utc        TEXT NOT NULL
) STRICT;
CREATE INDEX subjects_by_case ON subjects (case_id);

-- GDPR special categories: opt-in, apart from case content, for counts only.
CREATE TABLE subject_groups (
  subject_id INTEGER NOT NULL REFERENCES subjects (id),
  vgroup     TEXT NOT NULL,
  PRIMARY KEY (subject_id, vgroup)
) STRICT, WITHOUT ROWID;

-- One row per version. A chain (chain_id) is one assessment and its amendments.
CREATE TABLE assessments (
  id                   INTEGER PRIMARY KEY,
  chain_id             INTEGER NOT NULL,
  version              INTEGER NOT NULL,
  amends_id            INTEGER REFERENCES assessments (id),
  amend_reason         TEXT,
  case_id              INTEGER NOT NULL REFERENCES cases (id),
  subject_id           INTEGER REFERENCES subjects (id),
  contact_id           INTEGER REFERENCES contacts (id),
  unit_id              TEXT NOT NULL REFERENCES units (id),
  author_id            INTEGER NOT NULL REFERENCES users (id),
  instrument_id        TEXT NOT NULL,
  instrument_version   TEXT NOT NULL,
  logic_sha256         TEXT NOT NULL,
  text_sha256          TEXT NOT NULL,
  engine_version       TEXT NOT NULL,
  lang                 TEXT NOT NULL,
  status               TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'discarded')),
  blob_version         INTEGER NOT NULL DEFAULT 1,
  answers              BLOB NOT NULL,
  result               BLOB,
  band                 TEXT,
  band_certain         INTEGER,
  computed_level       TEXT,
  final_level          TEXT,
  overridden           INTEGER NOT NULL DEFAULT 0,
  override_direction   TEXT,
  complete             INTEGER,
  created_utc          TEXT NOT NULL,
  updated_utc          TEXT NOT NULL,
  submitted_utc        TEXT,
  submitted_local_date TEXT,
  approved_utc         TEXT,
  approved_by          INTEGER REFERENCES users (id),
  review_comment       TEXT,
  UNIQUE (chain_id, version)
) STRICT;
CREATE INDEX assessments_by_case ON assessments (case_id);
CREATE INDEX assessments_by_unit_status ON assessments (unit_id, status);
CREATE INDEX assessments_by_submitted ON assessments (submitted_local_date, instrument_id);

CREATE TABLE assessment_flags (
  assessment_id INTEGER NOT NULL REFERENCES assessments (id),
  flag          TEXT NOT NULL,
  PRIMARY KEY (assessment_id, flag)
) STRICT, WITHOUT ROWID;

CREATE TABLE assessment_recommendations (
  assessment_id  INTEGER NOT NULL REFERENCES assessments (id),
  recommendation TEXT NOT NULL,
  PRIMARY KEY (assessment_id, recommendation)
) STRICT, WITHOUT ROWID;

CREATE TABLE reviews (
  id            INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES assessments (id),
  reviewer_id   INTEGER NOT NULL REFERENCES users (id),
  decision      TEXT NOT NULL CHECK (decision IN ('approved', 'returned', 'level_changed')),
  comment       TEXT,
  level_from    TEXT,
  level_to      TEXT,
  created_utc   TEXT NOT NULL
) STRICT;
CREATE INDEX reviews_by_assessment ON reviews (assessment_id);

CREATE TABLE due_items (
  id            INTEGER PRIMARY KEY,
  assessment_id INTEGER NOT NULL REFERENCES assessments (id),
  case_id       INTEGER NOT NULL REFERENCES cases (id),
  unit_id       TEXT NOT NULL REFERENCES units (id),
  kind          TEXT NOT NULL,
  due_date      TEXT,
  next_contact  INTEGER NOT NULL DEFAULT 0,
  created_utc   TEXT NOT NULL,
  done_utc      TEXT,
  done_by       INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX due_items_open ON due_items (unit_id, done_utc, due_date);

CREATE TABLE support_given (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases (id),
  subject_id  INTEGER REFERENCES subjects (id),
  resource_id TEXT NOT NULL,
  given_by    INTEGER NOT NULL REFERENCES users (id),
  created_utc TEXT NOT NULL,
  local_date  TEXT NOT NULL
) STRICT;
CREATE INDEX support_given_by_case ON support_given (case_id);

-- The audit log: append-only, each row chained to the previous by an HMAC (store/audit.h).
CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY,
  at_utc    TEXT NOT NULL,
  user_name TEXT NOT NULL,
  role      TEXT NOT NULL,
  unit      TEXT NOT NULL,
  action    TEXT NOT NULL,
  object    TEXT NOT NULL,
  case_id   INTEGER,
  reason    TEXT NOT NULL,
  mac       BLOB NOT NULL
) STRICT;
CREATE INDEX audit_by_case ON audit (case_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Approved is immutable: a correction is an amendment (a new version).
CREATE TRIGGER approved_is_final BEFORE UPDATE ON assessments
WHEN OLD.status = 'approved'
BEGIN SELECT RAISE(ABORT, 'an approved assessment cannot change'); END;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'only drafts can be deleted'); END;
)sql";

// Migration 2: covering indexes for the indicator counts (store/indicators_sqlite.cc), so a
// yearly report reads index entries only, in few passes.
constexpr const char* kMigration2 = R"sql(
CREATE INDEX contacts_for_indicators
  ON contacts (contact_date, outcome, unit_id, not_asked_reason, created_utc, case_id);
CREATE INDEX contacts_by_case_date ON contacts (case_id, contact_date, created_utc, unit_id);
CREATE INDEX assessments_for_indicators
  ON assessments (instrument_id, submitted_local_date, version, status, submitted_utc, unit_id,
                  chain_id, computed_level, final_level, override_direction, band_certain,
                  subject_id);
CREATE INDEX assessments_amendments ON assessments (chain_id, version, status, submitted_utc)
  WHERE version > 1;
CREATE INDEX reviews_by_time ON reviews (created_utc, decision, assessment_id);
CREATE INDEX due_items_by_due_date ON due_items (due_date, unit_id, kind, created_utc, done_utc);
CREATE INDEX support_given_by_case_date ON support_given (case_id, local_date, subject_id, created_utc);
)sql";

// Migration 3: due items by their assessment. Submitting replaces an assessment's open items
// and checks for done ones; without this index each submission read the whole due_items table,
// so saving slowed down as the file grew (found seeding a million contacts).
constexpr const char* kMigration3 = R"sql(
CREATE INDEX due_items_by_assessment ON due_items (assessment_id, kind, done_utc);
)sql";

// Migration 4: what the indicator counts need of a review, on the review. The review table
// of a yearly report joined every decision of the year to its assessment (a row among large
// ones holding answers and results): most of a report's time at a million contacts. The
// instrument, unit and the reviewed submission's time are copied when a decision is recorded
// (an assessment's instrument and unit never change; an approved version never changes), and
// filled in here for earlier decisions. Support information by date, for the same counts.
constexpr const char* kMigration4 = R"sql(
ALTER TABLE reviews ADD COLUMN instrument_id TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN unit_id TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN submitted_utc TEXT NOT NULL DEFAULT '';
UPDATE reviews SET (instrument_id, unit_id, submitted_utc) =
  (SELECT a.instrument_id, a.unit_id, COALESCE(a.submitted_utc, '') FROM assessments a
   WHERE a.id = reviews.assessment_id);
DROP INDEX reviews_by_time;
CREATE INDEX reviews_for_indicators
  ON reviews (instrument_id, created_utc, decision, unit_id, submitted_utc, assessment_id);
CREATE INDEX support_given_by_date
  ON support_given (local_date, created_utc, case_id, subject_id);
)sql";

// Migration 5: indicator definitions version 2 (docs/indicators.md). The number of new
// contacts each unit's case system recorded per month, the denominator of the share asked
// (one row per unit and month, replaced when corrected; who recorded it last). The counted
// assessments' cases (cases with an assessment) and the resources given (information for
// people who use violence) are read from the covering indexes, which get those columns.
constexpr const char* kMigration5 = R"sql(
CREATE TABLE case_system_contacts (
  unit_id      TEXT NOT NULL REFERENCES units (id),
  month        TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  contacts     INTEGER NOT NULL CHECK (contacts >= 0),
  recorded_by  INTEGER NOT NULL REFERENCES users (id),
  recorded_utc TEXT NOT NULL,
  PRIMARY KEY (unit_id, month)
) STRICT, WITHOUT ROWID;
DROP INDEX assessments_for_indicators;
CREATE INDEX assessments_for_indicators
  ON assessments (instrument_id, submitted_local_date, version, status, submitted_utc, unit_id,
                  chain_id, computed_level, final_level, override_direction, band_certain,
                  subject_id, case_id);
DROP INDEX support_given_by_date;
CREATE INDEX support_given_by_date
  ON support_given (local_date, created_utc, case_id, subject_id, resource_id);
)sql";

// Migration 6 (docs/store.md, "Accounts" and "Pinned instruments"). A grant may end: it
// holds up to and including `until_date` (a Swedish date), or for good when NULL. Failed
// logins are counted per source and (keyed hash of the) name, not per account, so that
// failures from one place never lock the account out everywhere. The logic
// hash of each instrument version the database accepts is pinned: a submit on a version whose
// logic is not pinned is refused (a client cannot bring its own definitions).
constexpr const char* kMigration6 = R"sql(
ALTER TABLE grants ADD COLUMN until_date TEXT
  CHECK (until_date IS NULL OR until_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
CREATE TABLE login_throttle (
  source           TEXT NOT NULL,
  name_key         TEXT NOT NULL,
  failures         INTEGER NOT NULL DEFAULT 0,
  locked_until_utc TEXT,
  PRIMARY KEY (source, name_key)
) STRICT, WITHOUT ROWID;
CREATE TABLE instrument_pins (
  instrument_id TEXT NOT NULL,
  version       TEXT NOT NULL,
  logic_sha256  TEXT NOT NULL,
  pinned_by     TEXT NOT NULL,
  pinned_utc    TEXT NOT NULL,
  PRIMARY KEY (instrument_id, version)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 7 (docs/store.md, "Accounts", "Separation of duties" and "Drafts"). A password an
// administrator sets is one-time (`must_change_password`). A new account whose role needs a
// second person (supervisor, administrator) waits for it (`awaiting_confirmation`), and so do
// a change of an account's role to one of those and a unit added to a supervisor
// (`pending_changes`); `bootstrap_utc` marks a supervisor that took effect at once as the
// first of their unit. A draft has an owner (its author unless reassigned), and every person
// who wrote, submitted, took over or reassigned a version is one of its contributors, none of
// whom reviews it.
constexpr const char* kMigration7 = R"sql(
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
  CHECK (must_change_password IN (0, 1));
ALTER TABLE users ADD COLUMN awaiting_confirmation INTEGER NOT NULL DEFAULT 0
  CHECK (awaiting_confirmation IN (0, 1));
ALTER TABLE users ADD COLUMN requested_by INTEGER REFERENCES users (id);
ALTER TABLE users ADD COLUMN bootstrap_utc TEXT;
CREATE TABLE pending_changes (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id),
  kind          TEXT NOT NULL CHECK (kind IN ('role', 'unit')),
  value         TEXT NOT NULL,
  requested_by  INTEGER NOT NULL REFERENCES users (id),
  requested_utc TEXT NOT NULL,
  UNIQUE (user_id, kind, value)
) STRICT;
ALTER TABLE assessments ADD COLUMN owner_id INTEGER REFERENCES users (id);
CREATE TABLE assessment_contributors (
  assessment_id INTEGER NOT NULL REFERENCES assessments (id),
  user_id       INTEGER NOT NULL REFERENCES users (id),
  part          TEXT NOT NULL CHECK (part IN ('author', 'editor', 'submitter', 'owner',
                                              'reassigner')),
  first_utc     TEXT NOT NULL,
  PRIMARY KEY (assessment_id, user_id, part)
) STRICT, WITHOUT ROWID;
INSERT INTO assessment_contributors (assessment_id, user_id, part, first_utc)
  SELECT id, author_id, 'author', created_utc FROM assessments;
)sql";

constexpr const char* kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4,
                                       kMigration5, kMigration6, kMigration7};

}  // namespace

int SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Result<int> ReadUserVersion(sqlite3* db) {
  Stmt st(db, "PRAGMA user_version");
  if (!st.ok()) return st.prepare_status();
  if (!st.Step()) return st.status().ok() ? Status::Corruption("no user_version") : st.status();
  return static_cast<int>(st.Int(0));
}

Status Migrate(sqlite3* db) { return MigrateTo(db, SchemaVersion()); }

Status MigrateTo(sqlite3* db, int target) {
  target = std::min(target, SchemaVersion());
  for (;;) {
    // Each migration and its version stamp in one transaction: all or nothing. The version
    // is read inside the transaction, so two programs opening an old file at once do not
    // both apply the same migration.
    if (Status st = Exec(db, "BEGIN IMMEDIATE", "starting a migration"); !st.ok()) return st;
    auto current = ReadUserVersion(db);
    Status st = current.ok() ? Status::Ok() : current.status();
    if (st.ok() && *current > SchemaVersion()) {
      st = Status::FailedPrecondition(
          fmt::format("the database is from a newer version of screening (schema {}, this "
                      "program knows {}); upgrade the program",
                      *current, SchemaVersion()));
    }
    if (st.ok() && *current >= target) {
      (void)Exec(db, "ROLLBACK", "ending a migration check");
      return Status::Ok();
    }
    if (st.ok()) st = Exec(db, kMigrations[*current], fmt::format("migration {}", *current + 1));
    if (st.ok()) {
      st = Exec(db, fmt::format("PRAGMA user_version = {}", *current + 1),
                "stamping the schema version");
    }
    if (!st.ok()) {
      (void)Exec(db, "ROLLBACK", "rolling back a migration");
      return st;
    }
    if (Status c = Exec(db, "COMMIT", "committing a migration"); !c.ok()) return c;
  }
}

namespace {

// The schema as one text: type, name, table and SQL of every object but SQLite's own.
Result<std::string> SchemaText(sqlite3* db) {
  Stmt st(db,
          "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema "
          "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name");
  if (!st.ok()) return st.prepare_status();
  std::string text;
  while (st.Step()) {
    for (int c = 0; c < 4; ++c) text += st.Text(c) + '\x1f';
    text += '\n';
  }
  if (!st.status().ok()) return st.status();
  return text;
}

// What the migrations make, built once in memory.
const Result<std::string>& ExpectedSchemaText() {
  static const Result<std::string> expected = []() -> Result<std::string> {
    sqlite3* mem = nullptr;
    if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      sqlite3_close(mem);
      return Status::Internal("cannot open an in-memory database");
    }
    Result<std::string> text = Status::Internal("cannot build the schema");
    if (Migrate(mem).ok()) text = SchemaText(mem);
    sqlite3_close(mem);
    return text;
  }();
  return expected;
}

}  // namespace

Status VerifySchema(sqlite3* db) {
  const Result<std::string>& expected = ExpectedSchemaText();
  if (!expected.ok()) return expected.status();
  auto actual = SchemaText(db);
  if (!actual.ok() || *actual != *expected) {
    return Status::Corruption(
        "the database's schema is not the one this program makes (the file is damaged or was "
        "changed by another program)");
  }
  return Status::Ok();
}

}  // namespace screening::internal
