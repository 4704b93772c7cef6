@{
    Synopsis = 'Brings up the multi-host lab a lab file describes: emulated hosts in namespaces (default) or Vagrant VMs.'
    Description = @'
Start-VNetLab reads a lab file (lab/two-host.json: hosts and their underlay addresses in
192.0.2.0/24; unknown keys are errors) and brings the lab up.

Emulated (default, what CI runs): each host is a process with a network namespace and a mount
namespace of its own, whose /run/netns is its own (so container names repeat across hosts, as on
separate machines), wired through its underlay interface (eth1) to a switch namespace. Its state is
kept under /run/vnet/lab/NAME. Vagrant ($env:VNET_LAB_BACKEND = 'vagrant' or -Backend Vagrant): runs
`vagrant up` with the Vagrantfile at the repository root, which reads the same lab file.

Run commands on a host with Invoke-VNetLabCommand, and stop the lab with Stop-VNetLab.
'@
    Parameters = @{
        LabFile = 'The lab file (alias -Path), such as lab/two-host.json or lab/three-host.json.'
        Backend = 'Emulated or Vagrant. Default: $env:VNET_LAB_BACKEND, else Emulated.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Lab.LabInstance'; Description = 'The running lab: Name, Backend, Underlay and its Hosts (name, address, device, namespace).' }
    )
    Errors = @(
        'LabFileInvalid: the file is missing, not JSON, has an unknown key, a bad address or a repeated host.'
        'LabExists: a lab of that name is running.'
        'LabHostFailed: an emulated host or vagrant up failed.'
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
The same code, a third host C (192.0.2.13).
'@
        }
    )
}
