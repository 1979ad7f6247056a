// Translation hub costs (issue "four formats"): a ~26 KB Claude-Code-like request in each of the
// 12 directions (target ≤ 50 µs), and a 10-event stream translated event by event (reported per
// SSE event). Source bodies in each format are produced once from the OpenAI one.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "bodies.h"
#include "formats/json_read.h"
#include "formats/stream_translator.h"
#include "formats/translate.h"

namespace {

using omni::formats::Format;
constexpr std::array<Format, 4> kFormats = {Format::kOpenAIChat, Format::kAnthropic,
                                            Format::kGemini, Format::kResponses};

const std::string& RequestIn(Format f) {
  static const std::array<std::string, 4> bodies = [] {
    std::array<std::string, 4> out;
    const std::string openai = omni::bench::LargeAgentBody();
    omni::formats::CodecOptions options;
    options.model = "claude-sonnet-4-5";
    for (size_t i = 0; i < 4; ++i) {
      omni::formats::Warnings w;
      auto r = i == 0 ? omni::Result<std::string>(openai)
                      : omni::formats::TranslateRequest(Format::kOpenAIChat, kFormats[i], openai,
                                                        &w, options);
      out[i] = r.ok() ? *r : openai;
    }
    return out;
  }();
  return bodies[static_cast<size_t>(f)];
}

const std::string& StreamIn(Format f) {
  static const std::array<std::string, 4> streams = [] {
    std::array<std::string, 4> out;
    std::string openai;
    for (const auto& p : omni::bench::SseStreamPieces()) openai += p;
    for (size_t i = 0; i < 4; ++i) {
      omni::formats::StreamTranslator t(Format::kOpenAIChat, kFormats[i]);
      std::string s;
      t.Feed(openai, s);
      t.Finish(s);
      out[i] = i == 0 ? openai : s;
    }
    return out;
  }();
  return streams[static_cast<size_t>(f)];
}

void BM_TranslateRequest26KB(benchmark::State& state) {
  const Format from = kFormats[static_cast<size_t>(state.range(0))];
  const Format to = kFormats[static_cast<size_t>(state.range(1))];
  const std::string& body = RequestIn(from);
  omni::formats::CodecOptions options;
  options.model = "target-model";
  for (auto _ : state) {
    omni::formats::Warnings w;
    auto out = omni::formats::TranslateRequest(from, to, body, &w, options);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.SetLabel(std::string(omni::formats::FormatName(from)) + "->" +
                 std::string(omni::formats::FormatName(to)) + " " +
                 std::to_string(body.size() / 1024) + "KB");
}

// What translation adds to a request in the gateway: the body is parsed anyway (the sniff
// validates it and reads the model for every request, translated or not), and the decoder
// reads that same document. So: decode from the parsed document + encode.
void BM_TranslateParsedRequest26KB(benchmark::State& state) {
  const Format from = kFormats[static_cast<size_t>(state.range(0))];
  const Format to = kFormats[static_cast<size_t>(state.range(1))];
  const std::string& body = RequestIn(from);
  omni::formats::JsonDoc doc;
  auto root = doc.ParseObject(body);
  if (!root.ok()) {
    state.SkipWithError("body does not parse");
    return;
  }
  omni::formats::CodecOptions options;
  options.model = "target-model";
  options.size_hint = body.size();
  for (auto _ : state) {
    omni::formats::Warnings w;
    auto ir = omni::formats::DecodeRequest(from, *root, &w);
    auto out = omni::formats::EncodeRequest(to, *ir, &w, options);
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(std::string(omni::formats::FormatName(from)) + "->" +
                 std::string(omni::formats::FormatName(to)));
}

// The two halves of a request translation: wire → IR (parse + decode) and IR → wire.
void BM_DecodeRequest26KB(benchmark::State& state) {
  const Format from = kFormats[static_cast<size_t>(state.range(0))];
  const std::string& body = RequestIn(from);
  for (auto _ : state) {
    omni::formats::Warnings w;
    auto ir = omni::formats::DecodeRequest(from, body, &w);
    benchmark::DoNotOptimize(ir);
  }
  state.SetLabel(std::string(omni::formats::FormatName(from)));
}

void BM_EncodeRequest26KB(benchmark::State& state) {
  const Format to = kFormats[static_cast<size_t>(state.range(0))];
  omni::formats::Warnings w;
  auto ir = omni::formats::DecodeRequest(Format::kAnthropic, RequestIn(Format::kAnthropic), &w);
  omni::formats::CodecOptions options;
  options.model = "target-model";
  for (auto _ : state) {
    omni::formats::Warnings w2;
    auto out = omni::formats::EncodeRequest(to, *ir, &w2, options);
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(std::string(omni::formats::FormatName(to)));
}

void BM_TranslateStreamPerEvent(benchmark::State& state) {
  const Format from = kFormats[static_cast<size_t>(state.range(0))];
  const Format to = kFormats[static_cast<size_t>(state.range(1))];
  const std::string& stream = StreamIn(from);
  size_t events = 0;
  for (size_t pos = stream.find("\n\n"); pos != std::string::npos;
       pos = stream.find("\n\n", pos + 2))
    ++events;
  std::string out;
  for (auto _ : state) {
    omni::formats::StreamTranslator t(from, to);
    out.clear();
    t.Feed(stream, out);
    t.Finish(out);
    benchmark::DoNotOptimize(out);
  }
  // Time per upstream SSE event.
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * std::max<size_t>(events, 1)));
  state.SetLabel(std::string(omni::formats::FormatName(from)) + "->" +
                 std::string(omni::formats::FormatName(to)));
}

void AllDirections(benchmark::internal::Benchmark* b) {
  for (int from = 0; from < 4; ++from)
    for (int to = 0; to < 4; ++to)
      if (from != to) b->Args({from, to});
}

}  // namespace

// Request rows: 5 repetitions, reported as median and min. This VM's speed drifts within
// minutes; interference only ever adds time, so the min is the steadiest estimate of the cost.
void Repeated(benchmark::internal::Benchmark* b) {
  AllDirections(b);
  b->Repetitions(5)
      ->ReportAggregatesOnly(true)
      ->ComputeStatistics("min",
                          [](const std::vector<double>& v) {
                            return *std::min_element(v.begin(), v.end());
                          })
      ->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_TranslateRequest26KB)->Apply(Repeated);
BENCHMARK(BM_TranslateParsedRequest26KB)->Apply(Repeated);
BENCHMARK(BM_DecodeRequest26KB)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EncodeRequest26KB)->DenseRange(0, 3)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TranslateStreamPerEvent)->Apply(AllDirections)->Unit(benchmark::kMicrosecond);
