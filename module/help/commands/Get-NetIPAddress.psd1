@{
    Synopsis = 'Lists IP addresses, as `ip addr show` (or `ip -br addr`) does.'
    Description = @'
Get-NetIPAddress returns the IPv4 and IPv6 addresses of a namespace, of every interface or of the
ones given: InterfaceName, IPAddress, PrefixLength, Cidr (address/prefix), AddressFamily, Scope
(global, link, host), Broadcast, Label and Flags (permanent, nodad, tentative, dadfailed,
secondary). The default table reads like `ip -br addr`.

An -InterfaceName without wildcards that does not exist is a LinkNotFound error.
'@
    Parameters = @{
        InterfaceName = 'Only the addresses of these interfaces; wildcards (* and ?) are allowed. -Interface and -InterfaceAlias are aliases. A piped link (Get-NetLink, Get-VethPair) binds here, so `Get-NetLink eth0 | Get-NetIPAddress` lists eth0''s addresses only.'
        Namespace = "The namespace to list: {{Namespace}}"
        AddressFamily = 'Only IPv4 or only IPv6 addresses. By default, both.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Addresses.NetIPAddress'; Description = 'One object per address. InterfaceName, Cidr and Namespace pipe into Remove-NetIPAddress.' }
    )
    Errors = @(
        'LinkNotFound: an -InterfaceName without wildcards does not exist.'
        'NamespaceNotFound: -Namespace does not exist.'
    )
    Examples = @(
        @{
            Title = 'The addresses inside a namespace'
            Code = @'
# ip netns exec ns1 ip -br addr
Get-NetIPAddress -Namespace ns1
'@
            Output = @'
InterfaceName  Family Address                          Scope   Namespace
-------------  ------ -------                          -----   ---------
lo             IPv4   127.0.0.1/8                      host    ns1
eth0           IPv4   198.51.100.11/24                 global  ns1
lo             IPv6   ::1/128                          host    ns1
eth0           IPv6   fe80::28a1:c0ff:feb6:8415/64     link    ns1
'@
            Remarks = @'
lo is up in every namespace VNet makes, so it has its addresses; eth0 has the address given
to it and its IPv6 link-local address.
'@
        }
        @{
            Title = 'Just the IPv4 address of one interface'
            Code = @'
(Get-NetIPAddress eth0 -Namespace ns1 -AddressFamily IPv4).IPAddress
'@
            Output = @'
198.51.100.11
'@
            Remarks = @'
The IPAddress property is the bare address; Cidr includes the prefix length.
'@
        }
        @{
            Title = 'Every IPv4 address of every named namespace'
            Code = @'
Get-NetNamespace -Named | Get-NetIPAddress -AddressFamily IPv4 -InterfaceName 'eth*'
'@
            Remarks = @'
Each namespace's Namespace property binds to -Namespace.
'@
        }
    )
    Links = @('New-NetIPAddress', 'Remove-NetIPAddress', 'Get-NetLink', 'Get-NetRoute')
}
