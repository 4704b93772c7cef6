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

Describe 'Errors that name the right thing (issue 13, item 4)' {
    BeforeAll {
        $script:en = "$p-e4"
        New-NetNamespace $en | Out-Null
        function Get-VNetError([scriptblock] $Action) {
            $ErrorActionPreference = 'Stop'
            try { & $Action; $null } catch { $_ }
        }
    }
    AfterAll { Remove-NetNamespace $en -ErrorAction SilentlyContinue }

    It 'a VNI another tunnel holds names that tunnel' {
        New-VxlanTunnel vxa -Vni 77 -Remote 192.0.2.2 -Namespace $en | Out-Null
        $e = Get-VNetError { New-VxlanTunnel vxb -Vni 77 -Remote 192.0.2.2 -Namespace $en }
        $e.FullyQualifiedErrorId | Should -BeLike 'VniInUse,*'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.Exception.Message | Should -Match "'vxa'"
        $e.Exception.Message | Should -Match '\b77\b'
        (Get-NetLink -Namespace $en).Name | Should -Not -Contain 'vxb'
        # The name taken is still LinkExists.
        (Get-VNetError { New-VxlanTunnel vxa -Vni 78 -Remote 192.0.2.2 -Namespace $en }).FullyQualifiedErrorId | Should -BeLike 'LinkExists,*'
    }
    It 'refuses the all-zeros MAC, naming it' {
        $e = Get-VNetError { New-VethPair y9 -PeerName z -MacAddress 00:00:00:00:00:00 -Namespace $en -PeerNamespace $en }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidMacAddress,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.TargetObject | Should -Be '00:00:00:00:00:00'
        (Get-NetLink -Namespace $en).Name | Should -Not -Contain 'y9'
    }
    It 'refuses a tunnel whose ends are of two families, in its own words' {
        $e = Get-VNetError { New-VxlanTunnel vx1 -Vni 5 -Remote 2001:db8::2 -Local 192.0.2.1 -Namespace $en }
        $e.FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
        $e.Exception.Message | Should -Match '2001:db8::2'
        $e.Exception.Message | Should -Match '192\.0\.2\.1'
        $e.Exception.Message | Should -Not -Match 'Gateway'
    }
    It 'names the parameter and the value of a bad -PublishPort <port>' -ForEach @(
        @{ port = '-5'; id = 'InvalidPortRange' }, @{ port = ' '; id = 'InvalidPortRange' }, @{ port = '70000'; id = 'InvalidPort' }) {
        $e = Get-VNetError { Add-NatRule -PublishPort $port -ToAddress 198.51.100.2 -Namespace $en }
        $e.FullyQualifiedErrorId | Should -BeLike "$id,*"
        $e.Exception.Message | Should -Match '-PublishPort'
        $e.Exception.Message | Should -Match ([regex]::Escape("'$port'"))
        $e.TargetObject | Should -Be $port
    }
    It 'refuses an IPv6 peer on an IPv4 tunnel before the kernel' {
        New-VxlanTunnel vx4 -Vni 44 -Remote 192.0.2.3 -Local 192.0.2.1 -Namespace $en | Out-Null
        $e = Get-VNetError { Add-VxlanPeer vx4 2001:db8::5 -Namespace $en }
        $e.FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
        $e.Exception.Message | Should -Match 'vx4'
        $e.TargetObject | Should -Be '2001:db8::5'
        (Get-VxlanPeer vx4 -Namespace $en).Remote | Should -Not -Contain '2001:db8::5'
    }
    It 'refuses to remove a route whose gateway is of the other family, as New-NetRoute does' {
        $new = Get-VNetError { New-NetRoute 2001:db8::/64 -Gateway 198.51.100.1 -Namespace $en }
        $rm = Get-VNetError { Remove-NetRoute 2001:db8::/64 -Gateway 198.51.100.1 -Namespace $en }
        $new.FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
        $rm.FullyQualifiedErrorId | Should -BeLike 'AddressFamilyMismatch,*'
        $rm.Exception.Message | Should -Be $new.Exception.Message
    }
    It 'validates a list of names before making the first' {
        $e = Get-VNetError { New-NetNamespace "$p-oka", "$p-bad/x", "$p-okb" }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidNamespaceName,*'
        $e.TargetObject | Should -Be "$p-bad/x"
        Get-NetNamespace "$p-ok*" | Should -BeNullOrEmpty
        Test-Path "/run/netns/$p-oka" | Should -BeFalse
    }
}

