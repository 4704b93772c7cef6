#Requires -Version 7.4
<#
.SYNOPSIS
    The two-host VXLAN demo (scenario S8, seed 004): brings up a lab, puts a container on host A
    and one on host B in one subnet, joins them with a VXLAN tunnel (VNI 77, port 4789), shows what
    it built and a ping across hosts, then tears everything down (also on failure).
.DESCRIPTION
    ./build.sh demo runs it inside tests/sandbox.sh on the emulated lab. With
    $env:VNET_LAB_BACKEND = 'vagrant' the same script drives the two Vagrant VMs.
#>
param(
    [string] $LabFile = (Join-Path $PSScriptRoot 'two-host.json'),
    # Also draw host A's wiring as an SVG there (Export-NetTopology -Format Svg; needs Graphviz).
    [string] $PicturePath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'VNet.psd1')

function Show([string] $title, $objects) {
    Write-Host "`n== $title" -ForegroundColor Cyan
    $objects | Format-Table -AutoSize | Out-String -Width 150 | ForEach-Object TrimEnd | Write-Host
}

$lab = Start-VNetLab $LabFile
try {
    Show "Lab '$($lab.Name)' ($($lab.Backend)): hosts on the underlay" $lab.Hosts
    $i = 2
    foreach ($h in $lab.Hosts) {
        $peers = @($lab.Hosts | Where-Object Name -ne $h.Name | ForEach-Object Address)
        # On each host, what seed 004 types by hand: a bridge, a container, and a VXLAN port.
        $tunnel = Invoke-VNetLabCommand $lab.Name $h.Name {
            param($ip, $device, $peers)
            New-NetBridge br0 | Out-Null
            New-NetNamespace c1 | Out-Null
            New-VethPair veth-c1 -PeerName eth0 -PeerNamespace c1 | Out-Null
            Add-BridgePort br0 veth-c1
            New-NetIPAddress eth0 "198.51.100.$ip/24" -Namespace c1 | Out-Null
            $t = New-VxlanTunnel vxlan0 -Vni 77 -Device $device -Bridge br0
            foreach ($p in $peers -split ',') { Add-VxlanPeer vxlan0 $p | Out-Null }
            $t
        } -ArgumentList $i, $h.Device, ($peers -join ',')
        Show "Host $($h.Name): New-VxlanTunnel vxlan0 -Vni 77 -Device $($h.Device) -Bridge br0 (MTU lowered on: $($tunnel.MtuAdjusted -join ', '))" $tunnel
        $i++
    }

    $a = $lab.Hosts[0]; $b = $lab.Hosts[1]
    Write-Host "`n== Host $($a.Name), container c1 (198.51.100.2) pings host $($b.Name), container c1 (198.51.100.3)" -ForegroundColor Cyan
    $ping = Invoke-VNetLabCommand $lab.Name $a.Name { Invoke-NetNamespace c1 -- ping -c 2 -W 2 198.51.100.3 }
    $ping | Write-Host
    if ($LASTEXITCODE -ne 0 -or -not ($ping -match ' 0% packet loss')) { throw 'the ping across hosts failed' }

    Write-Host "`n== A full 1450-byte packet crosses unfragmented (ping -M do -s 1422)" -ForegroundColor Cyan
    $big = Invoke-VNetLabCommand $lab.Name $a.Name { Invoke-NetNamespace c1 -- ping -c 1 -W 2 -M do -s 1422 198.51.100.3; "exit $LASTEXITCODE" }
    $big | Write-Host

    Show "Host $($a.Name): Get-VxlanPeer vxlan0" (Invoke-VNetLabCommand $lab.Name $a.Name { Get-VxlanPeer vxlan0 })
    Show "Host $($a.Name): Get-BridgeFdb br0 (remote MACs and the VTEP each is behind)" (
        Invoke-VNetLabCommand $lab.Name $a.Name { Get-BridgeFdb br0 | Where-Object { $_.IsLearned -or $_.RemoteVtep } })
    Show "Host $($a.Name): the container's links (MTU fitted to the tunnel)" (Invoke-VNetLabCommand $lab.Name $a.Name { Get-NetLink -Namespace c1 })

    Write-Host "`n== Host $($a.Name): Export-NetTopology (Import-NetTopology rebuilds it; -Remove takes it down)" -ForegroundColor Cyan
    Invoke-VNetLabCommand $lab.Name $a.Name { Export-NetTopology } | Write-Host
    if ($PicturePath) {
        $svg = Invoke-VNetLabCommand $lab.Name $a.Name { Export-NetTopology -Format Svg }
        Set-Content -Path $PicturePath -Value $svg -NoNewline
        Write-Host "picture: $PicturePath"
    }
}
finally {
    Write-Host "`n== tearing down" -ForegroundColor Cyan
    Stop-VNetLab $lab.Name
    $left = @(ip netns list) + @(Get-VNetLab)
    Write-Host ("left behind: {0}" -f $(if ($left.Count) { $left -join ', ' } else { 'nothing' }))
}
