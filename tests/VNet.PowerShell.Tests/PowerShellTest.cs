using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Xunit;

namespace VNet.PowerShell.Tests;

/// <summary>
/// A runspace with VNet imported from the repository's VNet.psd1. Kernel-touching tests skip
/// outside tests/sandbox.sh. Each test uses names with its own prefix and cleans them up.
/// </summary>
public abstract class PowerShellTest : IDisposable
{
    protected static readonly string Root = FindRoot();
    protected readonly Runspace Rs;
    protected readonly string P = "p" + Guid.NewGuid().ToString("N")[..5];
    private readonly List<string> _cleanup = new();

    protected PowerShellTest(bool needsKernel = true)
    {
        if (needsKernel)
        {
            Skip.IfNot(Environment.GetEnvironmentVariable("VNET_IN_SANDBOX") == "1", "kernel tests run only inside tests/sandbox.sh");
            Skip.IfNot(Environment.UserName == "root", "kernel tests need root");
        }
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(new[] { Path.Combine(Root, "VNet.psd1") });
        Rs = RunspaceFactory.CreateRunspace(iss);
        Rs.Open();
    }

    private static string FindRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "VNet.psd1"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("VNet.psd1 not found above the test folder");
    }

    /// <summary>Runs a script; returns its output and the error records it wrote.</summary>
    protected (Collection<PSObject> Output, List<ErrorRecord> Errors) Ps(string script, params object[] args)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Rs;
        ps.AddScript(script);
        foreach (var a in args) ps.AddArgument(a);
        Collection<PSObject> output;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException e)
        {
            return (new Collection<PSObject>(), new List<ErrorRecord> { e.ErrorRecord });
        }
        return (output, ps.Streams.Error.ToList());
    }

    /// <summary>Runs a script that must not fail.</summary>
    protected Collection<PSObject> Ok(string script, params object[] args)
    {
        var (o, e) = Ps(script, args);
        Assert.True(e.Count == 0, "unexpected errors: " + string.Join(" | ", e.Select(x => x.ToString())));
        return o;
    }

    /// <summary>Runs a script that must fail with exactly one error record; returns it.</summary>
    protected ErrorRecord Fails(string script, params object[] args)
    {
        var (_, e) = Ps(script, args);
        return Assert.Single(e);
    }

    protected string Ns(string suffix)
    {
        string name = $"{P}-{suffix}";
        _cleanup.Add(name);
        return name;
    }

    protected static string Sh(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return o;
    }

    public virtual void Dispose()
    {
        if (_cleanup.Count > 0) Ps("Remove-NetNamespace -Name $args[0] -ErrorAction SilentlyContinue", (object)_cleanup.ToArray());
        Rs.Dispose();
        GC.SuppressFinalize(this);
    }
}
