@{
    Synopsis = 'Joins a namespace, a Docker container or a process to a container network, as `docker network connect` does.'
    Description = @'
Connect-ContainerNetwork makes an endpoint: an address lease, the interface inside the namespace
(eth0 unless taken or -InterfaceName says otherwise; MTU = the network's), its addresses, a default
route via the gateway (not on an internal network), optionally a published port, and the names the
endpoint answers to: the namespace's name (or the container's), then -Alias. It returns the endpoint.

Addresses: -IPAddress gives a static one, anywhere in the subnet if free (an address in use is
refused, naming its holder; the network, broadcast, gateway and aux addresses are refused too).
Otherwise the next free address of the range is taken in round robin: an address freed a moment ago
is not handed out again at once (stale ARP and DNS caches elsewhere would still point at it).

The namespace: -Namespace takes a /run/netns name or a path (/proc/PID/ns/net, Docker's
/run/docker/netns/...); -Container takes a running Docker container's name or id; -ProcessId a
process's namespace. Docker's --network container:NAME is connecting that container's namespace
(-Container NAME); --network host is no endpoint at all (the host's own namespace).

Connect is safe under concurrency and crashes: it holds the network's lock (flock, released by the
kernel if the process dies), writes the lease, then a Pending record, then makes the interface, then
marks the record Active. A process killed at any point leaves nothing that Repair-ContainerNetwork
cannot explain and remove, and the next Connect starts with the cheap part of that repair: a bridge
a reboot took is re-created, the namespace's own half-made endpoint is rolled back, and leaked
leases are collected before a full range is declared exhausted. Any failure undoes what was made.
'@
    Parameters = @{
        Network = 'The network to join. Tab completes.'
        Namespace = 'The namespace to connect: a /run/netns name or a path that opens a namespace. Tab completes.'
        Container = 'A running Docker container''s name or id (its namespace is connected).'
        ProcessId = 'A process whose namespace is connected; it answers to the namespace''s /run/netns name when it has one.'
        IPAddress = 'Static addresses, one per subnet of the network (IPv4 and IPv6), anywhere in the subnet if free.'
        Alias = 'More names the endpoint answers to on this network, after its primary name (case-insensitive DNS names).'
        InterfaceName = 'The interface''s name inside the namespace. Default eth0, or the first free ethN.'
        MacAddress = 'The interface''s MAC address. Default: a random one from the kernel.'
        PublishPort = 'A host port or range to publish to this endpoint (docker run -p), for example 10080 or 8000-8010.'
        ToPort = 'The endpoint''s port (or range) the published port leads to. Default: the same as -PublishPort.'
        Protocol = 'tcp (default) or udp, for -PublishPort.'
    }
    Inputs = 'Objects with a Namespace property (Get-NetNamespace) bind to -Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.ContainerEndpoint'; Description = 'The endpoint: Network, Namespace or Container, InterfaceName, HostInterface, Addresses, MacAddress, Names, NatRules, State.' }
    )
    Errors = @(
        'NetworkNotFound: no network has that name.'
        'NamespaceNotFound, ContainerNotFound, ProcessNotFound: the namespace to connect does not exist.'
        'AlreadyConnected: the namespace is a member already; no second lease is made.'
        'AddressInUse: the static address is held by another endpoint (named in the message).'
        'AddressReserved: the static address is the network, broadcast, gateway or an aux address.'
        'AddressOutsideSubnet, TooManyAddresses: a static address outside the subnets, or two for one subnet.'
        'NetworkExhausted: no free address is left in the range; nothing is left behind.'
        'InvalidAlias: an alias is not a DNS name.'
        'PublishNotForNetwork: publishing on a network without a route out (internal, macvlan, none).'
        'InvalidPort, InvalidPortRange, InvalidProtocol, PortRangeMismatch, PublishExists: a bad or taken -PublishPort.'
        'LinkExists, LinkNameTooLong, InvalidLinkName: the interface name is taken in the namespace or not valid.'
        'InvalidMacAddress: the MAC address is not valid.'
        'LockTimeout: another process held the network''s lock for too long (the message names it).'
        'NameSetupFailed, AgentFailed, AgentNotServing: the names could not be served in the namespace (its /etc/netns resolv.conf could not be written, or the VNet agent could not start or listen there); the Connect is rolled back.'
    )
    Examples = @(
        @{
            Title = 'Seed 003: containers on a user-defined network'
            Code = @'
# docker network create tomcat-net; docker run --network tomcat-net --name tomcat01 ...
New-ContainerNetwork tomcat-net -Subnet 198.51.100.0/24 | Out-Null
New-NetNamespace tomcat01, tomcat02 | Out-Null
Connect-ContainerNetwork tomcat-net tomcat01
Connect-ContainerNetwork tomcat-net tomcat02 -Alias web
Invoke-NetNamespace tomcat01 -- ping -c 1 198.51.100.3
'@
            Output = @'
Network      Name          Interface Address            MacAddress        State
-------      ----          --------- -------            ----------        -----
tomcat-net   tomcat01      eth0      198.51.100.2/24    3a:5e:0c:91:7d:22 Active
tomcat-net   tomcat02      eth0      198.51.100.3/24    9e:14:b2:6f:03:c8 Active
'@
            Remarks = @'
tomcat02 answers to tomcat02 and web on this network.
'@
        }
        @{
            Title = 'A static address (docker run --ip) and a published port (docker run -p)'
            Code = @'
Connect-ContainerNetwork tomcat-net tomcat03 -IPAddress 198.51.100.50 -PublishPort 10080 -ToPort 80
Connect-ContainerNetwork tomcat-net tomcat04 -IPAddress 198.51.100.50
'@
            Output = @'
Connect-ContainerNetwork: 198.51.100.50 is in use on network 'tomcat-net' by endpoint 'tomcat03' (namespace tomcat03, 5c1e0a9b3d27).
'@
            Remarks = @'
The publish's rule id is kept in the endpoint's NatRules and goes with Disconnect.
'@
        }
        @{
            Title = 'A Docker container, and a process''s namespace'
            Code = @'
Connect-ContainerNetwork tomcat-net -Container web1
Connect-ContainerNetwork tomcat-net -ProcessId 4242 -InterfaceName net1
'@
            Remarks = @'
The container answers to its Docker name; it keeps its own Docker network too (eth0 there), so the
VNet interface becomes eth1 unless named.
'@
        }
    )
    Links = @('Disconnect-ContainerNetwork', 'Get-ContainerEndpoint', 'New-ContainerNetwork', 'Repair-ContainerNetwork')
}
