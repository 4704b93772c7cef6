# S9 (seed 004: iptables -t raw -j TRACE): follow one ping from a container to the outside.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $t = New-NatTopology (New-TestPrefix) -Containers tr
    $rule = Add-NatRule -Masquerade -Source 198.51.100.0/24 -Namespace $t.Host -PassThru -WarningAction SilentlyContinue
    $steps = Trace-NetPacket -Namespace $t.Host -Protocol icmp -Source 198.51.100.10 -Destination 203.0.113.2 -SendFrom $t.Containers[0]
}
AfterAll {
    $rule | Remove-NatRule
    Remove-NetNamespace $t.All -ErrorAction SilentlyContinue
}

Describe 'S9: following a packet' {
    It 'lists the steps in order' {
        $steps.Count | Should -BeGreaterThan 0
        $steps.Step | Should -Be (1..$steps.Count)
    }
    It 'shows the forward chain''s verdict and then VNet''s masquerade rule' {
        $fwd = [array]::FindIndex([object[]]$steps, [Predicate[object]] { param($s) $s.Chain -eq 'forward' -and $s.Verdict -like 'accept*' })
        $post = [array]::FindIndex([object[]]$steps, [Predicate[object]] { param($s) $s.Chain -eq 'postrouting' -and $s.Rule -like '*vnet:masquerade*' })
        $fwd | Should -BeGreaterOrEqual 0
        $post | Should -BeGreaterThan $fwd
    }
    It 'removes its trace rule afterwards' {
        (Invoke-NetNamespace $t.Host -- nft list ruleset) -join "`n" | Should -Not -Match 'vnet-trace'
    }
}
