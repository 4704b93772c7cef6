@{
    # The binaries come from the build (dotnet build VNet.sln writes them to out/module).
    RootModule           = 'out/module/VNet.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1f6d0e-3b7a-4c52-9a55-0d7c0b9b7e11'
    Author               = 'VNet developers'
    Copyright            = '(c) VNet developers. MIT License.'
    Description          = 'Linux container networking from PowerShell: network namespaces, veth pairs, bridges, addresses and routes over rtnetlink, returning objects.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('module/VNet.Format.ps1xml')
    TypesToProcess       = @('module/VNet.Types.ps1xml')
    CmdletsToExport      = @(
        'New-NetNamespace', 'Get-NetNamespace', 'Remove-NetNamespace', 'Invoke-NetNamespace', 'Start-NetNamespaceProcess',
        'New-VethPair', 'Get-VethPair',
        'New-NetBridge', 'Add-BridgePort', 'Get-BridgePort', 'Remove-BridgePort', 'Get-BridgeFdb',
        'Get-NetLink', 'Set-NetLink', 'Remove-NetLink',
        'New-NetIPAddress', 'Get-NetIPAddress', 'Remove-NetIPAddress',
        'New-NetRoute', 'Get-NetRoute', 'Remove-NetRoute',
        'Set-NetIPForwarding', 'Get-NetIPForwarding',
        'New-VxlanTunnel', 'Get-VxlanTunnel', 'Set-VxlanTunnel', 'Remove-VxlanTunnel',
        'Add-VxlanPeer', 'Get-VxlanPeer', 'Remove-VxlanPeer',
        'New-MacvlanLink', 'New-VlanLink',
        'Start-VNetLab', 'Get-VNetLab', 'Stop-VNetLab', 'Invoke-VNetLabCommand', 'Start-VNetLabProcess',
        'Start-VNetLabStore', 'Stop-VNetLabStore',
        'Add-NatRule', 'Get-NatRule', 'Remove-NatRule', 'Set-NetBridge',
        'Get-NetFilterRule', 'Get-NetConntrack', 'Trace-NetPacket',
        'Export-NetTopology', 'Import-NetTopology', 'Watch-NetEvent',
        'Get-VNetAgent', 'Start-VNetAgent', 'Stop-VNetAgent', 'Set-VNetStore', 'Get-VNetStore', 'Remove-VNetStore',
        'New-ContainerNetwork', 'Get-ContainerNetwork', 'Remove-ContainerNetwork',
        'Connect-ContainerNetwork', 'Disconnect-ContainerNetwork', 'Get-ContainerEndpoint', 'Repair-ContainerNetwork'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Linux', 'Networking', 'netns', 'veth', 'bridge', 'netlink', 'Docker', 'VXLAN')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
