@{
    Synopsis = 'Unsets the cluster store on this host.'
    Description = @'
Remove-VNetStore deletes /etc/vnet/store.json and /etc/vnet/store.password (under $env:VNET_CONFIG_DIR when set). The data in etcd is untouched: other hosts keep their overlay networks, and this host can join again with Set-VNetStore (a new host id is then made). Afterwards overlay networks are refused on this host (StoreNotSet) and Get-ContainerNetwork shows the local networks only. With no store set it does nothing.
'@
    Parameters = @{}
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing.' }
    )
    Errors = @()
    Examples = @(
        @{
            Title = 'Leave the cluster store'
            Code = @'
Remove-VNetStore -WhatIf
Remove-VNetStore
'@
            Remarks = @'
-WhatIf names the file that would be removed.
'@
        }
        @{
            Title = 'Move this host to another etcd cluster'
            Code = @'
Remove-VNetStore
Set-VNetStore -Endpoint http://198.51.100.11:2379
'@
            Remarks = @'
The host gets a new id in the new store; overlay networks of the old store are no longer seen here.
'@
        }
    )
}
