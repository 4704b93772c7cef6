#!/usr/bin/env bash
# connect-N with netavark (Podman's network tool), run once per container as Podman runs it:
# `netavark --config DIR --file OPTS.json setup NSPATH`, the JSON naming the network and the
# container's address (Podman does the IPAM itself, so the script hands out addresses in order).
# DNS_ENABLED=1 also starts aardvark-dns for names, as Podman does for a network with DNS.
# Prints "connect S" and "disconnect S" like connect_cni.sh.
set -euo pipefail
N=$1
NETAVARK=${NETAVARK:-/usr/lib/podman/netavark}
DNS=${DNS_ENABLED:-0}
cfg=$(mktemp -d /run/vnet/netavark.XXXXXX)
trap 'rm -rf "$cfg"' EXIT
netid=$(printf 'b%.0s' {1..64})
dns=false; [ "$DNS" = 1 ] && dns=true
opts() { # $1 index
  local i=$1 ip
  ip="198.18.$(( (i + 1) / 256 )).$(( (i + 1) % 256 ))"
  cat <<JSON
{"container_id":"$(printf '%064x' "$i")","container_name":"c$i",
 "networks":{"benchnet":{"interface_name":"eth0","static_ips":["$ip"],"aliases":["c$i"]}},
 "network_info":{"benchnet":{"name":"benchnet","id":"$netid","driver":"bridge","network_interface":"nv-bench",
   "subnets":[{"subnet":"198.18.0.0/20","gateway":"198.18.0.1"}],"ipv6_enabled":false,"internal":false,
   "dns_enabled":$dns,"ipam_options":{"driver":"host-local"}}}}
JSON
}
{ for i in $(seq 1 "$N"); do echo "netns add c$i"; done; } | ip -batch -
for i in $(seq 1 "$N"); do opts "$i" > "$cfg/c$i.json"; done
t0=$(date +%s.%N)
for i in $(seq 1 "$N"); do
  "$NETAVARK" --config "$cfg" --rootless false --file "$cfg/c$i.json" setup /run/netns/c$i >/dev/null
done
t1=$(date +%s.%N)
# A few tries: on a shared host the global neighbour table can be full for a moment (ENOBUFS).
for try in 1 2 3 4 5; do ip netns exec c1 ping -c 1 -W 2 198.18.0.1 >/dev/null 2>&1 && break; [ $try = 5 ] && { echo "c1 does not reach 198.18.0.1" >&2; exit 1; }; sleep 1; done
for i in $(seq 1 "$N"); do
  "$NETAVARK" --config "$cfg" --rootless false --file "$cfg/c$i.json" teardown /run/netns/c$i >/dev/null
done
t2=$(date +%s.%N)
{ for i in $(seq 1 "$N"); do echo "netns del c$i"; done; } | ip -batch - 2>/dev/null || true
echo "connect $(echo "$t1 - $t0" | bc)"
echo "disconnect $(echo "$t2 - $t1" | bc)"
