using System.Management.Automation;
using VNet.Core.Docker;
using VNet.Core.Namespaces;

namespace VNet.PowerShell.Commands;

/// <summary>
/// `ip netns add NAME` (lo comes up), or, with -Container, -Path or -ProcessId, a /run/netns name
/// for a namespace that already exists (what seed 000 does by hand with `ln -s
/// /var/run/docker/netns/ID /var/run/netns/NAME`). Removing such a name never ends the namespace.
/// </summary>
[Cmdlet(VerbsCommon.New, "NetNamespace", SupportsShouldProcess = true, DefaultParameterSetName = "New")]
[OutputType(typeof(NetNamespace))]
public sealed class NewNetNamespaceCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "New")]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Container")]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path")]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ProcessId")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Name the namespace of this running Docker container (name or ID), asked of the Docker Engine API.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Container")]
    public string Container { get; set; } = "";

    /// <summary>Name the namespace at this path (Docker's /run/docker/netns/ID, /proc/PID/ns/net).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path")]
    public string Path { get; set; } = "";

    /// <summary>Name the namespace of this process.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ProcessId")]
    [Alias("Pid")]
    public int ProcessId { get; set; }

    /// <summary>
    /// Converge instead of failing: a namespace that exists is returned quietly, and a stale name
    /// (nothing mounted on it, as a kill mid-creation leaves) gets a namespace mounted on it.
    /// </summary>
    [Parameter(ParameterSetName = "New")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        // Every name of the list is checked before the first namespace is made.
        bool valid = true;
        foreach (var n in Name)
        {
            try { VNet.Core.Validation.NamespaceName(n); }
            catch (VNet.Core.VNetException e) { WriteError(ToErrorRecord(e)); valid = false; }
        }
        if (!valid) return;
        foreach (var n in Name)
        {
            if (ParameterSetName == "New")
            {
                if (!ShouldProcess(n, "Create network namespace")) continue;
                Try(() => WriteObject(Ctx.Namespaces.Create(n, Force.IsPresent)));
                continue;
            }
            if (Name.Length > 1)
            {
                WriteError(ToErrorRecord(new VNet.Core.VNetException("OneNameForExisting", VNet.Core.VNetErrorCategory.InvalidArgument,
                    "Give one -Name when naming an existing namespace.", n)));
                return;
            }
            Try(() =>
            {
                string source = ParameterSetName switch
                {
                    "Container" => DockerClient.NamespaceOf(Container),
                    "ProcessId" => $"/proc/{ProcessId}/ns/net",
                    _ => Path,
                };
                if (!ShouldProcess(n, $"Name the network namespace {source}")) return;
                WriteObject(Ctx.Namespaces.Name(n, source));
            });
        }
    }
}
