#!/usr/bin/env bash
# Starts CodeChatter on http://localhost:5080 with the embedded SQLite database in ./CodeChatter.Web/data.
# Installs bubblewrap, libseccomp and python3 first if they are missing (through sudo when not root).
set -euo pipefail
cd "$(dirname "$0")"
scripts/prerequisites.sh run
exec dotnet run --project CodeChatter.Web "$@"
