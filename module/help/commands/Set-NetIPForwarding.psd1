@{
    Synopsis = 'Turns IP forwarding on or off in a namespace, as `sysctl -w net.ipv4.ip_forward=1` does there.'
    Description = @'
Set-NetIPForwarding writes net.ipv4.ip_forward (IPv4) and net.ipv6.conf.all.forwarding (IPv6) of
one namespace. Every namespace has its own values, and a new namespace starts with forwarding off:
a namespace that routes between two others (or a host whose containers reach the outside)
needs it on.

/proc/sys/net shows the namespace of the thread that opens the file, so VNet writes it from a
thread of its own inside the namespace; no thread of the session is switched.
'@
    Parameters = @{
        Enabled = 'A switch: -Enabled turns forwarding on, -Enabled:$false turns it off. Scripts that wrote -Enabled $true, or $true as the first argument, still work.'
        AddressFamily = 'IPv4, IPv6, or both. By default IPv4 only.'
        Namespace = "The namespace whose forwarding to set: {{Namespace}}"
        PassThru = 'Returns the setting as read back after the write. By default nothing is returned.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Sysctl.NetIPForwarding'; Description = 'With -PassThru: Namespace, AddressFamily, Enabled.' }
    )
    Errors = @(
        'NamespaceNotFound: -Namespace does not exist.'
        'PermissionDenied: the session cannot write /proc/sys/net (not root).'
    )
    Examples = @(
        @{
            Title = 'A namespace that routes between two subnets'
            Code = @'
New-NetNamespace ns1, router, outside
New-VethPair eth0 r-in -Namespace ns1 -PeerNamespace router
New-VethPair eth0 r-out -Namespace outside -PeerNamespace router
New-NetIPAddress eth0 198.51.100.10/24 -Namespace ns1
New-NetIPAddress r-in 198.51.100.1/24 -Namespace router
New-NetIPAddress r-out 203.0.113.1/24 -Namespace router
New-NetIPAddress eth0 203.0.113.10/24 -Namespace outside
New-NetRoute default -Gateway 198.51.100.1 -Namespace ns1
New-NetRoute default -Gateway 203.0.113.1 -Namespace outside
# ip netns exec router sysctl -w net.ipv4.ip_forward=1
Set-NetIPForwarding -Enabled -Namespace router
Invoke-NetNamespace ns1 -- ping -c 1 203.0.113.10
'@
            Remarks = @'
Until forwarding is on in router, the ping from ns1 to outside gets no answer (router drops what
is not for itself).
'@
        }
        @{
            Title = 'Both families, and show the result'
            Code = @'
Set-NetIPForwarding -Enabled -AddressFamily IPv4, IPv6 -Namespace router -PassThru
'@
            Output = @'
Namespace            AddressFamily Enabled
---------            ------------- -------
router               IPv4          True
router               IPv6          True
'@
            Remarks = @'
$true is the first positional argument (-Enabled).
'@
        }
        @{
            Title = 'Turn it off again'
            Code = @'
Set-NetIPForwarding -Enabled $false -AddressFamily IPv4, IPv6 -Namespace router
'@
            Remarks = @'
The namespace stops forwarding packets between its interfaces.
'@
        }
    )
    Links = @('Get-NetIPForwarding', 'New-NetRoute')
}
