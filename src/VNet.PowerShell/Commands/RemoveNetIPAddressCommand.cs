using System.Management.Automation;

namespace VNet.PowerShell.Commands;

/// <summary>`ip addr del CIDR dev IFACE`.</summary>
[Cmdlet(VerbsCommon.Remove, "NetIPAddress", SupportsShouldProcess = true)]
public sealed class RemoveNetIPAddressCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Interface", "InterfaceAlias")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string InterfaceName { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Cidr", "IPAddress")]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter] public SwitchParameter Strict { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var a in Address)
        {
            if (!ShouldProcess($"{InterfaceName}{In(Namespace)}", $"Remove address {a}")) continue;
            Try(() =>
            {
                if (!Ctx.Addresses.Remove(InterfaceName, a, Namespace, Strict.IsPresent))
                    WriteVerbose($"Address {a} was not on '{InterfaceName}'.");
            });
        }
    }
}
