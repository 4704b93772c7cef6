using System.Management.Automation;
using Xunit;

namespace VNet.PowerShell.Tests;

public class CmdletTests : PowerShellTest
{
    [SkippableFact]
    public void S1_TwoNamespacesOneCableThroughCmdlets()
    {
        string a = Ns("a"), b = Ns("b");
        Ok("New-NetNamespace $args[0], $args[1]", a, b);
        var pair = Assert.Single(Ok("New-VethPair -Name myveth1 -Namespace $args[0] -PeerName myveth2 -PeerNamespace $args[1]", a, b));
        Assert.Equal("myveth2", pair.Properties["PeerName"].Value);
        Ok("New-NetIPAddress myveth1 198.51.100.1/24 -Namespace $args[0]; New-NetIPAddress myveth2 198.51.100.2/24 -Namespace $args[1]", a, b);
        var ping = Ok("Invoke-NetNamespace $args[0] -- ping -c 1 -W 2 198.51.100.2; $LASTEXITCODE", a);
        Assert.Equal(0, (int)ping[^1].BaseObject);
        Assert.Contains(ping, o => o.BaseObject is string s && s.Contains("1 received"));
        Assert.Contains(a, Sh("ip", "netns", "list"));
    }

    [SkippableFact]
    public void S2_BridgeWithPortsAndLearnedMacs()
    {
        string c1 = Ns("c1"), c2 = Ns("c2"), br = P + "br";
        try
        {
            Ok(@"param($br, $c1, $c2)
                New-NetBridge $br | Out-Null
                New-NetIPAddress $br 198.51.100.1/24 | Out-Null
                $i = 10
                foreach ($c in $c1, $c2) {
                    New-NetNamespace $c | Out-Null
                    New-VethPair ""v$c"".Substring(0, [Math]::Min(15, ""v$c"".Length)) -PeerName eth0 -PeerNamespace $c | Out-Null
                    Add-BridgePort $br ""v$c"".Substring(0, [Math]::Min(15, ""v$c"".Length))
                    New-NetIPAddress eth0 ""198.51.100.$i/24"" -Namespace $c | Out-Null
                    New-NetRoute default -Gateway 198.51.100.1 -Namespace $c | Out-Null
                    $i++
                }", br, c1, c2);
            var ports = Ok("Get-BridgePort $args[0]", br);
            Assert.Equal(2, ports.Count);
            Ok("Invoke-NetNamespace $args[0] -- ping -c 1 -W 2 198.51.100.11 | Out-Null; if ($LASTEXITCODE) { Write-Error 'ping failed' }", c1);
            string mac2 = (string)Ok("(Get-NetLink eth0 -Namespace $args[0]).MacAddress", c2)[0].BaseObject;
            var learned = Ok("Get-BridgeFdb $args[0] -Learned | ForEach-Object MacAddress", br).Select(o => (string)o.BaseObject);
            Assert.Contains(mac2, learned);
        }
        finally
        {
            Ps("Remove-NetLink $args[0] -ErrorAction SilentlyContinue", br);
        }
    }

    [SkippableFact]
    public void PipelineByPropertyName()
    {
        string n = Ns("pipe");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge br0 -Namespace $args[0] | Out-Null", n);
        // A namespace into Get-NetLink.
        var links = Ok("Get-NetNamespace $args[0] | Get-NetLink | ForEach-Object Name", n).Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(new[] { "lo", "br0" }, links);
        // A link into New-NetIPAddress (Name and Namespace bind by property name).
        Ok("Get-NetLink br0 -Namespace $args[0] | New-NetIPAddress -Address 203.0.113.9/24 | Out-Null", n);
        Assert.Contains("203.0.113.9/24", Sh("ip", "-n", n, "addr", "show", "br0"));
        // Addresses back into Remove-NetIPAddress.
        Ok("Get-NetIPAddress br0 -Namespace $args[0] -AddressFamily IPv4 | Remove-NetIPAddress", n);
        Assert.DoesNotContain("203.0.113.9", Sh("ip", "-n", n, "addr", "show", "br0"));
        // Links into Remove-NetLink.
        Ok("Get-NetLink br* -Namespace $args[0] | Remove-NetLink", n);
        Assert.DoesNotContain("br0", Sh("ip", "-n", n, "link"));
    }

    [SkippableFact]
    public void WhatIfChangesNothing()
    {
        string n = Ns("whatif");
        Ok("New-NetNamespace $args[0] -WhatIf", n);
        Assert.DoesNotContain(n, Sh("ip", "netns", "list"));
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge br0 -Namespace $args[0] -WhatIf; Remove-NetNamespace $args[0] -WhatIf", n);
        Assert.DoesNotContain("br0", Sh("ip", "-n", n, "link"));
        Assert.Contains(n, Sh("ip", "netns", "list"));
    }

    [SkippableFact]
    public void ErrorRecordsCarryIdCategoryAndTarget()
    {
        var tooLong = Fails("New-VethPair abcdefghijklmnopq -PeerName x");
        Assert.Equal("LinkNameTooLong,VNet.PowerShell.Commands.NewVethPairCommand", tooLong.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, tooLong.CategoryInfo.Category);
        Assert.Equal("abcdefghijklmnopq", tooLong.TargetObject);
        Assert.Contains("abcdefghijklmnopq", tooLong.Exception.Message);

        var missing = Fails("Get-NetLink -Namespace $args[0]", P + "-none");
        Assert.StartsWith("NamespaceNotFound,", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);

        string n = Ns("err");
        Ok("New-NetNamespace $args[0] | Out-Null", n);
        var exists = Fails("New-NetNamespace $args[0]", n);
        Assert.StartsWith("NamespaceExists,", exists.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, exists.CategoryInfo.Category);

        var taken = Fails("New-NetBridge lo -Namespace $args[0]", n);
        Assert.StartsWith("LinkExists,", taken.FullyQualifiedErrorId);

        var cidr = Fails("New-NetIPAddress lo 198.51.100.1/40 -Namespace $args[0]", n);
        Assert.StartsWith("InvalidPrefixLength,", cidr.FullyQualifiedErrorId);
        Assert.Equal("198.51.100.1/40", cidr.TargetObject);

        var mtu = Fails("Set-NetLink lo -Mtu 20 -Namespace $args[0]", n);
        Assert.StartsWith("InvalidMtu,", mtu.FullyQualifiedErrorId);

        // -ErrorAction Stop makes it terminating, with the same id.
        var (_, stop) = Ps("try { New-NetBridge 'bad/name' -ErrorAction Stop } catch { $_ ; throw }");
        Assert.StartsWith("InvalidLinkName,", Assert.Single(stop).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void VethIntoMissingNamespaceLeavesNoVeth()
    {
        // Other tests add links to this namespace meanwhile: look for this test's name only.
        string name = P + "h9";
        var e = Fails("New-VethPair $args[1] -PeerName eth0 -PeerNamespace $args[0]", P + "-absent", name);
        Assert.StartsWith("NamespaceNotFound,", e.FullyQualifiedErrorId);
        Assert.DoesNotContain(Sh("ip", "-br", "link").Split('\n'), l => l.StartsWith(name, StringComparison.Ordinal));
    }

    [SkippableFact]
    public void RemovingWhatIsGoneIsQuietUnlessStrict()
    {
        string n = Ns("gone");
        Ok("Remove-NetNamespace $args[0]", n);
        Ok("New-NetNamespace $args[0] | Out-Null; Remove-NetLink nothing0 -Namespace $args[0]; Remove-NetIPAddress lo 203.0.113.1/24 -Namespace $args[0]; Remove-NetRoute 203.0.113.0/24 -Namespace $args[0]", n);
        Assert.StartsWith("LinkNotFound,", Fails("Remove-NetLink nothing0 -Namespace $args[0] -Strict", n).FullyQualifiedErrorId);
        Assert.StartsWith("RouteNotFound,", Fails("Remove-NetRoute 203.0.113.0/24 -Namespace $args[0] -Strict", n).FullyQualifiedErrorId);
        Assert.StartsWith("NamespaceNotFound,", Fails("Remove-NetNamespace $args[0] -Strict", P + "-never").FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void InvokeRunsNativeAndScriptInside()
    {
        string n = Ns("inv");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge brin -Namespace $args[0] | Out-Null", n);
        var native = Ok("Invoke-NetNamespace $args[0] -- ip -br link", n).Select(o => o.ToString()).ToList();
        Assert.Contains(native, l => l.StartsWith("brin"));
        // A script block sees the namespace as its own: Get-NetLink without -Namespace.
        var names = Ok("Invoke-NetNamespace $args[0] { Get-NetLink | ForEach-Object Name }", n).Select(o => o.ToString()).ToList();
        Assert.Equal(new[] { "lo", "brin" }, names);
        // ... and the caller's thread was never switched: here brin does not exist.
        Assert.Empty(Ok("Get-NetLink brin -ErrorAction SilentlyContinue"));
        var code = Ok("Invoke-NetNamespace $args[0] -- sh -c 'exit 3'; $LASTEXITCODE", n);
        Assert.Equal(3, (int)code[^1].BaseObject);
        Assert.StartsWith("CommandNotFound,", Fails("Invoke-NetNamespace $args[0] -- no-such-program-xyz", n).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void TabCompletionOfNamespacesAndLinks()
    {
        string n = Ns("tab");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge brtab0 -Namespace $args[0] | Out-Null", n);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Rs;
        string line = $"Get-NetLink -Namespace {P}-t";
        var c = CommandCompletion.CompleteInput(line, line.Length, null, ps);
        Assert.Contains(c.CompletionMatches, m => m.CompletionText == n);
        string line2 = $"Get-NetLink -Namespace {n} -Name brt";
        var c2 = CommandCompletion.CompleteInput(line2, line2.Length, null, ps);
        Assert.Contains(c2.CompletionMatches, m => m.CompletionText == "brtab0");
    }

    [SkippableFact]
    public void ForwardingPerNamespace()
    {
        string n = Ns("fwd");
        Ok("New-NetNamespace $args[0] | Out-Null", n);
        Assert.False((bool)Ok("(Get-NetIPForwarding -Namespace $args[0] -AddressFamily IPv4).Enabled", n)[0].BaseObject);
        Ok("Set-NetIPForwarding $true -Namespace $args[0]", n);
        Assert.Equal("1", Sh("ip", "netns", "exec", n, "cat", "/proc/sys/net/ipv4/ip_forward").Trim());
    }
}

/// <summary>Ctrl+C in a session stops the running pipeline; PowerShell.Stop() is that same call.</summary>
public class StopTests : PowerShellTest
{
    [SkippableFact]
    public void StoppingATraceLikeCtrlCLeavesNoTraceTableBehind()
    {
        string n = Ns("stop");
        Ok("New-NetNamespace $args[0] | Out-Null", n);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Rs;
        ps.AddScript("Trace-NetPacket -Namespace $args[0] -Protocol icmp -TimeoutSec 120").AddArgument(n);
        var started = DateTime.UtcNow;
        var running = ps.BeginInvoke();
        bool seen = false;
        for (int i = 0; i < 100 && !seen; i++)
        {
            Thread.Sleep(50);
            seen = Sh("ip", "netns", "exec", n, "nft", "list", "tables").Contains("vnet-trace");
        }
        Assert.True(seen, "the trace table appears while the trace runs");
        ps.Stop();
        Assert.True(running.IsCompleted);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "the trace ended at the stop, not at its timeout");
        Assert.DoesNotContain("vnet-trace", Sh("ip", "netns", "exec", n, "nft", "list", "tables"));
    }
}

/// <summary>Watch-NetEvent and Get-NetConntrack -Watch run until stopped: Ctrl+C (PowerShell.Stop) ends them at once.</summary>
public class WatchStopTests : PowerShellTest
{
    private void StopsAtOnce(string script, string ns)
    {
        Ok("New-NetNamespace $args[0] | Out-Null", ns);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Rs;
        ps.AddScript(script).AddArgument(ns);
        var running = ps.BeginInvoke();
        Thread.Sleep(1000);
        Assert.False(running.IsCompleted, "the watch is still running before the stop");
        var started = DateTime.UtcNow;
        ps.Stop();
        Assert.True(running.IsCompleted);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the watch ended at the stop, not at its timeout");
    }

    [SkippableFact]
    public void StoppingWatchNetEventEndsIt() => StopsAtOnce("Watch-NetEvent -Namespace $args[0] -TimeoutSec 600", Ns("wstop"));

    [SkippableFact]
    public void StoppingAConntrackWatchEndsIt() => StopsAtOnce("Get-NetConntrack -Namespace $args[0] -Watch -TimeoutSec 600", Ns("cstop"));

    [SkippableFact]
    public void EventsComeAsTheyHappen()
    {
        string n = Ns("wev");
        Ok("New-NetNamespace $args[0] | Out-Null", n);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Rs;
        ps.AddScript("Watch-NetEvent -Namespace $args[0] -Kind Link, Address -Count 2 -TimeoutSec 120").AddArgument(n);
        var output = new PSDataCollection<PSObject>();
        var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
        Thread.Sleep(1000);
        // Changes made by another program while the watch runs.
        Sh("ip", "-n", n, "link", "add", "wev0", "type", "bridge");
        Sh("ip", "-n", n, "addr", "add", "192.0.2.1/24", "dev", "wev0");
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "the watch ended after two events");
        var seen = output.Select(o => ($"{o.Properties["Kind"].Value}", $"{o.Properties["Action"].Value}", $"{o.Properties["InterfaceName"].Value}", $"{o.Properties["Namespace"].Value}")).ToList();
        Assert.Equal(new[] { ("Link", "Added", "wev0", n), ("Address", "Added", "wev0", n) }, seen);
    }
}

/// <summary>What needs no kernel: the module loads, exports what it promises, and every cmdlet has help with examples.</summary>
public class ModuleTests : PowerShellTest
{
    public ModuleTests() : base(needsKernel: false) { }

    [Fact]
    public void EveryExportedCmdletHasHelpWithExamples()
    {
        var cmds = Ok("(Get-Command -Module VNet).Name").Select(o => (string)o.BaseObject).ToList();
        Assert.Contains("New-VethPair", cmds);
        Assert.True(cmds.Count >= 22);
        foreach (var c in cmds)
        {
            var help = Assert.Single(Ok("Get-Help $args[0] -Full", c));
            string synopsis = help.Properties["Synopsis"]?.Value?.ToString() ?? "";
            Assert.False(string.IsNullOrWhiteSpace(synopsis) || synopsis.StartsWith(c + " "), $"{c} has a real synopsis");
            Assert.NotNull(help.Properties["examples"]?.Value);
        }
    }

    [Fact]
    public void ChangingCmdletsSupportWhatIf()
    {
        var noWhatIf = Ok(@"Get-Command -Module VNet | Where-Object { $_.Verb -in 'New','Set','Remove','Add','Invoke' -and -not $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name");
        Assert.Empty(noWhatIf);
    }
}
