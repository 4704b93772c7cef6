@{
    Synopsis = 'Adds IP addresses to an interface, as `ip addr add CIDR dev IFACE` does.'
    Description = @'
New-NetIPAddress adds each address, with its prefix length, to the interface. IPv4 addresses get
the broadcast address of their subnet (as `ip addr add ... brd +`). IPv6 addresses are added
without duplicate address detection (nodad), so they can be used at once instead of after a
second or two. An address without a prefix length is a host address (/32 or /128), as with `ip`.

The kernel adds the route to the address's subnet by itself (proto kernel, see Get-NetRoute), so
after this the namespace reaches its neighbours on that subnet; a default route is added with
New-NetRoute.
'@
    Parameters = @{
        InterfaceName = 'The interface to add the addresses to. Objects with an InterfaceName, Name or Interface property (Get-NetLink, New-VethPair) bind by property name.'
        Address = 'The addresses, each with its prefix length: 198.51.100.10/24, 2001:db8:100::10/64.'
        Namespace = "The namespace the interface is in: {{Namespace}}"
        PrefixLength = 'The prefix length for addresses given without one, as Windows'' New-NetIPAddress -PrefixLength: -IPAddress 198.51.100.10 -PrefixLength 24 adds 198.51.100.10/24. A NetIPAddress object piped in binds its IPAddress and PrefixLength.'
        Force = 'Makes a re-run succeed: when what would be created is already there as asked, it is returned (and nothing changes) instead of an error; when something of that name is there but differs, the error ExistsDifferently names each difference. Only what was asked is compared. This is New-Item -Force''s idiom, for runbooks that run twice.'
    }
    Inputs = 'Get-NetLink and New-VethPair output binds through Name (to -InterfaceName) and Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Addresses.NetIPAddress'; Description = 'One object per address added: InterfaceName, InterfaceIndex, Namespace, IPAddress, PrefixLength, Cidr, AddressFamily (IPv4 or IPv6), Scope, Broadcast, Label, Flags.' }
    )
    Errors = @(
        'InvalidCidr: the address is not an IPv4 or IPv6 address (or is empty).'
        'InvalidPrefixLength: the prefix length is not a number from 0 to 32 (IPv4) or 128 (IPv6).'
        'LinkNotFound: the interface does not exist in the namespace.'
        'AddressExists: the interface already has this address.'
        'NamespaceNotFound: -Namespace does not exist.'
        'KernelRejected: the kernel refused the address; its message is in the error.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'An address on each end of a veth pair'
            Code = @'
# ip netns exec ns1 ip addr add 198.51.100.10/24 dev veth1
# ip netns exec ns2 ip addr add 198.51.100.11/24 dev veth2
New-NetIPAddress -InterfaceName veth1 -Address 198.51.100.10/24 -Namespace ns1
New-NetIPAddress veth2 198.51.100.11/24 -Namespace ns2
'@
            Output = @'
InterfaceName  Family Address                          Scope   Namespace
-------------  ------ -------                          -----   ---------
veth1          IPv4   198.51.100.10/24                 global  ns1

InterfaceName  Family Address                          Scope   Namespace
-------------  ------ -------                          -----   ---------
veth2          IPv4   198.51.100.11/24                 global  ns2
'@
            Remarks = @'
The interface and the address are the first two positions, so the second form is the same call.
'@
        }
        @{
            Title = 'The gateway address of a bridge'
            Code = @'
# ip addr add 198.51.100.1/24 brd + dev br0
New-NetIPAddress br0 198.51.100.1/24
'@
            Remarks = @'
The broadcast address 198.51.100.255 is set as `brd +` would.
'@
        }
        @{
            Title = 'IPv4 and IPv6 on a link from the pipeline'
            Code = @'
Get-NetLink eth0 -Namespace ns1 | New-NetIPAddress -Address 198.51.100.21/24, 2001:db8:100::21/64
'@
            Remarks = @'
The link's Name and Namespace bind to -InterfaceName and -Namespace; both addresses are added.
The IPv6 address is usable at once (no duplicate address detection).
'@
        }
        @{
            Title = 'A mistyped address'
            Code = @'
New-NetIPAddress eth0 198.51.100.300/24 -Namespace ns1
'@
            Output = @'
New-NetIPAddress: '198.51.100.300/24' is not a valid address with prefix length: '198.51.100.300' is not an IPv4 or IPv6 address.
'@
            Remarks = @'
Nothing is sent to the kernel; the ErrorId is InvalidCidr and the category InvalidArgument.
'@
        }
    )
    Links = @('Get-NetIPAddress', 'Remove-NetIPAddress', 'New-NetRoute', 'Get-NetLink')
}
