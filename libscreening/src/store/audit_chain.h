// The tamper-evident audit log (ARCHITECTURE.md, "Audit").
//
// Every event is a row of the audit table. Each row carries
//   mac = HMAC-SHA-256(key, prev_mac || canonical(event))
// where prev_mac is the previous row's mac (32 zero bytes for the first row) and
// canonical(event) is a length-prefixed encoding of seq, at_utc, user_name, role, unit,
// action, object, case_id and reason. The key is kept outside the database (a 32-byte key
// file, 0600), so whoever can write the database file cannot re-hash a changed chain.
// The chain head (last seq and mac) and the event count are the anchor exported with
// backups and reports; comparing with a later anchor detects truncation.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <screening/status.h>

namespace screening::internal {

// The HMAC key. Wiped from memory on destruction.
class AuditKey {
 public:
  AuditKey();
  ~AuditKey();
  AuditKey(const AuditKey&);
  AuditKey& operator=(const AuditKey&);
  // Reads a 32-byte key file; kNotFound when missing, kFailedPrecondition when its size or
  // permissions are wrong (must not be readable by group or others).
  static Result<AuditKey> Load(const std::filesystem::path& path);
  // Creates a new random key file (0600, in a 0700 folder it creates when missing);
  // kAlreadyExists when the file exists.
  static Result<AuditKey> Create(const std::filesystem::path& path);
  // A key from bytes (tests).
  static AuditKey FromBytes(const std::array<unsigned char, 32>& bytes);
  const unsigned char* data() const { return bytes_.data(); }

 private:
  std::array<unsigned char, 32> bytes_{};
};

struct AuditEvent {
  std::string at_utc;     // "YYYY-MM-DDTHH:MM:SSZ"
  std::string user_name;  // the acting user (or "-" before login)
  std::string role;       // the user's role, or "-"
  std::string unit;       // the unit acted in, or "-"
  std::string action;     // e.g. "login", "login_failed", "create", "open", "submit", "denied"
  std::string object;     // e.g. "assessment:12", "user:anna", "backup"
  std::optional<std::int64_t> case_id;  // the case concerned, for per-case extracts
  std::string reason;                   // where required, else ""
};

// The anchor of a chain: how many events and the last one's seq and mac (hex).
struct AuditAnchor {
  std::int64_t count = 0;
  std::int64_t last_seq = 0;
  std::string last_mac_hex;
};

struct AuditVerifyReport {
  bool ok = true;
  std::int64_t events = 0;
  // The seq of the first event that does not verify (0 when all do), and why.
  std::int64_t first_bad_seq = 0;
  std::string problem;
};

using AuditMac = std::array<unsigned char, 32>;

// Initialises libsodium once (thread-safe).
Status EnsureSodium();

// The canonical encoding of an event at its place `seq` (audit_chain.cc) and its mac after
// `prev` (32 zero bytes for the first event).
std::string CanonicalAuditEvent(std::int64_t seq, const AuditEvent& e);
AuditMac ComputeAuditMac(const AuditKey& key, const AuditMac& prev, std::int64_t seq,
                         const AuditEvent& e);

// The key-check value a database keeps, HMAC(key, a fixed label): a wrong audit key is
// detected at open instead of as a "tampered" chain.
std::string AuditKeyCheck(const AuditKey& key);

// Lower-case hex of bytes.
std::string HexOf(const unsigned char* bytes, std::size_t n);

}  // namespace screening::internal
