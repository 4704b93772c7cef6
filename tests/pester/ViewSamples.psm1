# Objects of every type VNet formats, with the longest values users meet (15-character interface
# names, full IPv6 addresses, Docker namespace paths), for rendering the views in tests. No kernel needed.
function Get-VNetViewSample {
    # The core assembly loads on first use by a cmdlet; the samples need its types before that.
    $core = Join-Path (Get-Module VNet).ModuleBase 'out/module/VNet.Core.dll'
    if (-not ('VNet.Core.Links.NetLink' -as [type])) { Add-Type -Path $core }
    $v6 = '2001:db8:abcd:12:3456:789a:bcde:f012'
    $ns = 'frontend-web-01'
    $proc = [VNet.Core.Namespaces.NetProcess]::new(123456, 'nginx')
    $lab = [VNet.Core.Lab.LabInstance]@{ Name = 'two-host'; Backend = 'Emulated'; Underlay = '192.0.2.0/24'
        Store = [VNet.Core.Lab.LabStore]@{ Kind = 'etcd' }
        Hosts = [System.Collections.Generic.List[VNet.Core.Lab.LabHost]]@(
            [VNet.Core.Lab.LabHost]@{ Name = 'hostA'; Address = '192.0.2.10' }, [VNet.Core.Lab.LabHost]@{ Name = 'hostB'; Address = '192.0.2.11' }) }
    [ordered]@{
        NetLink = @(
            [VNet.Core.Links.NetLink]@{ Name = 'veth-frontend01'; Index = 12; Namespace = $ns; Kind = 'veth'; State = 'LOWERLAYERDOWN'; Mtu = 1450; MacAddress = '02:42:c0:a8:00:02'; LinkIndex = 2; LinkNetnsId = 0 }
            [VNet.Core.Links.NetLink]@{ Name = 'br-frontend-net'; Index = 3; Kind = 'bridge'; State = 'UP'; Mtu = 1500; MacAddress = '02:42:c0:a8:00:01' })
        NetIPAddress = @(
            [VNet.Core.Addresses.NetIPAddress]@{ InterfaceName = 'veth-frontend01'; IPAddress = '198.51.100.200'; PrefixLength = 24; AddressFamily = 'IPv4'; Scope = 'global'; Namespace = $ns }
            [VNet.Core.Addresses.NetIPAddress]@{ InterfaceName = 'veth-frontend01'; IPAddress = $v6; PrefixLength = 64; AddressFamily = 'IPv6'; Scope = 'global'; Namespace = $ns })
        NetRoute = @(
            [VNet.Core.Routes.NetRoute]@{ Destination = 'default'; Gateway = '198.51.100.1'; InterfaceName = 'veth-frontend01'; Metric = 100; AddressFamily = 'IPv4'; Protocol = 'static'; Scope = 'global'; Namespace = $ns }
            [VNet.Core.Routes.NetRoute]@{ Destination = '2001:db8:abcd:12::/64'; Gateway = $v6; InterfaceName = 'veth-frontend01'; Metric = 1024; AddressFamily = 'IPv6'; Protocol = 'kernel'; Scope = 'global'; Namespace = $ns }
            [VNet.Core.Routes.NetRoute]@{ Destination = '2001:db8:abcd::/48'; InterfaceName = 'br-frontend-net'; Metric = 256; AddressFamily = 'IPv6'; Protocol = 'kernel'; Scope = 'link'; Namespace = '/run/docker/netns/1a2b3c4d5e6f' })
        VethPair = @(
            [VNet.Core.Links.VethPair]@{ Name = 'veth-frontend01'; Index = 12; State = 'UP'; Namespace = $ns; PeerName = 'eth0'; PeerIndex = 2; PeerNamespace = '/run/docker/netns/1a2b3c4d5e6f'; PeerContainer = 'frontend-web'; PeerProcesses = @($proc); PeerResolved = $true }
            [VNet.Core.Links.VethPair]@{ Name = 'vethab12cd3'; Index = 5; State = 'UP'; PeerName = 'eth0'; PeerIndex = 2; PeerNamespace = 'backend-db-0001'; PeerProcesses = @($proc, $proc); PeerResolved = $true })
        NetNamespace = @(
            [VNet.Core.Namespaces.NetNamespace]@{ Name = $ns; Path = "/run/netns/$ns"; Inode = 4026532281; Source = 'Named, Docker, Process'; ContainerName = 'frontend-web'; Processes = @($proc, $proc) }
            [VNet.Core.Namespaces.NetNamespace]@{ Path = '/run/docker/netns/1a2b3c4d5e6f'; Inode = 4026532999; Source = 'Docker' })
        BridgePort = @(
            [VNet.Core.Links.BridgePort]@{ Bridge = 'br-frontend-net'; Name = 'veth-frontend01'; Kind = 'veth'; State = 'UP'; PortState = 'forwarding'; Mtu = 1450; Namespace = $ns })
        BridgeFdbEntry = @(
            [VNet.Core.Neighbours.BridgeFdbEntry]@{ MacAddress = '02:42:c0:a8:00:02'; InterfaceName = 'veth-frontend01'; Bridge = 'br-frontend-net'; State = 'permanent'; RemoteVtep = $v6; Flags = @('self', 'extern_learn') })
        NetIPForwarding = @(
            [VNet.Core.Sysctl.NetIPForwarding]@{ Namespace = '/run/docker/netns/1a2b3c4d5e6f'; AddressFamily = 'IPv6'; Enabled = $true })
        VxlanTunnel = @(
            [VNet.Core.Links.VxlanTunnel]@{ Name = 'vxlan-frontend1'; Vni = 16777215; Remote = $v6; Local = '2001:db8:abcd:12::1'; Device = 'enp0s8'; Port = 4789; Mtu = 1430; Bridge = 'br-frontend-net'; State = 'UNKNOWN' }
            [VNet.Core.Links.VxlanTunnel]@{ Name = 'vxlan0'; Vni = 77; Remote = '192.0.2.11'; Local = '192.0.2.10'; Device = 'eth1'; Port = 4789; Mtu = 1450; Bridge = 'br0'; State = 'UNKNOWN' })
        VxlanPeer = @(
            [VNet.Core.Links.VxlanPeer]@{ Tunnel = 'vxlan-frontend1'; MacAddress = '00:00:00:00:00:00'; Remote = $v6; Flood = $true; State = 'permanent' })
        LabInstance = @($lab)
        LabHost = @(
            [VNet.Core.Lab.LabHost]@{ Name = 'hostAB'; Address = '198.51.100.200'; Device = 'enp0s8'; ProcessId = 4194304; Namespace = 'vnetlab-twohost1-hostAB' })
        LabProcess = @(
            [VNet.Core.Lab.LabProcess]@{ HostName = 'hostAB'; ProcessId = 4194304; OuterProcessId = 4194303; CommandLine = 'etcd --name hostAB --data-dir /var/lib/vnet/lab-etcd/hostAB --listen-client-urls http://198.51.100.200:2379' })
        EtcdMember = @(
            [VNet.Core.Lab.EtcdMember]@{ Name = 'hostAB'; HostName = 'hostAB'; ProcessId = 4194304; ClientUrl = 'http://[2001:db8:abcd:12:3456:789a:bcde:f012]:2379' })
        NatRule = @(
            [VNet.Core.Filter.NatRule]@{ Id = 'publish-tcp-2001:db8::1-10080'; Kind = 'Publish'; Packets = 1234567; Text = "tcp dport 10080 to 2001:db8::1 dnat to [$v6]:80 (map @pub_tcp_addr)" }
            [VNet.Core.Filter.NatRule]@{ Id = 'masquerade-198.51.100.0/24-via-eth0'; Kind = 'Masquerade'; Packets = 12; Text = 'ip saddr 198.51.100.0/24 ip daddr != 198.51.100.0/24 oifname "eth0" masquerade' })
        NetFilterRule = @(
            [VNet.Core.Filter.NetFilterRule]@{ Family = 'ip6'; Table = 'filter'; Chain = 'DOCKER-ISOLATION-STAGE-1'; Handle = 123; Rule = "ip6 saddr $v6 counter packets 0 bytes 0 drop" })
        NetConntrackEntry = @(
            [VNet.Core.Filter.NetConntrackEntry]@{ Protocol = 'tcp'; Source = $v6; SourcePort = 54321; Destination = '2001:db8:abcd:12::1'; DestinationPort = 10080; ReplySource = $v6; ReplySourcePort = 80; ReplyDestination = '2001:db8:abcd:12::1'; ReplyDestinationPort = 54321; State = 'ESTABLISHED'; Status = @('ASSURED', 'SEEN_REPLY') }
            [VNet.Core.Filter.NetConntrackEntry]@{ Protocol = 'icmp'; Source = '198.51.100.10'; Destination = '203.0.113.2'; ReplySource = '203.0.113.2'; ReplyDestination = '203.0.113.1'; Status = @('SEEN_REPLY') })
        NetTraceStep = @(
            [VNet.Core.Filter.NetTraceStep]@{ Step = 1; Family = 'ip6'; Table = 'filter'; Chain = 'DOCKER-ISOLATION-STAGE-1'; Type = 'rule'; Verdict = 'jump DOCKER-USER'; Rule = "ip6 daddr $v6 counter accept" })
        StoreStatus = @(
            [VNet.Core.Networks.Cluster.StoreStatus]@{ HostName = 'host-a-frontend'; HostId = '3f2a9c0d1e2b4a5c'; AdvertiseAddress = '192.0.2.21'; Reachable = $true; Leader = 'etcd-2'
                Members = [string[]]@('etcd-1', 'etcd-2', 'etcd-3'); Endpoints = [string[]]@('http://192.0.2.11:2379', 'http://192.0.2.12:2379', 'http://192.0.2.13:2379')
                EndpointStatus = [VNet.Core.Networks.Cluster.StoreEndpointStatus[]]@(
                    [VNet.Core.Networks.Cluster.StoreEndpointStatus]@{ Endpoint = 'http://192.0.2.11:2379'; Reachable = $true; Member = 'etcd-1' }
                    [VNet.Core.Networks.Cluster.StoreEndpointStatus]@{ Endpoint = 'http://192.0.2.12:2379'; Reachable = $true; Member = 'etcd-2'; IsLeader = $true }
                    [VNet.Core.Networks.Cluster.StoreEndpointStatus]@{ Endpoint = 'http://192.0.2.13:2379'; Reachable = $false; Error = 'Unavailable' }) }
            [VNet.Core.Networks.Cluster.StoreStatus]@{ HostName = 'b'; HostId = '1'; AdvertiseAddress = $v6; Endpoints = [string[]]@('http://[2001:db8::11]:2379')
                EndpointStatus = [VNet.Core.Networks.Cluster.StoreEndpointStatus[]]@([VNet.Core.Networks.Cluster.StoreEndpointStatus]@{ Endpoint = 'http://[2001:db8::11]:2379'; Reachable = $false; Error = 'Unavailable' }) })
    }
}

# The table a view makes at a width: its header line, the dashes under it, and the rows.
function Get-VNetViewText([object[]] $Objects, [int] $Width) {
    ($Objects | Format-Table | Out-String -Width $Width) -split "`r?`n"
}

Export-ModuleMember -Function Get-VNetViewSample, Get-VNetViewText
