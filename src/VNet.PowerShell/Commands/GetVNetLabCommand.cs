using System.Management.Automation;
using VNet.Core.Lab;

namespace VNet.PowerShell.Commands;

/// <summary>The labs running on this machine (from /run/vnet/lab), with their hosts.</summary>
[Cmdlet(VerbsCommon.Get, "VNetLab")]
[OutputType(typeof(LabInstance))]
public sealed class GetVNetLabCommand : VNetCmdlet
{
    [Parameter(Position = 0)] public string? Name { get; set; }

    protected override void ProcessRecord() => Try(() =>
    {
        if (Name == null) { WriteObject(EmulatedLab.List(), true); return; }
        WriteObject(EmulatedLab.Get(Name) ?? throw VNet.Core.Messages.Error("LabNotFound", VNet.Core.VNetErrorCategory.ObjectNotFound, Name, Name));
    });
}
