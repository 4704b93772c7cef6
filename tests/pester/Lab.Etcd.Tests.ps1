# Issue #11, the lab half: emulated hosts that behave like machines (own processes, own VNet state,
# killed like a power loss) and an etcd cluster running on them. Emulated backend only: it checks
# processes and mounts of this machine (skipped when the suites run against Vagrant VMs).
BeforeDiscovery {
    $script:onVagrant = $env:VNET_LAB_BACKEND -eq 'vagrant'
}
BeforeAll {
    if ($env:VNET_LAB_BACKEND -eq 'vagrant') { return }
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $env:ETCDCTL_API = '3'
    $labFile = Join-Path $PSScriptRoot '..' '..' 'lab' 'three-host.json'
    $lab = Start-VNetLab $labFile -Store etcd -Backend Emulated
    $eps = $lab.Store.Endpoints -join ','

    # etcdctl on a host against the whole cluster, with short deadlines; output and exit code.
    function Invoke-Etcdctl([string] $OnHost, [string[]] $Arguments) {
        $out = Invoke-VNetLabCommand $lab.Name $OnHost -Command etcdctl -ArgumentList (@("--endpoints=$eps", '--dial-timeout=1s', '--command-timeout=3s') + $Arguments) 2>&1
        [pscustomobject]@{ Code = $LASTEXITCODE; Text = ($out | ForEach-Object { "$_" }) -join "`n" }
    }
    # The same until it succeeds: after a member dies, the others take up to an election timeout
    # (500 ms) or a few to elect a new leader, and a request in between fails, as on real machines.
    function Wait-Etcdctl([string] $OnHost, [string[]] $Arguments, [int] $Seconds = 10) {
        $until = (Get-Date).AddSeconds($Seconds)
        do { $r = Invoke-Etcdctl $OnHost $Arguments } while ($r.Code -ne 0 -and (Get-Date) -lt $until -and -not (Start-Sleep -Milliseconds 200))
        $r
    }
    # Every process of this machine that lives in the host's PID namespace (init, etcd, agent, ...).
    function Get-HostProcessIds($h) {
        $ns = (Get-Item "/proc/$($h.ProcessId)/ns/pid").LinkTarget
        Get-ChildItem /proc -Directory | Where-Object Name -match '^\d+$' | Where-Object {
            try { (Get-Item "$($_.FullName)/ns/pid" -ErrorAction Stop).LinkTarget -eq $ns } catch { $false }
        } | ForEach-Object { [int]$_.Name }
    }
    function Test-Alive([int] $ProcessId) {
        $s = Get-Content "/proc/$ProcessId/status" -ErrorAction SilentlyContinue | Where-Object { $_ -like 'State:*' }
        [bool]$s -and $s -notmatch 'State:\s+[ZX]'
    }
}
AfterAll {
    if ($lab) { Stop-VNetLab $lab.Name }
}

