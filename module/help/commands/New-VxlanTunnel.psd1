@{
    Synopsis = 'Creates a VXLAN tunnel device, as `ip link add NAME type vxlan id VNI ... dstport 4789 dev DEV` does, optionally joined to a bridge.'
    Description = @'
New-VxlanTunnel creates a VXLAN device (a layer-2 overlay carried in UDP between hosts) in one
call: VNI, local and remote or multicast endpoints, underlay device, UDP port, learning, MTU and the
bridge it joins, then brings it up.

The port defaults to 4789, the IANA port (`dstport 4789`). The kernel's own default is 8472 (the
port Linux used before IANA assigned one), so a tunnel made by `ip` without `dstport` does not talk
to one made by VNet: give -Port 8472 to match it.

Unless -Mtu is given, the tunnel's MTU is the underlay device's minus the encapsulation (50 bytes
for IPv4, 70 for IPv6): 1450 on a 1500 underlay. When it joins a bridge (-Bridge), the bridge, its
ports and, for veth ports, the container ends on the far side are lowered to that MTU too; what was
changed is in the MtuAdjusted property and in -Verbose output. Otherwise packets near 1500 bytes are
dropped silently, a classic overlay failure.

A -Remote given here becomes the tunnel's default destination, which the kernel does not let go
later (Remove-VxlanPeer says PeerIsDefaultRemote): to add and remove peers freely, create the tunnel
without -Remote and use Add-VxlanPeer. If anything fails after the device exists, it is deleted.
'@
    Parameters = @{
        Name = 'The device name, such as vxlan0 (at most 15 bytes).'
        Vni = 'The VXLAN network identifier, 1 to 16777215 (`id 77` in `ip link add vxlan0 type vxlan id 77 ...`).'
        Local = 'The local endpoint address. By default the kernel picks the source address by routing.'
        Remote = 'A unicast remote endpoint (VTEP), made the default destination. Use Add-VxlanPeer for peers you may remove later.'
        Group = 'A multicast group to flood to instead of a remote (an IPv4 or IPv6 multicast address); needs -Device.'
        Device = 'The underlay interface (enp0s8 on a VM, eth1 in the lab). Its MTU sets the tunnel''s default MTU.'
        Port = 'The UDP destination port, 1 to 65535. Default 4789 (IANA); the kernel''s own default is 8472.'
        Bridge = 'A bridge to join; its ports and their container ends are fitted to the tunnel''s MTU.'
        Learning = 'Learn remote MACs from received packets (default on). -Learning:$false keeps only the peers you add.'
        Mtu = 'The tunnel MTU, 68 to 65535. Default: the underlay''s minus 50 (IPv4) or 70 (IPv6).'
        Namespace = 'The namespace (a lab host, say) to create the tunnel in: {{Namespace}}'
        Force = 'Makes a re-run succeed: when what would be created is already there as asked, it is returned (and nothing changes) instead of an error; when something of that name is there but differs, the error ExistsDifferently names each difference. Only what was asked is compared. This is New-Item -Force''s idiom, for runbooks that run twice.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.VxlanTunnel'; Description = 'The tunnel: Name, Vni, Local, Remote, Group, Device, Port, Learning, Mtu, Bridge, State, and MtuAdjusted (the links whose MTU was lowered).' }
    )
    Errors = @(
        'InvalidVni: -Vni is 0 or above 16777215.'
        'InvalidPort: -Port is outside 1..65535.'
        'InvalidIPAddress: -Local, -Remote or -Group is not an address.'
        'RemoteAndGroup: both -Remote and -Group were given.'
        'RemoteIsMulticast: -Remote is a multicast address.'
        'GroupNotMulticast: -Group is not multicast.'
        'GroupNeedsDevice: -Group without -Device.'
        'AddressFamilyMismatch: -Local and -Remote (or -Group) are of different families; the message names both.'
        'VniInUse: another tunnel already carries -Vni on that UDP port; the message names the tunnel.'
        'UnderlayNotFound: -Device does not exist.'
        'BridgeNotFound: -Bridge does not exist.'
        'NotABridge: -Bridge is another kind of link.'
        'InvalidMtu: -Mtu is out of range.'
        'LinkExists: the name is taken.'
        'LinkNameTooLong, InvalidLinkName: the name is not a valid interface name.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'A tunnel, its bridge and its peer in one call'
            Code = @'
# ip link add vxlan0 type vxlan id 77 dstport 4789 dev eth1
# ip link set vxlan0 master br0; ip link set vxlan0 up
New-VxlanTunnel vxlan0 -Vni 77 -Device eth1 -Bridge br0 -Verbose
Add-VxlanPeer vxlan0 192.0.2.12
'@
            Remarks = @'
Host A's side of the two-host lab: VNI 77 on the IANA port, MTU 1450, the bridge and its container ends lowered to 1450 (-Verbose names them), and host B (192.0.2.12) as a peer.
'@
        }
        @{
            Title = 'A fixed remote'
            Code = @'
New-VxlanTunnel vxlan0 -Vni 77 -Remote 192.0.2.12 -Device eth1
'@
            Remarks = @'
The remote becomes the default destination of the device; use this when the peer never changes.
'@
        }
    )
    Links = @('Add-VxlanPeer', 'Get-VxlanTunnel', 'Get-BridgeFdb', 'Start-VNetLab')
}
