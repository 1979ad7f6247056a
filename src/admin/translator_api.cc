// POST /api/translator/translate — the dashboard Translator's playground:
//   {"from":"anthropic","to":"openai","body":{...}}                      a request
//   {"from":"openai","to":"anthropic","kind":"response","body":{...}}    a non-stream response
//   {"from":"openai","to":"anthropic","stream":"data: ...\n\n..."}      a stream transcript
// → {"body": {...}} or {"stream": "..."}, plus "warnings": [...].
#include <boost/json.hpp>

#include "admin/admin_api.h"
#include "admin/json_fields.h"
#include "formats/stream_translator.h"
#include "formats/translate.h"
#include "providers/upstream_dialect.h"

namespace omni::admin {
namespace json = boost::json;

namespace {

Result<formats::Format> FormatField(const json::object& o, std::string_view field) {
  auto name = OptString(o, field);
  if (!name.ok()) return std::move(name).error();
  if (!*name) return FieldError(field, "is required");
  std::string_view n = **name;
  if (n == "claude") n = "anthropic";
  if (auto f = providers::WireFormat(n)) return *f;
  return FieldError(field, "must be one of openai, anthropic, gemini, responses");
}

}  // namespace

AdminApi::Reply AdminApi::Translate(std::string_view text) {
  auto o = ParseObject(text);
  if (!o.ok()) return std::move(o).error();
  auto from = FormatField(*o, "from");
  if (!from.ok()) return std::move(from).error();
  auto to = FormatField(*o, "to");
  if (!to.ok()) return std::move(to).error();
  formats::Warnings warnings;
  json::object out;

  if (const auto* stream = o->if_contains("stream")) {
    if (!stream->is_string()) return FieldError("stream", "must be the SSE transcript as a string");
    formats::StreamTranslator translator(*from, *to);
    std::string sse;
    translator.Feed(stream->as_string(), sse);
    translator.Finish(sse);
    out["stream"] = sse;
    for (auto& w : translator.warnings().items) warnings.Add(w);
  } else {
    const auto* body = o->if_contains("body");
    if (!body) return FieldError("body", "is required");
    std::string input = body->is_string() ? std::string(body->as_string()) : json::serialize(*body);
    auto kind = OptString(*o, "kind");
    if (!kind.ok()) return std::move(kind).error();
    const bool response = *kind && **kind == "response";
    if (*kind && !response && **kind != "request")
      return FieldError("kind", "must be \"request\" or \"response\"");
    formats::CodecOptions codec;
    if (auto model = OptString(*o, "model"); model.ok() && *model) codec.model = **model;
    auto translated = response ? formats::TranslateResponse(*from, *to, input, &warnings, codec)
                               : formats::TranslateRequest(*from, *to, input, &warnings, codec);
    if (!translated.ok()) return std::move(translated).error();
    boost::system::error_code ec;
    auto parsed = json::parse(*translated, ec);
    if (ec)
      out["body"] = *translated;
    else
      out["body"] = std::move(parsed);
  }
  json::array list;
  for (const auto& w : warnings.items) list.emplace_back(w);
  out["warnings"] = std::move(list);
  return JsonReply{200, json::serialize(out)};
}

}  // namespace omni::admin
