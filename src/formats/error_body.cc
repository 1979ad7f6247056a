#include "formats/error_body.h"

#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {
namespace {

std::string_view AnthropicType(int status) {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    case 504:
      return "timeout_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string_view GeminiStatus(int status) {
  switch (status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "ABORTED";
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 501:
      return "UNIMPLEMENTED";
    case 503:
    case 529:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
  }
}

std::string_view OpenAIType(int status) {
  if (status == 401) return "authentication_error";
  if (status == 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

std::string_view OpenAICode(int status) {
  switch (status) {
    case 401:
      return "invalid_api_key";
    case 404:
      return "model_not_found";
    case 429:
      return "rate_limit_exceeded";
    default:
      return "";
  }
}

}  // namespace

int ErrorStatusFor(Format format, int status) {
  if (status == 529 && format != Format::kAnthropic) return 503;
  return status;
}


std::string_view OpenAIErrorCode(const Error& e) {
  return e.code.empty() ? OpenAICode(ErrorStatusFor(Format::kOpenAIChat, e.status))
                        : std::string_view(e.code);
}

void WriteResponsesErrorMembers(JsonWriter& w, const Error& e) {
  std::string_view code = OpenAIErrorCode(e);
  w.Key("code");
  if (code.empty())
    w.Null();
  else
    w.String(code);
  w.Field("message", e.message);
}

void WriteOpenAIErrorDetail(JsonWriter& w, const Error& e) {
  int status = ErrorStatusFor(Format::kOpenAIChat, e.status);
  std::string_view code = OpenAIErrorCode(e);
  w.BeginObject();
  w.Field("message", e.message);
  w.Field("type", e.type.empty() ? OpenAIType(status) : std::string_view(e.type));
  w.Key("param");
  w.Null();
  w.Key("code");
  if (code.empty())
    w.Null();
  else
    w.String(code);
  w.EndObject();
}

void WriteErrorObject(JsonWriter& w, Format format, const Error& e) {
  int status = ErrorStatusFor(format, e.status);
  w.BeginObject();
  switch (format) {
    case Format::kAnthropic:
      w.Field("type", "error");
      w.Key("error");
      w.BeginObject();
      w.Field("type", AnthropicType(e.status));
      w.Field("message", e.message);
      w.EndObject();
      break;
    case Format::kGemini:
      w.Key("error");
      w.BeginObject();
      w.IntField("code", status);
      w.Field("message", e.message);
      w.Field("status", GeminiStatus(e.status));
      w.EndObject();
      break;
    case Format::kOpenAIChat:
    case Format::kResponses:
      w.Key("error");
      WriteOpenAIErrorDetail(w, e);
      break;
  }
  w.EndObject();
}

std::string EncodeErrorBody(Format format, const Error& error) {
  std::string out;
  JsonWriter w(out);
  WriteErrorObject(w, format, error);
  return out;
}

Error ErrorFromJson(Format format, int http_status, const JObj& body) {
  Error e;
  e.status = http_status;
  auto inner = ObjectField(body, "error");
  const JObj& o = inner ? *inner : body;  // Responses stream errors may be flat
  e.message = StringField(o, "message");
  if (format == Format::kGemini) {
    if (auto code = IntField(o, "code"); code && *code >= 400 && http_status == 200)
      e.status = static_cast<int>(*code);
    e.code = StringField(o, "status");
  } else {
    e.type = StringField(o, "type");
    if (auto code = Field(o, "code"))
      e.code = code->is_string() ? std::string(code->get_string()) : ToJson(*code);
  }
  return e;
}

Error DecodeErrorBody(Format format, int http_status, std::string_view body) {
  JsonDoc doc;
  auto parsed = doc.ParseObject(body);
  if (!parsed.ok()) {
    Error e;
    e.status = http_status;
    // Not an API error at all (an HTML page from a proxy, plain text): name the status.
    e.type = "upstream_error";
    e.code = "upstream_http_" + std::to_string(http_status);
    e.message = "upstream returned HTTP " + std::to_string(http_status);
    if (!body.empty()) e.message += ": " + std::string(body.substr(0, 2000));
    return e;
  }
  return ErrorFromJson(format, http_status, *parsed);
}

std::string TranslateErrorBody(Format from, Format to, int http_status, std::string_view body) {
  Error e = DecodeErrorBody(from, http_status, body);
  if (from != to && (from == Format::kAnthropic || from == Format::kGemini)) {
    e.type.clear();  // Anthropic/Gemini vocabularies mean nothing to other formats
    e.code.clear();
  }
  return EncodeErrorBody(to, e);
}

}  // namespace omni::formats
