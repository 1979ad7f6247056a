// Micro benchmarks of the gateway's per-request work: body sniffing, SSE usage sniffing,
// JSON string escaping and routing resolution.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bodies.h"
#include "core/json_text.h"
#include "gateway/request_sniffer.h"
#include "gateway/usage_sniffer.h"
#include "providers/catalog.h"
#include "routing/routing_snapshot.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "omni_micro_bench: setup check failed: %s\n", what);
    std::abort();
  }
}

void SniffBody(benchmark::State& state, const std::string& body, bool expect_stream) {
  auto first = omni::gateway::SniffRequest(body);
  Check(first.ok() && first->has_model && first->stream == expect_stream,
        "SniffRequest on bench body");
  for (auto _ : state) {
    auto r = omni::gateway::SniffRequest(body);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
}

void BM_SniffRequest_Chat1KB(benchmark::State& state) {
  static const std::string body = omni::bench::SmallChatBody();
  SniffBody(state, body, false);
}
BENCHMARK(BM_SniffRequest_Chat1KB);

void BM_SniffRequest_Agent26KB(benchmark::State& state) {
  static const std::string body = omni::bench::LargeAgentBody();
  SniffBody(state, body, true);
}
BENCHMARK(BM_SniffRequest_Agent26KB);

// Writing 26 KB of prompt text (code, newlines, quotes) as one JSON string: what every
// translated request and stream event pays per byte of text.
void BM_AppendJsonQuoted_26KB(benchmark::State& state) {
  const std::string text = omni::bench::LargeAgentBody();
  std::string out;
  for (auto _ : state) {
    out.clear();
    omni::AppendJsonQuoted(out, text);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_AppendJsonQuoted_26KB);

void BM_SseUsageSniffer_10Chunks(benchmark::State& state) {
  static const std::vector<std::string> pieces = omni::bench::SseStreamPieces();
  int64_t bytes = 0;
  for (const auto& p : pieces) bytes += static_cast<int64_t>(p.size());
  {
    omni::gateway::SseUsageSniffer s;
    for (const auto& p : pieces) s.Feed(p);
    Check(s.saw_done() && s.usage().present && s.usage().input_tokens == 231,
          "SseUsageSniffer on bench stream");
  }
  for (auto _ : state) {
    omni::gateway::SseUsageSniffer s;
    for (const auto& p : pieces) s.Feed(p);
    benchmark::DoNotOptimize(s.usage());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes);
  state.counters["stream_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_SseUsageSniffer_10Chunks);

std::shared_ptr<const omni::routing::RoutingSnapshot> BenchSnapshot() {
  std::vector<omni::store::ProviderConnection> conns;
  const char* providers[] = {"openai", "deepseek", "groq", "xai", "mistral", "kimi"};
  int n = 0;
  for (const char* p : providers) {
    for (int i = 0; i < 2; ++i, ++n) {
      omni::store::ProviderConnection c;
      c.id = "conn_" + std::to_string(1000000000000000 + n);
      c.provider = p;
      c.name = std::string(p) + "-" + std::to_string(i);
      c.priority = i + 1;
      c.secret = "sk-bench-" + std::to_string(n) + "-0000000000000000";
      if (i == 1) c.base_url = "http://127.0.0.1:8080/v1";
      conns.push_back(c);
    }
  }
  return omni::routing::RoutingSnapshot::Build(omni::providers::Catalog::BuiltIn(),
                                               std::move(conns), {});
}

void BM_RoutingResolve(benchmark::State& state) {
  static const auto snapshot = BenchSnapshot();
  const std::string model = state.range(0) == 0 ? "openai/gpt-4o-mini" : "ds/deepseek-chat";
  auto first = snapshot->Resolve(model);
  Check(first.ok() && first->connection != nullptr, "Resolve on bench snapshot");
  for (auto _ : state) {
    auto r = snapshot->Resolve(model);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_RoutingResolve)->Arg(0)->Arg(1)->ArgNames({"alias"});

void BM_RoutingResolve_UnknownProvider(benchmark::State& state) {
  static const auto snapshot = BenchSnapshot();
  const std::string model = "nope/some-model";
  Check(!snapshot->Resolve(model).ok(), "Resolve of unknown provider fails");
  for (auto _ : state) {
    auto r = snapshot->Resolve(model);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_RoutingResolve_UnknownProvider);

}  // namespace
