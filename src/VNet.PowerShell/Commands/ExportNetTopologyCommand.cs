using System.Management.Automation;
using VNet.Core.Topology;

namespace VNet.PowerShell.Commands;

/// <summary>
/// The current wiring as a document (YAML or JSON, for Import-NetTopology and for diffs) or as a
/// picture (Graphviz DOT, Mermaid, SVG). Writes the text to the pipeline, or to -Path.
/// </summary>
[Cmdlet(VerbsData.Export, "NetTopology", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class ExportNetTopologyCommand : VNetCmdlet
{
    /// <summary>Namespaces to describe ('' is the current one); by default the current one and every named one.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    [AllowEmptyString]
    public string[]? Namespace { get; set; }

    [Parameter] [ValidateSet("Yaml", "Json", "Dot", "Mermaid", "Svg")] public string Format { get; set; } = "Yaml";

    /// <summary>A file to write instead of the pipeline.</summary>
    [Parameter] public string? Path { get; set; }

    private readonly List<string?> _namespaces = new();

    protected override void ProcessRecord()
    {
        if (Namespace != null) _namespaces.AddRange(Namespace);
    }

    protected override void EndProcessing()
    {
        try
        {
            Try(() =>
            {
                var exporter = new TopologyExporter(Ctx);
                var doc = exporter.Export(_namespaces);
                foreach (var note in exporter.Notes) WriteVerbose(note);
                string text = Format switch
                {
                    "Json" => TopologySerializer.ToJson(doc),
                    "Dot" => TopologyPicture.ToDot(doc),
                    "Mermaid" => TopologyPicture.ToMermaid(doc),
                    "Svg" => TopologyPicture.ToSvg(doc),
                    _ => TopologySerializer.ToYaml(doc),
                };
                if (Path == null) { WriteObject(text); return; }
                string full = GetUnresolvedProviderPathFromPSPath(Path);
                if (ShouldProcess(full, $"Write the topology ({Format})")) File.WriteAllText(full, text);
            });
        }
        finally
        {
            base.EndProcessing();
        }
    }
}
