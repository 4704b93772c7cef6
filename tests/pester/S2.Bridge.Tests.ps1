# S2 (seeds 003, 004): a bridge as a switch; the forwarding database learns the containers' MACs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $br = "$p-br"; $c1 = "$p-c1"; $c2 = "$p-c2"
    New-NetBridge $br | Out-Null
    New-NetIPAddress $br 198.51.100.1/24 | Out-Null
    $i = 10
    foreach ($c in $c1, $c2) {
        New-NetNamespace $c | Out-Null
        # Keep the containers silent until the test pings: no IPv6 neighbour/router solicitations
        # that would teach the bridge their MACs early.
        Invoke-NetNamespace $c -- sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
        if ($c -eq $c1) {
            New-VethPair "v$c" -PeerName eth0 -PeerNamespace $c | Out-Null
            Add-BridgePort $br "v$c"
        } else {
            # The other way: plugged in as it is made (ip link add ... master BR).
            New-VethPair "v$c" -PeerName eth0 -PeerNamespace $c -Bridge $br | Out-Null
        }
        New-NetIPAddress eth0 "198.51.100.$i/24" -Namespace $c | Out-Null
        New-NetRoute default -Gateway 198.51.100.1 -Namespace $c | Out-Null
        $i++
    }
    $mac2 = (Get-NetLink eth0 -Namespace $c2).MacAddress
}
AfterAll {
    Remove-NetLink $br, "v$c1", "v$c2" -ErrorAction SilentlyContinue
    Remove-NetNamespace $c1, $c2 -ErrorAction SilentlyContinue
}

Describe 'S2: a bridge as a switch' {
    It 'lists both ports' {
        $ports = Get-BridgePort $br
        $ports.Count | Should -Be 2
        $ports.Name | Should -Contain "v$c1"
        $ports.Name | Should -Contain "v$c2"
        $ports | ForEach-Object { $_.Bridge | Should -Be $br }
    }
    It 'has not learned c2''s MAC before c2 sends anything' {
        (Get-BridgeFdb $br -Learned).MacAddress | Should -Not -Contain $mac2
    }
    It 'switches c1 to c2 and reaches the bridge address' {
        Test-Ping $c1 198.51.100.11 | Should -BeTrue
        Test-Ping $c1 198.51.100.1 | Should -BeTrue
    }
    It 'has learned c2''s MAC behind c2''s port after the ping' {
        $entry = Get-BridgeFdb $br -Learned | Where-Object MacAddress -eq $mac2
        $entry | Should -Not -BeNullOrEmpty
        $entry.InterfaceName | Should -Be "v$c2"
        (bridge fdb show br $br) -join "`n" | Should -Match $mac2
    }
    It 'stops switching c2 once its port is removed' {
        Remove-BridgePort "v$c2"
        (Get-BridgePort $br).Count | Should -Be 1
        Test-Ping $c1 198.51.100.11 | Should -BeFalse
        Add-BridgePort $br "v$c2"
        Test-Ping $c1 198.51.100.11 | Should -BeTrue
    }
}
