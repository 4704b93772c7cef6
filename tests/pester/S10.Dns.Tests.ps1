# S10 name resolution: members of a network resolve each other by name, alias and name.network
# (A, AAAA, PTR) with the clients users run (getent, busybox nslookup, dig), however the process
# entered the namespace; other networks never see them; other names go upstream; the per-host
# agent that answers is detached, restarts, and leaves when idle.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    Import-Module (Join-Path $PSScriptRoot 'DnsTestMembers.psm1') -Force
    $p = New-TestPrefix
    $front = New-DnsTestNetwork "$p-f" 160
    $back = New-DnsTestNetwork "$p-b" 192
    $a = "$p-a"; $b = "$p-b1"; $c = "$p-c"
    New-NetNamespace $a, $b, $c | Out-Null
    $ea = Connect-DnsTestMember $front $a 10
    $eb = Connect-DnsTestMember $front $b 11 -Alias web
    $ec = Connect-DnsTestMember $back $c 10
    function DigIn([string] $Ns, [string[]] $Query) { (nsenter "--net=/run/netns/$Ns" dig +time=2 +tries=1 @Query) -join "`n" }
}
AfterAll {
    Remove-DnsTestNetwork $front
    Remove-DnsTestNetwork $back
    Remove-NetNamespace $a, $b, $c, "$p-d", "$p-up" -ErrorAction SilentlyContinue
    Remove-Item /etc/vnet/dns-upstream -ErrorAction SilentlyContinue
    if ($script:upstream) { $script:upstream.Kill(); $script:upstream.Dispose() }
}

Describe 'S10: names inside a network' {
    It 'resolves a member by name with getent under ip netns exec' {
        (ip netns exec $a getent ahostsv4 $b) -join "`n" | Should -Match '203\.0\.113\.171'
    }
    It 'resolves an alias with busybox nslookup under Invoke-NetNamespace, case-insensitively' {
        (Invoke-NetNamespace $a -- busybox nslookup WEB) -join "`n" | Should -Match '203\.0\.113\.171'
    }
    It 'resolves name.network with dig under nsenter --net (the host''s resolv.conf, redirected)' {
        (DigIn $b '+short', "$a.$($front.Name)").Trim() | Should -Be '203.0.113.170'
    }
    It 'answers PTR with the name qualified by the network' {
        (DigIn $a '+short', '-x', '203.0.113.171').Trim() | Should -Be "$b.$($front.Name)."
    }
    It 'gives a member of another network NXDOMAIN' {
        DigIn $c $b | Should -Match 'status: NXDOMAIN'
        DigIn $c web | Should -Match 'status: NXDOMAIN'
        ip netns exec $c getent hosts $b
        $LASTEXITCODE | Should -Be 2
    }
    It 'stops resolving a name as soon as it is disconnected, and resolves it again when connected' {
        $d = "$p-d"
        New-NetNamespace $d | Out-Null
        $ed = Connect-DnsTestMember $front $d 12
        (DigIn $a '+short', $d).Trim() | Should -Be '203.0.113.172'
        Disconnect-DnsTestMember $front $ed
        DigIn $a $d | Should -Match 'status: NXDOMAIN'
        Test-Path "/etc/netns/$d/resolv.conf" | Should -BeFalse
        $ed = Connect-DnsTestMember $front $d 13
        (DigIn $a '+short', $d).Trim() | Should -Be '203.0.113.173'
    }
    It 'forwards other names to the upstream resolver' {
        $up = "$p-up"
        New-NetNamespace $up | Out-Null
        New-VethPair "$p-u" -PeerName eth0 -PeerNamespace $up | Out-Null
        New-NetIPAddress "$p-u" 192.0.2.245/30 | Out-Null
        New-NetIPAddress eth0 192.0.2.246/30 -Namespace $up | Out-Null
        $psi = [System.Diagnostics.ProcessStartInfo]::new('nsenter')
        foreach ($x in "--net=/run/netns/$up", 'dnsmasq', '-k', '-u', 'root', '--no-resolv', '--no-hosts', '--bind-interfaces',
            '--listen-address=192.0.2.246', '--pid-file', '--address=/upstream.example/203.0.113.77') { $psi.ArgumentList.Add($x) }
        $psi.RedirectStandardError = $true
        $script:upstream = [System.Diagnostics.Process]::Start($psi)
        foreach ($i in 1..50) { if ((dig +time=1 +tries=1 +short '@192.0.2.246' upstream.example) -eq '203.0.113.77') { break }; Start-Sleep -Milliseconds 100 }
        Set-Content /etc/vnet/dns-upstream '192.0.2.246'
        (DigIn $a '+short', 'upstream.example').Trim() | Should -Be '203.0.113.77'
        (ip netns exec $a getent ahostsv4 upstream.example) -join "`n" | Should -Match '203\.0\.113\.77'
    }
}

