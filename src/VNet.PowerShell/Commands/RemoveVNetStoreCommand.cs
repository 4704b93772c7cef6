using System.Management.Automation;
using VNet.Core.Networks.Cluster;

namespace VNet.PowerShell.Commands;

/// <summary>Unsets the cluster store on this host (the store's data stays in etcd; overlay networks are then refused here).</summary>
[Cmdlet(VerbsCommon.Remove, "VNetStore", SupportsShouldProcess = true)]
public sealed class RemoveVNetStoreCommand : VNetCmdlet
{
    protected override void ProcessRecord() => Try(() =>
    {
        if (!File.Exists(StoreSettings.FilePath))
        {
            WriteVerbose($"No cluster store is set on this host ({StoreSettings.FilePath}).");
            return;
        }
        if (!ShouldProcess(StoreSettings.FilePath, "Remove the cluster store setting")) return;
        if (StoreConfiguration.Clear()) WriteVerbose(VNet.Core.Messages.Format("StoreCleared", StoreSettings.FilePath));
    });
}
