#!/usr/bin/env bash
# Runs a command in a sandbox of its own: a new network namespace (own interfaces, own firewall,
# own sysctls), a new private mount namespace with fresh tmpfs on /run/netns, /run/docker,
# /run/vnet, /var/lib/vnet, /etc/vnet and /etc/netns (VNet's state roots and per-namespace
# resolv.conf), and a new PID namespace. Whatever the command does, even if it crashes, the host's
# network namespace, firewall, /run/netns and VNet state are untouched, and no process it started
# (the VNet agent, etcd, dockerd) outlives it: when the command exits, the kernel ends every
# process of the PID namespace and tears the rest down.
#
#   tests/sandbox.sh <command> [args...]
set -euo pipefail
if [ "${VNET_IN_SANDBOX:-}" = 1 ]; then exec "$@"; fi
if [ "$(id -u)" != 0 ]; then
  echo "sandbox.sh: needs root (unshare of the network and mount namespaces)" >&2
  exit 77
fi
export VNET_IN_SANDBOX=1
# A network made without -Subnet inside the sandbox takes its subnet from RFC 2544's benchmarking
# range, never from the built-in defaults (Docker's private pools), whatever a test forgets to set.
export VNET_DEFAULT_ADDRESS_POOLS=${VNET_DEFAULT_ADDRESS_POOLS:-base=198.18.0.0/15,size=24}
exec unshare --net --mount --propagation private --pid --fork --mount-proc -- bash -c '
  set -e
  # /run/containerd: where the containerd shims of the Docker tests keep their sockets.
  for d in /run/netns /run/docker /run/vnet /run/containerd /var/lib/vnet /etc/vnet /etc/netns; do mkdir -p "$d"; mount -t tmpfs -o mode=0755 "vnet-sandbox" "$d"; done
  # /sys shows the network namespace of whoever mounted it: remount so tools reading
  # /sys/class/net see the sandbox, not the host.
  mount -t sysfs sysfs /sys 2>/dev/null || true
  # ... which hides the cgroup mount beneath it; dockerd (the Docker tests) needs it back.
  mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null || true
  # Docker writes its trust key under /etc/docker: give it a private one.
  mkdir -p /etc/docker 2>/dev/null && mount -t tmpfs -o mode=0700 vnet-sandbox /etc/docker 2>/dev/null || true
  ip link set lo up
  # Not exec: bash stays PID 1 of the namespace and reaps orphans (a daemonised agent killed by a
  # test), so a dead process never lingers as a zombie that still answers kill -0.
  rc=0; "$@" || rc=$?
  exit $rc
' vnet-sandbox "$@"
