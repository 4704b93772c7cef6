using System.Runtime.InteropServices;
using Xunit;

namespace VNet.Core.Tests.Live;

/// <summary>Without CAP_NET_ADMIN the user gets PermissionDenied saying what is needed, and nothing is made.</summary>
public class PermissionTests : LiveTest
{
    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader { public uint Version; public int Pid; }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData { public uint Effective, Permitted, Inheritable; }

    [DllImport("libc", SetLastError = true)]
    private static extern int capset(ref CapHeader header, [In] CapData[] data);

    /// <summary>Runs work on a thread of its own whose capabilities are all dropped (capabilities are per thread).</summary>
    private static T WithoutCapabilities<T>(Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var t = new Thread(() =>
        {
            var h = new CapHeader { Version = 0x20080522, Pid = 0 };
            if (capset(ref h, new CapData[2]) != 0) { error = new InvalidOperationException("capset failed"); return; }
            try { result = work(); } catch (Exception e) { error = e; }
        });
        t.Start();
        t.Join();
        if (error != null) throw error;
        return result;
    }

    [SkippableFact]
    public void NoCapNetAdminIsPermissionDenied()
    {
        string br = L("nocap");
        var e = WithoutCapabilities(() =>
        {
            using var ctx = new NetContext(); // its socket is opened on the unprivileged thread
            return Assert.Throws<VNetException>(() => ctx.Bridges.Create(br));
        });
        Assert.Equal("PermissionDenied", e.ErrorId);
        Assert.Equal(VNetErrorCategory.PermissionDenied, e.Category);
        Assert.Contains("CAP_NET_ADMIN", e.Message);
        Assert.Equal(1, e.Errno);
        Assert.Null(Ctx.Links.TryGet(br));
    }
}
