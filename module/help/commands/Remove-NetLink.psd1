@{
    Synopsis = 'Deletes interfaces, as `ip link delete` does.'
    Description = @'
Remove-NetLink deletes each interface. Deleting either end of a veth pair deletes the pair, in
whatever namespace the other end is. Deleting a bridge releases its ports (they stay, detached),
and what VNet kept for the bridge goes with it: its isolation (Set-NetBridge -Isolated) and the
accept rules VNet added for it under a FORWARD policy of DROP (-Verbose says which).
Interfaces that cannot be deleted, such as lo, are refused by the kernel.

An interface that does not exist is skipped quietly; -Strict makes that a LinkNotFound error.
'@
    Parameters = @{
        InterfaceName = 'The interfaces to delete (-Name, -Interface and -InterfaceAlias are aliases). Objects that are links (Get-NetLink, Get-VethPair, Get-BridgePort, New-VethPair) bind by property name (their Name is aliased InterfaceName); a piped namespace does not.'
        Namespace = "The namespace the interfaces are in: {{Namespace}}"
        Strict = "{{Strict}}`n`nWith -Strict, an interface that does not exist raises LinkNotFound."
    }
    Inputs = 'Get-NetLink, New-VethPair and New-NetBridge output binds through Name and Namespace.'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, an interface that was already gone is reported.' }
    )
    Errors = @(
        'LinkNotFound: with -Strict, the interface does not exist.'
        'InvalidLinkName, LinkNameTooLong: a name is not a valid interface name.'
        'NamespaceNotFound: -Namespace does not exist.'
        'NotSupported: the kernel cannot delete this kind of interface (lo, hardware).'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Delete a veth pair by either end'
            Code = @'
# ip link delete veth1
Remove-NetLink veth1
Get-NetLink -Namespace ns1        # eth0, the other end, is gone too
'@
            Remarks = @'
One end is enough: the kernel deletes the pair.
'@
        }
        @{
            Title = 'Delete every veth of the current namespace, after checking'
            Code = @'
Get-NetLink -Kind veth | Remove-NetLink -WhatIf
Get-NetLink -Kind veth | Remove-NetLink
'@
            Output = @'
What if: Performing the operation "Delete link" on target "veth1".
What if: Performing the operation "Delete link" on target "veth2".
'@
            Remarks = @'
-WhatIf lists what would go. Each pair's second end may already be gone when its turn comes (it was
deleted with the first); that is skipped quietly.
'@
        }
        @{
            Title = 'Delete a bridge in another namespace, strictly'
            Code = @'
Remove-NetLink br0 -Namespace hostA -Strict
'@
            Remarks = @'
Fails with LinkNotFound if hostA has no br0.
'@
        }
    )
    Links = @('Get-NetLink', 'New-VethPair', 'New-NetBridge', 'Remove-NetNamespace')
}
