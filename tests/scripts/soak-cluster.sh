#!/usr/bin/env bash
# Soak through the gateway of a local cluster: redis-server, three nodes and the gateway as Release processes on
# free loopback ports (no Aspire, no containers), then the benchmark's `soak` mode against the gateway over many
# workspaces, sampling each node's RSS and GC heap from its /health. Quotas are in Redis (cluster-wide); the soak
# checks that no workspace was served more than its token bucket allows, and the script that every node still
# reports "healthy" (Redis-backed quotas) afterwards and that Redis holds the buckets.
#
# Usage: tests/scripts/soak-cluster.sh [--short] [--seconds N] [--workspaces N] [--concurrency N] [--tokens N] [--arenas N|default]
#   --short   45 s at 5,000 tokens/min so that quotas bite, memory trend not judged (a CI smoke: errors and quotas only)
#   default   600 s, memory judged (second-half RSS slope < 1 MB/min per node)
# Needs redis-server (apt-get install redis-server). Exit 0 when the soak passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
invoked="$*"
seconds=600; workspaces=60; concurrency=4; tokens=20000; slope=1; seed=7; arenas=(MALLOC_ARENA_MAX=2)
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=45; slope=100000; tokens=5000; shift ;;
    --seconds) seconds="$2"; shift 2 ;;
    --workspaces) workspaces="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --tokens) tokens="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --arenas) arenas=(MALLOC_ARENA_MAX="$2"); [ "$2" = default ] && arenas=(); shift 2 ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
done
command -v redis-server >/dev/null || { echo "redis-server is required: apt-get install redis-server"; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release ContextLite.Node --nologo -v quiet >/dev/null
dotnet build -c Release ContextLite.Gateway --nologo -v quiet >/dev/null
dotnet build -c Release tests/ContextLite.Benchmarks --nologo -v quiet >/dev/null
node_dll=$(find ContextLite.Node/bin/Release -name ContextLite.Node.dll | head -1)
gateway_dll=$(find ContextLite.Gateway/bin/Release -name ContextLite.Gateway.dll | head -1)
bench_dll=$(find tests/ContextLite.Benchmarks/bin/Release -name ContextLite.Benchmarks.dll | head -1)

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
redis="127.0.0.1:$redis_port"

node_ports=(); endpoints=()
for i in 1 2 3; do node_ports+=("$(free_port)"); done
for i in 0 1 2; do endpoints+=("CONTEXTLITE_cluster__discovery__endpoints__$i=127.0.0.1:${node_ports[$i]}"); done
for i in 1 2 3; do
  port=${node_ports[$((i - 1))]}
  # MALLOC_ARENA_MAX=2 as the AppHost sets it for nodes (docs/reliability.md, "Sustained load"); --arenas default keeps glibc's.
  env "${endpoints[@]}" "${arenas[@]}" CONTEXTLITE_CLUSTER_ENABLED=true CONTEXTLITE_quotas__redis="$redis" \
    CONTEXTLITE_embeddings__provider=hashing \
    CONTEXTLITE_cluster__resource_limits__default__max_tokens_per_minute="$tokens" \
    dotnet "$node_dll" --port "$port" --node-id "node-$i" --data-dir "$work/node-$i" --log-level warn >"$work/node-$i.log" 2>&1 &
  pids+=($!)
done
gateway_port=$(free_port)
gateway_env=(); for i in 0 1 2; do gateway_env+=("cluster__discovery__endpoints__$i=127.0.0.1:${node_ports[$i]}"); done
env "${gateway_env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$gateway_port" Logging__LogLevel__Default=Warning \
  gateway__redis="$redis" cluster__load_balancing__health_check_interval=1 \
  dotnet "$gateway_dll" >"$work/gateway.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 150); do
  up=0
  for port in "${node_ports[@]}" "$gateway_port"; do curl -sf "http://127.0.0.1:$port/alive" >/dev/null && up=$((up + 1)); done
  [ "$up" -eq 4 ] && break
  sleep 0.2
done
[ "$up" -eq 4 ] || { echo "the cluster did not come up"; tail -n 20 "$work"/*.log; exit 1; }
sleep 3 # the gateway's first health probes

node_args=(); for port in "${node_ports[@]}"; do node_args+=(--node "http://127.0.0.1:$port"); done
status=0
dotnet "$bench_dll" soak --url "http://127.0.0.1:$gateway_port" "${node_args[@]}" --duration "$seconds" \
  --workspaces "$workspaces" --concurrency "$concurrency" --tokens-per-minute "$tokens" --max-rss-slope "$slope" --seed "$seed" \
  | grep -v ' requests; ' || status=$?

echo
echo "Command: \`tests/scripts/soak-cluster.sh $invoked\` ($(nproc) cores, Release builds, hashing embedder, Redis $(redis-server --version | grep -o 'v=[0-9.]*'))"
for i in 1 2 3; do
  port=${node_ports[$((i - 1))]}
  curl -s "http://127.0.0.1:$port/health" | python3 -c "
import json, sys
h = json.load(sys.stdin); ws = h.get('workspaces', {}).get('workspaces', {})
print(f\"node-$i: {h['status']}, {len(ws)} workspaces, {sum(w['document_count'] for w in ws.values())} documents, rss {h['memory']['rss_mb']:.0f} MB, GC heap {h['memory']['managed_heap_mb']:.0f} MB\")
if h['status'] != 'healthy': sys.exit(1)" || status=1
done
buckets=$(redis-cli -p "$redis_port" --scan --pattern 'contextlite:quota:*' | wc -l)
echo "Redis holds $buckets quota keys (the buckets and leases shared by the three nodes)."
[ "$buckets" -gt 0 ] || status=1
errors=$(cat "$work"/node-*.log "$work/gateway.log" | grep -cE '^(fail|crit): ' || true)
echo "Error lines in the node and gateway logs: $errors."
[ "$errors" -eq 0 ] || { grep -hE '^(fail|crit): ' "$work"/node-*.log "$work/gateway.log" | head -5; status=1; }
exit $status
