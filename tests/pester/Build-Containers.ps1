# A build of N "containers" behind one bridge, as a user's script makes it: the kill -9 test of
# Hardening.Tests.ps1 runs it in a pwsh of its own, kills it at a random moment, and runs it again
# with -Force, which must finish with no error and the whole topology.
#
# -Force is passed to every cmdlet that has it. Cmdlets without -Force yet (the runbook branch adds
# it to New-VethPair, New-NetBridge, New-NetIPAddress, New-NetRoute) are made to converge the way a
# user would: a veth is removed and made again, an address or route already there is kept.
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $Prefix, [int] $Count = 8, [switch] $Force, [string] $Module, [string] $Marker)
if ($Module) { Import-Module $Module }
# Tells the killer that pwsh has started and VNet is loaded: the build proper begins now.
if ($Marker) { Set-Content $Marker 'started' }
$sw = [Diagnostics.Stopwatch]::StartNew()
$h = "$Prefix-h"
$br = 'kbr0'

function Step([string] $Command, [hashtable] $Params, [scriptblock] $Exists, [scriptblock] $Undo) {
    if ($Force -and (Get-Command $Command).Parameters.ContainsKey('Force')) { $Params.Force = $true }
    elseif ($Force) {
        if ($Exists -and (& $Exists)) { return }
        if ($Undo) { & $Undo }
    }
    & $Command @Params | Out-Null
}

Step New-NetNamespace @{ Name = $h }
Step New-NetBridge @{ Name = $br; Namespace = $h } -Exists { Get-NetLink $br -Namespace $h -ErrorAction Ignore }
Step New-NetIPAddress @{ InterfaceName = $br; Address = '198.51.100.1/24'; Namespace = $h } `
    -Exists { Get-NetIPAddress -InterfaceName $br -Namespace $h -ErrorAction Ignore | Where-Object IPAddress -eq '198.51.100.1' }
for ($i = 1; $i -le $Count; $i++) {
    $c = "$Prefix-c$i"
    $v = "$Prefix-v$i"
    $ip = "198.51.100.$(10 + $i)"
    Step New-NetNamespace @{ Name = $c }
    Step New-VethPair @{ Name = $v; Namespace = $h; PeerName = 'eth0'; PeerNamespace = $c; Bridge = $br } `
        -Undo { Remove-NetLink $v -Namespace $h -ErrorAction Ignore; Remove-NetLink eth0 -Namespace $c -ErrorAction Ignore }
    Step New-NetIPAddress @{ InterfaceName = 'eth0'; Address = "$ip/24"; Namespace = $c } `
        -Exists { Get-NetIPAddress -InterfaceName eth0 -Namespace $c -ErrorAction Ignore | Where-Object IPAddress -eq $ip }
    Step New-NetRoute @{ Destination = 'default'; Gateway = '198.51.100.1'; Namespace = $c } `
        -Exists { Get-NetRoute -Namespace $c -ErrorAction Ignore | Where-Object Destination -eq 'default' }
}
"built $($sw.ElapsedMilliseconds)"
