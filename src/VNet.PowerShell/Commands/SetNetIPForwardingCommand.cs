using System.Management.Automation;
using VNet.Core.Sysctl;

namespace VNet.PowerShell.Commands;

/// <summary>`sysctl net.ipv4.ip_forward=1` (or IPv6 forwarding) in one namespace.</summary>
[Cmdlet(VerbsCommon.Set, "NetIPForwarding", SupportsShouldProcess = true)]
[OutputType(typeof(NetIPForwarding))]
public sealed class SetNetIPForwardingCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public bool Enabled { get; set; }

    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string[] AddressFamily { get; set; } = { "IPv4" };

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var f in AddressFamily)
        {
            string target = string.IsNullOrEmpty(Namespace) ? "current namespace" : $"namespace '{Namespace}'";
            if (!ShouldProcess(target, $"{(Enabled ? "Enable" : "Disable")} {f} forwarding")) continue;
            Try(() =>
            {
                var r = Ctx.Forwarding.Set(Enabled, Namespace, f);
                if (PassThru) WriteObject(r);
            });
        }
    }
}
