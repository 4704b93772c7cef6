using System.Management.Automation;
using VNet.Core;
using VNet.Core.Namespaces;

namespace VNet.PowerShell.Commands;

/// <summary>Named (/run/netns), Docker's and every process's network namespaces, merged by identity.</summary>
[Cmdlet(VerbsCommon.Get, "NetNamespace", DefaultParameterSetName = "Name")]
[OutputType(typeof(NetNamespace))]
public sealed class GetNetNamespaceCommand : VNetCmdlet
{
    [Parameter(Position = 0, ParameterSetName = "Name", ValueFromPipeline = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ProcessId", ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "Pid")]
    public int[]? ProcessId { get; set; }

    /// <summary>The namespace of this running Docker container (name or ID).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Container")]
    [ArgumentCompleter(typeof(Completion.ContainerCompleter))]
    public string? Container { get; set; }

    /// <summary>Only namespaces with a /run/netns name (what `ip netns list` shows).</summary>
    [Parameter(ParameterSetName = "Name")]
    public SwitchParameter Named { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (Container != null)
            {
                var c = VNet.Core.Docker.DockerClient.Find(Container);
                WriteObject(Ctx.Namespaces.List().Where(n => n.ContainerId == c.ShortId), true);
                return;
            }
            bool onlyNamed = Named.IsPresent || (Name is { Length: > 0 });
            var list = Ctx.Namespaces.List(Name, ProcessId, includeProcesses: true);
            if (onlyNamed) list = list.Where(n => n.Name != null).ToList();
            if (Name != null)
            {
                foreach (var n in Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && !list.Any(x => x.Name == n)))
                    WriteError(ToErrorRecord(Messages.Error("NamespaceNotFound", VNetErrorCategory.ObjectNotFound, n, n, NamespaceService.DefaultNetnsDir + "/" + n)));
            }
            if (ProcessId != null)
            {
                foreach (var p in ProcessId.Where(p => !list.Any(x => x.ProcessIds.Contains(p))))
                    WriteError(ToErrorRecord(Messages.Error("ProcessNotFound", VNetErrorCategory.ObjectNotFound, p, p)));
            }
            WriteObject(list, true);
        });
    }
}
