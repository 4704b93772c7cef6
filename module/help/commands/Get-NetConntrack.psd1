@{
    Synopsis = 'Lists the connections a namespace tracks, with their original and reply directions, as `conntrack -L` does; NAT shows up there.'
    Description = @'
Get-NetConntrack reads the connection tracking table of a namespace (over ctnetlink, the
interface `conntrack -L` uses) and returns one object per tracked IPv4 connection.

Each entry has two directions. The original one is the first packet as it arrived: Source,
SourcePort, Destination, DestinationPort. The reply one is what an answer must look like:
ReplySource, ReplySourcePort, ReplyDestination, ReplyDestinationPort. Where they do not mirror
each other, NAT happened:

- masquerade or SNAT (SourceNat, status SRC_NAT): the reply goes to the host's address, not the
container's (198.51.100.11 -> 203.0.113.2, reply 203.0.113.2 -> 203.0.113.1);
- a published port (DestinationNat, status DST_NAT): the reply comes from the container, not from
the host port that was dialled (203.0.113.2 -> 203.0.113.1:10080, reply 198.51.100.11:80 ->
203.0.113.2);
- hairpin: both at once.

State is the TCP state (SYN_SENT, ESTABLISHED, TIME_WAIT, ...; empty for UDP and ICMP), Status
the conntrack flags (SEEN_REPLY, ASSURED, SRC_NAT, DST_NAT), Timeout the seconds the entry has
left.

Each namespace has its own table, and it only tracks connections while some rule needs conntrack
(a NAT rule, a `ct state` match such as Docker's): a namespace without such rules lists nothing.

With -Watch, it streams the table's changes instead, as `conntrack -E` does: each connection when it
is created (Event New), when its state changes (Update) and when it ends (Destroy), with the time,
until Ctrl+C, -TimeoutSec or -Count. -Source and -Destination filter the events the same way.
'@
    Parameters = @{
        Source = 'Only connections with this source address in either direction (the original Source or the ReplySource), such as a container''s 198.51.100.11.'
        Destination = 'Only connections with this destination address in either direction (the original Destination or the ReplyDestination), such as the outside address 203.0.113.2.'
        Namespace = 'The namespace whose connections to list (the "host" that does the NAT): {{Namespace}}'
        Watch = 'Streams new, updated and destroyed connections as they happen (`conntrack -E`) instead of listing the table.'
        TimeoutSec = 'With -Watch: stops after this many seconds. 0 (the default) watches until Ctrl+C or -Count.'
        Count = 'With -Watch: stops after this many events. 0 (the default) has no limit.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NetConntrackEntry'; Description = 'One object per connection: Protocol, Source, SourcePort, Destination, DestinationPort, ReplySource, ReplySourcePort, ReplyDestination, ReplyDestinationPort, State, Status, SourceNat, DestinationNat, Timeout and Namespace; with -Watch also Event (New, Update, Destroy) and Time.' }
    )
    Errors = @(
        'InvalidIPAddress: -Source or -Destination is not an IP address.'
        'NamespaceNotFound: -Namespace does not exist.'
        'InvalidNamespaceName, NamespaceStale: the namespace name is not valid, or is an empty file.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'See NAT happen (conntrack -L)'
            Code = @'
# conntrack -L
Get-NetConntrack
'@
            Output = @'
Proto Original                                 Reply                                    State       Status
----- --------                                 -----                                    -----       ------
tcp   198.51.100.12:37834 -> 203.0.113.1:10080 198.51.100.11:80 -> 198.51.100.1:37834   TIME_WAIT   SEEN_REPLY,ASSURED,SRC_NAT,DST_NAT
tcp   203.0.113.2:58858 -> 203.0.113.1:10080   198.51.100.11:80 -> 203.0.113.2:58858    TIME_WAIT   SEEN_REPLY,ASSURED,DST_NAT
icmp  198.51.100.11 -> 203.0.113.2             203.0.113.2 -> 203.0.113.1                           SEEN_REPLY,SRC_NAT
'@
            Remarks = @'
After Add-NatRule -Masquerade -Source 198.51.100.0/24 and -PublishPort 10080 -ToAddress
198.51.100.11 -ToPort 80. From the bottom: ns1's ping to the outside, masqueraded (the reply goes
to the uplink address 203.0.113.1); a connection from the outside to port 10080, forwarded to
ns1:80; and ns2's connection to the same port, forwarded and masqueraded to the bridge address
(hairpin).
'@
        }
        @{
            Title = 'One connection in full'
            Code = @'
Get-NetConntrack -Destination 203.0.113.2 | Where-Object Protocol -eq tcp | Format-List
'@
            Output = @'
Protocol             : tcp
Source               : 198.51.100.11
Destination          : 203.0.113.2
SourcePort           : 58896
DestinationPort      : 7000
ReplySource          : 203.0.113.2
ReplyDestination     : 203.0.113.1
ReplySourcePort      : 7000
ReplyDestinationPort : 58896
State                : TIME_WAIT
Status               : {SEEN_REPLY, ASSURED, SRC_NAT}
SourceNat            : True
DestinationNat       : False
Timeout              : 119
Namespace            :
'@
            Remarks = @'
ns1 (198.51.100.11) connected to a server on port 7000 of the outside namespace (203.0.113.2),
through the masquerade rule. The server answered 203.0.113.1, the host's uplink: it never saw the
container's address.
'@
        }
        @{
            Title = 'Watch connections come and go (conntrack -E)'
            Code = @'
# conntrack -E
Get-NetConntrack -Watch -Destination 203.0.113.2
'@
            Output = @'
Time     Event   Proto Original                    Reply
----     -----   ----- --------                    -----
09:20:11 New     icmp  198.51.100.11 -> 203.0.113.2 203.0.113.2 -> 203.0.113.1
09:20:11 Update  icmp  198.51.100.11 -> 203.0.113.2 203.0.113.2 -> 203.0.113.1
09:20:41 Destroy icmp  198.51.100.11 -> 203.0.113.2 203.0.113.2 -> 203.0.113.1
'@
            Remarks = 'A ping from ns1 to the outside: created, answered (Update), and expired 30 seconds later. Ctrl+C ends the watch.'
        }
        @{
            Title = 'Masqueraded connections of one container, in an emulated host'
            Code = @'
Get-NetConntrack -Source 198.51.100.11 -Namespace hostA | Where-Object SourceNat
'@
            Remarks = @'
-Source matches either direction; Where-Object SourceNat keeps the translated ones.
'@
        }
    )
    Links = @('Add-NatRule', 'Get-NatRule', 'Trace-NetPacket', 'Get-NetFilterRule', 'Watch-NetEvent')
}
