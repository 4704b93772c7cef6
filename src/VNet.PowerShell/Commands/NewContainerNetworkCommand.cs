using System.Collections;
using System.Management.Automation;
using VNet.Core.Networks;

namespace VNet.PowerShell.Commands;

/// <summary>`docker network create`: a named network with IPAM, made by its driver (bridge, macvlan, none, overlay).</summary>
[Cmdlet(VerbsCommon.New, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerNetwork))]
public sealed class NewContainerNetworkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    [ArgumentCompleter(typeof(Completion.NetworkDriverCompleter))]
    public string Driver { get; set; } = "bridge";

    [Parameter] public string[]? Subnet { get; set; }
    [Parameter] public string[]? Gateway { get; set; }
    [Parameter] public string[]? IPRange { get; set; }
    /// <summary>Addresses never handed out, by name: @{ router = '198.51.100.254' }.</summary>
    [Parameter] public Hashtable? AuxAddress { get; set; }
    [Parameter] public int? Mtu { get; set; }
    [Parameter] public SwitchParameter Internal { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string? Parent { get; set; }

    [Parameter] public string? BridgeName { get; set; }

    /// <summary>An overlay network's VXLAN id; default the lowest free one from 4096 up.</summary>
    [Parameter]
    [ValidateRange(1, 16777215)]
    public int? Vni { get; set; }

    /// <summary>Driver options kept in the definition (Docker's --opt): @{ 'com.example.x' = 'y' }.</summary>
    [Parameter] public Hashtable? NetworkOption { get; set; }

    /// <summary>Succeed quietly when a network of that name with the same settings exists (a runbook run again).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        string what = $"{Name} ({Driver}{(Subnet is { Length: > 0 } ? ", " + string.Join(", ", Subnet) : "")})";
        if (!ShouldProcess(what, "Create container network")) return;
        TryWithDiagnostics(d =>
        {
            Dictionary<string, string>? aux = null;
            if (AuxAddress != null)
            {
                aux = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry e in AuxAddress) aux[e.Key.ToString() ?? ""] = e.Value?.ToString() ?? "";
            }
            Dictionary<string, string>? options = null;
            if (NetworkOption != null)
            {
                options = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (DictionaryEntry e in NetworkOption) options[e.Key.ToString() ?? ""] = e.Value?.ToString() ?? "";
            }
            WriteObject(Networks.Create(new NetworkSpec
            {
                Name = Name, Driver = Driver, Subnet = Subnet, Gateway = Gateway, IPRange = IPRange, AuxAddress = aux,
                Mtu = Mtu, Internal = Internal.IsPresent, Parent = Parent, BridgeName = BridgeName,
                Vni = Vni, Options = options,
            }, Force.IsPresent, d));
        });
    }
}
