# S7 (seeds 000, 001): Docker's namespaces are invisible to `ip netns list`; VNet finds them, names
# them, and runs commands inside any namespace.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $n = "$p-box"
    New-NetNamespace $n | Out-Null
    New-NetBridge br0 -Namespace $n | Out-Null
    # What Docker does: a bind mount of the container's namespace under /run/docker/netns.
    New-Item -ItemType Directory -Force /run/docker/netns | Out-Null
    $dockerFile = "/run/docker/netns/${p}0123abcd"
    New-Item -ItemType File -Force $dockerFile | Out-Null
    mount --bind "/run/netns/$n" $dockerFile
}
AfterAll {
    umount $dockerFile 2>$null
    Remove-Item $dockerFile -ErrorAction SilentlyContinue
    Remove-NetNamespace $n, "$p-named" -ErrorAction SilentlyContinue
}

Describe 'S7: every namespace, named or not' {
    It 'lists named namespaces like ip netns list' {
        (Get-NetNamespace -Named).Name | Should -Contain $n
    }
    It 'finds Docker''s namespace and says it is Docker''s' {
        $ns = Get-NetNamespace | Where-Object DockerPath -eq $dockerFile
        $ns | Should -Not -BeNullOrEmpty
        $ns[0].Source | Should -Match 'Docker'
    }
    It 'finds the namespace of a process, and marks the current one' {
        $mine = Get-NetNamespace -ProcessId $PID
        $mine.IsCurrent | Should -BeTrue
        $mine.ProcessIds | Should -Contain $PID
    }
    It 'pipes a namespace into Get-NetLink and Invoke-NetNamespace' {
        (Get-NetNamespace $n | Get-NetLink).Name | Should -Contain 'br0'
        $unnamed = Get-NetNamespace | Where-Object { $_.DockerPath -eq $dockerFile -and -not $_.Name }
        if ($unnamed) { ($unnamed | Invoke-NetNamespace -Command ip -ArgumentList '-br', 'link') -join "`n" | Should -Match 'br0' }
    }
    It 'runs a native command inside' {
        $out = Invoke-NetNamespace $n -- ip -br link
        ($out -join "`n") | Should -Match '(?m)^br0'
        $LASTEXITCODE | Should -Be 0
    }
    It 'runs a script block inside, where VNet cmdlets see that namespace as their own' {
        $names = Invoke-NetNamespace $n { Get-NetLink | ForEach-Object Name }
        $names | Should -Be @('lo', 'br0')
        Get-NetLink br0 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty   # the caller stayed outside
    }
    It 'runs a command in a namespace given by path (Docker''s file)' {
        (Invoke-NetNamespace $dockerFile -- ip -br link) -join "`n" | Should -Match 'br0'
    }
    It 'network mode none: a new namespace has only lo, and it is up' {
        $none = "$p-none"
        New-NetNamespace $none | Out-Null
        try {
            $links = Get-NetLink -Namespace $none
            $links.Name | Should -Be @('lo')
            $links.AdminUp | Should -BeTrue
        } finally { Remove-NetNamespace $none }
    }
    It '-WhatIf creates nothing' {
        New-NetNamespace "$p-whatif" -WhatIf
        (ip netns list) -join "`n" | Should -Not -Match "$p-whatif"
    }
}
