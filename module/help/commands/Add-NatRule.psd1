@{
    Synopsis = 'Adds a masquerade, SNAT or port-publish rule in VNet''s own nftables table, as `iptables -t nat -A POSTROUTING -s NET -j MASQUERADE` or `docker run -p 10080:80` do.'
    Description = @'
Add-NatRule adds one NAT rule, in one nftables transaction, to VNet's own table in the namespace
(`table ip vnet`): nothing it does not own is flushed, edited or reordered.

-Masquerade -Source NET: traffic from NET to anywhere outside NET leaves with the address of the
interface it goes out of (seed 004's MASQUERADE). -Snat rewrites to -ToAddress instead. A source with
host bits set (198.51.100.7/24) is normalised to its network, with a warning.

-PublishPort: connections to the port (or range) on any local address, or on -HostAddress only, go
to -ToAddress:-ToPort, from outside (PREROUTING), from the host itself (OUTPUT, as `docker run -p`
gives) and from neighbours on the same bridge (hairpin: their source is masqueraded so the reply
comes back through the host). Publishes are elements of a map: a thousand ports are one lookup and
one transaction.

Each rule has an Id (masquerade-198.51.100.0/24, publish-tcp-10080) that Get-NatRule returns,
Remove-NatRule takes, and `nft list ruleset` shows as a comment. NAT needs IP forwarding: if it is
off, it is turned on with a warning. VNet never sets a global FORWARD ACCEPT; where an iptables
FORWARD policy of DROP exists (Docker's), accepts for the bridges its rules serve are put in
DOCKER-USER (or at the top of FORWARD) and -Verbose says so.
'@
    Parameters = @{
        Masquerade = 'Add a masquerade rule for -Source.'
        Snat = 'Add a SNAT rule for -Source to -ToAddress.'
        PublishPort = 'The host port or range to publish, such as 10080 or 8000-8010 (1 to 65535, not reversed).'
        Source = 'The source network, such as 198.51.100.0/24 (IPv4).'
        OutInterface = 'Only traffic leaving through this interface.'
        ToAddress = 'SNAT: the address to rewrite to. Publish: the container''s address.'
        Protocol = 'tcp (default) or udp.'
        ToPort = 'The container''s port or range; one port, or a range as long as -PublishPort. Default: the same as -PublishPort.'
        HostAddress = 'Publish only on this host address, like `-p 203.0.113.1:10080:80`.'
        Namespace = 'The namespace whose NAT to change (the "host"): {{Namespace}}'
        PassThru = 'Writes the rule (it is written in any case).'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NatRule'; Description = 'The rule: Id, Kind, Source, OutInterface, ToAddress, Protocol, PublishPort, ToPort, HostAddress, counters and its text.' }
    )
    Errors = @(
        'InvalidPort: a port is outside 1..65535.'
        'InvalidPortRange: a range is reversed or malformed.'
        'PortRangeMismatch: -ToPort is neither one port nor as long as -PublishPort.'
        'InvalidProtocol: -Protocol is not tcp or udp.'
        'InvalidIPAddress: an address is not an address.'
        'InvalidCidr, InvalidPrefixLength: -Source is not a network.'
        'IPv6NatNotSupported: an IPv6 address was given.'
        'PublishExists: a port in the range is already published (the rule that owns it is named).'
        'NatRuleExists: the same masquerade or SNAT rule exists.'
        'LinkNotFound: -OutInterface does not exist.'
        'NftablesRejected: nftables refused the change (its words are in the message); nothing was changed.'
        'NftablesMissing: libnftables is not installed.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Reach the outside (seed 004, S3)'
            Code = @'
# iptables -t nat -A POSTROUTING -s 198.51.100.0/24 -j MASQUERADE
Add-NatRule -Masquerade -Source 198.51.100.0/24
'@
            Remarks = @'
Containers behind the bridge reach the outside, which sees the host's uplink address. The warning says if ip_forward was turned on.
'@
        }
        @{
            Title = 'Publish a port (docker run -p 10080:80, S4)'
            Code = @'
Add-NatRule -PublishPort 10080 -ToAddress 198.51.100.10 -ToPort 80
'@
            Remarks = @'
host:10080 reaches the container's port 80 from outside, from the host itself and from its neighbours.
'@
        }
        @{
            Title = 'A thousand ports at once'
            Code = @'
Add-NatRule -PublishPort 20000-20999 -ToAddress 198.51.100.10
'@
            Remarks = @'
One rule id, one transaction, one map lookup per packet.
'@
        }
    )
    Links = @('Get-NatRule', 'Remove-NatRule', 'Get-NetFilterRule', 'Trace-NetPacket')
}
