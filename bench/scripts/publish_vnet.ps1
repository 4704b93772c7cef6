# publish-distinct-1000 through VNet's cmdlets: N publishes of one port each, to N container
# addresses (198.18.0.0/15, the benchmarking range), as a pipeline (`$list | Add-NatRule`, one
# transaction) or as a loop of N calls. Prints the seconds the publishing took in this session
# (first use in a fresh pwsh: JIT included; start-up and Import-Module are not).
param([int] $N, [string] $Manifest, [ValidateSet('Pipeline', 'Loop')] [string] $Mode = 'Pipeline', [string] $Namespace = 'pub')
Import-Module $Manifest
$list = foreach ($i in 0..($N - 1)) {
    [pscustomobject]@{ PublishPort = "$(20000 + $i)"; ToAddress = "198.18.$([math]::Floor($i / 250)).$($i % 250 + 1)"; ToPort = '80'; Namespace = $Namespace }
}
$sw = [System.Diagnostics.Stopwatch]::StartNew()
if ($Mode -eq 'Pipeline') {
    $list | Add-NatRule -WarningAction SilentlyContinue | Out-Null
} else {
    foreach ($p in $list) { Add-NatRule -PublishPort $p.PublishPort -ToAddress $p.ToAddress -ToPort 80 -Namespace $Namespace -WarningAction SilentlyContinue | Out-Null }
}
$sw.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
