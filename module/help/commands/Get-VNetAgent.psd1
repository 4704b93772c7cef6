@{
    Synopsis = 'Shows the VNet agent: the per-host process that answers DNS inside the members of container networks.'
    Description = @'
Get-VNetAgent asks the agent over its control socket (/run/vnet/agent/agent.sock, under $env:VNET_RUN_DIR when set) and returns its state, process id, which runtime hosts it (dotnet or pwsh), the networks and member namespaces it serves (each with Serving and, when it cannot serve one, the Error), its upstream resolvers and how many queries it answered and forwarded.

The agent is started on demand by Connect-ContainerNetwork, one per host (a flock on /run/vnet/agent/agent.lock), detached from the caller: it holds neither the caller's terminal nor its pipes, so `$(pwsh -c 'Connect-ContainerNetwork ...')` in a script returns. It listens on 127.0.0.11:53 (UDP and TCP) inside every member namespace, answers the members' names, aliases and name.network (A, AAAA and PTR, case-insensitive) only to members of the same network, and forwards other names to the host's resolvers from /etc/resolv.conf (or the servers listed in /etc/vnet/dns-upstream, or $env:VNET_DNS_UPSTREAM). It exits by itself a few seconds after no network has a member; if it is killed, the next Connect starts it again and it serves every member in the store. Its log is /run/vnet/agent/agent.log.

On a host with a cluster store set (Set-VNetStore), the agent also does the overlay work, shown in Overlay: it registers the host (underlay address, VTEP MAC) under a lease of $env:VNET_HOST_TTL_SECONDS seconds (default 10), follows the store with a watch and programs the local vxlan devices of overlay networks with an FDB and a neighbour entry per remote endpoint. Overlay.Registered says whether the host's record is live, LastRevision how far it has read, Devices and Entries what it programmed, LastError why the last attempt failed (the store unreachable: the kernel entries are kept and it retries). It stays running while this host has overlay members, and answers the names of every host's members of an overlay network.

When no agent runs, the result has State Stopped and no process id.
'@
    Parameters = @{}
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.Agent.AgentStatus'; Description = 'The agent''s state, process, networks and namespaces served, and its overlay work (Overlay, null without a cluster store).' }
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
        @{
            Title = 'Is this host in the overlay'
            Code = @'
(Get-VNetAgent).Overlay
'@
            Remarks = @'
Registered, the underlay address other hosts send to, the store revision last read, the vxlan devices and entries programmed, and the last error (for example the store unreachable).
'@
        }
    )
}
