@{
    Synopsis = 'Isolates bridges from each other, or lifts the isolation, as Docker''s DOCKER-ISOLATION-STAGE-1/2 chains keep its networks apart.'
    Description = @'
Set-NetBridge -Isolated marks bridges isolated: no packet is routed from one isolated
bridge to another isolated bridge of the same namespace, in either direction, while each still
reaches the outside (with a masquerade rule, Add-NatRule) and the containers on one bridge still
talk to each other. This is what Docker does between its
networks with DOCKER-ISOLATION-STAGE-1 and -2. Bridges that are not isolated are
not affected. -Isolated:$false lifts it.

The isolation is VNet's: a set of bridge names in its own nftables table (`table inet vnet`) and
one drop rule in its forward chain, changed in one transaction. Docker's DOCKER-ISOLATION chains are
not used or touched.

Where the namespace's FORWARD policy is DROP (Docker sets it), routed traffic that no rule
accepts is dropped, so an isolated bridge could not reach the outside; VNet then accepts that
bridge's traffic in DOCKER-USER (or at the top of FORWARD without Docker), never with a global
FORWARD ACCEPT, and says so with -Verbose. When a
bridge is no longer isolated and no NAT rule needs it, the accepts go, and so does VNet's table
once nothing of VNet's is left in it. Under such a policy Set-NetBridge also makes sure the bridge
has the accept that lets its own ports talk (as New-NetBridge adds it), for a bridge made before
the policy was set.
'@
    Parameters = @{
        Bridge = 'The bridges to change, such as br0 (-Name is an alias). Objects that are links (Get-NetLink, New-NetBridge) bind by property name.'
        Isolated = 'A switch, as on New-NetBridge: -Isolated isolates the bridges from every other isolated bridge, -Isolated:$false lifts their isolation. Scripts that wrote -Isolated $true or -Isolated $false still work.'
        Namespace = 'The namespace the bridges are in: {{Namespace}}'
        PassThru = 'Returns each bridge (as Get-NetLink shows it) after the change. By default nothing is returned.'
    }
    Inputs = 'Get-NetLink and New-NetBridge output binds through Name and Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.NetLink'; Description = 'With -PassThru, each bridge as Get-NetLink shows it.' }
    )
    Errors = @(
        'BridgeNotFound: no interface of that name exists in the namespace.'
        'NotABridge: the interface is not a bridge (the message names its kind).'
        'InvalidLinkName, LinkNameTooLong: a name is not a valid interface name.'
        'NamespaceNotFound: -Namespace does not exist.'
        'NftablesMissing: libnftables is not installed (Debian and Ubuntu: libnftables1).'
        'IptablesRejected: iptables refused to add or delete VNet''s accept rules for a FORWARD policy of DROP.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Notes = @'
VNet keeps the isolation by bridge name, in its table, not on the bridge itself. Remove-NetLink of
the bridge lifts it (and takes the bridge's accepts out); a bridge deleted some other way (`ip link
delete`) leaves its name in the set until the next Remove-NetLink of a bridge in that namespace.

Isolation drops traffic between isolated bridges only. To keep a bridge from reaching the host's
other networks altogether, add no masquerade rule for it, or filter it with your own firewall
rules.
'@
    Examples = @(
        @{
            Title = 'Two networks that do not talk to each other'
            Code = @'
# -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
# -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
Set-NetBridge br0, br1 -Isolated
Add-NatRule -Masquerade -Source 198.51.100.0/24
Add-NatRule -Masquerade -Source 192.0.2.0/24
Invoke-NetNamespace ns1 -- ping -c 1 -W 1 198.51.100.12    # ns2, same bridge: answers
Invoke-NetNamespace ns1 -- ping -c 1 -W 1 203.0.113.2      # the outside: answers
Invoke-NetNamespace ns3 -- ping -c 1 -W 1 203.0.113.2      # the outside from br1: answers
Invoke-NetNamespace ns1 -- ping -c 1 -W 1 192.0.2.11       # ns3 on br1: no answer
'@
            Remarks = @'
ns1 and ns2 are on br0 (198.51.100.0/24), ns3 on br1 (192.0.2.0/24); the outside is 203.0.113.2.
Both networks reach the outside, each talks within itself, and neither reaches the other.
Trace-NetPacket -Destination 192.0.2.11 -SendFrom ns1 shows the drop by VNet's "vnet:isolation"
rule.
'@
        }
        @{
            Title = 'Isolation where Docker''s FORWARD policy is DROP'
            Code = @'
Set-NetBridge br1 -Isolated -Verbose -PassThru
'@
            Output = @'
VERBOSE: Performing the operation "Isolate bridge" on target "br1".
VERBOSE: The FORWARD policy is DROP: accepted forwarded traffic of bridge 'br1' in chain DOCKER-USER.

Name               State          MacAddress        Mtu   Kind     Master     Namespace
----               -----          ----------        ---   ----     ------     ---------
br1                UP             5a:47:19:a3:18:f1 1500  bridge
'@
            Remarks = @'
br1 keeps its way out through Docker's DROP policy by two accept rules in DOCKER-USER (comment
"vnet:forward:br1"); no global `iptables -P FORWARD ACCEPT`.
'@
        }
        @{
            Title = 'Lift the isolation'
            Code = @'
Set-NetBridge br1 -Isolated:$false
Invoke-NetNamespace ns1 -- ping -c 1 -W 1 192.0.2.11
'@
            Remarks = @'
br1 is no longer isolated, so br0 (still isolated) and br1 talk again. Isolation is between two
isolated bridges; one is not enough.
'@
        }
        @{
            Title = 'Every bridge of an emulated host'
            Code = @'
Get-NetLink -Kind bridge -Namespace hostA | Set-NetBridge -Isolated
'@
            Remarks = @'
Name and Namespace bind by property name.
'@
        }
    )
    Links = @('New-NetBridge', 'Add-NatRule', 'Trace-NetPacket', 'Get-NetFilterRule', 'Remove-NetLink')
}
