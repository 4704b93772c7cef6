# Text shared by several cmdlets' help; a cmdlet's file writes {{Key}} where it belongs.
@{
    Namespace = @'
a name under /run/netns (the names `ip netns list` shows), or the path of a namespace file, such
as Docker's /run/docker/netns/1a2b3c4d5e6f or a process's /proc/4242/ns/net. Omit it for the
caller's own namespace.

It binds by property name, so the objects VNet's cmdlets return, which carry a Namespace property,
pipe straight in (see INPUTS for which ones fit this cmdlet).
'@
    Strict = @'
Makes "already gone" an error. Without -Strict, removing something that does not exist succeeds
quietly (-Verbose says it was already gone), so a clean-up script can run twice.
'@
    LinkName = @'
A Linux interface name is at most 15 bytes (IFNAMSIZ) and may not contain '/', ':' or
whitespace, nor be '.' or '..'; a name that breaks these rules is refused before anything is sent
to the kernel.
'@
}
