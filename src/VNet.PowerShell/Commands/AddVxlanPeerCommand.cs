using System.Management.Automation;
using VNet.Core.Links;

namespace VNet.PowerShell.Commands;

/// <summary>`bridge fdb append 00:00:00:00:00:00 dev TUNNEL dst REMOTE` (or one MAC with -MacAddress); the tunnel stays up.</summary>
[Cmdlet(VerbsCommon.Add, "VxlanPeer", SupportsShouldProcess = true)]
[OutputType(typeof(VxlanPeer))]
public sealed class AddVxlanPeerCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("InterfaceName")]
    [ArgumentCompleter(typeof(Completion.LinkNameCompleter))]
    public string Tunnel { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string[] Remote { get; set; } = Array.Empty<string>();

    /// <summary>Send only this MAC to the remote (a static entry); without it, the remote gets flooded traffic (head-end replication).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? MacAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completion.NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Re-runs: a peer already on the tunnel is fine (returned with -PassThru) instead of an error.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var r in Remote)
        {
            Try(() =>
            {
                if (Force)
                {
                    var dst = VNet.Core.Validation.Address(r, "Remote");
                    string wantMac = MacAddress != null ? VNet.Core.Validation.FormatMac(VNet.Core.Validation.MacAddress(MacAddress)) : "00:00:00:00:00:00";
                    var existing = Ctx.Vxlans.ListPeers(Tunnel, Namespace)
                        .FirstOrDefault(p => System.Net.IPAddress.Parse(p.Remote).Equals(dst) && p.MacAddress == wantMac);
                    if (existing != null)
                    {
                        WriteVerbose($"Peer {r} is already on '{Tunnel}'.");
                        if (PassThru) WriteObject(existing);
                        return;
                    }
                }
                if (!ShouldProcess($"{Tunnel}{In(Namespace)}", $"Add peer {r}{(MacAddress == null ? "" : $" for {MacAddress}")}")) return;
                var peer = Ctx.Vxlans.AddPeer(Tunnel, r, MacAddress, Namespace);
                if (PassThru) WriteObject(peer);
            });
        }
    }
}
