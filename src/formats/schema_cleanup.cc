#include "formats/schema_cleanup.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omni::formats {
namespace {

constexpr int kMaxRefDepth = 8;
// JsonWriter tracks commas for 63 nesting levels and each schema level can open two (the
// schema, its properties), so deeper schemas are written in pieces through Raw.
constexpr int kLevelsPerWriter = 24;

// The keywords Gemini accepts; every key of a cleaned schema is one of them.
enum Keyword : uint8_t {
  kType,
  kFormat,
  kTitle,
  kDescription,
  kNullable,
  kEnum,
  kMaxItems,
  kMinItems,
  kProperties,
  kRequired,
  kMinProperties,
  kMaxProperties,
  kMinLength,
  kMaxLength,
  kPattern,
  kAnyOf,
  kItems,
  kMinimum,
  kMaximum,
  kPropertyOrdering,
  kKeywordCount
};
constexpr std::string_view kKeywords[kKeywordCount] = {
    "type",          "format",        "title",     "description", "nullable",
    "enum",          "maxItems",      "minItems",  "properties",  "required",
    "minProperties", "maxProperties", "minLength", "maxLength",   "pattern",
    "anyOf",         "items",         "minimum",   "maximum",     "propertyOrdering"};

int KeywordOf(std::string_view key) {
  for (int k = 0; k < kKeywordCount; ++k)
    if (kKeywords[k] == key) return k;
  return -1;
}

bool FormatAllowed(std::string_view type, std::string_view format) {
  if (type == "string") return format == "enum" || format == "date-time";
  if (type == "number") return format == "float" || format == "double";
  if (type == "integer") return format == "int32" || format == "int64";
  return false;
}

// A source value copied as is. Strings and scalars go through the writer (no temporary).
void WriteValue(JsonWriter& w, const JVal& v) { w.Value(v); }

// Gemini enums are string-only: 1 → "1", true → "true".
void WriteAsString(JsonWriter& w, const JVal& v) {
  if (v.is_string())
    w.String(v.get_string());
  else
    w.String(v.Json());
}

// A nested schema still to be cleaned (a property, an anyOf variant).
struct SchemaRef {
  std::string_view name;  // properties only
  JVal value;
  int depth;  // $ref nesting where it was found
};

// Where the value of one keyword of a cleaned schema comes from. Values stay views into the
// source document and nested schemas are cleaned as they are written, so cleaning builds no
// tree; lists live in the cleaner's `refs_` / `names_` at [begin, end).
struct Slot {
  enum Kind : uint8_t {
    kJson,        // `value` as is
    kString,      // "string"
    kObject,      // "object"
    kTrue,        // true
    kConstEnum,   // [`value` as a string]
    kEnumValues,  // `value`'s non-null elements as strings
    kSchema,      // `value` cleaned
    kSchemas,     // [refs cleaned]
    kProperties,  // {name: schema cleaned} for refs
    kNames,       // [names]
  };
  // Left uninitialized: a Cleaned holds one per keyword and most stay unused (initializing
  // them was a third of the cleanup time). The helpers below set every member they use.
  Slot() {}

  Kind kind;
  int depth;
  uint32_t begin, end;
  union {
    JVal value;  // the kinds that carry a source value
  };
};

Slot ValueSlot(Slot::Kind kind, const JVal& v, int depth = 0) {
  Slot s;
  s.kind = kind;
  s.depth = depth;
  s.begin = s.end = 0;
  s.value = v;
  return s;
}

Slot ListSlot(Slot::Kind kind, size_t begin, size_t end) {
  Slot s;
  s.kind = kind;
  s.depth = 0;
  s.begin = static_cast<uint32_t>(begin);
  s.end = static_cast<uint32_t>(end);
  return s;
}

Slot LiteralSlot(Slot::Kind kind) { return ListSlot(kind, 0, 0); }

// One cleaned schema object: its keywords in insertion order (a keyword set again keeps its
// place, as in a JSON object).
struct Cleaned {
  Slot slots[kKeywordCount];
  uint8_t order[kKeywordCount];
  uint8_t count = 0;
  uint32_t present = 0;

