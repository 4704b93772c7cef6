using System.Diagnostics;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>The Vagrant lab cannot boot here (no virtualisation), but its Vagrantfile must stay valid for every lab file.</summary>
public class VagrantfileTests
{
    private static string Repo()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "Vagrantfile"))) d = d.Parent;
        return d!.FullName;
    }

    [SkippableTheory]
    [InlineData("lab/two-host.json", "A", "B")]
    [InlineData("lab/three-host.json", "C", "B")]
    public void VagrantfileValidatesForEachLabFile(string labFile, string host, string other)
    {
        string? vagrant = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(p => Path.Combine(p, "vagrant")).FirstOrDefault(File.Exists);
        Skip.If(vagrant == null, "vagrant is not installed (./build.sh deps installs Debian's)");
        var psi = new ProcessStartInfo(vagrant!, "validate --ignore-provider")
        {
            WorkingDirectory = Repo(), RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["VNET_LAB_FILE"] = Path.Combine(Repo(), labFile);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, output);
        Assert.Contains("validated successfully", output);
        Assert.Contains($"==> {host}:", output);
        Assert.Contains($"==> {other}:", output);
    }
}
