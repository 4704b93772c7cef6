# Hardening (issue 13): no crash of the user's pwsh without capabilities, nothing on stderr behind
# PowerShell's back, re-runs that converge after kill -9, bounded per-call resources.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $script:p = New-TestPrefix
    $script:pwsh = [Environment]::ProcessPath
    $script:manifest = Join-Path $PSScriptRoot '..' '..' 'VNet.psd1' | Resolve-Path | ForEach-Object Path

    # Runs a script in a child pwsh (with VNet imported) under setpriv's capability options;
    # returns its exit code, its stdout lines and its stderr text.
    function Invoke-Child([string[]] $Setpriv, [string] $Script) {
        $file = New-TemporaryFile
        Set-Content $file.FullName ("Import-Module '$manifest'`n" + $Script)
        $err = New-TemporaryFile
        try {
            $out = & setpriv @Setpriv $pwsh -NoProfile -NonInteractive -File $file.FullName 2> $err.FullName
            [pscustomobject]@{ Code = $LASTEXITCODE; Out = @($out); Err = (Get-Content -Raw $err.FullName) }
        } finally { Remove-Item $file.FullName, $err.FullName }
    }
}

Describe 'Without capabilities, errors and no crash' {
    BeforeAll {
        $script:ns = "$p-cap"
        New-NetNamespace $ns | Out-Null
        # Each command's errors as "ErrorId|Category|Message" lines (non-terminating errors collected).
        $script:probe = @'
$ErrorActionPreference = 'SilentlyContinue'
foreach ($cmd in $args) {
    $Error.Clear()
    $null = & ([scriptblock]::Create($cmd))
    foreach ($r in @($Error)) { "$cmd|$($r.FullyQualifiedErrorId)|$($r.CategoryInfo.Category)|$($r.Exception.Message -replace '\s+', ' ')" }
}
"done"
'@
    }
    AfterAll { Remove-NetNamespace $ns -ErrorAction SilentlyContinue }

    It 'without CAP_SYS_ADMIN: <cmd> is PermissionDenied naming CAP_SYS_ADMIN' -ForEach @(
        @{ cmd = 'Get-NetLink -Namespace NS' }
        @{ cmd = 'Invoke-NetNamespace NS -- ip -o link' }
        @{ cmd = 'Invoke-NetNamespace NS { 1 }' }
        @{ cmd = 'Trace-NetPacket -Namespace NS -Destination 192.0.2.9 -TimeoutSec 1' }
        @{ cmd = 'Get-NatRule -Namespace NS' }
        @{ cmd = 'Remove-NatRule -Id x -Namespace NS' }
    ) {
        $c = $cmd -replace '\bNS\b', $ns
        $script = $probe -replace '\$args', "@('$($c -replace "'", "''")')"
        $r = Invoke-Child -Setpriv @('--bounding-set', '-sys_admin', '--inh-caps', '-sys_admin') -Script $script
        $r.Code | Should -Be 0 -Because "pwsh must not crash: $($r.Err)"
        $r.Out[-1] | Should -Be 'done'
        $r.Err | Should -BeNullOrEmpty
        $lines = @($r.Out | Where-Object { $_ -like "$c|*" })
        $lines.Count | Should -Be 1 -Because ($r.Out -join "`n")
        $f = $lines[0].Substring($c.Length + 1).Split('|', 3)
        $f[0] | Should -BeLike 'PermissionDenied,*'
        $f[1] | Should -Be 'PermissionDenied'
        $f[2] | Should -Match 'CAP_SYS_ADMIN'
    }

    It 'without any capability: <cmd> is PermissionDenied naming CAP_NET_ADMIN, nothing on stderr' -ForEach @(
        @{ cmd = 'Get-NatRule' }
        @{ cmd = 'Remove-NatRule -Id x' }
    ) {
        $script = $probe -replace '\$args', "@('$cmd')"
        $r = Invoke-Child -Setpriv @('--bounding-set', '-all', '--inh-caps', '-all') -Script $script
        $r.Code | Should -Be 0 -Because "pwsh must not crash: $($r.Err)"
        $r.Err | Should -BeNullOrEmpty
        $lines = @($r.Out | Where-Object { $_ -like "$cmd|*" })
        $lines.Count | Should -Be 1 -Because ($r.Out -join "`n")
        $f = $lines[0].Substring($cmd.Length + 1).Split('|', 3)
        $f[0] | Should -BeLike 'PermissionDenied,*'
        $f[2] | Should -Match 'CAP_NET_ADMIN'
    }
}
