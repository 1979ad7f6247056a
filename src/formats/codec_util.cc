#include "formats/codec_util.h"

#include <algorithm>

#include "formats/json_read.h"
#include "formats/json_writer.h"

namespace omni::formats {

std::optional<ImagePart> ParseDataUrl(std::string_view url) {
  if (url.substr(0, 5) != "data:") return std::nullopt;
  size_t comma = url.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::string_view meta = url.substr(5, comma - 5);
  size_t semi = meta.find(';');
  if (semi == std::string_view::npos || meta.substr(semi + 1) != "base64") return std::nullopt;
  ImagePart image;
  image.media_type = std::string(meta.substr(0, semi));
  image.data = std::string(url.substr(comma + 1));
  return image;
}

std::string ImageUrl(const ImagePart& image) {
  if (image.is_url()) return image.url;
  std::string url = "data:";
  url += image.media_type.empty() ? "image/png" : image.media_type;
  url += ";base64,";
  url += image.data;
  return url;
}

std::string GuessMediaType(std::string_view url) {
  size_t q = url.find_first_of("?#");
  std::string path(url.substr(0, q));
  std::transform(path.begin(), path.end(), path.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto ends = [&](std::string_view s) {
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".png")) return "image/png";
  if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
  if (ends(".gif")) return "image/gif";
  if (ends(".webp")) return "image/webp";
  if (ends(".pdf")) return "application/pdf";
  return "";
}

namespace {
bool Known(std::initializer_list<std::string_view> known, std::string_view key) {
  return std::find(known.begin(), known.end(), key) != known.end();
}
}  // namespace


void CollectExtra(const JObj& body, std::initializer_list<std::string_view> known,
                  JsonFields& extra) {
  for (const auto& [key, value] : body)
    if (!Known(known, key)) extra.push_back({std::string(key), value.Json()});
}

const JsonField* FindExtra(const JsonFields& extra, std::string_view key) {
  for (const JsonField& f : extra)
    if (f.key == key) return &f;
  return nullptr;
}

void EraseExtra(JsonFields& extra, std::string_view key) {
  std::erase_if(extra, [&](const JsonField& f) { return f.key == key; });
}

namespace {
void WarnExtraDropped(const JsonFields& extra, Format self, Warnings& warnings,
                      std::string_view carried = {}) {
  std::string names;
  for (const JsonField& f : extra) {
    if (f.key == carried) continue;
    if (!names.empty()) names += ", ";
    names += f.key;
  }
  if (names.empty()) return;
  warnings.Add("fields without an equivalent in " + std::string(FormatName(self)) +
               " were dropped: " + names);
}
}  // namespace


void WriteExtra(JsonWriter& out, const JsonFields& extra, std::optional<Format> extra_format,
                Format self, Warnings& warnings, std::string_view carried) {
  if (extra.empty()) return;
  if (extra_format != self) return WarnExtraDropped(extra, self, warnings, carried);
  for (const JsonField& f : extra) {
    if (out.WroteTopLevelKey(f.key)) continue;
    out.Key(f.key);
    out.Raw(f.json);
  }
}

void WarnDropped(Warnings& warnings, std::string_view what, Format target) {
  warnings.Add(std::string(what) + " has no equivalent in " + std::string(FormatName(target)) +
               "; dropped");
}

std::string DescribeOpaque(const OpaquePart& part) {
  std::string type;
  JsonDoc doc;
  if (auto o = doc.ParseObject(part.json); o.ok()) type = StringField(*o, "type");
  return "a " + std::string(FormatName(part.format)) + " element of type '" + std::string(type) +
         "'";
}

std::string_view ArgumentsObjectJson(const ToolCallPart& call, Warnings& warnings) {
  if (call.arguments_json.empty()) return "{}";
  JsonDoc doc;
  auto parsed = doc.Parse(call.arguments_json);
  if (parsed.ok() && parsed->is_object()) return call.arguments_json;
  warnings.Add("tool call " + call.id + " (" + call.name +
               ") has arguments that are not a JSON object; sent as {}");
  return "{}";
}


std::string_view OpenAIToolChoiceWord(ToolChoice::Mode mode) {
  switch (mode) {
    case ToolChoice::Mode::kAuto:
      return "auto";
    case ToolChoice::Mode::kNone:
      return "none";
    case ToolChoice::Mode::kRequired:
      return "required";
    case ToolChoice::Mode::kTool:
      break;
  }
  return "";
}

}  // namespace omni::formats
