# S6 (seeds 002, 003): which veth is whose? `veth1b2c3@if5` answered in one call.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $web = "$p-web"; $db = "$p-db"
    New-NetNamespace $web, $db | Out-Null
    New-VethPair "$p-w" -PeerName eth0 -PeerNamespace $web | Out-Null
    New-VethPair "$p-d" -PeerName eth0 -PeerNamespace $db | Out-Null
    # A "container process" living in the web namespace.
    $job = Start-Job { param($ns, $root) Import-Module (Join-Path $root 'VNet.psd1'); Invoke-NetNamespace $ns -- sleep 60 } -ArgumentList $web, (Resolve-Path "$PSScriptRoot/../..").Path
    $sleeper = $null
    foreach ($i in 1..50) {
        $sleeper = (Get-NetNamespace $web).Processes | Where-Object Command -eq 'sleep' | Select-Object -First 1
        if ($sleeper) { break }
        Start-Sleep -Milliseconds 100
    }
}
AfterAll {
    $job | Stop-Job -PassThru | Remove-Job -Force -ErrorAction SilentlyContinue
    if ($sleeper) { Stop-Process -Id $sleeper.ProcessId -ErrorAction SilentlyContinue }
    Remove-NetLink "$p-w", "$p-d" -ErrorAction SilentlyContinue
    Remove-NetNamespace $web, $db -ErrorAction SilentlyContinue
}

Describe 'S6: veth peers across namespaces' {
    It 'resolves every host veth to its peer, namespace and processes' {
        $pairs = Get-VethPair
        $w = $pairs | Where-Object Name -eq "$p-w"
        $w.PeerName | Should -Be 'eth0'
        $w.PeerNamespace | Should -Be $web
        $w.PeerIndex | Should -Be (Get-NetLink eth0 -Namespace $web).Index
        $w.PeerProcesses.ProcessId | Should -Contain $sleeper.ProcessId
        ($pairs | Where-Object Name -eq "$p-d").PeerNamespace | Should -Be $db
    }
    It 'resolves from inside a namespace back to the host' {
        $inside = Get-VethPair -Namespace $web
        $inside.Name | Should -Be 'eth0'
        $inside.PeerName | Should -Be "$p-w"
        $inside.PeerResolved | Should -BeTrue
        $inside.PeerNamespace | Should -BeNullOrEmpty   # the caller's own namespace
    }
    It 'resolves by process id, as for a container''s main process' {
        $byPid = Get-VethPair -ProcessId $sleeper.ProcessId
        $byPid.PeerName | Should -Be "$p-w"
    }
    It 'agrees with ip: the container end is eth0@ifN with N the host end''s index' {
        $hostIndex = (Get-NetLink "$p-w").Index
        (ip -n $web -br link) -join "`n" | Should -Match "eth0@if$hostIndex\b"
    }
}