Describe 'Lab with an etcd store (#11)' -Skip:$onVagrant {
    It 'runs a healthy three-member cluster, one member on each of the first three hosts' {
        $lab.Store.Members.HostName | Should -Be @('A', 'B', 'C')
        $lab.Store.Endpoints | Should -Be @('http://192.0.2.11:2379', 'http://192.0.2.12:2379', 'http://192.0.2.13:2379')
        $members = Invoke-Etcdctl A 'member', 'list'
        $members.Code | Should -Be 0
        ($members.Text -split "`n" | Where-Object { $_ -match ', started, ' }).Count | Should -Be 3
    }

    It 'is reachable over the underlay from every host' {
        foreach ($h in $lab.Hosts) {
            $r = Invoke-Etcdctl $h.Name 'endpoint', 'health'
            $r.Code | Should -Be 0 -Because "etcdctl endpoint health on $($h.Name) said: $($r.Text)"
            ([regex]::Matches($r.Text, 'is healthy')).Count | Should -Be 3
        }
    }

    It 'runs each member on its host, not on this machine' {
        foreach ($m in $lab.Store.Members) {
            $h = $lab.Hosts | Where-Object Name -eq $m.HostName
            $onHost = Invoke-VNetLabCommand $lab.Name $h.Name -Command cat -ArgumentList "/proc/$($m.ProcessId)/comm"
            $onHost | Should -Be 'etcd'
            # Its socket listens on the host's underlay address, in the host's network namespace.
            (Invoke-VNetLabCommand $lab.Name $h.Name -Command ss -ArgumentList '-Hltn', "src $($h.Address):2379") | Should -Not -BeNullOrEmpty
        }
        (ss -Hltn 'sport = :2379') | Should -BeNullOrEmpty
    }

    It 'gives each host its own store.json pointing at the cluster, none on this machine' {
        $settings = foreach ($h in $lab.Hosts) {
            $s = (Invoke-VNetLabCommand $lab.Name $h.Name -Command cat -ArgumentList /etc/vnet/store.json) -join "`n" | ConvertFrom-Json
            $s.HostName | Should -Be $h.Name
            $s.AdvertiseAddress | Should -Be $h.Address
            $s.Endpoints | Should -Be $lab.Store.Endpoints
            $s.HostId | Should -Match '^[0-9a-f]{16}$'
            $s.HostId | Should -Be $h.StoreHostId
            $s
        }
        ($settings.HostId | Sort-Object -Unique).Count | Should -Be 3
        Test-Path /etc/vnet/store.json | Should -BeFalse
    }

    It 'keeps VNet''s state per host: the same network and container names on each, an agent each' {
        foreach ($h in $lab.Hosts) {
            # The same subnet on every host: refused if the hosts shared one local store.
            $r = Invoke-VNetLabCommand $lab.Name $h.Name {
                New-ContainerNetwork n1 -Subnet 198.51.100.0/24 | Out-Null
                New-NetNamespace c1 | Out-Null
                Connect-ContainerNetwork n1 -Namespace c1 | Out-Null
                (Get-ContainerEndpoint -Network n1).Namespace
                Test-Path /etc/netns/c1/resolv.conf
                (Get-VNetAgent).State
                Test-Path /run/vnet/agent/agent.pid
            }
            $r | Should -Be @('c1', $true, 'Running', $true) -Because "on host $($h.Name)"
        }
        # ... and none of it here.
        Get-ContainerNetwork n1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path /etc/netns/c1 | Should -BeFalse
        Test-Path /var/lib/vnet/networks | Should -BeFalse
        (Get-VNetAgent).State | Should -Be 'Stopped'
        (Get-Content /proc/mounts) -match 'vnet-lab-host' | Should -BeNullOrEmpty
    }

    It 'keeps a quorum with one member killed, loses it with two, and comes back when they restart' {
        (Invoke-Etcdctl A 'put', 'lab/k1', 'v1').Code | Should -Be 0

        Stop-VNetLabStore $lab.Name -HostName B
        Test-Alive (Get-VNetLab $lab.Name).Hosts[1].ProcessId | Should -BeTrue   # the host runs on
        $r = Wait-Etcdctl A 'put', 'lab/k2', 'v2'
        $r.Code | Should -Be 0 -Because $r.Text
        (Invoke-Etcdctl C 'get', 'lab/k2', '--print-value-only').Text | Should -Be 'v2'

        Stop-VNetLabStore $lab.Name -HostName C
        $r = Invoke-Etcdctl A 'put', 'lab/k3', 'v3'
        $r.Code | Should -Not -Be 0
        (Invoke-Etcdctl A 'endpoint', 'health').Code | Should -Not -Be 0

        $started = Start-VNetLabStore $lab.Name -HostName B, C
        $started.HostName | Should -Be @('B', 'C')
        (Invoke-Etcdctl A 'endpoint', 'health').Code | Should -Be 0
        (Invoke-Etcdctl B 'get', 'lab/k2', '--print-value-only').Text | Should -Be 'v2'   # data kept
        (Invoke-Etcdctl B 'put', 'lab/k4', 'v4').Code | Should -Be 0
    }

    It 'names a missing lab, a host without a member and a program that is not there' {
        { Stop-VNetLabStore $lab.Name -HostName Z -ErrorAction Stop } | Should -Throw -ErrorId 'LabHostNotFound,*'
        { Start-VNetLabStore nolab -ErrorAction Stop } | Should -Throw -ErrorId 'LabNotFound,*'
        { Start-VNetLabProcess $lab.Name A no-such-program -ErrorAction Stop } | Should -Throw -ErrorId 'LabProcessFailed,*'
    }

    It 'runs a background process on a host, which dies with the host, as everything on it does' {
        $p = Start-VNetLabProcess $lab.Name C sleep 1000
        $p.ProcessId | Should -BeGreaterThan 1
        Test-Alive $p.OuterProcessId | Should -BeTrue
        (Invoke-VNetLabCommand $lab.Name C -Command cat -ArgumentList "/proc/$($p.ProcessId)/comm") | Should -Be 'sleep'
        $C = $lab.Hosts[2]
        $onC = @(Get-HostProcessIds $C)
        $onC | Should -Contain $p.OuterProcessId
        $onC.Count | Should -BeGreaterOrEqual 4   # init's loop, sleep, etcd, the agent

        Stop-VNetLab $lab.Name -HostName C

        $onC | Where-Object { Test-Alive $_ } | Should -BeNullOrEmpty
        $now = Get-VNetLab $lab.Name
        ($now.Hosts | Where-Object Name -eq C).Running | Should -BeFalse
        ($now.Hosts | Where-Object Name -eq A).Running | Should -BeTrue
        { Invoke-VNetLabCommand $lab.Name C -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'LabHostNotRunning,*'
        # Off the underlay, as a machine without power: A gets no answer from C's address.
        Invoke-VNetLabCommand $lab.Name A -Command ping -ArgumentList '-c', '1', '-W', '1', $C.Address | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        # Two members of three are left: the store still works.
        $r = Wait-Etcdctl A 'put', 'lab/k5', 'v5'
        $r.Code | Should -Be 0 -Because $r.Text
    }

    It 'leaves no process, namespace, mount or state when stopped' {
        $hosts = (Get-VNetLab $lab.Name).Hosts
        $anchors = $hosts.AnchorProcessId + $hosts.ProcessId
        Stop-VNetLab $lab.Name
        Get-VNetLab $lab.Name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $anchors | Where-Object { Test-Alive $_ } | Should -BeNullOrEmpty
        (ip netns list) -match 'vnetlab' | Should -BeNullOrEmpty
        (Get-Content /proc/mounts) -match 'vnet-lab-host|/run/vnet/lab/' | Should -BeNullOrEmpty
        Test-Path "/run/vnet/lab/$($lab.Name)" | Should -BeFalse
        @(Get-Process etcd, sleep, unshare, nsenter -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
        # So a second lab of the same name starts cleanly.
        $again = Start-VNetLab $labFile -Store none -Backend Emulated
        $again.Store | Should -BeNullOrEmpty
        Stop-VNetLab $again.Name
    }
}
