@{
    Synopsis = 'Deletes VXLAN tunnels, as `ip link delete vxlan0` does, refusing links of other kinds.'
    Description = @'
Remove-VxlanTunnel deletes VXLAN devices (and with them their forwarding entries). It refuses a link that is not a VXLAN device, so a typo does not delete a bridge. Removing a tunnel that is already gone is quiet.
'@
    Parameters = @{
        Name = 'The tunnels to delete.'
        Namespace = 'The namespace of the tunnels: {{Namespace}}'
        Strict = '{{Strict}}'
    }
    Errors = @(
        'LinkNotFound: with -Strict, the tunnel does not exist.'
        'NotAVxlan: the link is of another kind.'
    )
    Examples = @(
        @{
            Title = 'Tear the overlay down'
            Code = @'
Remove-VxlanTunnel vxlan0
'@
            Remarks = @'
The tunnel goes; the bridge and containers stay.
'@
        }
        @{
            Title = 'Every tunnel of a lab host'
            Code = @'
Get-VxlanTunnel -Namespace vnetlab-vxlab-A | Remove-VxlanTunnel
'@
            Remarks = @'
Tunnels pipe in by Name and Namespace.
'@
        }
    )
}