  bool Has(int k) const { return present & (1u << k); }
  void Set(int k, const Slot& s) {
    if (!Has(k)) {
      order[count++] = static_cast<uint8_t>(k);
      present |= 1u << k;
    }
    slots[k] = s;
  }
  void Erase(int k) {
    if (!Has(k)) return;
    present &= ~(1u << k);
    count = static_cast<uint8_t>(std::remove(order, order + count, k) - order);
  }
  std::string_view Type() const {
    if (!Has(kType)) return {};
    const Slot& t = slots[kType];
    if (t.kind == Slot::kString) return "string";
    if (t.kind == Slot::kObject) return "object";
    return t.value.is_string() ? t.value.get_string() : std::string_view();
  }
};

// The lists of one cleanup, per thread so the tools of a request reuse their capacity.
struct Lists {
  std::vector<SchemaRef> refs;
  std::vector<std::string_view> names;
};

class GeminiCleaner {
 public:
  explicit GeminiCleaner(const JVal& root) : refs_(lists().refs), names_(lists().names) {
    refs_.clear();
    names_.clear();
    if (root.is_object()) root_ = root.get_object();
  }

  Cleaned Clean(const JVal& in, int depth) {
    Cleaned out;
    if (!in.is_object()) return out;
    JObj src = in.get_object();
    // One look for the two keywords that change how the rest is read.
    std::optional<JVal> ref, all;
    for (auto [key, value] : src) {
      if (key == "$ref" && !ref) ref = value;
      if (key == "allOf" && !all) all = value;
    }
    if (ref && ref->is_string() && !ref->get_string().empty()) {
      std::optional<JVal> target = ResolveRef(ref->get_string());
      if (!target || depth >= kMaxRefDepth) {
        out.Set(kType, LiteralSlot(Slot::kObject));
        return out;
      }
      out = Clean(*target, depth + 1);
      if (auto d = Field(src, "description"); d && d->is_string() && !d->get_string().empty())
        out.Set(kDescription, ValueSlot(Slot::kJson, *d));
      return out;
    }
    bool nullable = false;
    if (all && all->is_array()) {
      MergeAllOf(src, all->get_array(), depth, out, nullable);
    } else {
      for (auto [key, value] : src) Apply(key, value, depth, out, nullable);
    }
    Finish(out, nullable);
    return out;
  }

  void Write(JsonWriter& w, const Cleaned& c, int level) {
    if (level == kLevelsPerWriter) {
      std::string text;
      JsonWriter piece(text);
      Write(piece, c, 0);
      w.Raw(text);
      return;
    }
    w.BeginObject();
    for (int i = 0; i < c.count; ++i) {
      w.Key(kKeywords[c.order[i]]);
      WriteSlot(w, c.slots[c.order[i]], level);
    }
    w.EndObject();
  }

 private:
  // A keyword of a schema with allOf: from the source, or merged in from a member.
  struct Entry {
    std::string_view key;
    JVal value;                  // from the source schema...
    std::optional<Slot> merged;  // ...or already cleaned
  };

  static Lists& lists() {
    thread_local Lists l;
    return l;
  }

  std::optional<JVal> ResolveRef(std::string_view ref) const {
    if (!root_) return std::nullopt;
    for (std::string_view prefix : {"#/$defs/", "#/definitions/"}) {
      if (ref.substr(0, prefix.size()) != prefix) continue;
      auto defs = ObjectField(*root_, prefix == "#/$defs/" ? "$defs" : "definitions");
      if (!defs) return std::nullopt;
      return defs->find(ref.substr(prefix.size()));
    }
    return std::nullopt;
  }

