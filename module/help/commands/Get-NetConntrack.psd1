@{
    Synopsis = 'Lists tracked connections with their original and reply tuples, as `conntrack -L` does, so NAT can be seen.'
    Description = @'
Get-NetConntrack dumps the connection-tracking table of a namespace over ctnetlink. Each entry shows the original direction (what the first packet looked like) and the reply direction: a masqueraded connection replies to the host's address, a published one comes from the container. SourceNat and DestinationNat say which happened.
'@
    Parameters = @{
        Namespace = 'The namespace to read: {{Namespace}}'
        Source = 'Only connections from (or replying from) this address.'
        Destination = 'Only connections to (or replying to) this address.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NetConntrackEntry'; Description = 'One object per tracked connection.' }
    )
    Errors = @(
        'InvalidIPAddress: -Source or -Destination is not an address.'
        'NamespaceNotFound: -Namespace does not exist.'
    )
    Examples = @(
        @{
            Title = 'See masquerade at work (seed 004)'
            Code = @'
Get-NetConntrack -Destination 203.0.113.2
'@
            Remarks = @'
The original source is the container (198.51.100.10); the reply goes to the host's uplink (203.0.113.1).
'@
        }
        @{
            Title = 'Connections to a published port'
            Code = @'
Get-NetConntrack | Where-Object DestinationNat
'@
            Remarks = @'
The reply tuple names the container that answered.
'@
        }
    )
}
