# S1 (seeds 002, 004): two namespaces, one veth cable, addresses, ping.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $ns1 = "$p-ns1"; $ns2 = "$p-ns2"
    New-NetNamespace $ns1, $ns2 | Out-Null
    $pair = New-VethPair -Name myveth1 -Namespace $ns1 -PeerName myveth2 -PeerNamespace $ns2
    New-NetIPAddress myveth1 198.51.100.1/24 -Namespace $ns1 | Out-Null
    New-NetIPAddress myveth2 198.51.100.2/24 -Namespace $ns2 | Out-Null
}
AfterAll {
    Remove-NetNamespace $ns1, $ns2 -ErrorAction SilentlyContinue
}

Describe 'S1: two namespaces, one cable' {
    It 'creates the pair with each end directly in its namespace' {
        $pair.Name | Should -Be 'myveth1'
        $pair.PeerName | Should -Be 'myveth2'
        $pair.PeerNamespace | Should -Be $ns2
        (ip -br link) -join "`n" | Should -Not -Match 'myveth'
        (ip -n $ns1 -br link) -join "`n" | Should -Match 'myveth1@if'
    }
    It 'pings across the cable both ways' {
        Test-Ping $ns1 198.51.100.2 | Should -BeTrue
        Test-Ping $ns2 198.51.100.1 | Should -BeTrue
    }
    It 'shows its namespaces to ip netns list' {
        $list = ip netns list
        ($list -join "`n") | Should -Match ([regex]::Escape($ns1))
        ($list -join "`n") | Should -Match ([regex]::Escape($ns2))
    }
    It 'sees a namespace made by ip netns add' {
        $theirs = "$p-ip"
        ip netns add $theirs
        try {
            $found = Get-NetNamespace $theirs
            $found.Name | Should -Be $theirs
            $found.Path | Should -Be "/run/netns/$theirs"
            (Get-NetLink -Namespace $theirs).Name | Should -Contain 'lo'
        } finally { ip netns delete $theirs }
    }
    It 'converts to JSON and back keeping what users query' {
        $j = Get-NetLink myveth1 -Namespace $ns1 | ConvertTo-Json | ConvertFrom-Json
        $j.Name | Should -Be 'myveth1'
        $j.Namespace | Should -Be $ns1
        $j.Index | Should -BeGreaterThan 0
        $j.Kind | Should -Be 'veth'
        $j.MacAddress | Should -Match '^([0-9a-f]{2}:){5}[0-9a-f]{2}$'
    }
}
