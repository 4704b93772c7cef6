# S8 (seeds 003, 004): two hosts, one subnet over VXLAN. Runs against the backend chosen by
# $env:VNET_LAB_BACKEND: emulated (default: hosts are namespaces on this machine) or vagrant (the
# two VMs of the Vagrantfile). Everything on a host goes through Invoke-VNetLabCommand, the same
# way for both.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $backend = if ($env:VNET_LAB_BACKEND -eq 'vagrant') { 'Vagrant' } else { 'Emulated' }
    $labFile = Join-Path $PSScriptRoot '..' '..' 'lab' 'two-host.json'
    $lab = Start-VNetLab $labFile -Backend $backend
    $A = $lab.Hosts[0]; $B = $lab.Hosts[1]
    $ip = @{ $A.Name = '198.51.100.2'; $B.Name = '198.51.100.3' }
    foreach ($h in $A, $B) {
        $peer = ($lab.Hosts | Where-Object Name -ne $h.Name).Address
        Invoke-VNetLabCommand $lab.Name $h.Name {
            param($addr, $device, $peer)
            New-NetBridge br0 | Out-Null
            New-NetNamespace c1 | Out-Null
            New-VethPair veth-c1 -PeerName eth0 -PeerNamespace c1 | Out-Null
            Add-BridgePort br0 veth-c1
            New-NetIPAddress eth0 "$addr/24" -Namespace c1 | Out-Null
            New-VxlanTunnel vxlan0 -Vni 77 -Device $device -Bridge br0 | Out-Null
            Add-VxlanPeer vxlan0 $peer | Out-Null
        } -ArgumentList $ip[$h.Name], $h.Device, $peer | Out-Null
    }
    function Test-LabPing($hostName, $target, [string[]] $extra = @()) {
        $r = Invoke-VNetLabCommand $lab.Name $hostName {
            param($t, $x) Invoke-NetNamespace c1 -Command ping -ArgumentList (@('-c', '1', '-W', '2') + @($x -split ' ' | Where-Object { $_ }) + $t) | Out-Null; $LASTEXITCODE
        } -ArgumentList $target, ($extra -join ' ')
        [int]@($r)[-1] -eq 0
    }
}
AfterAll {
    if ($lab) { Stop-VNetLab $lab.Name }
}

