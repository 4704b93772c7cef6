@{
    Synopsis = 'Lists the NAT rules VNet made in a namespace, with their counters (VNet''s part of `iptables -t nat -L -v`).'
    Description = @'
Get-NatRule reads VNet's nftables table (`table inet vnet`) of a namespace and returns one object
per rule that Add-NatRule made: each masquerade and SNAT rule, and each published port or range
(all the map elements of one publish make one rule). VNet's own plumbing, the hairpin and
isolation rules, is not listed; Get-NetFilterRule shows everything.

Packets and Bytes are the rule's counters (for a publish, the sum over its ports). NAT is decided
once per connection, so they count the first packet of each connection, not all its traffic.

Rules made by other tools (Docker's MASQUERADE and DNAT rules, your own iptables rules) are not
VNet's and are not listed; Get-NetFilterRule shows those too. A namespace where VNet has made no
rule returns nothing.
'@
    Parameters = @{
        Id = @'
Only the rules whose Id matches, such as publish-tcp-10080 or masquerade-198.51.100.0/24.
Wildcards (* and ?) are allowed: publish-* lists every published port. By default, every rule.
'@
        Namespace = 'The namespace whose rules to list: {{Namespace}}'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NatRule'; Description = 'One object per rule: Id, Kind (Masquerade, Snat or Publish), AddressFamily (IPv4 or IPv6), Source, OutInterface, ToAddress, Protocol, PublishPort, ToPort, HostAddress, Packets, Bytes, Text (the rule as nft prints it) and Namespace. Id and Namespace pipe into Remove-NatRule.' }
    )
    Errors = @(
        'NamespaceNotFound: -Namespace does not exist.'
        'InvalidNamespaceName, NamespaceStale: the namespace name is not valid, or is an empty file.'
        'NftablesMissing: libnftables is not installed (Debian and Ubuntu: libnftables1).'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN (reading the ruleset needs it too).'
    )
    Examples = @(
        @{
            Title = 'The NAT rules of the current namespace'
            Code = @'
Get-NatRule
'@
            Output = @'
Id                                 Kind       Packets  Rule
--                                 ----       -------  ----
publish-tcp-10080                  Publish    2        tcp dport 10080 dnat to 198.51.100.11:80 (map @pub_tcp)
masquerade-198.51.100.0/24         Masquerade 1        ip saddr 198.51.100.0/24 ip daddr != 198.51.100.0/24 masquerade
'@
            Remarks = @'
After one ping from ns1 to the outside and two connections to port 10080: one connection
masqueraded, two forwarded to ns1:80.
'@
        }
        @{
            Title = 'Every property of one rule'
            Code = @'
Get-NatRule publish-tcp-10080 | Format-List
'@
            Output = @'
Id           : publish-tcp-10080
Kind         : Publish
Namespace    :
Source       :
OutInterface :
ToAddress    : 198.51.100.11
Protocol     : tcp
PublishPort  : 10080
ToPort       : 80
HostAddress  :
Packets      : 2
Bytes        : 120
Text         : tcp dport 10080 dnat to 198.51.100.11:80 (map @pub_tcp)
'@
            Remarks = @'
Namespace is empty for the current namespace.
'@
        }
        @{
            Title = 'Published ports of an emulated host'
            Code = @'
Get-NatRule publish-* -Namespace hostA | Select-Object Id, PublishPort, ToAddress, ToPort
'@
            Output = @'
Id                           PublishPort ToAddress     ToPort
--                           ----------- ---------     ------
publish-tcp-8000-8010        8000-8010   198.51.100.12 80
publish-tcp-10080            10080       198.51.100.11 80
publish-tcp-20000-20999      20000-20999 198.51.100.13 20000-20999
publish-udp-203.0.113.1-5353 5353        198.51.100.12 5353
'@
            Remarks = @'
Like `docker port` for every container at once: which host port goes where.
'@
        }
        @{
            Title = 'Remove every NAT rule VNet made in a namespace'
            Code = @'
Get-NatRule -Namespace hostA | Remove-NatRule
'@
            Remarks = @'
Id and Namespace bind by property name. With the last rule (and no isolated bridge left), VNet's
table goes too.
'@
        }
    )
    Links = @('Add-NatRule', 'Remove-NatRule', 'Get-NetFilterRule', 'Get-NetConntrack')
}
