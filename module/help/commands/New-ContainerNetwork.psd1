@{
    Synopsis = 'Creates a named container network with address management, as `docker network create` does.'
    Description = @'
New-ContainerNetwork defines a network and makes what its driver needs. A network has a name, an id
(64 hex digits, as Docker's), a driver, one IPv4 subnet and optionally one IPv6 subnet (dual stack),
each with a gateway, an optional range for dynamic addresses and aux addresses that are never handed
out. Members join with Connect-ContainerNetwork, which gives each an address (IPAM), an interface
and its routes.

Drivers:
- bridge (the default): a Linux bridge named br-<first 12 digits of the id> (or -BridgeName, at most
  15 bytes), holding the gateway address; masquerade to the outside unless -Internal; isolated from
  every other VNet network, as Docker's user-defined networks are (VNet's isolation sets, see
  Set-NetBridge -Isolated). An internal network gets no masquerade and its members no default route.
- macvlan: each member gets a macvlan child of -Parent in bridge mode, with a MAC of its own, on the
  parent's segment. The host itself cannot reach its macvlan children (the kernel does not pass
  frames between a parent and its children): give the host a macvlan of its own on the same parent
  (New-MacvlanLink) to talk to them. The MTU is the parent's unless -Mtu is lower.
- none: members get only lo, up, and no address.
- overlay: one network across every host pointed at the same cluster store (Set-VNetStore; see
  docs/overlay.md): the definition, the members and their addresses live in etcd, so a name, a VNI
  (-Vni, else the lowest free from 4096) and a subnet are taken once in the whole cluster (two hosts
  creating at the same moment cannot both win), and addresses never collide across hosts. New makes
  nothing on the kernel; each host's first Connect makes a bridge ov-<first 10 digits of the id> and
  a VXLAN device vx-<same> on it (UDP 4789, from the host's advertise address, learning off, ARP
  answered from the neighbour table), and the VNet agent of every host programs where each member
  lives. The MTU is the underlay's (the link holding the advertise address) less 50 bytes (70 over
  IPv6); a larger -Mtu is refused. No gateway address, no default route, no masquerade: members
  reach each other, by name across hosts, and the outside through their other networks.
  Without a store set, an overlay network is refused (StoreNotSet) and nothing is made; when the
  store cannot be reached, StoreUnavailable (or StoreNoQuorum) names the endpoints tried. A local
  network's subnet may not overlap an overlay network's either.

Docker's host and container:NAME network modes are not networks in VNet: they mean running in an
existing namespace. Use the host's own namespace (no -Namespace at all), or name a container's
namespace with New-NetNamespace -Path /proc/PID/ns/net (or -Container NAME) and work in it.

Without -Subnet, a free IPv4 subnet is cut from the default address pools, skipping any that
overlaps another network, an address of the host or a route of the host. The pools come from the
environment variable VNET_DEFAULT_ADDRESS_POOLS, else the file /etc/vnet/default-address-pools
(one pool per line), else Docker's local pools; each is written as Docker's --default-address-pool
flag is: base=203.0.113.0/24,size=26. An explicit subnet that overlaps another network's is refused,
naming both networks and both subnets.

IPv6: the IPv6 subnet is routed (forwarding is turned on), not masqueraded: VNet's NAT is IPv4 only
for now, and -Verbose says so.

The definition is kept under /var/lib/vnet/networks (survives a reboot; moved with VNET_STATE_DIR);
after a reboot, the first Connect-ContainerNetwork re-creates the bridge and its rules. Creating and
removing networks is serialised by a lock, so the overlap check cannot race another creator.

