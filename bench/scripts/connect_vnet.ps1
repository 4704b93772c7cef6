# connect-N through VNet's cmdlets in one pwsh session, as a user's script does it: a bridge network
# on 198.18.0.0/20, N namespaces made beforehand with one `ip -batch` (not timed), one member
# connected first and kept (starts the DNS agent, JITs the cmdlets: not timed), then
# `$names | ForEach-Object { Connect-ContainerNetwork ... }` and the same for Disconnect.
# Prints "connect S" and "disconnect S" like bench/scripts/connect_cni.sh.
param([int] $N, [string] $Manifest)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$names = 1..$N | ForEach-Object { "c$_" }
(@('netns add c0') + ($names | ForEach-Object { "netns add $_" })) -join "`n" | ip -batch - | Out-Null
New-ContainerNetwork -Name benchnet -Subnet 198.18.0.0/20 | Out-Null
Connect-ContainerNetwork -Network benchnet -Namespace c0 | Out-Null
$sw = [System.Diagnostics.Stopwatch]::StartNew()
$names | ForEach-Object { Connect-ContainerNetwork -Network benchnet -Namespace $_ } | Out-Null
$connect = $sw.Elapsed.TotalSeconds
# A few tries: on a shared host the global neighbour table can be full for a moment (ENOBUFS).
foreach ($try in 1..5) {
    ip netns exec c1 ping -c 1 -W 2 198.18.0.1 2>&1 | Out-Null
    if ($LASTEXITCODE -eq 0) { break }
    if ($try -eq 5) { throw 'the connected namespace does not reach its gateway' }
    Start-Sleep -Seconds 1
}
$sw.Restart()
$names | ForEach-Object { Disconnect-ContainerNetwork -Network benchnet -Namespace $_ } | Out-Null
$disconnect = $sw.Elapsed.TotalSeconds
Remove-ContainerNetwork -Name benchnet -Force | Out-Null
(@('netns del c0') + ($names | ForEach-Object { "netns del $_" })) -join "`n" | ip -batch - 2>$null | Out-Null
"connect $($connect.ToString([cultureinfo]::InvariantCulture))"
"disconnect $($disconnect.ToString([cultureinfo]::InvariantCulture))"
