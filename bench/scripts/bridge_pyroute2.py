#!/usr/bin/python3
# bridge-N with pyroute2, written idiomatically (NetNS objects per namespace).
import sys
from pyroute2 import NetNS, netns

n = int(sys.argv[1])
netns.create("bh")
h = NetNS("bh")
h.link("add", ifname="br0", kind="bridge")
br = h.link_lookup(ifname="br0")[0]
h.addr("add", index=br, address="2001:db8::1", prefixlen=64, flags=2)  # IFA_F_NODAD
h.link("set", index=br, state="up")
for i in range(1, n + 1):
    c = f"c{i}"
    netns.create(c)
    h.link("add", ifname=f"v{i}", kind="veth", peer={"ifname": "eth0", "net_ns_fd": c})
    v = h.link_lookup(ifname=f"v{i}")[0]
    h.link("set", index=v, master=br, state="up")
    ns = NetNS(c)
    lo = ns.link_lookup(ifname="lo")[0]
    ns.link("set", index=lo, state="up")
    e = ns.link_lookup(ifname="eth0")[0]
    ns.link("set", index=e, state="up")
    ns.addr("add", index=e, address=f"2001:db8::{i + 1:x}", prefixlen=64, flags=2)
    ns.route("add", dst="::/0", gateway="2001:db8::1", family=10)
    ns.close()
h.close()
