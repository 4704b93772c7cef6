using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace VNet.Core.Tests.Unit;

/// <summary>
/// global.json is the one place that names the SDK: the projects must be buildable with it, and the
/// Vagrant lab must provision it (the lab once installed .NET 8 for net10.0 test projects).
/// </summary>
public class SdkVersionTests
{
    private static string Repo()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "global.json"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("global.json not found above the test folder");
    }

    private static Version SdkVersion()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo(), "global.json")));
        return Version.Parse(doc.RootElement.GetProperty("sdk").GetProperty("version").GetString()!);
    }

    [Fact]
    public void EveryProjectTargetsAFrameworkTheSdkBuilds()
    {
        var sdk = SdkVersion();
        var files = Directory.EnumerateFiles(Repo(), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".props", StringComparison.Ordinal))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal));
        int seen = 0;
        foreach (var f in files)
        {
            foreach (Match m in Regex.Matches(File.ReadAllText(f), @"<TargetFrameworks?>([^<]+)</TargetFrameworks?>"))
            {
                foreach (var tfm in m.Groups[1].Value.Split(';'))
                {
                    var v = Version.Parse(Regex.Match(tfm, @"net(\d+\.\d+)").Groups[1].Value);
                    seen++;
                    Assert.True(v.Major <= sdk.Major, $"{f} targets {tfm}, which the SDK {sdk} of global.json cannot build");
                }
            }
        }
        Assert.True(seen > 0, "no project file found");
    }

    [Fact]
    public void VagrantfileProvisionsTheSdkOfGlobalJson()
    {
        string vagrantfile = File.ReadAllText(Path.Combine(Repo(), "Vagrantfile"));
        // The package is derived from global.json, never written down a second time.
        Assert.Contains("global.json", vagrantfile);
        Assert.DoesNotMatch(@"dotnet-sdk-\d", vagrantfile);
        var m = Regex.Match(vagrantfile, @"dotnet_sdk_package = ""dotnet-sdk-#\{sdk_version\.split\('\.'\)\.first\(2\)\.join\('\.'\)\}""");
        Assert.True(m.Success, "the Vagrantfile no longer derives its SDK package from global.json's version");
        Assert.Contains("\"$sdk_package\"", vagrantfile);
        Assert.Contains("dotnet_sdk_package]", vagrantfile);
    }

    [SkippableFact]
    public void VagrantfileSdkPackageEvaluatesToGlobalJsonsChannel()
    {
        // With Ruby at hand, run the Vagrantfile's own lines that pick the package.
        string? ruby = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(p => Path.Combine(p, "ruby")).FirstOrDefault(File.Exists);
        Skip.If(ruby == null, "ruby is not installed");
        var lines = File.ReadAllLines(Path.Combine(Repo(), "Vagrantfile"))
            .Where(l => l.StartsWith("sdk_version =", StringComparison.Ordinal) || l.StartsWith("dotnet_sdk_package =", StringComparison.Ordinal));
        string script = "require 'json'\n" + string.Join("\n", lines).Replace("__dir__", $"'{Repo()}'") + "\nputs dotnet_sdk_package\n";
        var psi = new System.Diagnostics.ProcessStartInfo(ruby!) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardInput.Write(script);
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd().Trim();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        var sdk = SdkVersion();
        Assert.Equal($"dotnet-sdk-{sdk.Major}.{sdk.Minor}", output);
    }
}
