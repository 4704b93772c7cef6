# publish-distinct-1000 through VNet's cmdlets: N publishes of one port each, to N container
# addresses (198.18.0.0/15, the benchmarking range), as a pipeline (`$list | Add-NatRule`, one
# transaction) or as a loop of N calls. Prints the seconds the publishing took in this session.
# Pipeline and Loop are the first use in a fresh pwsh (JIT and PowerShell's first binding of the
# cmdlet included; start-up and Import-Module are not). With -Before K the same pipeline is run K
# times first, each into a namespace of its own (made and removed here, untimed) and followed by
# half a second of idle time, then the timed one: what a session that has been publishing a while
# pays (see bridge_vnet.ps1 for why it takes a while).
param([int] $N, [string] $Manifest, [ValidateSet('Pipeline', 'Loop')] [string] $Mode = 'Pipeline', [string] $Namespace = 'pub', [int] $Before = 0)
Import-Module $Manifest
function Get-PublishList([string] $Into) {
    foreach ($i in 0..($N - 1)) {
        [pscustomobject]@{ PublishPort = "$(20000 + $i)"; ToAddress = "198.18.$([math]::Floor($i / 250)).$($i % 250 + 1)"; ToPort = '80'; Namespace = $Into }
    }
}
for ($k = 1; $k -le $Before; $k++) {
    New-NetNamespace "pubwarm$k" | Out-Null
    Get-PublishList "pubwarm$k" | Add-NatRule -WarningAction SilentlyContinue | Out-Null
    Remove-NetNamespace "pubwarm$k"
    Start-Sleep -Milliseconds 500 # idle time, as a session has between batches: tiered JIT recompiles in it
}
$list = Get-PublishList $Namespace
$sw = [System.Diagnostics.Stopwatch]::StartNew()
if ($Mode -eq 'Loop') {
    foreach ($p in $list) { Add-NatRule -PublishPort $p.PublishPort -ToAddress $p.ToAddress -ToPort 80 -Namespace $Namespace -WarningAction SilentlyContinue | Out-Null }
} else {
    $list | Add-NatRule -WarningAction SilentlyContinue | Out-Null
}
$sw.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
