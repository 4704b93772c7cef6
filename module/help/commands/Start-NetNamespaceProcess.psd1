@{
    Synopsis = 'Starts a program in the background inside a network namespace and returns it as a Process, as Start-Process does on the host.'
    Description = @'
Start-NetNamespaceProcess starts a long-running program, such as a web server or `iperf3 -s`,
inside a namespace and returns at once with a System.Diagnostics.Process for it: its Id, HasExited,
Kill() and WaitForExit() work as for any process, and Stop-Process -Id ends it.

The program is detached the way a daemon is: it runs in a session of its own (so Ctrl+C and a
closed terminal do not reach it), its standard input is /dev/null, and its standard output and
error go to the files named by -RedirectStandardOutput and -RedirectStandardError (appended), or
are discarded. It holds none of the caller's streams, so `$(pwsh -c '...')` in a shell script
returns without waiting for it, and it keeps running after the pwsh session that started it ends.

Like Invoke-NetNamespace, it enters the namespace without a mount namespace of its own. A program
living in a namespace keeps that namespace (and its interfaces) alive after its name is removed:
Remove-NetNamespace warns about such processes, and Remove-NetNamespace -Force ends them.
'@
    Parameters = @{
        Namespace = @'
The namespace to start the program in (alias -Name): a /run/netns name, or the path of a namespace
file (/run/docker/netns/ID, /proc/PID/ns/net). Objects with a Namespace property, such as
Get-NetNamespace's, bind by property name.
'@
        FilePath = 'The program to start, looked up on PATH (or a path to it). -Command is an alias.'
        ArgumentList = 'The arguments of the program, each passed as one argument (no shell splitting).'
        RedirectStandardOutput = 'A file to append the program''s standard output to. By default it is discarded.'
        RedirectStandardError = 'A file to append the program''s standard error to. By default it is discarded.'
        WorkingDirectory = 'The directory the program starts in. By default, the current location.'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'System.Diagnostics.Process'; Description = 'The program that was started (its Id is the program''s own, not a wrapper''s).' }
    )
    Errors = @(
        'NamespaceNotFound: there is no such /run/netns name or namespace file.'
        'CommandNotFound: the program is not on PATH and is not a file.'
        'PermissionDenied: the session cannot enter the namespace (needs root or CAP_SYS_ADMIN).'
    )
    Examples = @(
        @{
            Title = 'A web server in a container namespace, reached from another one'
            Code = @'
# ip netns exec web python3 -m http.server 80 &
$server = Start-NetNamespaceProcess web python3 -ArgumentList '-m', 'http.server', '80' -RedirectStandardError /tmp/web.log
Invoke-NetNamespace client -- curl -s -o /dev/null -w '%{http_code}\n' http://198.51.100.10/
Stop-Process -Id $server.Id
'@
            Output = @'
200
'@
            Remarks = @'
The server runs in the background in namespace web; its log goes to /tmp/web.log. Stop-Process
ends it like any other process.
'@
        }
        @{
            Title = 'iperf3 between two namespaces, and a clean teardown'
            Code = @'
Start-NetNamespaceProcess ns2 iperf3 -ArgumentList '-s' | Out-Null
Invoke-NetNamespace ns1 -- iperf3 -c 198.51.100.12 -t 2
Remove-NetNamespace ns2 -Force
'@
            Remarks = @'
Remove-NetNamespace -Force ends the iperf3 server still living in ns2, so that ns2 and its
interfaces go with the name. Without -Force, it would warn that iperf3 keeps the namespace alive.
'@
        }
    )
    Links = @('Invoke-NetNamespace', 'Remove-NetNamespace', 'Get-NetNamespace')
}
