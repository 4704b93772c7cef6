#!/usr/bin/env bash
# bridge-N with ip -batch: one batch for the host namespace, one per container (addresses and
# routes must be made inside each namespace, which a batch cannot switch to).
set -e
N=$1
{
  echo "netns add bh"
  for i in $(seq 1 "$N"); do echo "netns add c$i"; done
} | ip -batch -
{
  echo "link add br0 type bridge"
  echo "addr add 2001:db8::1/64 dev br0 nodad"
  echo "link set br0 up"
  for i in $(seq 1 "$N"); do
    echo "link add v$i type veth peer name eth0 netns c$i"
    echo "link set v$i master br0"
    echo "link set v$i up"
  done
} | ip -n bh -batch -
for i in $(seq 1 "$N"); do
  printf 'link set lo up\nlink set eth0 up\naddr add 2001:db8::%x/64 dev eth0 nodad\nroute add default via 2001:db8::1\n' $((i + 1)) | ip -n c$i -batch -
done
