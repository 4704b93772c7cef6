@{
    Synopsis = 'Tears a lab down: its hosts, their containers and tunnels, and the underlay.'
    Description = @'
Stop-VNetLab ends an emulated lab's host processes (their namespaces, and everything running on them: agents, etcd members, go with them), removes the switch namespace and the state under /run/vnet/lab, or runs `vagrant destroy` for a Vagrant lab. Stopping a lab that is not running is quiet.

With -HostName, only those hosts are killed, as a power loss would: SIGKILL to the host's anchor process ends every process on it, its private /run/vnet, /var/lib/vnet, /etc/vnet and /etc/netns go, and its underlay port is unplugged from the switch, so the other hosts get no answer from it (timeouts, not refused connections). The rest of the lab runs on; Get-VNetLab shows the host with Running False, and Invoke-VNetLabCommand on it fails with LabHostNotRunning. A killed host cannot be started again: stop and start the lab.
'@
    Parameters = @{
        Name = 'The labs to stop.'
        HostName = 'Only these hosts (alias -Host): killed like a power loss; the lab stays. Emulated labs only.'
        Strict = '{{Strict}}'
    }
    Errors = @(
        'LabNotFound: with -Strict, no such lab (with -HostName, always).'
        'LabHostNotFound: -HostName names no host of the lab.'
        'LabHostNotRunning: with -Strict and -HostName, the host was already down.'
        'LabBackendUnsupported: -HostName on a Vagrant lab (use vagrant halt -f).'
    )
    Examples = @(
        @{
            Title = 'Stop the two-host lab'
            Code = @'
Stop-VNetLab vxlab
'@
            Remarks = @'
Everything the lab made goes, including containers and tunnels on its hosts.
'@
        }
        @{
            Title = 'Kill one host, as a power loss would'
            Code = @'
Stop-VNetLab vxlab3 -HostName B
Get-VNetLab vxlab3
'@
            Remarks = @'
Everything on B ends (its agent, its etcd member); A and C run on and see B fall silent.
'@
        }
        @{
            Title = 'Stop every lab'
            Code = @'
Get-VNetLab | Stop-VNetLab
'@
            Remarks = @'
Labs pipe in by Name.
'@
        }
    )
}
