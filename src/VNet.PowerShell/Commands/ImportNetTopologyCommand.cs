using System.Management.Automation;
using VNet.Core;
using VNet.Core.Topology;

namespace VNet.PowerShell.Commands;

/// <summary>
/// Applies a topology document (Export-NetTopology's YAML or JSON): creates what is missing, leaves
/// what matches, and reports each change and each difference as an object; -Remove takes down what
/// the file describes, in reverse order. The whole file is checked before the first change.
/// </summary>
[Cmdlet(VerbsData.Import, "NetTopology", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TopologyChange))]
public sealed class ImportNetTopologyCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    /// <summary>Remove what the file describes instead of creating it.</summary>
    [Parameter] public SwitchParameter Remove { get; set; }

    protected override void ProcessRecord()
    {
        string full = GetUnresolvedProviderPathFromPSPath(Path);
        Try(() =>
        {
            var doc = TopologySerializer.ReadFile(full);
            var importer = new TopologyImporter(Ctx);
            var plan = importer.Plan(doc, full, Remove.IsPresent);
            foreach (var s in plan.Where(s => s.Action == "Keep")) WriteVerbose($"Unchanged: {s.Kind} {s.Name}{In(s.Namespace)} ({s.Place})");
            var done = importer.Apply(plan, s => ShouldProcess($"{s.Kind} {s.Name}{In(s.Namespace)} ({s.Place})", s.Action + (s.Detail != null ? $" ({s.Detail})" : "")));
            foreach (var s in done.Where(s => s.Action == "Differs"))
                WriteWarning($"{s.Kind} {s.Name}{In(s.Namespace)} differs from {s.Place}: {s.Detail}");
            WriteObject(done, true);
        });
    }
}
