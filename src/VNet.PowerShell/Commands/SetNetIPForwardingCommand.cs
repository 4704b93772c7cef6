using System.Management.Automation;
using VNet.Core.Sysctl;

namespace VNet.PowerShell.Commands;

/// <summary>`sysctl net.ipv4.ip_forward=1` (or IPv6 forwarding) in one namespace.</summary>
[Cmdlet(VerbsCommon.Set, "NetIPForwarding", SupportsShouldProcess = true)]
[OutputType(typeof(NetIPForwarding))]
public sealed class SetNetIPForwardingCommand : VNetCmdlet
{
    /// <summary>A switch: -Enabled turns forwarding on, -Enabled:$false off.</summary>
    [Parameter]
    public SwitchParameter Enabled { get; set; }

    /// <summary>Scripts written when -Enabled took a value (`-Enabled $true`, or `Set-NetIPForwarding $true`) still work.</summary>
    [Parameter(Position = 0, DontShow = true)]
    public bool? EnabledValue { get; set; }

    [Parameter]
    [ValidateSet("IPv4", "IPv6")]
    public string[] AddressFamily { get; set; } = { "IPv4" };

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (EnabledValue == null && !MyInvocation.BoundParameters.ContainsKey(nameof(Enabled)))
        {
            WriteError(ToErrorRecord(new Core.VNetException("ParameterMissing", Core.VNetErrorCategory.InvalidArgument,
                "Say what to set: -Enabled, or -Enabled:$false to turn forwarding off.", Namespace)));
            return;
        }
        bool enabled = EnabledValue ?? Enabled.IsPresent;
        foreach (var f in AddressFamily)
        {
            string target = string.IsNullOrEmpty(Namespace) ? "current namespace" : $"namespace '{Namespace}'";
            if (!ShouldProcess(target, $"{(enabled ? "Enable" : "Disable")} {f} forwarding")) continue;
            Try(() =>
            {
                var r = Ctx.Forwarding.Set(enabled, Namespace, f);
                if (PassThru) WriteObject(r);
            });
        }
    }
}
