#include "formats/translate.h"

#include <algorithm>

#include "formats/codecs.h"
#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {

Result<Request> DecodeRequest(Format format, std::string_view body, Warnings* warnings) {
  JsonDoc doc;
  auto parsed = doc.ParseObject(body);
  if (!parsed.ok()) return std::move(parsed).error();
  return DecodeRequest(format, *parsed, warnings);
}

Result<Request> DecodeRequest(Format format, const JObj& body, Warnings* warnings) {
  Warnings local;
  Warnings& w = warnings ? *warnings : local;
  switch (format) {
    case Format::kOpenAIChat:
      return DecodeOpenAIChatRequest(body, w);
    case Format::kAnthropic:
      return DecodeAnthropicRequest(body, w);
    case Format::kGemini:
      return DecodeGeminiRequest(body, w);
    case Format::kResponses:
      return DecodeResponsesRequest(body, w);
  }
  return Error::Internal("unknown format");
}

Result<std::string> EncodeRequest(Format format, const Request& request, Warnings* warnings,
                                  const CodecOptions& options) {
  Warnings local;
  Warnings& w = warnings ? *warnings : local;
  std::string out;
  out.reserve(std::max<size_t>(options.size_hint + options.size_hint / 8, 4096));
  JsonWriter writer(out, JsonStyle::kCompact, JsonTail::kOwned);
  switch (format) {
    case Format::kOpenAIChat:
      EncodeOpenAIChatRequest(request, writer, w, options);
      break;
    case Format::kAnthropic:
      EncodeAnthropicRequest(request, writer, w, options);
      break;
    case Format::kGemini:
      EncodeGeminiRequest(request, writer, w, options);
      break;
    case Format::kResponses:
      EncodeResponsesRequest(request, writer, w, options);
      break;
  }
  writer.Finish();  // before `out` is moved out (the destructor would run after)
  return out;
}

Result<Response> DecodeResponse(Format format, std::string_view body, Warnings* warnings,
                                const CodecOptions& options) {
  Warnings local;
  Warnings& w = warnings ? *warnings : local;
  JsonDoc doc;
  auto parsed = doc.ParseObject(body);
  if (!parsed.ok()) {
    Error e = std::move(parsed).error();
    return Error::Upstream(502, "upstream answer is not valid JSON: " + e.message,
                           "bad_upstream_body");
  }
  switch (format) {
    case Format::kOpenAIChat:
      return DecodeOpenAIChatResponse(*parsed, w);
    case Format::kAnthropic:
      return DecodeAnthropicResponse(*parsed, w);
    case Format::kGemini:
      return DecodeGeminiResponse(*parsed, w, options.Ids());
    case Format::kResponses:
      return DecodeResponsesResponse(*parsed, w);
  }
  return Error::Internal("unknown format");
}

Result<std::string> EncodeResponse(Format format, const Response& response, Warnings* warnings,
                                   const CodecOptions& options) {
  Warnings local;
  Warnings& w = warnings ? *warnings : local;
  std::string out;
  JsonWriter writer(out);
  switch (format) {
    case Format::kOpenAIChat:
      EncodeOpenAIChatResponse(response, writer, w, options);
      break;
    case Format::kAnthropic:
      EncodeAnthropicResponse(response, writer, w, options);
      break;
    case Format::kGemini:
      EncodeGeminiResponse(response, writer, w, options);
      break;
    case Format::kResponses:
      EncodeResponsesResponse(response, writer, w, options);
      break;
  }
  return out;
}

Result<std::string> TranslateRequest(Format from, Format to, std::string_view body,
                                     Warnings* warnings, const CodecOptions& options) {
  auto request = DecodeRequest(from, body, warnings);
  if (!request.ok()) return std::move(request).error();
  CodecOptions sized = options;
  if (sized.size_hint == 0) sized.size_hint = body.size();
  return EncodeRequest(to, *request, warnings, sized);
}

Result<std::string> TranslateResponse(Format from, Format to, std::string_view body,
                                      Warnings* warnings, const CodecOptions& options) {
  auto response = DecodeResponse(from, body, warnings, options);
  if (!response.ok()) return std::move(response).error();
  return EncodeResponse(to, *response, warnings, options);
}

}  // namespace omni::formats
