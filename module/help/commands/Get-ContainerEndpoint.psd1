@{
    Synopsis = 'Lists the endpoints (members) of container networks.'
    Description = @'
Get-ContainerEndpoint shows which namespaces are connected to which networks: the namespace or
container, the interface inside and its host-side peer, the addresses, the MAC, the names the
endpoint answers to, its published ports and its state (Active, or Pending while a Connect is making
it or after one died; Repair-ContainerNetwork cleans those up).

Without parameters it lists every endpoint of every network; -Network limits it to one network,
-Namespace or -Container to one namespace's endpoints.
'@
    Parameters = @{
        Network = 'Only this network''s endpoints. Tab completes.'
        Namespace = 'Only the endpoints of this namespace (a /run/netns name or a path). Tab completes.'
        Container = 'Only the endpoints of this Docker container.'
    }
    Inputs = 'Objects with a Network or Name property (Get-ContainerNetwork) bind to -Network.'
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.ContainerEndpoint'; Description = 'One object per endpoint.' }
    )
    Errors = @(
        'NetworkNotFound: no network has that name.'
    )
    Examples = @(
        @{
            Title = 'The members of a network (docker network inspect''s Containers)'
            Code = @'
Get-ContainerNetwork tomcat-net | Get-ContainerEndpoint
'@
            Output = @'
Network      Name          Interface Address            MacAddress        State
-------      ----          --------- -------            ----------        -----
tomcat-net   tomcat01      eth0      198.51.100.2/24    3a:5e:0c:91:7d:22 Active
tomcat-net   tomcat02      eth0      198.51.100.3/24    9e:14:b2:6f:03:c8 Active
'@
            Remarks = @'
Format-List shows the host-side interface, the names and the published ports too.
'@
        }
        @{
            Title = 'Which networks is a namespace on?'
            Code = @'
Get-ContainerEndpoint -Namespace tomcat01 | Select-Object Network, InterfaceName, Addresses
'@
            Remarks = @'
One line per network it is a member of.
'@
        }
    )
    Links = @('Connect-ContainerNetwork', 'Get-ContainerNetwork')
}
