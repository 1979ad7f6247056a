#pragma once
// Catalog: the built-in provider list (providers/catalog.json, embedded at build time):
// id, routing alias (prefix), wire format, auth style, default base URL, known models.
// Immutable after load; safe to share across threads.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace omni::providers {

struct ProviderSpec {
  std::string id;        // "deepseek"
  std::string alias;     // routing prefix, "ds"
  std::string name;      // display name
  std::string format;    // wire format: "openai" (more in later waves)
  std::string auth;      // "bearer"
  std::string base_url;  // default, e.g. "https://api.deepseek.com/v1"
  std::vector<std::string> models;
};

class Catalog {
 public:
  // Parses catalog JSON text (the embedded one by default).
  static Result<Catalog> Parse(std::string_view json);
  static const Catalog& BuiltIn();

  const std::vector<ProviderSpec>& providers() const { return providers_; }
  // By id or alias; nullptr when unknown.
  const ProviderSpec* Find(std::string_view id_or_alias) const;

 private:
  std::vector<ProviderSpec> providers_;
};

}  // namespace omni::providers
