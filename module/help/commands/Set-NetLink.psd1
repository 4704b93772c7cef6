@{
    Synopsis = 'Changes an interface: up or down, MTU, name, MAC address, bridge, namespace, as `ip link set` does.'
    Description = @'
Set-NetLink applies every given change to one interface, in one netlink request where the kernel
allows it:

- -Up, -Down: `ip link set NAME up|down`
- -Mtu: `ip link set NAME mtu N`
- -NewName: `ip link set NAME name NEW`. The kernel refuses to rename an interface that is up, so
  an up interface is brought down, renamed and brought up again.
- -MacAddress: `ip link set NAME address MAC`
- -Master, -NoMaster: `ip link set NAME master BRIDGE | nomaster`
- -ToNamespace: `ip link set NAME netns NS`. The move is made last, after the other changes. The
  kernel would leave a moved interface down; VNet brings it up in its new namespace if it was up
  (or -Up was given). Its addresses and routes do not move with it.

Every value is checked before anything changes; -Up with -Down, or -Master with -NoMaster, is a
ConflictingParameters error.
'@
    Parameters = @{
        InterfaceName = 'The interface to change (-Name, -Interface and -InterfaceAlias are aliases). Objects that are links (Get-NetLink, Get-VethPair, Get-BridgePort, New-VethPair) bind by property name (their Name is aliased InterfaceName); a piped namespace does not.'
        Namespace = "The namespace the interface is in: {{Namespace}}"
        Up = 'Brings the interface up (administratively).'
        Down = 'Brings the interface down.'
        Mtu = 'The new MTU, from 68 to 65535; the kernel may allow less for some devices (see MaxMtu in Get-NetLink) and then refuses with its own message.'
        NewName = 'Renames the interface. The new name follows the same rules: at most 15 bytes, no ''/'', '':'' or whitespace.'
        MacAddress = 'The new MAC address, six hex bytes such as 02:42:c6:33:64:0a (unicast).'
        Bridge = 'Plugs the interface into this bridge (in the same namespace), like Add-BridgePort but without bringing it up. -Master is an alias.'
        NoMaster = 'Takes the interface off its bridge, like Remove-BridgePort. -NoBridge is an alias.'
        ToNamespace = 'Moves the interface into this namespace: a /run/netns name or a namespace file path.'
        PassThru = 'Returns the interface as it is after the changes (in its new namespace after -ToNamespace). By default nothing is returned.'
    }
    Inputs = 'Get-NetLink and New-VethPair output binds through Name and Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.NetLink'; Description = 'With -PassThru: the changed interface.' }
    )
    Errors = @(
        'ConflictingParameters: -Up with -Down, or -Master with -NoMaster.'
        'LinkNotFound: the interface does not exist in the namespace.'
        'InvalidLinkName, LinkNameTooLong: -Name or -NewName is not a valid interface name.'
        'InvalidMtu: -Mtu is outside 68..65535.'
        'InvalidMacAddress: -MacAddress is not six hex bytes, or is multicast.'
        'BridgeNotFound, NotABridge: -Master does not exist, or is not a bridge.'
        'LinkExists: -NewName is taken, or -ToNamespace already has an interface of that name.'
        'NamespaceNotFound: -Namespace or -ToNamespace does not exist.'
        'KernelRejected: the kernel refused the change (an MTU above the device''s maximum, say); its message is in the error.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Move a veth end into a namespace'
            Code = @'
# ip netns add nstest
# ip link add veth-a type veth peer name veth-b
# ip link set veth-b netns nstest
New-NetNamespace nstest
New-VethPair veth-a veth-b
Set-NetLink veth-b -ToNamespace nstest -PassThru
'@
            Remarks = @'
The step-by-step way (`ip link set veth2 netns nstest`). New-VethPair -PeerNamespace nstest does it in one call.
'@
        }
        @{
            Title = 'Rename and resize, Docker style'
            Code = @'
# ip netns exec nstest ip link set veth-b name eth0
# ip netns exec nstest ip link set eth0 mtu 1450
Set-NetLink veth-b -Namespace nstest -NewName eth0 -Mtu 1450
'@
            Remarks = @'
The interface is up, so VNet brings it down for the rename and up again afterwards.
'@
        }
        @{
            Title = 'Plug into a bridge, or take it out'
            Code = @'
# ip link set veth-a master br0
Set-NetLink veth-a -Master br0
# ip link set veth-a nomaster
Set-NetLink veth-a -NoMaster
'@
            Remarks = @'
-Master br0 requires br0 to be a bridge of the same namespace.
'@
        }
        @{
            Title = 'Bring down every veth of a namespace'
            Code = @'
Get-NetLink -Kind veth -Namespace ns1 | Set-NetLink -Down -WhatIf
Get-NetLink -Kind veth -Namespace ns1 | Set-NetLink -Down
'@
            Remarks = @'
Each link binds its Name and Namespace. -WhatIf first lists what would change.
'@
        }
    )
    Links = @('Get-NetLink', 'Add-BridgePort', 'Remove-BridgePort', 'New-VethPair')
}
