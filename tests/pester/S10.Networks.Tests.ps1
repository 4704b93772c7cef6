# S10 (seeds 003, 004: docker network create / --network / --ip): named container networks with
# IPAM on crash-safe state. The sandbox's own namespace plays the host; an "outside" namespace sits
# behind an uplink (host 203.0.113.1, outside 203.0.113.2), as in S3. State lives on the sandbox's
# tmpfs (/run/vnet, /var/lib/vnet); the default pools are set to documentation/benchmark ranges.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $script:Pwsh = (Get-Process -Id $PID).Path
    $script:Manifest = Join-Path $PSScriptRoot '..' '..' 'VNet.psd1' | Resolve-Path
    $env:VNET_DEFAULT_ADDRESS_POOLS = 'base=203.0.113.0/24,size=25;base=198.18.0.0/15,size=24'
    $script:p = New-TestPrefix
    $script:Out = "$p-o"
    New-NetNamespace $Out | Out-Null
    New-VethPair "$p-up" -PeerName eth0 -PeerNamespace $Out | Out-Null
    New-NetIPAddress "$p-up" 203.0.113.1/24 | Out-Null
    New-NetIPAddress eth0 203.0.113.2/24 -Namespace $Out | Out-Null
    $script:Server = Start-EchoServer $Out 7000 'outside'
    $script:Made = [System.Collections.Generic.List[string]]::new()

    function script:Ns([string] $Suffix) {
        $n = "$p-$Suffix"; New-NetNamespace $n | Out-Null; $script:Made.Add($n); $n
    }
    function script:Leases([string] $Network) {
        @(Get-ChildItem "/run/vnet/networks/$Network/leases" -ErrorAction SilentlyContinue | Where-Object Name -NotLike '.*')
    }
    function script:Addr($Endpoint) { ($Endpoint.Addresses | Where-Object { $_ -notmatch ':' } | Select-Object -First 1) -replace '/.*' }
    function script:Err([scriptblock] $Block) {
        try { & $Block; $null } catch { $_ }
    }
}
AfterAll {
    if ($Server) { Stop-Process -Id $Server.Id -ErrorAction SilentlyContinue }
    Get-ContainerNetwork | Remove-ContainerNetwork -Force -ErrorAction SilentlyContinue
    Remove-NetLink "$p-up" -ErrorAction SilentlyContinue
    Remove-NetNamespace (@($Out) + $Made) -ErrorAction SilentlyContinue
    Remove-Item Env:VNET_DEFAULT_ADDRESS_POOLS -ErrorAction SilentlyContinue
}

