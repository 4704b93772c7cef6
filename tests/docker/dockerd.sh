#!/usr/bin/env bash
# Starts a real dockerd INSIDE the test sandbox (never outside: it refuses), with every file it
# keeps under /run/docker (the sandbox's tmpfs), and imports an offline busybox image
# (vnet-busybox) since no image can be pulled. Prints the socket path; stop with `dockerd.sh stop`.
# With VNET_DOCKER_NETNS=NAME, dockerd (its docker0, iptables rules and containers) lives in that
# named namespace instead of the sandbox's own, so other tests never meet its FORWARD DROP.
set -euo pipefail
[ "${VNET_IN_SANDBOX:-}" = 1 ] || { echo "dockerd.sh: only inside tests/sandbox.sh" >&2; exit 2; }
base=/run/docker/vnet${VNET_DOCKER_NETNS:+-$VNET_DOCKER_NETNS}
sock=$base/docker.sock
if [ "${1:-}" = stop ]; then
  pid=$(cat $base/dockerd.pid 2>/dev/null || true)
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    # dockerd stops its containerd on the way out; wait for both, so a restart finds nothing stale.
    for _ in $(seq 200); do [ -d /proc/$pid ] || break; sleep 0.1; done
    pkill -f "containerd.*$base/" 2>/dev/null || true
    for _ in $(seq 50); do pgrep -f "containerd.*$base/" >/dev/null || break; sleep 0.1; done
  fi
  rm -f $sock
  exit 0
fi
command -v dockerd >/dev/null || { echo "dockerd.sh: dockerd is not installed (apt-get install docker.io)" >&2; exit 3; }
mkdir -p $base/data $base/exec
run=()
[ -n "${VNET_DOCKER_NETNS:-}" ] && run=(nsenter "--net=/run/netns/$VNET_DOCKER_NETNS")
"${run[@]}" dockerd --data-root $base/data --exec-root $base/exec --pidfile $base/dockerd.pid -H unix://$sock \
  --storage-driver vfs --bip 203.0.113.1/24 --userland-proxy=false > $base/dockerd.log 2>&1 &
for _ in $(seq 150); do
  if docker -H unix://$sock info >/dev/null 2>&1; then break; fi
  sleep 0.1
done
docker -H unix://$sock info >/dev/null 2>&1 || { echo "dockerd.sh: dockerd did not start:" >&2; tail -5 $base/dockerd.log >&2; exit 4; }
if ! docker -H unix://$sock image inspect vnet-busybox >/dev/null 2>&1; then
  img=$(mktemp -d)
  mkdir -p "$img/bin" "$img/www"
  cp /bin/busybox "$img/bin/busybox"
  for t in sh httpd ping sleep ip ifconfig cat echo wget nc mkdir; do ln -s busybox "$img/bin/$t"; done
  echo "hello from vnet-busybox" > "$img/www/index.html"
  tar -C "$img" -c . | docker -H unix://$sock import - vnet-busybox >/dev/null
  rm -rf "$img"
fi
echo $sock
