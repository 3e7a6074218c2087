// Storing the audit chain in SQLite (store/sqlite/audit.h); the chain rule, its encoding and
// the key are in store/audit_chain.cc.
#include "store/sqlite/audit.h"

#include <sodium.h>

#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "store/sqlite/sql.h"

namespace screening::internal {
namespace {

using Mac = AuditMac;
constexpr std::size_t kMacBytes = std::tuple_size_v<AuditMac>;

Mac ComputeMac(const AuditKey& key, const Mac& prev, std::int64_t seq, const AuditEvent& e) {
  return ComputeAuditMac(key, prev, seq, e);
}

std::string Hex(const unsigned char* bytes, std::size_t n) { return HexOf(bytes, n); }

// A read transaction for a consistent view of the chain. When the caller already holds a
// transaction (sqlite3_get_autocommit is 0) the reads happen inside it, which is just as
// consistent, and nothing is begun or ended here.
class ReadTransaction {
 public:
  explicit ReadTransaction(sqlite3* db) : db_(db) {
    if (sqlite3_get_autocommit(db_) != 0) {
      status_ = Exec(db_, "BEGIN", "starting to read the audit log");
      owned_ = status_.ok();
    }
  }
  ~ReadTransaction() {
    if (owned_) (void)Exec(db_, "ROLLBACK", "ending a read of the audit log");
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

  const Status& status() const { return status_; }
  Status Commit() {
    if (!owned_) return Status::Ok();
    owned_ = false;
    Status st = Exec(db_, "COMMIT", "ending a read of the audit log");
    if (!st.ok()) (void)Exec(db_, "ROLLBACK", "ending a read of the audit log");
    return st;
  }

 private:
  sqlite3* db_;
  bool owned_ = false;
  Status status_;
};

}  // namespace

Status AppendAudit(sqlite3* db, const AuditKey& key, const AuditEvent& event) {
  if (Status s = EnsureSodium(); !s.ok()) return s;
  // Reading the last row and inserting the next must happen in one write transaction, or two
  // writers could chain to the same predecessor.
  if (sqlite3_get_autocommit(db) != 0) {
    return Status::FailedPrecondition(
        "an audit event must be appended inside the caller's write transaction");
  }
  if (event.at_utc.empty() || event.action.empty()) {
    return Status::InvalidArgument("an audit event needs a time and an action");
  }

  std::int64_t last_seq = 0;
  Mac prev{};
  {
    Stmt last(db, "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1");
    if (!last.ok()) return last.prepare_status();
    if (last.Step()) {
      last_seq = last.Int(0);
      const std::string mac = last.Blob(1);
      if (mac.size() != prev.size()) {
        return Status::Corruption(
            fmt::format("the last audit event (seq {}) has a malformed mac", last_seq));
      }
      std::memcpy(prev.data(), mac.data(), prev.size());
    } else if (!last.status().ok()) {
      return last.status();
    }
  }
  if (last_seq < 0 || last_seq == INT64_MAX) {
    return Status::Corruption(
        fmt::format("the last audit event has seq {}, which cannot be followed", last_seq));
  }
  const std::int64_t seq = last_seq + 1;
  const Mac mac = ComputeMac(key, prev, seq, event);

  Stmt insert(db,
              "INSERT INTO audit (seq, at_utc, user_name, role, unit, action, object, case_id, "
              "reason, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!insert.ok()) return insert.prepare_status();
  insert.Bind(1, seq)
      .Bind(2, event.at_utc)
      .Bind(3, event.user_name)
      .Bind(4, event.role)
      .Bind(5, event.unit)
      .Bind(6, event.action)
      .Bind(7, event.object)
      .Bind(8, event.case_id)
      .Bind(9, event.reason)
      .BindBlob(10, std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  return insert.Run();
}

Result<AuditVerifyReport> VerifyAudit(sqlite3* db, const AuditKey& key,
                                      const std::optional<AuditAnchor>& anchor) {
  if (Status s = EnsureSodium(); !s.ok()) return s;

  // An anchor is checked for what it states: its event count (truncation) and, when it names
  // an event, that event's mac. Only an unreadable anchor is refused; one taken from a chain
  // that was already broken (count != last seq) still gets a report.
  Mac anchor_mac{};
  if (anchor) {
    if (anchor->count < 0 || anchor->last_seq < 0) {
      return Status::InvalidArgument("the audit anchor has a negative count or seq");
    }
    if (anchor->last_seq > 0) {
      std::size_t len = 0;
      if (anchor->last_mac_hex.size() != kMacBytes * 2 ||
          sodium_hex2bin(anchor_mac.data(), anchor_mac.size(), anchor->last_mac_hex.data(),
                         anchor->last_mac_hex.size(), nullptr, &len, nullptr) != 0 ||
          len != kMacBytes) {
        return Status::InvalidArgument("the audit anchor's mac is not 64 hex digits");
      }
    }
  }

  ReadTransaction txn(db);
  if (!txn.status().ok()) return txn.status();

  Stmt rows(db,
            "SELECT seq, at_utc, user_name, role, unit, action, object, case_id, reason, mac "
            "FROM audit ORDER BY seq");
  if (!rows.ok()) return rows.prepare_status();

  AuditVerifyReport report;
  auto fail = [&report](std::int64_t seq, std::string problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
  };

  Mac prev{};
  std::int64_t prev_seq = 0;
  while (rows.Step()) {
    ++report.events;
    if (!report.ok) continue;  // only the first broken link is reported; keep counting
    const std::int64_t seq = rows.Int(0);
    if (seq != prev_seq + 1) {
      if (prev_seq == 0) {
        fail(seq, fmt::format("the chain starts at seq {}, not 1 (events missing)", seq));
      } else {
        fail(seq, fmt::format("seq {} follows {} (events missing)", seq, prev_seq));
      }
      continue;
    }
    AuditEvent e;
    e.at_utc = rows.Text(1);
    e.user_name = rows.Text(2);
    e.role = rows.Text(3);
    e.unit = rows.Text(4);
    e.action = rows.Text(5);
    e.object = rows.Text(6);
    e.case_id = rows.OptInt(7);
    e.reason = rows.Text(8);
    const std::string stored = rows.Blob(9);
    const Mac expected = ComputeMac(key, prev, seq, e);
    if (stored.size() != expected.size() ||
        sodium_memcmp(stored.data(), expected.data(), expected.size()) != 0) {
      fail(seq, "mac does not match");
      continue;
    }
    // The chain is intact up to here, so a different mac at the anchored seq means the
    // history was rewritten by someone holding the key.
    if (anchor && anchor->last_seq > 0 && seq == anchor->last_seq &&
        sodium_memcmp(expected.data(), anchor_mac.data(), anchor_mac.size()) != 0) {
      fail(seq, fmt::format("the anchored event {} is missing or changed", seq));
      continue;
    }
    prev = expected;
    prev_seq = seq;
  }
  if (!rows.status().ok()) return rows.status();
  if (Status s = txn.Commit(); !s.ok()) return s;

  if (report.ok && anchor && report.events < anchor->count) {
    fail(report.events + 1,
         fmt::format("the chain has {} events but the anchor says {} (truncated)", report.events,
                     anchor->count));
  } else if (report.ok && anchor && anchor->last_seq > report.events) {
    fail(anchor->last_seq,
         fmt::format("the anchored event {} is missing or changed", anchor->last_seq));
  }
  return report;
}

Result<AuditAnchor> AuditHead(sqlite3* db) {
  ReadTransaction txn(db);
  if (!txn.status().ok()) return txn.status();
  AuditAnchor head;
  {
    Stmt count(db, "SELECT count(*) FROM audit");
    if (!count.ok()) return count.prepare_status();
    if (!count.Step()) {
      return count.status().ok() ? Status::Internal("counting audit events returned no row")
                                 : count.status();
    }
    head.count = count.Int(0);
  }
  {
    Stmt last(db, "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1");
    if (!last.ok()) return last.prepare_status();
    if (last.Step()) {
      head.last_seq = last.Int(0);
      const std::string mac = last.Blob(1);
      head.last_mac_hex = Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
    } else if (!last.status().ok()) {
      return last.status();
    }
  }
  if (Status s = txn.Commit(); !s.ok()) return s;
  return head;
}

}  // namespace screening::internal
