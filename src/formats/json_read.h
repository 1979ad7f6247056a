#pragma once
// Read-only JSON for the decoders: a JsonTape (one validating pass, values indexed in place, no
// per-node allocation) behind a small value API with lenient typed field helpers, so decoders
// read `Field(o, "x")`, `StringField(o, "y")` whichever parser is underneath.
//
//   JsonDoc doc;
//   auto body = doc.ParseObject(text);      // Result<JObj>; 400 invalid_json on bad input
//   if (auto tools = ArrayField(*body, "tools")) for (JVal t : *tools) ...
//
// Views (JVal/JObj/JArr and the string_views they return) point into the JsonDoc and the parsed
// text and die with either. Copy what must outlive them (the IR owns std::strings).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/json_tape.h"

namespace omni::formats {

class JObj;
class JArr;

// A value in a parsed document. A default JVal is null.
class JVal {
 public:
  JVal() = default;
  JVal(const JsonTape* tape, uint32_t index) : t_(tape), i_(index) {}

  bool is_null() const { return !t_ || kind() == JsonKind::kNull; }
  bool is_string() const { return t_ && kind() == JsonKind::kString; }
  bool is_bool() const { return t_ && (kind() == JsonKind::kTrue || kind() == JsonKind::kFalse); }
  bool is_number() const { return t_ && kind() == JsonKind::kNumber; }
  bool is_object() const { return t_ && kind() == JsonKind::kObject; }
  bool is_array() const { return t_ && kind() == JsonKind::kArray; }

  // Callers check the kind first; a wrong kind yields an empty value, never a throw.
  std::string_view get_string() const { return is_string() ? t_->String(i_) : std::string_view(); }
  bool get_bool() const { return t_ && kind() == JsonKind::kTrue; }
  JObj get_object() const;
  JArr get_array() const;
  // Numbers: int64, uint64 (cast) or double (truncated for ints); nullopt for other kinds.
  std::optional<int64_t> ToInt() const;
  std::optional<double> ToDouble() const;

  // The value's bytes exactly as in the source text ("null" for a default JVal).
  std::string_view raw() const { return t_ ? t_->Raw(i_) : std::string_view("null"); }
  // True when raw() has no whitespace between tokens (then it is also the Json() text).
  bool compact() const { return !t_ || !(t_->node(i_).flags & JsonTape::kSpaced); }
  // Compact JSON text of this value: the source bytes, with whitespace between tokens dropped.
  std::string Json() const;
  void AppendJson(std::string& out) const;

 private:
  JsonKind kind() const { return t_->node(i_).kind; }

  const JsonTape* t_ = nullptr;
  uint32_t i_ = 0;
};

class JObj {
 public:
  JObj() = default;
  JObj(const JsonTape* tape, uint32_t index) : t_(tape), i_(index) {}

  struct Member {
    std::string_view key;
    JVal value;
  };
  class iterator {
   public:
    iterator(const JsonTape* tape, uint32_t key) : t_(tape), k_(key) {}
    Member operator*() const { return {t_->String(k_), JVal(t_, k_ + 1)}; }
    iterator& operator++() {
      k_ = t_->node(k_ + 1).next;
      return *this;
    }
    bool operator!=(const iterator& o) const { return k_ != o.k_; }

   private:
    const JsonTape* t_;
    uint32_t k_;
  };
  iterator begin() const { return iterator(t_, t_ ? i_ + 1 : 0); }
  iterator end() const { return iterator(t_, t_ ? t_->node(i_).next : 0); }
  size_t size() const { return t_ ? t_->node(i_).count : 0; }
  bool empty() const { return size() == 0; }
  // The member's value (the first, if the key repeats), or nullopt when the key is missing.
  std::optional<JVal> find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key).has_value(); }

  std::string Json() const { return t_ ? JVal(t_, i_).Json() : std::string("{}"); }

 private:
  const JsonTape* t_ = nullptr;
  uint32_t i_ = 0;
};

class JArr {
 public:
  JArr() = default;
  JArr(const JsonTape* tape, uint32_t index) : t_(tape), i_(index) {}

  class iterator {
   public:
    iterator(const JsonTape* tape, uint32_t index) : t_(tape), e_(index) {}
    JVal operator*() const { return JVal(t_, e_); }
    iterator& operator++() {
      e_ = t_->node(e_).next;
      return *this;
    }
    bool operator!=(const iterator& o) const { return e_ != o.e_; }

   private:
    const JsonTape* t_;
    uint32_t e_;
  };
  iterator begin() const { return iterator(t_, t_ ? i_ + 1 : 0); }
  iterator end() const { return iterator(t_, t_ ? t_->node(i_).next : 0); }
  size_t size() const { return t_ ? t_->node(i_).count : 0; }
  bool empty() const { return size() == 0; }
  JVal operator[](size_t i) const;  // null past the end

 private:
  const JsonTape* t_ = nullptr;
  uint32_t i_ = 0;
};

inline JObj JVal::get_object() const { return is_object() ? JObj(t_, i_) : JObj(); }
inline JArr JVal::get_array() const { return is_array() ? JArr(t_, i_) : JArr(); }

// Owns the parsed document. Documents up to 256 KiB reuse one of two per-thread tapes (no
// allocation after warm-up); larger ones, or a third document alive on the same thread, get
// their own. Views point into the parsed text as well as the document: both must outlive them.
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
  // in its frame calls this before waiting, so the thread's tape serves other requests.
  void Release();

  struct ThreadTape;  // defined in json_read.cc

 private:
  JsonTape* tape_ = nullptr;
  std::unique_ptr<JsonTape> own_;
  ThreadTape* thread_ = nullptr;  // the per-thread tape this document holds, if any
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
