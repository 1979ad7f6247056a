// Gemini generateContent requests, encode half (IR → wire); gemini_request.cc decodes. The
// model is in the URL, not the body: encode never writes it.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>

#include "formats/codec_util.h"
#include "formats/codecs.h"
#include "formats/reasoning_map.h"
#include "formats/request_normalize.h"
#include "formats/schema_cleanup.h"

namespace omni::formats {
namespace {

constexpr Format kSelf = Format::kGemini;
// Google's documented placeholder for function calls in history that Gemini did not sign
// (history synthesized from another format); Gemini 3 rejects unsigned calls otherwise.
constexpr std::string_view kSkipSignature = "skip_thought_signature_validator";

void WriteImagePart(JsonWriter& w, const ImagePart& image) {
  w.BeginObject();
  if (image.is_url()) {
    std::string_view mime = image.media_type;
    std::string guessed;
    if (mime.empty()) mime = guessed = GuessMediaType(image.url);
    if (mime.empty()) mime = "image/jpeg";
    w.Key("fileData");
    w.BeginObject();
    w.Field("mimeType", mime);
    w.Field("fileUri", image.url);
    w.EndObject();
  } else {
    w.Key("inlineData");
    w.BeginObject();
    w.Field("mimeType", image.media_type);
    w.Field("data", image.data);
    w.EndObject();
  }
  w.EndObject();
}

bool IsJsonObjectText(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || text[start] != '{') return false;  // skips the parse
  JsonDoc doc;
  auto parsed = doc.Parse(text);
  return parsed.ok() && parsed->is_object();
}

// Gemini requires an object: a JSON object result as is, other text wrapped.
void WriteFunctionResponse(JsonWriter& w, const ToolResultPart& r) {
  std::string text = ToolResultText(r);
  bool object = IsJsonObjectText(text);
  if (r.is_error) {
    w.BeginObject();
    w.Key("error");
    object ? w.Raw(text) : w.String(text);
    w.EndObject();
  } else if (object) {
    w.Raw(text);
  } else {
    w.BeginObject();
    w.Field("result", text);
    w.EndObject();
  }
}

// Writes the contents array, merging consecutive messages of one role into one content (a
// message opens a content only once it has a part to put in it).
class ContentsWriter {
 public:
  ContentsWriter(JsonWriter& w, bool sign_calls, Warnings& warnings)
      : w_(w), sign_calls_(sign_calls), warnings_(warnings) {}

  void Add(const Message& m) {
    role_ = m.role == Role::kAssistant ? "model" : "user";
    for (const Part& p : m.parts) {
      if (auto* t = std::get_if<TextPart>(&p)) {
        if (t->text.empty()) continue;
        BeginPart();
        w_.Field("text", t->text);
        w_.EndObject();
      } else if (auto* i = std::get_if<ImagePart>(&p)) {
        Open();
        WriteImagePart(w_, *i);
      } else if (auto* c = std::get_if<ToolCallPart>(&p)) {
        if (m.role == Role::kAssistant) ToolCall(*c);
      } else if (auto* r = std::get_if<ToolResultPart>(&p)) {
        ToolResult(*r);
      } else if (auto* th = std::get_if<ThinkingPart>(&p)) {
        if (m.role != Role::kAssistant || th->origin != kSelf) continue;
        BeginPart();
        w_.Field("text", th->text);
        w_.BoolField("thought", true);
        if (!th->signature.empty()) w_.Field("thoughtSignature", th->signature);
        w_.EndObject();
      } else if (auto* o = std::get_if<OpaquePart>(&p)) {
        if (o->format == kSelf) {
          Open();
          w_.Raw(o->json);
        } else {
          WarnDropped(warnings_, DescribeOpaque(*o), kSelf);
        }
      }
    }
  }

  void Finish() {
    if (!open_.empty()) Close();
  }

 private:
  // Makes the current message's content the open one.
  void Open() {
    if (open_ == role_) return;
    if (!open_.empty()) Close();
    w_.BeginObject();
    w_.Field("role", role_);
    w_.Key("parts");
    w_.BeginArray();
    open_ = role_;
  }
  void Close() {
    w_.EndArray();
    w_.EndObject();
  }
  void BeginPart() {
    Open();
    w_.BeginObject();
  }

