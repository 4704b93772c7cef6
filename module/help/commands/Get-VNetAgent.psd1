@{
    Synopsis = 'Shows the VNet agent: the per-host process that answers DNS inside the members of container networks.'
    Description = @'
Get-VNetAgent asks the agent over its control socket (/run/vnet/agent/agent.sock, under $env:VNET_RUN_DIR when set) and returns its state, process id, which runtime hosts it (dotnet or pwsh), the networks and member namespaces it serves (each with Serving and, when it cannot serve one, the Error), its upstream resolvers and how many queries it answered and forwarded.

The agent is started on demand by Connect-ContainerNetwork, one per host (a flock on /run/vnet/agent/agent.lock), detached from the caller: it holds neither the caller's terminal nor its pipes, so `$(pwsh -c 'Connect-ContainerNetwork ...')` in a script returns. It listens on 127.0.0.11:53 (UDP and TCP) inside every member namespace, answers the members' names, aliases and name.network (A, AAAA and PTR, case-insensitive) only to members of the same network, and forwards other names to the host's resolvers from /etc/resolv.conf (or the servers listed in /etc/vnet/dns-upstream, or $env:VNET_DNS_UPSTREAM). It exits by itself a few seconds after no network has a member; if it is killed, the next Connect starts it again and it serves every member in the store. Its log is /run/vnet/agent/agent.log.

When no agent runs, the result has State Stopped and no process id.
'@
    Parameters = @{}
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.Agent.AgentStatus'; Description = 'The agent''s state, process, networks and namespaces served.' }
    )
    Errors = @()
    Examples = @(
        @{
            Title = 'Is the agent running, and for whom'
            Code = @'
Get-VNetAgent
'@
            Remarks = @'
State, ProcessId, Host, the number of namespaces served, queries answered and the networks.
'@
        }
        @{
            Title = 'Which namespaces it answers in'
            Code = @'
(Get-VNetAgent).Namespaces | Format-Table Path, Networks, Serving, Error
'@
            Remarks = @'
A namespace that is a member but not served names the reason in Error (for example, something else already listens on 127.0.0.11:53 there).
'@
        }
    )
}
