@{
    Synopsis = 'Writes the current wiring (namespaces, bridges, veth cables, VXLAN tunnels, addresses, routes, NAT) as a YAML or JSON document that Import-NetTopology applies, or as a picture (Graphviz DOT, Mermaid, SVG).'
    Description = @'
Export-NetTopology reads what is wired on this host and writes it as one document: the named
namespaces (with IP forwarding where it is on), the bridges with their ports (and whether they are
isolated), each veth cable once with both ends and their namespaces, the VXLAN tunnels with their
VNI, underlay device, remote and the further VTEPs they flood to, the addresses and routes on those
interfaces, and VNet's NAT rules and published ports.

The document is meant to be kept and compared: its lists are always in the same order (by
namespace, then name, address or destination), and default values are left out (an MTU of 1500,
a link that is up, port 4789), so exporting the same wiring twice gives the same text, and a
change shows as a small diff. Import-NetTopology builds it again from the file, and
Import-NetTopology -Remove takes down exactly what it describes.

Only what VNet can make again is described. Loopback, hardware devices (and veths whose far end is
in a namespace VNet cannot find, such as an emulated host's uplink) are not; neither are what the
kernel adds by itself: link-local and loopback addresses, addresses that come and go (SLAAC, DHCP),
and the routes of connected subnets. Such devices still appear where they are used: a tunnel's
-Device, a bridge's ports, a NAT rule's out interface.

A namespace that is left out in the document (no "namespace:" line) is the one the export ran in.
The schema is described in the README (Topology files).

-Format Dot, Mermaid and Svg draw the same wiring: each namespace as a box, the interfaces in it
labelled with their addresses, bridges and tunnels, each veth cable as a line between its two
ends, tunnels as dashed lines to their remote VTEPs, and routes and NAT rules under the
namespace's name. Dot is Graphviz's language (`dot -Tpng` draws it), Mermaid renders in GitHub
and many wikis, and Svg runs Graphviz's dot itself.
'@
    Parameters = @{
        Namespace = @'
The namespaces to describe: names under /run/netns (as `ip netns list` shows them) or paths of
namespace files; '' (an empty string) is the current namespace. By default the current namespace
and every named one. Names from the pipeline (Get-NetNamespace) are gathered into one document.
'@
        Format = 'Yaml (the default), Json, Dot (Graphviz), Mermaid, or Svg (rendered by Graphviz''s dot, which must be installed: Debian and Ubuntu package graphviz).'
        Path = 'Writes the text to this file (replacing it) instead of to the pipeline.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'System.String'; Description = 'The document or picture as one string, unless -Path is given (then nothing).' }
    )
    Errors = @(
        'NamespaceNotFound: a namespace given with -Namespace does not exist.'
        'GraphvizMissing: -Format Svg without Graphviz''s dot installed.'
        'GraphvizFailed: dot could not draw the picture.'
        'NftablesMissing: libnftables is not installed; the export has no NAT rules then (-Verbose says so) and is otherwise complete.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'The wiring of a bridge with two containers'
            Code = @'
Export-NetTopology
'@
            Output = @'
# VNet topology (Export-NetTopology); apply with Import-NetTopology
version: 1
namespaces:
- name: c1
- name: c2
bridges:
- name: br0
  ports:
  - veth-c1
  - veth-c2
veths:
- name: veth-c1
  peerName: eth0
  peerNamespace: c1
- name: veth-c2
  peerName: eth0
  peerNamespace: c2
addresses:
- interface: br0
  address: 198.51.100.1/24
- namespace: c1
  interface: eth0
  address: 198.51.100.11/24
- namespace: c2
  interface: eth0
  address: 198.51.100.12/24
routes:
- namespace: c1
  destination: default
  gateway: 198.51.100.1
  interface: eth0
nat:
- kind: Masquerade
  source: 198.51.100.0/24
'@
            Remarks = @'
After the README's example session and Add-NatRule -Masquerade -Source 198.51.100.0/24. Keep it
in version control: the next export shows what changed as a diff.
'@
        }
        @{
            Title = 'Save it, take it down, build it again'
            Code = @'
Export-NetTopology -Path lab.yaml
Import-NetTopology lab.yaml -Remove
Import-NetTopology lab.yaml
'@
            Remarks = 'The same wiring comes back: a new Export-NetTopology gives the same text as lab.yaml.'
        }
        @{
            Title = 'A picture for the wiki'
            Code = @'
Export-NetTopology -Format Svg -Path topology.svg
Export-NetTopology -Format Mermaid | Set-Content topology.mmd
Export-NetTopology -Namespace '', c1 -Format Dot | dot -Tpng -o topology.png
'@
            Remarks = 'The third line draws only the current namespace and c1, with Graphviz''s own PNG output.'
        }
        @{
            Title = 'Compare two hosts of a lab'
            Code = @'
$a = Invoke-VNetLabCommand lab hostA { Export-NetTopology -Format Json } | ConvertFrom-Json
$b = Invoke-VNetLabCommand lab hostB { Export-NetTopology -Format Json } | ConvertFrom-Json
Compare-Object $a.vxlans $b.vxlans -Property vni, device
'@
            Remarks = 'The JSON form has the same names as the YAML one; ConvertFrom-Json turns it into objects to compare.'
        }
    )
    Links = @('Import-NetTopology', 'Get-VethPair', 'Get-BridgePort', 'Get-VxlanTunnel', 'Get-NatRule')
}
