@{
    Synopsis = 'Follows one flow through the firewall and returns each table, chain and rule it passed, in order, with the verdict.'
    Description = @'
Trace-NetPacket does what `iptables -t raw -A PREROUTING ... -j TRACE` and reading the kernel log do, without raw rules or logs: it marks the flow you describe (protocol, source, destination, port) with nftables tracing in a table of its own, reads the kernel's trace events over netlink, and returns the steps: table, chain, rule text, and the verdict (accept, drop, jump, continue, the chain's policy). With -SendFrom it sends one probe (a ping, or a TCP/UDP packet to -Port) from that namespace; otherwise it waits for traffic. It is bounded by -TimeoutSec and -MaxSteps, and removes its marking table afterwards, also on Ctrl+C.
'@
    Parameters = @{
        Namespace = 'The namespace whose firewall to watch (the host the packet crosses): {{Namespace}}'
        Protocol = 'icmp (default), tcp or udp.'
        Source = 'The flow''s source address.'
        Destination = 'The flow''s destination address.'
        Port = 'The destination port (tcp and udp).'
        SendFrom = 'Send one probe from this namespace.'
        TimeoutSec = 'How long to watch, 1 to 300 seconds (default 3).'
        MaxSteps = 'Stop after this many steps (default 200).'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NetTraceStep'; Description = 'One object per step: Step, TraceId, Family, Table, Chain, Type (rule, return, policy), Rule, Verdict, InInterface, OutInterface.' }
    )
    Errors = @(
        'InvalidProtocol: -Protocol is not icmp, tcp or udp.'
        'InvalidPort: -Port is out of range.'
        'TraceNeedsPort: -SendFrom with tcp or udp but no -Port.'
        'TraceNeedsDestination: -SendFrom without -Destination.'
        'InvalidIPAddress: an address is not an address.'
        'NftablesMissing: libnftables is not installed.'
    )
    Examples = @(
        @{
            Title = 'Follow a ping to the outside (S9)'
            Code = @'
Trace-NetPacket -Source 198.51.100.10 -Destination 203.0.113.2 -SendFrom c1
'@
            Remarks = @'
Shows the forward chain's verdict (Docker's FORWARD and DOCKER-USER on a Docker host) and VNet's masquerade rule in postrouting.
'@
        }
        @{
            Title = 'Why does my published port not answer?'
            Code = @'
Trace-NetPacket -Protocol tcp -Destination 203.0.113.1 -Port 10080 -TimeoutSec 10
'@
            Remarks = @'
Waits up to 10 seconds for a connection to port 10080 and shows where it went.
'@
        }
    )
}
