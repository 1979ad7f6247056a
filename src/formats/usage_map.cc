#include "formats/usage_map.h"

#include <algorithm>

#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {
namespace {

int64_t Int(const JObj& o, std::string_view key) { return IntField(o, key).value_or(0); }

int64_t Nested(const JObj& o, std::string_view object, std::string_view key) {
  auto inner = ObjectField(o, object);
  return inner ? Int(*inner, key) : 0;
}

}  // namespace

Usage UsageFromOpenAIChat(const JObj& u) {
  Usage usage;
  usage.present = true;
  usage.input = Int(u, "prompt_tokens");
  usage.output = Int(u, "completion_tokens");
  usage.cached = Nested(u, "prompt_tokens_details", "cached_tokens");
  if (usage.cached == 0) usage.cached = Int(u, "prompt_cache_hit_tokens");  // DeepSeek
  usage.reasoning = Nested(u, "completion_tokens_details", "reasoning_tokens");
  return usage;
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

Usage UsageFromAnthropic(const JObj& u) {
  Usage usage;
  usage.present = true;
  usage.cached = Int(u, "cache_read_input_tokens");
  usage.cache_write = Int(u, "cache_creation_input_tokens");
  usage.input = Int(u, "input_tokens") + usage.cached + usage.cache_write;
  usage.output = Int(u, "output_tokens");
  return usage;
}


void WriteUsageAnthropic(JsonWriter& w, const Usage& u) {
  w.BeginObject();
  w.IntField("input_tokens", std::max<int64_t>(0, u.input - u.cached - u.cache_write));
  w.IntField("cache_creation_input_tokens", u.cache_write);
  w.IntField("cache_read_input_tokens", u.cached);
  w.IntField("output_tokens", u.output);
  w.EndObject();
}

Usage UsageFromGemini(const JObj& u) {
  Usage usage;
  usage.present = true;
  usage.input = Int(u, "promptTokenCount") + Int(u, "toolUsePromptTokenCount");
  usage.reasoning = Int(u, "thoughtsTokenCount");
  usage.output = Int(u, "candidatesTokenCount") + usage.reasoning;
  usage.cached = Int(u, "cachedContentTokenCount");
  return usage;
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

Usage UsageFromResponses(const JObj& u) {
  Usage usage;
  usage.present = true;
  usage.input = Int(u, "input_tokens");
  usage.output = Int(u, "output_tokens");
  usage.cached = Nested(u, "input_tokens_details", "cached_tokens");
  usage.reasoning = Nested(u, "output_tokens_details", "reasoning_tokens");
  return usage;
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


}  // namespace omni::formats
