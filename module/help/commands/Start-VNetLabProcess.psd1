@{
    Synopsis = 'Starts a program on a lab host in the background: a server, an agent, a long capture.'
    Description = @'
Start-VNetLabProcess starts a program on an emulated lab host (inside the host's network, mount and PID namespaces, as Invoke-VNetLabCommand does) and returns at once, when the program runs. It is detached (its own session, stdin from /dev/null) and its output is appended to a log file on the host (default /run/vnet/lab-log/PROGRAM.log: read it with Invoke-VNetLabCommand LAB HOST -Command cat PATH). It lives as long as the host: killing the host (Stop-VNetLab -HostName) or stopping the lab ends it. Stop it earlier with Invoke-VNetLabCommand LAB HOST -Command kill PID, using the ProcessId returned (the number on the host).
'@
    Parameters = @{
        Name = 'The lab (alias -Lab).'
        HostName = 'The host (alias -Host), such as B.'
        FilePath = 'The program, found through the host''s PATH.'
        ArgumentList = 'Its arguments (alias -Args); the remaining arguments of the command line.'
        LogPath = 'Where its output goes, on the host. Default: /run/vnet/lab-log/PROGRAM.log (the host''s private /run/vnet).'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Lab.LabProcess'; Description = 'The host, the PID on the host (ProcessId), the PID this machine gives it (OuterProcessId), the command line and the log path.' }
    )
    Errors = @(
        'LabNotFound: no running lab of that name.'
        'LabHostNotFound: the lab has no such host.'
        'LabHostNotRunning: the host was killed.'
        'LabProcessFailed: the program could not be executed on the host (the message carries why).'
        'LabBackendUnsupported: a Vagrant lab (run `nohup ... &` through Invoke-VNetLabCommand).'
    )
    Examples = @(
        @{
            Title = 'A listener on host B'
            Code = @'
$p = Start-VNetLabProcess vxlab B socat TCP-LISTEN:7000,fork EXEC:cat
Invoke-VNetLabCommand vxlab A -Command sh -ArgumentList '-c', 'echo hi | socat - TCP:192.0.2.12:7000'
'@
            Remarks = @'
The echo server runs on B until B or the lab is stopped.
'@
        }
        @{
            Title = 'What dies with a host'
            Code = @'
$p = Start-VNetLabProcess vxlab B sleep 1000
Stop-VNetLab vxlab -HostName B
Get-Process -Id $p.OuterProcessId -ErrorAction SilentlyContinue
'@
            Remarks = @'
Nothing: the kernel ended every process of the host when its init died.
'@
        }
    )
}
