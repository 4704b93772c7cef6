@{
    Synopsis = 'Builds the wiring a topology file describes (Export-NetTopology''s YAML or JSON): creates what is missing, leaves what matches, reports what differs; -Remove takes down what the file describes and nothing else.'
    Description = @'
Import-NetTopology makes the kernel match a topology file, in dependency order: namespaces (and
their IP forwarding), bridges, veth cables, VXLAN tunnels and their peers, bridge ports, MTUs and
up/down states, bridge isolation, addresses, routes, then NAT rules and published ports.

It can be run again at any time. What already exists as described is left alone (-Verbose lists
it); what is missing is created; what can be changed in place (an MTU, a port's bridge, up or
down, isolation, forwarding) is changed. What exists but differs in a way that cannot be changed in
place (a tunnel with another VNI, a veth whose far end is another interface, a name taken by
another kind of link) is reported as a Differs object with a warning, and left as it is. A second
import of the same file therefore changes nothing and writes nothing.

The whole file is checked before the first change: unknown keys, values that are not valid (an
interface name over 15 bytes, an address that is not one, a VNI out of range), names described
twice, and references to interfaces or namespaces that neither the file describes nor exist. The
error names the file, the place of the value in it (such as bridges[1].name) and the value.

Each change asks ShouldProcess: -WhatIf shows the plan (every step that would be done, in order)
and changes nothing; -Confirm asks step by step. If a step fails, the steps before it that created
something are undone in reverse order, then the error is reported.

-Remove takes down what the file describes, in reverse order (NAT, routes, addresses, tunnels,
veths, bridges, namespaces), and nothing else: a link of the same name that is not what the file
says (a veth joined to another end) is left, and what is already gone is skipped quietly. A
namespace the file lists is removed with everything in it.

The file format and its schema are described in the README (Topology files).
'@
    Parameters = @{
        Path = 'The topology file, YAML or JSON (told apart by its first character: JSON starts with {). Get-ChildItem output binds through its FullName.'
        Remove = 'Takes down what the file describes, in reverse order, instead of building it.'
    }
    Inputs = 'Get-ChildItem (file) output binds through FullName.'
    Outputs = @(
        @{ Type = 'VNet.Core.Topology.TopologyChange'; Description = 'One object per step done: Action (Create, Change, Remove, or Differs for what was left because it differs), Kind (Namespace, Bridge, Veth, Vxlan, VxlanPeer, BridgePort, Mtu, State, Isolation, Forwarding, Address, Route, Nat), Namespace, Name, Detail and Place (where the file describes it). Nothing when everything already matched.' }
    )
    Errors = @(
        'TopologyFileNotFound: -Path does not exist.'
        'TopologyInvalid: the file is not YAML or JSON of this schema (an unknown key, a wrong type); the line is named.'
        'TopologyValueInvalid: a value in the file is not valid, or refers to something that is not there; its place in the file and the reason are named.'
        'LinkExists, RouteExists, NatRuleExists, PublishExists: something appeared between the check and the step (the steps before are undone).'
        'KernelRejected: the kernel refused a step (its words are in the message; the steps before are undone).'
        'NftablesMissing: the file has NAT rules and libnftables is not installed.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Build a lab from a file, twice'
            Code = @'
Import-NetTopology lab.yaml
Import-NetTopology lab.yaml          # nothing left to do: no output
'@
            Remarks = 'The second run finds everything in place and writes nothing (-Verbose lists what it left as it was).'
            Output = @'
Action  Kind       Namespace  Name                             Place
------  ----       ---------  ----                             -----
Create  Namespace             c1                               namespaces[0]
Create  Namespace             c2                               namespaces[1]
Create  Bridge                br0                              bridges[0]
Create  Veth                  veth-c1/eth0                     veths[0]
Create  Veth                  veth-c2/eth0                     veths[1]
Change  BridgePort            veth-c1 -> br0                   bridges[0].ports[0]
Change  BridgePort            veth-c2 -> br0                   bridges[0].ports[1]
Create  Address               198.51.100.1/24 on br0           addresses[0]
Create  Address    c1         198.51.100.11/24 on eth0         addresses[1]
Create  Address    c2         198.51.100.12/24 on eth0         addresses[2]
Create  Route      c1         default via 198.51.100.1         routes[0]
Create  Nat                   masquerade 198.51.100.0/24       nat[0]
'@
        }
        @{
            Title = 'See the plan first'
            Code = @'
Import-NetTopology lab.yaml -WhatIf
'@
            Output = @'
What if: Performing the operation "Create" on target "Namespace c1 (namespaces[0])".
What if: Performing the operation "Create" on target "Bridge br0 (bridges[0])".
What if: Performing the operation "Create (veth-c1 <-> eth0 in c1)" on target "Veth veth-c1/eth0 (veths[0])".
...
'@
            Remarks = 'Every step that would run, in order; nothing is changed. What already matches is not listed (-Verbose lists it).'
        }
        @{
            Title = 'Tear down what a file built, and only that'
            Code = @'
Import-NetTopology lab.yaml -Remove
'@
            Remarks = 'Other bridges, namespaces and NAT rules on the host stay as they are.'
        }
        @{
            Title = 'A mistake in the file is found before anything changes'
            Code = @'
Import-NetTopology lab.yaml
'@
            Output = @'
Import-NetTopology: Topology file '/root/lab.yaml', addresses[2].address: '198.51.100.300/24' is not valid: '198.51.100.300/24' is not a valid address with prefix length: '198.51.100.300' is not an IPv4 or IPv6 address.
'@
            Remarks = 'The file is checked as a whole first: nothing was created.'
        }
    )
    Links = @('Export-NetTopology', 'New-NetNamespace', 'New-VethPair', 'New-VxlanTunnel', 'Add-NatRule')
}
