#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "formats/schema_cleanup.h"

namespace omni::formats {
namespace {

// Bounds per thread. Claude Code sends ~20 tools of ~1 KiB; a full cache is simply emptied
// (schemas of a live session come straight back).
constexpr size_t kMaxEntries = 512;
constexpr size_t kMaxBytes = 4 << 20;

struct Entry {
  std::string schema;   // the source text (compared in full: the hash only picks the slot)
  std::string cleaned;  // "" = send no parameters
};

struct Cache {
  std::unordered_map<size_t, Entry> entries;
  size_t bytes = 0;
};

std::string Clean(std::string_view schema_json) {
  JsonDoc doc;
  auto params = doc.Parse(schema_json);
  if (!params.ok() || IsEmptyObjectSchema(*params)) return {};
  std::string cleaned;
  cleaned.reserve(schema_json.size());
  JsonWriter w(cleaned);
  CleanSchemaForGemini(w, *params);
  return cleaned;
}

}  // namespace

std::string_view GeminiParametersFor(std::string_view schema_json) {
  thread_local Cache cache;
  const size_t hash = std::hash<std::string_view>()(schema_json);
  if (auto it = cache.entries.find(hash); it != cache.entries.end()) {
    if (it->second.schema == schema_json) return it->second.cleaned;
    // Another schema with the same hash: the newer one takes the slot.
    cache.bytes -= it->second.schema.size() + it->second.cleaned.size();
    cache.entries.erase(it);
  }
  if (cache.entries.size() >= kMaxEntries || cache.bytes >= kMaxBytes) {
    cache.entries.clear();
    cache.bytes = 0;
  }
  Entry& e = cache.entries[hash];
  e.schema = schema_json;
  e.cleaned = Clean(schema_json);
  cache.bytes += e.schema.size() + e.cleaned.size();
  return e.cleaned;
}

}  // namespace omni::formats
