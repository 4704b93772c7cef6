@{
    Synopsis = 'Lists routes, as `ip route show` (and `ip -6 route show`) does.'
    Description = @'
Get-NetRoute returns the IPv4 and IPv6 routes of a namespace's main table (every table with
-AllTables, like `ip route show table all`): Destination ('default' or a CIDR), Gateway,
InterfaceName, Metric, PreferredSource, AddressFamily, Protocol (kernel for the subnet routes the
kernel adds with an address, static for VNet's and ip's, dhcp, ...), Scope (global, link, host),
Type (unicast, local, broadcast, blackhole, unreachable, prohibit) and Table.
'@
    Parameters = @{
        Destination = 'Only the routes to this destination (-DestinationPrefix is an alias). ''default'', 0.0.0.0/0 and ::/0 all find the default routes (shown as default); a prefix matches by its network, so 198.51.100.7/24 finds 198.51.100.0/24. A destination with no route is a RouteNotFound error.'
        InterfaceName = 'Only routes through these interfaces; wildcards (* and ?) are allowed. -Interface and -InterfaceAlias are aliases; a piped link binds here.'
        Namespace = "The namespace to list: {{Namespace}}"
        AddressFamily = 'Only IPv4 or only IPv6 routes. By default, both.'
        AllTables = 'Routes of every table (local, main, and any other), not only the main table.'
    }
    Globbing = @('InterfaceName')
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Routes.NetRoute'; Description = 'One object per route. Destination, Gateway, InterfaceName, Metric and Namespace pipe into Remove-NetRoute.' }
    )
    Errors = @(
        'NamespaceNotFound: -Namespace does not exist.'
        'InvalidNamespaceName, NamespaceStale: the namespace name is not valid, or is an empty file.'
    )
    Examples = @(
        @{
            Title = 'The routing table of a namespace'
            Code = @'
# ip netns exec ns1 ip route
Get-NetRoute -Namespace ns1 -AddressFamily IPv4
'@
            Output = @'
Destination            Gateway          InterfaceName  Metric Protocol Scope   Namespace
-----------            -------          -------------  ------ -------- -----   ---------
default                198.51.100.1     eth0           0      static   global  ns1
198.51.100.0/24                         eth0           0      kernel   link    ns1
'@
            Remarks = @'
The default route via the bridge and the subnet route the kernel added with eth0's address.
'@
        }
        @{
            Title = 'Does every namespace have a default route?'
            Code = @'
Get-NetNamespace -Named | ForEach-Object {
    [pscustomobject]@{ Namespace = $_.Name; Default = (Get-NetRoute default -Namespace $_.Namespace -AddressFamily IPv4).Gateway }
}
'@
            Remarks = @'
Lists each named namespace with the gateway of its IPv4 default route (empty when it has none).
'@
        }
        @{
            Title = 'Routes through some interfaces, in every table'
            Code = @'
# ip route show table all dev br0
Get-NetRoute -InterfaceName br0 -AllTables
'@
            Remarks = @'
With -AllTables, also the local table's routes (the bridge's own address and broadcast).
'@
        }
    )
    Links = @('New-NetRoute', 'Remove-NetRoute', 'Get-NetIPAddress')
}
