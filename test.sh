#!/usr/bin/env bash
# Runs the whole test suite. Installs what it needs first if missing (bubblewrap, python3, node, gcc,
# chromium, postgresql, redis-server; through sudo when not root), then `dotnet test CodeChatter.sln` on the
# SQLite default, then the data and integration tests again on PostgreSQL (a throwaway server the tests start).
# Extra arguments go to both passes.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh test
status=0
dotnet test CodeChatter.sln "$@" || status=$?
# The browser tests drive the same pages and stay on SQLite: they would double the run's time for no new query.
echo "Second pass: the data and integration tests on PostgreSQL"
CODECHATTER_TEST_DATABASE=postgres dotnet test CodeChatter.sln --no-build \
  --filter "(FullyQualifiedName~CodeChatter.Tests.Data|FullyQualifiedName~CodeChatter.Tests.Web)&Database!=SqliteOnly" "$@" || status=$?
exit $status
