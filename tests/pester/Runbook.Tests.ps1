# A runbook as users write one: two isolated bridge networks of three containers each, built from
# the primitives, with masquerade and one published port. It must run twice without teardown (-Force
# everywhere) with 0 errors, work, and then come down by the topology file it exports
# (Import-NetTopology -Remove), leaving nothing behind.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $h = "$p-h"; $o = "$p-o"
    # The "host" the runbook builds on, with an uplink to an "outside" namespace.
    New-NetNamespace $h, $o | Out-Null
    New-VethPair up0 -Namespace $h -PeerName eth0 -PeerNamespace $o | Out-Null
    New-NetIPAddress up0 192.0.2.1/24 -Namespace $h | Out-Null
    New-NetIPAddress eth0 192.0.2.2/24 -Namespace $o | Out-Null

    $runbook = {
        param([string] $Prefix, [string] $HostNs)
        $nets = @(
            @{ Bridge = 'br-blue'; Net = '198.51.100'; Tag = 'b' }
            @{ Bridge = 'br-green'; Net = '203.0.113'; Tag = 'g' }
        )
        foreach ($n in $nets) {
            New-NetBridge $n.Bridge -Namespace $HostNs -Isolated -Force | Out-Null
            New-NetIPAddress $n.Bridge "$($n.Net).1/24" -Namespace $HostNs -Force | Out-Null
            Add-NatRule -Masquerade -Source "$($n.Net).0/24" -Namespace $HostNs -Force -WarningAction SilentlyContinue
            foreach ($i in 1..3) {
                $c = "$Prefix-$($n.Tag)$i"
                New-NetNamespace $c -Force | Out-Null
                New-VethPair "v$($n.Tag)$i" -Namespace $HostNs -PeerName eth0 -PeerNamespace $c -Bridge $n.Bridge -Force | Out-Null
                New-NetIPAddress eth0 "$($n.Net).1$i/24" -Namespace $c -Force | Out-Null
                New-NetRoute default -Gateway "$($n.Net).1" -Namespace $c -Force | Out-Null
            }
        }
        # docker run -p 10080:80 for the first blue container.
        Add-NatRule -PublishPort 10080 -ToAddress 198.51.100.11 -ToPort 80 -Namespace $HostNs -Force -WarningAction SilentlyContinue
    }
    $containers = foreach ($t in 'b', 'g') { foreach ($i in 1..3) { "$p-$t$i" } }

    $Error.Clear()
    & $runbook $p $h
    $firstErrors = @($Error)
    $linksAfterFirst = (Get-NetLink -Namespace $h).Name
    $rulesAfterFirst = (Get-NatRule -Namespace $h).Id
    $Error.Clear()
    & $runbook $p $h
    $secondErrors = @($Error)
    # A web server in the first blue container, for the published port.
    $server = Start-NetNamespaceProcess "$p-b1" socat -ArgumentList 'TCP-LISTEN:80,fork,reuseaddr', 'SYSTEM:echo blue-1'
    foreach ($i in 1..50) { if ((Invoke-NetNamespace "$p-b1" -- ss -ltn) -match ':80 ') { break }; Start-Sleep -Milliseconds 50 }
}
AfterAll {
    Remove-NetNamespace (@($h, $o) + $containers) -Force -ErrorAction SilentlyContinue
}

Describe 'A runbook run twice, then torn down' {
    It 'runs with 0 errors, the first time and again without teardown' {
        $firstErrors | Should -HaveCount 0
        $secondErrors | Should -HaveCount 0
    }
    It 'changed nothing the second time' {
        (Get-NetLink -Namespace $h).Name | Should -Be $linksAfterFirst
        (Get-NatRule -Namespace $h).Id | Should -Be $rulesAfterFirst
        (Get-NetIPAddress eth0 -Namespace "$p-b1" -AddressFamily IPv4).Cidr | Should -Be '198.51.100.11/24'
    }
    It 'lets the containers of one network talk' {
        Test-Ping "$p-b1" 198.51.100.13 | Should -BeTrue
        Test-Ping "$p-g2" 203.0.113.11 | Should -BeTrue
    }
    It 'keeps the two networks apart' {
        Test-Ping "$p-b1" 203.0.113.11 | Should -BeFalse
    }
    It 'lets both networks reach the outside through masquerade' {
        Test-Ping "$p-b2" 192.0.2.2 | Should -BeTrue
        Test-Ping "$p-g3" 192.0.2.2 | Should -BeTrue
    }
    It 'publishes the port to the outside' {
        Connect-Tcp $o 192.0.2.1 10080 | Should -Be 'blue-1'
    }
    It 'shows the whole wiring, each cable once with both ends' {
        $cables = @(Get-VethPair -AllNamespaces | Where-Object { $_.Namespace -eq $h })
        $cables.Count | Should -Be 7   # six containers and the uplink
        ($cables | Where-Object Name -eq 'vb1').PeerNamespace | Should -Be "$p-b1"
    }
    It 'is written to a topology file, and comes down by that file leaving nothing' {
        $file = Join-Path ([IO.Path]::GetTempPath()) "$p-runbook.yaml"
        Export-NetTopology -Namespace (@($h, $o) + $containers) -Path $file
        $doc = Get-Content -Raw $file
        $doc | Should -Match 'br-blue'
        $doc | Should -Match 'publish'
        $server.Kill(); $server.WaitForExit(5000) | Should -BeTrue
        Import-NetTopology -Path $file -Remove -WarningAction Stop | Out-Null
        Get-NetNamespace "$p-*" | Where-Object Name | Should -BeNullOrEmpty
        Remove-Item $file
    }
}
