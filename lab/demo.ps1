#Requires -Version 7.4
<#
.SYNOPSIS
    The two-host VXLAN demo (scenarios S8 and S11, seeds 003 and 004): brings up a lab with an
    etcd store, puts a container on host A and one on host B in one subnet, joins them with a VXLAN
    tunnel by hand (VNI 77, port 4789) as seed 004 does, shows what it built and a ping across
    hosts; then does the same with an overlay network, where Connect-ContainerNetwork is all anyone
    types and the containers ping each other by name; then tears everything down (also on failure).
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

# -Store etcd: an etcd member on each host, and each host's VNet pointed at it (Set-VNetStore).
$lab = Start-VNetLab $LabFile -Store etcd
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

    # S11: the same across hosts with an overlay network. Nobody types a VTEP or a MAC: the hosts
    # agree through etcd, and each host's VNet agent programs its own VXLAN FDB and neighbours.
    Write-Host "`n== Overlay: New-ContainerNetwork ov1 -Driver overlay on $($a.Name); Connect-ContainerNetwork on each host" -ForegroundColor Cyan
    Show "Host $($a.Name): Get-VNetStore" (Invoke-VNetLabCommand $lab.Name $a.Name { Get-VNetStore })
    Show "Host $($a.Name): New-ContainerNetwork ov1 -Driver overlay -Subnet 203.0.113.0/24" (
        Invoke-VNetLabCommand $lab.Name $a.Name { New-ContainerNetwork ov1 -Driver overlay -Subnet 203.0.113.0/24 })
    foreach ($pair in @(@($a, 'web1'), @($b, 'db1'))) {
        Invoke-VNetLabCommand $lab.Name $pair[0].Name {
            param($c) New-NetNamespace $c | Out-Null; Connect-ContainerNetwork ov1 -Namespace $c | Out-Null
        } -ArgumentList $pair[1] | Out-Null
    }
    Show "Host $($b.Name): Get-ContainerEndpoint -Network ov1 (the members of both hosts)" (
        Invoke-VNetLabCommand $lab.Name $b.Name { Get-ContainerEndpoint -Network ov1 })
    Write-Host "`n== Host $($a.Name), container web1 pings db1 on host $($b.Name) by name" -ForegroundColor Cyan
    $byName = Invoke-VNetLabCommand $lab.Name $a.Name -Command ip -ArgumentList netns, exec, web1, ping, -c, 2, -W, 2, db1
    $byName | Write-Host
    if ($LASTEXITCODE -ne 0 -or -not ($byName -match ' 0% packet loss')) { throw 'the ping by name across the overlay failed' }
    Show "Host $($a.Name): what its agent programmed, (Get-VNetAgent).Overlay" (Invoke-VNetLabCommand $lab.Name $a.Name { (Get-VNetAgent).Overlay })
    Write-Host "`n== Host $($a.Name): the overlay's VXLAN entries (bridge fdb / ip neigh on vx-*)" -ForegroundColor Cyan
    Invoke-VNetLabCommand $lab.Name $a.Name { bridge fdb show | Select-String 'dev vx-.* dst '; ip neigh show nud permanent | Select-String 'dev vx-' } | Write-Host

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