  // One keyword of the source schema.
  void Apply(std::string_view key, const JVal& v, int depth, Cleaned& out, bool& nullable) {
    if (key == "type") {
      if (v.is_array()) {
        for (JVal t : v.get_array()) {
          if (!t.is_string()) continue;
          if (t.get_string() == "null")
            nullable = true;
          else if (!out.Has(kType))
            out.Set(kType, ValueSlot(Slot::kJson, t));
        }
      } else if (v.is_string() && v.get_string() == "null") {
        nullable = true;
      } else {
        out.Set(kType, ValueSlot(Slot::kJson, v));
      }
    } else if (key == "const") {
      out.Set(kEnum, ValueSlot(Slot::kConstEnum, v));
    } else if (key == "properties" && v.is_object()) {
      size_t begin = refs_.size();
      for (auto [name, schema] : v.get_object()) refs_.push_back({name, schema, depth});
      out.Set(kProperties, ListSlot(Slot::kProperties, begin, refs_.size()));
    } else if (key == "items") {
      out.Set(kItems, ValueSlot(Slot::kSchema, v, depth));
    } else if (key == "anyOf" || key == "oneOf") {
      if (!v.is_array()) return;
      size_t begin = refs_.size();
      for (JVal m : v.get_array()) {
        if (m.is_object()) {
          JObj mo = m.get_object();
          if (mo.size() == 1 && StringField(mo, "type") == "null") {
            nullable = true;
            continue;
          }
        }
        refs_.push_back({{}, m, depth});
      }
      if (refs_.size() - begin == 1) {
        // A single variant (Optional[X] once null is gone) merges into this schema.
        JVal only = refs_.back().value;
        refs_.pop_back();
        Cleaned c = Clean(only, depth);
        for (int i = 0; i < c.count; ++i)
          if (!out.Has(c.order[i])) out.Set(c.order[i], c.slots[c.order[i]]);
      } else if (refs_.size() > begin) {
        out.Set(kAnyOf, ListSlot(Slot::kSchemas, begin, refs_.size()));
      }
    } else if (key == "enum" && v.is_array()) {
      for (JVal e : v.get_array())
        if (e.is_null()) nullable = true;
      out.Set(kEnum, ValueSlot(Slot::kEnumValues, v));
    } else if (int k = KeywordOf(key); k >= 0) {
      out.Set(k, ValueSlot(Slot::kJson, v));
    }
  }

  // allOf: the members are merged into this schema (the common pydantic/zod shape). Each
  // cleaned member adds the keywords the schema lacks, its properties and required names.
  void MergeAllOf(const JObj& src, const JArr& all, int depth, Cleaned& out, bool& nullable) {
    std::vector<Entry> entries;
    entries.reserve(src.size() + kKeywordCount);
    for (auto [key, value] : src) entries.push_back({key, value, std::nullopt});
    // allOf leaves the way a JSON object erase does (the last member takes its place): the
    // order decides which of two clashing keywords wins (a const and an enum).
    auto all_of = std::find_if(entries.begin(), entries.end(),
                               [](const Entry& e) { return e.key == "allOf"; });
    *all_of = entries.back();
    entries.pop_back();
    auto find = [&](std::string_view key) -> Entry* {
      for (Entry& e : entries)
        if (e.key == key) return &e;
      return nullptr;
    };
    for (JVal member : all) {
      Cleaned c = Clean(member, depth);
      for (int i = 0; i < c.count; ++i) {
        int k = c.order[i];
        const Slot& s = c.slots[k];
        Entry* e = find(kKeywords[k]);
        if (!e) {
          entries.push_back({kKeywords[k], JVal(), s});
        } else if (k == kProperties && s.kind == Slot::kProperties) {
          MergeProperties(*e, s, depth);
        } else if (k == kRequired && s.kind == Slot::kNames) {
          MergeNames(*e, s);
        }
      }
    }
    for (const Entry& e : entries) {
      if (e.merged)
        out.Set(KeywordOf(e.key), *e.merged);
      else
        Apply(e.key, e.value, depth, out, nullable);
    }
  }

