@{
    Synopsis = 'Lists the ports of bridges, as `bridge link` or `ip link show master BRIDGE` do.'
    Description = @'
Get-BridgePort returns the interfaces plugged into a bridge, or into every bridge of the namespace,
with each port's forwarding state (PortState: forwarding, learning, listening, blocking,
disabled). A bridge name without wildcards that is not a bridge of the namespace is an error.
'@
    Parameters = @{
        Bridge = 'Only the ports of these bridges; wildcards (* and ?) are allowed. By default, the ports of every bridge. Objects with a Bridge property (Get-BridgePort output) bind by property name; for a bridge link from Get-NetLink, pass its Name.'
        Namespace = "The namespace whose bridges to look at: {{Namespace}}"
    }
    Inputs = 'Get-NetNamespace output binds through Namespace (the ports of every bridge there); BridgePort objects bind through Bridge and Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.BridgePort'; Description = 'Bridge, Name, Index, Namespace, Kind, State, PortState, Mtu, MacAddress. Name, Bridge and Namespace pipe into Remove-BridgePort.' }
    )
    Errors = @(
        'BridgeNotFound: a -Bridge without wildcards is not a bridge in the namespace.'
        'NamespaceNotFound: -Namespace does not exist.'
    )
    Examples = @(
        @{
            Title = 'The ports of br0'
            Code = @'
# bridge link show master br0
Get-BridgePort br0
'@
            Output = @'
Bridge       Name            Kind     State    PortState  Mtu   Namespace
------       ----            ----     -----    ---------  ---   ---------
br0          veth1           veth     UP       forwarding 1500
br0          veth2           veth     UP       forwarding 1500
'@
            Remarks = @'
Both veths are ports of br0 and forwarding.
'@
        }
        @{
            Title = 'Every bridge port, in every namespace'
            Code = @'
Get-BridgePort
Get-NetNamespace -Named | ForEach-Object { Get-BridgePort -Namespace $_.Namespace }
'@
            Remarks = @'
Without -Bridge, the ports of all bridges of the namespace. Piped namespaces bind through their
Namespace property, so `Get-NetNamespace -Named | Get-BridgePort` does the same.
'@
        }
        @{
            Title = 'Ports that are not forwarding'
            Code = @'
Get-BridgePort | Where-Object PortState -ne 'forwarding'
'@
            Remarks = @'
A port that is down shows as disabled; with STP on, a port can be blocking.
'@
        }
    )
    Links = @('Add-BridgePort', 'Remove-BridgePort', 'New-NetBridge', 'Get-BridgeFdb')
}
