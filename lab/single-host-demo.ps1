#Requires -Version 7.4
# The single-host demo (scenarios S1, S2, S6): two containers on a bridge, built with VNet
# cmdlets, shown the way `ip -br` would, then torn down. Run it inside a sandbox:
#   tests/sandbox.sh pwsh -NoProfile -File lab/single-host-demo.ps1
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'VNet.psd1')

function Show([string] $title, $objects) {
    Write-Host "`n== $title" -ForegroundColor Cyan
    $objects | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
}

try {
    Write-Host '== S1: two namespaces, one cable'
    New-NetNamespace demo-a, demo-b | Out-Null
    New-VethPair -Name eth0 -Namespace demo-a -PeerName eth0 -PeerNamespace demo-b | Out-Null
    New-NetIPAddress eth0 203.0.113.1/24 -Namespace demo-a | Out-Null
    New-NetIPAddress eth0 203.0.113.2/24 -Namespace demo-b | Out-Null
    $ping = Invoke-NetNamespace demo-a -- ping -c 1 -W 2 203.0.113.2
    if ($LASTEXITCODE -ne 0) { throw "S1 ping failed: $ping" }
    Write-Host "demo-a -> demo-b: $($ping[1])"
    Show '`ip netns list` sees them' (ip netns list)

    Write-Host "`n== S2: a bridge as a switch"
    New-NetBridge br-demo | Out-Null
    New-NetIPAddress br-demo 198.51.100.1/24 | Out-Null
    foreach ($i in 1, 2) {
        $c = "demo-c$i"
        New-NetNamespace $c | Out-Null
        New-VethPair -Name "veth-c$i" -PeerName eth0 -PeerNamespace $c | Out-Null
        Add-BridgePort br-demo "veth-c$i"
        New-NetIPAddress eth0 "198.51.100.1$i/24" -Namespace $c | Out-Null
        New-NetRoute default -Gateway 198.51.100.1 -Namespace $c | Out-Null
    }
    $ping = Invoke-NetNamespace demo-c1 -- ping -c 1 -W 2 198.51.100.12
    if ($LASTEXITCODE -ne 0) { throw "S2 ping failed: $ping" }
    Write-Host "demo-c1 -> demo-c2 through br-demo: $($ping[1])"
    Show 'Get-NetLink (host side)' (Get-NetLink)
    Show 'Get-BridgePort br-demo' (Get-BridgePort br-demo)
    Show 'Get-BridgeFdb br-demo -Learned (the MACs the bridge learned from the ping)' (Get-BridgeFdb br-demo -Learned)
    Show 'Get-NetIPAddress -Namespace demo-c1' (Get-NetIPAddress -Namespace demo-c1 -AddressFamily IPv4)
    Show 'Get-NetRoute -Namespace demo-c1' (Get-NetRoute -Namespace demo-c1 -AddressFamily IPv4)

    Write-Host "`n== S6: which veth is whose?"
    Show 'Get-VethPair (each host veth and the namespace its peer lives in)' (Get-VethPair)
    Show 'Get-NetNamespace -Named' (Get-NetNamespace -Named)
}
finally {
    Write-Host "`n== tearing down"
    Remove-NetLink br-demo, veth-c1, veth-c2 -ErrorAction Continue
    Remove-NetNamespace demo-a, demo-b, demo-c1, demo-c2 -ErrorAction Continue
    $left = @(ip netns list) + @(Get-NetLink -Kind veth)
    Write-Host ("left behind: {0}" -f ($(if ($left.Count) { $left -join ', ' } else { 'nothing' })))
}
