using System.Diagnostics;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>
/// Base of the tests that touch the kernel. They run only inside tests/sandbox.sh (which sets
/// VNET_IN_SANDBOX=1 in a private network and mount namespace) and as root; elsewhere they skip,
/// so they can never reach the host's network. Each test gets a unique name prefix and removes
/// what it made, even when it fails.
/// </summary>
public abstract class LiveTest : IDisposable
{
    protected readonly NetContext Ctx = new();
    protected readonly string P = "t" + Guid.NewGuid().ToString("N")[..5];
    private readonly List<string> _namespaces = new();
    private readonly List<(string Name, string? Ns)> _links = new();

    protected LiveTest()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("VNET_IN_SANDBOX") == "1",
            "kernel tests run only inside tests/sandbox.sh (./build.sh test)");
        Skip.IfNot(Environment.UserName == "root", "kernel tests need root");
    }

    public static bool InSandbox => Environment.GetEnvironmentVariable("VNET_IN_SANDBOX") == "1";

    protected string Ns(string suffix)
    {
        string name = $"{P}-{suffix}";
        Ctx.Namespaces.Create(name);
        _namespaces.Add(name);
        return name;
    }

    /// <summary>A link name for this test: unique, at most 15 bytes; removed (in <paramref name="ns"/>) afterwards.</summary>
    protected string L(string suffix, string? ns = null)
    {
        string name = $"{P}{suffix}";
        if (!_links.Contains((name, ns))) _links.Add((name, ns));
        return name;
    }

    public static (int Code, string Out) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o);
    }

    /// <summary>Runs a program inside a namespace through VNet (the way Invoke-NetNamespace does).</summary>
    protected (int Code, string Out) RunIn(string ns, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Ctx.Namespaces.StartProcess(ns, psi);
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, o);
    }

    protected bool Ping(string ns, string address) => RunIn(ns, "ping", "-c", "1", "-W", "2", address).Code == 0;

    public virtual void Dispose()
    {
        foreach (var (l, ns) in _links) { try { Ctx.Links.Remove(l, ns); } catch (VNetException) { } }
        foreach (var n in _namespaces) { try { Ctx.Namespaces.Remove(n, strict: false); } catch (VNetException) { } }
        Ctx.Dispose();
        GC.SuppressFinalize(this);
    }
}
