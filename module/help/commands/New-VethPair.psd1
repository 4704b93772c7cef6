@{
    Synopsis = 'Creates a veth pair (a virtual cable) with each end directly in its own namespace, both ends up.'
    Description = @'
New-VethPair does in one call what takes three or four `ip` commands: `ip link add NAME type veth
peer name PEER`, `ip link set PEER netns NS` and `ip link set ... up` on each side. The pair is
created by a single netlink request with the peer placed straight into -PeerNamespace (and the
first end made in -Namespace), then both ends are brought up unless -Down is given.

A veth pair is a cable: what enters one end leaves the other. Docker gives every container one,
with one end in the container's namespace named eth0 and the other in the host's namespace,
plugged into the docker0 bridge. With New-NetBridge and Add-BridgePort you
build the same thing.

Nothing is left half-made: both names, the MTU, the MAC addresses and both namespaces are checked
before anything is sent to the kernel (a -PeerNamespace that does not exist fails before a veth is
made), the kernel creates the two ends together or not at all, and if bringing the peer up fails
the pair is deleted again.

{{LinkName}} The two ends may have the same name when they are in different namespaces.
'@
    Parameters = @{
        Container = 'Put the first end into this running Docker container''s namespace (name or ID).'
        PeerContainer = 'Put the peer into this running Docker container''s namespace: attach a VNet network to a container, as `docker network connect` does for Docker''s.'
        Name = 'The name of the first end, created in -Namespace (the current namespace if omitted).'
        Namespace = "The namespace of the first end: {{Namespace}}"
        PeerName = 'The name of the other end, created in -PeerNamespace.'
        PeerNamespace = 'The namespace of the other end: a /run/netns name or a namespace file path. Omit it to keep both ends in -Namespace.'
        Mtu = 'The MTU of both ends, from 68 to 65535 (the kernel''s default is 1500). Use 1450 for a port of a VXLAN overlay on a 1500-byte underlay.'
        MacAddress = 'The MAC address of the first end, six hex bytes such as 02:42:c6:33:64:0a. It must be a unicast address. By default the kernel picks a random one.'
        PeerMacAddress = 'The MAC address of the other end, as for -MacAddress.'
        Down = 'Leaves both ends down. By default both come up, as a cable is useless otherwise.'
        Bridge = @'
A bridge in -Namespace to plug the first end into as the pair is made, in the same request
(`ip link add NAME master BR type veth peer ...`), which saves an Add-BridgePort. The bridge is
checked first: if it does not exist or is not a bridge, nothing is made.
'@
        Force = 'Makes a re-run succeed: when what would be created is already there as asked, it is returned (and nothing changes) instead of an error; when something of that name is there but differs, the error ExistsDifferently names each difference. Only what was asked is compared. This is New-Item -Force''s idiom, for runbooks that run twice.'
    }
    Inputs = 'A CSV of planned links with these columns (Import-Csv) creates one pair per row.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.VethPair'; Description = 'The new pair: Name, Namespace, Index, MacAddress, Mtu, State, and PeerName, PeerNamespace, PeerIndex, PeerMacAddress of the other end. Name and Namespace pipe into Add-BridgePort, New-NetIPAddress and Remove-NetLink.' }
    )
    Errors = @(
        'InvalidLinkName: a name is empty, ''.'' or ''..'', or contains ''/'', '':'' or whitespace.'
        'LinkNameTooLong: a name is longer than 15 bytes.'
        'InvalidMtu: -Mtu is outside 68..65535.'
        'InvalidMacAddress: a MAC is not six hex bytes, is a multicast address, or is 00:00:00:00:00:00.'
        'NamespaceNotFound: -Namespace or -PeerNamespace does not exist (nothing is created).'
        'InvalidNamespaceName: a namespace name is not valid.'
        'NamespaceStale: a namespace name is an empty file under /run/netns, not a mounted namespace.'
        'LinkExists: one of the names is taken in its namespace (the message says which), or -Name equals -PeerName in one namespace.'
        'BridgeNotFound: -Bridge names no interface in -Namespace (nothing is created).'
        'NotABridge: -Bridge names an interface that is not a bridge (nothing is created).'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
        'KernelRejected: the kernel refused the request; its own message is in the error.'
    )
    Examples = @(
        @{
            Title = 'Two namespaces, one cable'
            Code = @'
# ip netns add ns1; ip netns add ns2
# ip link add veth1 type veth peer name veth2
# ip link set veth1 netns ns1; ip link set veth2 netns ns2
# ip netns exec ns1 ip addr add 198.51.100.10/24 dev veth1
# ip netns exec ns2 ip addr add 198.51.100.11/24 dev veth2
# ip netns exec ns1 ip link set veth1 up; ip netns exec ns2 ip link set veth2 up
New-NetNamespace ns1, ns2
New-VethPair -Name veth1 -Namespace ns1 -PeerName veth2 -PeerNamespace ns2
New-NetIPAddress veth1 198.51.100.10/24 -Namespace ns1
New-NetIPAddress veth2 198.51.100.11/24 -Namespace ns2
Invoke-NetNamespace ns1 -- ping -c 1 198.51.100.11
'@
            Remarks = @'
The pair is made with each end already in its namespace and up, so the two addresses are all that
is left to configure before ns1 pings ns2.
'@
        }
        @{
            Title = 'A container-style link: host end and eth0 inside'
            Code = @'
# ip link add veth-web type veth peer name eth0 netns web
New-NetNamespace web
New-VethPair veth-web eth0 -PeerNamespace web
'@
            Output = @'
Name            Index State    PeerName        PeerIndex PeerNamespace          PeerProcesses
----            ----- -----    --------        --------- -------------          -------------
veth-web        2     UP       eth0            2         web
'@
            Remarks = @'
The host's end veth-web stays in the current namespace, ready for Add-BridgePort; the container's
end is eth0 in web. Both names are positional: -Name first, -PeerName second.
'@
        }
        @{
            Title = 'A container plugged into a bridge in one call'
            Code = @'
# ip link add veth-c1 master br0 type veth peer name eth0 netns c1
New-NetBridge br0
New-NetNamespace c1
New-VethPair veth-c1 eth0 -PeerNamespace c1 -Bridge br0
'@
            Remarks = @'
The host end is made on br0 and up, as Add-BridgePort would leave it; Get-BridgePort br0 lists it.
'@
        }
        @{
            Title = 'Fixed MAC addresses and MTU, left down'
            Code = @'
New-VethPair vethA vethB -Mtu 1450 -MacAddress 02:00:c6:33:64:0a -PeerMacAddress 02:00:c6:33:64:0b -Down
Get-NetLink vethA, vethB
'@
            Remarks = @'
Both ends get MTU 1450 (an overlay's ports) and the given MACs, and stay down until Set-NetLink
-Up.
'@
        }
        @{
            Title = 'A missing peer namespace leaves nothing behind'
            Code = @'
New-VethPair veth9 eth0 -PeerNamespace nosuch
Get-NetLink veth9 -ErrorAction SilentlyContinue   # nothing: no veth was made
'@
            Output = @'
New-VethPair: Namespace 'nosuch' does not exist (no /run/netns/nosuch).
'@
            Remarks = @'
The namespaces are opened before the pair is requested, so the error (NamespaceNotFound) comes
before any veth exists.
'@
        }
    )
    Links = @('Get-VethPair', 'Add-BridgePort', 'New-NetIPAddress', 'Set-NetLink', 'Remove-NetLink')
}
