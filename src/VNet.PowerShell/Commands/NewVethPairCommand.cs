using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`ip link add NAME type veth peer name PEER netns NS` in one call, both ends up.</summary>
[Cmdlet(VerbsCommon.New, "VethPair", SupportsShouldProcess = true)]
[OutputType(typeof(VethPair))]
public sealed class NewVethPairCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string PeerName { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? PeerNamespace { get; set; }

    /// <summary>Put the first end into this running Docker container's namespace (name or ID).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.ContainerCompleter))]
    public string? Container { get; set; }

    /// <summary>Put the peer into this running Docker container's namespace (`docker network connect`, done by hand).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.ContainerCompleter))]
    public string? PeerContainer { get; set; }

    [Parameter] public int? Mtu { get; set; }
    [Parameter] public string? MacAddress { get; set; }
    [Parameter] public string? PeerMacAddress { get; set; }

    /// <summary>Plug the first end into this bridge (in -Namespace) as it is made: `ip link add ... master BR`.</summary>
    [Parameter]
    [Alias("Master")]
    [ArgumentCompleter(typeof(Completion.BridgeCompleter))]
    public string? Bridge { get; set; }

    /// <summary>Leave both ends down (by default they come up).</summary>
    [Parameter] public SwitchParameter Down { get; set; }

    /// <summary>Re-runs: a pair already there as asked is returned instead of an error; one that differs is an error naming the difference.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            string? ns = Container != null ? VNet.Core.Docker.DockerClient.NamespaceOf(Container) : Namespace;
            string? peerNs = PeerContainer != null ? VNet.Core.Docker.DockerClient.NamespaceOf(PeerContainer) : PeerNamespace;
            var spec = new VethSpec
            {
                Name = Name, Namespace = ns, PeerName = PeerName, PeerNamespace = peerNs,
                Mtu = Mtu, MacAddress = MacAddress, PeerMacAddress = PeerMacAddress, Up = !Down.IsPresent, Bridge = Bridge,
            };
            if (Force && ExistingLinks.Veth(Ctx, spec) is not null)
            {
                // What differs was named above; a pair a kill cut short (an end down, not yet on its
                // bridge) is brought to what was asked by the create below.
                WriteVerbose($"Veth pair '{Name}' <-> '{PeerName}' is already there.");
                spec.ReuseExisting = true;
                WriteObject(Ctx.Veths.Create(spec));
                return;
            }
            string target = $"{Name}{In(Container ?? ns)} <-> {PeerName}{In(PeerContainer ?? peerNs)}{(Bridge != null ? $" on bridge '{Bridge}'" : "")}";
            if (!ShouldProcess(target, "Create veth pair")) return;
            WriteObject(Ctx.Veths.Create(spec));
        });
    }
}
