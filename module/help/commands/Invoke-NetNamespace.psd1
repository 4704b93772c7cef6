@{
    Synopsis = 'Runs a native command or a script block inside a network namespace, as `ip netns exec` does.'
    Description = @'
Invoke-NetNamespace runs something inside a namespace and returns its output to the caller.

A native command (-Command, with -ArgumentList) is started inside the namespace. Its standard
output comes back as strings while it runs; each line of its standard error becomes a
non-terminating error (ErrorId NativeCommandError); its exit code is left in $LASTEXITCODE. A
non-zero exit code makes `$?` false, as for any native command in pwsh; with
$PSNativeCommandUseErrorActionPreference set to $true it is also an error (NativeCommandFailed),
which -ErrorAction Stop turns into a terminating one.

Write `--` after the namespace name when the command has arguments of its own that start with '-':
`Invoke-NetNamespace ns1 -- ping -c 1 198.51.100.11`. Everything after `--` goes to the program.
Without `--`, PowerShell first reads such words as Invoke-NetNamespace's own parameters; when the
words after the program are plain text, Invoke-NetNamespace gives them back to the program as
written (`Invoke-NetNamespace ns1 ping -c 1 198.51.100.11` works), and otherwise
(a variable among them) it stops with InvokeNeedsDoubleDash, which says to use `--`. A word that
is an ambiguous abbreviation of a PowerShell parameter (-W for -WhatIf or -WarningAction) is
refused by PowerShell itself before Invoke-NetNamespace runs: there, too, use `--`.

Unlike `ip netns exec`, no mount namespace is created: names the command makes with `ip netns add`
stay visible afterwards, and /sys is not remounted (tools that use netlink, such as ip, ping and
ss, see the namespace; tools that read /sys/class/net see the caller's).

A script block (-ScriptBlock) runs in a new PowerShell runspace on a thread of VNet's own that has
entered the namespace, with VNet imported. VNet cmdlets called there without -Namespace therefore
work on that namespace. The script block reads the caller's variables as `$using:name` (also
`$using:list[0]` and `$using:obj.Property`), as with Invoke-Command and Start-ThreadJob, or takes
values from -ArgumentList (as $args, or as param() parameters). Its output objects and errors are
returned to the caller when it finishes.

No thread of the caller's session ever enters the namespace; the thread that did leaves it (or
ends) when the work is done. Ctrl+C stops a native command and its children.
'@
    Parameters = @{
        Namespace = @'
The namespace to run in (alias -Name): a /run/netns name, or the path of a namespace file
(/run/docker/netns/ID, /proc/PID/ns/net). Objects with a Namespace property, such as
Get-NetNamespace's, bind by property name.
'@
        ScriptBlock = @'
The PowerShell code to run inside the namespace, in a runspace of its own with VNet imported. Use
-ArgumentList to pass it values.
'@
        Command = @'
The program to run, looked up on PATH (ip, ping, ss, nc, a shell...). Everything after it on the
command line is passed to it as arguments; write `--` before the program when those arguments
start with '-'.
'@
        ArgumentList = @'
Arguments for the native command, or for the script block ($args or its param() block). With a
native command, the remaining words of the command line land here, so they are rarely named.
'@
    }
    Inputs = 'Piped Get-NetNamespace objects bind through their Namespace property (the name, else the path), so Docker''s and process namespaces can be piped too; then name -ScriptBlock or -Command (a positional word would be taken as the namespace).'
    Outputs = @(
        @{ Type = 'System.String'; Description = 'With a native command: each line of its standard output, as it is written.' }
        @{ Type = 'System.Object'; Description = 'With a script block: whatever the script block returns.' }
    )
    Errors = @(
        'NamespaceNotFound: there is no such /run/netns name or namespace file.'
        'InvalidNamespaceName: the name contains ''/'' (and is not a path), whitespace or ''..''.'
        'NamespaceStale: /run/netns/NAME is an empty file, not a mounted namespace (left behind by `ip netns add` run in another mount namespace); remove it and create it again.'
        'CommandNotFound: the native program cannot be started (not on PATH, not executable).'
        'NativeCommandError: one line that the native command wrote to standard error.'
        'NativeCommandFailed: the native command ended with a non-zero exit code while $PSNativeCommandUseErrorActionPreference is $true.'
        'InvokeNeedsDoubleDash: PowerShell took an argument of the program for a parameter of Invoke-NetNamespace, and the words after the program are not plain text that can be given back; put -- before the program.'
        'PermissionDenied: the session cannot enter the namespace (needs root or CAP_SYS_ADMIN).'
    )
    Notes = @'
The script block's runspace is new: modules other than VNet and the caller's functions are not
there (import what it needs inside the script block); the caller's variables are there only as
$using: values. For a program that should keep running in the background (a server), use
Start-NetNamespaceProcess.
'@
    Examples = @(
        @{
            Title = 'Ping from one namespace to another'
            Code = @'
# ip netns exec ns1 ping -c 1 198.51.100.11
Invoke-NetNamespace ns1 -- ping -c 1 198.51.100.11
$LASTEXITCODE
'@
            Output = @'
PING 198.51.100.11 (198.51.100.11) 56(84) bytes of data.
64 bytes from 198.51.100.11: icmp_seq=1 ttl=64 time=0.185 ms

--- 198.51.100.11 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.185/0.185/0.185/0.000 ms
0
'@
            Remarks = @'
`--` ends Invoke-NetNamespace's own parameters, so `-c 1` goes to ping. $LASTEXITCODE holds
ping's exit code (0: it answered).
'@
        }
        @{
            Title = 'Run `ip` inside, in a named or a Docker namespace'
            Code = @'
# ip netns exec ns1 ip -br addr
Invoke-NetNamespace ns1 -- ip -br addr
# a container's namespace has no name: give its file
Invoke-NetNamespace /run/docker/netns/1a2b3c4d5e6f -- ip -br link
'@
            Remarks = @'
Any namespace file works as the name: Docker's (see Get-NetNamespace) or /proc/PID/ns/net.
'@
        }
        @{
            Title = 'A script block with VNet cmdlets inside the namespace'
            Code = @'
Invoke-NetNamespace ns1 { Get-NetLink; Get-NetRoute }
'@
            Remarks = @'
Inside the script block the current namespace is ns1, so Get-NetLink and Get-NetRoute need no
-Namespace. The objects come back to the caller.
'@
        }
        @{
            Title = 'Pass values into the script block'
            Code = @'
$gateway = '198.51.100.1'
Invoke-NetNamespace ns1 { New-NetRoute default -Gateway $using:gateway }
# or, the older way
Invoke-NetNamespace ns1 -ArgumentList $gateway -ScriptBlock { param($gw) New-NetRoute default -Gateway $gw }
'@
            Remarks = @'
The script block runs in its own runspace; $using:gateway reads the caller's $gateway, as in
Invoke-Command. This adds the default route of ns1, like `ip netns exec ns1 ip route add default
via 198.51.100.1`.
'@
        }
    )
    Links = @('Get-NetNamespace', 'New-NetNamespace', 'Start-NetNamespaceProcess')
}
