#include "test_ca.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace omni::testing {
namespace {

// RAII for the OpenSSL objects used here.
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free_all(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

constexpr long kValiditySeconds = 7 * 24 * 3600;
// Back-dated so a test machine whose clock is slightly behind still accepts the certificates.
constexpr long kBackdateSeconds = 3600;

[[noreturn]] void Fail(std::string_view what) {
  std::string message = "test CA: ";
  message += what;
  unsigned long code = ERR_get_error();
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    message += ": ";
    message += buf;
  }
  ERR_clear_error();
  throw std::runtime_error(message);
}

PkeyPtr NewKey() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) Fail("EC key generation");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) Fail(std::string("extension ") + OBJ_nid2sn(nid) + "=" + value);
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) Fail("X509_add_ext");
}

// A certificate for `key` named `common_name`, issued by `issuer` (nullptr: self-signed), not yet
// signed. Extensions are added by the caller.
X509Ptr NewCertificate(EVP_PKEY* key, const char* common_name, X509* issuer) {
  X509Ptr cert(X509_new());
  if (!cert) Fail("X509_new");
  X509_set_version(cert.get(), 2);  // v3: needed for extensions
  BnPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    Fail("serial number");
  }
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds);
  if (X509_set_pubkey(cert.get(), key) != 1) Fail("X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("OmniRoute tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_NAME* issuer_name = issuer != nullptr ? X509_get_subject_name(issuer) : name;
  if (X509_set_issuer_name(cert.get(), issuer_name) != 1) Fail("X509_set_issuer_name");
  return cert;
}

void Sign(X509* cert, EVP_PKEY* issuer_key) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) Fail("X509_sign");
}

void WriteCert(const std::string& path, X509* cert) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) Fail("write " + path);
}

void WriteKey(const std::string& path, EVP_PKEY* key) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    Fail("write " + path);
  }
}

// Issues a server certificate for `san` (e.g. "DNS:localhost,IP:127.0.0.1") and writes it.
void IssueServerCert(X509* ca, EVP_PKEY* ca_key, const char* common_name, const char* san,
                     const std::string& cert_path, const std::string& key_path) {
  PkeyPtr key = NewKey();
  X509Ptr cert = NewCertificate(key.get(), common_name, ca);
  AddExtension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), ca, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  AddExtension(cert.get(), ca, NID_ext_key_usage, "serverAuth");
  AddExtension(cert.get(), ca, NID_subject_key_identifier, "hash");
  AddExtension(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
  AddExtension(cert.get(), ca, NID_subject_alt_name, san);
  Sign(cert.get(), ca_key);
  WriteCert(cert_path, cert.get());
  WriteKey(key_path, key.get());
}

}  // namespace

TestCertificates GenerateTestCertificates(const std::string& dir, bool with_wrong_host) {
  TestCertificates out;
  out.ca_cert = dir + "/ca.pem";
  out.server_cert = dir + "/server.pem";
  out.server_key = dir + "/server-key.pem";

  PkeyPtr ca_key = NewKey();
  X509Ptr ca = NewCertificate(ca_key.get(), "OmniRoute Test CA", nullptr);
  AddExtension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  Sign(ca.get(), ca_key.get());
  WriteCert(out.ca_cert, ca.get());

  IssueServerCert(ca.get(), ca_key.get(), "localhost", "DNS:localhost,IP:127.0.0.1",
                  out.server_cert, out.server_key);
  if (with_wrong_host) {
    out.wrong_host_cert = dir + "/wrong-host.pem";
    out.wrong_host_key = dir + "/wrong-host-key.pem";
    std::string san = std::string("DNS:") + kWrongTestHost;
    IssueServerCert(ca.get(), ca_key.get(), kWrongTestHost, san.c_str(), out.wrong_host_cert,
                    out.wrong_host_key);
  }
  return out;
}

}  // namespace omni::testing
