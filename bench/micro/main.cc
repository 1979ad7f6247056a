// Entry point of omni_micro_bench (the benchmarks live in the other files of bench/micro/).
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
