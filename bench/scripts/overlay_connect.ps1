# The connecting side of the overlay convergence benchmark (bench/README.md, "overlay"): one pwsh
# session on a lab host, so pwsh's start-up and Import-Module are paid once, not per endpoint. It
# reads namespace names from stdin, one a line, connects each to the overlay network with
# Connect-ContainerNetwork and writes "NAME EPOCH_SECONDS" right after the cmdlet returned (the
# host's CLOCK_REALTIME, shared by every emulated host), or "NAME error ID MESSAGE". The bench
# sends the next name only after the far side reached this one (lockstep).
param([Parameter(Mandatory)] [string] $Manifest, [Parameter(Mandatory)] [string] $Network)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$inv = [cultureinfo]::InvariantCulture
[Console]::Out.WriteLine('ready')
[Console]::Out.Flush()
while ($null -ne ($name = [Console]::In.ReadLine())) {
    $name = $name.Trim()
    if (-not $name) { continue }
    try {
        Connect-ContainerNetwork $Network -Namespace $name | Out-Null
        $t = ([DateTime]::UtcNow - [DateTime]::UnixEpoch).TotalSeconds
        $line = "$name " + $t.ToString('F6', $inv)
    }
    catch {
        $line = "$name error $($_.FullyQualifiedErrorId) $("$($_.Exception.Message)" -replace '\s+', ' ')"
    }
    [Console]::Out.WriteLine($line)
    [Console]::Out.Flush()
}
