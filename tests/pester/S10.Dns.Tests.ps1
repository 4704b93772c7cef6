# S10 name resolution, end to end through the real network cmdlets: members that
# Connect-ContainerNetwork joined resolve each other by name, alias and name.network (A, PTR) with
# the clients users run (getent, busybox nslookup, dig), however the process entered the namespace;
# other networks never see them; a name comes with Connect and goes with Disconnect and
# Remove-ContainerNetwork -Force; other names go upstream; the per-host agent that answers is
# detached, restarts, and leaves when idle.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $front = New-ContainerNetwork "$p-f" -Subnet 203.0.113.160/27
    $back = New-ContainerNetwork "$p-b" -Subnet 203.0.113.192/27
    $a = "$p-a"; $b = "$p-b1"; $c = "$p-c"; $m = "$p-m"
    New-NetNamespace $a, $b, $c, $m | Out-Null
    $ea = Connect-ContainerNetwork $front.Name $a -IPAddress 203.0.113.170
    $eb = Connect-ContainerNetwork $front.Name $b -IPAddress 203.0.113.171 -Alias web
    $ec = Connect-ContainerNetwork $back.Name $c -IPAddress 203.0.113.202
    # A member of both networks (its second network gets eth1 and keeps the first one's default route).
    Connect-ContainerNetwork $front.Name $m -IPAddress 203.0.113.174 | Out-Null
    Connect-ContainerNetwork $back.Name $m -IPAddress 203.0.113.212 | Out-Null
    function DigIn([string] $Ns, [string[]] $Query) { (nsenter "--net=/run/netns/$Ns" dig +time=2 +tries=1 @Query) -join "`n" }
    function Test-DnsSetup([string] $Ns) {
        (Test-Path "/etc/netns/$Ns/resolv.conf") -or ((ip netns exec $Ns nft list tables) -match 'vnet_dns')
    }
}
AfterAll {
    if ($script:upstream) { $script:upstream.Kill(); $script:upstream.WaitForExit(); $script:upstream.Dispose() }
    Remove-ContainerNetwork "$p-f", "$p-b", "$p-i" -Force -ErrorAction SilentlyContinue
    Remove-NetNamespace $a, $b, $c, $m, "$p-d", "$p-up" -ErrorAction SilentlyContinue
    Remove-Item /etc/vnet/dns-upstream -ErrorAction SilentlyContinue
    Stop-VNetAgent -ErrorAction SilentlyContinue
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
    It 'resolves a member by name with busybox nslookup under ip netns exec' {
        (ip netns exec $b busybox nslookup $a) -join "`n" | Should -Match '203\.0\.113\.170'
    }
    It 'gets a ping through by name' {
        ip netns exec $a ping -c1 -W2 $b | Out-Null
        $LASTEXITCODE | Should -Be 0
        ip netns exec $b ping -c1 -W2 "web.$($front.Name)" | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
    It 'lets a member of two networks resolve the members of both' {
        (DigIn $m '+short', $b).Trim() | Should -Be '203.0.113.171'
        (DigIn $m '+short', $c).Trim() | Should -Be '203.0.113.202'
        (ip netns exec $m ip route show default) -join "`n" | Should -Match 'via 203\.0\.113\.161 dev eth0'
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
        Connect-ContainerNetwork $front.Name $d -IPAddress 203.0.113.172 | Out-Null
        (DigIn $a '+short', $d).Trim() | Should -Be '203.0.113.172'
        (ip netns exec $d getent hosts $a) -join "`n" | Should -Match '203\.0\.113\.170'
        Disconnect-ContainerNetwork $front.Name $d
        DigIn $a $d | Should -Match 'status: NXDOMAIN'
        Test-DnsSetup $d | Should -BeFalse
        Connect-ContainerNetwork $front.Name $d -IPAddress 203.0.113.173 | Out-Null
        (DigIn $a '+short', $d).Trim() | Should -Be '203.0.113.173'
        Disconnect-ContainerNetwork $front.Name $d
    }
    It 'rolls Connect back when its names cannot be set up: no endpoint, lease, interface or redirect left' {
        $r = "$p-r"
        New-NetNamespace $r | Out-Null
        try {
            # /etc/netns/NAME is a file, so the namespace's resolv.conf cannot be written.
            Set-Content "/etc/netns/$r" 'not a folder'
            $hostIfs = @(Get-NetLink | Where-Object Master -eq $back.BridgeName).Count
            $err = $null
            Connect-ContainerNetwork $back.Name $r -IPAddress 203.0.113.210 -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -Match '^NameSetupFailed'
            $err[0].Exception.Message | Should -Match "/etc/netns/$r"
            Get-ContainerEndpoint $back.Name -Namespace $r | Should -BeNullOrEmpty
            @(Get-NetLink | Where-Object Master -eq $back.BridgeName).Count | Should -Be $hostIfs
            @(Get-NetLink -Namespace $r | Where-Object Name -ne 'lo').Count | Should -Be 0
            (ip netns exec $r nft list tables) -join "`n" | Should -Not -Match 'vnet_dns'
            Remove-Item "/etc/netns/$r"
            # The address was released: the same static one is free again.
            (Connect-ContainerNetwork $back.Name $r -IPAddress 203.0.113.210).Addresses | Should -Contain '203.0.113.210/27'
            (DigIn $c '+short', $r).Trim() | Should -Be '203.0.113.210'
            Disconnect-ContainerNetwork $back.Name $r
        } finally {
            Remove-Item "/etc/netns/$r" -Recurse -ErrorAction SilentlyContinue
            Remove-NetNamespace $r -ErrorAction SilentlyContinue
        }
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
            Connect-ContainerNetwork $back.Name $x -IPAddress 203.0.113.206 | Out-Null
            (Get-VNetAgent).ProcessId | Should -Not -Be $pid1
            (DigIn $a '+short', $b).Trim() | Should -Be '203.0.113.171'
            (DigIn $c '+short', $x).Trim() | Should -Be '203.0.113.206'
            Disconnect-ContainerNetwork $back.Name $x
        } finally { Remove-NetNamespace $x -ErrorAction SilentlyContinue }
    }
    It 'does not hold the pipe of a $(pwsh -c ...) caller, and survives it' {
        Stop-VNetAgent
        (Get-VNetAgent).State | Should -Be 'Stopped'
        $y = "$p-y"
        New-NetNamespace $y | Out-Null
        $pwsh = (Get-Process -Id $PID).Path
        $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$(Join-Path $PSScriptRoot '..' '..' 'VNet.psd1')'; " +
            "Connect-ContainerNetwork '$($back.Name)' '$y' -IPAddress 203.0.113.207 | Out-Null; 'connected'"
        $out = bash -c 'out=$(timeout 60 "$1" -NoProfile -NonInteractive -Command "$2"); rc=$?; echo "rc=$rc $out"' bash $pwsh $script
        "$out" | Should -Match 'rc=0 connected'
        (Get-VNetAgent).State | Should -Be 'Running'
        (DigIn $c '+short', $y).Trim() | Should -Be '203.0.113.207'
        Disconnect-ContainerNetwork $back.Name $y
        Remove-NetNamespace $y
    }
    It 'runs hosted by pwsh where there is no dotnet' {
        Stop-VNetAgent
        $env:VNET_AGENT_LAUNCH = 'pwsh'
        try {
            $z = "$p-z"
            New-NetNamespace $z | Out-Null
            Connect-ContainerNetwork $back.Name $z -IPAddress 203.0.113.208 | Out-Null
            (Get-VNetAgent).Host | Should -Be 'pwsh'
            (DigIn $z '+short', $c).Trim() | Should -Be '203.0.113.202'
            Disconnect-ContainerNetwork $back.Name $z
            Remove-NetNamespace $z
        } finally {
            Remove-Item Env:VNET_AGENT_LAUNCH
            Stop-VNetAgent
        }
    }
    It 'Remove-ContainerNetwork -Force leaves no resolv.conf, no vnet_dns table and no name of it' {
        Connect-ContainerNetwork $back.Name $a -IPAddress 203.0.113.209 | Out-Null
        Remove-ContainerNetwork $front.Name -Force
        # $b was only in the removed network: nothing of the name service is left in it.
        Test-DnsSetup $b | Should -BeFalse
        ip netns exec $b getent hosts $a
        $LASTEXITCODE | Should -Be 2
        # $a and $m are still in the other network: they keep their resolver, and lose the names.
        DigIn $m $b | Should -Match 'status: NXDOMAIN'
        # (a dotted name no network knows goes upstream, so the answer is the upstream's: not the address)
        DigIn $m '+short', "web.$($front.Name)" | Should -Not -Match '203\.0\.113\.171'
        (DigIn $m '+short', $a).Trim() | Should -Be '203.0.113.209'
        # Its way out moved to the network it is still in, as Docker moves the default gateway.
        (ip netns exec $m ip route show default) -join "`n" | Should -Match 'via 203\.0\.113\.193 dev eth1'
        (Get-VNetAgent).Networks | Should -Not -Contain $front.Name
        Remove-ContainerNetwork $back.Name -Force
        foreach ($ns in $a, $c, $m) { Test-DnsSetup $ns | Should -BeFalse }
    }
    It 'exits by itself when no network has a member' {
        New-ContainerNetwork "$p-i" -Subnet 203.0.113.96/27 | Out-Null
        Connect-ContainerNetwork "$p-i" $a | Out-Null
        $agent = (Get-VNetAgent).ProcessId
        Remove-ContainerNetwork "$p-i" -Force
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
