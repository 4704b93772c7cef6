@{
    Synopsis = 'Removes a namespace from a container network, as `docker network disconnect` does.'
    Description = @'
Disconnect-ContainerNetwork removes an endpoint: its published ports, its interface (for a bridge
network the host end, which takes the namespace's end along), its record, its names and its address
leases. Its names stop resolving when it returns.

When the namespace is already gone, the endpoint is found by the name it was connected under and its
lease is freed all the same. A namespace that is not connected is quietly fine unless -Strict.
'@
    Parameters = @{
        Network = 'The network to leave. Tab completes.'
        Namespace = 'The namespace as it was connected: a /run/netns name or a path. Tab completes.'
        Container = 'The Docker container''s name or id.'
        ProcessId = 'The process whose namespace was connected.'
        Strict = "{{Strict}}`n`nWith -Strict, a namespace that is not connected raises EndpointNotFound."
    }
    Inputs = 'Objects with Network and Namespace (or Container) properties, such as Get-ContainerEndpoint''s.'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, a namespace that was not connected is reported.' }
    )
    Errors = @(
        'NetworkNotFound: no network has that name.'
        'EndpointNotFound: with -Strict, the namespace is not connected to the network.'
        'LockTimeout: another process held the network''s lock for too long (the message names it).'
    )
    Examples = @(
        @{
            Title = 'docker network disconnect'
            Code = @'
Disconnect-ContainerNetwork tomcat-net tomcat01
'@
            Remarks = @'
tomcat01's eth0, its address lease and its names on tomcat-net are gone.
'@
        }
        @{
            Title = 'Disconnect every member of a network, and free the lease of one already deleted'
            Code = @'
Get-ContainerEndpoint tomcat-net | Disconnect-ContainerNetwork
Remove-NetNamespace tomcat02; Disconnect-ContainerNetwork tomcat-net tomcat02 -Strict
'@
            Remarks = @'
The second line succeeds although tomcat02 is gone: its endpoint is found by name and released.
'@
        }
    )
    Links = @('Connect-ContainerNetwork', 'Get-ContainerEndpoint', 'Repair-ContainerNetwork')
}
