// The server side of the API (schemas/screening/v1/api.proto, docs/api.md): decodes a
// request, finds the session its token names, calls the library's Store as that user and
// encodes the answer. No rule lives here: every decision is the case service's; this holds
// only what the network adds (sessions, the peer address, the bounded number of password
// hashes computed at once, where a backup may be written).
//
// Thread safe: Handle may be called from many threads at once. Each call borrows a Store of
// its own from a pool (a Store is used by one thread at a time).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <screening/registry.h>
#include <screening/status.h>
#include <screening/store.h>

namespace screening {

struct ApiRequest {
  std::string operation;      // "Login", "CreateDraft", ... (the path /v1/<operation>)
  std::string content_type;   // application/x-protobuf or application/json
  std::string accept;         // the form of the answer; empty: the request's
  std::string authorization;  // "Bearer <token>"
  std::string body;
  std::string peer;  // the client's address: the login throttle's source and the audit's
};

struct ApiResponse {
  int http_status = 200;
  std::string content_type;
  std::string body;
};

struct ApiServiceOptions {
  // A session ends after this long without a call, and this long after its login at most.
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds lifetime{12 * 60 * 60};
  // Password hashes computed at once (Argon2id takes 256 MiB at the default cost); further
  // logins wait their turn.
  int concurrent_logins = 2;
  // Stores kept open for the calls (at most this many calls run against the database at once).
  int max_stores = 8;
  // Where Backup writes (the server's --backup-dir); empty: Backup is refused.
  std::filesystem::path backup_dir;
  // Time source for sessions; nullptr: the system clock.
  std::shared_ptr<const Clock> clock;
};

class ApiService {
 public:
  // Opens one more Store on the server's database.
  using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;

  ApiService(StoreFactory open_store, std::shared_ptr<const Registry> registry,
             ApiServiceOptions options);
  ~ApiService();
  ApiService(const ApiService&) = delete;
  ApiService& operator=(const ApiService&) = delete;

  ApiResponse Handle(const ApiRequest& request);

  // Every operation this service serves, by name (sorted): each Store operation but those
  // that are not remoted (NotRemoted()), plus Logout and GetInstruments.
  std::vector<std::string> Operations() const;
  // Store operations deliberately not served, with why (docs/api.md).
  static std::vector<std::pair<std::string, std::string>> NotRemoted();

  // Sessions now open (for /health and the tests).
  std::size_t OpenSessions() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace screening
