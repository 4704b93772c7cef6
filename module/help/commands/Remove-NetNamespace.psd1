@{
    Synopsis = 'Removes named network namespaces, as `ip netns delete` does.'
    Description = @'
Remove-NetNamespace unmounts /run/netns/NAME and deletes the file. The namespace itself ends when
nothing else holds it: once no process lives in it and no file or handle keeps it open, the kernel
destroys it with every interface in it (a veth in it takes its peer along, wherever the peer is).
The kernel does that asynchronously; so when no process lives in the namespace and no other name
or bind mount holds it, Remove-NetNamespace deletes its interfaces itself first, and returns once
they are gone: a veth of the same host-side name can be made again at once. When something does
keep the namespace alive, the cmdlet says so in a warning that names it, and leaves its
interfaces alone.

Removing a namespace that does not exist is not an error by default; -Strict makes it one.
It also removes a stale name (an empty file left under /run/netns by a killed session or by a tool
that ran in another mount namespace, the NamespaceStale case of the other cmdlets). Every name of
a list is checked before the first is removed.
'@
    Parameters = @{
        Name = 'The /run/netns names to remove. Accepts names and Get-NetNamespace objects from the pipeline.'
        Strict = "{{Strict}}`n`nWith -Strict, a name that does not exist raises NamespaceNotFound."
        Force = 'Ends the processes still living in the namespace first (SIGTERM, then SIGKILL for those still there after 2 seconds), so that the namespace and its interfaces go with its name. Without -Force, such processes are named in a warning and keep the namespace alive after its name is removed.'
    }
    Inputs = 'The objects of Get-NetNamespace and New-NetNamespace bind through their Name property.'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, a name that was already gone is reported.' }
    )
    Errors = @(
        'InvalidNamespaceName: the name is empty or contains ''/'', whitespace or ''..'' (a path cannot be removed, only a name).'
        'NamespaceNotFound: with -Strict, there is no /run/netns/NAME.'
        'PermissionDenied: the session cannot unmount or delete the file (not root).'
    )
    Examples = @(
        @{
            Title = 'Remove two namespaces and the cable between them'
            Code = @'
# ip netns delete ns1; ip netns delete ns2
Remove-NetNamespace ns1, ns2
'@
            Remarks = @'
The veth pair between them goes too: each end dies with its namespace.
'@
        }
        @{
            Title = 'Clean up every lab namespace, and run it again safely'
            Code = @'
Get-NetNamespace 'lab-*' | Remove-NetNamespace -Verbose
Remove-NetNamespace lab-1 -Verbose
'@
            Output = @'
VERBOSE: Performing the operation "Remove network namespace" on target "lab-1".
VERBOSE: Performing the operation "Remove network namespace" on target "lab-2".
VERBOSE: Performing the operation "Remove network namespace" on target "lab-1".
VERBOSE: Namespace 'lab-1' was already gone.
'@
            Remarks = @'
The second call finds nothing to remove and says so only in the verbose stream.
'@
        }
        @{
            Title = 'Insist that it existed'
            Code = @'
Remove-NetNamespace ns9 -Strict -ErrorAction Stop
'@
            Output = @'
Remove-NetNamespace: Namespace 'ns9' does not exist (no /run/netns/ns9).
'@
            Remarks = @'
With -Strict, a missing namespace is an ObjectNotFound error with ErrorId NamespaceNotFound.
'@
        }
    )
    Links = @('New-NetNamespace', 'Get-NetNamespace')
}
