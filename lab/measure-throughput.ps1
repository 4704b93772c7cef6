#Requires -Version 7.4
<#
.SYNOPSIS
    Container-to-container throughput on the emulated lab: over the VXLAN overlay (A -> B) and over
    a plain veth pair on one host, with iperf3 (bounded: -t seconds, traffic only between the lab's
    own namespaces). Run inside the sandbox: tests/sandbox.sh pwsh -File lab/measure-throughput.ps1
#>
param([int] $Seconds = 3, [string] $LabFile = (Join-Path $PSScriptRoot 'two-host.json'))
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'VNet.psd1')
$lab = Start-VNetLab $LabFile
try {
    $i = 2
    foreach ($h in $lab.Hosts) {
        $peer = ($lab.Hosts | Where-Object Name -ne $h.Name).Address
        Invoke-VNetLabCommand $lab.Name $h.Name {
            param($ip, $dev, $peer)
            New-NetBridge br0 | Out-Null; New-NetNamespace c1 | Out-Null
            New-VethPair veth-c1 -PeerName eth0 -PeerNamespace c1 | Out-Null; Add-BridgePort br0 veth-c1
            New-NetIPAddress eth0 "198.51.100.$ip/24" -Namespace c1 | Out-Null
            New-VxlanTunnel vxlan0 -Vni 77 -Device $dev -Bridge br0 | Out-Null; Add-VxlanPeer vxlan0 $peer | Out-Null
        } -ArgumentList $i, $h.Device, $peer | Out-Null
        $i++
    }
    $a = $lab.Hosts[0].Name; $b = $lab.Hosts[1].Name
    # A plain veth between two namespaces on host A, for comparison.
    Invoke-VNetLabCommand $lab.Name $a {
        New-NetNamespace p1, p2 | Out-Null
        New-VethPair eth0 -Namespace p1 -PeerName eth0 -PeerNamespace p2 | Out-Null
        New-NetIPAddress eth0 203.0.113.1/24 -Namespace p1 | Out-Null; New-NetIPAddress eth0 203.0.113.2/24 -Namespace p2 | Out-Null
    } | Out-Null
    function Measure-Iperf($server, $serverNs, $client, $clientNs, $target) {
        Invoke-VNetLabCommand $lab.Name $server -Command ip -- netns exec $serverNs iperf3 -s -D -1 | Out-Null
        Start-Sleep -Milliseconds 500
        $json = (Invoke-VNetLabCommand $lab.Name $client -Command ip -- netns exec $clientNs iperf3 -c $target -t $Seconds -J) -join "`n" | ConvertFrom-Json
        [math]::Round($json.end.sum_received.bits_per_second / 1e9, 2)
    }
    $vx = Measure-Iperf $b c1 $a c1 198.51.100.3
    $veth = Measure-Iperf $a p2 $a p1 203.0.113.2
    $mtu = (Invoke-VNetLabCommand $lab.Name $a { Get-NetLink eth0 -Namespace c1 }).Mtu
    [pscustomobject]@{ Path = 'veth (one host)'; Mtu = 1500; Gbps = $veth }
    [pscustomobject]@{ Path = "VXLAN VNI 77 ($a -> $b)"; Mtu = $mtu; Gbps = $vx }
}
finally { Stop-VNetLab $lab.Name }
