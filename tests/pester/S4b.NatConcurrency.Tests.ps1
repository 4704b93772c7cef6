# Issue 13, item 1: many workers changing VNet's NAT in one namespace at once (separate pwsh
# processes, and runspaces of one process) lose nothing, fail nothing, duplicate no base rule, and
# say "forwarding turned on" once. Adds and removes interleave, so VNet's table empties and is
# deleted while other workers add to it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $script:pwsh = (Get-Process -Id $PID).Path
    $script:manifest = Join-Path $PSScriptRoot '..' '..' 'VNet.psd1' | Resolve-Path | ForEach-Object Path

    # What one worker does: for each of its 20 ports, publish a port that it removes again at once
    # (so the table keeps emptying), then publish the port it keeps. Reports its errors and warnings.
    $script:work = {
        param([string] $Ns, [int] $Worker, [string] $Manifest)
        Import-Module $Manifest
        $errors = [System.Collections.Generic.List[string]]::new()
        $warnings = [System.Collections.Generic.List[string]]::new()
        foreach ($i in 0..19) {
            $churn = 40000 + $Worker * 20 + $i
            $keep = 30000 + $Worker * 20 + $i
            $w = $null; $e = $null
            Add-NatRule -PublishPort $churn -ToAddress "198.51.100.$(10 + $Worker)" -ToPort 80 -Namespace $Ns -WarningVariable w -ErrorVariable e -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
            $warnings.AddRange([string[]]@($w)); $errors.AddRange([string[]]@($e | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }))
            Remove-NatRule "publish-tcp-$churn" -Namespace $Ns -Strict -ErrorVariable e -ErrorAction SilentlyContinue
            $errors.AddRange([string[]]@($e | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }))
            Add-NatRule -PublishPort $keep -ToAddress "198.51.100.$(10 + $Worker)" -ToPort 80 -Namespace $Ns -WarningVariable w -ErrorVariable e -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
            $warnings.AddRange([string[]]@($w)); $errors.AddRange([string[]]@($e | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }))
        }
        [pscustomobject]@{ Worker = $Worker; Errors = @($errors); Warnings = @($warnings) } | ConvertTo-Json -Compress
    }

    function Assert-Battery([string] $Ns, [object[]] $Reports) {
        $reports = @($Reports | ForEach-Object { $_ | ConvertFrom-Json })
        $reports.Count | Should -Be 8
        @($reports.Errors | Where-Object { $_ }) | Should -BeNullOrEmpty
        $forwarding = @($reports.Warnings | Where-Object { $_ -match 'forwarding' })
        $forwarding.Count | Should -Be 1
        $ids = @(Get-NatRule -Namespace $Ns | ForEach-Object Id)
        $ids.Count | Should -Be 160
        ($ids | Sort-Object -Unique).Count | Should -Be 160
        $want = foreach ($w in 0..7) { foreach ($i in 0..19) { "publish-tcp-$(30000 + $w * 20 + $i)" } }
        Compare-Object ($ids | Sort-Object) ($want | Sort-Object) | Should -BeNullOrEmpty
        # The base rules once: as many as one add makes in an empty namespace.
        (Get-NetFilterRule -Namespace $Ns -Table vnet).Count | Should -Be $script:baseRules
        # Everything removed in parallel too: nothing of VNet's is left.
        $ids | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:manifest
            Remove-NatRule $_ -Namespace $using:Ns -Strict -ErrorAction Stop
        }
        (Invoke-NetNamespace $Ns -- nft list ruleset) -join "`n" | Should -Not -Match 'vnet'
    }

    # How many rules VNet's table holds for one publish: the skeleton's base rules.
    $p = New-TestPrefix
    New-NetNamespace "$p-base" | Out-Null
    Add-NatRule -PublishPort 9 -ToAddress 198.51.100.9 -Namespace "$p-base" -WarningAction SilentlyContinue | Out-Null
    $script:baseRules = (Get-NetFilterRule -Namespace "$p-base" -Table vnet).Count
    Remove-NetNamespace "$p-base"
}

Describe 'Parallel NAT changes in one namespace (issue 13, item 1)' {
    It 'loses, fails and duplicates nothing with 8 pwsh processes' {
        $ns = "$(New-TestPrefix)-procs"
        New-NetNamespace $ns | Out-Null
        $procs = foreach ($w in 0..7) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($script:pwsh)
            foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "& { $($script:work) } -Ns '$ns' -Worker $w -Manifest '$($script:manifest)'") { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardOutput = $true
            $psi.RedirectStandardError = $true
            [System.Diagnostics.Process]::Start($psi)
        }
        $reports = foreach ($p in $procs) {
            $out = $p.StandardOutput.ReadToEnd()
            $err = $p.StandardError.ReadToEnd()
            $p.WaitForExit()
            $err | Should -BeNullOrEmpty
            $out.Trim()
        }
        Assert-Battery $ns $reports
        Remove-NetNamespace $ns
    }

    It 'loses, fails and duplicates nothing with 8 runspaces (ForEach-Object -Parallel)' {
        $ns = "$(New-TestPrefix)-rs"
        New-NetNamespace $ns | Out-Null
        $work = $script:work.ToString()
        $manifest = $script:manifest
        $reports = 0..7 | ForEach-Object -ThrottleLimit 8 -Parallel {
            & ([scriptblock]::Create($using:work)) -Ns $using:ns -Worker $_ -Manifest $using:manifest
        }
        Assert-Battery $ns $reports
        Remove-NetNamespace $ns
    }
}
