@{
    Synopsis = 'Stops the VNet agent (the DNS resolver of container networks on this host).'
    Description = @'
Stop-VNetAgent asks the agent to exit and waits until its process is gone. Names of container networks do not resolve while it is stopped; the next Connect-ContainerNetwork starts it again, and it then serves every member namespace recorded in /run/vnet. The agent also exits by itself when no network has a member, so stopping it by hand is for maintenance (an upgrade of the module) and troubleshooting. Stopping an agent that is not running is quiet unless -Strict.
'@
    Parameters = @{
        Strict = '{{Strict}}'
    }
    Errors = @(
        'AgentNotRunning: with -Strict, no agent was running.'
    )
    Examples = @(
        @{
            Title = 'See what stopping would do'
            Code = @'
Stop-VNetAgent -WhatIf
'@
            Remarks = @'
Names the agent's process and how many namespaces it serves; changes nothing.
'@
        }
        @{
            Title = 'Restart the agent after upgrading the module'
            Code = @'
Stop-VNetAgent
Connect-ContainerNetwork -Network front -Namespace web2
Get-VNetAgent
'@
            Remarks = @'
The Connect starts a new agent, which serves web2 and every other member from the store.
'@
        }
    )
}
