using System.Management.Automation;
using VNet.Core.Filter;

namespace VNet.PowerShell.Commands;

/// <summary>
/// `iptables -t nat -A POSTROUTING -s NET -j MASQUERADE`, SNAT, or `docker run -p HOST:CONTAINER`,
/// in VNet's own table. Rules that come down the pipeline are gathered and committed together in
/// EndProcessing: one nftables transaction per namespace, all or nothing (1,000 publishes cost
/// about what one does).
/// </summary>
[Cmdlet(VerbsCommon.Add, "NatRule", SupportsShouldProcess = true, DefaultParameterSetName = "Masquerade")]
[OutputType(typeof(NatRule))]
public sealed class AddNatRuleCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Masquerade")] public SwitchParameter Masquerade { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Snat")] public SwitchParameter Snat { get; set; }

    /// <summary>The port or range published on the host (10080, or 8000-8010).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Publish", ValueFromPipelineByPropertyName = true)]
    public string PublishPort { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "Masquerade", ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = "Snat", ValueFromPipelineByPropertyName = true)]
    public string Source { get; set; } = "";

    [Parameter(ParameterSetName = "Masquerade", ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = "Snat", ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? OutInterface { get; set; }

    /// <summary>SNAT: the address to rewrite to. Publish: the container's address.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Snat", ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = "Publish", ValueFromPipelineByPropertyName = true)]
    public string ToAddress { get; set; } = "";

    [Parameter(ParameterSetName = "Publish", ValueFromPipelineByPropertyName = true)]
    [ValidateSet("tcp", "udp")]
    public string Protocol { get; set; } = "tcp";

    /// <summary>The container's port or range (default: the same as -PublishPort).</summary>
    [Parameter(ParameterSetName = "Publish", ValueFromPipelineByPropertyName = true)] public string? ToPort { get; set; }

    /// <summary>Publish only on this host address (`-p 203.0.113.1:10080:80`); default: every local address.</summary>
    [Parameter(ParameterSetName = "Publish", ValueFromPipelineByPropertyName = true)] public string? HostAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Also write the rule object (it is written anyway; kept for symmetry with other Add- cmdlets).</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var spec = new NatSpec
        {
            Kind = ParameterSetName, Source = ParameterSetName == "Publish" ? null : Source, OutInterface = OutInterface,
            ToAddress = ParameterSetName == "Masquerade" ? null : ToAddress, Protocol = Protocol,
            PublishPort = ParameterSetName == "Publish" ? PublishPort : null, ToPort = ToPort, HostAddress = HostAddress, Namespace = Namespace,
        };
        string what = ParameterSetName switch
        {
            "Publish" => $"Publish {Protocol} {PublishPort} to {ToAddress}{(ToPort != null ? ":" + ToPort : "")}",
            "Snat" => $"SNAT {Source} to {ToAddress}",
            _ => $"Masquerade {Source}{(OutInterface != null ? " out of " + OutInterface : "")}",
        };
        if (!ShouldProcess(string.IsNullOrEmpty(Namespace) ? "current namespace" : $"namespace '{Namespace}'", what)) return;
        _specs.Add(spec);
    }

    private readonly List<NatSpec> _specs = new();

    /// <summary>Commits everything the pipeline gave, as one change (validated as a whole first).</summary>
    protected override void EndProcessing()
    {
        if (_specs.Count > 0)
        {
            Try(() =>
            {
                var d = new VNet.Core.Diagnostics();
                var rules = Ctx.Nat.AddMany(_specs, d);
                foreach (var w in d.Warnings) WriteWarning(w);
                foreach (var n in d.Notes) WriteVerbose(n);
                WriteObject(rules, true);
            });
        }
        base.EndProcessing();
    }
}
