using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Each veth of a namespace with its peer: name, index, namespace and the processes there. Answers
/// "which host veth belongs to which container" (the `veth1b2c3@if5` puzzle) in one call; with
/// -AllNamespaces, every cable on the host once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "VethPair", DefaultParameterSetName = "Namespace")]
[OutputType(typeof(VethPair))]
public sealed class GetVethPairCommand : LinkCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface", "InterfaceAlias")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? InterfaceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "Namespace")]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The namespace of this process (a container's main process, say).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ProcessId")]
    [Alias("Pid")]
    public int ProcessId { get; set; }

    /// <summary>Every cable on the host once, both ends with their namespaces, containers and processes.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "All")]
    public SwitchParameter AllNamespaces { get; set; }

    protected override void ProcessRecord()
    {
        string? name = BoundFromNamespace(nameof(InterfaceName)) ? null : InterfaceName ?? PipedName;
        if (ParameterSetName == "All")
        {
            Try(() => WriteObject(VethCables.List(Ctx, name), true));
            return;
        }
        string? ns = ParameterSetName == "ProcessId" ? $"/proc/{ProcessId}/ns/net" : Namespace;
        Try(() => WriteObject(Ctx.Veths.List(ns, name), true));
    }
}
