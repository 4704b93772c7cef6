using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link show`: the links of a namespace.</summary>
[Cmdlet(VerbsCommon.Get, "NetLink")]
[OutputType(typeof(NetLink))]
public sealed class GetNetLinkCommand : VNetCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>veth, bridge, vxlan, macvlan, loopback, device...</summary>
    [Parameter]
    public string? Kind { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (Name == null)
            {
                WriteObject(Ctx.Links.List(Namespace, null, Kind), true);
                return;
            }
            var all = Ctx.Links.List(Namespace, null, Kind);
            foreach (var n in Name)
            {
                var matches = all.Where(l => Core.Wildcard.IsMatch(l.Name, n)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                    WriteError(ToErrorRecord(Core.Messages.Error("LinkNotFound", Core.VNetErrorCategory.ObjectNotFound, n, n, LinkService.NsText(Namespace))));
                WriteObject(matches, true);
            }
        });
    }
}
