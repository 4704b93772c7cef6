# publish-distinct-1000 through VNet's cmdlets: N publishes of one port each, to N container
# addresses (198.18.0.0/15, the benchmarking range), as a pipeline (`$list | Add-NatRule`, one
# transaction) or as a loop of N calls. Prints the seconds the publishing took in this session.
# Pipeline and Loop are the first use in a fresh pwsh (JIT and PowerShell's first binding of the
# cmdlet included; start-up and Import-Module are not). Warm is the same pipeline run once before
# into a namespace of its own (made and removed here, untimed), then timed: what a runbook pays
# for its second batch of publishes.
param([int] $N, [string] $Manifest, [ValidateSet('Pipeline', 'Loop', 'Warm')] [string] $Mode = 'Pipeline', [string] $Namespace = 'pub')
Import-Module $Manifest
function Get-PublishList([string] $Into) {
    foreach ($i in 0..($N - 1)) {
        [pscustomobject]@{ PublishPort = "$(20000 + $i)"; ToAddress = "198.18.$([math]::Floor($i / 250)).$($i % 250 + 1)"; ToPort = '80'; Namespace = $Into }
    }
}
if ($Mode -eq 'Warm') {
    New-NetNamespace pubwarm | Out-Null
    Get-PublishList pubwarm | Add-NatRule -WarningAction SilentlyContinue | Out-Null
    Remove-NetNamespace pubwarm
}
$list = Get-PublishList $Namespace
$sw = [System.Diagnostics.Stopwatch]::StartNew()
if ($Mode -eq 'Loop') {
    foreach ($p in $list) { Add-NatRule -PublishPort $p.PublishPort -ToAddress $p.ToAddress -ToPort 80 -Namespace $Namespace -WarningAction SilentlyContinue | Out-Null }
} else {
    $list | Add-NatRule -WarningAction SilentlyContinue | Out-Null
}
$sw.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
