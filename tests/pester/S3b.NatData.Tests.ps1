# Issue 13, items 5 and 8: VNet's rules are data, not nft text (a hostile interface name is a name),
# and a pipeline of publishes is one all-or-nothing change. Issue 10: IPv6 masquerade and publish.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $h = "$p-h"; $o = "$p-o"
    New-NetNamespace $h, $o | Out-Null
}
AfterAll {
    Remove-NetNamespace $h, $o -ErrorAction SilentlyContinue
}

Describe 'NAT rules as data' {
    It 'masquerades out of an interface whose name holds a double quote' {
        New-VethPair 'q"x' -Namespace $h -PeerName eth0 -PeerNamespace $o | Out-Null
        $r = Add-NatRule -Masquerade -Source 198.51.100.0/24 -OutInterface 'q"x' -Namespace $h -PassThru -WarningAction SilentlyContinue -ErrorAction Stop
        (Get-NatRule -Namespace $h | Where-Object Id -eq $r.Id).OutInterface | Should -Be 'q"x'
        (Invoke-NetNamespace $h -- nft list ruleset) -join "`n" | Should -Match ([regex]::Escape('oifname "q"x"'))
        (Get-NetFilterRule -Namespace $h -Table vnet -Chain postrouting).Rule -join "`n" | Should -Match ([regex]::Escape("vnet:$($r.Id)"))
        Remove-NatRule $r.Id -Namespace $h -Strict
        (Invoke-NetNamespace $h -- nft list ruleset) -join "`n" | Should -Not -Match 'vnet'
    }
}

Describe 'A pipeline of publishes' {
    It 'commits 200 publishes from the pipeline as one change' {
        $list = foreach ($i in 0..199) { [pscustomobject]@{ PublishPort = "$(20000 + $i)"; ToAddress = "198.51.100.$($i % 200 + 10)"; ToPort = '80'; Namespace = $h } }
        $rules = $list | Add-NatRule -PassThru -WarningAction SilentlyContinue -ErrorAction Stop
        @($rules).Count | Should -Be 200
        @(Get-NatRule -Namespace $h).Count | Should -Be 200
    }
    It 'adds nothing when one element of the pipeline is bad' {
        $before = Invoke-NetNamespace $h -- nft list ruleset
        $list = @(
            [pscustomobject]@{ PublishPort = '21000'; ToAddress = '198.51.100.10'; Namespace = $h }
            [pscustomobject]@{ PublishPort = '21001'; ToAddress = '198.51.100'; Namespace = $h }
        )
        { $list | Add-NatRule -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidIPAddress,*'
        $list[1].ToAddress = '198.51.100.11'; $list[1].PublishPort = '20005'
        { $list | Add-NatRule -ErrorAction Stop } | Should -Throw -ErrorId 'PublishExists,*'
        Invoke-NetNamespace $h -- nft list ruleset | Should -Be $before
        Get-NatRule -Namespace $h | Remove-NatRule
        (Invoke-NetNamespace $h -- nft list ruleset) -join "`n" | Should -Not -Match 'vnet'
    }
}

Describe 'IPv6 NAT' {
    It 'publishes a port to an IPv6 container and removes it' {
        $r = Add-NatRule -PublishPort 10080 -ToAddress 2001:db8:2::10 -ToPort 80 -Namespace $h -PassThru -WarningVariable w -WarningAction SilentlyContinue -ErrorAction Stop
        $r.Id | Should -Be 'publish6-tcp-10080'
        $w -join "`n" | Should -Match 'IPv6 forwarding'
        (Get-NetIPForwarding -Namespace $h -AddressFamily IPv6).Enabled | Should -BeTrue
        (Get-NatRule publish6-tcp-10080 -Namespace $h).ToAddress | Should -Be '2001:db8:2::10'
        Remove-NatRule publish6-tcp-10080 -Namespace $h -Strict
        (Invoke-NetNamespace $h -- nft list ruleset) -join "`n" | Should -Not -Match 'vnet'
    }
    It 'refuses to mix address families in one rule' {
        { Add-NatRule -Snat -Source 2001:db8:2::/64 -ToAddress 203.0.113.1 -Namespace $h -ErrorAction Stop } | Should -Throw -ErrorId 'NatFamilyMismatch,*'
    }
}
