@{
    Synopsis = 'Lists a tunnel''s forwarding entries: which VTEP each MAC, and flooded traffic, goes to.'
    Description = @'
Get-VxlanPeer returns the device's own forwarding entries (`bridge fdb show dev vxlan0`): the flood entries (all-zeros MAC) toward each peer, and the MACs learned or added behind each remote VTEP.
'@
    Parameters = @{
        Tunnel = 'The VXLAN device.'
        Namespace = 'The namespace of the tunnel: {{Namespace}}'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.VxlanPeer'; Description = 'One object per entry.' }
    )
    Errors = @(
        'LinkNotFound, NotAVxlan: the tunnel does not exist or is not a VXLAN device.'
    )
    Examples = @(
        @{
            Title = 'Who is behind the tunnel'
            Code = @'
Get-VxlanPeer vxlan0
'@
            Remarks = @'
Flood entries show the peers; learned entries show which container MAC sits behind which host.
'@
        }
        @{
            Title = 'Only the peers'
            Code = @'
Get-VxlanPeer vxlan0 | Where-Object Flood
'@
            Remarks = @'
The remotes that receive flooded traffic.
'@
        }
    )
}