Describe 'Re-runs converge (issue 13, item 2)' {
    It 'shows a stale name with its state and repairs it with -Force' {
        $s = "$p-stale"
        # What a kill between the file and its bind mount leaves.
        New-Item -ItemType File "/run/netns/$s" | Out-Null
        try {
            $g = Get-NetNamespace $s
            $g.State | Should -Be 'Stale'
            ($g | Out-String) | Should -Match 'STALE'
            $e = $null
            try { New-NetNamespace $s -ErrorAction Stop } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -BeLike 'NamespaceStale,*'
            $e.Exception.Message | Should -Match '-Force'
            $r = New-NetNamespace $s -Force
            $r.Inode | Should -BeGreaterThan 0
            (Get-NetNamespace $s).State | Should -Be 'Ready'
            (Get-NetLink lo -Namespace $s).State | Should -Be 'UNKNOWN'
            Invoke-NetNamespace $s -- ping -c 1 -W 2 127.0.0.1 | Out-Null
            $LASTEXITCODE | Should -Be 0
        } finally { Remove-NetNamespace $s }
        Test-Path "/run/netns/$s" | Should -BeFalse
    }
    It 'New-NetNamespace -Force on a namespace that exists is quiet and keeps it' {
        $s = "$p-keep"
        $a = New-NetNamespace $s
        try {
            New-NetBridge kept0 -Namespace $s | Out-Null
            $b = New-NetNamespace $s -Force -ErrorVariable ev
            $ev | Should -BeNullOrEmpty
            $b.Inode | Should -Be $a.Inode
            (Get-NetLink kept0 -Namespace $s).Name | Should -Be 'kept0'
        } finally { Remove-NetNamespace $s }
    }
    It 'Remove-NetNamespace then New-VethPair of the same host-side name: 1,000 times, 0 failures' {
        $c = "$p-rr"
        $h = "$p-rh"
        New-NetNamespace $h | Out-Null
        $failures = 0
        try {
            for ($i = 0; $i -lt 1000; $i++) {
                New-NetNamespace $c | Out-Null
                New-VethPair vrr0 -Namespace $h -PeerName eth0 -PeerNamespace $c -ErrorAction SilentlyContinue -ErrorVariable ev | Out-Null
                if ($ev) { $failures++ }
                Remove-NetNamespace $c
            }
        } finally { Remove-NetNamespace $c, $h -ErrorAction SilentlyContinue }
        $failures | Should -Be 0
    }
    It 'says so when a process keeps a removed namespace alive, and leaves its interfaces' {
        $c = "$p-alive"
        New-NetNamespace $c | Out-Null
        $h = "$p-aliveh"
        New-NetNamespace $h | Out-Null
        New-VethPair valive -Namespace $h -PeerName eth0 -PeerNamespace $c | Out-Null
        $sleeper = Start-Process ip -ArgumentList 'netns', 'exec', $c, 'sleep', '60' -PassThru
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Get-NetNamespace $c).ProcessIds -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Remove-NetNamespace $c -WarningVariable w -WarningAction SilentlyContinue
            "$w" | Should -Match "process $($sleeper.Id)"
            (Get-NetLink valive -Namespace $h).Name | Should -Be 'valive'
        } finally {
            Stop-Process -Id $sleeper.Id -Force -ErrorAction SilentlyContinue
            Remove-NetNamespace $h -ErrorAction SilentlyContinue
        }
    }
}

