#!/usr/bin/env bash
# Installs the system packages CodeChatter needs, and nothing when all are present.
# Usage: scripts/prerequisites.sh run|test|bench|cluster
# Each entry is "path-that-must-exist:debian-package". Paths are absolute on purpose: the sandbox
# runs /usr/bin tools, so a python3 elsewhere on PATH (pyenv, conda) does not count.
set -euo pipefail

# The Python packages offered to snippets (Execution:Languages:python:Packages): Debian's, under /usr,
# which every box binds read-only, so they import with no network.
python_packages=(/usr/lib/python3/dist-packages/numpy:python3-numpy /usr/lib/python3/dist-packages/pandas:python3-pandas /usr/lib/python3/dist-packages/matplotlib:python3-matplotlib)
run_needs=(/usr/bin/bwrap:bubblewrap "/usr/lib/$(uname -m)-linux-gnu/libseccomp.so.2:libseccomp2" /usr/bin/python3:python3 /usr/bin/prlimit:util-linux /usr/bin/setpriv:util-linux "${python_packages[@]}")
test_needs=("${run_needs[@]}" /usr/bin/node:nodejs /usr/bin/gcc:gcc /usr/include/stdio.h:libc6-dev /usr/bin/chromium:chromium)
# Debian's nbformat validates exported notebooks in the tests (the app writes and reads them itself).
test_needs+=(/usr/lib/python3/dist-packages/nbformat:python3-nbformat)
# The tests' second pass runs the integration suite on PostgreSQL: a throwaway server from Debian's package,
# started by the tests themselves on a free port (the package's own service is never used).
postgres_bin=$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | sort -V | tail -n 1 || true)
test_needs+=("${postgres_bin:-/usr/lib/postgresql/15/bin/postgres}:postgresql")
# The cluster transport tests start their own throwaway redis-server the same way.
test_needs+=(/usr/bin/redis-server:redis-server)
# The benchmark's warm Jupyter kernel baseline (CodeChatter.Benchmarks/jupyter_roundtrip.py); the app never uses them.
bench_needs=("${test_needs[@]}" /usr/lib/python3/dist-packages/ipykernel:python3-ipykernel /usr/lib/python3/dist-packages/jupyter_client:python3-jupyter-client)

# scripts/cluster.sh: the app's needs, PostgreSQL and Redis, and curl to see each member answer.
cluster_needs=("${run_needs[@]}" "${postgres_bin:-/usr/lib/postgresql/15/bin/postgres}:postgresql" /usr/bin/redis-server:redis-server /usr/bin/curl:curl)

case "${1:-}" in
  run) needs=("${run_needs[@]}") ;;
  cluster) needs=("${cluster_needs[@]}") ;;
  test) needs=("${test_needs[@]}") ;;
  bench) needs=("${bench_needs[@]}") ;;
  *) echo "usage: $0 run|test|bench|cluster" >&2; exit 2 ;;
esac

missing=()
for need in "${needs[@]}"; do
  path=${need%%:*}; package=${need##*:}
  if [ ! -e "$path" ] && [[ ! " ${missing[*]} " =~ " $package " ]]; then missing+=("$package"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Missing ${missing[*]} and no sudo to install them; install them as root." >&2; exit 1; }
  sudo="sudo"
fi
command -v apt-get >/dev/null || { echo "Please install: ${missing[*]} (no apt-get on this machine)." >&2; exit 1; }
echo "Installing missing prerequisites: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
