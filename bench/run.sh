#!/usr/bin/env bash
# OmniRoute end-to-end benchmark (`make bench` runs `bench/run.sh build/release`).
#
# One run measures, against a fixed-answer nginx "upstream" (1 KB chat.completion JSON, or a
# 10-chunk SSE stream):
#   direct   wrk -> upstream
#   nginx    wrk -> nginx reverse proxy (keep-alive upstream) -> upstream   (reference hop)
#   gateway  wrk -> omniroute -> upstream
# at concurrency 1 and 64, non-stream and stream: p50/p99 latency, req/s, latency added over
# direct, CPU µs per proxied request (utime+stime of the proxy's processes), RSS idle/peak
# and start-to-ready time of the gateway; plus translated-stream (an Anthropic Messages client
# on /v1/messages, translated to and from the same OpenAI SSE upstream) against the gateway's
# passthrough stream; then the micro benchmarks. Prints a table and writes bench/RESULTS.md.
# See bench/README.md.
#
# Usage: bench/run.sh [BUILD_DIR]      (default build/release)
# Env:   BENCH_SECONDS (8, per target/mode/concurrency)  BENCH_ROUNDS (4)
#        BENCH_WARMUP_SECONDS (2)  BENCH_STARTS (5)
#        BENCH_RESULTS (bench/RESULTS.md; "-" = do not write)  BENCH_SKIP_MICRO (0)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)
BUILD_DIR=${1:-build/release}
[[ $BUILD_DIR = /* ]] || BUILD_DIR="$PWD/$BUILD_DIR"
GATEWAY_BIN="$BUILD_DIR/omniroute"
MICRO_BIN="$BUILD_DIR/bench/omni_micro_bench"
SECONDS_PER_RUN=${BENCH_SECONDS:-8}
ROUNDS=${BENCH_ROUNDS:-4}
WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-2}
STARTS=${BENCH_STARTS:-5}
RESULTS_FILE=${BENCH_RESULTS:-$SCRIPT_DIR/RESULTS.md}
SKIP_MICRO=${BENCH_SKIP_MICRO:-0}

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
NGINX_BIN=$(command -v nginx || true)
[[ -z $NGINX_BIN && -x /usr/sbin/nginx ]] && NGINX_BIN=/usr/sbin/nginx
[[ -n $NGINX_BIN ]] || die "nginx not found (apt-get install nginx-light, or: make setup)"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk, or: make setup)"
command -v curl >/dev/null || die "curl not found"
[[ -x $GATEWAY_BIN ]] || die "$GATEWAY_BIN not found: build Release first (make build)"
((BASH_VERSINFO[0] >= 5)) || die "bash 5 needed (EPOCHREALTIME)"
CLK_TCK=$(getconf CLK_TCK)
LOAD_BEFORE=$(cut -d" " -f1-3 /proc/loadavg)
cpu_busy_pct() {  # % of all CPUs busy over the next second (from /proc/stat)
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; idle = y[2] - x[2];
    printf "%d", (busy + idle > 0) ? 100 * busy / (busy + idle) : 0 }'
}
BUSY_BEFORE=$(cpu_busy_pct)  # before this script starts anything: other work on the machine

# ---------------------------------------------------------------- process bookkeeping
TMP=$(mktemp -d "${TMPDIR:-/tmp}/omni-bench.XXXXXX")
PIDS=()
cleanup() {
  local rc=$? pid i
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_pid() {  # stop_pid PID: TERM, wait (max 2.5 s), KILL; forget it
  local pid=$1 i keep=() p
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# ---------------------------------------------------------------- helpers
USED_PORTS=" "
free_port() {  # a TCP port no socket in /proc/net/tcp{,6} uses and this script has not handed out
  local port hex
  while :; do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    [[ $USED_PORTS == *" $port "* ]] && continue
    printf -v hex ':%04X ' "$port"
    if ! grep -qs -- "$hex" /proc/net/tcp /proc/net/tcp6; then
      USED_PORTS+="$port "
      echo "$port"
      return
    fi
  done
}

wait_http() {  # wait_http URL PID: until URL answers (any status) or PID dies; 10 s max
  local url=$1 pid=$2 i
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    curl -s -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.05
  done
  return 1
}

cpu_ticks() {  # cpu_ticks PID...: sum of utime+stime (clock ticks) of the given processes
  local total=0 pid stat f
  for pid in "$@"; do
    stat=$(<"/proc/$pid/stat") || continue
    read -r -a f <<<"${stat##*) }"  # fields from #3 (state) on; comm may hold spaces
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

status_kb() {  # status_kb FIELD PID...: sum of a /proc/PID/status field (kB), e.g. VmRSS
  local field=$1 pid total=0 v
  shift
  for pid in "$@"; do
    v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# Connections the upstream nginx has accepted so far (stub_status): shows whether a proxy
# reuses its upstream connections (keep-alive) or opens one per request.
upstream_accepts() { { curl -s --max-time 2 "http://127.0.0.1:$UP_STATUS/status" || true; } | awk 'NR == 3 { print $1 }'; }

nginx_pids() { echo "$1" $(pgrep -P "$1" || true); }  # master + its workers

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# ---------------------------------------------------------------- fixed upstream answers
CONTENT="Added latency in a proxy usually comes from three places: the extra network hop (a loopback round trip and the kernel work of a second connection), parsing and re-serialising the message, and scheduling delays when worker threads are busy. On a small machine the last one dominates at high concurrency, because the proxy, the upstream and the load generator all share the same cores. Measure the hop against a known-good reference, such as nginx with keep-alive upstream connections, and report p50 and p99 separately: the median shows the per-request work, the tail shows queueing."
JSON_BODY='{"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench0000","choices":[{"index":0,"message":{"role":"assistant","content":"'"$CONTENT"'","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":231,"completion_tokens":112,"total_tokens":343,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}'
SSE_HEAD='data: {"id":"chatcmpl-bench0000000000000000000002","object":"chat.completion.chunk","created":1700000000,"model":"llama-3.3-70b-versatile","system_fingerprint":"fp_bench0000","choices":[{"index":0,"delta":'
SSE_BODY="$SSE_HEAD"'{"role":"assistant","content":""},"finish_reason":null}]}'$'\n\n'
for word in "Added" " latency" " comes" " from" " the" " extra" " hop."; do
  SSE_BODY+="$SSE_HEAD"'{"content":"'"$word"'"},"finish_reason":null}]}'$'\n\n'
done
SSE_BODY+="$SSE_HEAD"'{},"finish_reason":"stop"}],"usage":{"prompt_tokens":231,"completion_tokens":7,"total_tokens":238}}'$'\n\n'
SSE_BODY+='data: [DONE]'$'\n\n'
for body in "$JSON_BODY" "$SSE_BODY"; do
  [[ $body != *[\'\$\\]* ]] || die "fixed bodies must not contain quote, dollar or backslash (nginx return text)"
done

# ---------------------------------------------------------------- nginx configs
NGINX_USER=""
[[ $(id -u) == 0 ]] && NGINX_USER="user $(id -un) $(id -gn);"

nginx_common() {  # nginx_common NAME WORKERS
  local dir="$TMP/$1"
  mkdir -p "$dir"
  cat <<EOF
$NGINX_USER
daemon off;
master_process on;
worker_processes $2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
EOF
}

nginx_http_common() {  # nginx_http_common NAME
  local dir="$TMP/$1"
  cat <<EOF
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  client_body_temp_path $dir/client_body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
EOF
}

write_upstream_conf() {  # PORT_NONSTREAM PORT_STREAM PORT_STATUS
  {
    nginx_common upstream 1
    echo "http {"
    nginx_http_common upstream
    cat <<EOF
  server {
    listen 127.0.0.1:$1;
    location = /v1/chat/completions { default_type application/json; return 200 '$JSON_BODY'; }
    location / { return 404; }
  }
  server {
    listen 127.0.0.1:$2;
    location = /v1/chat/completions { default_type text/event-stream; return 200 '$SSE_BODY'; }
    location / { return 404; }
  }
  server {
    listen 127.0.0.1:$3;
    location = /status { stub_status; }
  }
}
EOF
  } >"$TMP/upstream.conf"
}

write_proxy_conf() {  # PORT_NONSTREAM PORT_STREAM UPSTREAM_NONSTREAM UPSTREAM_STREAM
  {
    nginx_common proxy 2
    echo "http {"
    nginx_http_common proxy
    cat <<EOF
  upstream up_nonstream { server 127.0.0.1:$3; keepalive 128; keepalive_requests 1000000; }
  upstream up_stream { server 127.0.0.1:$4; keepalive 128; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$1;
    location / {
      proxy_pass http://up_nonstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:$2;
    location / {
      proxy_pass http://up_stream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
  } >"$TMP/proxy.conf"
}

start_nginx() {  # start_nginx NAME CONF PROBE_PORT -> sets NGINX_PID (0 on failure)
  local name=$1 conf=$2 port=$3
  NGINX_PID=0
  "$NGINX_BIN" -p "$TMP/$name" -e "$TMP/$name/error.log" -c "$conf" </dev/null >>"$TMP/$name.out" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  if wait_http "http://127.0.0.1:$port/" "$pid"; then
    NGINX_PID=$pid
  else
    stop_pid "$pid"
  fi
}

# ---------------------------------------------------------------- start the upstream + nginx hop
for attempt in 1 2 3 4 5; do
  UP_NS=$(free_port); UP_S=$(free_port); UP_STATUS=$(free_port)
  write_upstream_conf "$UP_NS" "$UP_S" "$UP_STATUS"
  start_nginx upstream "$TMP/upstream.conf" "$UP_NS"
  ((NGINX_PID)) && break
  log "upstream nginx did not start (attempt $attempt): $(tail -n 3 "$TMP/upstream.out" "$TMP/upstream/error.log" 2>/dev/null)"
done
((NGINX_PID)) || die "could not start the upstream nginx"
UPSTREAM_PID=$NGINX_PID

for attempt in 1 2 3 4 5; do
  PX_NS=$(free_port); PX_S=$(free_port)
  write_proxy_conf "$PX_NS" "$PX_S" "$UP_NS" "$UP_S"
  start_nginx proxy "$TMP/proxy.conf" "$PX_NS"
  ((NGINX_PID)) && break
  log "proxy nginx did not start (attempt $attempt): $(tail -n 3 "$TMP/proxy.out" "$TMP/proxy/error.log" 2>/dev/null)"
done
((NGINX_PID)) || die "could not start the proxy nginx"
PROXY_PID=$NGINX_PID
sleep 0.2
PROXY_RSS_IDLE=$(status_kb VmRSS $(nginx_pids "$PROXY_PID"))
log "upstream nginx on :$UP_NS (json) :$UP_S (sse); nginx hop on :$PX_NS :$PX_S"

# ---------------------------------------------------------------- gateway
# The gateway runs with a minimal environment and cwd in the temp dir, so no .env file or
# OmniRoute variable of the caller's shell changes what is measured.
GW_PASSWORD="bench-password-$RANDOM$RANDOM"
gateway_env=(env -i "PATH=/usr/bin:/bin" "HOME=$TMP/home" "INITIAL_PASSWORD=$GW_PASSWORD")
mkdir -p "$TMP/home"

# Start-to-ready: spawn -> "omniroute ready on" line, fresh data dir each time (median of N).
READY_US=()
INTERNAL_READY_US=()
for ((i = 1; i <= STARTS; i++)); do
  fifo="$TMP/ready.$i.fifo"
  mkfifo "$fifo"
  exec 7<>"$fifo"  # held open read-write so the gateway never writes into a closed pipe
  t0=$EPOCHREALTIME
  (cd "$TMP" && exec "${gateway_env[@]}" "$GATEWAY_BIN" --host 127.0.0.1 --port 0 \
    --data-dir "$TMP/start-data-$i" --workers 2) >"$fifo" 2>"$TMP/start-$i.err" &
  pid=$!
  PIDS+=("$pid")
  line=""
  IFS= read -r -t 10 -u 7 line || true
  t1=$EPOCHREALTIME
  [[ $line == "omniroute ready on "* ]] || die "gateway start $i: no ready line (got '$line'): $(tail -n 5 "$TMP/start-$i.err")"
  READY_US+=($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1e6 }'))
  stop_pid "$pid"
  exec 7>&-
  internal=$(sed -n 's/.*ready in \([0-9]*\) us.*/\1/p' "$TMP/start-$i.err" | head -n 1)
  [[ -n $internal ]] && INTERNAL_READY_US+=("$internal")
  rm -rf "$TMP/start-data-$i" "$fifo"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%d\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
READY_MEDIAN_US=$(median "${READY_US[@]}")
INTERNAL_READY_MEDIAN_US=$(median "${INTERNAL_READY_US[@]+"${INTERNAL_READY_US[@]}"}")
log "start-to-ready: ${READY_US[*]} us (median $READY_MEDIAN_US us; in-process median $INTERNAL_READY_MEDIAN_US us)"

# The gateway under test.
: >"$TMP/gateway.out"
(cd "$TMP" && exec "${gateway_env[@]}" "$GATEWAY_BIN" --host 127.0.0.1 --port 0 \
  --data-dir "$TMP/gateway-data" --workers 2) >"$TMP/gateway.out" 2>"$TMP/gateway.err" &
GATEWAY_PID=$!
PIDS+=("$GATEWAY_PID")
GW_PORT=""
for ((i = 0; i < 200; i++)); do
  GW_PORT=$(sed -n 's#^omniroute ready on http://127\.0\.0\.1:\([0-9]*\).*#\1#p' "$TMP/gateway.out" || true)
  [[ -n $GW_PORT ]] && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || die "gateway exited: $(tail -n 5 "$TMP/gateway.err")"
  sleep 0.05
done
[[ -n $GW_PORT ]] || die "gateway not ready after 10 s"
sleep 0.3
GW_RSS_IDLE=$(status_kb VmRSS "$GATEWAY_PID")
curl -fsS -o /dev/null "http://127.0.0.1:$GW_PORT/api/health/live" || die "gateway liveness probe failed"

# Admin API: log in (session cookie) with the INITIAL_PASSWORD given above; a build without
# dashboard login answers 404 here and takes the admin calls without a session.
GW_ADMIN=(-b "$TMP/cookies" -c "$TMP/cookies" -H "Origin: http://127.0.0.1:$GW_PORT")
out=$(curl -sS -w '\n%{http_code}' "${GW_ADMIN[@]}" -X POST "http://127.0.0.1:$GW_PORT/api/auth/login" \
  -H 'Content-Type: application/json' -d '{"password":"'"$GW_PASSWORD"'"}')
case ${out##*$'\n'} in
  2*) ;;
  404) log "gateway has no /api/auth/login: admin API used without a session" ;;
  *) die "POST /api/auth/login failed: $out" ;;
