@{
    Synopsis = 'Lists the veths of a namespace, each with its peer: name, index, namespace and the processes on the other side.'
    Description = @'
Get-VethPair answers "which veth belongs to which container?" in one call. `ip link` on a Docker
host prints names like veth9f2049c@if5: the peer's index (5), but not which namespace it is in;
by hand, one matches the numbers by running `ip a` inside every container.

For every veth in a namespace (-Namespace, the namespace of -ProcessId, or the current one),
Get-VethPair returns this end's Name, Index, MacAddress, Mtu, State and Master (its bridge), and
for the other end its PeerName, PeerIndex, PeerMacAddress, PeerNamespace and PeerProcesses: the
processes that live on the far side, such as a container's main process. Processes lists those on
this side.

The kernel reports a veth's peer only by an interface index and a namespace id that is local to
the asking namespace. VNet asks the kernel which id each namespace it can find has (see
Get-NetNamespace: named, Docker's and every process's), reads the peer there, and names the
namespace by its /run/netns name, else by a path that opens it (/run/docker/netns/ID,
/proc/PID/ns/net). PeerNamespace is empty when the peer is in the caller's own namespace or next
to this end; PeerResolved is False when the far side is in a namespace VNet cannot find.
'@
    Parameters = @{
        InterfaceName = 'Only veths whose name matches (with -AllNamespaces: either end''s name); wildcards (* and ?) are allowed. -Name is an alias. Objects that are links (Get-NetLink, Get-VethPair, Get-BridgePort, New-VethPair) bind by property name (their Name is aliased InterfaceName); a piped namespace does not.'
        Namespace = "The namespace whose veths to list: {{Namespace}}"
        ProcessId = 'List the veths of the namespace this process lives in, for example a container''s main process (`docker inspect -f ''{{.State.Pid}}'' web`). Same as -Namespace /proc/PID/ns/net.'
        AllNamespaces = 'Every veth cable on the host once, whatever namespaces its ends are in: each cable is seen from the end on a bridge (the host side of a container''s cable), else from the end in the caller''s namespace, with both ends'' names, namespaces (a container by name) and the processes on the far side.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace, so `Get-NetNamespace | Get-VethPair` covers every namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Links.VethPair'; Description = 'One object per veth: Name, Namespace, Index, MacAddress, Mtu, State, Master, PeerName, PeerNamespace, PeerNamespaceInode, PeerIndex, PeerMacAddress, Processes, PeerProcesses, PeerResolved.' }
    )
    Errors = @(
        'NamespaceNotFound: the namespace, or /proc/PID/ns/net for -ProcessId, does not exist.'
        'InvalidNamespaceName: the namespace name is not valid.'
        'NamespaceStale: the name is an empty file under /run/netns, not a mounted namespace.'
        'InvalidLinkName, LinkNameTooLong: a -Name without wildcards is not a valid interface name.'
    )
    Examples = @(
        @{
            Title = 'Which namespace is behind each host veth?'
            Code = @'
# ip -br link | grep veth; then `ip a` in every namespace to match the @ifN numbers
Get-VethPair
'@
            Output = @'
Namespace       Name            PeerName        PeerNamespace
---------       ----            --------        -------------
(current)       vethd1          eth0            web (docker) [10271/httpd]
(current)       veth1           eth0            ns1
(current)       veth2           eth0            ns2
'@
            Remarks = @'
Run in the host's namespace, it lists the host ends with the namespace on the far side. vethd1
leads into the Docker container web (its namespace is a /run/docker/netns file, in the
PeerNamespace property), whose main process is httpd; veth1 and veth2 lead into the named
namespaces ns1 and ns2.
'@
        }
        @{
            Title = 'The wiring of the whole host'
            Code = @'
Get-VethPair -AllNamespaces
'@
            Output = @'
Namespace       Name            PeerName        PeerNamespace
---------       ----            --------        -------------
(current)       up0             eth0            outside
hostA           vb1             eth0            blue-1
hostA           vb2             eth0            blue-2
'@
            Remarks = @'
Every cable once, whichever namespaces its ends are in, seen from its bridge side: here an uplink
from the current namespace to outside, and two containers on a bridge inside the emulated host
hostA. Each end's namespace is shown; Format-List * shows indexes, MACs and processes of both ends.
'@
        }
        @{
            Title = 'From inside: the host end of a namespace''s eth0'
            Code = @'
Get-VethPair -Namespace ns1 | Select-Object Name, PeerName, PeerNamespace, PeerIndex
'@
            Remarks = @'
eth0 in ns1 is connected to veth1 in the caller's namespace (PeerNamespace is empty for the
caller's own namespace).
'@
        }
        @{
            Title = 'The host veth of a Docker container, and its bridge'
            Code = @'
$containerPid = docker inspect -f '{{.State.Pid}}' web
$eth0 = Get-VethPair -ProcessId $containerPid -Name eth0
Get-VethPair -Name 'veth*' | Where-Object Index -eq $eth0.PeerIndex | Select-Object Name, Master
'@
            Remarks = @'
Starting from the container's main process, finds the host end of its eth0 and the bridge it is
plugged into (docker0 by default).
'@
        }
    )
    Links = @('New-VethPair', 'Get-NetNamespace', 'Get-NetLink', 'Get-BridgePort')
}
