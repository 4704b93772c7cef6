@{
    Synopsis = 'Removes a container network and everything of it, as `docker network rm` does.'
    Description = @'
Remove-ContainerNetwork removes a network: its bridge (with the bridge's isolation and firewall
accepts), its masquerade rule, its definition, its leases and its members' names. Afterwards nothing
of the network is left in the kernel or in VNet's state.

A network that still has members is refused, and the error names them. With -Force, the members are
disconnected first (their interfaces, leases, names and published ports go), then the network.

Removing a network that does not exist is not an error by default; -Strict makes it one.
'@
    Parameters = @{
        Name = 'The networks to remove. Accepts names and Get-ContainerNetwork objects from the pipeline. Tab completes.'
        Force = 'Disconnect the network''s members first instead of refusing.'
        Strict = "{{Strict}}`n`nWith -Strict, a network that does not exist raises NetworkNotFound."
    }
    Inputs = 'Network names, or Get-ContainerNetwork objects (by their Name).'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, each member disconnected by -Force is reported.' }
    )
    Errors = @(
        'NetworkHasEndpoints: the network has members (named in the message); use -Force.'
        'NetworkNotFound: with -Strict, there is no such network.'
        'LockTimeout: another process held the network''s lock for too long (the message names it).'
    )
    Examples = @(
        @{
            Title = 'docker network rm'
            Code = @'
Remove-ContainerNetwork tomcat-net
'@
            Output = @'
Remove-ContainerNetwork: Network 'tomcat-net' has 2 member(s): tomcat01, tomcat02. Disconnect them first, or use -Force to disconnect them.
'@
            Remarks = @'
The members are named; nothing was changed.
'@
        }
        @{
            Title = 'Tear down a lab''s networks, members and all'
            Code = @'
Get-ContainerNetwork 'lab-*' | Remove-ContainerNetwork -Force -Verbose
'@
            Remarks = @'
Each member is disconnected (and reported with -Verbose), then its network goes.
'@
        }
    )
    Links = @('New-ContainerNetwork', 'Disconnect-ContainerNetwork')
}
