@{
    Synopsis = 'Brings up the multi-host lab a lab file describes: emulated hosts in namespaces (default) or Vagrant VMs.'
    Description = @'
Start-VNetLab reads a lab file (lab/two-host.json: hosts and their underlay addresses in
192.0.2.0/24; unknown keys are errors) and brings the lab up.

Emulated (default, what CI runs): each host is an init process with network, mount and PID
namespaces of its own, so it behaves like a machine: its /run/netns is its own (container names
repeat across hosts), its /run/vnet, /var/lib/vnet, /etc/vnet and /etc/netns are private tmpfs
mounts (each host has its own networks, agent, store.json and resolv.conf files), and killing it
(Stop-VNetLab -HostName, or kill -9 of its AnchorProcessId) ends everything that runs on it, as a
power loss would. Hosts are wired through their underlay interface (eth1) to a switch namespace.
The lab's state is kept under /run/vnet/lab/NAME. Vagrant ($env:VNET_LAB_BACKEND = 'vagrant' or
-Backend Vagrant): runs `vagrant up` with the Vagrantfile at the repository root, which reads the
same lab file.

With a store ("store": "etcd" in the lab file, or -Store etcd), an etcd cluster runs on the hosts:
one member per host, or three (on the first three hosts) for three or more, each on its host's
underlay address (client port 2379, peer 2380), its data under the host's /var/lib/vnet. When it is
healthy, every host's /etc/vnet/store.json points at it (the members' client URLs, the host's
underlay address, its name and a random host id). The lab's Store property lists the members;
Stop-VNetLabStore and Start-VNetLabStore kill and restart members.

Run commands on a host with Invoke-VNetLabCommand, and stop the lab with Stop-VNetLab.
'@
    Parameters = @{
        LabFile = 'The lab file (alias -Path), such as lab/two-host.json or lab/three-host.json.'
        Backend = 'Emulated or Vagrant. Default: $env:VNET_LAB_BACKEND, else Emulated.'
        Store = 'etcd: also start an etcd cluster on the hosts and point every host at it; none: no store. Overrides the lab file''s "store".'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Lab.LabInstance'; Description = 'The running lab: Name, Backend, Underlay, its Hosts (name, address, device, namespace, process ids, Running) and its Store (endpoints and etcd members).' }
    )
    Errors = @(
        'LabFileInvalid: the file is missing, not JSON, has an unknown key, a bad address or a repeated host.'
        'LabExists: a lab of that name is running.'
        'LabHostFailed: an emulated host or vagrant up failed.'
        'LabStoreFailed: the etcd cluster did not become healthy (the message carries etcdctl''s answer and the end of each member''s log); the lab is torn down.'
        'PermissionDenied: the session lacks root.'
    )
    Examples = @(
        @{
            Title = 'The two-host lab'
            Code = @'
Start-VNetLab lab/two-host.json
Invoke-VNetLabCommand vxlab A { Get-NetLink }
'@
            Remarks = @'
Hosts A (192.0.2.11) and B (192.0.2.12), each with eth1 on the underlay.
'@
        }
        @{
            Title = 'Three hosts by configuration alone'
            Code = @'
Start-VNetLab lab/three-host.json
'@
            Remarks = @'
The same code, a third host C (192.0.2.13), and a three-member etcd cluster (the file says "store": "etcd").
'@
        }
        @{
            Title = 'The two-host lab with a store'
            Code = @'
$lab = Start-VNetLab lab/two-host.json -Store etcd
$lab.Store.Endpoints
Invoke-VNetLabCommand vxlab B -Command cat /etc/vnet/store.json
'@
            Remarks = @'
Two members, one on each host; each host's store.json names both and its own underlay address.
'@
        }
    )
}
