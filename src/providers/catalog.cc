#include "providers/catalog.h"

#include <boost/json.hpp>
#include <stdexcept>

namespace omni::providers {

extern const std::string_view kCatalogJson;

Result<Catalog> Catalog::Parse(std::string_view json) {
  boost::system::error_code ec;
  auto doc = boost::json::parse(boost::json::string_view(json.data(), json.size()), ec);
  if (ec || !doc.is_object()) return Error::Internal("provider catalog is not valid JSON");
  Catalog catalog;
  const auto* list = doc.as_object().if_contains("providers");
  if (!list || !list->is_array()) return Error::Internal("provider catalog has no providers array");
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) return Error::Internal("provider catalog entry is not an object");
    const auto& o = item.as_object();
    auto str = [&](const char* key) -> std::string {
      const auto* v = o.if_contains(key);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    ProviderSpec spec{str("id"),   str("alias"),   str("name"), str("format"),
                      str("auth"), str("baseUrl"), {}};
    if (spec.id.empty() || spec.base_url.empty())
      return Error::Internal("provider catalog entry without id or baseUrl");
    if (spec.alias.empty()) spec.alias = spec.id;
    if (const auto* models = o.if_contains("models"); models && models->is_array())
      for (const auto& m : models->as_array())
        if (m.is_string()) spec.models.emplace_back(m.as_string());
    catalog.providers_.push_back(std::move(spec));
  }
  return catalog;
}

const Catalog& Catalog::BuiltIn() {
  static const Catalog catalog = [] {
    auto parsed = Parse(kCatalogJson);
    // The embedded catalog is checked by unit tests; a broken one is a build defect.
    if (!parsed.ok()) throw std::logic_error(parsed.error().message);
    return std::move(parsed).value();
  }();
  return catalog;
}

const ProviderSpec* Catalog::Find(std::string_view id_or_alias) const {
  for (const auto& p : providers_)
    if (p.id == id_or_alias || p.alias == id_or_alias) return &p;
  return nullptr;
}

}  // namespace omni::providers