esac

add_provider() {  # add_provider PROVIDER UPSTREAM_PORT
  local out
  out=$(curl -sS -w '\n%{http_code}' "${GW_ADMIN[@]}" -X POST "http://127.0.0.1:$GW_PORT/api/providers" \
    -H 'Content-Type: application/json' \
    -d '{"provider":"'"$1"'","name":"bench","apiKey":"sk-bench-0000000000","baseUrl":"http://127.0.0.1:'"$2"'/v1"}')
  [[ ${out##*$'\n'} == 2* ]] || die "POST /api/providers ($1) failed: $out"
}
add_provider openai "$UP_NS"  # non-stream: openai/gpt-4o-mini -> upstream JSON server
add_provider groq "$UP_S"     # stream:     groq/llama-3.3-70b-versatile -> upstream SSE server
# A client API key, sent by wrk to every target (only the gateway looks at it), so the
# gateway's key check is part of what is measured. Builds without /api/keys take any key.
CLIENT_KEY=sk-client-0000000000
out=$(curl -sS -w '\n%{http_code}' "${GW_ADMIN[@]}" -X POST "http://127.0.0.1:$GW_PORT/api/keys" \
  -H 'Content-Type: application/json' -d '{"name":"bench"}')
case ${out##*$'\n'} in
  2*) CLIENT_KEY=$(sed -n 's/.*"key":"\([^"]*\)".*/\1/p' <<<"${out%$'\n'*}")
      [[ -n $CLIENT_KEY ]] || die "POST /api/keys answered without a key: $out" ;;
  404) log "gateway has no /api/keys: clients send a dummy key" ;;
  *) die "POST /api/keys failed: $out" ;;
esac
sleep 0.2
GW_RSS_IDLE_CONFIGURED=$(status_kb VmRSS "$GATEWAY_PID")
log "gateway on :$GW_PORT (pid $GATEWAY_PID), idle RSS $(mib "$GW_RSS_IDLE") MiB"

# ---------------------------------------------------------------- requests
REQ_MESSAGES='[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Where does the added latency of a reverse proxy come from? Answer in one paragraph."}]'
REQ_BODY_NONSTREAM='{"model":"openai/gpt-4o-mini","messages":'"$REQ_MESSAGES"',"temperature":0.2,"max_tokens":512,"stream":false}'
REQ_BODY_STREAM='{"model":"groq/llama-3.3-70b-versatile","messages":'"$REQ_MESSAGES"',"temperature":0.2,"max_tokens":512,"stream":true}'
# translated-stream: the same conversation as an Anthropic Messages request on /v1/messages.
# groq is an OpenAI-format provider pointed at the SSE upstream, so the gateway translates the
# request to chat/completions and the upstream's chat.completion.chunk stream back into
# Anthropic events; the only difference from the passthrough "stream" rows is the translation.
REQ_BODY_TRANSLATED='{"model":"groq/llama-3.3-70b-versatile","max_tokens":256,"stream":true,"system":"You are a helpful assistant.","messages":[{"role":"user","content":"Where does the added latency of a reverse proxy come from? Answer in one paragraph."}]}'
ANTHROPIC_VERSION=2023-06-01

write_lua() {  # write_lua FILE BODY [anthropic]: the key as Bearer, or as x-api-key + anthropic-version
  local auth='wrk.headers["Authorization"] = "Bearer '"$CLIENT_KEY"'"'
  [[ ${3:-} == anthropic ]] &&
    auth='wrk.headers["x-api-key"] = "'"$CLIENT_KEY"'"'$'\n''wrk.headers["anthropic-version"] = "'"$ANTHROPIC_VERSION"'"'
  cat >"$1" <<EOF
wrk.method = "POST"
wrk.body = [==[$2]==]
wrk.headers["Content-Type"] = "application/json"
$auth

-- One machine-readable line (latencies in µs) so no unit parsing of the human report is needed.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%.0f p99_us=%.0f mean_us=%.1f max_us=%.0f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
EOF
}
write_lua "$TMP/nonstream.lua" "$REQ_BODY_NONSTREAM"
write_lua "$TMP/stream.lua" "$REQ_BODY_STREAM"
write_lua "$TMP/translated.lua" "$REQ_BODY_TRANSLATED" anthropic

url_for() {  # url_for TARGET MODE (mode translated: gateway only)
  local port path=/v1/chat/completions
  case "$1,$2" in
    direct,nonstream) port=$UP_NS ;; direct,stream) port=$UP_S ;;
    nginx,nonstream) port=$PX_NS ;; nginx,stream) port=$PX_S ;;
    gateway,translated) port=$GW_PORT path=/v1/messages ;;
    gateway,*) port=$GW_PORT ;;
  esac
  echo "http://127.0.0.1:$port$path"
}
mode_label() { [[ $1 == translated ]] && echo translated-stream || echo "$1"; }
pids_for() {  # the processes whose CPU a target costs (direct: none)
  case "$1" in
    nginx) nginx_pids "$PROXY_PID" ;;
    gateway) echo "$GATEWAY_PID" ;;
    *) echo "" ;;
  esac
}

