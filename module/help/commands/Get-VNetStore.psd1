@{
    Synopsis = 'Shows this host''s cluster store setting and how the etcd cluster looks from here.'
    Description = @'
Get-VNetStore reads /etc/vnet/store.json (under $env:VNET_CONFIG_DIR when set) and asks each endpoint for its status: whether it answers, which member it is, its etcd version and whether it leads; plus the cluster's members and the leader. An endpoint that does not answer is shown as such (Reachable False and the reason in Error): it is not an error of the cmdlet. The advertise address shown is the one set, or the one the kernel picks to reach the first endpoint.

With no store set, it returns nothing (-Verbose says so).
'@
    Parameters = @{}
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.Cluster.StoreStatus'; Description = 'Endpoints, HostName, HostId, AdvertiseAddress, Tls, UserName, Reachable, Leader, Members and EndpointStatus (Endpoint, Reachable, Member, Version, IsLeader, Error).' }
    )
    Errors = @(
        'StoreSettingsInvalid: store.json cannot be read; set it again with Set-VNetStore.'
    )
    Examples = @(
        @{
            Title = 'Is the store up'
            Code = @'
Get-VNetStore
'@
            Remarks = @'
Host, advertise address, how many endpoints answer, the leader and the endpoints (a down one marked).
'@
        }
        @{
            Title = 'Each endpoint'
            Code = @'
(Get-VNetStore).EndpointStatus | Format-Table Endpoint, Reachable, Member, IsLeader, Error
'@
            Remarks = @'
Which members answer and why the others do not.
'@
        }
    )
}
