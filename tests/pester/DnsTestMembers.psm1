# Stand-ins for Connect-/Disconnect-ContainerNetwork while name resolution is built beside them:
# they make the plumbing with VNet's cmdlets, write the store records, and call the name service
# where Connect and Disconnect call it. Imported by S10.Dns.Tests.ps1 and by the child pwsh of its
# "$(pwsh -c ...)" test. Addresses: 203.0.113.BASE/27 per network.
# The module loads VNet.Core only when a cmdlet first needs it; its type names are used here first.
Add-Type -Path (Join-Path $PSScriptRoot '..' '..' 'out' 'module' 'VNet.Core.dll')

function New-DnsTestNetwork([string] $Name, [int] $Base) {
    $br = "b$($Name.Substring(0, [Math]::Min(12, $Name.Length)))"
    New-NetBridge $br | Out-Null
    New-NetIPAddress $br "203.0.113.$($Base + 1)/27" | Out-Null
    $n = [VNet.Core.Networks.ContainerNetwork]@{ Name = $Name; Id = [guid]::NewGuid().ToString('N') * 2; BridgeName = $br; Created = [datetime]::UtcNow }
    $n.Subnets.Add([VNet.Core.Networks.NetworkSubnet]@{ Subnet = "203.0.113.$Base/27"; Gateway = "203.0.113.$($Base + 1)" })
    [VNet.Core.Networks.LocalNetworkStore]::new().SaveNetwork($n)
    $n
}

function Connect-DnsTestMember([VNet.Core.Networks.ContainerNetwork] $Network, [string] $Namespace, [int] $HostNumber, [string[]] $Alias = @()) {
    $store = [VNet.Core.Networks.LocalNetworkStore]::new()
    $base = [int]($Network.Subnets[0].Subnet -split '[./]')[3]
    $hostIf = "v" + [guid]::NewGuid().ToString('N').Substring(0, 10)
    $inside = if (@(Get-NetLink -Namespace $Namespace | Where-Object Name -like 'eth*').Count) { 'eth1' } else { 'eth0' }
    New-VethPair $hostIf -PeerName $inside -PeerNamespace $Namespace -Bridge $Network.BridgeName | Out-Null
    New-NetIPAddress $inside "203.0.113.$($base + $HostNumber)/27" -Namespace $Namespace | Out-Null
    if ($inside -eq 'eth0') { New-NetRoute default -Gateway $Network.Subnets[0].Gateway -Namespace $Namespace | Out-Null }
    $ctx = [VNet.Core.NetContext]::new()
    try {
        $e = [VNet.Core.Networks.ContainerEndpoint]@{
            Id = [guid]::NewGuid().ToString('N'); Network = $Network.Name; NetworkId = $Network.Id; State = 'Active'
            Namespace = $Namespace; NamespacePath = "/run/netns/$Namespace"; NamespaceInode = $ctx.Resolve($Namespace).Inode
            InterfaceName = $inside; HostInterface = $hostIf; OwnerProcessId = $PID; Created = [datetime]::UtcNow
        }
        $e.Addresses.Add("203.0.113.$($base + $HostNumber)/27")
        $e.Names.Add($Namespace)
        foreach ($a in $Alias) { $e.Names.Add($a) }
        $store.SaveEndpoint($e)
        [VNet.Core.Networks.NameService]::EndpointConnected($ctx, $store, $Network, $e)
        $e
    } finally { $ctx.Dispose() }
}

function Disconnect-DnsTestMember([VNet.Core.Networks.ContainerNetwork] $Network, [VNet.Core.Networks.ContainerEndpoint] $Endpoint) {
    $store = [VNet.Core.Networks.LocalNetworkStore]::new()
    $store.DeleteEndpoint($Endpoint.Network, $Endpoint.Id)
    $ctx = [VNet.Core.NetContext]::new()
    try { [VNet.Core.Networks.NameService]::EndpointDisconnected($ctx, $store, $Network, $Endpoint) } finally { $ctx.Dispose() }
    Remove-NetLink $Endpoint.HostInterface -ErrorAction SilentlyContinue
}

function Remove-DnsTestNetwork([VNet.Core.Networks.ContainerNetwork] $Network) {
    $store = [VNet.Core.Networks.LocalNetworkStore]::new()
    foreach ($e in $store.ListEndpoints($Network.Name)) { Disconnect-DnsTestMember $Network $e }
    $store.DeleteNetwork($Network.Name)
    $ctx = [VNet.Core.NetContext]::new()
    try { [VNet.Core.Networks.NameService]::NetworkRemoved($ctx, $store, $Network) } finally { $ctx.Dispose() }
    Remove-NetLink $Network.BridgeName -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function New-DnsTestNetwork, Connect-DnsTestMember, Disconnect-DnsTestMember, Remove-DnsTestNetwork
