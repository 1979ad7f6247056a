// Fuzz target for one format's decoders (request, response, stream), selected at build time
// with OMNI_FUZZ_FORMAT (0 OpenAI Chat, 1 Anthropic, 2 Gemini, 3 Responses — formats::Format).
// Whatever the bytes, decoding must return a value or an Error, never crash; what decodes is
// also encoded into every other format and must come out as valid JSON (the encoders write
// text directly, so a misplaced comma or a bad pass-through value would show here), and
// streams are fed in two pieces split by the first byte, as an upstream's reads would split
// them.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "formats/error_body.h"
#include "formats/json_read.h"
#include "formats/stream_translator.h"
#include "formats/translate.h"
#include "gateway/request_sniffer.h"

#ifndef OMNI_FUZZ_FORMAT
#define OMNI_FUZZ_FORMAT 0
#endif

namespace {

constexpr omni::formats::Format kFormat = static_cast<omni::formats::Format>(OMNI_FUZZ_FORMAT);
constexpr omni::formats::Format kAll[] = {
    omni::formats::Format::kOpenAIChat, omni::formats::Format::kAnthropic,
    omni::formats::Format::kGemini, omni::formats::Format::kResponses};

void ExpectJsonObject(omni::Result<std::string> encoded) {
  if (!encoded.ok()) return;
  omni::formats::JsonDoc doc;
  if (!doc.ParseObject(*encoded).ok()) {
    std::fprintf(stderr, "encoder wrote invalid JSON:\n%s\n", encoded->c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace omni::formats;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)omni::gateway::SniffRequest(input);

  Warnings warnings;
  CodecOptions options;
  options.model = "fuzz-model";
  if (auto request = DecodeRequest(kFormat, input, &warnings); request.ok()) {
    for (Format to : kAll) ExpectJsonObject(EncodeRequest(to, *request, &warnings, options));
  }
  if (auto response = DecodeResponse(kFormat, input, &warnings, options); response.ok()) {
    for (Format to : kAll) ExpectJsonObject(EncodeResponse(to, *response, &warnings, options));
  }
  (void)DecodeErrorBody(kFormat, 500, input);

  const size_t split = size == 0 ? 0 : data[0] % (size + 1);
  for (Format to : kAll) {
    StreamTranslator translator(kFormat, to, options);
    std::string out;
    translator.Feed(input.substr(0, split), out);
    translator.Feed(input.substr(split), out);
    translator.Finish(out);
  }
  return 0;
}
