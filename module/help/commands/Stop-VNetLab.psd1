@{
    Synopsis = 'Tears a lab down: its hosts, their containers and tunnels, and the underlay.'
    Description = @'
Stop-VNetLab ends an emulated lab's host processes (their namespaces go with them), removes the switch namespace and the state under /run/vnet/lab, or runs `vagrant destroy` for a Vagrant lab. Stopping a lab that is not running is quiet.
'@
    Parameters = @{
        Name = 'The labs to stop.'
        Strict = '{{Strict}}'
    }
    Errors = @(
        'LabNotFound: with -Strict, no such lab.'
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
