using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link add NAME type vxlan id VNI remote IP dstport 4789 dev DEV; ip link set NAME master BR up` in one call.</summary>
[Cmdlet(VerbsCommon.New, "VxlanTunnel", SupportsShouldProcess = true, DefaultParameterSetName = "Remote")]
[OutputType(typeof(VxlanTunnel))]
public sealed class NewVxlanTunnelCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>VXLAN network identifier, 1 to 16777215.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Id")]
    public int Vni { get; set; }

    [Parameter] public string? Local { get; set; }

    /// <summary>The remote VTEP (its default destination; it cannot be removed later: use Add-VxlanPeer for removable peers).</summary>
    [Parameter(ParameterSetName = "Remote")] public string? Remote { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Group")] public string? Group { get; set; }

    /// <summary>The underlay device (enp0s8, eth1).</summary>
    [Parameter]
    [Alias("Dev")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? Device { get; set; }

    /// <summary>UDP port; default 4789 (IANA). The kernel's own default is 8472.</summary>
    [Parameter]
    [Alias("DstPort")]
    public int Port { get; set; } = VxlanService.IanaPort;

    [Parameter]
    [Alias("Master")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string? Bridge { get; set; }

    /// <summary>Learn remote MACs from received traffic (on by default; -Learning:$false for static peers only).</summary>
    [Parameter] public SwitchParameter Learning { get; set; } = true;

    [Parameter] public int? Mtu { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Re-runs: a tunnel already there as asked is returned instead of an error; one that differs is an error naming the difference.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var spec = new VxlanSpec
        {
            Name = Name, Vni = Vni, Local = Local, Remote = Remote, Group = Group, Device = Device, Port = Port,
            Bridge = Bridge, Learning = Learning.IsPresent, Mtu = Mtu, Namespace = Namespace,
        };
        Try(() =>
        {
            if (Force && ExistingLinks.Vxlan(Ctx, spec) is VxlanTunnel existing)
            {
                WriteVerbose($"VXLAN tunnel '{Name}' is already there{In(Namespace)}.");
                WriteObject(existing);
                return;
            }
            if (!ShouldProcess($"{Name}{In(Namespace)}", $"Create VXLAN tunnel VNI {Vni}")) return;
            var t = Ctx.Vxlans.Create(spec);
            foreach (var a in t.MtuAdjusted) WriteVerbose($"Lowered the MTU of {a} to {t.Mtu} so that frames fit in the tunnel.");
            WriteObject(t);
        });
    }
}
