# S11 (seeds 003, 004, beyond the two-VM exercise): one overlay network on three hosts that agree
# through a three-member etcd cluster. Containers are joined with Connect-ContainerNetwork only: no
# one types a VTEP address. Each host's agent programs its own VXLAN FDB and neighbour entries from
# the store; a host that dies drops out of the others' tables. Emulated lab (hosts are namespaces
# of this machine with their own processes and VNet state); everything on a host goes through
# Invoke-VNetLabCommand, as ssh would on machines.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $env:ETCDCTL_API = '3'
    $labFile = Join-Path $PSScriptRoot '..' '..' 'lab' 'three-host.json'
    $script:lab = Start-VNetLab $labFile -Store etcd
    $script:L = $lab.Name
    $script:eps = $lab.Store.Endpoints -join ','
    $script:Net = 'ov1'
    # Two containers per host, named after the host so every name is unique in the cluster.
    $script:Containers = [ordered]@{}
    foreach ($h in $lab.Hosts) { $Containers[$h.Name] = @("$($h.Name.ToLower())1", "$($h.Name.ToLower())2") }

    function script:On([string] $HostName, [scriptblock] $Block, [object[]] $Arguments = @()) {
        Invoke-VNetLabCommand $L $HostName $Block -ArgumentList $Arguments
    }
    # What a user types inside a container: ping by name, through the namespace's resolv.conf.
    function script:Test-PingByName([string] $HostName, [string] $Namespace, [string] $Name, [string[]] $Extra = @()) {
        Invoke-VNetLabCommand $L $HostName -Command ip -ArgumentList (@('netns', 'exec', $Namespace, 'ping', '-c', '1', '-W', '2') + $Extra + $Name) | Out-Null
        $LASTEXITCODE -eq 0
    }
    # The same, retried for a while: for what the agents converge to after a change.
    function script:Wait-PingByName([string] $HostName, [string] $Namespace, [string] $Name, [int] $Seconds = 15) {
        $until = (Get-Date).AddSeconds($Seconds)
        do { if (Test-PingByName $HostName $Namespace $Name) { return $true } } while ((Get-Date) -lt $until)
        $false
    }
    # FDB and neighbour entries VNet's agent programmed on a host's vxlan devices (permanent ones).
    function script:Get-OverlayEntries([string] $HostName) {
        $fdb = Invoke-VNetLabCommand $L $HostName -Command bridge -ArgumentList 'fdb', 'show'
        $neigh = Invoke-VNetLabCommand $L $HostName -Command ip -ArgumentList 'neigh', 'show', 'nud', 'permanent'
        [pscustomobject]@{
            Fdb = @($fdb | Where-Object { $_ -match 'dev vx-' -and $_ -match ' dst ' })
            Neighbours = @($neigh | Where-Object { $_ -match 'dev vx-' })
        }
    }
    function script:Invoke-Etcdctl([string] $OnHost, [string[]] $Arguments) {
        $out = Invoke-VNetLabCommand $L $OnHost -Command etcdctl -ArgumentList (@("--endpoints=$eps", '--dial-timeout=1s', '--command-timeout=3s') + $Arguments) 2>&1
        [pscustomobject]@{ Code = $LASTEXITCODE; Text = ($out | ForEach-Object { "$_" }) -join "`n" }
    }

    On $lab.Hosts[0].Name { param($n) New-ContainerNetwork $n -Driver overlay -Subnet 198.51.100.0/24 | Out-Null } $Net
    foreach ($h in $lab.Hosts) {
        # Arguments travel to the host as text: the names as one comma-separated string.
        On $h.Name {
            param($n, $names)
            foreach ($c in $names -split ',') { New-NetNamespace $c | Out-Null; Connect-ContainerNetwork $n -Namespace $c | Out-Null }
        } $Net, ($Containers[$h.Name] -join ',')
    }
}
AfterAll {
    if ($lab) { Stop-VNetLab $lab.Name }
}

