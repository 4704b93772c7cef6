using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link add NAME link PARENT type vlan id ID [mtu M] [address MAC] [netns NS]`. Needs 802.1Q in the kernel; says plainly when it is missing.</summary>
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

    /// <summary>Put the new link straight into this namespace (a container's), as New-MacvlanLink does.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? ToNamespace { get; set; }

    [Parameter] public int? Mtu { get; set; }
    [Parameter] public string? MacAddress { get; set; }

    /// <summary>Re-runs: a VLAN link already there as asked is returned instead of an error.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (Force && ExistingLinks.Child(Ctx, "vlan", Name, Parent, Namespace, ToNamespace, Mtu, MacAddress) is NetLink existing)
            {
                WriteObject(existing);
                return;
            }
            if (!ShouldProcess($"{Name}{In(Namespace)}", $"Create VLAN {VlanId} on '{Parent}'")) return;
            WriteObject(Ctx.Vlans.Create(Name, Parent, VlanId, Namespace, ToNamespace, Mtu, MacAddress));
        });
    }
}
