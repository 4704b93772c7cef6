@{
    Synopsis = 'Removes a remote VTEP from a tunnel (every entry toward it, or one MAC''s), so its traffic stops; the tunnel stays.'
    Description = @'
Remove-VxlanPeer deletes the forwarding entries toward a remote: its flood entry and the MACs learned or added behind it, so traffic to it stops at once; with -MacAddress only that MAC's entry goes. The tunnel is not recreated. With learning on, a remote that still has this host as its peer can teach its MACs again: remove the peering on both hosts. The remote given to New-VxlanTunnel -Remote is the device's default destination, which the kernel keeps: that is refused with PeerIsDefaultRemote.
'@
    Parameters = @{
        Tunnel = 'The VXLAN device.'
        Remote = 'The remote endpoints to remove.'
        MacAddress = 'Only this MAC''s entry.'
        Namespace = 'The namespace of the tunnel: {{Namespace}}'
        Strict = '{{Strict}}'
    }
    Errors = @(
        'PeerIsDefaultRemote: the remote is the tunnel''s default destination.'
        'PeerNotFound: with -Strict, no entry toward that remote.'
        'InvalidIPAddress: -Remote is not an address.'
        'LinkNotFound, NotAVxlan: the tunnel does not exist or is not a VXLAN device.'
    )
    Examples = @(
        @{
            Title = 'Take host B out of the overlay'
            Code = @'
Remove-VxlanPeer vxlan0 192.0.2.12   # on host A
# and on host B: Remove-VxlanPeer vxlan0 192.0.2.11
'@
            Remarks = @'
Both ends, so that neither teaches the other its MACs again.
'@
        }
        @{
            Title = 'One MAC only'
            Code = @'
Remove-VxlanPeer vxlan0 192.0.2.12 -MacAddress 02:42:c6:33:64:0a
'@
            Remarks = @'
The rest of the peer's entries stay.
'@
        }
    )
}
