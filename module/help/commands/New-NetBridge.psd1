@{
    Synopsis = 'Creates a Linux bridge (a virtual switch), up, as `ip link add NAME type bridge` and `ip link set NAME up` do.'
    Description = @'
New-NetBridge creates a bridge in a namespace and brings it up (unless -Down). A bridge is a
software switch: interfaces plugged into it with Add-BridgePort (usually the host ends of veth
pairs) exchange frames, and the bridge learns which MAC address is behind which port
(Get-BridgeFdb). Given an address (New-NetIPAddress), the bridge is also the gateway of the
namespaces plugged into it, as docker0 is for Docker's containers. Unless -MacAddress is given,
the bridge gets a random locally administered MAC of its own, so its MAC (the containers' gateway
MAC) does not change when ports come and go.

Where the namespace's iptables FORWARD policy is DROP (Docker sets one), frames switched by the
bridge pass that policy too (br_netfilter), and two containers on the bridge could not talk. VNet
then adds what Docker adds for docker0, an accept of traffic in and out of this bridge
(-i NAME -o NAME), in DOCKER-USER where Docker made it, else at the top of FORWARD, and says so with
-Verbose. Remove-NetLink of the bridge removes it. Without a DROP policy nothing is added.

With -Isolated, the new bridge is also marked isolated, as Set-NetBridge -Isolated does: no
traffic is routed between it and any other isolated bridge of the namespace, as Docker keeps its
networks apart (DOCKER-ISOLATION-STAGE-1/2). If marking it fails, the bridge is deleted again, so
nothing is left half-made.

{{LinkName}}
'@
    Parameters = @{
        Name = 'The names of the bridges to create, such as br0.'
        Namespace = "The namespace to create the bridges in: {{Namespace}}"
        Mtu = 'The MTU of the bridge, from 68 to 65535. A bridge otherwise takes the smallest MTU of its ports.'
        MacAddress = 'The bridge''s own MAC address, six hex bytes such as 02:42:c6:33:64:01 (unicast). By default VNet picks a random locally administered one.'
        Down = 'Leaves the bridge down. By default it comes up.'
        Isolated = @'
Also isolates the bridge from every other isolated bridge of the namespace (see Set-NetBridge),
in VNet's nftables table. The containers on it still talk to each other and, with a masquerade
rule (Add-NatRule), reach the outside. Where the FORWARD policy is DROP, VNet accepts the bridge's
traffic in DOCKER-USER (or FORWARD) and says so with -Verbose.
'@
        Force = 'Makes a re-run succeed: when what would be created is already there as asked, it is returned (and nothing changes) instead of an error; when something of that name is there but differs, the error ExistsDifferently names each difference. Only what was asked is compared. This is New-Item -Force''s idiom, for runbooks that run twice.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.NetLink'; Description = 'The new bridge as Get-NetLink shows it (Kind bridge).' }
    )
    Errors = @(
        'InvalidLinkName: the name is empty, ''.'' or ''..'', or contains ''/'', '':'' or whitespace.'
        'LinkNameTooLong: the name is longer than 15 bytes.'
        'InvalidMtu: -Mtu is outside 68..65535.'
        'InvalidMacAddress: -MacAddress is not six hex bytes, or is multicast.'
        'LinkExists: an interface of that name exists in the namespace.'
        'NamespaceNotFound: -Namespace does not exist.'
        'NftablesMissing: with -Isolated, libnftables is not installed (Debian and Ubuntu: libnftables1); the bridge is deleted again.'
        'IptablesRejected: under a FORWARD policy of DROP, iptables refused VNet''s accept rule for the bridge; the bridge is deleted again.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Notes = @'
On a host where Docker runs, bridged frames also pass the firewall's FORWARD hook (br_netfilter,
net.bridge.bridge-nf-call-iptables=1), and Docker's FORWARD policy is DROP: without an accept, two
namespaces on a bridge of your own could not talk there. That is why New-NetBridge adds one for its
bridge under such a policy (see the description). A fresh namespace has no rules, so a bridge made
inside one (an emulated host) gets nothing. VNet never sets a global FORWARD ACCEPT.

