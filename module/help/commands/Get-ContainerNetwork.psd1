@{
    Synopsis = 'Lists container networks, as `docker network ls` and `docker network inspect` do.'
    Description = @'
Get-ContainerNetwork reads the network definitions of this host (/var/lib/vnet/networks) with the
number of members each has now. The table shows name, driver (a * marks an internal network),
subnets, gateway, bridge (or macvlan parent) and members; Format-List shows the id, MTU, internal
flag, ranges and aux addresses (what `docker network inspect` shows).

A name that matches no network is an ObjectNotFound error (NetworkNotFound); a wildcard pattern that
matches none returns nothing.
'@
    Parameters = @{
        Name = 'Network names or wildcard patterns. Without it, every network. Tab completes.'
    }
    Inputs = 'Network names, or objects with a Name property.'
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.ContainerNetwork'; Description = 'One object per network.' }
    )
    Errors = @(
        'NetworkNotFound: no network has that name.'
        'InvalidNetworkName: the name cannot be a network''s.'
    )
    Examples = @(
        @{
            Title = 'docker network ls'
            Code = @'
Get-ContainerNetwork
'@
            Output = @'
Name          Driver  Subnet             Gateway         Bridge          Members
----          ------  ------             -------         ------          -------
backend       bridge* 198.51.100.0/26    198.51.100.1    br-9d01c2a4b7e0 2
tomcat-net    bridge  203.0.113.0/24     203.0.113.1     br-3f2a9c01d4e7 3
'@
            Remarks = @'
backend is internal (the * after its driver).
'@
        }
        @{
            Title = 'docker network inspect'
            Code = @'
Get-ContainerNetwork tomcat-net | Format-List *
Get-ContainerNetwork tomcat-net | Select-Object -ExpandProperty Subnets
'@
            Remarks = @'
The second line shows each subnet with its gateway, IP range and aux addresses.
'@
        }
    )
    Links = @('New-ContainerNetwork', 'Get-ContainerEndpoint')
}