  // Adds the member's properties to the entry's (a later one replaces one of the same name).
  void MergeProperties(Entry& e, const Slot& add, int depth) {
    std::vector<SchemaRef> props;
    if (e.merged && e.merged->kind == Slot::kProperties) {
      props.assign(refs_.begin() + e.merged->begin, refs_.begin() + e.merged->end);
    } else if (!e.merged && e.value.is_object()) {
      for (auto [name, schema] : e.value.get_object()) props.push_back({name, schema, depth});
    } else {
      return;  // not an object: nothing to merge into
    }
    for (uint32_t i = add.begin; i < add.end; ++i) {
      const SchemaRef& p = refs_[i];
      auto same = std::find_if(props.begin(), props.end(),
                               [&](const SchemaRef& q) { return q.name == p.name; });
      if (same != props.end())
        *same = p;
      else
        props.push_back(p);
    }
    size_t begin = refs_.size();
    refs_.insert(refs_.end(), props.begin(), props.end());
    e.merged = ListSlot(Slot::kProperties, begin, refs_.size());
  }

  void MergeNames(Entry& e, const Slot& add) {
    std::vector<std::string_view> list;
    if (e.merged && e.merged->kind == Slot::kNames) {
      list.assign(names_.begin() + e.merged->begin, names_.begin() + e.merged->end);
    } else if (!e.merged && e.value.is_array()) {
      // Non-string names would be dropped by Finish anyway.
      for (JVal r : e.value.get_array())
        if (r.is_string()) list.push_back(r.get_string());
    } else {
      return;
    }
    list.insert(list.end(), names_.begin() + add.begin, names_.begin() + add.end);
    size_t begin = names_.size();
    names_.insert(names_.end(), list.begin(), list.end());
    e.merged = ListSlot(Slot::kNames, begin, names_.size());
  }

  bool HasProperty(const Slot& props, std::string_view name) const {
    for (uint32_t i = props.begin; i < props.end; ++i)
      if (refs_[i].name == name) return true;
    return false;
  }

  // The rules that look at the whole schema once all keywords are in.
  void Finish(Cleaned& out, bool nullable) {
    if (out.Has(kEnum)) out.Set(kType, LiteralSlot(Slot::kString));  // Gemini enums: strings
    if (out.Has(kFormat)) {
      const JVal& f = out.slots[kFormat].value;
      if (!f.is_string() || !FormatAllowed(out.Type(), f.get_string())) out.Erase(kFormat);
    }
    if (out.Has(kProperties) && out.slots[kProperties].kind == Slot::kProperties) {
      const Slot props = out.slots[kProperties];
      if (props.begin == props.end) {
        out.Erase(kProperties);
        out.Erase(kRequired);
      } else if (out.Has(kRequired)) {
        // Gemini rejects required names that are not properties; a non-array stays as is.
        const Slot req = out.slots[kRequired];
        if (req.kind == Slot::kNames || req.value.is_array()) {
          size_t begin = names_.size();
          if (req.kind == Slot::kNames) {
            for (uint32_t i = req.begin; i < req.end; ++i) {
              std::string_view name = names_[i];
              if (HasProperty(props, name)) names_.push_back(name);
            }
          } else {
            for (JVal r : req.value.get_array())
              if (r.is_string() && HasProperty(props, r.get_string()))
                names_.push_back(r.get_string());
          }
          out.Set(kRequired, ListSlot(Slot::kNames, begin, names_.size()));
        }
      }
    } else {
      out.Erase(kRequired);
    }
    if (nullable) out.Set(kNullable, LiteralSlot(Slot::kTrue));
  }