Describe 'S10: the VNet agent' {
    It 'Get-VNetAgent names its process, networks and namespaces' {
        $s = Get-VNetAgent
        $s.State | Should -Be 'Running'
        $s.ProcessId | Should -BeGreaterThan 0
        $s.Networks | Should -Contain $front.Name
        $s.Networks | Should -Contain $back.Name
        ($s.Namespaces | Where-Object Path -eq "/run/netns/$a").Serving | Should -BeTrue
        ($s | Out-String -Width 80) | Should -Match 'Running'
    }
    It 'Stop-VNetAgent -WhatIf leaves it running' {
        $before = (Get-VNetAgent).ProcessId
        Stop-VNetAgent -WhatIf
        (Get-VNetAgent).ProcessId | Should -Be $before
    }
    It 'restarts after kill -9 at the next Connect, serving every member from the store' {
        $pid1 = (Get-VNetAgent).ProcessId
        kill -9 $pid1
        foreach ($i in 1..100) { if (-not (Test-Path "/proc/$pid1")) { break }; Start-Sleep -Milliseconds 50 }
        $x = "$p-x"
        New-NetNamespace $x | Out-Null
        try {
            $ex = Connect-DnsTestMember $back $x 14
            (Get-VNetAgent).ProcessId | Should -Not -Be $pid1
            (DigIn $a '+short', $b).Trim() | Should -Be '203.0.113.171'
            (DigIn $c '+short', $x).Trim() | Should -Be '203.0.113.206'
            Disconnect-DnsTestMember $back $ex
        } finally { Remove-NetNamespace $x -ErrorAction SilentlyContinue }
    }
    It 'does not hold the pipe of a $(pwsh -c ...) caller, and survives it' {
        Stop-VNetAgent
        (Get-VNetAgent).State | Should -Be 'Stopped'
        $y = "$p-y"
        New-NetNamespace $y | Out-Null
        $pwsh = (Get-Process -Id $PID).Path
        $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$(Join-Path $PSScriptRoot '..' '..' 'VNet.psd1')'; Import-Module '$(Join-Path $PSScriptRoot 'DnsTestMembers.psm1')'; " +
            "`$n = [VNet.Core.Networks.LocalNetworkStore]::new().GetNetwork('$($back.Name)'); `$e = Connect-DnsTestMember `$n '$y' 15; 'connected'"
        $out = bash -c 'out=$(timeout 60 "$1" -NoProfile -NonInteractive -Command "$2"); rc=$?; echo "rc=$rc $out"' bash $pwsh $script
        "$out" | Should -Match 'rc=0 connected'
        (Get-VNetAgent).State | Should -Be 'Running'
        (DigIn $c '+short', $y).Trim() | Should -Be '203.0.113.207'
        $ey = [VNet.Core.Networks.LocalNetworkStore]::new().ListEndpoints($back.Name) | Where-Object Namespace -eq $y
        Disconnect-DnsTestMember $back $ey
        Remove-NetNamespace $y
    }
    It 'runs hosted by pwsh where there is no dotnet' {
        Stop-VNetAgent
        $env:VNET_AGENT_LAUNCH = 'pwsh'
        try {
            $z = "$p-z"
            New-NetNamespace $z | Out-Null
            $ez = Connect-DnsTestMember $back $z 16
            (Get-VNetAgent).Host | Should -Be 'pwsh'
            (DigIn $z '+short', $c).Trim() | Should -Be '203.0.113.202'
            Disconnect-DnsTestMember $back $ez
            Remove-NetNamespace $z
        } finally {
            Remove-Item Env:VNET_AGENT_LAUNCH
            Stop-VNetAgent
        }
    }
    It 'exits by itself when no network has a member' {
        Remove-DnsTestNetwork $front
        Remove-DnsTestNetwork $back
        $ea = Connect-DnsTestMember ($n = New-DnsTestNetwork "$p-i" 96) $a 10
        $agent = (Get-VNetAgent).ProcessId
        Remove-DnsTestNetwork $n
        $gone = $false
        foreach ($i in 1..300) { if (-not (Test-Path "/proc/$agent")) { $gone = $true; break }; Start-Sleep -Milliseconds 100 }
        $gone | Should -BeTrue
        (Get-VNetAgent).State | Should -Be 'Stopped'
    }
    It 'Stop-VNetAgent is quiet when none runs, and says so with -Strict' {
        (Get-VNetAgent).State | Should -Be 'Stopped'
        { Stop-VNetAgent -ErrorAction Stop } | Should -Not -Throw
        $err = $null
        Stop-VNetAgent -Strict -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Match '^AgentNotRunning'
    }
}
