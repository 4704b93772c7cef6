@{
    Synopsis = 'Shows the forwarding database of bridges (which MAC is behind which port), as `bridge fdb show` does.'
    Description = @'
A bridge learns, from the frames it switches, which MAC address is behind which of its ports, and
keeps that in its forwarding database (FDB). Get-BridgeFdb returns its entries: MacAddress,
InterfaceName (the port), Bridge, State (learned from traffic, static, or permanent: the ports'
own addresses), Flags (self: the device's own table, master: the bridge's table, extern_learn),
Vlan, and for a VXLAN port Vni and RemoteVtep (the remote host the MAC is reached through).

-Learned keeps only what was learned from traffic: the machines behind each port. A
container's MAC appears there (as in `bridge fdb show`) once it has sent its first packet.
'@
    Parameters = @{
        Bridge = 'Only the entries of this bridge (its ports and itself); -Master is an alias. Objects with a Bridge property (Get-BridgePort) bind by property name.'
        InterfaceName = 'Only the entries behind these ports; wildcards (* and ?) are allowed. -Interface and -InterfaceAlias are aliases.'
        Namespace = "The namespace of the bridge: {{Namespace}}"
        Learned = 'Only entries learned from traffic, leaving out the ports'' own (permanent) and static entries.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace; Get-BridgePort output through Bridge and Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Neighbours.BridgeFdbEntry'; Description = 'MacAddress, InterfaceName, InterfaceIndex, Bridge, RemoteVtep, Vlan, Vni, State, Flags, IsLearned, Namespace.' }
    )
    Errors = @(
        'BridgeNotFound: there is no interface named -Bridge in the namespace.'
        'NamespaceNotFound: -Namespace does not exist.'
    )
    Examples = @(
        @{
            Title = 'MACs are learned once traffic flows'
            Code = @'
# bridge fdb show br br0
Invoke-NetNamespace ns1 -- ping -c 1 198.51.100.12 | Out-Null
Get-BridgeFdb br0 -Learned
'@
            Output = @'
MacAddress        InterfaceName  Bridge     State     RemoteVtep      Flags
----------        -------------  ------     -----     ----------      -----
5e:cb:26:0e:8a:d6 veth1          br0        learned
76:17:9e:00:40:12 veth2          br0        learned
'@
            Remarks = @'
After traffic between ns1 and ns2, the bridge knows the MAC of ns1's eth0 behind veth1 and that of
ns2's eth0 behind veth2; the entries age out after 5 minutes without traffic. Note that the
namespaces send a few IPv6 packets by themselves as soon as their links come up (neighbour and
router solicitations), so the bridge may have learned their MACs even before the first ping.
'@
        }
        @{
            Title = 'Which port is a namespace''s MAC behind?'
            Code = @'
$mac = (Get-NetLink eth0 -Namespace ns1).MacAddress
Get-BridgeFdb br0 | Where-Object MacAddress -eq $mac
'@
            Remarks = @'
Finds the port through which the bridge reaches ns1's eth0, once it has learned it.
'@
        }
        @{
            Title = 'Entries behind some ports only'
            Code = @'
Get-BridgeFdb -InterfaceName 'veth*' -Learned
'@
            Remarks = @'
Without -Bridge, the entries of every bridge in the namespace, filtered here to the veth ports.
'@
        }
    )
    Links = @('Get-BridgePort', 'New-NetBridge', 'Add-BridgePort')
}