Describe 'S10: a bridge network' {
    BeforeAll {
        $script:A = "$p-a"
        $script:c1 = Ns 'c1'; $script:c2 = Ns 'c2'
        $script:net = New-ContainerNetwork $A -Subnet 198.51.100.0/26
        $script:e1 = Connect-ContainerNetwork $A $c1
        $script:e2 = Connect-ContainerNetwork $A -Namespace $c2 -Alias db, 'cache'
    }
    It 'is defined like docker network create: bridge driver, br-ID12, gateway on the bridge' {
        $net.Driver | Should -Be 'bridge'
        $net.BridgeName | Should -Match '^br-[0-9a-f]{12}$'
        $net.BridgeName | Should -Be "br-$($net.Id.Substring(0, 12))"
        $net.Subnets[0].Gateway | Should -Be '198.51.100.1'
        (Get-NetIPAddress -InterfaceName $net.BridgeName).Cidr | Should -Contain '198.51.100.1/26'
        Test-Path "/var/lib/vnet/networks/$A.json" | Should -BeTrue
    }
    It 'hands out addresses after the gateway and names the endpoint after its namespace, then its aliases' {
        Addr $e1 | Should -Be '198.51.100.2'
        Addr $e2 | Should -Be '198.51.100.3'
        $e2.Names | Should -Be @($c2, 'db', 'cache')
        $e1.InterfaceName | Should -Be 'eth0'
        (Get-NetLink eth0 -Namespace $c1).Mtu | Should -Be 1500
        (Get-NetLink $e1.HostInterface).Master | Should -Be $net.BridgeName
        (Get-NetIPAddress -InterfaceName eth0 -Namespace $c1).Cidr | Should -Contain '198.51.100.2/26'
    }
    It 'lets members reach each other and the gateway by address' {
        Test-Ping $c1 198.51.100.3 | Should -BeTrue
        Test-Ping $c2 198.51.100.2 | Should -BeTrue
        Test-Ping $c1 198.51.100.1 | Should -BeTrue
    }
    It 'reaches the outside through masquerade: the outside sees the uplink address' {
        (Get-NetRoute -Namespace $c1 | Where-Object Destination -eq 'default').Gateway | Should -Be '198.51.100.1'
        Connect-Tcp $c1 203.0.113.2 7000 | Should -Be 'outside-saw-203.0.113.1'
    }
    It 'lists the network with its members, and the endpoints' {
        (Get-ContainerNetwork $A).EndpointCount | Should -Be 2
        @(Get-ContainerEndpoint $A).Count | Should -Be 2
        (Get-ContainerEndpoint -Namespace $c2).Network | Should -Be $A
        (Get-ContainerNetwork | Format-Table | Out-String -Width 80) | Should -Match $A
    }
    It 'refuses a second connect of the same namespace, with no second lease' {
        $e = Err { Connect-ContainerNetwork $A $c1 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^AlreadyConnected'
        "$e" | Should -Match ([regex]::Escape($c1))
        (Leases $A).Count | Should -Be 2
    }
    It 'is isolated from another VNet network, though both reach the outside' {
        $c3 = Ns 'c3'
        New-ContainerNetwork "$p-b" -Subnet 198.51.100.64/26 | Out-Null
        Connect-ContainerNetwork "$p-b" $c3 | Out-Null
        Test-Ping $c3 198.51.100.65 | Should -BeTrue
        Test-Ping $c3 198.51.100.2 | Should -BeFalse
        Test-Ping $c1 198.51.100.66 | Should -BeFalse
        Connect-Tcp $c3 203.0.113.2 7000 | Should -Be 'outside-saw-203.0.113.1'
        Remove-ContainerNetwork "$p-b" -Force
    }
    It 'publishes a member''s port to the outside, and takes the rule away with the member' {
        $c5 = Ns 'c5'
        $e5 = Connect-ContainerNetwork $A $c5 -PublishPort 10080 -ToPort 80
        $e5.NatRules | Should -Be @('publish-tcp-10080')
        $srv = Start-EchoServer $c5 80 'c5'
        try {
            Connect-Tcp $Out 203.0.113.1 10080 | Should -Be 'c5-saw-203.0.113.2'
        } finally { Stop-Process -Id $srv.Id -ErrorAction SilentlyContinue }
        Disconnect-ContainerNetwork $A $c5
        (Get-NatRule).Id | Should -Not -Contain 'publish-tcp-10080'
        (Get-NatRule).Id | Should -Contain 'masquerade-198.51.100.0/26'
    }
    It 'connects a process''s namespace by its id' {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('unshare', [string[]]@('--net', 'sleep', '300'))
        $proc = [System.Diagnostics.Process]::Start($psi)
        try {
            foreach ($i in 1..50) { if ((Get-Content "/proc/$($proc.Id)/comm" -ErrorAction SilentlyContinue) -eq 'sleep') { break }; Start-Sleep -Milliseconds 50 }
            $e = Connect-ContainerNetwork $A -ProcessId $proc.Id
            $e.ProcessId | Should -Be $proc.Id
            $e.NamespacePath | Should -Be "/proc/$($proc.Id)/ns/net"
            Invoke-NetNamespace "/proc/$($proc.Id)/ns/net" -- ping -c 1 -W 2 198.51.100.2 | Out-Null
            $LASTEXITCODE | Should -Be 0
            Disconnect-ContainerNetwork $A -ProcessId $proc.Id -Strict
            Get-ContainerEndpoint $A | Where-Object ProcessId -eq $proc.Id | Should -BeNullOrEmpty
        } finally { Stop-Process -Id $proc.Id -ErrorAction SilentlyContinue }
    }
    It 'disconnects quietly when not connected, and with -Strict says so' {
        $c9 = Ns 'c9'
        { Disconnect-ContainerNetwork $A $c9 -ErrorAction Stop } | Should -Not -Throw
        $e = Err { Disconnect-ContainerNetwork $A $c9 -Strict -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^EndpointNotFound'
    }
    It 'frees the lease on disconnect even when the namespace is already gone' {
        $c4 = Ns 'c4'
        $e4 = Connect-ContainerNetwork $A $c4
        Remove-NetNamespace $c4
        Disconnect-ContainerNetwork $A $c4
        (Leases $A).Name | Should -Not -Contain (Addr $e4)
        @(Get-ContainerEndpoint $A).Count | Should -Be 2
    }
    It 'refuses to remove a network with members, naming them' {
        $e = Err { Remove-ContainerNetwork $A -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^NetworkHasEndpoints'
        "$e" | Should -Match $c1
        "$e" | Should -Match $c2
        Get-ContainerNetwork $A | Should -Not -BeNullOrEmpty
    }
    It 'with -Force disconnects them and leaves no bridge, rule, lease or record' {
        Remove-ContainerNetwork $A -Force
        Get-ContainerNetwork $A -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-NetLink $net.BridgeName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-NetLink $e1.HostInterface -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-NetLink eth0 -Namespace $c1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-NatRule).Id | Should -Not -Contain 'masquerade-198.51.100.0/26'
        Test-Path "/run/vnet/networks/$A" | Should -BeFalse
        Test-Path "/var/lib/vnet/networks/$A.json" | Should -BeFalse
        { Remove-ContainerNetwork $A -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'S10: IPAM' {
    BeforeAll {
        $script:IpamNet = "$p-ipam"
        New-ContainerNetwork $IpamNet -Subnet 198.51.100.128/26 -IPRange 198.51.100.160/29 -AuxAddress @{ router = '198.51.100.161' } | Out-Null
    }
    AfterAll { Remove-ContainerNetwork $IpamNet -Force -ErrorAction SilentlyContinue }
    It 'hands out dynamic addresses only from the range, never the aux address' {
        $got = foreach ($i in 1..3) { Addr (Connect-ContainerNetwork $IpamNet (Ns "r$i")) }
        $got | Should -Be @('198.51.100.160', '198.51.100.162', '198.51.100.163')
    }
    It 'gives a static address anywhere in the subnet, outside the range too' {
        Addr (Connect-ContainerNetwork $IpamNet (Ns 's1') -IPAddress 198.51.100.140) | Should -Be '198.51.100.140'
    }
    It 'refuses a static address in use, naming its holder' {
        $e = Err { Connect-ContainerNetwork $IpamNet (Ns 's2') -IPAddress 198.51.100.140 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^AddressInUse'
        "$e" | Should -Match '198\.51\.100\.140'
        "$e" | Should -Match "$p-s1"
        Get-NetLink eth0 -Namespace "$p-s2" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
    It 'refuses the gateway, an aux address and an address outside the subnet' {
        "$(Err { Connect-ContainerNetwork $IpamNet "$p-s2" -IPAddress 198.51.100.129 -ErrorAction Stop })" | Should -Match 'gateway'
        "$(Err { Connect-ContainerNetwork $IpamNet "$p-s2" -IPAddress 198.51.100.161 -ErrorAction Stop })" | Should -Match "aux address 'router'"
        $e = Err { Connect-ContainerNetwork $IpamNet "$p-s2" -IPAddress 203.0.113.9 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^AddressOutsideSubnet'
        "$e" | Should -Match '203\.0\.113\.9'
        @(Get-ContainerEndpoint $IpamNet -Namespace "$p-s2").Count | Should -Be 0
    }
    It 'allocates round robin: a freed address is not handed out again at once' {
        $x = Connect-ContainerNetwork $IpamNet (Ns 'rr1')
        $freed = Addr $x
        Disconnect-ContainerNetwork $IpamNet "$p-rr1"
        Addr (Connect-ContainerNetwork $IpamNet (Ns 'rr2')) | Should -Not -Be $freed
    }
    It 'fails on exhaustion naming the network, leaving no interface and no lease' {
        $ex = "$p-ex"
        New-ContainerNetwork $ex -Subnet 192.0.2.16/30 | Out-Null
        Addr (Connect-ContainerNetwork $ex (Ns 'x1')) | Should -Be '192.0.2.18'
        $e = Err { Connect-ContainerNetwork $ex (Ns 'x2') -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^NetworkExhausted'
        "$e" | Should -Match $ex
        Get-NetLink eth0 -Namespace "$p-x2" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Leases $ex).Count | Should -Be 1
        @(Get-ContainerEndpoint $ex).Count | Should -Be 1
        Remove-ContainerNetwork $ex -Force
    }
    It 'refuses an overlapping subnet, naming both networks and both subnets, and makes nothing' {
        $before = @(Get-NetLink -Kind bridge).Count
        $e = Err { New-ContainerNetwork "$p-ov" -Subnet 198.51.100.128/25 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^SubnetOverlap'
        "$e" | Should -Match "$p-ov"
        "$e" | Should -Match $IpamNet
        "$e" | Should -Match '198\.51\.100\.128/25'
        "$e" | Should -Match '198\.51\.100\.128/26'
        Get-ContainerNetwork "$p-ov" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-NetLink -Kind bridge).Count | Should -Be $before
    }
    It 'picks a free subnet from the pools, skipping the host''s own addresses' {
        $n = New-ContainerNetwork "$p-auto" -Verbose 4>&1 | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $n.Subnets[0].Subnet | Should -Be '198.18.0.0/24'
        Remove-ContainerNetwork "$p-auto"
    }
}

Describe 'S10: bad input is refused, naming the value, leaving nothing' {
    BeforeAll {
        New-ContainerNetwork "$p-dup" -Subnet 198.51.100.0/28 | Out-Null
        $script:Bridges = @(Get-NetLink -Kind bridge).Count
    }
    AfterAll { Remove-ContainerNetwork "$p-dup" -Force -ErrorAction SilentlyContinue }
    It '<Case>' -ForEach @(
        @{ Case = 'a duplicate network name'; Id = 'NetworkExists'; Value = 'dup'; Make = { New-ContainerNetwork "$p-dup" -Subnet 198.51.100.16/28 -ErrorAction Stop } }
        @{ Case = 'a gateway outside the subnet'; Id = 'GatewayOutsideSubnet'; Value = '203\.0\.113\.7'; Make = { New-ContainerNetwork "$p-bad" -Subnet 198.51.100.32/28 -Gateway 203.0.113.7 -ErrorAction Stop } }
        @{ Case = 'a range outside the subnet'; Id = 'IPRangeOutsideSubnet'; Value = '198\.51\.100\.64/28'; Make = { New-ContainerNetwork "$p-bad" -Subnet 198.51.100.32/28 -IPRange 198.51.100.64/28 -ErrorAction Stop } }
        @{ Case = 'an unknown driver'; Id = 'UnknownNetworkDriver'; Value = 'ipvlan'; Make = { New-ContainerNetwork "$p-bad" -Driver ipvlan -ErrorAction Stop } }
        @{ Case = 'macvlan without a parent'; Id = 'MacvlanNeedsParent'; Value = 'bad'; Make = { New-ContainerNetwork "$p-bad" -Driver macvlan -Subnet 198.51.100.32/28 -ErrorAction Stop } }
        @{ Case = 'an over-long bridge name'; Id = 'LinkNameTooLong'; Value = 'a-bridge-name-too-long'; Make = { New-ContainerNetwork "$p-bad" -Subnet 198.51.100.32/28 -BridgeName a-bridge-name-too-long -ErrorAction Stop } }
        @{ Case = 'a subnet with host bits'; Id = 'InvalidSubnet'; Value = '198\.51\.100\.33/28'; Make = { New-ContainerNetwork "$p-bad" -Subnet 198.51.100.33/28 -ErrorAction Stop } }
        @{ Case = 'a network name Docker would refuse'; Id = 'InvalidNetworkName'; Value = 'bad/name'; Make = { New-ContainerNetwork 'bad/name' -ErrorAction Stop } }
    ) {
        $e = Err $Make
        $e | Should -Not -BeNullOrEmpty
        $e.FullyQualifiedErrorId | Should -Match "^$Id"
        "$e" | Should -Match $Value
        Get-ContainerNetwork "$p-bad" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-NetLink -Kind bridge).Count | Should -Be $Bridges
        Test-Path "/var/lib/vnet/networks/$p-bad.json" | Should -BeFalse
    }
}

Describe 'S10: -Force makes New-ContainerNetwork re-runnable' {
    AfterAll { Remove-ContainerNetwork "$p-rb" -Force -ErrorAction SilentlyContinue }
    It 'returns the existing network when the settings match, and names the difference when not' {
        $a = New-ContainerNetwork "$p-rb" -Subnet 198.51.100.48/28 -Mtu 1400
        $b = New-ContainerNetwork "$p-rb" -Subnet 198.51.100.48/28 -Mtu 1400 -Force
        $b.Id | Should -Be $a.Id
        $e = Err { New-ContainerNetwork "$p-rb" -Subnet 198.51.100.48/28 -Mtu 1500 -Force -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^NetworkSettingsDiffer'
        "$e" | Should -Match 'Mtu'
        "$e" | Should -Match '1400'
    }
    It 'gives members the network''s MTU' {
        $n = Ns 'mtu'
        Connect-ContainerNetwork "$p-rb" $n | Out-Null
        (Get-NetLink eth0 -Namespace $n).Mtu | Should -Be 1400
    }
}

Describe 'S10: internal, macvlan, none and dual-stack networks' {
    It 'an internal network: members talk, no default route, no way out, no masquerade' {
        $in = "$p-int"
        New-ContainerNetwork $in -Subnet 198.51.100.224/28 -Internal | Out-Null
        $i1 = Ns 'i1'; $i2 = Ns 'i2'
        Connect-ContainerNetwork $in $i1 | Out-Null
        Connect-ContainerNetwork $in $i2 | Out-Null
        Test-Ping $i1 198.51.100.227 | Should -BeTrue
        Get-NetRoute -Namespace $i1 | Where-Object Destination -eq 'default' | Should -BeNullOrEmpty
        Test-Ping $i1 203.0.113.2 | Should -BeFalse
        (Get-NatRule).Id | Should -Not -Contain 'masquerade-198.51.100.224/28'
        Remove-ContainerNetwork $in -Force
    }
    It 'a macvlan network on a parent: members reach each other; an MTU above the parent''s is refused naming -Mtu' {
        New-VethPair "$p-mv0" -PeerName "$p-mv1" -Mtu 1450 | Out-Null
        $e = Err { New-ContainerNetwork "$p-mv" -Driver macvlan -Parent "$p-mv0" -Subnet 192.0.2.0/28 -Mtu 1500 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -Match '^MtuAboveParent'
        "$e" | Should -Match '-Mtu 1500'
        Get-ContainerNetwork "$p-mv" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $n = New-ContainerNetwork "$p-mv" -Driver macvlan -Parent "$p-mv0" -Subnet 192.0.2.0/28
        $n.Mtu | Should -Be 1450
        $m1 = Ns 'm1'; $m2 = Ns 'm2'
        $e1 = Connect-ContainerNetwork "$p-mv" $m1
        Connect-ContainerNetwork "$p-mv" $m2 | Out-Null
        (Get-NetLink eth0 -Namespace $m1).Kind | Should -Be 'macvlan'
        (Get-NetLink eth0 -Namespace $m1).MacAddress | Should -Be $e1.MacAddress
        Test-Ping $m1 192.0.2.3 | Should -BeTrue
        Remove-ContainerNetwork "$p-mv" -Force
        Get-NetLink eth0 -Namespace $m1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Remove-NetLink "$p-mv0"
    }
    It 'a none network: the endpoint has lo only, up' {
        New-ContainerNetwork "$p-none" -Driver none | Out-Null
        $z = Ns 'z'
        $e = Connect-ContainerNetwork "$p-none" $z
        $e.Addresses | Should -BeNullOrEmpty
        (Get-NetLink -Namespace $z).Name | Should -Be @('lo')
        (Get-NetLink lo -Namespace $z).AdminUp | Should -BeTrue
        Remove-ContainerNetwork "$p-none" -Force
    }
    It 'a dual-stack network: an IPv6 address and default route inside, both subnets masqueraded, members reach each other over IPv6' {
        $v = "$p-v6"
        New-ContainerNetwork $v -Subnet 198.51.100.240/28, 2001:db8:10::/64 -WarningAction SilentlyContinue | Out-Null
        $masq = Get-NatRule | Where-Object Kind -eq 'Masquerade'
        $masq.Source | Should -Contain '198.51.100.240/28'
        $masq.Source | Should -Contain '2001:db8:10::/64'
        $d1 = Ns 'd1'; $d2 = Ns 'd2'
        $x = Connect-ContainerNetwork $v $d1
        Connect-ContainerNetwork $v $d2 | Out-Null
        $x.Addresses | Should -Contain '2001:db8:10::2/64'
        (Get-NetRoute -Namespace $d1 | Where-Object { $_.Destination -eq 'default' -and $_.AddressFamily -eq 'IPv6' }).Gateway | Should -Be '2001:db8:10::1'
        Invoke-NetNamespace $d1 -- ping -6 -c 1 -W 2 2001:db8:10::3 | Out-Null
        $LASTEXITCODE | Should -Be 0
        Remove-ContainerNetwork $v -Force
        (Get-NatRule | Where-Object Source -in '198.51.100.240/28', '2001:db8:10::/64') | Should -BeNullOrEmpty
    }
}

Describe 'S10: reboots and crashes' {
    BeforeAll {
        $script:K = "$p-k"
        $script:knet = New-ContainerNetwork $K -Subnet 198.51.100.16/28
        function script:Start-Connect([string] $Ns, [string] $Pause) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($Pwsh)
            foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$Manifest'; Connect-ContainerNetwork '$K' '$Ns' | Out-Null") { $psi.ArgumentList.Add($a) }
            $psi.Environment['VNET_TEST_CONNECT_PAUSE'] = $Pause
            $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
            [System.Diagnostics.Process]::Start($psi)
        }
        function script:Wait-Until([scriptblock] $Cond) {
            foreach ($i in 1..600) { if (& $Cond) { return $true }; Start-Sleep -Milliseconds 100 }
            $false
        }
    }
    AfterAll { Remove-ContainerNetwork $K -Force -ErrorAction SilentlyContinue }
    It 'after the bridge vanished behind VNet''s back (a reboot), the next Connect re-creates it and its rules' {
        $k1 = Ns 'k1'; $k2 = Ns 'k2'
        Connect-ContainerNetwork $K $k1 | Out-Null
        ip link del $knet.BridgeName
        Get-NetLink $knet.BridgeName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $v = Connect-ContainerNetwork $K $k2 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$v" | Should -Match 're-created'
        (Get-NetLink $knet.BridgeName).Kind | Should -Be 'bridge'
        Test-Ping $k2 198.51.100.18 | Should -BeTrue
        Connect-Tcp $k2 203.0.113.2 7000 | Should -Be 'outside-saw-203.0.113.1'
    }
    It 'kill -9 in the middle of Connect (veth made, record Pending): the next Connect of that namespace cleans up and succeeds' {
        $k3 = Ns 'k3'
        $proc = Start-Connect $k3 'attached:60'
        Wait-Until { $e = Get-ContainerEndpoint $K -Namespace $k3; $e -and $e.State -eq 'Pending' -and (Get-NetLink $e.HostInterface -ErrorAction SilentlyContinue) } | Should -BeTrue
        $pending = Get-ContainerEndpoint $K -Namespace $k3
        Stop-Process -Id $proc.Id -Force; $proc.WaitForExit()
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $e = Connect-ContainerNetwork $K $k3
        $e.State | Should -Be 'Active'
        @(Get-NetLink -Namespace $k3 | Where-Object Name -like 'eth*').Count | Should -Be 1
        (Leases $K | Where-Object { (Get-Content $_.FullName) -eq $e.Id }).Count | Should -Be 1
        Test-Ping $k3 198.51.100.17 | Should -BeTrue
        $pending.Addresses | Should -Not -BeNullOrEmpty
    }
    It 'kill -9 after the lease and before the record: Repair releases the orphan lease and says why' {
        $k4 = Ns 'k4'
        $before = (Leases $K).Count
        $proc = Start-Connect $k4 'leased:60'
        Wait-Until { (Leases $K).Count -gt $before } | Should -BeTrue
        Stop-Process -Id $proc.Id -Force; $proc.WaitForExit()
        $r = @(Repair-ContainerNetwork $K)
        $r.What | Should -Contain 'Lease'
        ($r | Where-Object What -eq 'Lease').Reason | Should -Match 'no record'
        (Leases $K).Count | Should -Be $before
    }
    It 'kill -9 with the veth made: Repair rolls the Pending endpoint back (veth, lease, record)' {
        $k5 = Ns 'k5'
        $proc = Start-Connect $k5 'attached:60'
        Wait-Until { $e = Get-ContainerEndpoint $K -Namespace $k5; $e -and (Get-NetLink $e.HostInterface -ErrorAction SilentlyContinue) } | Should -BeTrue
        $pending = Get-ContainerEndpoint $K -Namespace $k5
        Stop-Process -Id $proc.Id -Force; $proc.WaitForExit()
        $r = @(Repair-ContainerNetwork $K)
        $r.Count | Should -Be 1
        $r[0].What | Should -Be 'Endpoint'
        $r[0].Reason | Should -Match "process $($proc.Id) is gone"
        Get-NetLink $pending.HostInterface -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ContainerEndpoint $K -Namespace $k5 | Should -BeNullOrEmpty
        (Leases $K).Name | Should -Not -Contain ($pending.Addresses[0] -replace '/.*')
    }
    It 'Repair releases the endpoint of a namespace deleted behind VNet''s back' {
        $k6 = Ns 'k6'
        $e = Connect-ContainerNetwork $K $k6
        Remove-NetNamespace $k6
        $r = @(Repair-ContainerNetwork $K)
        ($r | Where-Object What -eq 'Endpoint').Reason | Should -Match 'gone'
        (Leases $K).Name | Should -Not -Contain (Addr $e)
        @(Repair-ContainerNetwork $K).Count | Should -Be 0
    }
}

Describe 'S10: 50 Connects in 50 pwsh processes at once' {
    It 'gives 50 distinct addresses and 50 leases, and every member reaches every other' {
        $F = "$p-fifty"
        New-ContainerNetwork $F -Subnet 192.0.2.64/26 | Out-Null
        $names = foreach ($i in 1..50) { Ns "f$i" }
        $procs = foreach ($n in $names) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($Pwsh)
            foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$Manifest'; Connect-ContainerNetwork '$F' '$n' -ErrorAction Stop | Out-Null") { $psi.ArgumentList.Add($a) }
            # 50 pwsh processes on a small, busy machine: each may wait long for its turn (not a timing test).
            $psi.Environment['VNET_LOCK_TIMEOUT'] = '900'
            $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
            [System.Diagnostics.Process]::Start($psi)
        }
        $failed = foreach ($pr in $procs) { $o = $pr.StandardError.ReadToEnd() + $pr.StandardOutput.ReadToEnd(); $pr.WaitForExit(); if ($pr.ExitCode -ne 0) { $o -replace "`e\[[0-9;]*m" } }
        $failed | Should -BeNullOrEmpty
        $eps = @(Get-ContainerEndpoint $F)
        $eps.Count | Should -Be 50
        @($eps | ForEach-Object { Addr $_ } | Sort-Object -Unique).Count | Should -Be 50
        (Leases $F).Count | Should -Be 50
        $all = $eps | ForEach-Object { Addr $_ }
        $unreached = foreach ($ep in $eps) {
            $others = ($all | Where-Object { $_ -ne (Addr $ep) }) -join ' '
            Invoke-NetNamespace $ep.Namespace -- sh -c "for a in $others; do ping -c 1 -W 2 -q `$a >/dev/null 2>&1 || echo `"$($ep.Namespace) -> `$a`"; done"
        }
        # On a heavily loaded machine a single ping may time out while ARP resolves: a pair that
        # missed is asked again, more patiently, before it counts as unreachable.
        $unreached = foreach ($pair in $unreached) {
            $from, $to = $pair -split ' -> '
            Invoke-NetNamespace $from -- ping -c 3 -W 5 -q $to | Out-Null
            if ($LASTEXITCODE -ne 0) { $pair }
        }
        $unreached | Should -BeNullOrEmpty
        Remove-ContainerNetwork $F -Force
        (Leases $F).Count | Should -Be 0
    }
}
