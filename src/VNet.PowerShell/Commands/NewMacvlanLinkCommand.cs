using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link add NAME link PARENT type macvlan mode MODE [netns NS]` (Docker's macvlan driver).</summary>
[Cmdlet(VerbsCommon.New, "MacvlanLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetLink))]
public sealed class NewMacvlanLinkCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)] public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string Parent { get; set; } = "";

    [Parameter]
    [ValidateSet("bridge", "vepa", "private", "passthru")]
    public string Mode { get; set; } = "bridge";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Put the new link straight into this namespace (a container's).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? ToNamespace { get; set; }

    [Parameter] public int? Mtu { get; set; }
    [Parameter] public string? MacAddress { get; set; }

    /// <summary>Re-runs: a macvlan link already there as asked is returned instead of an error.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (Force && ExistingLinks.Child(Ctx, "macvlan", Name, Parent, Namespace, ToNamespace, Mtu, MacAddress) is NetLink existing)
            {
                WriteObject(existing);
                return;
            }
            if (!ShouldProcess($"{Name}{In(Namespace)}", $"Create macvlan on '{Parent}' ({Mode})")) return;
            WriteObject(Ctx.Macvlans.Create(Name, Parent, Mode, Namespace, ToNamespace, Mtu, MacAddress));
        });
    }
}
