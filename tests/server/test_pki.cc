#include "test_pki.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

namespace screening::test {
namespace {

namespace fs = std::filesystem;

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

Key NewKey() {
  Key key(EVP_EC_gen("P-256"));
  REQUIRE(key != nullptr);
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  REQUIRE(ext != nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `cn` signed by `issuer_key` (itself when issuer is null), valid from
// `from_days` to `to_days` relative to now.
Cert NewCert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
             const char* san, long from_days, long to_days) {
  static long serial = 1;
  Cert cert(X509_new());
  REQUIRE(cert != nullptr);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), from_days * 86400);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), to_days * 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509* issuer_cert = issuer ? issuer : cert.get();
  if (ca) {
    AddExtension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), issuer_cert, NID_ext_key_usage, "serverAuth,clientAuth");
    if (san != nullptr) AddExtension(cert.get(), issuer_cert, NID_subject_alt_name, san);
  }
  REQUIRE(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0);
  return cert;
}

void WriteCert(const fs::path& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  REQUIRE(PEM_write_X509(f, cert) == 1);
  std::fclose(f);
}

void WriteKey(const fs::path& path, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  REQUIRE(PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
  std::fclose(f);
}

}  // namespace

TestPki MakeTestPki(const fs::path& dir) {
  fs::create_directories(dir);
  TestPki pki;
  const char* kLocal = "DNS:localhost,IP:127.0.0.1";

  Key ca_key = NewKey();
  Cert ca = NewCert(ca_key.get(), "screening test CA", nullptr, nullptr, true, nullptr, -1, 30);
  pki.ca_cert = dir / "ca.pem";
  WriteCert(pki.ca_cert, ca.get());

  const auto leaf = [&](const char* stem, const char* san, long from, long to, X509* issuer,
                        EVP_PKEY* issuer_key, fs::path* cert_path, fs::path* key_path) {
    Key key = NewKey();
    Cert cert = NewCert(key.get(), "localhost", issuer, issuer_key, false, san, from, to);
    *cert_path = dir / (std::string(stem) + ".pem");
    *key_path = dir / (std::string(stem) + ".key");
    WriteCert(*cert_path, cert.get());
    WriteKey(*key_path, key.get());
  };
  leaf("server", kLocal, -1, 30, ca.get(), ca_key.get(), &pki.server_cert, &pki.server_key);
  leaf("expired", kLocal, -30, -1, ca.get(), ca_key.get(), &pki.expired_cert, &pki.expired_key);
  leaf("wrong_name", "DNS:elsewhere.example", -1, 30, ca.get(), ca_key.get(), &pki.wrong_name_cert,
       &pki.wrong_name_key);

  Key other_key = NewKey();
  Cert other = NewCert(other_key.get(), "another CA", nullptr, nullptr, true, nullptr, -1, 30);
  pki.untrusted_ca_cert = dir / "other_ca.pem";
  WriteCert(pki.untrusted_ca_cert, other.get());
  leaf("untrusted", kLocal, -1, 30, other.get(), other_key.get(), &pki.untrusted_server_cert,
       &pki.untrusted_server_key);
  return pki;
}

}  // namespace screening::test
