#!/usr/bin/env bash
# Runs the whole test suite. Installs what it needs first if missing (bubblewrap, python3, node,
# gcc, chromium; through sudo when not root), then `dotnet test CodeChatter.sln`.
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh test
exec dotnet test CodeChatter.sln "$@"