  void ToolCall(const ToolCallPart& c) {
    BeginPart();
    w_.Key("functionCall");
    w_.BeginObject();
    w_.Field("name", c.name);
    w_.Key("args");
    w_.Raw(ArgumentsObjectJson(c, warnings_));
    w_.EndObject();
    if (c.signature_origin == kSelf && !c.signature.empty())
      w_.Field("thoughtSignature", c.signature);
    else if (sign_calls_)
      w_.Field("thoughtSignature", kSkipSignature);
    w_.EndObject();
  }

  void ToolResult(const ToolResultPart& r) {
    std::string_view name = r.name;
    if (name.empty()) {
      warnings_.Add("tool result " + r.tool_call_id +
                    " has no matching call; named 'unknown_tool'");
      name = "unknown_tool";
    }
    BeginPart();
    w_.Key("functionResponse");
    w_.BeginObject();
    w_.Field("name", name);
    w_.Key("response");
    WriteFunctionResponse(w_, r);
    w_.EndObject();
    w_.EndObject();
    for (const ToolResultContent& c : r.content) {
      if (auto* image = std::get_if<ImagePart>(&c)) {
        WriteImagePart(w_, *image);
        warnings_.Add(
            "an image in a tool result was sent as a separate part after the functionResponse");
      }
    }
  }

  JsonWriter& w_;
  bool sign_calls_;
  Warnings& warnings_;
  std::string_view role_;  // of the message being written
  std::string_view open_;  // of the open content; "" before the first
};

void WriteFunctionDeclaration(JsonWriter& w, const Tool& t) {
  w.BeginObject();
  w.Field("name", t.name);
  if (!t.description.empty()) w.Field("description", t.description);
  if (!t.parameters.empty()) {
    if (std::string_view cleaned = GeminiParametersFor(t.parameters); !cleaned.empty()) {
      w.Key("parameters");
      w.Raw(cleaned);
    }
  }
  w.EndObject();
}

// Function tools go into one functionDeclarations entry, placed where the first one was.
void WriteTools(JsonWriter& w, const std::vector<Tool>& tools, Warnings& warnings) {
  auto written = [](const Tool& t) {
    return t.kind == ToolKind::kFunction || t.raw_format == kSelf || t.kind == ToolKind::kWebSearch;
  };
  bool any = std::any_of(tools.begin(), tools.end(), written);
  if (any) {
    w.Key("tools");
    w.BeginArray();
  }
  bool declared = false;
  for (const Tool& t : tools) {
    if (t.kind == ToolKind::kFunction) {
      if (declared) continue;
      declared = true;
      w.BeginObject();
      w.Key("functionDeclarations");
      w.BeginArray();
      for (const Tool& f : tools)
        if (f.kind == ToolKind::kFunction) WriteFunctionDeclaration(w, f);
      w.EndArray();
      w.EndObject();
    } else if (t.raw_format == kSelf) {
      w.Raw(t.raw);
    } else if (t.kind == ToolKind::kWebSearch) {
      w.BeginObject();
      w.Key("googleSearch");
      w.BeginObject();
      w.EndObject();
      w.EndObject();
    } else {
      WarnDropped(warnings, "server tool '" + t.name + "'", kSelf);
    }
  }
  if (any) w.EndArray();
}

void WriteToolConfig(JsonWriter& w, const ToolChoice& choice) {
  w.Key("toolConfig");
  w.BeginObject();
  w.Key("functionCallingConfig");
  w.BeginObject();
  switch (choice.mode) {
    case ToolChoice::Mode::kAuto:
      w.Field("mode", "AUTO");
      break;
    case ToolChoice::Mode::kNone:
      w.Field("mode", "NONE");
      break;
    case ToolChoice::Mode::kRequired:
      w.Field("mode", "ANY");
      break;
    case ToolChoice::Mode::kTool:
      w.Field("mode", "ANY");
      w.Key("allowedFunctionNames");
      w.BeginArray();
      w.String(choice.name);
      w.EndArray();
      break;
  }
  w.EndObject();
  w.EndObject();
}

// generationConfig is opened by its first member, so an empty one is never written.
class GenerationConfigWriter {
 public:
  explicit GenerationConfigWriter(JsonWriter& w) : w_(w) {}

