@{
    Synopsis = 'Streams link, address, route, neighbour and FDB changes as the kernel announces them, from one or several namespaces, as `ip monitor` does, until Ctrl+C, -TimeoutSec or -Count.'
    Description = @'
Watch-NetEvent listens to the kernel's rtnetlink announcements (the multicast groups `ip monitor`
and `bridge monitor` read) and writes one object per change to the pipeline as it happens: a link
added, changed (up, down, renamed, put on a bridge) or removed; an address added or removed; a
route added or removed; a neighbour (ARP/NDP) entry or a bridge forwarding (FDB) entry learned or
updated (Action Added, with its new State) or removed.

Several namespaces can be watched at once: each gets a listener opened inside it, and their events
come in one stream, in the order they arrive, each with its Namespace. So one command shows a
container's eth0 coming up in its namespace and its host-side veth joining the bridge on the host.

It runs until Ctrl+C, until -TimeoutSec seconds have passed, or until -Count events have been
written, whichever comes first. Stopping it closes every listener.

The kernel's routes for local addresses (table local) are not shown. If events arrive faster
than they are read, the kernel drops some; an event of Kind Lost says so.
'@
    Parameters = @{
        Namespace = 'The namespaces to watch: names under /run/netns or paths of namespace files; '''' (an empty string) is the current namespace, which is also the default. Several are watched in one stream. {{Namespace}}'
        Kind = 'Only these kinds of events: Link, Address, Route, Neighbour, Fdb. By default all of them.'
        TimeoutSec = 'Stops after this many seconds (alias -Timeout). 0 (the default) watches until Ctrl+C or -Count.'
        Count = 'Stops after this many events. 0 (the default) has no limit.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace (every namespace piped in is watched in one stream).'
    Outputs = @(
        @{ Type = 'VNet.Core.Events.NetEvent'; Description = 'One object per change: Time, Namespace, Kind (Link, Address, Route, Neighbour, Fdb, or Lost), Action (Added, Changed, Removed), InterfaceName, InterfaceIndex, Type (a link''s kind, an address or route family, a neighbour''s state), Address (the CIDR, the route''s destination, the neighbour''s IP, the FDB entry''s MAC), Via (a route''s gateway, a neighbour''s MAC, an FDB entry''s remote VTEP), State, and Text (the event as ip monitor would print it).' }
    )
    Errors = @(
        'NamespaceNotFound: a namespace given with -Namespace does not exist.'
        'InvalidNamespaceName, NamespaceStale: a namespace name is not valid, or is an empty file.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'What happens when a container is plugged in (ip monitor)'
            Code = @'
# ip monitor link address route     (one namespace at a time)
Watch-NetEvent -Namespace '', c1 -Kind Link, Address, Route
'@
            Output = @'
Time         Namespace  Kind      Action  Event
----         ---------  ----      ------  -----
09:14:02.113            Link      Added   7: veth-c1: veth DOWN
09:14:02.114 c1         Link      Added   2: eth0: veth DOWN
09:14:02.120            Link      Changed 7: veth-c1: veth DOWN master br0
09:14:02.131 c1         Address   Added   2: eth0 inet 198.51.100.11/24
09:14:02.133 c1         Route     Added   198.51.100.0/24 dev eth0
09:14:02.140 c1         Route     Added   default via 198.51.100.1 dev eth0
'@
            Remarks = 'In another session: New-VethPair veth-c1 -PeerName eth0 -PeerNamespace c1 -Bridge br0, then New-NetIPAddress and New-NetRoute in c1. Ctrl+C ends the watch.'
        }
        @{
            Title = 'Wait for a MAC to be learned behind a VXLAN tunnel'
            Code = @'
Watch-NetEvent -Kind Fdb -TimeoutSec 30 | Where-Object Via | Select-Object -First 1
'@
            Remarks = 'Via is the remote VTEP of an FDB entry on a tunnel. Select-Object -First 1 ends the watch at the first one.'
        }
        @{
            Title = 'Record a minute of changes of every named namespace'
            Code = @'
Get-NetNamespace -Named | Watch-NetEvent -TimeoutSec 60 | Export-Csv events.csv
'@
            Remarks = 'Every namespace piped in is watched in one stream; each row names its namespace.'
        }
    )
    Links = @('Get-NetConntrack', 'Get-NetLink', 'Get-NetIPAddress', 'Get-NetRoute', 'Get-BridgeFdb')
}
