#include "formats/usage_map.h"

#include <algorithm>

#include "formats/json_read.h"
#include "formats/json_writer.h"
#include "formats/wire_json.h"

namespace omni::formats {
namespace {

template <class Obj>
int64_t Int(const Obj& o, std::string_view key) { return IntField(o, key).value_or(0); }

template <class Obj>
int64_t Nested(const Obj& o, std::string_view object, std::string_view key) {
  auto inner = ObjectField(o, object);
  return inner ? Int(*inner, key) : 0;
}

}  // namespace

template <class Obj>
Usage UsageFromOpenAIChat(const Obj& u) {
  Usage usage;
  usage.present = true;
  usage.input = Int(u, "prompt_tokens");
  usage.output = Int(u, "completion_tokens");
  usage.cached = Nested(u, "prompt_tokens_details", "cached_tokens");
  if (usage.cached == 0) usage.cached = Int(u, "prompt_cache_hit_tokens");  // DeepSeek
  usage.reasoning = Nested(u, "completion_tokens_details", "reasoning_tokens");
  return usage;
}

bj::object UsageToOpenAIChat(const Usage& u) {
  return {{"prompt_tokens", u.input},
          {"completion_tokens", u.output},
          {"total_tokens", u.input + u.output},
          {"prompt_tokens_details", bj::object{{"cached_tokens", u.cached}}},
          {"completion_tokens_details", bj::object{{"reasoning_tokens", u.reasoning}}}};
}

void WriteUsageOpenAIChat(JsonWriter& w, const Usage& u) {
  w.BeginObject();
  w.IntField("prompt_tokens", u.input);
  w.IntField("completion_tokens", u.output);
  w.IntField("total_tokens", u.input + u.output);
  w.Key("prompt_tokens_details");
  w.BeginObject();
  w.IntField("cached_tokens", u.cached);
  w.EndObject();
  w.Key("completion_tokens_details");
  w.BeginObject();
  w.IntField("reasoning_tokens", u.reasoning);
  w.EndObject();
  w.EndObject();
}

template <class Obj>
Usage UsageFromAnthropic(const Obj& u) {
  Usage usage;
  usage.present = true;
  usage.cached = Int(u, "cache_read_input_tokens");
  usage.cache_write = Int(u, "cache_creation_input_tokens");
  usage.input = Int(u, "input_tokens") + usage.cached + usage.cache_write;
  usage.output = Int(u, "output_tokens");
  return usage;
}

bj::object UsageToAnthropic(const Usage& u) {
  return {{"input_tokens", std::max<int64_t>(0, u.input - u.cached - u.cache_write)},
          {"cache_creation_input_tokens", u.cache_write},
          {"cache_read_input_tokens", u.cached},
          {"output_tokens", u.output}};
}

void WriteUsageAnthropic(JsonWriter& w, const Usage& u) {
  w.BeginObject();
  w.IntField("input_tokens", std::max<int64_t>(0, u.input - u.cached - u.cache_write));
  w.IntField("cache_creation_input_tokens", u.cache_write);
  w.IntField("cache_read_input_tokens", u.cached);
  w.IntField("output_tokens", u.output);
  w.EndObject();
}

template <class Obj>
Usage UsageFromGemini(const Obj& u) {
  Usage usage;
  usage.present = true;
  usage.input = Int(u, "promptTokenCount") + Int(u, "toolUsePromptTokenCount");
  usage.reasoning = Int(u, "thoughtsTokenCount");
  usage.output = Int(u, "candidatesTokenCount") + usage.reasoning;
  usage.cached = Int(u, "cachedContentTokenCount");
  return usage;
}

bj::object UsageToGemini(const Usage& u) {
  bj::object out{{"promptTokenCount", u.input},
                 {"candidatesTokenCount", u.output - u.reasoning},
                 {"totalTokenCount", u.input + u.output}};
  if (u.cached > 0) out["cachedContentTokenCount"] = u.cached;
  if (u.reasoning > 0) out["thoughtsTokenCount"] = u.reasoning;
  return out;
}

void WriteUsageGemini(JsonWriter& w, const Usage& u) {
  w.BeginObject();
  w.IntField("promptTokenCount", u.input);
  w.IntField("candidatesTokenCount", u.output - u.reasoning);
  w.IntField("totalTokenCount", u.input + u.output);
  if (u.cached > 0) w.IntField("cachedContentTokenCount", u.cached);
  if (u.reasoning > 0) w.IntField("thoughtsTokenCount", u.reasoning);
  w.EndObject();
}

template <class Obj>
Usage UsageFromResponses(const Obj& u) {
  Usage usage;
  usage.present = true;
  usage.input = Int(u, "input_tokens");
  usage.output = Int(u, "output_tokens");
  usage.cached = Nested(u, "input_tokens_details", "cached_tokens");
  usage.reasoning = Nested(u, "output_tokens_details", "reasoning_tokens");
  return usage;
}

bj::object UsageToResponses(const Usage& u) {
  return {{"input_tokens", u.input},
          {"input_tokens_details", bj::object{{"cached_tokens", u.cached}}},
          {"output_tokens", u.output},
          {"output_tokens_details", bj::object{{"reasoning_tokens", u.reasoning}}},
          {"total_tokens", u.input + u.output}};
}

void WriteUsageResponses(JsonWriter& w, const Usage& u) {
  w.BeginObject();
  w.IntField("input_tokens", u.input);
  w.Key("input_tokens_details");
  w.BeginObject();
  w.IntField("cached_tokens", u.cached);
  w.EndObject();
  w.IntField("output_tokens", u.output);
  w.Key("output_tokens_details");
  w.BeginObject();
  w.IntField("reasoning_tokens", u.reasoning);
  w.EndObject();
  w.IntField("total_tokens", u.input + u.output);
  w.EndObject();
}

template Usage UsageFromOpenAIChat(const bj::object&);
template Usage UsageFromOpenAIChat(const JObj&);
template Usage UsageFromAnthropic(const bj::object&);
template Usage UsageFromAnthropic(const JObj&);
template Usage UsageFromGemini(const bj::object&);
template Usage UsageFromGemini(const JObj&);
template Usage UsageFromResponses(const bj::object&);
template Usage UsageFromResponses(const JObj&);

}  // namespace omni::formats
