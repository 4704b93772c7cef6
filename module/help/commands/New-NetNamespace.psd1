@{
    Synopsis = 'Creates named network namespaces, as `ip netns add` does, with the loopback interface up.'
    Description = @'
New-NetNamespace creates a network namespace for each name and pins it as /run/netns/NAME, a bind
mount on an empty file, exactly the way `ip netns add` does. `ip netns list`, `ip netns exec` and
every VNet cmdlet therefore see the same namespaces, whichever tool made them.

A new namespace is an empty network stack: its own interfaces, addresses, routes, firewall and
sysctls. VNet brings its loopback interface (lo) up; `ip netns add` leaves it down. IP forwarding
is off (see Set-NetIPForwarding) and there are no firewall rules.

Every name of the list is checked first: if one is invalid, it is reported and no namespace is
made. Then each name is handled on its own: a name that fails (already taken, say) is reported
and leaves nothing behind, and the other names are still created. A name is a file name under
/run/netns: not empty, no '/', no whitespace, no '..', at most 255 bytes.

A name is made in two steps, the file and then the bind mount on it. A session killed between the
two leaves an empty file: Get-NetNamespace shows it with the State Stale, and
`New-NetNamespace -Force` mounts a new namespace on it. With -Force a re-run of a script
converges: names that exist already are returned as they are.
'@
    Parameters = @{
        Container = 'Give a /run/netns name to the namespace of this running Docker container (name or ID), found through the Docker Engine API: what `ln -s /var/run/docker/netns/ID /var/run/netns/NAME` does by hand. Removing the name never ends the container''s namespace.'
        Path = 'Give a /run/netns name to the namespace at this path (/run/docker/netns/ID, /proc/PID/ns/net).'
        ProcessId = 'Give a /run/netns name to the namespace of this process.'
        Force = 'Converge instead of failing: a namespace that exists already is returned as it is (lo brought up) without an error, and a stale name (an empty file with nothing mounted on it, as a killed session leaves) gets a new namespace mounted on it.'
        Name = @'
The names of the namespaces to create. Each becomes /run/netns/NAME. You can pipe names, or
objects with a Name property.
'@
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Namespaces.NetNamespace'; Description = 'One object per namespace created, with its Name, Path (/run/netns/NAME), Inode (the kernel''s net:[inode] identity) and Source (Named). Its Namespace property pipes into the -Namespace parameter of the other VNet cmdlets.' }
    )
    Errors = @(
        'InvalidNamespaceName: the name is empty, contains ''/'', whitespace or ''..'', or is longer than 255 bytes.'
        'NamespaceExists: /run/netns/NAME already exists (made by VNet, `ip netns add` or anyone else). -Force returns it instead.'
        'NamespaceStale: /run/netns/NAME is an empty file with no namespace mounted on it. -Force repairs it.'
        'PermissionDenied: the session lacks root or CAP_SYS_ADMIN (needed to unshare and bind-mount the namespace); the message names the capability.'
    )
    Examples = @(
        @{
            Title = 'Two namespaces for two "machines"'
            Code = @'
# ip netns add ns1
# ip netns add ns2
New-NetNamespace -Name ns1, ns2
'@
            Remarks = @'
Creates ns1 and ns2, two empty network stacks. Each has only lo,
and lo is up, so `Invoke-NetNamespace ns1 -- ping -c 1 127.0.0.1` already works.
'@
        }
        @{
            Title = 'VNet and `ip netns` see the same namespaces'
            Code = @'
'web', 'db' | New-NetNamespace
ip netns list
ip netns add cache
Get-NetNamespace -Named | Select-Object Name, Path
'@
            Remarks = @'
Names piped to New-NetNamespace are created one by one. `ip netns list` shows them, and a
namespace made with `ip netns add` shows up in Get-NetNamespace, because both keep their names
under /run/netns.
'@
        }
        @{
            Title = 'Check first with -WhatIf, then match on the ErrorId'
            Code = @'
New-NetNamespace lab1 -WhatIf
New-NetNamespace lab1
try { New-NetNamespace lab1 -ErrorAction Stop }
catch { $_.FullyQualifiedErrorId }
'@
            Output = @'
What if: Performing the operation "Create network namespace" on target "lab1".

Name           Inode       Source           Processes                      Path
----           -----       ------           ---------                      ----
lab1           4026532247  Named                                           /run/netns/lab1
NamespaceExists,VNet.PowerShell.Commands.NewNetNamespaceCommand
'@
            Remarks = @'
-WhatIf describes the change and makes none. Creating a name that exists fails with the ErrorId
NamespaceExists (category ResourceExists); scripts match on that id, not on the message text.
'@
        }
    )
    Links = @('Get-NetNamespace', 'Remove-NetNamespace', 'Invoke-NetNamespace', 'New-VethPair')
}
