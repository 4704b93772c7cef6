# S5 (seed 004: DOCKER-ISOLATION-STAGE-1/2): isolated bridges do not talk to each other, but each
# reaches the outside and containers on one bridge talk; also under Docker's FORWARD DROP, whose
# rules VNet leaves exactly as they were.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $h = "$p-h"; $o = "$p-o"
    New-NetNamespace $h, $o | Out-Null
    New-VethPair up0 -Namespace $h -PeerName eth0 -PeerNamespace $o | Out-Null
    New-NetIPAddress up0 192.0.2.1/24 -Namespace $h | Out-Null
    New-NetIPAddress eth0 192.0.2.2/24 -Namespace $o | Out-Null
    # Docker's rules, as iptables-restore would leave them on a Docker host.
    @'
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
'@ | nsenter "--net=/run/netns/$h" iptables-restore
    function Save { (nsenter "--net=/run/netns/$h" iptables-save) -notmatch '^#' -replace '\[\d+:\d+\]', '' }
    $dockerBefore = Save
    $a = @(Add-NatBridge -Prefix $p -HostNs $h -Bridge br-a -Net 198.51.100 -Containers a1, a2)
    $b = @(Add-NatBridge -Prefix $p -HostNs $h -Bridge br-b -Net 203.0.113 -Containers b1)
    Set-NetBridge br-a -Isolated $true -Namespace $h -Verbose 4>&1 | Out-String | Set-Variable verboseA
    Set-NetBridge br-b -Isolated $true -Namespace $h
    $rules = @(
        Add-NatRule -Masquerade -Source 198.51.100.0/24 -Namespace $h -PassThru -WarningAction SilentlyContinue
        Add-NatRule -Masquerade -Source 203.0.113.0/24 -Namespace $h -PassThru -WarningAction SilentlyContinue)
}
AfterAll {
    Remove-NetNamespace (@($h, $o) + $a + $b) -ErrorAction SilentlyContinue
}

Describe 'S5: isolation between networks, under Docker''s FORWARD DROP' {
    It 'says where it accepted its bridges'' traffic' { $verboseA | Should -Match 'DOCKER-USER' }
    It 'lets each bridge switch between its own ports, as Docker lets docker0' {
        $userRules = nsenter "--net=/run/netns/$h" iptables -S DOCKER-USER
        ($userRules -join "`n") | Should -Match '-i br-a -o br-a .*vnet:switch:br-a'
    }
    It 'lets containers on one bridge talk' { Test-Ping $a[0] 198.51.100.11 | Should -BeTrue }
    It 'lets both bridges reach the outside' {
        Test-Ping $a[0] 192.0.2.2 | Should -BeTrue
        Test-Ping $b[0] 192.0.2.2 | Should -BeTrue
    }
    It 'keeps the bridges apart' {
        Test-Ping $a[0] 203.0.113.10 | Should -BeFalse
        Test-Ping $b[0] 198.51.100.10 | Should -BeFalse
    }
    It 'never sets a global FORWARD ACCEPT' {
        (nsenter "--net=/run/netns/$h" iptables -S FORWARD)[0] | Should -Be '-P FORWARD DROP'
    }
    It 'leaves Docker''s rules exactly as they were once VNet removes its own' {
        $rules | Remove-NatRule
        Set-NetBridge br-a, br-b -Isolated $false -Namespace $h
        Remove-NetLink br-a, br-b -Namespace $h
        Save | Should -Be $dockerBefore
        (Invoke-NetNamespace $h -- nft list ruleset 2>$null) -join "`n" | Should -Not -Match 'table inet vnet'
    }
}
