@{
    Synopsis = 'Starts the VNet agent (the resolver of container networks and the overlay programmer of this host) unless it runs.'
    Description = @'
Connect-ContainerNetwork starts the agent on demand, so this is for the times nothing connects: after the agent was killed or stopped, or after an upgrade of the module. The new agent serves every member namespace recorded on this host and, with a cluster store set (Set-VNetStore), registers the host again, reads the store and programs the VXLAN FDB and neighbour entries of the overlay networks; the command returns once that is done, with a warning naming the reason when the store cannot be reached (the agent keeps trying by itself). Starting an agent that runs only asks it to reconcile. A restarted agent converges to the same kernel state: no entry is added twice.
'@
    Parameters = @{
        PassThru = 'Writes the agent''s status (as Get-VNetAgent) when done.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.Agent.AgentStatus'; Description = 'With -PassThru: the agent''s process, the namespaces it serves and its overlay state (registered, last store revision read, entries programmed, last error).' }
    )
    Errors = @(
        'AgentFailed: the agent did not answer on its control socket in time; the message ends with the last line of its log.'
    )
    Examples = @(
        @{
            Title = 'Bring the agent back after it was killed'
            Code = @'
Start-VNetAgent -PassThru
'@
            Remarks = @'
Shows the new agent's process, the namespaces it serves and, on an overlay host, its registration and entries.
'@
        }
        @{
            Title = 'Check an overlay host after a restart'
            Code = @'
Start-VNetAgent
(Get-VNetAgent).Overlay
'@
            Remarks = @'
Registered is True and Entries counts the FDB and neighbour entries on this host's vxlan devices: the same number as before the restart, since the agent replaces what it finds instead of adding it again.
'@
        }
    )
}
