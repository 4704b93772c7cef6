# Per-call cost of VNet's cmdlets in one warmed pwsh session, beside a trivial built-in cmdlet
# (bench/README.md, results). Run inside tests/sandbox.sh: pwsh -File percall_vnet.ps1 -Manifest ./VNet.psd1
param([string] $Manifest)
Import-Module $Manifest
New-NetNamespace x1, x2 | Out-Null
function T($name, [scriptblock]$sb) { & $sb; $sw = [System.Diagnostics.Stopwatch]::StartNew(); foreach ($i in 1..2000) { & $sb }; "{0,-44} {1,6:F0} us" -f $name, ($sw.Elapsed.TotalMilliseconds / 2) }
T 'Get-Date | Out-Null' { Get-Date | Out-Null }
T 'Get-NetLink lo | Out-Null' { Get-NetLink lo | Out-Null }
T 'Get-NetLink lo -Namespace x1 | Out-Null' { Get-NetLink lo -Namespace x1 | Out-Null }
$script:k = 0
T 'New-VethPair (x1 -> x2) | Out-Null' { $script:k++; New-VethPair "a$script:k" -Namespace x1 -PeerName "b$script:k" -PeerNamespace x2 | Out-Null }
Remove-NetNamespace x1, x2
