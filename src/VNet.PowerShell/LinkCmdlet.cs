using System.Management.Automation;
using VNet.Core.Namespaces;

namespace VNet.PowerShell;

/// <summary>
/// Base of the cmdlets that take a link (an interface, a bridge) by name and bind it from the
/// objects VNet emits. Their link parameter keeps its old name (-Name) as an alias so no script
/// breaks, but PowerShell binds aliases from the pipeline too, and a piped NetNamespace has a Name
/// (the namespace's): `Get-NetNamespace ns1 | Get-NetLink` must list ns1's links, not look for a
/// link called ns1. The whole piped object arrives in the hidden -InputObject, which tells the two apart.
/// </summary>
public abstract class LinkCmdlet : VNetCmdlet
{
    /// <summary>The piped object itself; only used to see what the by-property-name values came from.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    private HashSet<string> _named = new(StringComparer.OrdinalIgnoreCase);

    protected override void BeginProcessing()
    {
        _named = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        base.BeginProcessing();
    }

    /// <summary>
    /// Whether <paramref name="parameter"/> was not given on the command line but filled from a
    /// piped namespace's Name: then it names no link and is to be ignored.
    /// </summary>
    protected bool BoundFromNamespace(string parameter) =>
        !_named.Contains(parameter) && InputObject?.BaseObject is NetNamespace;

    /// <summary>A plain string piped in ('eth0' | Get-NetLink): a link's name.</summary>
    protected string? PipedName => InputObject?.BaseObject as string;
}
