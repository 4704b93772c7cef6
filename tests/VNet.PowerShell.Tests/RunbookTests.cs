using System.Management.Automation;
using Xunit;

namespace VNet.PowerShell.Tests;

/// <summary>
/// What a runbook leans on (issue 12): objects piped between cmdlets bind the link they are, not
/// the whole namespace; errors where silence misled; switches on Set-; re-runs with -Force;
/// $using:, -- and $? in Invoke-NetNamespace; completion; background processes; the host's wiring.
/// </summary>
public class RunbookTests : PowerShellTest
{
    private string Veth2(string a, string b)
    {
        Ok("New-NetNamespace $args[0], $args[1] | Out-Null; New-VethPair eth0 -Namespace $args[0] -PeerName eth0 -PeerNamespace $args[1] | Out-Null", a, b);
        return a;
    }

    [SkippableFact]
    public void PipingOneLinkBindsThatLinkNotTheNamespace()
    {
        string a = Ns("pa"), b = Ns("pb");
        Veth2(a, b);
        Ok("New-NetBridge br0 -Namespace $args[0] | Out-Null; New-NetIPAddress eth0 203.0.113.1/24 -Namespace $args[0] | Out-Null", a);
        // Addresses of eth0 only: lo's 127.0.0.1 is not offered for removal.
        var addrs = Ok("Get-NetLink eth0 -Namespace $args[0] | Get-NetIPAddress | ForEach-Object InterfaceName", a).Select(o => (string)o.BaseObject).Distinct().ToList();
        Assert.Equal(new[] { "eth0" }, addrs);
        Ok("Get-NetLink eth0 -Namespace $args[0] | Get-NetIPAddress -AddressFamily IPv4 | Remove-NetIPAddress", a);
        Assert.Contains("127.0.0.1", Sh("ip", "-n", a, "addr", "show", "lo"));
        Assert.DoesNotContain("203.0.113.1", Sh("ip", "-n", a, "addr"));
        // A veth into Get-NetLink into Set-NetLink: that one link goes down, lo and br0 stay up.
        Assert.Equal(new[] { "eth0" }, Ok("Get-VethPair eth0 -Namespace $args[0] | Get-NetLink | ForEach-Object Name", a).Select(o => (string)o.BaseObject));
        Ok("Get-VethPair eth0 -Namespace $args[0] | Get-NetLink | Set-NetLink -Down", a);
        Assert.Contains("state DOWN", Sh("ip", "-n", a, "link", "show", "eth0"));
        Assert.Contains("UP", Sh("ip", "-n", a, "-br", "link", "show", "lo"));
        Assert.Contains(",UP", Sh("ip", "-n", a, "link", "show", "br0"));
        // A namespace piped in still means "all of its links" (its Name is the namespace's).
        Assert.Equal(new[] { "lo", "eth0", "br0" }, Ok("Get-NetNamespace $args[0] | Get-NetLink | ForEach-Object Name", a).Select(o => (string)o.BaseObject));
        Assert.Contains(Ok("Get-NetNamespace $args[0] | Get-NetIPAddress", a), o => (string)o.Properties["InterfaceName"].Value == "lo");
        // And where a link is needed, a namespace is refused rather than read as a link named like it.
        Assert.StartsWith("PipedNamespace,", Fails("Get-NetNamespace $args[0] | Remove-NetLink", a).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void DefaultRouteIsFoundHoweverItIsWritten()
    {
        string a = Ns("ra"), b = Ns("rb");
        Veth2(a, b);
        Ok("New-NetIPAddress eth0 203.0.113.1/24, 2001:db8:12::1/64 -Namespace $args[0] | Out-Null", a);
        Ok("New-NetRoute 0.0.0.0/0 -Gateway 203.0.113.2 -Namespace $args[0] | Out-Null; New-NetRoute ::/0 -Gateway 2001:db8:12::2 -Namespace $args[0] | Out-Null", a);
        Assert.Equal("203.0.113.2", Assert.Single(Ok("Get-NetRoute 0.0.0.0/0 -Namespace $args[0]", a)).Properties["Gateway"].Value);
        Assert.Equal("2001:db8:12::2", Assert.Single(Ok("Get-NetRoute ::/0 -Namespace $args[0]", a)).Properties["Gateway"].Value);
        Assert.Equal(2, Ok("Get-NetRoute default -Namespace $args[0]", a).Count);
        Assert.Single(Ok("Get-NetRoute 203.0.113.9/24 -Namespace $args[0]", a)); // a prefix matches by its network
        var none = Fails("Get-NetRoute 198.51.100.0/24 -Namespace $args[0]", a);
        Assert.StartsWith("RouteNotFound,", none.FullyQualifiedErrorId);
        Assert.Contains("198.51.100.0/24", none.Exception.Message);
    }

    [SkippableFact]
    public void VethEndKeepsItsAtIfWhenThePeerHasItsIndex()
    {
        string a = Ns("ia"), b = Ns("ib");
        Veth2(a, b);
        // Fresh namespaces: lo is 1 and both ends are 2.
        Assert.Equal("eth0@if2", Ok("(Get-NetLink eth0 -Namespace $args[0]).DisplayName", a)[0].BaseObject);
    }

    [SkippableFact]
    public void BothEndsInOneNamespaceCannotShareAName()
    {
        string a = Ns("dup");
        Ok("New-NetNamespace $args[0] | Out-Null", a);
        var e = Fails("New-VethPair dup -PeerName dup -Namespace $args[0] -PeerNamespace $args[0]", a);
        Assert.StartsWith("VethEndsShareName,", e.FullyQualifiedErrorId);
        Assert.DoesNotContain("already exists", e.Exception.Message);
        Assert.Contains("-PeerName", e.Exception.Message);
    }

    [SkippableFact]
    public void SetCmdletsTakeSwitchesAndOldValues()
    {
        string a = Ns("sw");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge br0 -Namespace $args[0] | Out-Null", a);
        string Fwd() => Sh("ip", "netns", "exec", a, "cat", "/proc/sys/net/ipv4/ip_forward").Trim();
        Ok("Set-NetIPForwarding -Enabled -Namespace $args[0]", a);
        Assert.Equal("1", Fwd());
        Ok("Set-NetIPForwarding -Enabled:$false -Namespace $args[0]", a);
        Assert.Equal("0", Fwd());
        Ok("Set-NetIPForwarding -Enabled $true -Namespace $args[0]", a); // scripts written for the old bool
        Assert.Equal("1", Fwd());
        string Isolated() => Sh("ip", "netns", "exec", a, "nft", "list", "set", "inet", "vnet", "isolated");
        Ok("Set-NetBridge br0 -Isolated -Namespace $args[0]", a);
        Assert.Contains("br0", Isolated());
        Ok("Set-NetBridge br0 -Isolated:$false -Namespace $args[0]", a);
        Assert.DoesNotContain("\"br0\"", Isolated());
        Ok("Set-NetBridge br0 -Isolated $true -Namespace $args[0]", a);
        Assert.Contains("br0", Isolated());
    }

    [SkippableFact]
    public void NamespaceNamesBindFromThePipeline()
    {
        string a = Ns("s1"), b = Ns("s2");
        Ok("New-NetNamespace $args[0], $args[1] | Out-Null", a, b);
        var names = Ok("$args[0], $args[1] | Get-NetNamespace | ForEach-Object Name", a, b).Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(new[] { a, b }, names);
    }

    [SkippableFact]
    public void WhatFindsNothingByExactNameSaysSo()
    {
        string a = Ns("err");
        Ok("New-NetNamespace $args[0] | Out-Null", a);
        Assert.StartsWith("NatRuleNotFound,", Fails("Get-NatRule nope -Namespace $args[0]", a).FullyQualifiedErrorId);
        Assert.Empty(Ok("Get-NatRule nope* -Namespace $args[0]", a)); // a pattern may match nothing
        var kind = Fails("Get-NetLink -Kind foo -Namespace $args[0]", a);
        Assert.StartsWith("UnknownLinkKind,", kind.FullyQualifiedErrorId);
        Assert.Contains("veth", kind.Exception.Message);
        Assert.Single(Ok("Get-NetLink -Kind loopback -Namespace $args[0]", a));
        // An empty trace says why.
        var (output, errors) = Ps("Trace-NetPacket -Namespace $args[0] -TimeoutSec 1 -WarningVariable w -WarningAction SilentlyContinue; $w", a);
        Assert.Empty(errors);
        Assert.Contains(output, o => o.BaseObject is WarningRecord w && w.Message.Contains("no firewall rules", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void NativeFailureSetsQuestionMarkAndFollowsThePreference()
    {
        string a = Ns("nat");
        Ok("New-NetNamespace $args[0] | Out-Null", a);
        Assert.Equal(false, Ok("Invoke-NetNamespace $args[0] -- false; $?", a)[^1].BaseObject);
        Assert.Equal(true, Ok("Invoke-NetNamespace $args[0] -- true; $?", a)[^1].BaseObject);
        var e = Fails("$PSNativeCommandUseErrorActionPreference = $true; Invoke-NetNamespace $args[0] -- false", a);
        Assert.StartsWith("NativeCommandFailed,", e.FullyQualifiedErrorId);
        var (_, stop) = Ps("$PSNativeCommandUseErrorActionPreference = $true; $ErrorActionPreference = 'Stop'; Invoke-NetNamespace $args[0] -- false; 'not reached'", a);
        Assert.Single(stop);
    }

    [SkippableFact]
    public void UsingReadsTheCallersVariables()
    {
        string a = Ns("use");
        Ok("New-NetNamespace $args[0] | Out-Null", a);
        var o = Ok("$x = 'hello'; $list = 'a', 'b', 'c'; $h = @{ k = 42 }; Invoke-NetNamespace $args[0] { \"$using:x $($using:list[1]) $($using:h.k) $($using:list.Count)\" }", a);
        Assert.Equal("hello b 42 3", o.Single().BaseObject);
    }

    [SkippableFact]
    public void ArgumentsWithoutDoubleDashGoToTheProgram()
    {
        string a = Ns("dd");
        Ok("New-NetNamespace $args[0] | Out-Null", a);
        var o = Ok("Invoke-NetNamespace $args[0] ping -c 1 127.0.0.1; $LASTEXITCODE", a);
        Assert.Equal(0, (int)o[^1].BaseObject);
        Assert.Contains(o, l => l.BaseObject is string s && s.Contains("1 received"));
        // A value PowerShell must evaluate after such a word cannot be given back as written: say to use --.
        var e = Fails("$n = 1; Invoke-NetNamespace $args[0] ping -c $n 127.0.0.1", a);
        Assert.StartsWith("InvokeNeedsDoubleDash,", e.FullyQualifiedErrorId);
        Assert.Contains("--", e.Exception.Message);
    }

    private List<string> Complete(string line)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Rs;
        return CommandCompletion.CompleteInput(line, line.Length, null, ps).CompletionMatches.Select(m => m.CompletionText).ToList();
    }

    [SkippableFact]
    public void CompletionOffersWhatTheParameterTakes()
    {
        string a = Ns("tab");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge brtab -Namespace $args[0] | Out-Null; New-VethPair vtab -PeerName vtab2 -Namespace $args[0] -PeerNamespace $args[0] | Out-Null", a);
        Assert.Equal(new[] { "brtab" }, Complete($"Add-BridgePort -Namespace {a} -Bridge "));
        Assert.Equal(new[] { "brtab" }, Complete($"Set-NetLink vtab -Namespace {a} -Master "));
        Assert.Equal(new[] { "veth", "vlan", "vrf", "vti", "vxlan" }, Complete("Get-NetLink -Kind v"));
        Ok("Add-NatRule -Masquerade -Source 198.51.100.0/24 -Namespace $args[0] -WarningAction SilentlyContinue", a);
        Assert.Equal(new[] { "masquerade-198.51.100.0/24" }, Complete($"Remove-NatRule -Namespace {a} -Id "));
        Assert.Contains("vnet", Complete($"Get-NetFilterRule -Namespace {a} -Table "));
        Assert.Contains($"/run/netns/{a}", Complete($"Get-NetLink -Namespace /run/netns/{P}-t"));
        var bg = (System.Diagnostics.Process)Ok("Start-NetNamespaceProcess $args[0] sleep 60", a)[0].BaseObject;
        try { Assert.Contains($"/proc/{bg.Id}/ns/net", Complete($"Get-NetLink -Namespace /proc/{bg.Id}")); }
        finally { bg.Kill(); }
        // Where nothing fits (no Docker in the sandbox), no file names either.
        Assert.DoesNotContain(Complete("New-VethPair x -PeerName y -Container "), c => File.Exists(c) || Directory.Exists(c) || c.StartsWith("./", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void ForceReturnsWhatIsThereAndNamesWhatDiffers()
    {
        string a = Ns("fa"), b = Ns("fb");
        Ok("New-NetNamespace $args[0], $args[1] | Out-Null", a, b);
        string once = @"param($a, $b)
            New-NetBridge br0 -Namespace $a -Force | Out-Null
            New-VethPair v0 -Namespace $a -PeerName eth0 -PeerNamespace $b -Bridge br0 -Force | Out-Null
            New-NetIPAddress eth0 203.0.113.5/24 -Namespace $b -Force | Out-Null
            New-NetRoute default -Gateway 203.0.113.1 -Namespace $b -Force | Out-Null
            Add-NatRule -Masquerade -Source 203.0.113.0/24 -Namespace $a -Force -WarningAction SilentlyContinue
            (Get-NetLink -Namespace $a).Count";
        var first = Ok(once, a, b);
        var second = Ok(once, a, b);
        Assert.Equal(first[^1].BaseObject, second[^1].BaseObject);
        Assert.Equal("v0", Ok("New-VethPair v0 -Namespace $args[0] -PeerName eth0 -PeerNamespace $args[1] -Force | ForEach-Object Name", a, b)[0].BaseObject);
        var mtu = Fails("New-NetBridge br0 -Namespace $args[0] -Mtu 1400 -Force", a);
        Assert.StartsWith("ExistsDifferently,", mtu.FullyQualifiedErrorId);
        Assert.Contains("MTU is 1500, not 1400", mtu.Exception.Message);
        var peer = Fails("New-VethPair v0 -Namespace $args[0] -PeerName eth1 -PeerNamespace $args[1] -Force", a);
        Assert.Contains("peer is 'eth0', not 'eth1'", peer.Exception.Message);
        Assert.Contains("prefix length is 24, not 25", Fails("New-NetIPAddress eth0 203.0.113.5/25 -Namespace $args[0] -Force", b).Exception.Message);
        Assert.Contains("gateway 203.0.113.1, not 203.0.113.2", Fails("New-NetRoute default -Gateway 203.0.113.2 -Namespace $args[0] -Force", b).Exception.Message);
        Assert.Contains("not Snat", Fails("Add-NatRule -Snat -Source 203.0.113.0/24 -ToAddress 192.0.2.1 -Namespace $args[0] -Force", a).Exception.Message);
        // Without -Force the second New- still says it exists.
        Assert.StartsWith("LinkExists,", Fails("New-NetBridge br0 -Namespace $args[0]", a).FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void AddAndSetWriteObjectsOnlyWithPassThru()
    {
        string a = Ns("pt");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge br0 -Namespace $args[0] | Out-Null; New-VethPair v0 -PeerName v1 -Namespace $args[0] -PeerNamespace $args[0] | Out-Null", a);
        Assert.Empty(Ok("Add-BridgePort br0 v0 -Namespace $args[0]", a));
        Assert.Empty(Ok("Add-NatRule -Masquerade -Source 198.51.100.0/24 -Namespace $args[0] -WarningAction SilentlyContinue", a));
        Assert.Empty(Ok("Set-NetLink v0 -Up -Namespace $args[0]", a));
        Assert.Single(Ok("Add-BridgePort br0 v1 -Namespace $args[0] -PassThru", a));
        Assert.Single(Ok("Add-NatRule -PublishPort 10080 -ToAddress 198.51.100.10 -Namespace $args[0] -PassThru -WarningAction SilentlyContinue", a));
        Assert.Single(Ok("Set-NetLink v1 -Mtu 1400 -Namespace $args[0] -PassThru", a));
    }

    [SkippableFact]
    public void BackgroundProcessesAndRemovingTheirNamespace()
    {
        string a = Ns("bg");
        Ok("New-NetNamespace $args[0] | Out-Null", a);
        var p = Assert.Single(Ok("Start-NetNamespaceProcess -Namespace $args[0] -FilePath sleep -ArgumentList 300", a));
        var proc = Assert.IsType<System.Diagnostics.Process>(p.BaseObject);
        Assert.False(proc.HasExited);
        Assert.Equal(new FileInfo($"/run/netns/{a}").Exists ? Sh("ip", "netns", "identify", proc.Id.ToString()).Trim() : "", a);
        // Its streams are not the caller's: /proc/PID/fd/1 is /dev/null.
        Assert.Equal("/dev/null", new FileInfo($"/proc/{proc.Id}/fd/1").LinkTarget);
        var (output, errors) = Ps("Remove-NetNamespace $args[0] -WhatIf; Remove-NetNamespace $args[0] -WarningVariable w -WarningAction SilentlyContinue; $w", a);
        Assert.Empty(errors);
        Assert.Contains(output, o => o.BaseObject is WarningRecord w && w.Message.Contains($"process {proc.Id} (sleep)", StringComparison.Ordinal));
        Assert.False(proc.HasExited); // warned, not ended
        Ok("New-NetNamespace $args[0] | Out-Null", a);
        var q = (System.Diagnostics.Process)Ok("Start-NetNamespaceProcess $args[0] sleep 300", a)[0].BaseObject;
        Ok("Remove-NetNamespace $args[0] -Force", a);
        Assert.True(q.WaitForExit(5000), "-Force ended the process inside");
        proc.Kill();
    }

    [SkippableFact]
    public void EveryCableOnceWithBothEnds()
    {
        string a = Ns("ca"), b = Ns("cb"), c = Ns("cc");
        Ok("New-NetNamespace $args[0], $args[1], $args[2] | Out-Null", a, b, c);
        Ok("New-VethPair ab -Namespace $args[0] -PeerName ba -PeerNamespace $args[1] | Out-Null; New-VethPair ac -Namespace $args[0] -PeerName ca -PeerNamespace $args[2] | Out-Null", a, b, c);
        var cables = Ok("$mine = $args; Get-VethPair -AllNamespaces | Where-Object { $_.Namespace -in $mine -or $_.PeerNamespace -in $mine }", a, b, c);
        Assert.Equal(2, cables.Count);
        var ab = cables.Single(x => (string)x.Properties["Name"].Value == "ab" || (string)x.Properties["PeerName"].Value == "ab");
        var ends = new[] { ((string)ab.Properties["Namespace"].Value, (string)ab.Properties["Name"].Value), ((string)ab.Properties["PeerNamespace"].Value, (string)ab.Properties["PeerName"].Value) };
        Assert.Contains((a, "ab"), ends);
        Assert.Contains((b, "ba"), ends);
        // The host's own veths are there too, each once (no cable seen from both of its ends).
        var all = Ok("Get-VethPair -AllNamespaces | ForEach-Object { \"$($_.Namespace)/$($_.Index)|$($_.PeerNamespaceInode)/$($_.PeerIndex)\" }");
        Assert.Equal(all.Count, all.Select(o => o.BaseObject).Distinct().Count());
    }

    [SkippableFact]
    public void PortsAttachedAfterATunnelFitItsMtuAndFullSizePacketsCross()
    {
        string ha = Ns("ha"), hb = Ns("hb"), ca = Ns("xa"), cb = Ns("xb");
        Ok(@"param($ha, $hb, $ca, $cb)
            New-NetNamespace $ha, $hb, $ca, $cb | Out-Null
            New-VethPair u0 -Namespace $ha -PeerName u0 -PeerNamespace $hb | Out-Null
            New-NetIPAddress u0 192.0.2.1/24 -Namespace $ha | Out-Null
            New-NetIPAddress u0 192.0.2.2/24 -Namespace $hb | Out-Null
            foreach ($h in @(@($ha, '192.0.2.1', '192.0.2.2'), @($hb, '192.0.2.2', '192.0.2.1'))) {
                New-NetBridge br0 -Namespace $h[0] | Out-Null
                New-VxlanTunnel vx0 -Vni 42 -Local $h[1] -Remote $h[2] -Device u0 -Bridge br0 -Namespace $h[0] | Out-Null
            }
            # After the tunnel: one container plugged in as it is made, the other added to the bridge.
            New-VethPair va -Namespace $ha -PeerName eth0 -PeerNamespace $ca -Bridge br0 | Out-Null
            New-VethPair vb -Namespace $hb -PeerName eth0 -PeerNamespace $cb | Out-Null
            Add-BridgePort br0 vb -Namespace $hb
            New-NetIPAddress eth0 198.51.100.1/24 -Namespace $ca | Out-Null
            New-NetIPAddress eth0 198.51.100.2/24 -Namespace $cb | Out-Null", ha, hb, ca, cb);
        foreach (var (ns, link) in new[] { (ca, "eth0"), (cb, "eth0"), (ha, "va"), (hb, "vb") })
            Assert.Equal(1450, (int)Ok("(Get-NetLink $args[1] -Namespace $args[0]).Mtu", ns, link)[0].BaseObject);
        // A full-size packet of the container (1450 bytes, don't fragment) crosses the tunnel.
        var ping = Ok("Invoke-NetNamespace $args[0] -- ping -c 1 -W 2 -M do -s 1422 198.51.100.2; $LASTEXITCODE", ca);
        Assert.Equal(0, (int)ping[^1].BaseObject);
        // An explicit bigger MTU on such a bridge is refused, naming -Mtu.
        var e = Fails("New-VethPair vc -Namespace $args[0] -PeerName eth1 -PeerNamespace $args[1] -Bridge br0 -Mtu 1500", ha, ca);
        Assert.StartsWith("MtuAboveBridge,", e.FullyQualifiedErrorId);
        Assert.Contains("-Mtu 1500", e.Exception.Message);
    }

    [SkippableFact]
    public void ForceOnTunnelsPeersAndMacvlans()
    {
        string a = Ns("ft");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge br0 -Namespace $args[0] | Out-Null; New-VethPair u0 -PeerName u1 -Namespace $args[0] -PeerNamespace $args[0] | Out-Null; New-NetIPAddress u0 192.0.2.1/24 -Namespace $args[0] | Out-Null", a);
        string once = @"param($a)
            New-VxlanTunnel vx0 -Vni 42 -Local 192.0.2.1 -Device u0 -Bridge br0 -Namespace $a -Force | Out-Null
            Add-VxlanPeer vx0 192.0.2.7 -Namespace $a -Force
            New-MacvlanLink mv0 u1 -Mode bridge -Namespace $a -Force | ForEach-Object Name";
        Assert.Equal("mv0", Ok(once, a).Single().BaseObject);
        Assert.Equal("mv0", Ok(once, a).Single().BaseObject);
        Assert.Single(Ok("Get-VxlanPeer vx0 -Namespace $args[0]", a));
        var vni = Fails("New-VxlanTunnel vx0 -Vni 43 -Device u0 -Namespace $args[0] -Force", a);
        Assert.StartsWith("ExistsDifferently,", vni.FullyQualifiedErrorId);
        Assert.Contains("VNI is 42, not 43", vni.Exception.Message);
        Assert.Contains("it is a bridge, not a macvlan", Fails("New-MacvlanLink br0 u1 -Namespace $args[0] -Force", a).Exception.Message);
    }

    [SkippableFact]
    public void BridgesTunnelsAndNamesPipeToo()
    {
        string a = Ns("pp");
        Ok(@"param($a)
            New-NetNamespace $a | Out-Null
            New-NetBridge br0, br1 -Namespace $a | Out-Null
            New-VethPair v0 -PeerName v0p -Namespace $a -PeerNamespace $a -Bridge br0 | Out-Null
            New-VethPair v1 -PeerName v1p -Namespace $a -PeerNamespace $a -Bridge br1 | Out-Null
            New-VethPair u0 -PeerName u1 -Namespace $a -PeerNamespace $a | Out-Null
            New-NetIPAddress u0 192.0.2.1/24 -Namespace $a | Out-Null
            New-VxlanTunnel vx0 -Vni 42 -Local 192.0.2.1 -Device u0 -Namespace $a | Out-Null", a);
        // A bridge piped into Get-BridgePort means that bridge's ports, not every bridge's.
        Assert.Equal(new[] { "v0" }, Ok("Get-NetLink br0 -Namespace $args[0] | Get-BridgePort | ForEach-Object Name", a).Select(o => (string)o.BaseObject));
        // A tunnel piped into Add-VxlanPeer names the tunnel.
        Ok("Get-VxlanTunnel vx0 -Namespace $args[0] | Add-VxlanPeer -Remote 192.0.2.9", a);
        Assert.Equal("192.0.2.9", Assert.Single(Ok("Get-VxlanTunnel vx0 -Namespace $args[0] | Get-VxlanPeer", a)).Properties["Remote"].Value);
        // A name piped as a string is a link's name.
        Assert.Equal(new[] { "u0" }, Ok("'u0' | Get-NetLink -Namespace $args[0] | ForEach-Object Name", a).Select(o => (string)o.BaseObject));
    }
}
