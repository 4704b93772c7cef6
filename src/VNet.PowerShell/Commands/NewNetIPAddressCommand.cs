using System.Management.Automation;
using VNet.Core.Addresses;

namespace VNet.PowerShell.Commands;

/// <summary>`ip addr add CIDR dev IFACE` (broadcast derived for IPv4).</summary>
[Cmdlet(VerbsCommon.New, "NetIPAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetIPAddress))]
public sealed class NewNetIPAddressCommand : LinkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface", "InterfaceAlias")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string InterfaceName { get; set; } = "";

    /// <summary>Address with prefix length, e.g. 198.51.100.10/24 or 2001:db8::1/64 (or a bare address with -PrefixLength).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "Cidr")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    /// <summary>The prefix length for an -Address given without one (Windows' New-NetIPAddress -PrefixLength).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 128)]
    public int? PrefixLength { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Re-runs: an address already on the interface with this prefix is returned instead of an error.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (BoundFromNamespace(nameof(InterfaceName)))
        {
            WriteError(ToErrorRecord(Core.Messages.Error("PipedNamespace", Core.VNetErrorCategory.InvalidArgument, InputObject, Namespace)));
            return;
        }
        foreach (var given in Address)
        {
            string a = PrefixLength is int len && !given.Contains('/') ? $"{given}/{len}" : given;
            Try(() =>
            {
                if (Force && Ctx.Addresses.FindExisting(InterfaceName, a, Namespace) is NetIPAddress existing)
                {
                    WriteVerbose($"Address {a} is already on '{InterfaceName}'{In(Namespace)}.");
                    WriteObject(existing);
                    return;
                }
                if (!ShouldProcess($"{InterfaceName}{In(Namespace)}", $"Add address {a}")) return;
                WriteObject(Ctx.Addresses.Add(InterfaceName, a, Namespace));
            });
        }
    }
}
