# Bad input: a clear ErrorRecord (stable ErrorId, category, the value named) and nothing half-made.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $n = "$p-err"
    New-NetNamespace $n | Out-Null
    function Get-VNetError([scriptblock] $Action) {
        $ErrorActionPreference = 'Stop'   # makes the cmdlet's error record terminating, to catch it
        try { & $Action; $null } catch { $_ }
    }
}
AfterAll { Remove-NetNamespace $n -ErrorAction SilentlyContinue }

Describe 'Bad input' {
    It 'refuses an interface name over 15 bytes, naming it' {
        $e = Get-VNetError { New-VethPair 'veth1234567890ab' -PeerName x -Namespace $n -PeerNamespace $n }
        $e.FullyQualifiedErrorId | Should -BeLike 'LinkNameTooLong,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'veth1234567890ab'
        $e.TargetObject | Should -Be 'veth1234567890ab'
    }
    It 'refuses names with <bad>' -ForEach @(@{ bad = 'a/b' }, @{ bad = 'a b' }, @{ bad = '..' }) {
        (Get-VNetError { New-NetBridge $bad -Namespace $n }).FullyQualifiedErrorId | Should -BeLike 'InvalidLinkName,*'
        (Get-VNetError { New-NetNamespace $bad }).FullyQualifiedErrorId | Should -BeLike 'InvalidNamespaceName,*'
    }
    It 'refuses bad CIDRs: <cidr>' -ForEach @(
        @{ cidr = '198.51.100.1/33'; id = 'InvalidPrefixLength' }
        @{ cidr = '198.51.100/24'; id = 'InvalidCidr' }
        @{ cidr = 'nonsense'; id = 'InvalidCidr' }) {
        $e = Get-VNetError { New-NetIPAddress lo $cidr -Namespace $n }
        $e.FullyQualifiedErrorId | Should -BeLike "$id,*"
        $e.Exception.Message | Should -Match ([regex]::Escape($cidr))
    }
    It 'names a missing namespace and a missing link' {
        $e = Get-VNetError { Get-NetLink -Namespace "$p-absent" }
        $e.FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound,*'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-VNetError { Set-NetLink nosuch0 -Up -Namespace $n }).FullyQualifiedErrorId | Should -BeLike 'LinkNotFound,*'
    }
    It 'says which name is taken' {
        New-NetBridge taken0 -Namespace $n | Out-Null
        $e = Get-VNetError { New-VethPair x0 -Namespace $n -PeerName taken0 -PeerNamespace $n }
        $e.FullyQualifiedErrorId | Should -BeLike 'LinkExists,*'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.TargetObject | Should -Be 'taken0'
        (Get-NetLink -Namespace $n).Name | Should -Not -Contain 'x0'
        (Get-VNetError { New-NetNamespace $n }).FullyQualifiedErrorId | Should -BeLike 'NamespaceExists,*'
    }
    It 'refuses an MTU out of range' {
        $e = Get-VNetError { Set-NetLink lo -Mtu 20 -Namespace $n }
        $e.FullyQualifiedErrorId | Should -BeLike 'InvalidMtu,*'
        $e.Exception.Message | Should -Match '\b20\b'
    }
    It 'leaves no veth behind when the peer namespace does not exist' {
        $before = ip -br link
        $e = Get-VNetError { New-VethPair host7 -PeerName eth0 -PeerNamespace "$p-nowhere" }
        $e.FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound,*'
        ip -br link | Should -Be $before
    }
    It 'is quiet removing what is gone, and strict when asked' {
        { Remove-NetLink gone0 -Namespace $n -ErrorAction Stop } | Should -Not -Throw
        { Remove-NetNamespace "$p-never" -ErrorAction Stop } | Should -Not -Throw
        (Get-VNetError { Remove-NetLink gone0 -Namespace $n -Strict }).FullyQualifiedErrorId | Should -BeLike 'LinkNotFound,*'
        (Get-VNetError { Remove-NetNamespace "$p-never" -Strict }).FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound,*'
    }
    It 'says PermissionDenied and what is needed without CAP_NET_ADMIN' {
        $pwsh = (Get-Process -Id $PID).Path
        $manifest = Join-Path $PSScriptRoot '..' '..' 'VNet.psd1'
        $out = setpriv --inh-caps=-all --bounding-set=-all $pwsh -NoProfile -Command "Import-Module '$manifest'; try { New-NetBridge nocap0 -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }" 2>&1
        ($out -join "`n") | Should -Match 'PermissionDenied'
        ($out -join "`n") | Should -Match 'CAP_NET_ADMIN'
        (Get-NetLink).Name | Should -Not -Contain 'nocap0'
    }
}
