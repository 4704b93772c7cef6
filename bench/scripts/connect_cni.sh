#!/usr/bin/env bash
# connect-N with the CNI bridge plugin and host-local IPAM, executed once per container as container
# runtimes execute it (JSON config on stdin, CNI_* in the environment). The namespaces are made
# beforehand and not timed; the script prints the seconds the N ADDs took ("connect S") and the
# seconds the N DELs took ("disconnect S").
set -euo pipefail
N=$1
CNI=${CNI_PLUGIN_DIR:-/usr/lib/cni}
data=$(mktemp -d /run/vnet/cni.XXXXXX)
trap 'rm -rf "$data"' EXIT
conf=$(cat <<JSON
{"cniVersion":"0.4.0","name":"benchnet","type":"bridge","bridge":"cni-bench","isGateway":true,"ipMasq":false,
 "ipam":{"type":"host-local","dataDir":"$data","ranges":[[{"subnet":"198.18.0.0/20","gateway":"198.18.0.1"}]],
 "routes":[{"dst":"0.0.0.0/0"}]}}
JSON
)
{ for i in $(seq 1 "$N"); do echo "netns add c$i"; done; } | ip -batch -
t0=$(date +%s.%N)
for i in $(seq 1 "$N"); do
  CNI_COMMAND=ADD CNI_CONTAINERID=c$i CNI_NETNS=/run/netns/c$i CNI_IFNAME=eth0 CNI_PATH=$CNI "$CNI/bridge" <<<"$conf" >/dev/null
done
t1=$(date +%s.%N)
# A few tries: on a shared host the global neighbour table can be full for a moment (ENOBUFS).
for try in 1 2 3 4 5; do ip netns exec c1 ping -c 1 -W 2 198.18.0.1 >/dev/null 2>&1 && break; [ $try = 5 ] && { echo "c1 does not reach 198.18.0.1" >&2; exit 1; }; sleep 1; done
for i in $(seq 1 "$N"); do
  CNI_COMMAND=DEL CNI_CONTAINERID=c$i CNI_NETNS=/run/netns/c$i CNI_IFNAME=eth0 CNI_PATH=$CNI "$CNI/bridge" <<<"$conf" >/dev/null
done
t2=$(date +%s.%N)
{ for i in $(seq 1 "$N"); do echo "netns del c$i"; done; echo "link del cni-bench"; } | ip -batch - 2>/dev/null || true
echo "connect $(echo "$t1 - $t0" | bc)"
echo "disconnect $(echo "$t2 - $t1" | bc)"
