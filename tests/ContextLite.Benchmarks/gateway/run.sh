#!/usr/bin/env bash
# Gateway overhead: the same requests straight to a node and through the gateway, on loopback, with wrk.
# Usage: bash tests/ContextLite.Benchmarks/gateway/run.sh [--markdown docs/benchmarks.md] [--seconds 10]
# Needs Debian's wrk (apt-get install wrk). Starts one node and the gateway as Release processes on free
# ports, ingests this repository's Core sources into workspace "bench", and stops both at the end.
set -euo pipefail
cd "$(dirname "$0")/../../.."
markdown=""; seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --markdown) markdown="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk"; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
node_port=$(free_port); gateway_port=$(free_port)
work=$(mktemp -d)
dotnet build -c Release ContextLite.Node >/dev/null
dotnet build -c Release ContextLite.Gateway >/dev/null
node_dll=$(find ContextLite.Node/bin/Release -name ContextLite.Node.dll | head -1)
gateway_dll=$(find ContextLite.Gateway/bin/Release -name ContextLite.Gateway.dll | head -1)

# Quotas are lifted and the result cache is off so that every assemble does the full work.
CONTEXTLITE_embeddings__provider=hashing CONTEXTLITE_cache__enabled=false \
  CONTEXTLITE_cluster__resource_limits__default__max_tokens_per_minute=2000000000 \
  CONTEXTLITE_cluster__resource_limits__default__max_concurrent_requests=1000 \
  dotnet "$node_dll" --port "$node_port" --node-id node-1 --data-dir "$work/data" --log-level warn &
node_pid=$!
ASPNETCORE_URLS="http://127.0.0.1:$gateway_port" Logging__LogLevel__Default=Warning \
  cluster__discovery__endpoints__0="127.0.0.1:$node_port" cluster__load_balancing__health_check_interval=1 \
  dotnet "$gateway_dll" &
gateway_pid=$!
trap 'kill $node_pid $gateway_pid 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$node_port/alive" >/dev/null && curl -sf "http://127.0.0.1:$gateway_port/alive" >/dev/null && break
  sleep 0.2
done
dotnet ContextLite.Node/bin/Release/net10.0/*/ContextLite.Node.dll ingest ContextLite.Core --workspace bench \
  --server "http://127.0.0.1:$node_port" >/dev/null 2>&1 || dotnet "$node_dll" ingest ContextLite.Core --workspace bench --server "http://127.0.0.1:$node_port" >/dev/null
sleep 3

declare -A rps p50 p99 bad
run() { # name url script
  local out; out=$(wrk -t1 -c8 -d"${seconds}s" --latency -s "$3" "$2")
  rps[$1]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50[$1]=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99[$1]=$(echo "$out" | awk '$1=="99%" {print $2}')
  bad[$1]=$(echo "$out" | awk '/Non-2xx/ {print $5}'); bad[$1]=${bad[$1]:-0}
}
docs="/api/v1/documents?limit=1"
run node-docs "http://127.0.0.1:$node_port$docs" tests/ContextLite.Benchmarks/gateway/documents.lua
run gateway-docs "http://127.0.0.1:$gateway_port$docs" tests/ContextLite.Benchmarks/gateway/documents.lua
run node-assemble "http://127.0.0.1:$node_port/api/v1/assemble" tests/ContextLite.Benchmarks/gateway/assemble.lua
run gateway-assemble "http://127.0.0.1:$gateway_port/api/v1/assemble" tests/ContextLite.Benchmarks/gateway/assemble.lua

table=$(cat <<TABLE
Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(uname -sr), Release builds, loopback, wrk 1 thread × 8 connections × ${seconds} s per row;
node and gateway share the machine's two cores with wrk, so this is an upper bound on the overhead.
Command: \`bash tests/ContextLite.Benchmarks/gateway/run.sh --markdown docs/benchmarks.md\`

| request | path | requests/s | p50 | p99 | non-2xx |
|---|---|---|---|---|---|
| GET /api/v1/documents?limit=1 | straight to the node | ${rps[node-docs]} | ${p50[node-docs]} | ${p99[node-docs]} | ${bad[node-docs]} |
| GET /api/v1/documents?limit=1 | through the gateway | ${rps[gateway-docs]} | ${p50[gateway-docs]} | ${p99[gateway-docs]} | ${bad[gateway-docs]} |
| POST /api/v1/assemble (1500 tokens, cache off) | straight to the node | ${rps[node-assemble]} | ${p50[node-assemble]} | ${p99[node-assemble]} | ${bad[node-assemble]} |
| POST /api/v1/assemble (1500 tokens, cache off) | through the gateway | ${rps[gateway-assemble]} | ${p50[gateway-assemble]} | ${p99[gateway-assemble]} | ${bad[gateway-assemble]} |
TABLE
)
echo "$table"
if [ -n "$markdown" ]; then
  python3 - "$markdown" "$table" <<'PY'
import sys, re
path, body = sys.argv[1], sys.argv[2]
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
section = "## Gateway overhead\n\n" + body.strip() + "\n"
pattern = re.compile(r"^## Gateway overhead\n.*?(?=^## |\Z)", re.S | re.M)
text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
fi
