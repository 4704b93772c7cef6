@{
    Synopsis = 'Plugs interfaces into a bridge, as `ip link set IFACE master BRIDGE` does, and brings them up.'
    Description = @'
Add-BridgePort attaches each interface to the bridge, making it a port of that switch. A port that
is down forwards nothing, so an interface that was down is brought up too (by hand that is a
second command, `ip link set veth1 up`). The bridge and the interfaces must be in the same namespace.

An interface can be on one bridge at a time: adding it to another moves it. Set-NetLink -Master
does the same without bringing the interface up.
'@
    Parameters = @{
        Bridge = 'The bridge to plug into (-Master is an alias). It must exist in the namespace and be a bridge; tab completion offers bridges only.'
        InterfaceName = 'The interfaces to plug in, usually the host ends of veth pairs (-Name, -Interface and -InterfaceAlias are aliases). Objects that are links (Get-NetLink, Get-VethPair, Get-BridgePort, New-VethPair) bind by property name (their Name is aliased InterfaceName); a piped namespace does not.'
        Namespace = "The namespace of the bridge and the interfaces: {{Namespace}}"
        PassThru = 'Returns a BridgePort object for each interface plugged in. By default nothing is returned.'
        Force = 'Accepted so that every Add- cmdlet takes -Force in a runbook; adding a port that is already on this bridge succeeds anyway.'
    }
    Inputs = 'The objects of New-VethPair and Get-NetLink bind through Name and Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.BridgePort'; Description = 'With -PassThru: Bridge, Name, Index, Namespace, Kind, State, PortState (forwarding, learning, ...), Mtu, MacAddress.' }
    )
    Errors = @(
        'BridgeNotFound: there is no interface named -Bridge in the namespace.'
        'NotABridge: -Bridge is an interface of another kind (the message says which).'
        'LinkNotFound: an interface does not exist in the namespace.'
        'InvalidLinkName, LinkNameTooLong: a name is not a valid interface name.'
        'NamespaceNotFound: -Namespace does not exist.'
        'KernelRejected: the kernel refused, for example a bridge plugged into itself; its message is in the error.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Plug the host ends of two veth pairs into br0'
            Code = @'
# ip link set veth1 master br0; ip link set veth1 up
# ip link set veth2 master br0; ip link set veth2 up
Add-BridgePort -Bridge br0 -Interface veth1, veth2
Get-BridgePort br0
'@
            Output = @'
Bridge       Name            Kind     State    PortState  Mtu   Namespace
------       ----            ----     -----    ---------  ---   ---------
br0          veth1           veth     UP       forwarding 1500
br0          veth2           veth     UP       forwarding 1500
'@
            Remarks = @'
Both interfaces become ports of br0 and are up.
'@
        }
        @{
            Title = 'Create a container link and plug it in, in one pipeline'
            Code = @'
New-NetNamespace ns3
New-VethPair veth3 eth0 -PeerNamespace ns3 | Add-BridgePort br0 -PassThru
'@
            Remarks = @'
The VethPair object's Name (veth3) binds to -Interface, so the host end goes into the bridge, the
way Docker plugs a new container into docker0.
'@
        }
        @{
            Title = 'Inside an emulated host'
            Code = @'
Add-BridgePort br0 veth-c1 -Namespace hostA -WhatIf
'@
            Output = @'
What if: Performing the operation "Add to bridge 'br0'" on target "veth-c1 in namespace 'hostA'".
'@
            Remarks = @'
With -Namespace, the bridge and the port are looked up in hostA. -WhatIf shows what would change.
'@
        }
    )
    Links = @('New-NetBridge', 'Get-BridgePort', 'Remove-BridgePort', 'Set-NetLink', 'New-VethPair')
}
