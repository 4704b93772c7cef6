@{
    Synopsis = 'Adds a NAT rule: masquerade or SNAT for a subnet (`iptables -t nat -A POSTROUTING -s NET -j MASQUERADE`), or a published port (`docker run -p 10080:80`).'
    Description = @'
Add-NatRule adds one rule of one of three kinds to a namespace, in VNet's own nftables table
(`table inet vnet`, one per namespace, for IPv4 and IPv6), and returns it:

- -Masquerade: packets from -Source going to another network leave with the address of the
interface they leave by (MASQUERADE). This is how containers behind a bridge reach the outside.
- -Snat: the same, but rewritten to one fixed address, -ToAddress (SNAT --to-source).
- -PublishPort: connections to a port of the host are forwarded to a container, -ToAddress and
-ToPort, as `docker run -p 10080:80` does (DNAT). It works from the outside (the
prerouting hook), from the host itself (the output hook; not for loopback addresses such as
127.0.0.1) and from the published container's neighbours on the same bridge (hairpin: their
source is masqueraded to the bridge's address, so the answer comes back the same way).

Each rule has an Id built from what it does, such as masquerade-198.51.100.0/24,
masquerade-198.51.100.0/24-via-up0, snat-198.51.100.0/24-to-203.0.113.1, publish-tcp-10080,
publish-tcp-8000-8010 or publish-udp-203.0.113.1-5353. Get-NatRule lists them with counters;
Remove-NatRule takes the Id and removes every piece of the rule.

Each call is one nftables transaction (VNet runs its change through libnftables, the library
behind `nft`): all of it lands or none of it does, and nothing outside VNet's table is flushed,
edited or reordered. `nft list ruleset` shows VNet's rules, each with a comment "vnet:ID". VNet
gives libnftables its rules as JSON data, so an interface name holding '"', ';' or '{' is just a
name. Callers in other processes and runspaces changing one namespace at once take turns (a lock
per namespace under /run/vnet that the kernel drops if its holder dies), so none of their rules is
lost or made twice.

Rules that come down the pipeline (objects with PublishPort, ToAddress, ToPort, ... properties,
such as `Import-Csv ports.csv | Add-NatRule`) are gathered and added together when the pipeline
ends: every one is checked first, against each other and what exists, and then all of them land
in one transaction per namespace, or none does. 1,000 publishes cost about what one does.

IPv6: a -Source, -ToAddress or -HostAddress that is IPv6 makes an IPv6 rule (ip6 saddr ...
masquerade, or a publish to an IPv6 container, whose Id starts with publish6-, as
publish6-tcp-10080). The addresses of one rule are of one family; a port can be published to an
IPv4 and to an IPv6 container at once, as Docker does on a dual-stack network.

Published ports are elements of a map, not rules: the table has one lookup per protocol, however
many ports are published, so publishing 1,000 ports (-PublishPort 20000-20999) adds 1,000 map
elements in one transaction, and each packet still costs one lookup.

A -Source with host bits set, such as the bridge address with its prefix that a hand-written
`iptables -t nat -A POSTROUTING -s 198.51.100.1/24 -j MASQUERADE` uses (198.51.100.1/24 here), is taken as its network (198.51.100.0/24), with a
warning. A bare address is one host (/32).

Forwarding: NAT needs forwarding. If net.ipv4.ip_forward (for an IPv6 rule,
net.ipv6.conf.all.forwarding) is off in the namespace (it is off in a new one), Add-NatRule turns
it on and says so with a warning, as Docker does. It stays on
after the rule is removed (Set-NetIPForwarding turns it off).

A FORWARD policy of DROP (Docker sets one): VNet never does `iptables -P FORWARD ACCEPT`, the
step hand-made setups often take, since that opens forwarding for the whole host. If the namespace's FORWARD
chain (iptables-nft's `table ip filter`) has the policy DROP, VNet adds two accept rules for each
bridge its rules serve (the bridge a -Source subnet or a published container is reached by):
traffic coming in from the bridge, and replies and published connections going out to it. They
go into DOCKER-USER, the chain Docker leaves to its users, or at the top of FORWARD where there is
no DOCKER-USER; they carry the comment "vnet:forward:BRIDGE", and -Verbose says when they are
added. Docker's own rules are left as they were. Remove-NatRule takes the accepts out when no rule
needs that bridge any more.
'@
    Parameters = @{
        Masquerade = 'Adds a masquerade rule: packets from -Source to other networks leave with the address of their outgoing interface, like `iptables -t nat -A POSTROUTING -s NET -j MASQUERADE`.'
        Snat = 'Adds a source NAT rule: packets from -Source to other networks leave with the fixed address -ToAddress, like `iptables -t nat -A POSTROUTING -s NET -j SNAT --to-source ADDRESS`.'
        PublishPort = @'
The port of the host to publish, such as 10080, or a range such as 8000-8010 (FROM-TO, FROM not
above TO, each from 1 to 65535). Like the first number of `docker run -p 10080:80`.
'@
        Source = @'
The subnet whose packets are translated, such as 198.51.100.0/24 (usually the subnet of a bridge).
Packets from it to the same subnet are not translated. An address with host bits, such as
198.51.100.1/24, is taken as its network, with a warning; a bare address is that one host. IPv4
or IPv6 (2001:db8:2::/64).
'@
        OutInterface = @'
Translates only packets leaving by this interface, such as the uplink (`-o up0`). Without it,
packets from -Source to every other network are translated, including to another bridge of the
same host. The interface must exist. The Id gets "-via-NAME".
'@
        ToAddress = @'
With -Snat: the address the source is rewritten to, usually an address of the host's uplink.
With -PublishPort: the container's address that connections are forwarded to, such as
198.51.100.11 or 2001:db8:2::11. Of the same family as -Source or -HostAddress.
'@
        Protocol = 'The protocol of the published port: tcp (the default) or udp.'
        ToPort = @'
The container's port or range. By default, the same as -PublishPort. A single port with a range
of -PublishPort forwards every port of the range to that one port; a range must be as long as
-PublishPort's, and maps port by port.
'@
        HostAddress = @'
Publishes the port on this address of the host only, like `docker run -p 203.0.113.1:10080:80`.
By default the port is published on every local address. The Id gets the address:
publish-tcp-203.0.113.1-10080.
'@
        Namespace = 'The namespace whose NAT to change (the "host" of the containers): {{Namespace}}'
        PassThru = 'Returns the new rule (its Id is what Remove-NatRule takes). By default nothing is returned, as for every Add- and Set- cmdlet; Get-NatRule lists the rules at any time.'
        Force = 'Makes a re-run succeed: when the rule is already there as asked (the same source, kind and address; the same published ports, target and protocol), it is left alone (returned with -PassThru) instead of a NatRuleExists or PublishExists error. When the source''s rule or a published port is held by a rule of other settings, the error ExistsDifferently names the difference.'
    }
    Inputs = 'Objects with PublishPort, ToAddress, ToPort, Protocol, HostAddress, Source, OutInterface and Namespace properties bind by name; a pipeline of them is added as one change. Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NatRule'; Description = 'With -PassThru, the new rules as Get-NatRule shows it: Id, Kind (Masquerade, Snat or Publish), AddressFamily (IPv4 or IPv6), Source, OutInterface, ToAddress, Protocol, PublishPort, ToPort, HostAddress, Packets, Bytes, Text (the rule as nft prints it) and Namespace. Id and Namespace pipe into Remove-NatRule.' }
    )
    Errors = @(
        'InvalidCidr, InvalidPrefixLength: -Source is not an address with an optional prefix length.'
        'InvalidIPAddress: -ToAddress or -HostAddress is not an IP address.'
        'NatFamilyMismatch: the addresses of the rule are of different families (an IPv6 -Source with an IPv4 -ToAddress, say).'
        'LockTimeout: another process held the namespace''s NAT lock for two minutes; the message names it.'
        'InvalidPort: a port is not a number from 1 to 65535.'
        'InvalidPortRange: -PublishPort or -ToPort is not PORT or FROM-TO with FROM not above TO, each from 1 to 65535; the message names the parameter and the value as typed.'
        'PortRangeMismatch: -ToPort is a range of another length than -PublishPort.'
        'NatRuleExists: a masquerade or SNAT rule with the same Id exists.'
        'PublishExists: a port of -PublishPort is already published (on the same host address); the message names the rule that has it, or says the port was put in VNet''s map by something other than VNet.'
        'NatBatchTooLarge: the ports to publish make one netlink message larger than this process may send (inside a user-namespace container, over net.core.wmem_max); publish the range in parts. Nothing was changed.'
        'LinkNotFound: -OutInterface does not exist in the namespace.'
        'InvalidLinkName, LinkNameTooLong: -OutInterface is not a valid interface name.'
        'NamespaceNotFound: -Namespace does not exist.'
        'NftablesMissing: libnftables is not installed (Debian and Ubuntu: libnftables1).'
        'IptablesRejected: iptables refused to add the accept rules for a FORWARD policy of DROP.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Notes = @'
A change the kernel refuses (for example, a kernel without nftables NAT) fails with the ErrorId
NftablesRejected and nft's own message; as the change is one transaction, none of it is applied.

VNet's rules are in nftables. They live next to iptables-nft's tables (Docker's nat and filter)
without touching them; rules of iptables-legacy are not in nftables at all and VNet does not see
them.

The counters (Packets, Bytes) of NAT rules count the first packet of each connection only: the
kernel consults the NAT hooks once per connection, and conntrack translates the rest.
'@
    Examples = @(
        @{
            Title = 'Containers reach the outside'
            Code = @'
# sysctl -w net.ipv4.ip_forward=1
# iptables -P FORWARD ACCEPT                  (VNet never does this)
# iptables -t nat -A POSTROUTING -s 198.51.100.1/24 -j MASQUERADE
Add-NatRule -Masquerade -Source 198.51.100.1/24 -PassThru
Invoke-NetNamespace ns1 -- ping -c 1 203.0.113.2
'@
            Output = @'
WARNING: Source 198.51.100.1/24 has host bits set; using the network 198.51.100.0/24.
WARNING: IPv4 forwarding was off in the current namespace; VNet turned it on (net.ipv4.ip_forward=1), as NAT needs it.

Id                                 Kind       Packets  Rule
--                                 ----       -------  ----
masquerade-198.51.100.0/24         Masquerade 0        ip saddr 198.51.100.0/24 ip daddr != 198.51.100.0/24 masquerade

PING 203.0.113.2 (203.0.113.2) 56(84) bytes of data.
64 bytes from 203.0.113.2: icmp_seq=1 ttl=63 time=0.175 ms
'@
            Remarks = @'
ns1 (198.51.100.11) sits behind br0 (198.51.100.1/24); 203.0.113.2 is an outside
address reached over the uplink up0 (203.0.113.1). The source given has host bits, so VNet uses
the network and warns; it also turns forwarding on and warns. The outside sees the ping come from
203.0.113.1, as Get-NetConntrack shows.
'@
        }
        @{
            Title = 'On a host whose FORWARD policy is DROP (Docker''s rules)'
            Code = @'
Add-NatRule -Masquerade -Source 198.51.100.0/24 -Verbose -PassThru
iptables -S DOCKER-USER
'@
            Output = @'
VERBOSE: Performing the operation "Masquerade 198.51.100.0/24" on target "current namespace".
VERBOSE: The FORWARD policy is DROP: accepted forwarded traffic of bridge 'br0' in chain DOCKER-USER.

Id                                 Kind       Packets  Rule
--                                 ----       -------  ----
masquerade-198.51.100.0/24         Masquerade 0        ip saddr 198.51.100.0/24 ip daddr != 198.51.100.0/24 masquerade

-N DOCKER-USER
-A DOCKER-USER -i br0 -m comment --comment "vnet:forward:br0" -j ACCEPT
-A DOCKER-USER -o br0 -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -m comment --comment "vnet:forward:br0" -j ACCEPT
-A DOCKER-USER -j RETURN
'@
            Remarks = @'
Where Docker runs, FORWARD drops what no rule accepts, so br0's containers could not get out.
Instead of a global `iptables -P FORWARD ACCEPT`, VNet accepts br0's traffic only, in DOCKER-USER,
and -Verbose says so. Docker's chains (DOCKER, DOCKER-ISOLATION-STAGE-1/2) are not touched.
'@
        }
        @{
            Title = 'Publish a container''s port (docker run -p 10080:80)'
            Code = @'
# docker run -itd --name C1 -p 10080:80 nginx
Add-NatRule -PublishPort 10080 -ToAddress 198.51.100.11 -ToPort 80 -PassThru
Invoke-NetNamespace outside -- curl -s http://203.0.113.1:10080/     # from the outside
curl -s http://203.0.113.1:10080/                                    # from the host itself
Invoke-NetNamespace ns2 -- curl -s http://203.0.113.1:10080/         # from a neighbour on br0
'@
            Output = @'
Id                                 Kind       Packets  Rule
--                                 ----       -------  ----
publish-tcp-10080                  Publish    0        tcp dport 10080 dnat to 198.51.100.11:80 (map @pub_tcp)
'@
            Remarks = @'
A web server listens on ns1 (198.51.100.11) port 80. Port 10080 of every address of the host now
reaches it: from the outside namespace, from the host, and from ns2 on the same bridge (hairpin;
the server then sees ns2's connection come from 198.51.100.1, the bridge).
'@
        }
        @{
            Title = 'Publish 1,000 ports in one transaction'
            Code = @'
Add-NatRule -PublishPort 20000-20999 -ToAddress 198.51.100.13 -PassThru
Get-NetFilterRule vnet prerouting
'@
            Output = @'
Id                                 Kind       Packets  Rule
--                                 ----       -------  ----
publish-tcp-20000-20999            Publish    0        tcp dport 20000-20999 dnat to 198.51.100.13:20000-20999 (map @pub_tcp)

Family Table      Chain                  Handle Rule
------ -----      -----                  ------ ----
inet   vnet       prerouting             22     meta nfproto ipv4 dnat ip to ip daddr . tcp dport map @pub_tcp_addr:ip daddr . tcp dport map @pub_tcp_addr_port
inet   vnet       prerouting             24     meta nfproto ipv4 fib daddr type local dnat ip to tcp dport map @pub_tcp:tcp dport map @pub_tcp_port
...
'@
            Remarks = @'
Port 20000 goes to 198.51.100.13:20000, 20001 to :20001, and so on. The ports are 1,000
elements of the map pub_tcp (the address) and of pub_tcp_port (the port), added in one
transaction; the prerouting chain keeps the same lookup rules, whatever the number of ports. Remove-NatRule publish-tcp-20000-20999 takes all 1,000 out.
'@
        }
        @{
            Title = 'UDP on one host address, and a range to one port'
            Code = @'
# docker run -p 203.0.113.1:5353:5353/udp ...
Add-NatRule -PublishPort 5353 -Protocol udp -ToAddress 198.51.100.12 -HostAddress 203.0.113.1
Add-NatRule -PublishPort 8000-8010 -ToAddress 198.51.100.12 -ToPort 80
'@
            Output = @'
Id                                 Kind       Packets  Rule
--                                 ----       -------  ----
publish-udp-203.0.113.1-5353       Publish    0        udp dport 5353 to 203.0.113.1 dnat to 198.51.100.12:5353 (map @pub_udp_addr)
publish-tcp-8000-8010              Publish    0        tcp dport 8000-8010 dnat to 198.51.100.12:80 (map @pub_tcp)
'@
            Remarks = @'
The first is published on 203.0.113.1 only; the second forwards eleven host ports to port 80.
'@
        }
        @{
            Title = 'SNAT to a fixed address, only out of the uplink'
            Code = @'
# iptables -t nat -A POSTROUTING -s 192.0.2.0/24 -o up0 -j SNAT --to-source 203.0.113.1
Add-NatRule -Snat -Source 192.0.2.0/24 -OutInterface up0 -ToAddress 203.0.113.1 -Namespace hostA
'@
            Remarks = @'
In the emulated host hostA, traffic from 192.0.2.0/24 leaving by up0 gets the source 203.0.113.1;
traffic to hostA's other bridges keeps its own source. The Id is
snat-192.0.2.0/24-via-up0-to-203.0.113.1.
'@
        }
        @{
            Title = 'One publish per container, from a pipeline, in one transaction'
            Code = @'
$ports = 1..100 | ForEach-Object {
    [pscustomobject]@{ PublishPort = 20000 + $_; ToAddress = "198.51.100.$($_ + 10)"; ToPort = 80 }
}
$ports | Add-NatRule | Measure-Object
'@
            Output = @'
Count             : 100
'@
            Remarks = @'
Each object binds by property name. Add-NatRule checks all 100 first and adds them when the
pipeline ends, in one nftables transaction: if one is bad (a port already published, an address
that is not one), none is added and the error names it.
'@
        }
        @{
            Title = 'IPv6: masquerade and publish for a dual-stack bridge'
            Code = @'
Add-NatRule -Masquerade -Source 2001:db8:2::/64 -OutInterface up0
Add-NatRule -PublishPort 10080 -ToAddress 2001:db8:2::11 -ToPort 80
Add-NatRule -PublishPort 10080 -ToAddress 198.51.100.11 -ToPort 80
'@
            Output = @'
WARNING: IPv6 forwarding was off in the current namespace; VNet turned it on (net.ipv6.conf.all.forwarding=1), as NAT needs it.

Id                                 Kind       Packets  Rule
--                                 ----       -------  ----
masquerade-2001:db8:2::/64-via-up0 Masquerade 0        ip6 saddr 2001:db8:2::/64 ip6 daddr != 2001:db8:2::/64 oifname "up0" masquerade
publish6-tcp-10080                 Publish    0        tcp dport 10080 dnat to [2001:db8:2::11]:80 (map @pub6_tcp)
publish-tcp-10080                  Publish    0        tcp dport 10080 dnat to 198.51.100.11:80 (map @pub_tcp)
'@
            Remarks = @'
The container has 198.51.100.11 and 2001:db8:2::11 behind br0. Its IPv6 traffic leaves with the
uplink's IPv6 address; port 10080 of the host reaches it over IPv4 and over IPv6.
'@
        }
    )
    Links = @('Get-NatRule', 'Remove-NatRule', 'Set-NetBridge', 'Get-NetConntrack', 'Trace-NetPacket', 'Get-NetFilterRule', 'Set-NetIPForwarding')
}
