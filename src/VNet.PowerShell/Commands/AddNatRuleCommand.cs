using System.Management.Automation;
using VNet.Core.Filter;

namespace VNet.PowerShell.Commands;

/// <summary>
/// `iptables -t nat -A POSTROUTING -s NET -j MASQUERADE`, SNAT, or `docker run -p HOST:CONTAINER`,
/// each one nftables transaction in VNet's own table.
/// </summary>
[Cmdlet(VerbsCommon.Add, "NatRule", SupportsShouldProcess = true, DefaultParameterSetName = "Masquerade")]
[OutputType(typeof(NatRule))]
public sealed class AddNatRuleCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Masquerade")] public SwitchParameter Masquerade { get; set; }
    [Parameter(Mandatory = true, ParameterSetName = "Snat")] public SwitchParameter Snat { get; set; }

    /// <summary>The port or range published on the host (10080, or 8000-8010).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Publish")]
    public string PublishPort { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "Masquerade")]
    [Parameter(Mandatory = true, ParameterSetName = "Snat")]
    public string Source { get; set; } = "";

    [Parameter(ParameterSetName = "Masquerade")]
    [Parameter(ParameterSetName = "Snat")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? OutInterface { get; set; }

    /// <summary>SNAT: the address to rewrite to. Publish: the container's address.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Snat")]
    [Parameter(Mandatory = true, ParameterSetName = "Publish")]
    public string ToAddress { get; set; } = "";

    [Parameter(ParameterSetName = "Publish")]
    [ValidateSet("tcp", "udp")]
    public string Protocol { get; set; } = "tcp";

    /// <summary>The container's port or range (default: the same as -PublishPort).</summary>
    [Parameter(ParameterSetName = "Publish")] public string? ToPort { get; set; }

    /// <summary>Publish only on this host address (`-p 203.0.113.1:10080:80`); default: every local address.</summary>
    [Parameter(ParameterSetName = "Publish")] public string? HostAddress { get; set; }

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
        Try(() =>
        {
            // Checked here, naming the parameter and the value as typed, before the NAT code sees it.
            if (ParameterSetName == "Publish")
            {
                VNet.Core.Validation.PortRange(PublishPort, "-PublishPort");
                if (ToPort != null) VNet.Core.Validation.PortRange(ToPort, "-ToPort");
            }
            var rule = Ctx.Nat.Add(spec);
            foreach (var w in Ctx.Nat.Warnings) WriteWarning(w);
            foreach (var n in Ctx.Nat.Notes) WriteVerbose(n);
            WriteObject(rule);
        });
    }
}
