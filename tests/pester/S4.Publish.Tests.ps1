# S4 (seed 004: docker run -p 10080:80): a server in a container answers on host:10080 from
# outside, from the host itself and from a neighbour on the same bridge; after removal, none does.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $t = New-NatTopology (New-TestPrefix) -Containers web, nb
    $web, $nb = $t.Containers
    $server = Start-EchoServer $web 80 'web'
    $rule = Add-NatRule -PublishPort 10080 -Protocol tcp -ToAddress 198.51.100.10 -ToPort 80 -Namespace $t.Host -PassThru -WarningAction SilentlyContinue
}
AfterAll {
    if ($server) { Stop-Process -Id $server.Id -ErrorAction SilentlyContinue }
    Remove-NatRule publish-tcp-10080 -Namespace $t.Host
    Remove-NetNamespace $t.All -ErrorAction SilentlyContinue
}

Describe 'S4: publishing a port' {
    It 'has an identity that ties it to the ruleset' {
        $rule.Id | Should -Be 'publish-tcp-10080'
        (Invoke-NetNamespace $t.Host -- nft list ruleset) -join "`n" | Should -Match 'comment "vnet:publish-tcp-10080"'
    }
    It 'answers from outside' { Connect-Tcp $t.Outside 203.0.113.1 10080 | Should -Be 'web-saw-203.0.113.2' }
    It 'answers from the host itself' { Connect-Tcp $t.Host 203.0.113.1 10080 | Should -BeLike 'web-saw-*' }
    It 'answers a neighbour on the same bridge (hairpin)' { Connect-Tcp $nb 203.0.113.1 10080 | Should -Be 'web-saw-198.51.100.1' }
    It 'counts the packets' { (Get-NatRule publish-tcp-10080 -Namespace $t.Host).Packets | Should -BeGreaterOrEqual 3 }
    It 'refuses a colliding publish and a bad port, leaving the ruleset as it was' {
        $before = Invoke-NetNamespace $t.Host -- nft list ruleset
        { Add-NatRule -PublishPort 10080 -ToAddress 198.51.100.11 -Namespace $t.Host -ErrorAction Stop } | Should -Throw -ErrorId 'PublishExists,*'
        { Add-NatRule -PublishPort 70000 -ToAddress 198.51.100.11 -Namespace $t.Host -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPort,*'
        { Add-NatRule -PublishPort 90-80 -ToAddress 198.51.100.11 -Namespace $t.Host -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPortRange,*'
        Invoke-NetNamespace $t.Host -- nft list ruleset | Should -Be $before
    }
    It 'answers nowhere after Remove-NatRule' {
        Get-NatRule publish-tcp-10080 -Namespace $t.Host | Remove-NatRule
        Connect-Tcp $t.Outside 203.0.113.1 10080 | Should -BeNullOrEmpty
        Connect-Tcp $t.Host 203.0.113.1 10080 | Should -BeNullOrEmpty
        Connect-Tcp $nb 203.0.113.1 10080 | Should -BeNullOrEmpty
        (Invoke-NetNamespace $t.Host -- nft list ruleset) -join "`n" | Should -Not -Match '10080'
    }
}
