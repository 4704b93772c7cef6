#!/usr/bin/env bash
# bridge-N written as the seed articles write it: `ip netns exec NS ip ...` for every step inside a
# namespace (each one a new mount namespace and a /sys remount before `ip` runs), one process per step.
set -e
N=$1
ip netns add bh
ip netns exec bh ip link add br0 type bridge
ip netns exec bh ip addr add 2001:db8::1/64 dev br0 nodad
ip netns exec bh ip link set br0 up
for i in $(seq 1 "$N"); do
  c=c$i
  ip netns add $c
  ip netns exec bh ip link add v$i type veth peer name eth0 netns $c
  ip netns exec bh ip link set v$i master br0
  ip netns exec bh ip link set v$i up
  ip netns exec $c ip link set lo up
  ip netns exec $c ip link set eth0 up
  ip netns exec $c ip addr add 2001:db8::$(printf %x $((i + 1)))/64 dev eth0 nodad
  ip netns exec $c ip route add default via 2001:db8::1
done
