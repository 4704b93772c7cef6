using System.Management.Automation;
using VNet.Core.Networks.Cluster;

namespace VNet.PowerShell.Commands;

/// <summary>This host's cluster store setting and, per endpoint, whether it answers, the members and the leader.</summary>
[Cmdlet(VerbsCommon.Get, "VNetStore")]
[OutputType(typeof(StoreStatus))]
public sealed class GetVNetStoreCommand : VNetCmdlet
{
    protected override void ProcessRecord() => Try(() =>
    {
        var status = StoreConfiguration.Status();
        if (status == null) WriteVerbose($"No cluster store is set on this host ({StoreSettings.FilePath}); overlay networks need Set-VNetStore.");
        else WriteObject(status);
    });
}
