@{
    Synopsis = 'Runs a script block (with VNet imported) or a command on a host of a lab, the same way for emulated hosts and VMs.'
    Description = @'
Invoke-VNetLabCommand runs something "on host A": on an emulated host by entering its network, mount and PID namespaces (nsenter: it sees the host's own processes, VNet state and store.json), on a Vagrant VM through `vagrant ssh`. A script block runs in pwsh on the host with VNet imported; its output comes back as deserialized objects, its errors as error records and its warnings, verbose and Write-Host text as such (each prefixed with the host's name). To start something that keeps running, use Start-VNetLabProcess. A native command's output comes back as lines and its exit code as $LASTEXITCODE. Put `--` before a native command whose arguments start with '-'.
'@
    Parameters = @{
        Name = 'The lab (alias -Lab).'
        HostName = 'The host (alias -Host), such as A.'
        ScriptBlock = 'PowerShell to run on the host; VNet is imported there.'
        Command = 'A native program to run on the host.'
        ArgumentList = 'Arguments for the script block ($args or param()) or the native command.'
    }
    Errors = @(
        'LabNotFound: no running lab of that name.'
        'LabHostNotFound: the lab has no such host.'
        'LabHostNotRunning: the host was killed (Stop-VNetLab -HostName).'
        'LabCommandError: a line the command wrote to standard error.'
    )
    Examples = @(
        @{
            Title = 'Build on host A'
            Code = @'
Invoke-VNetLabCommand vxlab A {
    New-NetBridge br0 | Out-Null
    New-VxlanTunnel vxlan0 -Vni 77 -Device eth1 -Bridge br0
}
'@
            Remarks = @'
The tunnel object comes back to the caller.
'@
        }
        @{
            Title = 'A native command with arguments'
            Code = @'
Invoke-VNetLabCommand vxlab A -Command ip -- netns exec c1 ping -c 1 198.51.100.3
'@
            Remarks = @'
The ping's lines come back; $LASTEXITCODE says whether it answered.
'@
        }
    )
}
