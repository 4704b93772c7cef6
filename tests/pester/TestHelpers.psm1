# Shared by the suites: import VNet from the repository, make unique names, run a ping inside.
$script:Root = Resolve-Path (Join-Path $PSScriptRoot '..' '..')

function Import-VNet { Import-Module (Join-Path $script:Root 'VNet.psd1') -Force -Global }

function New-TestPrefix { 'p' + [guid]::NewGuid().ToString('N').Substring(0, 5) }

function Test-Ping([string] $Namespace, [string] $Address) {
    Invoke-NetNamespace $Namespace -- ping -c 1 -W 2 $Address | Out-Null
    $LASTEXITCODE -eq 0
}

# A "host" namespace with an uplink to an "outside" namespace (host 203.0.113.1, outside
# 203.0.113.2) and a bridge with containers behind it; everything named with the prefix.
function New-NatTopology([string] $Prefix, [string] $Bridge = 'br0', [string] $Net = '198.51.100', [string[]] $Containers = @('c1', 'c2')) {
    $h = "$Prefix-h"; $o = "$Prefix-o"
    New-NetNamespace $h, $o | Out-Null
    New-VethPair up0 -Namespace $h -PeerName eth0 -PeerNamespace $o | Out-Null
    New-NetIPAddress up0 203.0.113.1/24 -Namespace $h | Out-Null
    New-NetIPAddress eth0 203.0.113.2/24 -Namespace $o | Out-Null
    $cs = Add-NatBridge -Prefix $Prefix -HostNs $h -Bridge $Bridge -Net $Net -Containers $Containers
    @{ Host = $h; Outside = $o; Containers = @($cs); All = @($h, $o) + @($cs) }
}

function Add-NatBridge([string] $Prefix, [string] $HostNs, [string] $Bridge, [string] $Net, [string[]] $Containers) {
    New-NetBridge $Bridge -Namespace $HostNs | Out-Null
    New-NetIPAddress $Bridge "$Net.1/24" -Namespace $HostNs | Out-Null
    $i = 10
    foreach ($c in $Containers) {
        $ns = "$Prefix-$c"
        New-NetNamespace $ns | Out-Null
        New-VethPair "v$c" -Namespace $HostNs -PeerName eth0 -PeerNamespace $ns | Out-Null
        Add-BridgePort $Bridge "v$c" -Namespace $HostNs
        New-NetIPAddress eth0 "$Net.$i/24" -Namespace $ns | Out-Null
        New-NetRoute default -Gateway "$Net.1" -Namespace $ns | Out-Null
        $i++
        $ns
    }
}

# A TCP server answering every connection with the address it saw; returns the process.
function Start-EchoServer([string] $Namespace, [int] $Port, [string] $Tag) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('nsenter')
    foreach ($a in "--net=/run/netns/$Namespace", 'socat', "TCP-LISTEN:$Port,fork,reuseaddr", "SYSTEM:echo $Tag-saw-`$SOCAT_PEERADDR") { $psi.ArgumentList.Add($a) }
    $p = [System.Diagnostics.Process]::Start($psi)
    foreach ($i in 1..50) { if ((Invoke-NetNamespace $Namespace -- ss -ltn) -match ":$Port ") { break }; Start-Sleep -Milliseconds 50 }
    $p
}

function Connect-Tcp([string] $Namespace, [string] $Address, [int] $Port) {
    $r = Invoke-NetNamespace $Namespace -- socat -T2 - "TCP:${Address}:$Port,connect-timeout=2" 2>$null
    if ($LASTEXITCODE -eq 0) { "$r".Trim() } else { '' }
}

Export-ModuleMember -Function Import-VNet, New-TestPrefix, Test-Ping, New-NatTopology, Add-NatBridge, Start-EchoServer, Connect-Tcp
