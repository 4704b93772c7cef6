using System.Management.Automation;
using VNet.Core.Networks.Cluster;

namespace VNet.PowerShell.Commands;

/// <summary>Points this host at the cluster store (etcd) that overlay networks live in: {config}/store.json.</summary>
[Cmdlet(VerbsCommon.Set, "VNetStore", SupportsShouldProcess = true)]
[OutputType(typeof(StoreSettings))]
public sealed class SetVNetStoreCommand : VNetCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Endpoint { get; set; } = Array.Empty<string>();

    [Parameter] public string? AdvertiseAddress { get; set; }
    [Parameter] public string? HostName { get; set; }
    [Parameter] public string? CertificateAuthority { get; set; }
    [Parameter] public string? Certificate { get; set; }
    [Parameter] public string? Key { get; set; }
    [Parameter] [Credential] public PSCredential? Credential { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        var spec = new StoreSpec
        {
            // Comma-separated in one string too, as etcdctl's --endpoints takes them.
            Endpoints = Endpoint.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
            AdvertiseAddress = AdvertiseAddress, HostName = HostName,
            CaFile = Resolve(CertificateAuthority), CertFile = Resolve(Certificate), KeyFile = Resolve(Key),
            UserName = Credential?.UserName, Password = Credential?.GetNetworkCredential().Password,
        };
        var preview = StoreConfiguration.Build(spec); // every check before ShouldProcess, so -WhatIf reports errors too
        if (!ShouldProcess($"{StoreSettings.FilePath} (endpoints {string.Join(", ", preview.Endpoints)}, host {preview.HostName})", "Set the cluster store")) return;
        WriteObject(StoreConfiguration.Save(spec));
    });

    private string? Resolve(string? path) => path == null ? null : GetUnresolvedProviderPathFromPSPath(path);
}
