@{
    Synopsis = 'Shows whether IP forwarding is on in a namespace, as `sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding` does there.'
    Description = @'
Get-NetIPForwarding reads net.ipv4.ip_forward and net.ipv6.conf.all.forwarding of a namespace (read
from a thread inside it, as /proc/sys/net shows the reading thread's namespace) and returns one
object per address family.
'@
    Parameters = @{
        AddressFamily = 'IPv4, IPv6, or both (the default).'
        Namespace = "The namespace to read: {{Namespace}}"
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Sysctl.NetIPForwarding'; Description = 'Namespace, AddressFamily (IPv4 or IPv6), Enabled.' }
    )
    Errors = @(
        'NamespaceNotFound: -Namespace does not exist.'
        'InvalidNamespaceName, NamespaceStale: the namespace name is not valid, or is an empty file.'
    )
    Examples = @(
        @{
            Title = 'Forwarding in one namespace'
            Code = @'
# ip netns exec router sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding
Get-NetIPForwarding -Namespace router
'@
            Output = @'
Namespace            AddressFamily Enabled
---------            ------------- -------
router               IPv4          False
router               IPv6          False
'@
            Remarks = @'
A new namespace forwards nothing.
'@
        }
        @{
            Title = 'Which namespaces forward IPv4?'
            Code = @'
Get-NetNamespace -Named | Get-NetIPForwarding -AddressFamily IPv4 | Where-Object Enabled
'@
            Remarks = @'
Each namespace's Namespace property binds to -Namespace.
'@
        }
    )
    Links = @('Set-NetIPForwarding')
}
