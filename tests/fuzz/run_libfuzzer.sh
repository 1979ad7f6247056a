#!/usr/bin/env bash
# Real fuzzing of tests/fuzz/http_request_fuzz.cc with libFuzzer + AddressSanitizer + UBSan.
#
#   tests/fuzz/run_libfuzzer.sh [SECONDS] [extra libFuzzer flags...]
#
# Builds build/fuzz/fuzz_http_request with clang++ (the target and every auth source it calls
# are compiled with coverage instrumentation, which the g++-built libraries lack), then runs it
# for SECONDS (default 60) over build/fuzz/corpus (grown across runs) seeded from
# tests/fuzz/corpus/http_request. Crashes land in build/fuzz/artifacts/; replay one with
#   build/fuzz/fuzz_http_request build/fuzz/artifacts/crash-<sha1>
# Environment: CXX_FUZZ (default clang++), FUZZ_OUT (default build/fuzz), FUZZ_JOBS (parallel
# fuzzing processes, default 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${FUZZ_OUT:-$ROOT/build/fuzz}
RUN_SECONDS=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
CXX=${CXX_FUZZ:-clang++}
JOBS=${FUZZ_JOBS:-1}

command -v "$CXX" >/dev/null || { echo "run_libfuzzer.sh: $CXX not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
mkdir -p "$OUT/corpus" "$OUT/artifacts" "$OUT/obj"

FLAGS=(-std=c++20 -g -O1 -fno-omit-frame-pointer
       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I "$ROOT/src")
SOURCES=(tests/fuzz/http_request_fuzz.cc
         src/auth/jwt.cc src/auth/hmac_sha256.cc src/auth/client_credentials.cc
         src/auth/ip_access.cc src/auth/session_manager.cc src/auth/csrf.cc src/core/random.cc)

# Incremental: recompile a source only when it is newer than its object.
objects=()
for src in "${SOURCES[@]}"; do
  obj="$OUT/obj/$(echo "$src" | tr '/' '_').o"
  objects+=("$obj")
  if [[ ! -f "$obj" || "$ROOT/$src" -nt "$obj" ]]; then
    echo "compiling $src"
    "$CXX" "${FLAGS[@]}" -c "$ROOT/$src" -o "$obj"
  fi
done
"$CXX" "${FLAGS[@]}" "${objects[@]}" -o "$OUT/fuzz_http_request" -lboost_json -lssl -lcrypto -lpthread

PARALLEL=()
# With -jobs, libFuzzer runs workers in the background and logs to $OUT/fuzz-<n>.log.
if (( JOBS > 1 )); then PARALLEL=(-jobs="$JOBS" -workers="$JOBS"); fi

echo "fuzzing for ${RUN_SECONDS}s (corpus $OUT/corpus, artifacts $OUT/artifacts)"
cd "$OUT"
exec ./fuzz_http_request -max_total_time="$RUN_SECONDS" -max_len=20000 -timeout=10 -rss_limit_mb=4096 \
  "${PARALLEL[@]}" -print_final_stats=1 \
  -dict="$ROOT/tests/fuzz/http_request.dict" -artifact_prefix="$OUT/artifacts/" \
  "$@" "$OUT/corpus" "$ROOT/tests/fuzz/corpus/http_request"
