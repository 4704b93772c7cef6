# Docker interop (seeds 000-002) against a real dockerd, started inside the sandbox in a namespace of
# its own by tests/docker/dockerd.sh. Skipped, saying why, when dockerd cannot start.
BeforeDiscovery {
    $script:dockerd = [bool](Get-Command dockerd -ErrorAction SilentlyContinue)
}
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    $p = New-TestPrefix
    $dk = "$p-dk"
    New-NetNamespace $dk | Out-Null
    $env:VNET_DOCKER_NETNS = $dk
    $sock = & (Join-Path $PSScriptRoot '..' 'docker' 'dockerd.sh')
    $script:ok = $LASTEXITCODE -eq 0
    if ($ok) {
        $env:DOCKER_HOST = "unix://$(@($sock)[-1])"
        docker run -d --name pweb -p 10080:80 vnet-busybox httpd -f -p 80 -h /www | Out-Null
    }
}
AfterAll {
    if ($ok) { docker rm -f pweb 2>$null | Out-Null; & (Join-Path $PSScriptRoot '..' 'docker' 'dockerd.sh') stop }
    Remove-Item Env:DOCKER_HOST, Env:VNET_DOCKER_NETNS -ErrorAction SilentlyContinue
    Remove-ContainerNetwork "$p-vn" -Force -ErrorAction SilentlyContinue
    Remove-NetNamespace $dk, "$p-web", "$p-c1", "$p-m" -ErrorAction SilentlyContinue
    Stop-VNetAgent -ErrorAction SilentlyContinue
}

Describe 'S7: Docker''s namespaces and containers' -Skip:(-not $dockerd) {
    It 'shows the container that owns a namespace' {
        if (-not $ok) { Set-ItResult -Skipped -Because 'dockerd could not start in the sandbox' }
        $ns = Get-NetNamespace -Container pweb
        $ns.ContainerName | Should -Be 'pweb'
        $ns.ContainerImage | Should -Be 'vnet-busybox'
        $ns.Source | Should -Match 'Docker'
    }
    It 'answers "which host veth belongs to which container" in one call' {
        if (-not $ok) { Set-ItResult -Skipped -Because 'dockerd could not start in the sandbox' }
        $v = Get-VethPair -Namespace $dk | Where-Object PeerContainer -eq 'pweb'
        $v.PeerName | Should -Be 'eth0'
        $v.Master | Should -Be 'docker0'
    }
    It 'names the container''s namespace for ip netns, and removing the name leaves the container working' {
        if (-not $ok) { Set-ItResult -Skipped -Because 'dockerd could not start in the sandbox' }
        New-NetNamespace "$p-web" -Container pweb | Out-Null
        (ip netns list) -join ' ' | Should -Match "$p-web"
        (ip -n "$p-web" -4 -br addr show eth0) -join ' ' | Should -Match '203\.0\.113\.'
        Remove-NetNamespace "$p-web"
        (Invoke-NetNamespace $dk -- wget -q -T 2 -O - http://127.0.0.1:10080/) | Should -Be 'hello from vnet-busybox'
    }
    It 'attaches a VNet network to the running container and detaches it, leaving Docker''s eth0 alone' {
        if (-not $ok) { Set-ItResult -Skipped -Because 'dockerd could not start in the sandbox' }
        New-NetBridge vbr -Namespace $dk | Out-Null
        New-NetNamespace "$p-c1" | Out-Null
        New-VethPair vc1 -Namespace $dk -PeerName eth0 -PeerNamespace "$p-c1" | Out-Null
        Add-BridgePort vbr vc1 -Namespace $dk
        New-NetIPAddress eth0 198.51.100.10/24 -Namespace "$p-c1" | Out-Null
        New-VethPair vweb -Namespace $dk -PeerName eth1 -PeerContainer pweb | Out-Null
        Add-BridgePort vbr vweb -Namespace $dk
        # No NAT, no isolation: the bridge's own accept lets it switch under Docker's FORWARD DROP.
        $webNs = (Get-NetNamespace -Container pweb).Path
        New-NetIPAddress eth1 198.51.100.20/24 -Namespace $webNs | Out-Null
        Test-Ping "$p-c1" 198.51.100.20 | Should -BeTrue
        Remove-NetLink vweb -Namespace $dk
        (Get-NetLink -Namespace $webNs).Name | Should -Not -Contain 'eth1'
        (Get-NetLink -Namespace $webNs).Name | Should -Contain 'eth0'
        Remove-NetLink vbr, vc1 -Namespace $dk
        (nsenter "--net=/run/netns/$dk" iptables -S DOCKER-USER) -join "`n" | Should -Not -Match 'vnet:'
    }
    It 'connects a container on Docker''s default bridge to a VNet network by name: names both ways, Docker''s eth0 and routes left alone' {
        if (-not $ok) { Set-ItResult -Skipped -Because 'dockerd could not start in the sandbox' }
        $net = New-ContainerNetwork "$p-vn" -Subnet 198.51.100.192/27
        New-NetNamespace "$p-m" | Out-Null
        Connect-ContainerNetwork $net.Name "$p-m" -IPAddress 198.51.100.200 | Out-Null
        $eth0 = docker exec pweb ip addr show eth0
        $routes = docker exec pweb ip route
        $e = Connect-ContainerNetwork $net.Name -Container pweb -IPAddress 198.51.100.201 -Alias www
        $e.Container | Should -Be 'pweb'
        $e.InterfaceName | Should -Be 'eth1'
        (docker exec pweb ip addr show eth1) -join "`n" | Should -Match 'inet 198\.51\.100\.201/27'
        # The container's own busybox, with Docker's resolv.conf (the host's servers): redirected inside.
        (docker exec pweb busybox nslookup "$p-m") -join "`n" | Should -Match '198\.51\.100\.200'
        (ip netns exec "$p-m" getent hosts www) -join "`n" | Should -Match '198\.51\.100\.201'
        ip netns exec "$p-m" ping -c1 -W2 pweb | Out-Null
        $LASTEXITCODE | Should -Be 0
        Disconnect-ContainerNetwork $net.Name -Container pweb
        (ip netns exec "$p-m" getent hosts pweb) | Should -BeNullOrEmpty
        docker exec pweb ip link show eth1 2>$null
        $LASTEXITCODE | Should -Not -Be 0
        (docker exec pweb ip addr show eth0) -join "`n" | Should -Be ($eth0 -join "`n")
        (docker exec pweb ip route) -join "`n" | Should -Be ($routes -join "`n")
        Remove-ContainerNetwork $net.Name -Force
        Get-ContainerNetwork "$p-vn" | Should -BeNullOrEmpty
    }
    It 'says a missing container is missing' {
        if (-not $ok) { Set-ItResult -Skipped -Because 'dockerd could not start in the sandbox' }
        { Get-NetNamespace -Container no-such-container -ErrorAction Stop } | Should -Throw -ErrorId 'ContainerNotFound,*'
    }
}
