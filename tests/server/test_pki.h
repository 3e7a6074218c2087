// A throwaway PKI for the server tests, made with OpenSSL's API: a CA, a server certificate
// for localhost and 127.0.0.1, an expired one, one for another name, and a second CA the
// clients do not trust with a server certificate of its own. PEM files in `dir`.
#pragma once

#include <filesystem>

namespace screening::test {

struct TestPki {
  std::filesystem::path ca_cert;
  std::filesystem::path server_cert, server_key;                      // localhost, 127.0.0.1
  std::filesystem::path expired_cert, expired_key;                    // localhost, expired
  std::filesystem::path wrong_name_cert, wrong_name_key;              // elsewhere.example
  std::filesystem::path untrusted_ca_cert;                            // another CA
  std::filesystem::path untrusted_server_cert, untrusted_server_key;  // localhost, by it
};

// Makes every file (EC P-256 keys). Fails the test on an OpenSSL error.
TestPki MakeTestPki(const std::filesystem::path& dir);

}  // namespace screening::test