Describe 'S11: an overlay network on three hosts over etcd' {
    It 'shows the network and every host''s endpoints from any host' {
        $net = On C { param($n) Get-ContainerNetwork $n } $Net
        $net.Driver | Should -Be 'overlay'
        $net.Scope | Should -Be 'global'
        $eps = On C { param($n) Get-ContainerEndpoint -Network $n } $Net
        @($eps).Count | Should -Be 6
        ($eps.HostName | Sort-Object -Unique) | Should -Be @('A', 'B', 'C')
        @($eps | Select-Object -ExpandProperty Addresses -Unique).Count | Should -Be 6
        ($eps | ForEach-Object { $_.Names[0] } | Sort-Object) | Should -Be (@($Containers.Values | ForEach-Object { $_ }) | Sort-Object)
    }

    It 'lets every container reach every other by name' {
        $failed = foreach ($h in $lab.Hosts) {
            foreach ($src in $Containers[$h.Name]) {
                foreach ($dst in ($Containers.Values | ForEach-Object { $_ })) {
                    if ($dst -ne $src -and -not (Wait-PingByName $h.Name $src $dst 10)) { "$src -> $dst" }
                }
            }
        }
        $failed | Should -BeNullOrEmpty
    }

    It 'carries a full-size packet: MTU = underlay - 50 on every container end' {
        foreach ($h in $lab.Hosts) {
            foreach ($c in $Containers[$h.Name]) {
                (On $h.Name { param($c) Get-NetLink eth0 -Namespace $c } $c).Mtu | Should -Be 1450
            }
        }
        Test-PingByName A a1 b1 '-M', 'do', '-s', '1422' | Should -BeTrue
        Test-PingByName A a1 b1 '-M', 'do', '-s', '1423' | Should -BeFalse
    }

    It 'programs one FDB and one neighbour entry per remote endpoint, no flooding entry' {
        $e = Get-OverlayEntries A
        # 4 remote endpoints (FDB by MAC) + 2 remote VTEPs; 4 neighbour entries.
        @($e.Fdb | Where-Object { $_ -notmatch '^00:00:00:00:00:00' }).Count | Should -Be 6
        @($e.Fdb | Where-Object { $_ -match '^00:00:00:00:00:00' }).Count | Should -Be 0
        $e.Neighbours.Count | Should -Be 4
    }
}

Describe 'S11: concurrent Connects from three hosts' {
    It 'gives 3 x 50 concurrent Connects 150 distinct addresses' {
        On A { New-ContainerNetwork ov2 -Driver overlay -Subnet 203.0.113.0/24 | Out-Null }
        $manifest = (Get-Module VNet).Path
        # The three hosts at once, each connecting 50 namespaces from 25 runspaces.
        $results = $lab.Hosts | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:manifest
            Invoke-VNetLabCommand $using:L $_.Name {
                param($prefix, $module)
                $names = 1..50 | ForEach-Object { "$prefix-x$_" }
                New-NetNamespace $names | Out-Null
                $names | ForEach-Object -ThrottleLimit 25 -Parallel {
                    Import-Module $using:module
                    try { Connect-ContainerNetwork ov2 -Namespace $_ -ErrorAction Stop | Out-Null; 'ok' }
                    catch { "failed $_ : $($_.FullyQualifiedErrorId) $($_.Exception.Message)" }
                }
            } -ArgumentList $_.Name.ToLower(), $using:manifest
        }
        @($results | Where-Object { $_ -ne 'ok' }) | Should -BeNullOrEmpty
        $eps = On B { Get-ContainerEndpoint -Network ov2 }
        @($eps).Count | Should -Be 150
        @($eps | ForEach-Object { $_.Addresses } | Sort-Object -Unique).Count | Should -Be 150
        @($eps | Group-Object Host).Count | Should -Be 3
    }
}

Describe 'S11: the store losing members' {
    It 'still connects with one etcd member down' {
        Stop-VNetLabStore $L -HostName C
        On A { New-NetNamespace a3 | Out-Null; Connect-ContainerNetwork ov1 -Namespace a3 | Out-Null }
        Wait-PingByName B b1 a3 | Should -BeTrue
    }
    It 'refuses a Connect without quorum, names the endpoints, leaves nothing half-made, keeps traffic flowing' {
        $bridge = (On A { Get-ContainerNetwork ov1 }).BridgeName
        Stop-VNetLabStore $L -HostName B
        $r = On A {
            param($bridge)
            New-NetNamespace a4 | Out-Null
            $err = $null
            try { Connect-ContainerNetwork ov1 -Namespace a4 -ErrorAction Stop | Out-Null } catch { $err = $_ }
            [pscustomobject]@{
                Id = $err.FullyQualifiedErrorId; Message = "$($err.Exception.Message)"
                Links = @(Get-NetLink -Namespace a4 | Where-Object Name -ne 'lo').Count
                Veths = @(Get-NetLink | Where-Object { $_.Kind -eq 'veth' -and $_.Master -eq $bridge }).Count
            }
        } $bridge
        $r.Id | Should -Match '^Store(Unavailable|NoQuorum)'
        $r.Message | Should -Match '192\.0\.2\.1[123]:2379'
        $r.Links | Should -Be 0
        # The veths of a1, a2, a3 and nothing more on A's overlay bridge.
        $r.Veths | Should -Be 3
        Test-PingByName A a1 b1 | Should -BeTrue
    }
    It 'converges once the members are back' {
        Start-VNetLabStore $L -HostName B, C
        On A { Connect-ContainerNetwork ov1 -Namespace a4 | Out-Null }
        Wait-PingByName C c1 a4 | Should -BeTrue
        $eps = On C { Get-ContainerEndpoint -Network ov1 }
        @($eps).Count | Should -Be 8
        @($eps | Where-Object State -ne 'Active') | Should -BeNullOrEmpty
    }
}

