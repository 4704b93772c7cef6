# bridge-N through VNet's cmdlets. Prints the seconds the cmdlets took after Import-Module (the
# cmdlet path in one session, JIT of the first use included).
param([int] $N, [string] $Manifest)
Import-Module $Manifest
$sw = [System.Diagnostics.Stopwatch]::StartNew()
New-NetNamespace bh | Out-Null
New-NetBridge br0 -Namespace bh | Out-Null
New-NetIPAddress br0 2001:db8::1/64 -Namespace bh | Out-Null
foreach ($i in 1..$N) {
    New-NetNamespace "c$i" | Out-Null
    New-VethPair "v$i" -Namespace bh -PeerName eth0 -PeerNamespace "c$i" | Out-Null
    Add-BridgePort br0 "v$i" -Namespace bh
    New-NetIPAddress eth0 ('2001:db8::{0:x}/64' -f ($i + 1)) -Namespace "c$i" | Out-Null
    New-NetRoute default -Gateway 2001:db8::1 -Namespace "c$i" | Out-Null
}
$sw.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
