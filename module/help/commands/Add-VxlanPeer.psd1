@{
    Synopsis = 'Adds a remote VTEP to a VXLAN tunnel without recreating it, as `bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst REMOTE` does.'
    Description = @'
Add-VxlanPeer adds a forwarding entry to a tunnel. Without -MacAddress, it is a head-end replication entry (all-zeros MAC, appended): broadcast and unknown traffic is sent to every such remote, which is how a VXLAN overlay without multicast finds its peers. With -MacAddress, frames for that MAC go to that remote. The tunnel stays up throughout.
'@
    Parameters = @{
        Tunnel = 'The VXLAN device.'
        Remote = 'The remote endpoints (their underlay addresses, such as 192.0.2.12).'
        MacAddress = 'Send only this MAC to the remote (a static entry) instead of flooding to it.'
        Namespace = 'The namespace of the tunnel: {{Namespace}}'
        Force = 'Makes a re-run change nothing: a peer already on the tunnel (the same remote, and the same -MacAddress) is left alone and returned with -PassThru, without asking the kernel again.'
        PassThru = 'Returns a VxlanPeer object for each peer added. By default nothing is returned (as for every Add- and Set- cmdlet).'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.VxlanPeer'; Description = 'With -PassThru, the entry: Tunnel, Remote, MacAddress, Flood.' }
    )
    Errors = @(
        'InvalidIPAddress: -Remote is not an address.'
        'InvalidMacAddress: -MacAddress is not a unicast MAC.'
        'PeerExists: that entry is already there.'
        'AddressFamilyMismatch: -Remote is of another address family than the tunnel (an IPv6 peer on an IPv4 tunnel); refused before anything reaches the kernel.'
        'LinkNotFound, NotAVxlan: the tunnel does not exist or is not a VXLAN device.'
    )
    Examples = @(
        @{
            Title = 'Peer with host B'
            Code = @'
Add-VxlanPeer vxlan0 192.0.2.12
'@
            Remarks = @'
Flooded traffic (ARP, unknown unicast) now reaches host B, and replies teach the bridge where B's containers are.
'@
        }
        @{
            Title = 'Three hosts'
            Code = @'
Add-VxlanPeer vxlan0 192.0.2.12, 192.0.2.13
'@
            Remarks = @'
Each remote gets its own copy of flooded frames.
'@
        }
    )
}
