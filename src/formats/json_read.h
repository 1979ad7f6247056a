#pragma once
// Read-only JSON for the decoders: a simdjson DOM (one tape, no per-node allocation, ~5× faster
// than building a Boost.JSON DOM) behind a small value API with lenient typed field helpers,
// so decoders read `Field(o, "x")`, `StringField(o, "y")` whichever parser is underneath.
//
//   JsonDoc doc;
//   auto body = doc.ParseObject(text);      // Result<JObj>; 400 invalid_json on bad input
//   if (auto tools = ArrayField(*body, "tools")) for (JVal t : *tools) ...
//
// Views (JVal/JObj/JArr and the string_views they return) point into the JsonDoc and die with
// it. Copy what must outlive it (the IR owns std::strings).

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace omni::formats {

class JObj;
class JArr;

class JVal {
 public:
  explicit JVal(simdjson::dom::element e) : e_(e) {}

  bool is_null() const { return e_.is_null(); }
  bool is_string() const { return e_.is_string(); }
  bool is_bool() const { return e_.is_bool(); }
  bool is_number() const { return e_.is_number(); }
  bool is_object() const { return e_.is_object(); }
  bool is_array() const { return e_.is_array(); }

  // Callers check the kind first; a wrong kind yields an empty value, never a throw.
  std::string_view get_string() const;
  bool get_bool() const;
  JObj get_object() const;
  JArr get_array() const;
  // Numbers: int64, uint64 (cast) or double (truncated for ints); nullopt for other kinds.
  std::optional<int64_t> ToInt() const;
  std::optional<double> ToDouble() const;

  // Compact JSON text of this value (strings re-escaped, numbers in shortest form).
  std::string Json() const;
  void AppendJson(std::string& out) const;

 private:
  simdjson::dom::element e_;
};

class JObj {
 public:
  JObj() = default;
  explicit JObj(simdjson::dom::object o) : o_(o) {}

  struct Member {
    std::string_view key;
    JVal value;
  };
  class iterator {
   public:
    explicit iterator(simdjson::dom::object::iterator it) : it_(it) {}
    Member operator*() const { return {it_.key(), JVal(it_.value())}; }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return it_ != o.it_; }

   private:
    simdjson::dom::object::iterator it_;
  };
  iterator begin() const { return iterator(o_.begin()); }
  iterator end() const { return iterator(o_.end()); }
  size_t size() const { return o_.size(); }
  bool empty() const { return o_.size() == 0; }
  // The member's value, or nullopt when the key is missing.
  std::optional<JVal> find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key).has_value(); }

  std::string Json() const;

 private:
  simdjson::dom::object o_;
};

class JArr {
 public:
  JArr() = default;
  explicit JArr(simdjson::dom::array a) : a_(a) {}

  class iterator {
   public:
    explicit iterator(simdjson::dom::array::iterator it) : it_(it) {}
    JVal operator*() const { return JVal(*it_); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return it_ != o.it_; }

   private:
    simdjson::dom::array::iterator it_;
  };
  iterator begin() const { return iterator(a_.begin()); }
  iterator end() const { return iterator(a_.end()); }
  size_t size() const { return a_.size(); }
  bool empty() const { return a_.size() == 0; }
  JVal operator[](size_t i) const;

 private:
  simdjson::dom::array a_;
};

// Owns the parsed document. Documents up to 256 KiB reuse one of two per-thread parsers (no
// allocation after warm-up); larger ones, or a third document alive on the same thread, get
// their own.
class JsonDoc {
 public:
  JsonDoc() = default;
  ~JsonDoc();
  JsonDoc(const JsonDoc&) = delete;
  JsonDoc& operator=(const JsonDoc&) = delete;

  // A syntax error (or invalid UTF-8, or nesting over 1024) becomes a 400 invalid_json.
  Result<JVal> Parse(std::string_view text);
  // Like Parse but the top level must be an object.
  Result<JObj> ParseObject(std::string_view text);
  // Ends the document early (views into it become invalid): a coroutine that keeps a JsonDoc
  // in its frame calls this before waiting, so the thread's parser serves other requests.
  void Release();

  struct ThreadParser;  // defined in json_read.cc

 private:
  simdjson::dom::parser* parser_ = nullptr;
  std::unique_ptr<simdjson::dom::parser> own_;
  ThreadParser* thread_ = nullptr;  // the per-thread parser this document holds, if any
};

// Field access: the "absent" value when the key is missing, null or of another type.
std::optional<JVal> Field(const JObj& o, std::string_view key);
std::string_view StringField(const JObj& o, std::string_view key);
std::optional<int64_t> IntField(const JObj& o, std::string_view key);
std::optional<double> NumberField(const JObj& o, std::string_view key);
std::optional<bool> BoolField(const JObj& o, std::string_view key);
std::optional<JObj> ObjectField(const JObj& o, std::string_view key);
std::optional<JArr> ArrayField(const JObj& o, std::string_view key);
inline std::string ToJson(const JVal& v) { return v.Json(); }

}  // namespace omni::formats
