#!/usr/bin/env python3
"""The far side of the overlay convergence benchmark (bench/README.md, "overlay").

Runs inside a container namespace on a lab host (`ip netns exec C python3 overlay_probe.py`, so
/etc/netns/C/resolv.conf points the libc resolver at the VNet agent). It reads names from stdin,
one a line, and for each tries, as fast as it usefully can, what a user's `ping NAME` does: resolve
the name (getaddrinfo) and get an ICMP echo reply from the address. When both succeeded it writes
"NAME EPOCH_SECONDS" (CLOCK_REALTIME, which every emulated host shares) to stdout and reads the next
name; "NAME timeout" after PROBE_TIMEOUT seconds (default 30). The bench sends a name just before
the Connect that makes it, and takes the difference to the epoch the connecting side printed when
Connect returned.

Until the name resolves it asks every 5 ms (an unknown single-label name is a quick NXDOMAIN from
the agent); once it has an address it sends an echo every 5 ms and takes the first reply from that
address carrying its identifier, whatever the sequence number, so a reply to an earlier echo that
arrives late counts the moment it arrives. The measurement's resolution is therefore about 5 ms.
"""
import os
import select
import socket
import struct
import sys
import time

INTERVAL = 0.005


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo_request(ident: int, seq: int) -> bytes:
    payload = b"vnet-overlay-bench"
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, seq) + payload


def drain(sock: socket.socket) -> None:
    """Drops replies of earlier names still queued on the socket."""
    while select.select([sock], [], [], 0)[0]:
        sock.recvfrom(2048)


def replied(sock: socket.socket, addr: str, ident: int, wait: float) -> bool:
    """True when an echo reply from addr with our identifier arrives within wait seconds."""
    deadline = time.monotonic() + wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        if not select.select([sock], [], [], left)[0]:
            return False
        data, src = sock.recvfrom(2048)
        ihl = (data[0] & 0x0F) * 4
        if len(data) < ihl + 8:
            continue
        typ, _, _, rid, _ = struct.unpack("!BBHHH", data[ihl:ihl + 8])
        if typ == 0 and rid == ident and src[0] == addr:
            return True


def probe(sock: socket.socket, name: str, ident: int, timeout: float) -> str:
    drain(sock)
    give_up = time.monotonic() + timeout
    addr = None
    seq = 0
    while time.monotonic() < give_up:
        if addr is None:
            try:
                addr = socket.getaddrinfo(name, None, socket.AF_INET)[0][4][0]
            except socket.gaierror:
                time.sleep(INTERVAL)
                continue
        seq = (seq + 1) & 0xFFFF
        try:
            sock.sendto(echo_request(ident, seq), (addr, 0))
        except OSError:
            # No route or neighbour yet (EHOSTUNREACH and the like): try again shortly.
            time.sleep(INTERVAL)
            continue
        if replied(sock, addr, ident, INTERVAL):
            return f"{name} {time.time():.6f}"
    return f"{name} timeout"


def main() -> int:
    timeout = float(os.environ.get("PROBE_TIMEOUT", "30"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    ident = os.getpid() & 0xFFFF
    print("ready", flush=True)
    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        print(probe(sock, name, ident, timeout), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
