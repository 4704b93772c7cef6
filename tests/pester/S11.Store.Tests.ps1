# S11 (issue #11): the cluster store setting. Set-/Get-/Remove-VNetStore against a real etcd
# started here (one member on 127.0.0.1, dies with the sandbox), and New-ContainerNetwork -Driver
# overlay with and without it. The config root is the sandbox's tmpfs /etc/vnet, moved to a folder
# of this run so nothing leaks between suites.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $script:p = New-TestPrefix
    $script:Root = Join-Path ([IO.Path]::GetTempPath()) "vnet-s11-$p"
    New-Item -ItemType Directory -Force $Root | Out-Null
    $env:VNET_CONFIG_DIR = Join-Path $Root 'config'
    $env:VNET_STATE_DIR = Join-Path $Root 'state'
    $env:VNET_RUN_DIR = Join-Path $Root 'run'
    $script:Port = 24000 + (Get-Random -Maximum 500) * 2
    $script:Url = "http://127.0.0.1:$Port"
    $script:Etcd = Start-Process etcd -PassThru -RedirectStandardOutput (Join-Path $Root 'etcd.out') -RedirectStandardError (Join-Path $Root 'etcd.err') -ArgumentList @(
        '--name', 's11', '--data-dir', (Join-Path $Root 'etcd'),
        '--listen-client-urls', $Url, '--advertise-client-urls', $Url,
        '--listen-peer-urls', "http://127.0.0.1:$($Port + 1)", '--initial-advertise-peer-urls', "http://127.0.0.1:$($Port + 1)",
        '--initial-cluster', "s11=http://127.0.0.1:$($Port + 1)")
    $env:ETCDCTL_API = '3'
    $deadline = (Get-Date).AddSeconds(20)
    while ((Get-Date) -lt $deadline) {
        etcdctl --endpoints=$Url endpoint health *> $null
        if ($LASTEXITCODE -eq 0) { break }
        Start-Sleep -Milliseconds 200
    }
    function script:Err([scriptblock] $Block) {
        try { & $Block; $null } catch { $_ }
    }
}
AfterAll {
    Get-ContainerNetwork -ErrorAction SilentlyContinue | Remove-ContainerNetwork -Force -ErrorAction SilentlyContinue
    if ($Etcd) { Stop-Process -Id $Etcd.Id -Force -ErrorAction SilentlyContinue }
    Remove-Item Env:VNET_CONFIG_DIR, Env:VNET_STATE_DIR, Env:VNET_RUN_DIR -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $Root -ErrorAction SilentlyContinue
}

