using System.Management.Automation;
using VNet.Core;
using VNet.Core.Namespaces;

namespace VNet.PowerShell;

/// <summary>
/// Base of every VNet cmdlet: one core <see cref="NetContext"/> per invocation (so sockets are
/// opened once per namespace and reused for every pipeline object, and kept a moment for the next
/// call, see <see cref="NamespaceCache"/>), and the single place where
/// core errors become ErrorRecords with their stable ErrorId and category.
/// </summary>
public abstract class VNetCmdlet : PSCmdlet, IDisposable
{
    private NetContext? _ctx;

    /// <summary>
    /// The invocation's context. Its namespace handles and route sockets come from and go back to
    /// the process's <see cref="NamespaceCache"/>, so a script's calls do not reopen the same
    /// namespaces one by one (each handle is checked against its name when taken).
    /// </summary>
    protected NetContext Ctx => _ctx ??= new NetContext { Cache = NamespaceCache.Shared };

    /// <summary>Runs one unit of work; a core error becomes a non-terminating ErrorRecord (-ErrorAction Stop makes it terminating).</summary>
    protected void Try(Action work)
    {
        try
        {
            work();
        }
        catch (VNetException e)
        {
            WriteError(ToErrorRecord(e));
        }
        catch (VNet.Core.Native.SystemCallException e)
        {
            // The core turns the system calls users can trip over into VNetExceptions; any other
            // still gets a stable ErrorId and category from its errno rather than NotSpecified.
            WriteError(ToErrorRecord(VNetException.FromSystemCall(e, e.Call, null)));
        }
    }

    internal static ErrorRecord ToErrorRecord(VNetException e)
    {
        var record = new ErrorRecord(e, e.ErrorId, Map(e.Category), e.Target);
        if (e.KernelMessage != null)
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = $"Kernel: {e.KernelMessage}" };
        return record;
    }

    internal static ErrorCategory Map(VNetErrorCategory c) => c switch
    {
        VNetErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
        VNetErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
        VNetErrorCategory.ResourceExists => ErrorCategory.ResourceExists,
        VNetErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
        VNetErrorCategory.NotImplemented => ErrorCategory.NotImplemented,
        VNetErrorCategory.ProtocolError => ErrorCategory.ProtocolError,
        VNetErrorCategory.ResourceBusy => ErrorCategory.ResourceBusy,
        VNetErrorCategory.DeviceError => ErrorCategory.DeviceError,
        VNetErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
        _ => ErrorCategory.InvalidOperation,
    };

    /// <summary>"in namespace 'x'" or "" for ShouldProcess targets.</summary>
    protected static string In(string? ns) => string.IsNullOrEmpty(ns) ? "" : $" in namespace '{ns}'";

    protected override void EndProcessing() => Dispose();

    public void Dispose()
    {
        _ctx?.Dispose();
        _ctx = null;
        GC.SuppressFinalize(this);
    }
}