# One request through every path first: status, content type, complete body.
CHECK_NOTES=()
check_target() {  # check_target TARGET MODE
  local target=$1 mode=$2 body expect_type expect_texts auth out code ctype missing="" t
  auth=(-H "Authorization: Bearer $CLIENT_KEY")
  case $mode in
    stream) body=$REQ_BODY_STREAM expect_type=text/event-stream expect_texts=('data: [DONE]') ;;
    # A well-formed Anthropic stream: opened and closed, with the upstream's last word relayed.
    translated) body=$REQ_BODY_TRANSLATED expect_type=text/event-stream
      expect_texts=('event: message_start' 'event: content_block_delta' 'hop.' 'event: message_stop')
      auth=(-H "x-api-key: $CLIENT_KEY" -H "anthropic-version: $ANTHROPIC_VERSION") ;;
    *) body=$REQ_BODY_NONSTREAM expect_type=application/json expect_texts=('"finish_reason":"stop"') ;;
  esac
  out=$(curl -sS -D "$TMP/check.headers" -o "$TMP/check.body" -w '%{http_code} %{content_type}' \
    --max-time 10 -X POST "$(url_for "$target" "$mode")" -H 'Content-Type: application/json' \
    "${auth[@]}" -d "$body" 2>&1) || true
  code=${out%% *} ctype=${out#* }
  for t in "${expect_texts[@]}"; do grep -qF -- "$t" "$TMP/check.body" || missing+=" '$t'"; done
  if [[ $code != 200 || $ctype != "$expect_type"* || -n $missing ]]; then
    CHECK_NOTES+=("CHECK FAILED $target $(mode_label "$mode"): HTTP $code, Content-Type '$ctype'${missing:+, body lacks$missing}, body: $(head -c 300 "$TMP/check.body" | tr '\n' ' ')")
    log "${CHECK_NOTES[-1]}"
  else
    log "check $target $(mode_label "$mode"): HTTP 200 $ctype, $(wc -c <"$TMP/check.body") body bytes" \
      "$(grep -qi '^transfer-encoding: *chunked' "$TMP/check.headers" && echo '(chunked)')"
  fi
}

