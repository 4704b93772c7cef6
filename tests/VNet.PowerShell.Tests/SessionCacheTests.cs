using Xunit;

namespace VNet.PowerShell.Tests;

/// <summary>
/// The cmdlets keep namespace handles and sockets between calls (VNet.Core's NamespaceCache,
/// issue 13 item 8). What a user checks: a namespace removed and made again under the same name
/// is the new one at the next call, by VNet or by another tool; one that another tool deletes is
/// not kept alive by an idle session; parallel runspaces never share or lose anything.
/// </summary>
public class SessionCacheTests : PowerShellTest
{
    [SkippableFact]
    public void RecreatedByVNetBetweenTwoCallsIsTheNewOne()
    {
        string n = Ns("re");
        Ok("New-NetNamespace $args[0] | Out-Null; New-NetBridge old0 -Namespace $args[0] | Out-Null", n);
        Ok("Remove-NetNamespace $args[0]; New-NetNamespace $args[0] | Out-Null", n);
        var links = Ok("Get-NetLink -Namespace $args[0] | ForEach-Object Name", n).Select(o => (string)o.BaseObject).ToList();
        Assert.Equal(new[] { "lo" }, links);
        Ok("New-NetBridge new0 -Namespace $args[0] | Out-Null", n);
        string seen = Sh("ip", "-n", n, "-o", "link");
        Assert.Contains("new0", seen);
        Assert.DoesNotContain("old0", seen);
    }

    [SkippableFact]
    public void RecreatedByAnotherToolBetweenTwoCallsIsTheNewOne()
    {
        string n = Ns("ext");
        // Back to back, well inside the time a kept handle lives.
        Ok(@"param($n)
            New-NetNamespace $n | Out-Null
            New-NetBridge old0 -Namespace $n | Out-Null
            ip netns del $n
            ip netns add $n
            New-NetBridge new0 -Namespace $n | Out-Null", n);
        string seen = Sh("ip", "-n", n, "-o", "link");
        Assert.Contains("new0", seen);
        Assert.DoesNotContain("old0", seen);
    }

    [SkippableFact]
    public void DeletedByAnotherToolIsNotKeptAlive()
    {
        // A veth pair dies with the namespace holding one end: its host end going is the sign
        // that nothing in this session keeps the deleted namespace alive.
        string n = Ns("gone"), host = P + "h";
        Ok("New-NetNamespace $args[0] | Out-Null; New-VethPair $args[1] -PeerName eth0 -PeerNamespace $args[0] | Out-Null; Get-NetLink -Namespace $args[0] | Out-Null", n, host);
        Sh("ip", "netns", "del", n);
        bool gone = false;
        for (int i = 0; i < 40 && !gone; i++)
        {
            Thread.Sleep(100);
            gone = !Sh("ip", "-o", "link").Contains(host + "@");
        }
        Assert.True(gone, $"{host} still there 4 s after its peer's namespace was deleted");
        // And the next call says it is gone rather than answering from a kept handle.
        var err = Fails("Get-NetLink -Namespace $args[0]", n);
        Assert.Equal("NamespaceNotFound", err.FullyQualifiedErrorId.Split(',')[0]);
    }

    [SkippableFact]
    public void ParallelRunspacesShareNamespacesSafely()
    {
        string a = Ns("pa"), b = Ns("pb");
        var own = Enumerable.Range(0, 8).Select(i => Ns($"own{i}")).ToArray();
        Ok("New-NetNamespace $args[0], $args[1] | Out-Null", a, b);
        // 8 runspaces at once: 25 addresses each into two shared namespaces, read back after each
        // add; and each recreates a namespace of its own under the same name, twice, checking that
        // what it made in the old one is not seen in the new one.
        var errors = Ok(@"param($a, $b, $own, $manifest)
            0..7 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:manifest
                $i = $_; $a = $using:a; $b = $using:b; $mine = ($using:own)[$i]
                try {
                    foreach ($k in 1..25) {
                        $ns = if ($k % 2) { $a } else { $b }
                        New-NetIPAddress lo ""198.51.100.$($i * 25 + $k)/32"" -Namespace $ns -ErrorAction Stop | Out-Null
                        if (-not (Get-NetIPAddress lo -Namespace $ns -ErrorAction Stop | Where-Object IPAddress -eq ""198.51.100.$($i * 25 + $k)"")) { ""lost $i/$k"" }
                    }
                    foreach ($round in 1..2) {
                        New-NetNamespace $mine -ErrorAction Stop | Out-Null
                        New-NetBridge ""r$round"" -Namespace $mine -ErrorAction Stop | Out-Null
                        $names = (Get-NetLink -Namespace $mine -ErrorAction Stop).Name -join ','
                        if ($names -ne ""lo,r$round"") { ""runspace ${i} round ${round} saw $names"" }
                        Remove-NetNamespace $mine -ErrorAction Stop
                    }
                } catch { ""runspace ${i}: $_"" }
            }", a, b, own, Path.Combine(Root, "VNet.psd1")).Select(o => o.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join(" | ", errors));
        var seen = Sh("ip", "-n", a, "-o", "addr", "show", "lo") + Sh("ip", "-n", b, "-o", "addr", "show", "lo");
        for (int k = 1; k <= 200; k++) Assert.Contains($"198.51.100.{k}/32", seen);
    }
}
