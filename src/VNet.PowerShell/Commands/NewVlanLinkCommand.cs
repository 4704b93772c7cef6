using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link add NAME link PARENT type vlan id ID`. Needs 802.1Q in the kernel; says plainly when it is missing.</summary>
[Cmdlet(VerbsCommon.New, "VlanLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetLink))]
public sealed class NewVlanLinkCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)] public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string Parent { get; set; } = "";

    [Parameter(Mandatory = true)]
    [Alias("Id")]
    public int VlanId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Name}{In(Namespace)}", $"Create VLAN {VlanId} on '{Parent}'")) return;
        Try(() => WriteObject(Ctx.Vlans.Create(Name, Parent, VlanId, Namespace)));
    }
}