  void Key(std::string_view key) {
    if (count_ == 0) {
      w_.Key("generationConfig");
      w_.BeginObject();
    }
    if (count_ < std::size(keys_)) keys_[count_] = key;
    ++count_;
    w_.Key(key);
  }
  bool Wrote(std::string_view key) const {
    for (size_t i = 0; i < count_ && i < std::size(keys_); ++i)
      if (keys_[i] == key) return true;
    return false;
  }
  bool open() const { return count_ > 0; }
  void Finish() {
    if (count_ > 0) w_.EndObject();
  }

 private:
  JsonWriter& w_;
  std::string_view keys_[6];  // the ones set from the IR (pass-through keys come after)
  size_t count_ = 0;
};

void WriteGenerationConfig(JsonWriter& w, const Request& r, GenerationConfigWriter& gc) {
  if (r.sampling.temperature) {
    gc.Key("temperature");
    w.Double(*r.sampling.temperature);
  }
  if (r.sampling.top_p) {
    gc.Key("topP");
    w.Double(*r.sampling.top_p);
  }
  if (r.sampling.top_k) {
    gc.Key("topK");
    w.Int(*r.sampling.top_k);
  }
  if (r.sampling.max_tokens) {
    gc.Key("maxOutputTokens");
    w.Int(*r.sampling.max_tokens);
  }
  if (!r.sampling.stop.empty()) {
    gc.Key("stopSequences");
    w.BeginArray();
    for (const std::string& s : r.sampling.stop) w.String(s);
    w.EndArray();
  }
  if (r.reasoning) {
    gc.Key("thinkingConfig");
    w.BeginObject();
    if (!r.reasoning->enabled) {
      w.IntField("thinkingBudget", 0);
    } else if (r.extra_format == kSelf && !r.reasoning->budget_tokens &&
               !r.reasoning->effort.empty()) {
      w.Field("thinkingLevel", r.reasoning->effort);  // Gemini 3 levels, as the client sent them
    } else {
      w.IntField("thinkingBudget", EffectiveBudget(*r.reasoning));
    }
    if (WantsThoughts(r)) w.BoolField("includeThoughts", true);
    w.EndObject();
  }
  // Gemini-only generationConfig fields the decoder kept aside.
  if (r.extra_format != kSelf) return;
  const JsonField* more = FindExtra(r.extra, "generationConfig");
  if (!more) return;
  JsonDoc doc;
  auto parsed = doc.ParseObject(more->json);
  if (!parsed.ok()) return;
  for (auto [key, value] : *parsed) {
    if (gc.Wrote(key)) continue;
    gc.Key(key);
    w.Raw(value.Json());
  }
}

}  // namespace

void EncodeGeminiRequest(const Request& r, JsonWriter& out, Warnings& w,
                         const CodecOptions& options) {
  std::string_view model = options.model.empty() ? std::string_view(r.model) : options.model;
  bool thinking = r.reasoning && r.reasoning->enabled;
  bool sign_calls = thinking || model.substr(0, 8) == "gemini-3";
  out.BeginObject();
  if (!r.system.empty()) {
    out.Key("systemInstruction");
    out.BeginObject();
    out.Key("parts");
    out.BeginArray();
    for (const TextPart& t : r.system) {
      if (t.text.empty()) continue;
      out.BeginObject();
      out.Field("text", t.text);
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
  }
  out.Key("contents");
  out.BeginArray();
  ContentsWriter contents(out, sign_calls, w);
  for (const Message& m : r.messages) contents.Add(m);
  contents.Finish();
  out.EndArray();

  WriteTools(out, r.tools, w);
  bool has_functions = std::any_of(r.tools.begin(), r.tools.end(),
                                   [](const Tool& t) { return t.kind == ToolKind::kFunction; });
  if (r.tool_choice && has_functions) WriteToolConfig(out, *r.tool_choice);

  GenerationConfigWriter gc(out);
  WriteGenerationConfig(out, r, gc);
  gc.Finish();
  // The generationConfig pass-through was merged above; skip it (WriteExtra skips it too
  // once generationConfig is written).
  if (r.extra_format == kSelf && !gc.open() && FindExtra(r.extra, "generationConfig")) {
    JsonFields extra = r.extra;
    EraseExtra(extra, "generationConfig");
    WriteExtra(out, extra, r.extra_format, kSelf, w);
  } else {
    WriteExtra(out, r.extra, r.extra_format, kSelf, w);
  }
  out.EndObject();
}

}  // namespace omni::formats
