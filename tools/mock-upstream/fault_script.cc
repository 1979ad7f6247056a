#include "fault_script.h"

#include <algorithm>
#include <boost/json.hpp>

namespace omni::mock {
namespace {

namespace json = boost::json;

// Reads an integer field; `error` is set when the field exists but is not a number.
std::optional<int64_t> IntField(const json::object& rule, std::string_view key,
                                std::string& error) {
  const json::value* v = rule.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  error = "field '" + std::string(key) + "' must be a number";
  return std::nullopt;
}

std::optional<std::string> StringField(const json::object& rule, std::string_view key,
                                       std::string& error) {
  const json::value* v = rule.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_string()) return std::string(v->as_string());
  error = "field '" + std::string(key) + "' must be a string";
  return std::nullopt;
}

// Scalars as header text: Retry-After is naturally written as a number in test scripts.
std::optional<std::string> ScalarAsText(const json::value* v) {
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_int64() || v->is_uint64() || v->is_double()) return json::serialize(*v);
  return std::nullopt;
}

// {"name": "...", "arguments": {...}}; the arguments default to {}.
std::optional<ScriptedToolCall> ToolCallField(const json::object& rule, std::string& error) {
  const json::value* v = rule.if_contains("tool_call");
  if (v == nullptr || v->is_null()) return std::nullopt;
  const json::object* o = v->if_object();
  const json::value* name = o != nullptr ? o->if_contains("name") : nullptr;
  if (name == nullptr || !name->is_string() || name->as_string().empty()) {
    error = "field 'tool_call' must be an object with a non-empty string 'name'";
    return std::nullopt;
  }
  ScriptedToolCall call{std::string(name->as_string()), "{}"};
  if (const json::value* args = o->if_contains("arguments"); args != nullptr && !args->is_null()) {
    if (!args->is_object()) {
      error = "field 'tool_call.arguments' must be an object";
      return std::nullopt;
    }
    call.arguments = json::serialize(*args);
  }
  return call;
}

FaultRule ParseRule(const json::object& o, std::string& error) {
  FaultRule rule;
  rule.model = StringField(o, "model", error);
  rule.path = StringField(o, "path", error);
  rule.times = IntField(o, "times", error);
  if (auto status = IntField(o, "status", error)) rule.status = static_cast<int>(*status);
  // A body given as JSON (not a string) is serialized, so scripts need not escape it.
  if (const json::value* body = o.if_contains("body"); body != nullptr && !body->is_null()) {
    rule.body = body->is_string() ? std::string(body->as_string()) : json::serialize(*body);
  }
  if (const json::value* headers = o.if_contains("headers"); headers != nullptr) {
    if (!headers->is_object()) {
      error = "field 'headers' must be an object";
    } else {
      for (const auto& [name, value] : headers->as_object()) {
        std::optional<std::string> text = ScalarAsText(&value);
        if (!text) {
          error = "header values must be strings or numbers";
          continue;
        }
        rule.headers[std::string(name)] = *text;
      }
    }
  }
  if (o.contains("retry_after")) {
    rule.retry_after = ScalarAsText(o.if_contains("retry_after"));
    if (!rule.retry_after) error = "field 'retry_after' must be a string or number";
  }
  rule.delay_ms = IntField(o, "delay_ms", error).value_or(0);
  rule.chunk_delay_ms = IntField(o, "chunk_delay_ms", error).value_or(0);
  rule.drop_after_chunks = IntField(o, "drop_after_chunks", error);
  if (const json::value* g = o.if_contains("garbage"); g != nullptr && !g->is_null()) {
    if (g->is_bool()) {
      rule.garbage = g->as_bool();
    } else {
      error = "field 'garbage' must be a boolean";
    }
  }
  rule.chunks = IntField(o, "chunks", error);
  rule.content = StringField(o, "content", error);
  rule.tool_call = ToolCallField(o, error);
  rule.thinking = StringField(o, "thinking", error);
  if (rule.times && *rule.times <= 0) error = "field 'times' must be positive";
  if (rule.chunks && *rule.chunks < 0) error = "field 'chunks' must not be negative";
  if (rule.drop_after_chunks && *rule.drop_after_chunks < 0) {
    error = "field 'drop_after_chunks' must not be negative";
  }
  return rule;
}

}  // namespace

ParsedFaults ParseFaults(const json::value& document) {
  ParsedFaults out;
  const json::array* list = nullptr;
  if (document.is_array()) {
    list = &document.as_array();
  } else if (document.is_object()) {
    const json::value* faults = document.as_object().if_contains("faults");
    if (faults != nullptr && faults->is_array()) list = &faults->as_array();
  }
  if (list == nullptr) {
    out.error = "expected {\"faults\":[...]}";
    return out;
  }
  for (const json::value& item : *list) {
    if (!item.is_object()) {
      out.error = "every fault rule must be an object";
      return out;
    }
    std::string error;
    FaultRule rule = ParseRule(item.as_object(), error);
    if (!error.empty()) {
      out.error = std::move(error);
      return out;
    }
    out.rules.push_back(std::move(rule));
  }
  return out;
}

std::optional<FaultRule> FaultScript::Take(std::string_view model, std::string_view target) {
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const FaultRule& rule) {
    if (rule.model && *rule.model != model) return false;
    if (rule.path && !target.starts_with(*rule.path)) return false;
    return true;
  });
  if (it == rules_.end()) return std::nullopt;
  FaultRule applied = *it;
  if (it->times && --*it->times <= 0) rules_.erase(it);
  return applied;
}

}  // namespace omni::mock