  void WriteSlot(JsonWriter& w, const Slot& s, int level) {
    switch (s.kind) {
      case Slot::kJson:
        WriteValue(w, s.value);
        break;
      case Slot::kString:
        w.String("string");
        break;
      case Slot::kObject:
        w.String("object");
        break;
      case Slot::kTrue:
        w.Bool(true);
        break;
      case Slot::kConstEnum:
        w.BeginArray();
        WriteAsString(w, s.value);
        w.EndArray();
        break;
      case Slot::kEnumValues:
        w.BeginArray();
        for (JVal e : s.value.get_array())
          if (!e.is_null()) WriteAsString(w, e);
        w.EndArray();
        break;
      case Slot::kSchema:
        Write(w, Clean(s.value, s.depth), level + 1);
        break;
      case Slot::kSchemas:
        w.BeginArray();
        for (uint32_t i = s.begin; i < s.end; ++i) {
          SchemaRef r = refs_[i];  // a copy: cleaning may grow refs_
          Write(w, Clean(r.value, r.depth), level + 1);
        }
        w.EndArray();
        break;
      case Slot::kProperties:
        w.BeginObject();
        for (uint32_t i = s.begin; i < s.end; ++i) {
          SchemaRef r = refs_[i];
          w.Key(r.name);
          Write(w, Clean(r.value, r.depth), level + 1);
        }
        w.EndObject();
        break;
      case Slot::kNames:
        w.BeginArray();
        for (uint32_t i = s.begin; i < s.end; ++i) w.String(names_[i]);
        w.EndArray();
        break;
    }
  }

  std::optional<JObj> root_;
  std::vector<SchemaRef>& refs_;
  std::vector<std::string_view>& names_;
};

// True when Normalize would change nothing: no propertyOrdering, no upper-case type. Checking
// costs a fraction of rewriting, and most schemas sent to Gemini are already JSON Schema.
bool IsNormalSchema(const JVal& in, int depth) {
  if (depth > 64) return false;  // let Normalize handle (and split) deep schemas
  if (in.is_array()) {
    for (JVal e : in.get_array())
      if (!IsNormalSchema(e, depth + 1)) return false;
    return true;
  }
  if (!in.is_object()) return true;
  for (auto [key, v] : in.get_object()) {
    if (key == "propertyOrdering") return false;
    if (key == "type" && v.is_string()) {
      for (char c : v.get_string())
        if (c >= 'A' && c <= 'Z') return false;
    } else if (key == "properties" && v.is_object()) {
      for (auto [name, schema] : v.get_object())
        if (!IsNormalSchema(schema, depth + 1)) return false;
    } else if (key == "items" || key == "anyOf") {
      if (!IsNormalSchema(v, depth + 1)) return false;
    }
  }
  return true;
}

void Normalize(JsonWriter& w, const JVal& in, int level) {
  if (level == 0 && IsNormalSchema(in, 0)) return w.Value(in);
  if (level == kLevelsPerWriter) {
    std::string text;
    JsonWriter piece(text);
    Normalize(piece, in, 0);
    w.Raw(text);
    return;
  }
  if (in.is_array()) {
    w.BeginArray();
    for (JVal e : in.get_array()) Normalize(w, e, level + 1);
    w.EndArray();
    return;
  }
  if (!in.is_object()) return WriteValue(w, in);
  w.BeginObject();
  for (auto [key, v] : in.get_object()) {
    if (key == "propertyOrdering") continue;
    w.Key(key);
    if (key == "type" && v.is_string()) {
      std::string t(v.get_string());
      std::transform(t.begin(), t.end(), t.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      w.String(t);
    } else if (key == "properties" && v.is_object()) {
      w.BeginObject();
      for (auto [name, schema] : v.get_object()) {
        w.Key(name);
        Normalize(w, schema, level + 1);
      }
      w.EndObject();
    } else if (key == "items" || key == "anyOf") {
      Normalize(w, v, level + 1);
    } else {
      WriteValue(w, v);
    }
  }
  w.EndObject();
}

}  // namespace

void CleanSchemaForGemini(JsonWriter& out, const JVal& schema) {
  GeminiCleaner cleaner(schema);
  cleaner.Write(out, cleaner.Clean(schema, 0), 0);
}

void NormalizeSchemaFromGemini(JsonWriter& out, const JVal& schema) { Normalize(out, schema, 0); }

bool IsEmptyObjectSchema(const JVal& schema) {
  if (schema.is_null()) return true;
  if (!schema.is_object()) return false;
  JObj o = schema.get_object();
  if (o.empty()) return true;
  auto props = ObjectField(o, "properties");
  return StringField(o, "type") == "object" && (!props || props->empty()) && !o.contains("anyOf");
}

}  // namespace omni::formats
