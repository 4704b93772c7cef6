@{
    Synopsis = 'Adds a route, as `ip route add DESTINATION [via GATEWAY] [dev INTERFACE] [metric N]` does.'
    Description = @'
New-NetRoute adds a route to the main routing table of a namespace. The destination is a network
in CIDR form (198.51.100.0/24, 2001:db8:100::/64) or 'default' (0.0.0.0/0, or ::/0 when -Gateway
is an IPv6 address). A route needs a next hop: a -Gateway, an -InterfaceName, or both. Without a
gateway the destination is reached directly on the interface (an on-link route, scope link).

A gateway must be reachable through the subnet of one of the namespace's addresses (add the
address first, with New-NetIPAddress), or the kernel refuses it: GatewayUnreachable. A destination
with host bits set (198.51.100.7/24) is refused with the network it probably meant.
Routes added by VNet have protocol static, like those of `ip route add`.
'@
    Parameters = @{
        Destination = 'The destination network in CIDR form, or ''default''. Host bits must be zero: 198.51.100.0/24, not 198.51.100.7/24; a single host is 198.51.100.7/32.'
        Gateway = 'The next hop''s address, on a subnet the namespace is on (`via` in ip). Of the same family as the destination.'
        InterfaceName = 'The interface to send through (`dev` in ip). Needed when there is no -Gateway; with one, it pins the route to this interface.'
        Metric = 'The route''s priority (`metric` in ip): 0 or more, lower wins. Without it, the kernel''s default applies: 0 for IPv4, 1024 for IPv6.'
        Namespace = "The namespace to add the route in: {{Namespace}}"
        Force = 'Makes a re-run succeed: when what would be created is already there as asked, it is returned (and nothing changes) instead of an error; when something of that name is there but differs, the error ExistsDifferently names each difference. Only what was asked is compared. This is New-Item -Force''s idiom, for runbooks that run twice.'
    }
    Defaults = @{ Metric = 'None (kernel default: 0 for IPv4, 1024 for IPv6)' }
    Inputs = 'Objects with these properties (NetRoute objects from Get-NetRoute of another namespace, a CSV of routes) add one route each.'
    Outputs = @(
        @{ Type = 'VNet.Core.Routes.NetRoute'; Description = 'The route as Get-NetRoute shows it: Destination, Gateway, InterfaceName, InterfaceIndex, Metric, PreferredSource, AddressFamily, Protocol, Scope, Type, Table, Namespace.' }
    )
    Errors = @(
        'InvalidCidr, InvalidPrefixLength: -Destination is neither ''default'' nor a valid CIDR.'
        'RouteDestinationHasHostBits: -Destination has host bits set; the message gives the network meant.'
        'InvalidIPAddress: -Gateway is not an IPv4 or IPv6 address.'
        'AddressFamilyMismatch: -Gateway and -Destination are of different families.'
        'RouteNeedsGatewayOrInterface: neither -Gateway nor -InterfaceName was given.'
        'InvalidMetric: -Metric is negative.'
        'LinkNotFound: -InterfaceName does not exist in the namespace.'
        'RouteExists: the same route is already there.'
        'GatewayUnreachable: no subnet of the namespace contains -Gateway.'
        'NamespaceNotFound: -Namespace does not exist.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'A default route via the bridge'
            Code = @'
# ip netns exec ns1 ip route add default via 198.51.100.1
New-NetRoute default -Gateway 198.51.100.1 -Namespace ns1
'@
            Output = @'
Destination            Gateway          InterfaceName  Metric Protocol Scope   Namespace
-----------            -------          -------------  ------ -------- -----   ---------
default                198.51.100.1     eth0           0      static   global  ns1
'@
            Remarks = @'
ns1's eth0 has 198.51.100.11/24, so the gateway is on its subnet.
'@
        }
        @{
            Title = 'A host route on a link, without a gateway'
            Code = @'
# route add -host 198.51.100.11 dev veth1
New-NetRoute 198.51.100.11/32 -InterfaceName veth1
'@
            Remarks = @'
The destination is reached directly through veth1 (scope link), as when the host
routes to a namespace's address over the veth: `ip route add 198.51.100.2/32 dev veth1`.
'@
        }
        @{
            Title = 'A network behind a router, with a metric; and IPv6'
            Code = @'
New-NetRoute 203.0.113.0/24 -Gateway 198.51.100.1 -Metric 100 -Namespace ns1
New-NetIPAddress eth0 2001:db8:100::11/64 -Namespace ns1
New-NetRoute default -Gateway 2001:db8:100::1 -Namespace ns1
'@
            Remarks = @'
With an IPv6 gateway, 'default' means ::/0; without -Metric, the kernel gives an IPv6 route
metric 1024.
'@
        }
        @{
            Title = 'A destination with host bits'
            Code = @'
New-NetRoute 203.0.113.7/24 -Gateway 198.51.100.1 -Namespace ns1
'@
            Output = @'
New-NetRoute: Route destination '203.0.113.7/24' has host bits set; did you mean 203.0.113.0/24?
'@
            Remarks = @'
ErrorId RouteDestinationHasHostBits; nothing is added.
'@
        }
    )
    Links = @('Get-NetRoute', 'Remove-NetRoute', 'New-NetIPAddress', 'Set-NetIPForwarding')
}