Describe 'S11: agents and hosts failing' {
    It 'keeps traffic when an agent is killed, and a restarted agent adds no duplicate entry' {
        $before = Get-OverlayEntries B
        $agent = On B { (Get-VNetAgent).ProcessId }
        Invoke-VNetLabCommand $L B -Command kill -ArgumentList '-9', "$agent"
        # Names are the agent's to answer (as Docker's are dockerd's), but the kernel's entries stay:
        # the containers keep talking by address.
        $eps = On A { Get-ContainerEndpoint -Network ov1 }
        $addr = @{}; foreach ($e in $eps) { $addr[$e.Names[0]] = $e.Addresses[0] -replace '/.*' }
        Test-PingByName B b1 $addr['a1'] | Should -BeTrue
        Test-PingByName A a1 $addr['b1'] | Should -BeTrue
        Test-PingByName C c1 $addr['b2'] | Should -BeTrue
        On B { Start-VNetAgent | Out-Null }
        Wait-PingByName B b1 c2 | Should -BeTrue
        $after = Get-OverlayEntries B
        ($after.Fdb | Sort-Object) | Should -Be ($before.Fdb | Sort-Object)
        ($after.Neighbours | Sort-Object) | Should -Be ($before.Neighbours | Sort-Object)
        foreach ($h in 'A', 'C') {
            $e = Get-OverlayEntries $h
            @($e.Fdb | Group-Object | Where-Object Count -gt 1) | Should -BeNullOrEmpty
        }
    }
    It 'resyncs after a compaction while the agents watch' {
        $rev = [long]((Invoke-Etcdctl A 'endpoint', 'status', '-w', 'json').Text | ConvertFrom-Json)[0].Status.header.revision
        (Invoke-Etcdctl A 'compact', "$rev").Code | Should -Be 0
        On B { New-NetNamespace b3 | Out-Null; Connect-ContainerNetwork ov1 -Namespace b3 | Out-Null }
        Wait-PingByName A a1 b3 | Should -BeTrue
        Wait-PingByName C c1 b3 | Should -BeTrue
    }
    It 'drops a dead host''s VTEP and entries from the others within the TTL' {
        $c = ($lab.Hosts | Where-Object Name -eq 'C').Address
        (Get-OverlayEntries A).Fdb -match " dst $([regex]::Escape($c)) " | Should -Not -BeNullOrEmpty
        Stop-VNetLab $L -HostName C
        $until = (Get-Date).AddSeconds(30)
        do { Start-Sleep -Milliseconds 500; $left = @((Get-OverlayEntries A).Fdb -match " dst $([regex]::Escape($c)) ") } while ($left.Count -and (Get-Date) -lt $until)
        $left | Should -BeNullOrEmpty
        Test-PingByName A a1 b1 | Should -BeTrue
    }
}

Describe 'S11: bad input' {
    It 'refuses a VNI another network holds, naming it' {
        $vni = (On A { Get-ContainerNetwork ov1 }).Options['vnet.vni']
        $r = On B { param($v) try { New-ContainerNetwork ov9 -Driver overlay -Subnet 198.18.9.0/24 -Vni $v -ErrorAction Stop; 'made' } catch { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" } } $vni
        $r | Should -Match '^VniInUse'
        $r | Should -Match 'ov1'
        On A { Get-ContainerNetwork ov9 -ErrorAction SilentlyContinue } | Should -BeNullOrEmpty
    }
    It 'refuses a subnet that overlaps an overlay network made on another host' {
        $r = On B { try { New-ContainerNetwork loc1 -Subnet 198.51.100.128/25 -ErrorAction Stop; 'made' } catch { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" } }
        $r | Should -Match '^SubnetOverlap'
        $r | Should -Match 'ov1'
    }
    It 'refuses an overlay network on a host without a store' {
        $err = $null
        try { New-ContainerNetwork ovx -Driver overlay -Subnet 198.18.10.0/24 -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^(StoreNotSet|OverlayNeedsStore)'
        "$($err.Exception.Message)" | Should -Match 'Set-VNetStore'
        Get-ContainerNetwork ovx -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
