using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link show`: the links of a namespace.</summary>
[Cmdlet(VerbsCommon.Get, "NetLink")]
[OutputType(typeof(NetLink))]
public sealed class GetNetLinkCommand : LinkCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface", "InterfaceAlias")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string[]? InterfaceName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>veth, bridge, vxlan, macvlan, loopback, device...</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.LinkKindCompleter))]
    public string? Kind { get; set; }

    protected override void ProcessRecord()
    {
        var names = BoundFromNamespace(nameof(InterfaceName)) ? null : InterfaceName ?? (PipedName is string s ? new[] { s } : null);
        Try(() =>
        {
            var all = Ctx.Links.List(Namespace, null, Kind);
            if (names == null)
            {
                WriteObject(all, true);
                return;
            }
            foreach (var n in names)
            {
                var matches = all.Where(l => Core.Wildcard.IsMatch(l.Name, n)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                    WriteError(ToErrorRecord(Core.Messages.Error("LinkNotFound", Core.VNetErrorCategory.ObjectNotFound, n, n, LinkService.NsText(Namespace))));
                WriteObject(matches, true);
            }
        });
    }
}
