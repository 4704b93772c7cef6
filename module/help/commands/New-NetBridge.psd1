@{
    Synopsis = 'Creates a Linux bridge (a virtual switch), up, as `ip link add NAME type bridge` and `ip link set NAME up` do.'
    Description = @'
New-NetBridge creates a bridge in a namespace and brings it up (unless -Down). A bridge is a
software switch: interfaces plugged into it with Add-BridgePort (usually the host ends of veth
pairs) exchange frames, and the bridge learns which MAC address is behind which port
(Get-BridgeFdb). Given an address (New-NetIPAddress), the bridge is also the gateway of the
namespaces plugged into it, as docker0 is for Docker's containers.

{{LinkName}}
'@
    Parameters = @{
        Isolated = 'Also isolate the bridge from the other isolated bridges (Docker''s DOCKER-ISOLATION stages); see Set-NetBridge. If that fails, the bridge is deleted again.'
        Name = 'The names of the bridges to create, such as br0.'
        Namespace = "The namespace to create the bridges in: {{Namespace}}"
        Mtu = 'The MTU of the bridge, from 68 to 65535. A bridge otherwise takes the smallest MTU of its ports.'
        MacAddress = 'The bridge''s own MAC address, six hex bytes such as 02:42:c6:33:64:01 (unicast). By default the kernel picks one.'
        Down = 'Leaves the bridge down. By default it comes up.'
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
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Notes = @'
On a host where Docker runs, bridged frames also pass the firewall's FORWARD hook (br_netfilter,
net.bridge.bridge-nf-call-iptables=1), and Docker's FORWARD policy is DROP: two namespaces on a
bridge of your own cannot talk there until something accepts that traffic. A fresh namespace has
no rules, so a bridge made inside one (an emulated host) is not affected.
'@
    Examples = @(
        @{
            Title = 'A bridge with the gateway address (seed 004)'
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
            Title = 'A bridge as a switch for two namespaces (scenario S2)'
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
default route via the bridge's address, like seed 004's mybridge example. ns1 then pings ns2
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
    )
    Links = @('Add-BridgePort', 'Get-BridgePort', 'Get-BridgeFdb', 'New-NetIPAddress', 'Remove-NetLink')
}
