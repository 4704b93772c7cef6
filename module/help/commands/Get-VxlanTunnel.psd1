@{
    Synopsis = 'Lists VXLAN tunnels with their VNI, endpoints, port and MTU, as `ip -d link show type vxlan` does.'
    Description = @'
Get-VxlanTunnel returns the VXLAN devices of a namespace and the settings the kernel reports for each: VNI, local address, remote or group, underlay device, UDP port, learning, MTU, bridge and state.
'@
    Parameters = @{
        Name = 'A tunnel name; wildcards (* and ?) are allowed. Without it, every tunnel.'
        Namespace = 'The namespace to look in: {{Namespace}}'
    }
    Globbing = @('Name')
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.VxlanTunnel'; Description = 'One object per tunnel.' }
    )
    Errors = @(
        'LinkNotFound: no link of that name.'
        'NotAVxlan: the link is of another kind.'
        'NamespaceNotFound: -Namespace does not exist.'
    )
    Examples = @(
        @{
            Title = 'Every tunnel'
            Code = @'
Get-VxlanTunnel
'@
            Remarks = @'
One line per VXLAN device, like `ip -d link show type vxlan` but as objects.
'@
        }
        @{
            Title = 'Is the tunnel on the IANA port?'
            Code = @'
(Get-VxlanTunnel vxlan0).Port -eq 4789
'@
            Remarks = @'
A tunnel made by `ip` without dstport uses the kernel's 8472 and will not talk to one on 4789.
'@
        }
    )
}
