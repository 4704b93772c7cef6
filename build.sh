#!/usr/bin/env bash
# One entry point for developers, CI and users:
#   ./build.sh deps     install what a fresh Debian/Ubuntu machine lacks (apt; needs root)
#   ./build.sh build    restore and build the module into out/module (Import-Module ./VNet.psd1 then works)
#   ./build.sh test     deps + build, then every test inside a network sandbox: xunit, then the
#                       Pester suites when pwsh is found (PATH, or --pwsh PATH / $VNET_PWSH)
#   ./build.sh demo     deps + build, then the two-host VXLAN lab demo (lab/demo.ps1) inside a sandbox
#   ./build.sh bench    deps + build, then the benchmarks (bench/) inside a sandbox; BENCH_ARGS="--quick bridge" narrows it
#   ./build.sh fuzz     afl++ and SharpFuzz, then each parser's fuzz target (tests/VNet.Fuzz) under afl-fuzz
#                       inside a sandbox for --minutes N each (default 2; --targets "link route" narrows it);
#                       findings under out/fuzz/<target>, a table of execs/paths/crashes/hangs at the end.
#                       --record first re-records the seed corpus and the unit tests' kernel recordings.
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
    --minutes) FUZZ_MINUTES=$2; shift 2 ;;
    --targets) FUZZ_TARGETS=$2; shift 2 ;;
    --record) FUZZ_RECORD=1; shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# Debian packages the tests and demo use: the kernel tools VNet is compared with and checked by.
APT_PACKAGES="graphviz iproute2 iputils-ping util-linux nftables iptables libnftables1 conntrack iperf3 socat netcat-openbsd busybox-static python3-pyroute2 tcpdump vagrant docker.io wget dnsutils dnsmasq-base etcd-server etcd-client"

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

# Fuzzing needs more than the tests: afl++ (Debian) and the SharpFuzz instrumenter (a dotnet tool from NuGet).
fuzz_deps() {
  if [ "$DEPS" = 1 ] && ! command -v afl-fuzz >/dev/null; then
    if [ "$(id -u)" != 0 ]; then echo "build.sh: afl++ is missing (run as root to install it)" >&2; exit 1; fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
  fi
  command -v afl-fuzz >/dev/null || { echo "build.sh: afl-fuzz not found (apt-get install afl++)" >&2; exit 1; }
  export PATH="$PATH:$HOME/.dotnet/tools"
  command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null
}

fuzz() {
  local minutes=${FUZZ_MINUTES:-2} bin="$ROOT/out/fuzz/bin"
  echo "== building and instrumenting the fuzz targets"
  rm -rf "$bin"
  # Plain IL (no ReadyToRun, src/ReadyToRun.targets): SharpFuzz rewrites the IL of VNet.Core.dll.
  dotnet build "$ROOT/tests/VNet.Fuzz" -c Release -nologo -clp:ErrorsOnly -v:q -p:VNetReadyToRun=false -o "$bin"
  if [ "${FUZZ_RECORD:-0}" = 1 ]; then
    echo "== recording the kernel's answers (unit-test data and seed corpus)"
    tests/sandbox.sh dotnet "$bin/VNet.Fuzz.dll" record "$ROOT/tests/VNet.Core.Tests/Recordings" "$ROOT/tests/fuzz-corpus"
  fi
  sharpfuzz "$bin/VNet.Core.dll" >/dev/null
  local targets=${FUZZ_TARGETS:-$(dotnet "$bin/VNet.Fuzz.dll" list)}
  for t in $targets; do
    echo "== fuzzing $t for $minutes minute(s)"
    rm -rf "$ROOT/out/fuzz/$t"
    # -V: stop after the time; -t: a .NET start-up is slow; nice: the machine is shared.
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
      tests/sandbox.sh nice -n 19 afl-fuzz -V $((minutes * 60)) -t 5000 -m none -i "$ROOT/tests/fuzz-corpus/$t" -o "$ROOT/out/fuzz/$t" \
      -- dotnet "$bin/VNet.Fuzz.dll" "$t" > "$ROOT/out/fuzz/$t.log" 2>&1 || echo "build.sh: afl-fuzz $t failed, see out/fuzz/$t.log" >&2
  done
  fuzz_report $targets
}

# One line per target from afl's fuzzer_stats; crashers are in out/fuzz/<target>/default/crashes.
fuzz_report() {
  printf '%-10s %10s %8s %8s %6s %8s\n' target execs paths crashes hangs seconds
  local t f
  for t in "$@"; do
    f="$ROOT/out/fuzz/$t/default/fuzzer_stats"
    [ -f "$f" ] || { printf '%-10s (no fuzzer_stats)\n' "$t"; continue; }
    printf '%-10s %10s %8s %8s %6s %8s\n' "$t" \
      "$(awk -F' *: *' '$1=="execs_done"{print $2}' "$f")" "$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$f")" \
      "$(awk -F' *: *' '$1=="saved_crashes"{print $2}' "$f")" "$(awk -F' *: *' '$1=="saved_hangs"{print $2}' "$f")" \
      "$(awk -F' *: *' '$1=="run_time"{print $2}' "$f")"
  done
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
  # A reader of a long log sees its end first: name what failed there, not only how many.
  if [ "$f" -gt 0 ]; then
    echo "Failed tests:"
    # Each failed test's name and the first lines of its message (xunit), or Pester's [-] line.
    sed 's/\x1b\[[0-9;]*m//g' "$LOG_DIR"/*.log 2>/dev/null | awk '
      /^[ \t]+Failed [A-Za-z]/ || /^[ \t]+\[-\] / { n = 6; print; next }
      /Stack Trace:/ || /^[ \t]+\[[+!?]\] / || /^[ \t]*(Describing|Context|Running tests) / { n = 0 }
      n > 0 && !/Error Message:/ { print; n-- }' | head -60
  fi
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
  fuzz)
    # Not part of the tests: hours of afl-fuzz belong to a dedicated run (README, Testing).
    deps; fuzz_deps
    mkdir -p "$ROOT/out/fuzz"
    fuzz ;;
  *) echo "usage: build.sh deps|build|test|demo|bench|fuzz [--pwsh PATH] [--pester PATH] [--no-deps] [--filter EXPR] [--minutes N] [--targets 'T...'] [--record]" >&2; exit 2 ;;
esac
