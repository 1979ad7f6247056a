#!/usr/bin/env bash
# End-to-end SDK tests: installs the pinned SDKs (npm ci) when needed, then runs every
# tests/e2e/*.test.mjs with node's test runner against the given binaries.
#
#   tests/e2e/run.sh [OMNIROUTE_BINARY [MOCK_UPSTREAM_BINARY]] [-- extra node --test args]
#
# Defaults: $OMNI_BINARY / $OMNI_MOCK_UPSTREAM, else build/dev/... Exit code: node's (non-zero
# when a test fails), 2 when the setup itself fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

omni="${OMNI_BINARY:-$root/build/dev/omniroute}"
mock="${OMNI_MOCK_UPSTREAM:-$root/build/dev/tools/mock-upstream/mock-upstream}"
if [[ $# -gt 0 && "$1" != -* ]]; then omni="$1"; shift; fi
if [[ $# -gt 0 && "$1" != -* ]]; then mock="$1"; shift; fi
if [[ "${1:-}" == "--" ]]; then shift; fi

for bin in "$omni" "$mock"; do
  if [[ ! -x "$bin" ]]; then
    echo "e2e: binary not found or not executable: $bin (build first)" >&2
    exit 2
  fi
done

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "e2e: node and npm are required (Node >= 18; Debian 12's nodejs + npm packages do)" >&2
  exit 2
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 18 )); then
  echo "e2e: Node $(node --version) is too old: node:test and the pinned SDKs need Node >= 18" >&2
  exit 2
fi

# npm ci only when node_modules is missing or package-lock.json changed since the last install
# (its hash is kept inside node_modules, so a fresh checkout or a lock update reinstalls).
cd "$here"
stamp="node_modules/.omni-lock-sha256"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -d node_modules || ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "e2e: installing the pinned SDKs (npm ci)"
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "e2e: npm ci failed — is the npm registry reachable? (offline: run 'npm ci' in tests/e2e once online)" >&2
    exit 2
  fi
  echo "$want" > "$stamp"
fi

export OMNI_BINARY="$(cd "$(dirname "$omni")" && pwd)/$(basename "$omni")"
export OMNI_MOCK_UPSTREAM="$(cd "$(dirname "$mock")" && pwd)/$(basename "$mock")"

# One process per test file (node's default); each file starts its own mock + gateway, so the
# files are isolated from each other whatever node's file concurrency is.
exec node --test "$@" "$here"/*.test.mjs
