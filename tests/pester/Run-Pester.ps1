#Requires -Version 7.4
<#
.SYNOPSIS
    Runs every tests/pester/*.Tests.ps1 suite and ends with one line: "Pester: N passed, N failed, N skipped".
.DESCRIPTION
    Called by `./build.sh test` inside tests/sandbox.sh. Pester 5 comes from $env:VNET_PESTER_MODULE
    (a folder or manifest) when set, else from PSModulePath. $env:VNET_LAB_BACKEND (emulated, the
    default, or vagrant) is passed through to the suites that run on the two-host lab.
#>
param(
    [string[]] $Path = @(Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' | ForEach-Object FullName),
    [ValidateSet('emulated', 'vagrant')]
    [string] $LabBackend = $(if ($env:VNET_LAB_BACKEND) { $env:VNET_LAB_BACKEND } else { 'emulated' })
)
$ErrorActionPreference = 'Stop'
$env:VNET_LAB_BACKEND = $LabBackend

try {
    if ($env:VNET_PESTER_MODULE) {
        $p = $env:VNET_PESTER_MODULE
        if (Test-Path -LiteralPath $p -PathType Container) { $p = Join-Path $p 'Pester.psd1' }
        Import-Module $p -MinimumVersion 5.0
    } else {
        Import-Module Pester -MinimumVersion 5.0
    }
} catch {
    Write-Host "SKIPPED Pester suites: Pester 5 not found (Install-Module Pester, or ./build.sh test --pester PATH): $($_.Exception.Message)"
    exit 0
}

# The suites run with PowerShell's default: a native command's stderr line is an error record, not a stop.
$ErrorActionPreference = 'Continue'
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$outDir = Join-Path $PSScriptRoot '..' '..' 'out'
New-Item -ItemType Directory -Force -Path $outDir | Out-Null
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path $outDir 'pester-results.xml'

$result = Invoke-Pester -Configuration $config
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount), $result.SkippedCount)
if ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount -gt 0) { exit 1 }
exit 0
