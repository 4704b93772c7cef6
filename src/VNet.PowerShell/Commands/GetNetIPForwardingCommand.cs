using System.Management.Automation;
using VNet.Core.Sysctl;

namespace VNet.PowerShell.Commands;

/// <summary>`sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding` in one namespace.</summary>
[Cmdlet(VerbsCommon.Get, "NetIPForwarding")]
[OutputType(typeof(NetIPForwarding))]
public sealed class GetNetIPForwardingCommand : VNetCmdlet
{
    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string[] AddressFamily { get; set; } = { "IPv4", "IPv6" };

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var f in AddressFamily) Try(() => WriteObject(Ctx.Forwarding.Get(Namespace, f)));
    }
}
