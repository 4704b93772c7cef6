@{
    Synopsis = 'Removes routes, as `ip route del` does.'
    Description = @'
Remove-NetRoute removes every route of the main table that matches the destination and, when
given, the gateway, the interface and the metric. Routes of the other tables are never touched.

When nothing matches, it does nothing quietly; -Strict makes that a RouteNotFound error.
'@
    Parameters = @{
        Destination = '''default'' or the destination network in CIDR form (host bits zero), as Get-NetRoute prints it.'
        Gateway = 'Only routes via this gateway.'
        InterfaceName = 'Only routes through this interface.'
        Metric = 'Only routes with this metric.'
        Namespace = "The namespace to remove from: {{Namespace}}"
        Strict = "{{Strict}}`n`nWith -Strict, no matching route raises RouteNotFound."
    }
    Inputs = 'Get-NetRoute output binds through Destination, Gateway, InterfaceName, Metric and Namespace, so a piped route removes exactly that route.'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, a route that was not there is reported.' }
    )
    Errors = @(
        'InvalidCidr, InvalidPrefixLength, RouteDestinationHasHostBits: -Destination is not valid.'
        'InvalidIPAddress: -Gateway is not an IP address.'
        'AddressFamilyMismatch: -Gateway is of another family than -Destination (as New-NetRoute refuses it).'
        'RouteNotFound: with -Strict, no route matches.'
        'NamespaceNotFound: -Namespace does not exist.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Remove a namespace''s default route'
            Code = @'
# ip netns exec ns1 ip route del default
Remove-NetRoute default -Namespace ns1
'@
            Remarks = @'
Removes the IPv4 default route of ns1, whatever its gateway. Give -Gateway to remove only the
route via that gateway.
'@
        }
        @{
            Title = 'Remove the static routes through one interface'
            Code = @'
Get-NetRoute -Namespace ns2 -InterfaceName eth0 | Where-Object Protocol -eq static | Remove-NetRoute
'@
            Remarks = @'
Each route object binds its own fields, so exactly those routes go; the kernel's subnet route
stays.
'@
        }
        @{
            Title = 'Strictly'
            Code = @'
Remove-NetRoute 203.0.113.0/24 -Namespace ns1 -Strict
'@
            Output = @'
Remove-NetRoute: No route to 203.0.113.0/24 matches in namespace 'ns1'.
'@
            Remarks = @'
There was no such route: RouteNotFound.
'@
        }
    )
    Links = @('Get-NetRoute', 'New-NetRoute')
}
