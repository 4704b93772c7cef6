# Topology files and pictures (Export-/Import-NetTopology) and the live event stream
# (Watch-NetEvent, Get-NetConntrack -Watch), as a user runs them. Everything lives in this suite's
# own namespaces: the suites beside it add links to the sandbox's own namespace.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $t = New-NatTopology -Prefix $p
    $h = $t.Host
    $ns = $t.All
    Add-NatRule -Masquerade -Source 198.51.100.0/24 -Namespace $h | Out-Null
    Add-NatRule -PublishPort 10080 -ToAddress 198.51.100.10 -ToPort 80 -Namespace $h | Out-Null
    New-NetIPAddress eth0 2001:db8:5::10/64 -Namespace $t.Containers[0] | Out-Null
    $file = Join-Path ([IO.Path]::GetTempPath()) "$p-topology.yaml"
    $json = Join-Path ([IO.Path]::GetTempPath()) "$p-topology.json"
    function Export-Mine([string] $Format = 'Yaml') { Export-NetTopology -Namespace $ns -Format $Format }
}
AfterAll {
    Remove-NetNamespace $ns -ErrorAction SilentlyContinue
    Remove-Item $file, $json -ErrorAction SilentlyContinue
}

Describe 'Export-NetTopology' {
    It 'describes each cable once with both ends, and no kernel-made addresses or routes' {
        $doc = Export-Mine Json | ConvertFrom-Json
        @($doc.veths | Where-Object { $_.name -eq 'vc1' -or $_.peerName -eq 'vc1' }).Count | Should -Be 1
        $cable = $doc.veths | Where-Object { $_.peerName -eq 'vc1' }
        $cable.namespace | Should -Be "$p-c1"
        $cable.peerNamespace | Should -Be $h
        ($doc.bridges | Where-Object name -eq 'br0').ports | Should -Be @('vc1', 'vc2')
        ($doc.addresses | ForEach-Object address) | Should -Contain '2001:db8:5::10/64'
        ($doc.addresses | ForEach-Object address) | Should -Not -Match '^(fe80|127\.)'
        $doc.routes.destination | Should -Not -Contain '198.51.100.0/24'
        ($doc.nat | Where-Object kind -eq Publish).publishPort | Should -Be '10080'
    }
    It 'is the same text each time' {
        Export-Mine | Should -BeExactly (Export-Mine)
    }
    It 'draws namespaces, cables with both interface names, and addresses' {
        $dot = Export-Mine Dot
        $dot | Should -Match 'subgraph cluster_'
        $dot | Should -Match ([regex]::Escape("label=`"$p-c1"))
        $dot | Should -Match ([regex]::Escape('"eth0\n198.51.100.10/24'))
        $dot | Should -Match ([regex]::Escape('"vc1"'))
        Export-Mine Mermaid | Should -Match '===\|veth\|'
    }
    It 'renders SVG with Graphviz' -Skip:(-not (Get-Command dot -ErrorAction SilentlyContinue)) {
        $svg = Export-Mine Svg
        $svg | Should -Match '<svg'
        $svg | Should -Match '198\.51\.100\.11/24'
    }
}

Describe 'Import-NetTopology' {
    It '-WhatIf on a built topology plans nothing and -WhatIf -Remove changes nothing' {
        Export-NetTopology -Namespace $ns -Path $file
        Import-NetTopology $file | Should -BeNullOrEmpty
        Import-NetTopology $file -Remove -WhatIf
        Get-NetLink br0 -Namespace $h | Should -Not -BeNullOrEmpty
        Test-Ping "$p-c1" 198.51.100.11 | Should -BeTrue
    }
    It 'round trip: export, tear down, import, export again gives the same document' {
        $before = Export-Mine
        Export-NetTopology -Namespace $ns -Format Json -Path $json
        $removed = Import-NetTopology $file -Remove
        $removed.Action | Sort-Object -Unique | Should -Be 'Remove'
        foreach ($n in $ns) { Test-Path "/run/netns/$n" | Should -BeFalse }
        Get-NatRule -Namespace $h -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $made = Import-NetTopology $file
        $made.Action | Should -Not -Contain 'Differs'
        Export-Mine | Should -BeExactly $before
        Test-Ping "$p-c1" 198.51.100.11 | Should -BeTrue
        Test-Ping "$p-c1" 203.0.113.2 | Should -BeTrue   # through the masquerade rule, rebuilt
        Import-NetTopology $json | Should -BeNullOrEmpty   # a second run changes nothing
    }
    It '-Remove leaves what the file does not describe' {
        $extra = "$p-x"
        New-NetNamespace $extra | Out-Null
        New-NetBridge other0 -Namespace $h | Out-Null
        try {
            $only = Join-Path ([IO.Path]::GetTempPath()) "$p-only.yaml"
            Export-NetTopology -Namespace "$p-c2" -Path $only
            Import-NetTopology $only -Remove | Out-Null
            Test-Path "/run/netns/$p-c2" | Should -BeFalse
            Test-Path "/run/netns/$extra" | Should -BeTrue
            Get-NetLink other0 -Namespace $h | Should -Not -BeNullOrEmpty
            Get-NetLink br0 -Namespace $h | Should -Not -BeNullOrEmpty
            Test-Ping "$p-c1" 203.0.113.2 | Should -BeTrue
            Import-NetTopology $file | Where-Object Action -eq Create | Should -Not -BeNullOrEmpty   # c2 comes back
        }
        finally {
            Remove-NetNamespace $extra
            Remove-NetLink other0 -Namespace $h
            Remove-Item $only -ErrorAction SilentlyContinue
        }
        Export-Mine | Should -BeExactly (Get-Content -Raw $file)
    }
    It 'checks the whole file first and names the bad value and its place' {
        $bad = Join-Path ([IO.Path]::GetTempPath()) "$p-bad.yaml"
        (Get-Content -Raw $file) -replace '198\.51\.100\.11/24', '198.51.100.300/24' -replace '- name: br0', '- name: br0-with-a-long-name' |
            Set-Content $bad
        try {
            $err = $null
            Import-NetTopology $bad -Remove -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TopologyValueInvalid,*'
            $err[0].TargetObject | Should -Be 'br0-with-a-long-name'
            "$($err[0])" | Should -Match 'bridges\[0\]\.name'
            Get-NetLink br0 -Namespace $h | Should -Not -BeNullOrEmpty   # nothing was removed
            Set-Content $bad "version: 1`nbridges:`n- name: br0`n  colour: red`n"
            Import-NetTopology $bad -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TopologyInvalid,*'
            "$($err[0])" | Should -Match 'line 4'
        }
        finally { Remove-Item $bad -ErrorAction SilentlyContinue }
    }
    It 'reports a difference it cannot change in place, and changes what it can' {
        $diff = Join-Path ([IO.Path]::GetTempPath()) "$p-diff.yaml"
        Set-Content $diff @"
version: 1
bridges:
- name: vc1
  namespace: $h
- name: br0
  namespace: $h
  mtu: 1400
"@
        try {
            $r = Import-NetTopology $diff -WarningAction SilentlyContinue
            ($r | Where-Object Kind -eq Bridge).Action | Should -Be 'Differs'
            ($r | Where-Object Kind -eq Mtu).Action | Should -Be 'Change'
            (Get-NetLink br0 -Namespace $h).Mtu | Should -Be 1400
            (Get-NetLink vc1 -Namespace $h).Kind | Should -Be 'veth'
        }
        finally {
            Set-NetLink br0 -Mtu 1500 -Namespace $h | Out-Null
            Remove-Item $diff -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Watch-NetEvent' {
    It 'streams changes of several namespaces, each tagged with its namespace' {
        $c1 = "$p-c1"; $c2 = "$p-c2"
        # The changes come from another process while the watch runs.
        $job = Start-Process bash -PassThru -ArgumentList '-c', "`"sleep 1; ip -n $c1 link add wev0 type bridge; ip -n $c1 addr add 192.0.2.1/24 dev wev0; ip -n $c2 link add wev1 type bridge; ip -n $c1 link del wev0`""
        # The changes take a moment; the watch collects for a while longer than that.
        $events = Watch-NetEvent -Namespace $c1, $c2 -Kind Link, Address -TimeoutSec 8
        $job.WaitForExit()
        $events | Where-Object { $_.Namespace -eq $c1 -and $_.Kind -eq 'Link' -and $_.Action -eq 'Added' -and $_.InterfaceName -eq 'wev0' } | Should -Not -BeNullOrEmpty
        $events | Where-Object { $_.Namespace -eq $c1 -and $_.Kind -eq 'Address' -and $_.Address -eq '192.0.2.1/24' } | Should -Not -BeNullOrEmpty
        $events | Where-Object { $_.Namespace -eq $c2 -and $_.InterfaceName -eq 'wev1' -and $_.Action -eq 'Added' } | Should -Not -BeNullOrEmpty
        $events | Where-Object { $_.Namespace -eq $c1 -and $_.InterfaceName -eq 'wev0' -and $_.Action -eq 'Removed' } | Should -Not -BeNullOrEmpty
    }
    It 'ends at -Count' {
        $job = Start-Process bash -PassThru -ArgumentList '-c', "`"sleep 1; ip -n $h link add wev2 type bridge; ip -n $h link del wev2`""
        $e = @(Watch-NetEvent -Namespace $h -Kind Link -Count 1 -TimeoutSec 60)
        $job.WaitForExit()
        $e.Count | Should -Be 1
        $e[0].InterfaceName | Should -Be 'wev2'
    }
    It 'refuses an unknown kind' {
        { Watch-NetEvent -Kind Links -TimeoutSec 1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'Get-NetConntrack -Watch' {
    It 'shows a new connection through the masquerade rule' {
        $job = Start-Process bash -PassThru -ArgumentList '-c', "`"sleep 1; ip netns exec $p-c1 ping -c 1 -W 2 203.0.113.2 >/dev/null`""
        $e = Get-NetConntrack -Namespace $h -Watch -Destination 203.0.113.2 -Count 1 -TimeoutSec 20
        $job.WaitForExit()
        $e.Event | Should -Be 'New'
        $e.Source | Should -Be '198.51.100.10'
        $e.ReplyDestination | Should -Be '203.0.113.1'
    }
}
