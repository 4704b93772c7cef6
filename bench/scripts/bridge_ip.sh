#!/usr/bin/env bash
# bridge-N with one `ip` process per step, as the seed articles do it, but with `ip -n NS` (the
# cheaper form; bridge_ip_exec.sh has the seeds' own `ip netns exec NS ip`). IPv6 documentation
# addresses (2001:db8::/64), since 500 containers do not fit in a documentation /24.
set -e
N=$1
ip netns add bh
ip -n bh link add br0 type bridge
ip -n bh addr add 2001:db8::1/64 dev br0 nodad
ip -n bh link set br0 up
for i in $(seq 1 "$N"); do
  c=c$i
  ip netns add $c
  ip -n bh link add v$i type veth peer name eth0 netns $c
  ip -n bh link set v$i master br0
  ip -n bh link set v$i up
  ip -n $c link set lo up
  ip -n $c link set eth0 up
  ip -n $c addr add 2001:db8::$(printf %x $((i + 1)))/64 dev eth0 nodad
  ip -n $c route add default via 2001:db8::1
done
