@{
    Synopsis = 'Lists network interfaces (links) of a namespace, as `ip link show` does.'
    Description = @'
Get-NetLink returns the interfaces of a namespace (the current one unless -Namespace is given), with
the fields `ip -d link` prints: Name, Index, Kind (veth, bridge, vxlan, macvlan, loopback, or
device for hardware), State (the operational state: UP, DOWN, LOWERLAYERDOWN, UNKNOWN...), AdminUp
(set up by the administrator, whatever the carrier), Mtu, MinMtu, MaxMtu, MacAddress, Master (its
bridge), LinkIndex (a veth's peer or a vxlan's underlay device), LinkNetnsId (the peer's namespace
id, when it is elsewhere), Flags, Alias and PortState (for a bridge port). DisplayName is the name
as `ip link` prints it, such as veth1@if2. The default table reads like `ip -br link`.

-Name accepts wildcards; a name without wildcards that does not exist is a non-terminating
LinkNotFound error, and the other names are still listed.
'@
    Parameters = @{
        InterfaceName = 'Only these interfaces; wildcards (* and ?) are allowed, and names are case-sensitive as in the kernel. -Name, -Interface and -InterfaceAlias are aliases. Objects that are links (Get-NetLink, Get-VethPair, Get-BridgePort, New-VethPair) bind by property name (their Name is aliased InterfaceName); a piped namespace does not.'
        Namespace = "The namespace to list: {{Namespace}}"
        Kind = 'Only interfaces of this kind: veth, bridge, vxlan, macvlan, vlan, loopback, device (hardware) and the other kernel kinds (tab completion lists them). A kind that does not exist is an UnknownLinkKind error rather than an empty list.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.NetLink'; Description = 'One object per interface. Name and Namespace pipe into Set-NetLink, Remove-NetLink, New-NetIPAddress (as -InterfaceName) and Add-BridgePort (as -Interface).' }
    )
    Errors = @(
        'LinkNotFound: a -Name without wildcards does not exist in the namespace.'
        'NamespaceNotFound: -Namespace does not exist.'
        'InvalidNamespaceName, NamespaceStale: the namespace name is not valid, or is an empty file.'
        'PermissionDenied: entering -Namespace needs CAP_SYS_ADMIN (the message names it).'
    )
    Examples = @(
        @{
            Title = 'The interfaces of the current namespace'
            Code = @'
# ip -br link
Get-NetLink
'@
            Output = @'
Name               State          MacAddress        Mtu   Kind     Master     Namespace
----               -----          ----------        ---   ----     ------     ---------
lo                 UNKNOWN        00:00:00:00:00:00 65536 loopback
br0                UP             c6:2d:f9:a7:73:84 1500  bridge
veth1@if2          UP             d2:e4:96:7e:90:0e 1500  veth     br0
veth2@if2          UP             c6:2d:f9:a7:73:84 1500  veth     br0
'@
            Remarks = @'
The host side of a bridge with two containers: the bridge and the two veths plugged into it. The Name column
shows DisplayName, as `ip` does: veth1@if2 is veth1, whose peer has index 2 (in another
namespace; Get-VethPair says which). A bridge takes the MAC address of one of its ports unless
it was given one.
'@
        }
        @{
            Title = 'Inside a namespace, or in every named one'
            Code = @'
# ip netns exec ns1 ip link
Get-NetLink -Namespace ns1
Get-NetNamespace -Named | Get-NetLink -Kind veth
'@
            Remarks = @'
The second command lists the veths of every namespace under /run/netns.
'@
        }
        @{
            Title = 'Filter by name or kind, and see everything about one link'
            Code = @'
Get-NetLink 'veth*'
Get-NetLink -Kind bridge
Get-NetLink veth1 | Format-List *
Get-NetLink veth1 | ConvertTo-Json
'@
            Remarks = @'
Format-List * and ConvertTo-Json show every property, not only the default view's columns.
'@
        }
    )
    Links = @('Set-NetLink', 'Remove-NetLink', 'Get-VethPair', 'Get-NetIPAddress', 'Get-NetNamespace')
}