Describe 'A build killed with -9 at random moments converges when run again with -Force' {
    BeforeAll {
        $script:build = Join-Path $PSScriptRoot 'Build-Containers.ps1'
        $script:count = 6
        function Remove-Build([string] $Prefix) {
            $names = @("$Prefix-h") + (1..$count | ForEach-Object { "$Prefix-c$_" })
            Remove-NetNamespace $names -ErrorAction SilentlyContinue
        }
        # What a user checks: every container up, addressed, routed, on the bridge, reachable.
        function Assert-Topology([string] $Prefix) {
            $h = "$Prefix-h"
            @(Get-NetNamespace "$Prefix-*" | Where-Object State -ne 'Ready') | Should -BeNullOrEmpty
            (Get-NetLink kbr0 -Namespace $h).AdminUp | Should -BeTrue
            for ($i = 1; $i -le $count; $i++) {
                $c = "$Prefix-c$i"
                $eth = Get-NetLink eth0 -Namespace $c
                $eth.AdminUp | Should -BeTrue -Because "eth0 of $c must be up"
                $v = Get-NetLink "$Prefix-v$i" -Namespace $h
                $v.AdminUp | Should -BeTrue
                $v.Master | Should -Be 'kbr0'
                (Get-NetIPAddress eth0 -Namespace $c).IPAddress | Should -Contain "198.51.100.$(10 + $i)"
                (Get-NetRoute -Namespace $c | Where-Object Destination -eq 'default').Gateway | Should -Be '198.51.100.1'
                Test-Ping $c 198.51.100.1 | Should -BeTrue -Because "$c must reach its gateway"
            }
            Test-Ping "$Prefix-c1" "198.51.100.$(10 + $count)" | Should -BeTrue
        }
    }

    It 'trial <trial>: killed at a random moment, then re-run with -Force: 0 errors, full topology' -ForEach (1..5 | ForEach-Object { @{ trial = $_ } }) {
        $pre = "$p-k$trial"
        try {
            # How long an uninterrupted build takes here (after pwsh has started) bounds the kill moment.
            if (-not $script:buildMs) {
                $r = & $pwsh -NoProfile -NonInteractive -File $build -Prefix "$p-k0" -Count $count -Module $manifest
                "$r" | Should -Match '^built \d+$'
                $script:buildMs = [int]("$r".Split(' ')[1])
                Assert-Topology "$p-k0"
                Remove-Build "$p-k0"
            }
            $marker = Join-Path ([IO.Path]::GetTempPath()) "$pre.started"
            $log = New-TemporaryFile
            $child = Start-Process $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $build, '-Prefix', $pre, '-Count', $count, '-Module', $manifest, '-Marker', $marker -PassThru -RedirectStandardOutput $log.FullName
            while (-not (Test-Path $marker) -and -not $child.HasExited) { Start-Sleep -Milliseconds 5 }
            $at = Get-Random -Minimum 0 -Maximum ([Math]::Max(1, $buildMs))
            Start-Sleep -Milliseconds $at
            $done = $child.HasExited
            Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue   # SIGKILL
            $child.WaitForExit()
            Remove-Item $marker, $log.FullName -ErrorAction SilentlyContinue
            Write-Host "    killed $at ms into a $buildMs ms build$(if ($done) { ' (it had finished)' })"

            $ev = $null
            $out = & $build -Prefix $pre -Count $count -Force -ErrorVariable ev -ErrorAction SilentlyContinue
            $ev | Should -BeNullOrEmpty -Because (($ev | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" }) -join "`n")
            "$out" | Should -Match '^built \d+$'
            Assert-Topology $pre
        } finally { Remove-Build $pre }
    }
}

Describe 'Bounded per-call resources (issue 13, item 6)' {
    It '5,000 names in one New-NetNamespace call under ulimit -n 1024' {
        $script = New-TemporaryFile
        Set-Content $script.FullName @"
Import-Module '$manifest'
New-NetNamespace '$p-warm' | Out-Null; Remove-NetNamespace '$p-warm'
`$me = Get-Process -Id `$PID
[GC]::Collect(); `$me.Refresh(); `$before = `$me.WorkingSet64
`$names = 1..5000 | ForEach-Object { '$p-m' + `$_ }
`$made = New-NetNamespace `$names -ErrorVariable ev -ErrorAction SilentlyContinue
`$me.Refresh()
'made=' + @(`$made).Count
'errors=' + @(`$ev).Count
if (`$ev) { 'first=' + `$ev[0] }
'rssgrowthmb=' + [int]((`$me.WorkingSet64 - `$before) / 1MB)
"@
        try {
            $out = bash -c "ulimit -n 1024 && exec '$pwsh' -NoProfile -NonInteractive -File '$($script.FullName)'"
            $kv = @{}; foreach ($l in $out) { $k, $v = "$l".Split('=', 2); $kv[$k] = $v }
            Write-Host "    5,000 namespaces in one call under ulimit -n 1024: RSS grew $($kv.rssgrowthmb) MB"
            $kv.errors | Should -Be '0' -Because $kv.first
            $kv.made | Should -Be '5000'
            @(Get-NetNamespace "$p-m*").Count | Should -Be 5000
        } finally {
            Remove-Item $script.FullName
            Remove-NetNamespace (1..5000 | ForEach-Object { "$p-m$_" }) -ErrorAction SilentlyContinue
        }
    }
}