declare -A R=()
WRK_NOTES=()
# run_wrk TARGET MODE CONC SECONDS [warmup]: one wrk run; sums counters into R[MODE,CONC,TARGET,*]
# and appends its p50/p99 to the per-round lists.
run_wrk() {
  local target=$1 mode=$2 conc=$3 secs=$4 warm=${5:-} threads=1 key="$2,$3,$1" pids c0 c1 a0 a1 out line kv k
  ((conc > 1)) && threads=2
  pids=$(pids_for "$target")
  a0=$(upstream_accepts)
  c0=$(cpu_ticks $pids)
  out=$(wrk -t "$threads" -c "$conc" -d "${secs}s" --timeout 10s --latency -s "$TMP/$mode.lua" \
    "$(url_for "$target" "$mode")" 2>&1) || { log "wrk failed for $key: $out"; return 0; }
  c1=$(cpu_ticks $pids)
  a1=$(upstream_accepts)
  [[ -n $warm ]] && return 0
  line=$(grep '^BENCH ' <<<"$out" || true)
  [[ -n $line ]] || { log "no BENCH line from wrk for $key: $out"; return 0; }
  for kv in ${line#BENCH }; do
    k=${kv%%=*}
    case $k in
      p50_us | p99_us) R[$key,$k]+="${kv#*=} " ;;
      mean_us) ;;
      max_us) ((${kv#*=} > ${R[$key,$k]:-0})) && R[$key,$k]=${kv#*=} ;;
      *) R[$key,$k]=$((${R[$key,$k]:-0} + ${kv#*=})) ;;
    esac
  done
  R[$key,cpu_ticks]=$((${R[$key,cpu_ticks]:-0} + c1 - c0))
  # (minus 1: the stub_status request after the run is itself a new connection)
  R[$key,upstream_conns]=$((${R[$key,upstream_conns]:-0} + ${a1:-1} - ${a0:-0} - 1))
  # wrk's own error lines, verbatim, for the report.
  while IFS= read -r l; do WRK_NOTES+=("$target $(mode_label "$mode") c=$conc: ${l#"${l%%[![:space:]]*}"}"); done \
    < <(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
}

TARGETS=(direct nginx gateway)
MODES=(nonstream stream)
CONCS=(1 64)

for mode in "${MODES[@]}"; do for target in "${TARGETS[@]}"; do check_target "$target" "$mode"; done; done
check_target gateway translated
log "warm-up (${WARMUP_SECONDS}s per target and mode)"
for mode in "${MODES[@]}"; do
  for target in "${TARGETS[@]}"; do run_wrk "$target" "$mode" 64 "$WARMUP_SECONDS" warm; done
done
run_wrk gateway translated 64 "$WARMUP_SECONDS" warm
# Each (mode, concurrency) is measured in ROUNDS rounds of direct, nginx, gateway in turn, so
# load from other processes on the machine hits the three targets alike. The stream rounds
# end with the gateway's translated stream, so it shares its rounds with the passthrough one.
ROUND_SECONDS=$(((SECONDS_PER_RUN + ROUNDS - 1) / ROUNDS))
((ROUND_SECONDS >= 1)) || ROUND_SECONDS=1
log "measuring: ${#MODES[@]} modes x ${#CONCS[@]} concurrencies x ${#TARGETS[@]} targets (+ gateway translated-stream), $ROUNDS rounds of ${ROUND_SECONDS}s each"
for mode in "${MODES[@]}"; do
  for conc in "${CONCS[@]}"; do
    round_targets=("${TARGETS[@]}")
    [[ $mode == stream ]] && round_targets+=(translated)
    for ((round = 1; round <= ROUNDS; round++)); do
      for target in "${TARGETS[@]}"; do run_wrk "$target" "$mode" "$conc" "$ROUND_SECONDS"; done
      if [[ $mode == stream ]]; then run_wrk gateway translated "$conc" "$ROUND_SECONDS"; fi
    done
    for target in "${round_targets[@]}"; do
      k="$mode,$conc,$target" m=$mode
      [[ $target == translated ]] && k="translated,$conc,gateway" m=translated-stream target=gateway
      log "$m c=$conc $target: $(awk -v r="${R[$k,requests]:-0}" -v d="${R[$k,duration_us]:-1}" \
        'BEGIN { printf "%.0f req/s", r / (d / 1e6) }'), p50 per round: ${R[$k,p50_us]:-?}us, p99 per round: ${R[$k,p99_us]:-?}us"
    done
  done
done

GW_RSS_AFTER=$(status_kb VmRSS "$GATEWAY_PID")
GW_RSS_PEAK=$(status_kb VmHWM "$GATEWAY_PID")
PROXY_RSS_AFTER=$(status_kb VmRSS $(nginx_pids "$PROXY_PID"))
PROXY_RSS_PEAK=$(status_kb VmHWM $(nginx_pids "$PROXY_PID"))
kill -0 "$GATEWAY_PID" 2>/dev/null || CHECK_NOTES+=("GATEWAY DIED during the run: $(tail -n 5 "$TMP/gateway.err")")
# The paths once more after the load: a gateway that degraded under load shows here.
for mode in "${MODES[@]}"; do check_target gateway "$mode"; done
check_target gateway translated
GW_ERR_LINES=$(grep -ciE 'error|warn|critical' "$TMP/gateway.err" || true)

# ---------------------------------------------------------------- micro benchmarks
MICRO_OUT=""
if [[ $SKIP_MICRO != 1 ]]; then
  if [[ -x $MICRO_BIN ]]; then
    log "micro benchmarks ($MICRO_BIN)"
    MICRO_OUT=$("$MICRO_BIN" --benchmark_min_time=0.2 --benchmark_color=false 2>&1) ||
      MICRO_OUT+=$'\n(omni_micro_bench exited with an error)'
  else
    MICRO_OUT="(skipped: $MICRO_BIN not built; it needs BUILD_TESTING=ON and libbenchmark-dev)"
  fi
fi

# ---------------------------------------------------------------- report
LOAD_AFTER=$(cut -d" " -f1-3 /proc/loadavg)
BUSY_AFTER=$(cpu_busy_pct)  # everything of ours is idle now: other work on the machine
f() { awk -v x="$1" -v p="${2:-0}" 'BEGIN { if (x == "") print "-"; else printf "%.*f", p, x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a <= 0 || b <= 0) print "n/a"; else printf "%.2fx", a / b }'; }
delta() { awk -v a="$1" -v b="$2" -v p="${3:-0}" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%+.*f", p, a - b }'; }

TABLE="| mode | conc | target | req/s | p50 µs | p99 µs | added p50 µs | added p99 µs | CPU µs/req | bytes/resp | upstream conns | errors |
|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
RATIOS="| mode | conc | added p50 gw/nginx | added p99 gw/nginx | CPU/req gw/nginx | req/s gw/nginx |
|---|---:|---:|---:|---:|---:|"
XLATE="| conc | added p50 translated/passthrough | CPU/req translated/passthrough | req/s translated/passthrough | extra p50 µs | extra p99 µs | extra CPU µs/req |
|---:|---:|---:|---:|---:|---:|---:|"
declare -A D=()
ROUNDS_TABLE="| mode | conc | target | p50 µs per round | p99 µs per round |
|---|---:|---|---|---|"
for mode in "${MODES[@]}"; do
  for conc in "${CONCS[@]}"; do
    rows=()
    for target in "${TARGETS[@]}"; do rows+=("$mode $target"); done
    [[ $mode == stream ]] && rows+=("translated gateway")  # added latency vs the stream's direct row
    for row in "${rows[@]}"; do
      rmode=${row% *} target=${row#* }
      label=$(mode_label "$rmode")
      k="$rmode,$conc,$target" dk="$mode,$conc,direct"
      req=${R[$k,requests]:-}
      if [[ -z $req || $req == 0 ]]; then
        TABLE+=$'\n'"| $label | $conc | $target | (no result) | | | | | | | | |"
        continue
      fi
      rps=$(awk -v r="$req" -v d="${R[$k,duration_us]}" 'BEGIN { print r / (d / 1e6) }')
      ROUNDS_TABLE+=$'\n'"| $label | $conc | $target | ${R[$k,p50_us]% } | ${R[$k,p99_us]% } |"
      R[$k,p50_us]=$(median ${R[$k,p50_us]}) R[$k,p99_us]=$(median ${R[$k,p99_us]})
      add50="" add99="" cpu=""
      if [[ $target != direct && -n ${R[$dk,p50_us]:-} ]]; then
        add50=$((R[$k,p50_us] - R[$dk,p50_us]))
        add99=$((R[$k,p99_us] - R[$dk,p99_us]))
        cpu=$(awk -v t="${R[$k,cpu_ticks]}" -v hz="$CLK_TCK" -v r="$req" 'BEGIN { print t * 1e6 / hz / r }')
      fi
      errs=$((R[$k,err_connect] + R[$k,err_read] + R[$k,err_write] + R[$k,err_status] + R[$k,err_timeout]))
      D[$k,rps]=$rps D[$k,add50]=$add50 D[$k,add99]=$add99 D[$k,cpu]=$cpu
      TABLE+=$'\n'"| $label | $conc | $target | $(f "$rps") | ${R[$k,p50_us]} | ${R[$k,p99_us]} | $(f "$add50") | $(f "$add99") | $(f "$cpu" 1) | $(f "$(awk -v b="${R[$k,bytes]}" -v r="$req" 'BEGIN { print b / r }')") | ${R[$k,upstream_conns]} | $errs |"
    done
    n="$mode,$conc,nginx" g="$mode,$conc,gateway"
    RATIOS+=$'\n'"| $mode | $conc | $(ratio "${D[$g,add50]:-}" "${D[$n,add50]:-}") | $(ratio "${D[$g,add99]:-}" "${D[$n,add99]:-}") | $(ratio "${D[$g,cpu]:-}" "${D[$n,cpu]:-}") | $(ratio "${D[$g,rps]:-}" "${D[$n,rps]:-}") |"
    if [[ $mode == stream ]]; then
      t="translated,$conc,gateway"
      XLATE+=$'\n'"| $conc | $(ratio "${D[$t,add50]:-}" "${D[$g,add50]:-}") | $(ratio "${D[$t,cpu]:-}" "${D[$g,cpu]:-}") | $(ratio "${D[$t,rps]:-}" "${D[$g,rps]:-}") | $(delta "${D[$t,add50]:-}" "${D[$g,add50]:-}") | $(delta "${D[$t,add99]:-}" "${D[$g,add99]:-}") | $(delta "${D[$t,cpu]:-}" "${D[$g,cpu]:-}" 1) |"
    fi
  done
done

READY_MS=$(awk -v u="$READY_MEDIAN_US" 'BEGIN { printf "%.1f", u / 1000 }')
MEMORY="| process | RSS idle | RSS after load | peak (VmHWM) |
|---|---:|---:|---:|
| gateway (2 workers) | $(mib "$GW_RSS_IDLE") MiB ($(mib "$GW_RSS_IDLE_CONFIGURED") MiB with 2 connections configured) | $(mib "$GW_RSS_AFTER") MiB | $(mib "$GW_RSS_PEAK") MiB |
| nginx hop (master + 2 workers) | $(mib "$PROXY_RSS_IDLE") MiB | $(mib "$PROXY_RSS_AFTER") MiB | $(mib "$PROXY_RSS_PEAK") MiB |

Gateway start-to-ready (spawn → \`omniroute ready on\` line, fresh data dir): median **${READY_MS} ms** of $STARTS starts (all, µs: ${READY_US[*]}; in-process \"ready in\" median: ${INTERNAL_READY_MEDIAN_US} µs)."

NOTES=""
for note in "${CHECK_NOTES[@]+"${CHECK_NOTES[@]}"}" "${WRK_NOTES[@]+"${WRK_NOTES[@]}"}"; do NOTES+="- $note"$'\n'; done
[[ -n $NOTES ]] || NOTES=$'- none: every check answered 200 with the full body, no wrk socket errors or non-2xx answers\n'
((GW_ERR_LINES > 0)) && NOTES+="- the gateway logged $GW_ERR_LINES error/warning lines on stderr during the run"$'\n'

COMMIT=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n $(git -C "$REPO_DIR" status --porcelain 2>/dev/null | head -n 1) ]] && COMMIT+=" (+ uncommitted changes)"
CPU_MODEL=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
MACHINE="$(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, $(uname -sr); CPU busy with other work ${BUSY_BEFORE} % before the run and ${BUSY_AFTER} % after; load average (1/5/15 min) before ${LOAD_BEFORE:-n/a}, after $LOAD_AFTER"

BUSY=""
if ((BUSY_BEFORE > 20 || BUSY_AFTER > 20)); then
  BUSY="
> **Other work was using the CPUs (${BUSY_BEFORE} % busy just before the run, ${BUSY_AFTER} % just after,
> with the benchmark's own processes idle):** latencies, p99 above all, are inflated and noisy.
> Trust the ratios and CPU µs/req more than absolute latencies, and re-run on a quiet machine.
"
  log "warning: other work was using the CPUs (${BUSY_BEFORE} % before, ${BUSY_AFTER} % after): numbers are noisy"
fi

REPORT="# OmniRoute benchmark results

- date: $(date -u '+%Y-%m-%d %H:%M UTC')
- commit: $COMMIT; gateway binary $GATEWAY_BIN built $(date -u -r "$GATEWAY_BIN" '+%Y-%m-%d %H:%M UTC')
- machine: $MACHINE
- tools: $("$NGINX_BIN" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'); per row $ROUNDS rounds of ${ROUND_SECONDS}s (targets interleaved) after ${WARMUP_SECONDS}s warm-up; wrk threads 1 at c=1, 2 at c=64
- upstream: nginx (1 worker) answering a fixed $(printf %s "$JSON_BODY" | wc -c)-byte chat.completion JSON, or a fixed $(printf %s "$SSE_BODY" | wc -c)-byte SSE stream (10 \`data:\` events, last \`[DONE]\`)
$BUSY
## Latency, throughput, CPU

$TABLE

## Gateway / nginx hop (target ≤ 1.5x, aim 1.0x)

$RATIOS

## Translated / passthrough stream (gateway)

translated-stream = an Anthropic Messages client (\`POST /v1/messages\`, \`x-api-key\`) on the same
OpenAI-format SSE upstream as the passthrough \`stream\` rows: request translated to
chat/completions, each upstream chunk translated to Anthropic events. Same rounds as the
passthrough stream; \"extra\" = translated minus passthrough.

$XLATE

## Memory and start-up (targets: idle RSS ≤ 10 MiB, ready ≤ 50 ms)

$MEMORY

## Problems seen

$NOTES
## Per-round percentiles (the spread shows how noisy the machine was)

$ROUNDS_TABLE

## Micro benchmarks (omni_micro_bench --benchmark_min_time=0.2)

\`\`\`
$MICRO_OUT
\`\`\`

## How to read

- **direct** is wrk straight to the upstream; **nginx** adds one nginx reverse-proxy hop with
  keep-alive upstream connections (the reference cost of one proxy hop on this machine);
  **gateway** goes through omniroute (sniff, route, rewrite \`model\`, relay, account).
- **added p50/p99** = that latency minus the direct run's at the same mode and concurrency:
  what the hop costs a client. At c=64 everything shares 2 cores with wrk and the upstream,
  so added latency there is mostly queueing and tracks CPU per request.
- **CPU µs/req** = utime+stime of the proxy's processes (nginx master + workers, or the
  gateway process) during the run divided by requests completed; clock-tick resolution
  (1/$CLK_TCK s), so c=64 numbers are the precise ones.
- **ratios** < 1.00x mean the gateway is cheaper than nginx; targets are ≤ 1.5x.
- **translated-stream** rows (gateway only) are measured in the stream rounds, right after the
  passthrough gateway stream; their added latency is over the stream's direct row. Their
  bytes/resp is the Anthropic SSE the client reads (larger than the upstream's chunks).
- **p50/p99** are the median over the rounds of each round's wrk percentile; req/s, CPU and
  errors are totals over the rounds.
- **upstream conns** = connections the upstream nginx accepted during the runs (stub_status):
  for direct that is wrk's own connections; a proxy that reuses upstream connections opens
  about as many as its concurrency, one that does not opens one per request.
- **bytes/resp** is what wrk read per response including headers (chunked framing on the
  gateway's streams adds a few bytes); a much smaller number than nginx's means truncated bodies.
- Absolute numbers move by 10–50 % between runs on a shared 2-core machine (more when it is
  busy: see the per-round spread); compare ratios from the same run, and CPU µs/req first.
"

printf '\n%s\n' "$REPORT"
if [[ $RESULTS_FILE != - ]]; then
  printf '%s' "$REPORT" >"$RESULTS_FILE"
  log "wrote $RESULTS_FILE"
fi
