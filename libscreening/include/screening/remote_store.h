// A Store on a screening server (docs/api.md): every operation is one HTTPS call to the
// server, which holds the database, the audit key and the instrument registry and makes every
// decision through its own case service. The clients use it exactly as they use the embedded
// store: `screening --server https://host:port`, the desktop's server address.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <screening/registry.h>
#include <screening/status.h>
#include <screening/store.h>

namespace screening {

struct RemoteStoreOptions {
  // "https://HOST:PORT" (no path). http:// is refused: the API is TLS only.
  std::string url;
  // The CA that signed the server's certificate; empty: the system's trust store.
  std::filesystem::path ca_file;
  // A client certificate and its key, for a server that asks for one (--client-ca).
  std::filesystem::path client_cert_file, client_key_file;
  // Connect, handshake and one call; a call that takes longer fails as unavailable.
  std::chrono::milliseconds timeout{30000};
};

// The store on the server `options.url`. `registry` is the server's instruments
// (FetchServerInstruments): sessions are made from it and sent with their instrument's hashes.
// Connects on the first call; kInvalidArgument for a URL that is not https://HOST:PORT.
Result<std::unique_ptr<Store>> OpenRemoteStore(const RemoteStoreOptions& options,
                                               std::shared_ptr<const Registry> registry);

// The server's instruments folder (GetInstruments), written into `dir` (made private to this
// user; files of an earlier fetch are replaced) and loaded from there: the server's registry
// is the truth the clients build their forms from.
Result<std::shared_ptr<const Registry>> FetchServerInstruments(const RemoteStoreOptions& options,
                                                               const std::filesystem::path& dir);

}  // namespace screening
