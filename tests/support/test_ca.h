#pragma once
// A throwaway PKI generated at test time with the OpenSSL C API: a self-signed CA plus server
// certificates it signed (EC P-256, SHA-256), written as PEM files. No certificate is checked
// into the repository, so nothing expires or leaks.
//
// The main server certificate names `localhost` and IP 127.0.0.1 (subjectAltName). The optional
// "wrong host" certificate is signed by the same CA but names only `wrong.example`, so a client
// that trusts the CA must still reject it for localhost: hostname verification is tested, not
// just chain verification.
//
// Thread-safety: GenerateTestCertificates may run concurrently (OpenSSL 3 is thread-safe).

#include <string>

namespace omni::testing {

inline constexpr const char* kWrongTestHost = "wrong.example";

struct TestCertificates {
  std::string ca_cert;          // PEM path: the CA certificate (the trust anchor)
  std::string server_cert;      // PEM path: leaf for localhost + 127.0.0.1
  std::string server_key;       // PEM path: its unencrypted private key
  std::string wrong_host_cert;  // PEM path: leaf for wrong.example only ("" unless requested)
  std::string wrong_host_key;
};

// Writes ca.pem, server.pem, server-key.pem (and wrong-host.pem, wrong-host-key.pem) into `dir`
// (typically a TempDir). Throws std::runtime_error with the OpenSSL error on failure.
TestCertificates GenerateTestCertificates(const std::string& dir, bool with_wrong_host = false);

}  // namespace omni::testing
