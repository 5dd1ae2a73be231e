#!/usr/bin/env bash
# Kills a real node process with SIGKILL during bulk ingest N times (default 50), restarts it, and checks that every
# acknowledged document is there, `verify` is clean and the vector index covers every chunk.
# The test suite runs the same test with 5 kills. Usage: tests/scripts/crash-loop.sh [kills]
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${1:-50}"
dotnet build tests/ContextLite.Node.Tests -warnaserror --nologo -v quiet
CONTEXTLITE_CRASH_KILLS="$kills" dotnet test tests/ContextLite.Node.Tests --no-build --nologo \
  --filter "FullyQualifiedName~Durability.CrashLoopTests" --logger "console;verbosity=detailed"