If Docker (or anyone) sets the DROP policy after the bridge was made, the bridge has no accept yet;
Set-NetBridge NAME -Isolated (or -Isolated:$false) adds it.

The isolation of -Isolated is kept by bridge name; Remove-NetLink of the bridge lifts it, with the
bridge's accepts.
'@
    Examples = @(
        @{
            Title = 'A bridge with the gateway address'
            Code = @'
# ip link add mybridge type bridge
# ip addr add 198.51.100.1/24 brd + dev mybridge
# ip link set mybridge up
New-NetBridge br0
New-NetIPAddress br0 198.51.100.1/24
'@
            Output = @'
Name               State          MacAddress        Mtu   Kind     Master     Namespace
----               -----          ----------        ---   ----     ------     ---------
br0                UNKNOWN        02:f6:30:cd:b8:41 1500  bridge

InterfaceName  Family Address                          Scope   Namespace
-------------  ------ -------                          -----   ---------
br0            IPv4   198.51.100.1/24                  global
'@
            Remarks = @'
The bridge is administratively up (AdminUp); its operational State reads UNKNOWN until its
first port is up, then UP.
'@
        }
        @{
            Title = 'A bridge as a switch for two namespaces'
            Code = @'
New-NetBridge br0
New-NetIPAddress br0 198.51.100.1/24
foreach ($i in 1, 2) {
    New-NetNamespace "ns$i"
    New-VethPair "veth$i" eth0 -PeerNamespace "ns$i"      # ip link add ... type veth peer ... netns
    Add-BridgePort br0 "veth$i"                           # ip link set veth$i master br0
    New-NetIPAddress eth0 "198.51.100.1$i/24" -Namespace "ns$i"
    New-NetRoute default -Gateway 198.51.100.1 -Namespace "ns$i"   # ip route add default via
}
Invoke-NetNamespace ns1 -- ping -c 1 198.51.100.12
'@
            Remarks = @'
ns1 (198.51.100.11) and ns2 (198.51.100.12) are plugged into br0 by a veth pair each, with a
default route via the bridge's address, as `ip route add default via 198.51.100.1` would. ns1 then pings ns2
through the bridge.
'@
        }
        @{
            Title = 'A bridge inside another namespace'
            Code = @'
New-NetNamespace hostA
New-NetBridge br0 -Namespace hostA -Mtu 1450
'@
            Remarks = @'
An emulated lab host (a namespace) gets its own bridge; each namespace can have a br0 of its own.
'@
        }
        @{
            Title = 'An isolated network, as `docker network create` makes one'
            Code = @'
New-NetBridge br1 -Isolated -Verbose
New-NetIPAddress br1 192.0.2.1/24
Add-NatRule -Masquerade -Source 192.0.2.0/24
'@
            Output = @'
VERBOSE: Performing the operation "Create bridge" on target "br1".
VERBOSE: The FORWARD policy is DROP: accepted forwarded traffic of bridge 'br1' in chain DOCKER-USER.

Name               State          MacAddress        Mtu   Kind     Master     Namespace
----               -----          ----------        ---   ----     ------     ---------
br1                UNKNOWN        12:01:32:50:b9:a6 1500  bridge
'@
            Remarks = @'
On a host with Docker's rules (FORWARD policy DROP), br1 is created isolated from the other
isolated bridges, and its traffic is accepted in DOCKER-USER; with the masquerade rule its
containers reach the outside, but not the containers of another isolated bridge.
'@
        }
    )
    Links = @('Set-NetBridge', 'Add-BridgePort', 'Get-BridgePort', 'Get-BridgeFdb', 'New-NetIPAddress', 'Remove-NetLink')
}
