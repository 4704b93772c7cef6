# S3 (seeds 002, 004): a container behind a bridge reaches the outside only once masquerade is added,
# and the outside sees the host's uplink address.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $t = New-NatTopology (New-TestPrefix)
    $c1 = $t.Containers[0]
    $server = Start-EchoServer $t.Outside 7000 'outside'
}
AfterAll {
    if ($server) { Stop-Process -Id $server.Id -ErrorAction SilentlyContinue }
    Get-NatRule -Namespace $t.Host | Remove-NatRule
    Remove-NetNamespace $t.All -ErrorAction SilentlyContinue
}

Describe 'S3: reaching the outside' {
    It 'cannot reach the outside before masquerade' {
        Connect-Tcp $c1 203.0.113.2 7000 | Should -BeNullOrEmpty
    }
    It 'adds masquerade, says it turned forwarding on, and reaches the outside as the uplink address' {
        $rule = Add-NatRule -Masquerade -Source 198.51.100.0/24 -Namespace $t.Host -PassThru -WarningVariable warn -WarningAction SilentlyContinue
        $rule.Id | Should -Be 'masquerade-198.51.100.0/24'
        "$warn" | Should -Match 'ip_forward'
        Test-Ping $c1 203.0.113.2 | Should -BeTrue
        Connect-Tcp $c1 203.0.113.2 7000 | Should -Be 'outside-saw-203.0.113.1'
    }
    It 'shows the translation in conntrack' {
        $e = Get-NetConntrack -Namespace $t.Host -Destination 203.0.113.2 | Where-Object Protocol -eq 'tcp' | Select-Object -First 1
        $e.Source | Should -Be '198.51.100.10'
        $e.ReplyDestination | Should -Be '203.0.113.1'
        $e.SourceNat | Should -BeTrue
    }
    It 'shows the rule in the whole ruleset, readably' {
        (Get-NetFilterRule -Namespace $t.Host -Table vnet -Chain postrouting).Rule -join "`n" | Should -Match 'masquerade comment "vnet:masquerade-198.51.100.0/24"'
    }
    It 'is gone after Remove-NatRule, and so is VNet''s table' {
        Get-NatRule -Namespace $t.Host | Remove-NatRule
        Connect-Tcp $c1 203.0.113.2 7000 | Should -BeNullOrEmpty
        (Invoke-NetNamespace $t.Host -- nft list ruleset) -join "`n" | Should -Not -Match 'vnet'
    }
}
