# bridge-N through VNet's cmdlets. Prints the seconds the cmdlets took after Import-Module (the
# cmdlet path in one session, JIT of the first use included). With -Before K the same build is done
# K times first under other names and removed again (untimed), then the timed build: what a
# session that has been working a while pays. This pwsh's own assemblies are IL only, so a fresh
# session runs PowerShell's binder and interpreter as tier-0 code until tiered compilation has
# recompiled them, which takes a few builds (bench/README.md, Results).
param([int] $N, [string] $Manifest, [int] $Before = 0)
Import-Module $Manifest
function Build([string] $P) {
    New-NetNamespace "${P}bh" | Out-Null
    New-NetBridge br0 -Namespace "${P}bh" | Out-Null
    New-NetIPAddress br0 2001:db8::1/64 -Namespace "${P}bh" | Out-Null
    foreach ($i in 1..$N) {
        New-NetNamespace "${P}c$i" | Out-Null
        New-VethPair "v$i" -Namespace "${P}bh" -PeerName eth0 -PeerNamespace "${P}c$i" | Out-Null
        Add-BridgePort br0 "v$i" -Namespace "${P}bh"
        New-NetIPAddress eth0 ('2001:db8::{0:x}/64' -f ($i + 1)) -Namespace "${P}c$i" | Out-Null
        New-NetRoute default -Gateway 2001:db8::1 -Namespace "${P}c$i" | Out-Null
    }
}
for ($k = 1; $k -le $Before; $k++) {
    Build "w$k"
    Remove-NetNamespace (@("w${k}bh") + (1..$N | ForEach-Object { "w${k}c$_" }))
    # Idle time, as a session has between builds: the kernel frees the removed namespaces, and
    # tiered JIT recompiles what the build used (it waits for a lull before it starts counting calls).
    Start-Sleep -Milliseconds 500
}
$sw = [System.Diagnostics.Stopwatch]::StartNew()
Build ''
$sw.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
