# Shared by the suites: import VNet from the repository, make unique names, run a ping inside.
$script:Root = Resolve-Path (Join-Path $PSScriptRoot '..' '..')

function Import-VNet { Import-Module (Join-Path $script:Root 'VNet.psd1') -Force -Global }

function New-TestPrefix { 'p' + [guid]::NewGuid().ToString('N').Substring(0, 5) }

function Test-Ping([string] $Namespace, [string] $Address) {
    Invoke-NetNamespace $Namespace -- ping -c 1 -W 2 $Address | Out-Null
    $LASTEXITCODE -eq 0
}

Export-ModuleMember -Function Import-VNet, New-TestPrefix, Test-Ping
