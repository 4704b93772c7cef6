@{
    Synopsis = 'Changes what the kernel allows on a live VXLAN tunnel: learning, MTU and bridge.'
    Description = @'
Set-VxlanTunnel changes learning, the MTU or the bridge of an existing tunnel without recreating it. The VNI, endpoints and port are fixed when the device is made (the kernel refuses changes to them): remove and recreate the tunnel for those. Joining a bridge fits the bridge's ports and their container ends to the tunnel's MTU, as New-VxlanTunnel does.
'@
    Parameters = @{
        Name = 'The tunnel to change.'
        Learning = 'A switch, as on New-VxlanTunnel: -Learning turns learning of remote MACs from traffic on, -Learning:$false off; left out, learning is unchanged. -Learning $false (the older form) still works.'
        Mtu = 'The new MTU, 68 to 65535.'
        Bridge = 'A bridge to attach the tunnel to (-Master is an alias).'
        Namespace = 'The namespace of the tunnel: {{Namespace}}'
        PassThru = 'Writes the changed tunnel.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.VxlanTunnel'; Description = 'With -PassThru, the tunnel after the change.' }
    )
    Errors = @(
        'LinkNotFound: no such tunnel.'
        'NotAVxlan: the link is not a VXLAN device.'
        'InvalidMtu: -Mtu is out of range.'
        'BridgeNotFound: -Bridge does not exist.'
    )
    Examples = @(
        @{
            Title = 'Static peers only'
            Code = @'
Set-VxlanTunnel vxlan0 -Learning $false -PassThru
'@
            Remarks = @'
Turns learning off: only entries added with Add-VxlanPeer decide where frames go.
'@
        }
        @{
            Title = 'Join a bridge later'
            Code = @'
Set-VxlanTunnel vxlan0 -Bridge br0
'@
            Remarks = @'
Like `ip link set vxlan0 master br0`, and the bridge's ports are fitted to the tunnel's MTU.
'@
        }
    )
}
