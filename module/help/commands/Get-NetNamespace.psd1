@{
    Synopsis = 'Lists network namespaces: the named ones in /run/netns, Docker''s, and those of every process.'
    Description = @'
Get-NetNamespace finds every network namespace it can see and returns one object for each:

- named namespaces under /run/netns (what `ip netns list` shows);
- Docker's namespaces under /run/docker/netns (also /var/run/docker/netns), which `ip netns list`
  does not show (by hand: `ln -s /var/run/docker/netns/ID /var/run/netns/NAME` to see them);
- namespaces that only processes hold (/proc/PID/ns/net), such as a container whose namespace has
  no file anywhere.

A namespace found in several places is one object (they are matched by inode, the number `ls -l
/proc/PID/ns/net` prints as net:[4026532281]); Source says where it was found (Named, Docker,
Process, or several of them), Processes lists the processes that live in it, and IsCurrent marks
the caller's own namespace. A namespace with two names under /run/netns is listed once per name,
as `ip netns list` does.

Each object's Namespace property (its name, else a path that opens it) binds to the -Namespace
parameter of the other VNet cmdlets, so `Get-NetNamespace ... | Get-NetLink` lists the links
inside each namespace.

With -Name only named namespaces are returned; a name without wildcards that matches nothing is a
NamespaceNotFound error. With -ProcessId, the namespaces of those processes are returned, named or
not (like `ip netns identify PID`, which only knows named ones).
'@
    Parameters = @{
        Container = 'The namespace of this running Docker container (name or ID).'
        Name = @'
Only the named namespaces whose /run/netns name matches. Wildcards (* and ?) are allowed and
matching is case-sensitive, like the file names.
'@
        ProcessId = @'
The namespaces that these processes live in, for example a container's main process (`docker
inspect -f '{{.State.Pid}}' NAME`). Objects with a ProcessId, Id or Pid property (such as those of
Get-Process) bind by property name.
'@
        Named = 'Only namespaces that have a name under /run/netns: the same list as `ip netns list`.'
    }
    Inputs = 'Get-Process output binds to -ProcessId through its Id property.'
    Outputs = @(
        @{ Type = 'VNet.Core.Namespaces.NetNamespace'; Description = 'Name (empty when it has none), Path (a path that opens it: /run/netns/NAME, Docker''s file, or /proc/PID/ns/net), Inode, Source, DockerPath, ProcessIds, Processes (process id and command), IsCurrent, State (Ready, or Stale for a /run/netns name with nothing mounted on it, shown as STALE in the Inode column; New-NetNamespace -Force repairs it), and Namespace (the value to pass as -Namespace: Name, else Path).' }
    )
    Errors = @(
        'NamespaceNotFound: a -Name without wildcards matches no named namespace (a stale name is found, with the State Stale).'
        'ProcessNotFound: no process has a -ProcessId (or its namespace cannot be read).'
    )
    Examples = @(
        @{
            Title = 'Every namespace on the machine'
            Code = @'
Get-NetNamespace
'@
            Output = @'
Name           Inode       Source           Processes                      Path
----           -----       ------           ---------                      ----
ns1            4026532316  Named                                           /run/netns/ns1
ns2            4026532385  Named                                           /run/netns/ns2
               4026532247  Docker, Process  10961/httpd                    /run/docker/netns/1a2b3c4d5e6f
               4026531833  Process          2/kthreadd, 3/pool_workqueue_… /proc/2/ns/net
(current)      4026532178  Process          10948/pwsh                     /proc/10948/ns/net
'@
            Remarks = @'
Named namespaces come first, then Docker's (here a container whose main process is httpd), then
those that only processes hold. The session's own namespace shows as (current). This session ran
in a throw-away namespace of its own, so the machine's namespace appears as the one kthreadd is
in; in a session on the host itself, that one is (current).
'@
        }
        @{
            Title = 'What `ip netns list` shows, and what it does not'
            Code = @'
# ip netns list
Get-NetNamespace -Named
# Docker's namespaces, invisible to ip netns list
Get-NetNamespace | Where-Object Source -Match Docker | Select-Object DockerPath, ProcessIds
'@
            Remarks = @'
-Named gives what `ip netns list` gives. Docker keeps its containers' namespaces in
/run/docker/netns; VNet lists them without linking them into /run/netns first.
'@
        }
        @{
            Title = 'Which namespace is a process (or a container) in?'
            Code = @'
# ip netns identify PID (which knows named namespaces only)
Get-Process httpd | Get-NetNamespace
# the namespace of a Docker container, by its main process
Get-NetNamespace -ProcessId (docker inspect -f '{{.State.Pid}}' web) | Get-NetLink
'@
            Remarks = @'
Get-Process objects bind to -ProcessId through their Id property. The second command pipes the
container's namespace into Get-NetLink, which lists the container's
interfaces the way `docker exec web ip link` would, without needing `ip` inside the container.
'@
        }
        @{
            Title = 'The links of every lab namespace'
            Code = @'
Get-NetNamespace 'ns*' | Get-NetLink
'@
            Remarks = @'
Each namespace's Namespace property binds to -Namespace of Get-NetLink.
'@
        }
    )
    Links = @('New-NetNamespace', 'Remove-NetNamespace', 'Get-VethPair', 'Get-NetLink', 'Invoke-NetNamespace')
}
