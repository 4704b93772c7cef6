@{
    Synopsis = 'Follows a flow through a namespace''s firewall and lists, in order, each table, chain and rule it passed with the verdict, as `iptables -t raw -A PREROUTING ... -j TRACE` and the kernel log do.'
    Description = @'
Trace-NetPacket answers "where does my packet go, and which rule drops it?" without
raw-table rules or reading the kernel log. It watches the firewall of one namespace (-Namespace,
the "host" the packets cross) for the flow described by -Protocol, -Source, -Destination and
-Port, and returns one object per step: the table and chain the packet went through, the rule
that matched (its text and handle) and the verdict there (accept, drop, jump CHAIN, return,
continue, or the chain's policy).

With -SendFrom, it sends one probe itself, from that namespace (a container, or the outside): a
ping for icmp, or one TCP connection attempt or UDP datagram to -Port, with a timeout of a second.
It stops once the trace has been quiet for a moment after the probe (or at -TimeoutSec). Without -SendFrom it waits
for matching traffic, whatever sends it, until -TimeoutSec or -MaxSteps.

How: for the duration of the trace, VNet adds a table of its own (`table ip vnet-trace`) with a
rule in the prerouting and output hooks that sets `meta nftrace` on the matching packets, ahead of
the usual tables (priority -350, before raw and conntrack); the kernel then reports each rule they hit to VNet over netlink. The
table is removed at the end, also after an error or Ctrl+C. The steps of the trace table itself
are not shown.

Every nftables table reports its steps: VNet's, and Docker's iptables rules as iptables-nft keeps
them (nat PREROUTING, filter FORWARD, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2, DOCKER ...). Rules of
iptables-legacy do not, and a namespace without any table has nothing to show.

Reading the steps: a step of Type rule with an empty Rule and the verdict continue means that no
rule of that chain decided; the policy step after it gives the chain's verdict. A TCP flow shows
one run of steps per packet that matches (the handshake's SYN, then its ACK, ...); only the first
packet of a connection goes through the nat chains.
'@
    Parameters = @{
        Namespace = 'The namespace whose firewall to watch, the one the packets cross (the host of the containers): {{Namespace}}'
        Protocol = 'The protocol of the flow: icmp (the default, a ping), tcp or udp.'
        Source = 'Only packets from this source address, such as a container''s 198.51.100.11. By default, any source.'
        Destination = @'
Only packets to this destination address, such as an outside 203.0.113.2, or the host's
203.0.113.1 for a published port (the address as the packet carries it when it arrives, before
any DNAT). Required with -SendFrom, where it is also where the probe goes.
'@
        Port = 'For tcp and udp: only packets to this destination port, such as the published 10080. Required with -SendFrom for tcp and udp, where it is the port the probe goes to.'
        SendFrom = @'
Sends one probe from this namespace, such as the container ns1 or the outside namespace, to
-Destination (and -Port): `ping -c 1` for icmp, a TCP connection attempt or a UDP datagram (with
socat) for tcp and udp. It is a name under /run/netns (as `ip netns list` shows) or the path of a
namespace file, such as /run/docker/netns/1a2b3c4d5e6f for a Docker container. Without it,
Trace-NetPacket only watches for traffic that something else sends.
'@
        TimeoutSec = 'How long to watch at most, in seconds, from 1 to 300. The default is 3. With -SendFrom the trace usually ends sooner, once it has been quiet for a moment after the probe.'
        MaxSteps = 'Stops after this many steps, from 1 to 100000. The default is 200: enough for a few packets through Docker''s chains, and a bound on a busy flow.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NetTraceStep'; Description = 'One object per step, in order: Step (1, 2, ...), TraceId (the kernel''s id for the traced packet), Family, Table, Chain, Type (rule, return or policy), RuleHandle, Rule (its text as Get-NetFilterRule shows it, counters as they were when the trace started), Verdict, InInterface and OutInterface.' }
    )
    Errors = @(
        'TraceNeedsDestination: -SendFrom was given without -Destination.'
        'TraceNeedsPort: -SendFrom with tcp or udp was given without -Port.'
        'InvalidPort: -Port is not from 1 to 65535.'
        'InvalidIPAddress: -Source or -Destination is not an IP address.'
        'NamespaceNotFound: -Namespace or -SendFrom does not exist.'
        'CommandNotFound: the probe''s program (ping, or socat for tcp and udp) is not installed.'
        'NftablesMissing: libnftables is not installed (Debian and Ubuntu: libnftables1).'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Notes = @'
The trace is of one namespace's firewall. To follow a packet from a container to the outside,
watch the host (-Namespace, or nothing for the current namespace) and send from the container
(-SendFrom); the container's own namespace usually has no rules.

Tracing is IPv4 only, as VNet's NAT is.
'@
    Examples = @(
        @{
            Title = 'A ping from a container to the outside, on a host with Docker''s rules'
            Code = @'
Trace-NetPacket -Source 198.51.100.11 -Destination 203.0.113.2 -SendFrom ns1
'@
            Output = @'
Step Table            Chain                Type    Verdict            Rule
---- -----            -----                ----    -------            ----
1    inet vnet        prerouting           rule    continue
2    inet vnet        prerouting           policy  accept (policy)
3    ip nat           PREROUTING           rule    continue
4    ip nat           PREROUTING           policy  accept (policy)
5    inet vnet        forward              rule    continue
6    inet vnet        forward              policy  accept (policy)
7    ip filter        FORWARD              rule    jump DOCKER-USER   counter packets 6 bytes 504 jump DOCKER-USER
8    ip filter        DOCKER-USER          rule    accept             iifname "br0"  counter packets 3 bytes 252 accept
9    inet vnet        postrouting          rule    accept             ip saddr 198.51.100.0/24 ip daddr != 198.51.100.0/24 counter packets 2 bytes 124 masquerade comment "vnet:masquerade-198.51.100.0…
'@
            Remarks = @'
ns1's ping crosses the host: no DNAT in prerouting, then Docker's FORWARD jumps to DOCKER-USER,
where VNet's accept for br0 lets it through (the policy is DROP), and VNet's masquerade rule
rewrites its source in postrouting. Use Format-List for every property of each step.
'@
        }
        @{
            Title = 'A connection to a published port (iptables -t raw ... --dport 10080 -j TRACE)'
            Code = @'
# iptables -t raw -A PREROUTING -p tcp --dport 10080 -j TRACE
# curl 203.0.113.1:10080              (from another machine)
Trace-NetPacket -Protocol tcp -Destination 203.0.113.1 -Port 10080 -SendFrom outside
'@
            Output = @'
Step Table            Chain                Type    Verdict            Rule
---- -----            -----                ----    -------            ----
1    inet vnet        prerouting           rule    accept             fib daddr type local dnat ip to tcp dport map @pub_tcp
2    inet vnet        forward              rule    continue
3    inet vnet        forward              policy  accept (policy)
4    ip filter        FORWARD              rule    jump DOCKER-USER   counter packets 9 bytes 499 jump DOCKER-USER
5    ip filter        DOCKER-USER          rule    accept             oifname "br0" ct status dnat  counter packets 5 bytes 268 accept
6    inet vnet        postrouting          rule    continue
7    inet vnet        postrouting          policy  accept (policy)
8    ip nat           POSTROUTING          rule    continue
9    ip nat           POSTROUTING          policy  accept (policy)
10   inet vnet        forward              rule    continue
...
'@
            Remarks = @'
Like the kernel log of iptables' TRACE, where nat:DOCKER rewrote the destination to the container: here
VNet's prerouting lookup in the map pub_tcp does the DNAT, so Docker's nat PREROUTING is not
reached; the SYN is then forwarded to br0 and accepted in DOCKER-USER. From step 10 on, the
handshake's next packets pass the filter chains only (the nat chains see a connection once).
'@
        }
        @{
            Title = 'Why does a container not reach another network?'
            Code = @'
Invoke-NetNamespace ns1 -- ping -c 1 -W 1 192.0.2.11      # no answer
Trace-NetPacket -Destination 192.0.2.11 -SendFrom ns1
'@
            Output = @'
Step Table            Chain                Type    Verdict            Rule
---- -----            -----                ----    -------            ----
1    inet vnet        prerouting           rule    continue
2    inet vnet        prerouting           policy  accept (policy)
3    inet vnet        forward              rule    drop               iifname . oifname @isolated_pairs counter packets 1 bytes 84 drop comment "vnet:isolation"
'@
            Remarks = @'
The ping is dropped in the forward chain by VNet's isolation rule: br0 and br1 are both isolated
(Set-NetBridge). Set-NetBridge br1 -Isolated $false lets it through.
'@
        }
        @{
            Title = 'Watch traffic that something else sends'
            Code = @'
Trace-NetPacket -Protocol tcp -Destination 203.0.113.1 -Port 10080 -TimeoutSec 30 -MaxSteps 50 -Namespace hostA
'@
            Remarks = @'
Waits up to 30 seconds in the emulated host hostA for connections to its port 10080 (made from
another terminal, or by a client in the lab) and returns at most 50 steps.
'@
        }
    )
    Links = @('Get-NetFilterRule', 'Get-NatRule', 'Get-NetConntrack', 'Add-NatRule', 'Set-NetBridge')
}
