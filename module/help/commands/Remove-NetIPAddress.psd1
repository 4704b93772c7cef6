@{
    Synopsis = 'Removes IP addresses from an interface, as `ip addr del CIDR dev IFACE` does.'
    Description = @'
Remove-NetIPAddress removes each address from the interface. An address given without a prefix
length is removed whatever its prefix. The kernel also removes the subnet route it had added for
the address.

An address (or interface) that is not there is skipped quietly; -Strict makes that an error
(AddressNotFound, or LinkNotFound for the interface).
'@
    Parameters = @{
        InterfaceName = 'The interface to remove the addresses from. Objects with an InterfaceName or Interface property (Get-NetIPAddress) bind by property name.'
        Address = 'The addresses to remove, with or without a prefix length: 198.51.100.10/24, 198.51.100.10, 2001:db8:100::10/64. Objects with a Cidr property (Get-NetIPAddress) bind by property name.'
        Namespace = "The namespace the interface is in: {{Namespace}}"
        Strict = "{{Strict}}`n`nWith -Strict, an address that is not on the interface raises AddressNotFound, and an interface that does not exist raises LinkNotFound."
    }
    Inputs = 'Get-NetIPAddress output binds through InterfaceName, Cidr and Namespace.'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, an address that was not there is reported.' }
    )
    Errors = @(
        'InvalidCidr, InvalidPrefixLength: an address is not valid.'
        'AddressNotFound: with -Strict, the address is not on the interface.'
        'LinkNotFound: with -Strict, the interface does not exist.'
        'NamespaceNotFound: -Namespace does not exist.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Remove an address'
            Code = @'
# ip netns exec ns1 ip addr del 198.51.100.10/24 dev veth1
Remove-NetIPAddress veth1 198.51.100.10/24 -Namespace ns1
'@
            Remarks = @'
The subnet route 198.51.100.0/24 of ns1 goes with it.
'@
        }
        @{
            Title = 'Remove whatever IPv4 addresses an interface has'
            Code = @'
Get-NetIPAddress veth2 -Namespace ns2 -AddressFamily IPv4 | Remove-NetIPAddress
'@
            Remarks = @'
Each address object binds InterfaceName, Cidr and Namespace.
'@
        }
        @{
            Title = 'Without the prefix length, and strictly'
            Code = @'
Remove-NetIPAddress veth2 198.51.100.11 -Namespace ns2 -Strict
'@
            Output = @'
Remove-NetIPAddress: Address 198.51.100.11/32 is not on interface 'veth2'.
'@
            Remarks = @'
A bare address matches the interface's address whatever its prefix. Here it was already removed
by the previous example, so -Strict reports AddressNotFound; without -Strict the call would be
quiet.
'@
        }
    )
    Links = @('New-NetIPAddress', 'Get-NetIPAddress')
}
