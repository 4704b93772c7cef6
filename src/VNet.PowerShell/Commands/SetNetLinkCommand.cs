using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link set`: up/down, MTU, name, MAC, bridge, namespace.</summary>
[Cmdlet(VerbsCommon.Set, "NetLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetLink))]
public sealed class SetNetLinkCommand : LinkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface", "InterfaceAlias")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string InterfaceName { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Up { get; set; }
    [Parameter] public SwitchParameter Down { get; set; }
    [Parameter] public int? Mtu { get; set; }
    [Parameter] public string? NewName { get; set; }
    [Parameter] public string? MacAddress { get; set; }

    /// <summary>Attach to this bridge (`ip link set X master B`).</summary>
    [Parameter]
    [Alias("Master")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string? Bridge { get; set; }

    /// <summary>Detach from its bridge (`ip link set X nomaster`).</summary>
    [Parameter]
    [Alias("NoBridge")]
    public SwitchParameter NoMaster { get; set; }

    /// <summary>Move the link into this namespace (`ip link set X netns NS`).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? ToNamespace { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (BoundFromNamespace(nameof(InterfaceName)))
        {
            WriteError(ToErrorRecord(Core.Messages.Error("PipedNamespace", Core.VNetErrorCategory.InvalidArgument, InputObject, Namespace)));
            return;
        }
        if (Up.IsPresent && Down.IsPresent)
        {
            WriteError(ToErrorRecord(new Core.VNetException("ConflictingParameters", Core.VNetErrorCategory.InvalidArgument,
                "-Up and -Down cannot be used together.", InterfaceName)));
            return;
        }
        if (Bridge != null && NoMaster.IsPresent)
        {
            WriteError(ToErrorRecord(new Core.VNetException("ConflictingParameters", Core.VNetErrorCategory.InvalidArgument,
                "-Bridge and -NoMaster cannot be used together.", InterfaceName)));
            return;
        }
        var change = new LinkChange
        {
            Up = Up.IsPresent ? true : Down.IsPresent ? false : null,
            Mtu = Mtu,
            NewName = NewName,
            MacAddress = MacAddress,
            Master = NoMaster.IsPresent ? "" : Bridge,
            ToNamespace = ToNamespace,
        };
        if (!ShouldProcess($"{InterfaceName}{In(Namespace)}", "Change link")) return;
        Try(() =>
        {
            var link = Ctx.Links.Set(InterfaceName, change, Namespace);
            if (PassThru) WriteObject(link);
        });
    }
}
