#!/usr/bin/env bash
# One entry point for developers, CI and users:
#   ./build.sh deps     install what a fresh Debian/Ubuntu machine lacks (apt; needs root)
#   ./build.sh build    restore and build the module into out/module (Import-Module ./VNet.psd1 then works)
#   ./build.sh test     deps + build, then every test inside a network sandbox: xunit, then the
#                       Pester suites when pwsh is found (PATH, or --pwsh PATH / $VNET_PWSH)
#   ./build.sh demo     deps + build, then the two-host VXLAN lab demo (lab/demo.ps1) inside a sandbox
#   ./build.sh bench    deps + build, then the benchmarks (bench/) inside a sandbox; BENCH_ARGS="--quick bridge" narrows it
# Options: --pwsh PATH (pwsh executable), --pester PATH (Pester module folder or manifest),
#          --no-deps (skip apt), --filter EXPR (xunit filter).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
ROOT=$PWD

cmd=${1:-test}; shift || true
PWSH=${VNET_PWSH:-}
PESTER=${VNET_PESTER:-}
DEPS=1
FILTER=""
while [ $# -gt 0 ]; do
  case "$1" in
    --pwsh) PWSH=$2; shift 2 ;;
    --pester) PESTER=$2; shift 2 ;;
    --no-deps) DEPS=0; shift ;;
    --filter) FILTER=$2; shift 2 ;;
    --quick) BENCH_ARGS="--quick all"; shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# Debian packages the tests and demo use: the kernel tools VNet is compared with and checked by.
APT_PACKAGES="graphviz iproute2 iputils-ping util-linux nftables iptables libnftables1 conntrack iperf3 socat netcat-openbsd busybox-static python3-pyroute2 tcpdump vagrant docker.io wget dnsutils dnsmasq-base"

# Only the benchmarks' peers (bench/scripts/connect_*.sh): CNI's bridge plugin, Podman's netavark
# with aardvark-dns, and bc for their timings. The tests never need them.
BENCH_APT_PACKAGES="containernetworking-plugins netavark aardvark-dns bc"

deps() {
  [ "$DEPS" = 1 ] || return 0
  local missing=""
  for p in $APT_PACKAGES ${1:-}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=" $p"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then echo "build.sh: missing packages:$missing (run as root to install them)" >&2; exit 1; fi
    echo "== installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  command -v dotnet >/dev/null || { echo "build.sh: the .NET SDK (dotnet) is required: https://dot.net" >&2; exit 1; }
}

build() {
  echo "== building"
  dotnet build "$ROOT/VNet.sln" -c Release -nologo -clp:ErrorsOnly -v:q
}

find_pwsh() {
  if [ -n "$PWSH" ]; then [ -x "$PWSH" ] && return 0; echo "build.sh: --pwsh $PWSH is not executable" >&2; PWSH=""; return 1; fi
  PWSH=$(command -v pwsh || true)
  [ -n "$PWSH" ]
}

pester() {
  if ! find_pwsh; then
    echo "== SKIPPED Pester suites: pwsh not found on PATH (install PowerShell 7.4+, or pass --pwsh PATH)"
    return 0
  fi
  local pester_arg=""
  [ -n "$PESTER" ] && pester_arg=$(readlink -f "$PESTER")
  echo "== Pester suites with $PWSH"
  VNET_PESTER_MODULE="$pester_arg" tests/sandbox.sh "$PWSH" -NoProfile -NonInteractive -File "$ROOT/tests/pester/Run-Pester.ps1" 2>&1 | tee "$LOG_DIR/pester.log"
  return "${PIPESTATUS[0]}"
}

LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT

xunit() {
  echo "== xunit (inside the network sandbox)"
  local args=(test "$ROOT/VNet.sln" -c Release --no-build -nologo)
  [ -n "$FILTER" ] && args+=(--filter "$FILTER")
  tests/sandbox.sh dotnet "${args[@]}" 2>&1 | tee "$LOG_DIR/xunit.log"
  return "${PIPESTATUS[0]}"
}

# One closing line over every runner: "Total: N passed, N failed, N skipped".
summary() {
  local p=0 f=0 s=0 line
  while IFS= read -r line; do
    if [[ $line =~ Failed:\ +([0-9]+),\ Passed:\ +([0-9]+),\ Skipped:\ +([0-9]+) ]]; then
      f=$((f + BASH_REMATCH[1])); p=$((p + BASH_REMATCH[2])); s=$((s + BASH_REMATCH[3]))
    elif [[ $line =~ ^Pester:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped ]]; then
      p=$((p + BASH_REMATCH[1])); f=$((f + BASH_REMATCH[2])); s=$((s + BASH_REMATCH[3]))
    fi
  done < <(cat "$LOG_DIR"/*.log 2>/dev/null)
  echo "Total: $p passed, $f failed, $s skipped"
  [ "$p" -gt 0 ] || { echo "build.sh: no test ran" >&2; return 1; }
}

case "$cmd" in
  deps) deps ;;
  build) deps; build ;;
  test)
    deps; build
    rc=0
    xunit || rc=$?
    pester || rc=$?
    summary || rc=1
    exit $rc ;;
  demo)
    deps; build
    find_pwsh || { echo "build.sh: the demo runs in PowerShell 7.4+: put pwsh on PATH or pass --pwsh PATH" >&2; exit 1; }
    tests/sandbox.sh "$PWSH" -NoProfile -NonInteractive -File "$ROOT/lab/demo.ps1" ;;
  bench)
    # Not part of the tests: side-by-side timings (bench/README.md). --quick for a short run.
    deps "$BENCH_APT_PACKAGES"; build
    dotnet build "$ROOT/bench/VNet.Bench" -c Release -nologo -clp:ErrorsOnly -v:q
    find_pwsh || PWSH=""
    tests/sandbox.sh dotnet "$ROOT/bench/VNet.Bench/bin/Release/net10.0/VNet.Bench.dll" --root "$ROOT" \
      --out "$ROOT/bench/results/latest.json" ${PWSH:+--pwsh "$PWSH"} ${BENCH_ARGS:-all} ;;
  *) echo "usage: build.sh deps|build|test|demo|bench [--pwsh PATH] [--pester PATH] [--no-deps] [--filter EXPR]" >&2; exit 2 ;;
esac
