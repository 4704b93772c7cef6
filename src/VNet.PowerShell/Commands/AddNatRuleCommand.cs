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
    [Alias("OutInterfaceName")]
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

    /// <summary>Write the rule objects (Add- and Set- cmdlets write objects only when asked).</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    /// <summary>Re-runs: a rule already there as asked is fine (returned with -PassThru); one that differs is an error naming the difference.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

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
        Try(() =>
        {
            // Checked here, naming the parameter and the value as typed, before the NAT code sees it.
            if (ParameterSetName == "Publish")
            {
                VNet.Core.Validation.PortRange(PublishPort, "-PublishPort");
                if (ToPort != null) VNet.Core.Validation.PortRange(ToPort, "-ToPort");
            }
            if (Force && FindExisting(spec) is NatRule existing)
            {
                WriteVerbose($"NAT rule '{existing.Id}' is already there.");
                if (PassThru) WriteObject(existing);
                return;
            }
            if (!ShouldProcess(string.IsNullOrEmpty(Namespace) ? "current namespace" : $"namespace '{Namespace}'", what)) return;
            _specs.Add(spec);
        });
    }

    private readonly List<NatSpec> _specs = new();
    private readonly Dictionary<string, List<NatRule>> _existing = new(StringComparer.Ordinal);

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
                if (PassThru) WriteObject(rules, true);
            });
        }
        base.EndProcessing();
    }

    /// <summary>
    /// The rule of VNet's table that this spec describes, null when there is none; ExistsDifferently
    /// when what it would claim (a source's masquerade, a published port) is held by a rule of other
    /// settings. Done here from Get-NatRule's objects because the NAT core is being rebuilt; it
    /// belongs in the core (NatService) once that settles.
    /// </summary>
    private NatRule? FindExisting(NatSpec spec)
    {
        // Read once per namespace per call: a pipeline of 1,000 re-runs does not list the table 1,000 times.
        string key = spec.Namespace ?? "";
        if (!_existing.TryGetValue(key, out var rules)) _existing[key] = rules = Ctx.Nat.List(spec.Namespace);
        string nsText = "in " + VNet.Core.Links.LinkService.NsText(spec.Namespace);
        if (spec.Kind == "Publish")
        {
            string proto = spec.Protocol.ToLowerInvariant();
            var (from, to) = NatService.PortRange(spec.PublishPort, "PublishPort");
            var (tFrom, tTo) = spec.ToPort != null ? NatService.PortRange(spec.ToPort, "ToPort") : (from, to);
            string? host = spec.HostAddress != null ? VNet.Core.Validation.Address(spec.HostAddress, "HostAddress").ToString() : null;
            string target = VNet.Core.Validation.Address(spec.ToAddress, "ToAddress").ToString();
            foreach (var r in rules.Where(r => r.Kind == "Publish" && r.Protocol == proto && r.HostAddress == host))
            {
                var (a, b) = NatService.PortRange(r.PublishPort, "PublishPort");
                if (b < from || a > to) continue; // no port in common
                var (ta, tb) = r.ToPort != null ? NatService.PortRange(r.ToPort, "ToPort") : (a, b);
                var diffs = new List<string>();
                if (a != from || b != to) diffs.Add($"it publishes {r.PublishPort}, not {spec.PublishPort}");
                if (r.ToAddress != target) diffs.Add($"it goes to {r.ToAddress}, not {target}");
                if (ta != tFrom || tb != tTo) diffs.Add($"to port {r.ToPort}, not {spec.ToPort ?? spec.PublishPort}");
                if (diffs.Count == 0) return r;
                throw VNet.Core.Messages.Error("ExistsDifferently", VNet.Core.VNetErrorCategory.ResourceExists, spec.PublishPort,
                    "Published port", $"{proto}/{r.PublishPort}", nsText, string.Join("; ", diffs));
            }
            return null;
        }
        var src = VNet.Core.Validation.Cidr(spec.Source);
        string net = $"{src.Network()}/{src.PrefixLength}";
        string? toAddr = spec.ToAddress != null ? VNet.Core.Validation.Address(spec.ToAddress, "ToAddress").ToString() : null;
        foreach (var r in rules.Where(r => (r.Kind == "Masquerade" || r.Kind == "Snat") && r.Source == net && r.OutInterface == spec.OutInterface))
        {
            var diffs = new List<string>();
            if (!string.Equals(r.Kind, spec.Kind, StringComparison.OrdinalIgnoreCase)) diffs.Add($"it is a {r.Kind} rule, not {spec.Kind}");
            else if (r.ToAddress != toAddr) diffs.Add($"it rewrites to {r.ToAddress}, not {toAddr}");
            if (diffs.Count == 0) return r;
            throw VNet.Core.Messages.Error("ExistsDifferently", VNet.Core.VNetErrorCategory.ResourceExists, spec.Source,
                "NAT rule", r.Id, nsText, string.Join("; ", diffs));
        }
        return null;
    }
}