With -Force, a network of that name whose settings match what was given is returned quietly (a
runbook run again); one whose settings differ is an error naming the first difference.
'@
    Parameters = @{
        Name = 'The network''s name: a letter or digit, then letters, digits, ''_'', ''.'' and ''-'' (Docker''s rule), at most 64 characters.'
        Driver = 'bridge (default), macvlan, none or overlay (a network across hosts, kept in the cluster store: see Set-VNetStore). Tab completes.'
        Subnet = 'One IPv4 subnet and optionally one IPv6 subnet in network form (198.51.100.0/24, 2001:db8:1::/64). Without an IPv4 one, a free one is picked from the default address pools.'
        Gateway = 'The gateway of a subnet (matched by family). Default: the subnet''s first address. It must be a host address of the subnet.'
        IPRange = 'A range inside a subnet (matched by family) that dynamic addresses come from, as Docker''s --ip-range. Static addresses may still be anywhere in the subnet.'
        AuxAddress = 'Addresses never handed out, by name, as Docker''s --aux-address: @{ router = ''198.51.100.254'' }.'
        Mtu = 'The MTU of the bridge and of every member''s interface. Default 1500 (bridge) or the parent''s (macvlan, which cannot exceed it).'
        Internal = 'No masquerade and no default route in the members: they reach each other and the gateway only.'
        Parent = 'The link a macvlan network''s members hang off (for example eth0). Required with -Driver macvlan.'
        BridgeName = 'The Linux bridge''s name instead of br-ID12. At most 15 bytes (IFNAMSIZ).'
        Vni = 'An overlay network''s VXLAN id (1-16777215). Default: the lowest VNI from 4096 up that no overlay network in the cluster store holds. One taken by another overlay network is refused (VniInUse) naming it.'
        NetworkOption = 'Driver options kept in the network''s Options, as Docker''s --opt: @{ ''com.example.team'' = ''web'' }. Keys starting with vnet. are VNet''s own (vnet.vni is -Vni).'
        Force = 'Succeed quietly when a network of that name with the same settings exists; fail naming the difference when they differ.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.ContainerNetwork'; Description = 'The network: Name, Id, Driver, Subnets (Subnet, Gateway, IPRange, AuxAddresses), Mtu, Internal, Parent, BridgeName, EndpointCount.' }
    )
    Errors = @(
        'StoreNotSet: -Driver overlay on a host with no cluster store set (Set-VNetStore).'
        'StoreUnavailable: the cluster store did not answer; the message names the endpoints tried. Nothing was made.'
        'StoreNoQuorum: the cluster store answers but has lost its quorum. Nothing was made.'
        'StoreTimeout: the cluster store answers and has a leader but did not finish within $VNET_STORE_TIMEOUT seconds (3 unless set). Running the command again finds out whether the network was made.'
        'VniInUse: the -Vni given is held by another overlay network (named).'
        'InvalidNetworkName: the name is empty, too long or has characters Docker refuses.'
        'NetworkExists: a network of that name exists (use -Force to accept it when the settings match).'
        'NetworkSettingsDiffer: with -Force, the existing network has other settings; the message names the first difference.'
        'UnknownNetworkDriver: the driver is not bridge, macvlan or none.'
        'MacvlanNeedsParent: -Driver macvlan without -Parent.'
        'ParentNotFound: the -Parent link does not exist.'
        'MtuAboveParent: -Mtu is above the macvlan parent''s MTU.'
        'OptionNotForDriver: -Parent, -BridgeName or -Subnet given to a driver that does not use it.'
        'InvalidSubnet, TooManySubnets: a subnet is not a network in CIDR form, has host bits, is too small, or a second one of a family.'
        'SubnetOverlap: the subnet overlaps another network''s; both are named.'
        'NoFreeSubnet: every subnet of the default pools overlaps something.'
        'InvalidAddressPool: a pool in VNET_DEFAULT_ADDRESS_POOLS or the pools file is not base=CIDR,size=N.'
        'GatewayOutsideSubnet, GatewayReserved, TooManyGateways: a gateway that is not a host address of one of the subnets.'
        'IPRangeOutsideSubnet, TooManyIPRanges: a range not inside one of the subnets.'
        'AuxAddressOutsideSubnet: an aux address outside the subnets.'
        'LinkNameTooLong, InvalidLinkName, LinkExists: the bridge name is over 15 bytes, not a valid name, or already taken.'
        'LockTimeout: another process held the networks'' lock for too long (the message names it).'
    )
    Examples = @(
        @{
            Title = 'A user-defined bridge network, as seed 003''s docker network create tomcat-net'
            Code = @'
# docker network create --subnet 198.51.100.0/24 tomcat-net
New-ContainerNetwork tomcat-net -Subnet 198.51.100.0/24
'@
            Output = @'
Name          Driver  Subnet             Gateway         Bridge          Members
----          ------  ------             -------         ------          -------
tomcat-net    bridge  198.51.100.0/24    198.51.100.1    br-3f2a9c01d4e7 0
'@
            Remarks = @'
The bridge holds 198.51.100.1/24; members get 198.51.100.2, .3, ... and reach the outside through
masquerade. Another VNet network on this host cannot reach them.
'@
        }
        @{
            Title = 'A range, reserved addresses and a runbook that can run again'
            Code = @'
New-ContainerNetwork app -Subnet 203.0.113.0/24 -IPRange 203.0.113.128/25 -AuxAddress @{ router = '203.0.113.254' } -Force
New-ContainerNetwork app -Subnet 203.0.113.0/24 -IPRange 203.0.113.128/25 -AuxAddress @{ router = '203.0.113.254' } -Force
'@
            Remarks = @'
Dynamic addresses come from 203.0.113.128/25 only and never 203.0.113.254. The second call finds the
same settings and returns the existing network.
'@
        }
        @{
            Title = 'Internal, macvlan, none and dual-stack networks'
            Code = @'
New-ContainerNetwork backend -Subnet 198.51.100.0/26 -Internal
New-ContainerNetwork lan -Driver macvlan -Parent eth0 -Subnet 192.0.2.0/24 -Gateway 192.0.2.254
New-ContainerNetwork isolated -Driver none
New-ContainerNetwork dual -Subnet 198.51.100.64/26, 2001:db8:1::/64 -Verbose
'@
            Remarks = @'
backend's members have no route out. lan's members sit on eth0's segment with their own MACs (the
host needs a macvlan of its own to reach them). isolated's members get lo only. dual's members get
an IPv4 and an IPv6 address with default routes for both; -Verbose notes that IPv6 is routed, not
masqueraded.
'@
        }
        @{
            Title = 'Pick subnets from documentation ranges (tests, demos)'
            Code = @'
$env:VNET_DEFAULT_ADDRESS_POOLS = 'base=198.51.100.0/24,size=26;base=203.0.113.0/24,size=26'
New-ContainerNetwork demo1; New-ContainerNetwork demo2
'@
            Remarks = @'
demo1 gets 198.51.100.0/26, demo2 the next free /26. A pool that overlaps a host address or route is
skipped. The same pools can live in /etc/vnet/default-address-pools, one per line.
'@
        }
    )
    Links = @('Connect-ContainerNetwork', 'Get-ContainerNetwork', 'Remove-ContainerNetwork', 'New-NetNamespace', 'New-MacvlanLink')
}
