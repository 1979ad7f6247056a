#include "formats/schema_cleanup.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "formats/wire_json.h"

namespace omni::formats {
namespace {

constexpr int kMaxRefDepth = 8;

bool Allowed(std::string_view key) {
  static constexpr std::string_view kKeys[] = {
      "type",          "format",        "title",     "description", "nullable",
      "enum",          "maxItems",      "minItems",  "properties",  "required",
      "minProperties", "maxProperties", "minLength", "maxLength",   "pattern",
      "anyOf",         "items",         "minimum",   "maximum",     "propertyOrdering"};
  return std::find(std::begin(kKeys), std::end(kKeys), key) != std::end(kKeys);
}

bool FormatAllowed(std::string_view type, std::string_view format) {
  if (type == "string") return format == "enum" || format == "date-time";
  if (type == "number") return format == "float" || format == "double";
  if (type == "integer") return format == "int32" || format == "int64";
  return false;
}

const bj::value* ResolveRef(std::string_view ref, const bj::object& root) {
  for (std::string_view prefix : {"#/$defs/", "#/definitions/"}) {
    if (ref.substr(0, prefix.size()) != prefix) continue;
    std::string_view name = ref.substr(prefix.size());
    const bj::object* defs = ObjectField(root, prefix == "#/$defs/" ? "$defs" : "definitions");
    if (!defs) return nullptr;
    auto it = defs->find(name);
    return it == defs->end() ? nullptr : &it->value();
  }
  return nullptr;
}

std::string ScalarToString(const bj::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return ToJson(v);
}

class GeminiCleaner {
 public:
  explicit GeminiCleaner(const bj::value& root)
      : root_(root.is_object() ? root.get_object() : empty_) {}

  bj::value Clean(const bj::value& in, int depth) {
    if (!in.is_object()) return bj::object{};
    const bj::object& src = in.get_object();
    if (std::string_view ref = StringField(src, "$ref"); !ref.empty()) {
      const bj::value* target = ResolveRef(ref, root_);
      if (!target || depth >= kMaxRefDepth) return bj::object{{"type", "object"}};
      bj::value resolved = Clean(*target, depth + 1);
      if (auto d = StringField(src, "description"); !d.empty() && resolved.is_object())
        resolved.as_object()["description"] = d;
      return resolved;
    }
    bj::object out;
    bool nullable = false;
    // allOf: merge members into this schema (the common pydantic/zod shape).
    bj::object merged = src;
    if (const bj::array* all = ArrayField(src, "allOf")) {
      merged.erase("allOf");
      for (const bj::value& m : *all) {
        bj::value c = Clean(m, depth);
        for (auto& kv : c.as_object()) {
          if (kv.key() == "properties" && merged.contains("properties") &&
              merged["properties"].is_object()) {
            for (auto& p : kv.value().as_object())
              merged["properties"].as_object()[p.key()] = p.value();
          } else if (kv.key() == "required" && merged.contains("required") &&
                     merged["required"].is_array()) {
            for (auto& r : kv.value().as_array()) merged["required"].as_array().push_back(r);
          } else if (!merged.contains(kv.key())) {
            merged[kv.key()] = kv.value();
          }
        }
      }
    }
    for (const auto& kv : merged) {
      std::string_view key(kv.key().data(), kv.key().size());
      const bj::value& v = kv.value();
      if (key == "type") {
        if (v.is_array()) {
          for (const bj::value& t : v.get_array()) {
            if (t.is_string() && t.get_string() == "null")
              nullable = true;
            else if (t.is_string() && !out.contains("type"))
              out["type"] = t;
          }
        } else if (v.is_string() && v.get_string() == "null") {
          nullable = true;
        } else {
          out["type"] = v;
        }
      } else if (key == "const") {
        out["enum"] = bj::array{bj::value(ScalarToString(v))};
      } else if (key == "properties" && v.is_object()) {
        bj::object props;
        for (const auto& p : v.get_object()) props[p.key()] = Clean(p.value(), depth);
        out["properties"] = std::move(props);
      } else if (key == "items") {
        out["items"] = Clean(v, depth);
      } else if (key == "anyOf" || key == "oneOf") {
        if (!v.is_array()) continue;
        bj::array variants;
        for (const bj::value& m : v.get_array()) {
          if (m.is_object()) {
            auto t = StringField(m.get_object(), "type");
            if (t == "null" && m.get_object().size() == 1) {
              nullable = true;
              continue;
            }
          }
          variants.push_back(Clean(m, depth));
        }
        if (variants.size() == 1) {
          for (auto& f : variants[0].as_object())
            if (!out.contains(f.key())) out[f.key()] = f.value();
        } else if (!variants.empty()) {
          out["anyOf"] = std::move(variants);
        }
      } else if (key == "enum" && v.is_array()) {
        bj::array values;
        for (const bj::value& e : v.get_array()) {
          if (e.is_null())
            nullable = true;
          else
            values.push_back(bj::value(ScalarToString(e)));
        }
        out["enum"] = std::move(values);
      } else if (Allowed(key)) {
        out[key] = v;
      }
    }
    if (out.contains("enum")) out["type"] = "string";  // Gemini enums are string-only
    if (auto* f = out.if_contains("format")) {
      auto t = StringField(out, "type");
      if (!f->is_string() || !FormatAllowed(t, std::string_view(f->get_string())))
        out.erase("format");
    }
    if (auto* props = out.if_contains("properties"); props && props->is_object()) {
      if (props->get_object().empty()) {
        out.erase("properties");
        out.erase("required");
      } else if (auto* req = out.if_contains("required"); req && req->is_array()) {
        bj::array kept;
        for (const bj::value& r : req->get_array())
          if (r.is_string() && props->get_object().contains(r.get_string())) kept.push_back(r);
        *req = std::move(kept);
      }
    } else {
      out.erase("required");
    }
    if (nullable) out["nullable"] = true;
    return out;
  }

 private:
  bj::object empty_;
  const bj::object& root_;
};

bj::value Normalize(const bj::value& in) {
  if (in.is_array()) {
    bj::array out;
    for (const bj::value& e : in.get_array()) out.push_back(Normalize(e));
    return out;
  }
  if (!in.is_object()) return in;
  bj::object out;
  for (const auto& kv : in.get_object()) {
    if (kv.key() == "propertyOrdering") continue;
    if (kv.key() == "type" && kv.value().is_string()) {
      std::string t(kv.value().get_string());
      std::transform(t.begin(), t.end(), t.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      out["type"] = t;
    } else if (kv.key() == "properties" && kv.value().is_object()) {
      bj::object props;
      for (const auto& p : kv.value().get_object()) props[p.key()] = Normalize(p.value());
      out["properties"] = std::move(props);
    } else if (kv.key() == "items" || kv.key() == "anyOf") {
      out[kv.key()] = Normalize(kv.value());
    } else {
      out[kv.key()] = kv.value();
    }
  }
  return out;
}

}  // namespace

bj::value CleanSchemaForGemini(const bj::value& schema) {
  GeminiCleaner cleaner(schema);
  return cleaner.Clean(schema, 0);
}

bj::value NormalizeSchemaFromGemini(const bj::value& schema) { return Normalize(schema); }

bool IsEmptyObjectSchema(const bj::value& schema) {
  if (schema.is_null()) return true;
  if (!schema.is_object()) return false;
  const bj::object& o = schema.get_object();
  if (o.empty()) return true;
  const bj::object* props = ObjectField(o, "properties");
  return StringField(o, "type") == "object" && (!props || props->empty()) && !o.contains("anyOf");
}

}  // namespace omni::formats
