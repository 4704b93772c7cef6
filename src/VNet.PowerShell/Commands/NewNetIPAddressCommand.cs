using System.Management.Automation;
using VNet.Core.Addresses;

namespace VNet.PowerShell.Commands;

/// <summary>`ip addr add CIDR dev IFACE` (broadcast derived for IPv4).</summary>
[Cmdlet(VerbsCommon.New, "NetIPAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetIPAddress))]
public sealed class NewNetIPAddressCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "Interface")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string InterfaceName { get; set; } = "";

    /// <summary>Address with prefix length, e.g. 198.51.100.10/24 or 2001:db8::1/64.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("IPAddress", "Cidr")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var a in Address)
        {
            if (!ShouldProcess($"{InterfaceName}{In(Namespace)}", $"Add address {a}")) continue;
            Try(() => WriteObject(Ctx.Addresses.Add(InterfaceName, a, Namespace)));
        }
    }
}
