// Helpers shared by the reliability tests: temporary folders and what a database holds.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <screening/store.h>
#include <catch2/catch.hpp>

namespace screening::reliability {

// A fresh folder under the system's temporary folder, removed with everything in it.
struct TempDir {
  explicit TempDir(const std::string& tag) {
    static std::atomic<int> n{0};
    path = std::filesystem::temp_directory_path() /
           ("screening-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

// The number of rows of every table of the database at `db`, read through a connection of
// its own (the store's connection is not touched).
inline std::map<std::string, std::int64_t> TableCounts(const std::filesystem::path& db) {
  sqlite3* conn = nullptr;
  const int rc = sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr);
  INFO("opening " << db << ": " << sqlite3_errstr(rc));
  REQUIRE(rc == SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(conn,
                             "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                             -1, &st, nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  std::map<std::string, std::int64_t> counts;
  for (const auto& t : tables) {
    // Table names come from the schema itself, quoted as identifiers.
    const std::string sql = "SELECT count(*) FROM \"" + t + "\"";
    REQUIRE(sqlite3_prepare_v2(conn, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    counts[t] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(conn);
  REQUIRE(counts.count("audit") == 1);
  return counts;
}

// Every row of every table, as text (rows sorted within each table), leaving out the
// columns named in `skip` (e.g. random salts). Two equal digests: the same data stored.
inline std::string TableDigest(const std::filesystem::path& db,
                               const std::vector<std::string>& skip = {"password_hash"}) {
  sqlite3* conn = nullptr;
  const int rc = sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr);
  INFO("opening " << db << ": " << sqlite3_errstr(rc));
  REQUIRE(rc == SQLITE_OK);
  std::string out;
  for (const auto& [table, count] : TableCounts(db)) {
    sqlite3_stmt* st = nullptr;
    const std::string sql = "SELECT * FROM \"" + table + "\"";
    REQUIRE(sqlite3_prepare_v2(conn, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::string> rows;
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const std::string name = sqlite3_column_name(st, c);
        if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(st, c));
        row +=
            name + "=" + std::to_string(sqlite3_column_type(st, c)) + ":" +
            std::string(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_column_bytes(st, c))) +
            "\x1f";
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    std::sort(rows.begin(), rows.end());
    out += table + " (" + std::to_string(count) + ")\n";
    for (const auto& r : rows) out += r + "\n";
  }
  sqlite3_close(conn);
  return out;
}

// A clock that stands still, so that two runs of the same operations store the same bytes.
class FixedClock : public Clock {
 public:
  explicit FixedClock(std::int64_t now = 1714650000) : now_(now) {}  // 2024-05-02 UTC
  std::int64_t NowUnix() const override { return now_; }

 private:
  std::int64_t now_;
};

}  // namespace screening::reliability