Describe "S8: two hosts, one subnet over VXLAN ($env:VNET_LAB_BACKEND)" {
    It 'containers on A and B ping each other' {
        Test-LabPing $A.Name $ip[$B.Name] | Should -BeTrue
        Test-LabPing $B.Name $ip[$A.Name] | Should -BeTrue
    }
    It 'uses VNI 77 on the IANA port with the underlay MTU minus 50' {
        $t = Invoke-VNetLabCommand $lab.Name $A.Name { Get-VxlanTunnel vxlan0 }
        $t.Vni | Should -Be 77
        $t.Port | Should -Be 4789
        $t.Mtu | Should -Be 1450
        (Invoke-VNetLabCommand $lab.Name $A.Name { Get-NetLink eth0 -Namespace c1 }).Mtu | Should -Be 1450
    }
    It 'carries a full 1450-byte packet unfragmented' {
        Test-LabPing $A.Name $ip[$B.Name] '-M', 'do', '-s', '1422' | Should -BeTrue
    }
    It 'refuses a bigger one at the sender instead of losing it' {
        Test-LabPing $A.Name $ip[$B.Name] '-M', 'do', '-s', '1423' | Should -BeFalse
    }
    It 'shows the remote container''s MAC behind the tunnel with B''s VTEP' {
        $macB = (Invoke-VNetLabCommand $lab.Name $B.Name { Get-NetLink eth0 -Namespace c1 }).MacAddress
        $fdb = Invoke-VNetLabCommand $lab.Name $A.Name { Get-BridgeFdb br0 }
        $entry = $fdb | Where-Object { $_.MacAddress -eq $macB -and $_.Flags -contains 'master' }
        $entry.InterfaceName | Should -Be 'vxlan0'
        $entry.RemoteVtep | Should -Be $B.Address
    }
    It 'container names repeat across hosts' {
        (Invoke-VNetLabCommand $lab.Name $A.Name -Command ip netns list) -join ' ' | Should -Match 'c1'
        (Invoke-VNetLabCommand $lab.Name $B.Name -Command ip netns list) -join ' ' | Should -Match 'c1'
    }
    It 'stops the traffic when the hosts are removed as each other''s peers, and resumes when added back' {
        # Both ends: with learning on, a host still peered with A would teach A its MACs again.
        Invoke-VNetLabCommand $lab.Name $A.Name { param($p) Remove-VxlanPeer vxlan0 $p } -ArgumentList $B.Address
        Invoke-VNetLabCommand $lab.Name $B.Name { param($p) Remove-VxlanPeer vxlan0 $p } -ArgumentList $A.Address
        # Until B's removal, B could still flood to A and A learn B's MACs again: remove on A once more
        # now that nothing can reach it (a second removal of what is gone is not an error).
        Invoke-VNetLabCommand $lab.Name $A.Name { param($p) Remove-VxlanPeer vxlan0 $p } -ArgumentList $B.Address
        (Invoke-VNetLabCommand $lab.Name $A.Name { Get-VxlanPeer vxlan0 }).Remote | Should -Not -Contain $B.Address
        Test-LabPing $A.Name $ip[$B.Name] | Should -BeFalse
        (Invoke-VNetLabCommand $lab.Name $A.Name { Get-VxlanTunnel vxlan0 }).Vni | Should -Be 77   # the tunnel stayed
        Invoke-VNetLabCommand $lab.Name $A.Name { param($p) Add-VxlanPeer vxlan0 $p | Out-Null } -ArgumentList $B.Address
        Invoke-VNetLabCommand $lab.Name $B.Name { param($p) Add-VxlanPeer vxlan0 $p | Out-Null } -ArgumentList $A.Address
        Test-LabPing $A.Name $ip[$B.Name] | Should -BeTrue
    }
    It 'runs the single-host scenario S1 on host A too' {
        $ok = Invoke-VNetLabCommand $lab.Name $A.Name {
            New-NetNamespace s1a, s1b | Out-Null
            New-VethPair v1 -Namespace s1a -PeerName v2 -PeerNamespace s1b | Out-Null
            New-NetIPAddress v1 203.0.113.1/24 -Namespace s1a | Out-Null
            New-NetIPAddress v2 203.0.113.2/24 -Namespace s1b | Out-Null
            Invoke-NetNamespace s1a -- ping -c 1 -W 2 203.0.113.2 | Out-Null
            $LASTEXITCODE -eq 0
            Remove-NetNamespace s1a, s1b
        }
        $ok | Should -BeTrue
    }
    It 'gives clear errors for bad tunnel input' -ForEach @(
        @{ Params = '-Vni 0'; Id = 'InvalidVni' }
        @{ Params = '-Vni 16777216'; Id = 'InvalidVni' }
        @{ Params = '-Vni 78 -Port 65536'; Id = 'InvalidPort' }
        @{ Params = '-Vni 78 -Remote 192.0.2'; Id = 'InvalidIPAddress' }
        @{ Params = '-Vni 78 -Group 192.0.2.12 -Device eth1'; Id = 'GroupNotMulticast' }
        @{ Params = '-Vni 78 -Device enp9s9'; Id = 'UnderlayNotFound' }
        @{ Params = '-Vni 78 -Device eth1 -Bridge nobr'; Id = 'BridgeNotFound' }) {
        $ids = Invoke-VNetLabCommand $lab.Name $A.Name {
            param($p) try { Invoke-Expression "New-VxlanTunnel vxbad $p -ErrorAction Stop" } catch { $_.FullyQualifiedErrorId }
            (Get-NetLink vxbad -ErrorAction SilentlyContinue).Count
        } -ArgumentList $Params
        $ids[0] | Should -BeLike "$Id,*"
        $ids[1] | Should -Be 0
    }
}
