@{
    Synopsis = 'Takes interfaces off their bridge, as `ip link set IFACE nomaster` does.'
    Description = @'
Remove-BridgePort detaches each interface from the bridge it is plugged into. The interface itself
stays (and stays up); use Remove-NetLink to delete it. With -Bridge, an interface is only detached
if it is a port of that bridge.

An interface that is not a port (or not of -Bridge, or gone) is left alone quietly; -Strict makes
that a BridgePortNotFound error.
'@
    Parameters = @{
        InterfaceName = 'The interfaces to detach (-Name, -Interface and -InterfaceAlias are aliases). Objects that are links (Get-BridgePort, Get-NetLink) bind by property name.'
        Bridge = 'Only detach interfaces that are ports of this bridge (-Master is an alias).'
        Namespace = "The namespace of the interfaces: {{Namespace}}"
        Strict = "{{Strict}}`n`nWith -Strict, an interface that is not a port (of -Bridge, when given) raises BridgePortNotFound."
    }
    Inputs = 'Get-BridgePort output binds through Name, Bridge and Namespace.'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, an interface that was not a port is reported.' }
    )
    Errors = @(
        'BridgePortNotFound: with -Strict, the interface is not a port (of -Bridge), or does not exist.'
        'InvalidLinkName, LinkNameTooLong: a name is not a valid interface name.'
        'NamespaceNotFound: -Namespace does not exist.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Unplug one port'
            Code = @'
# ip link set veth1 nomaster
Remove-BridgePort veth1
'@
            Remarks = @'
veth1 is no longer a port of br0; it still exists and is still up.
'@
        }
        @{
            Title = 'Unplug every port of a bridge'
            Code = @'
Get-BridgePort br0 | Remove-BridgePort
'@
            Remarks = @'
Each BridgePort object binds its Name, Bridge and Namespace.
'@
        }
        @{
            Title = 'Be strict about it'
            Code = @'
Remove-BridgePort veth1 -Bridge br1 -Strict
'@
            Output = @'
Remove-BridgePort: Interface 'veth1' is not a port of br1.
'@
            Remarks = @'
veth1 is a port of br0, not of br1: with -Strict that is a BridgePortNotFound error, and nothing
changes.
'@
        }
    )
    Links = @('Add-BridgePort', 'Get-BridgePort', 'Remove-NetLink')
}