Describe 'S11: the cluster store setting' {
    It 'without a store, Get-VNetStore returns nothing and an overlay network is refused naming it' {
        Get-VNetStore | Should -BeNullOrEmpty
        $e = Err { New-ContainerNetwork "$p-ov0" -Driver overlay -Subnet 198.51.100.0/24 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'StoreNotSet*'
        $e.Exception.Message | Should -BeLike "*$p-ov0*"
        Get-ContainerNetwork "$p-ov0" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a bad URL and a missing file before writing anything; -WhatIf writes nothing' {
        (Err { Set-VNetStore -Endpoint 'etcd.example:2379' -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'InvalidStoreEndpoint*'
        (Err { Set-VNetStore -Endpoint $Url -CertificateAuthority /nonexistent/ca.pem -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'StoreFileNotFound*'
        Set-VNetStore -Endpoint $Url -WhatIf
        Join-Path $env:VNET_CONFIG_DIR 'store.json' | Should -Not -Exist
    }

    It 'refuses https endpoints whose TLS files are missing, unpaired or no PEM, and TLS files with http endpoints' {
        $https = "https://127.0.0.1:$Port"
        $notPem = Join-Path $Root 'not-a-cert.pem'
        Set-Content -Path $notPem -Value 'not a certificate'
        $e = Err { Set-VNetStore -Endpoint $https -CertificateAuthority /nonexistent/ca.pem -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'StoreFileNotFound*'
        $e.Exception.Message | Should -BeLike '*/nonexistent/ca.pem*'
        $e = Err { Set-VNetStore -Endpoint $https -Certificate /nonexistent/client.pem -Key $notPem -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'StoreFileNotFound*'
        $e.Exception.Message | Should -BeLike '*/nonexistent/client.pem*'
        (Err { Set-VNetStore -Endpoint $https -Certificate $notPem -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'StoreFileNotFound*'
        $e = Err { Set-VNetStore -Endpoint $https -CertificateAuthority $notPem -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'StoreTlsFileInvalid*'
        $e.Exception.Message | Should -BeLike "*$notPem*"
        # -WhatIf checks too.
        (Err { Set-VNetStore -Endpoint $https -CertificateAuthority $notPem -WhatIf -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'StoreTlsFileInvalid*'
        (Err { Set-VNetStore -Endpoint $Url -CertificateAuthority $notPem -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'StoreTlsNeedsHttps*'
        Join-Path $env:VNET_CONFIG_DIR 'store.json' | Should -Not -Exist
    }

    It 'sets the store, keeps the host id when set again, and keeps the password out of store.json' {
        $cred = [pscredential]::new('vnet', (ConvertTo-SecureString 's3cret-pw' -AsPlainText -Force))
        $s = Set-VNetStore -Endpoint $Url -HostName hostA -Credential $cred
        $s.HostId | Should -Match '^[0-9a-f]{16}$'
        $file = Join-Path $env:VNET_CONFIG_DIR 'store.json'
        Get-Content -Raw $file | Should -Not -Match 's3cret-pw'
        $pw = Join-Path $env:VNET_CONFIG_DIR 'store.password'
        Get-Content -Raw $pw | Should -Be 's3cret-pw'
        (Get-Item $pw).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        # Now without a user (the test etcd has no authentication): same host id.
        $again = Set-VNetStore -Endpoint $Url -HostName hostA
        $again.HostId | Should -Be $s.HostId
        $pw | Should -Not -Exist
    }

    It 'Get-VNetStore shows the endpoint reachable, the member and the leader, and an advertise address' {
        $st = Get-VNetStore
        $st.Reachable | Should -BeTrue
        $st.Leader | Should -Be 's11'
        $st.Members | Should -Be @('s11')
        $st.EndpointStatus[0].IsLeader | Should -BeTrue
        $st.AdvertiseAddress | Should -Be '127.0.0.1'
        ($st | Format-Table | Out-String -Width 80) | Should -Match 'hostA'
    }

    It 'creates an overlay network once, with a VNI, seen by Get-ContainerNetwork' {
        $n = New-ContainerNetwork "$p-ov1" -Driver overlay -Subnet 198.51.100.0/24 -Vni 5001
        $n.Scope | Should -Be 'global'
        $n.Options['vnet.vni'] | Should -Be '5001'
        (Get-ContainerNetwork "$p-ov1").Driver | Should -Be 'overlay'
        etcdctl --endpoints=$Url get --print-value-only "/vnet/v1/vnis/5001" | Should -Be "$p-ov1"
        $e = Err { New-ContainerNetwork "$p-ov2" -Driver overlay -Subnet 203.0.113.0/24 -Vni 5001 -ErrorAction Stop }
        $e.FullyQualifiedErrorId | Should -BeLike 'VniInUse*'
        $e.Exception.Message | Should -BeLike "*$p-ov1*"
    }

    It 'Tab offers overlay networks from the store beside local ones, and local ones alone when the store is gone' {
        New-ContainerNetwork "$p-tabl" -Driver none | Out-Null
        $line = "Connect-ContainerNetwork -Network $p-"
        $names = (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain "$p-ov1"
        $names | Should -Contain "$p-tabl"
        Set-VNetStore -Endpoint 'http://127.0.0.1:1' | Out-Null
        try {
            $names = (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText
            $names | Should -Contain "$p-tabl"
            $names | Should -Not -Contain "$p-ov1"
        }
        finally {
            Set-VNetStore -Endpoint $Url | Out-Null
            Remove-ContainerNetwork "$p-tabl"
        }
    }

    It 'two processes as two hosts racing to create one overlay network: one wins, the other is told it exists' {
        $manifest = Join-Path $PSScriptRoot '..' '..' 'VNet.psd1' | Resolve-Path
        $pwsh = (Get-Process -Id $PID).Path
        $procs = foreach ($h in 'x', 'y') {
            $dir = Join-Path $Root "host-$h"
            New-Item -ItemType Directory -Force $dir | Out-Null
            $script = @"
`$env:VNET_CONFIG_DIR = '$dir/config'; `$env:VNET_STATE_DIR = '$dir/state'; `$env:VNET_RUN_DIR = '$dir/run'
Import-Module '$manifest'
Set-VNetStore -Endpoint '$Url' -HostName host-$h | Out-Null
# Both wait for the same moment, so the creates overlap.
while (-not (Test-Path '$Root/go')) { Start-Sleep -Milliseconds 20 }
try { New-ContainerNetwork '$p-race' -Driver overlay -Subnet 192.0.2.0/24 -ErrorAction Stop | Out-Null; 'created' }
catch { `$_.FullyQualifiedErrorId }
"@
            Start-Process $pwsh -ArgumentList '-NoProfile', '-Command', $script -RedirectStandardOutput (Join-Path $dir 'out') -PassThru
        }
        Start-Sleep -Seconds 4
        New-Item -ItemType File (Join-Path $Root 'go') | Out-Null
        $procs | Wait-Process -Timeout 60
        $results = 'x', 'y' | ForEach-Object { (Get-Content (Join-Path $Root "host-$_" 'out') -Raw).Trim() }
        @($results | Where-Object { $_ -eq 'created' }).Count | Should -Be 1
        @($results | Where-Object { $_ -like 'NetworkExists*' }).Count | Should -Be 1
        @(etcdctl --endpoints=$Url get --prefix --keys-only "/vnet/v1/networks/$p-race" | Where-Object { $_ }).Count | Should -Be 1
    }

    It 'an unreachable store: Get-ContainerNetwork shows local networks with one warning; Remove-VNetStore unsets it' {
        New-ContainerNetwork "$p-none" -Driver none | Out-Null
        Set-VNetStore -Endpoint 'http://127.0.0.1:1' | Out-Null
        $nets = Get-ContainerNetwork -WarningVariable w -WarningAction SilentlyContinue
        $nets.Name | Should -Contain "$p-none"
        $nets.Name | Should -Not -Contain "$p-ov1"
        @($w).Count | Should -Be 1
        (Get-VNetStore).EndpointStatus[0].Reachable | Should -BeFalse
        Remove-VNetStore
        Get-VNetStore | Should -BeNullOrEmpty
        Join-Path $env:VNET_CONFIG_DIR 'store.json' | Should -Not -Exist
        Set-VNetStore -Endpoint $Url | Out-Null   # back, so AfterAll removes the overlay network
    }
}
