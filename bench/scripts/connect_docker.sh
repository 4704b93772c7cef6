#!/usr/bin/env bash
# connect-N with `docker network connect` on a real dockerd started inside the sandbox
# (tests/docker/dockerd.sh): N busybox containers started on Docker's default bridge beforehand (not
# timed), then each connected to a user-defined bridge network and disconnected again, one CLI call
# each, as a user or a script does it. Prints "connect S" and "disconnect S" like connect_cni.sh.
set -euo pipefail
N=$1
here=$(dirname "$(readlink -f "$0")")
sock=$("$here/../../tests/docker/dockerd.sh")
trap '"$here/../../tests/docker/dockerd.sh" stop >/dev/null 2>&1 || true' EXIT
d() { docker -H "unix://$sock" "$@"; }
d network create --subnet 198.18.0.0/20 --gateway 198.18.0.1 benchnet >/dev/null
for i in $(seq 1 "$N"); do d run -d --name c$i vnet-busybox sleep 100000 >/dev/null; done
t0=$(date +%s.%N)
for i in $(seq 1 "$N"); do d network connect benchnet c$i; done
t1=$(date +%s.%N)
for try in 1 2 3 4 5; do d exec c1 ping -c 1 -W 2 198.18.0.1 >/dev/null 2>&1 && break; [ $try = 5 ] && { echo "c1 does not reach 198.18.0.1" >&2; exit 1; }; sleep 1; done
for i in $(seq 1 "$N"); do d network disconnect benchnet c$i; done
t2=$(date +%s.%N)
d rm -f $(seq -f 'c%g' 1 "$N") >/dev/null
d network rm benchnet >/dev/null
echo "connect $(echo "$t1 - $t0" | bc)"
echo "disconnect $(echo "$t2 - $t1" | bc)"
