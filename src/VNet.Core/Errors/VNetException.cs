using VNet.Core.Native;

namespace VNet.Core;

/// <summary>
/// What kind of failure an error is. The PowerShell layer maps these one-to-one onto
/// ErrorCategory; the core keeps its own enum so that it does not depend on PowerShell.
/// </summary>
public enum VNetErrorCategory
{
    InvalidArgument,
    ObjectNotFound,
    ResourceExists,
    PermissionDenied,
    InvalidOperation,
    NotImplemented,
    ProtocolError,
    ResourceBusy,
    DeviceError,
    OperationTimeout,
}

/// <summary>
/// The one exception type the core throws at its callers: a stable <see cref="ErrorId"/>, a
/// category, the object it concerns, and where the kernel refused, its errno and extended-ACK text.
/// </summary>
public class VNetException : Exception
{
    public VNetException(string errorId, VNetErrorCategory category, string message, object? target = null,
        int errno = 0, string? kernelMessage = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    /// <summary>Stable identifier scripts can match on (e.g. <c>LinkNameTooLong</c>).</summary>
    public string ErrorId { get; }
    public VNetErrorCategory Category { get; }
    /// <summary>The value or object the error is about (a name, a CIDR, a namespace).</summary>
    public object? Target { get; }
    /// <summary>Kernel errno (positive), 0 when the error did not come from the kernel.</summary>
    public int Errno { get; }
    /// <summary>The kernel's extended-ACK message, when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>
    /// Turns a kernel errno into the error users see: the operation, the object, the kernel's
    /// own words, and an ErrorId/category chosen from the errno.
    /// </summary>
    public static VNetException FromErrno(int errno, string doing, object? target, string? kernelMessage = null)
    {
        string text = Sys.StrError(errno);
        string detail = kernelMessage is { Length: > 0 } ? $"{kernelMessage} ({text})" : text;
        (string id, VNetErrorCategory cat) = errno switch
        {
            Sys.EPERM or Sys.EACCES => ("PermissionDenied", VNetErrorCategory.PermissionDenied),
            Sys.EEXIST => ("AlreadyExists", VNetErrorCategory.ResourceExists),
            Sys.ENODEV or Sys.ENOENT or Sys.ESRCH or Sys.EADDRNOTAVAIL => ("NotFound", VNetErrorCategory.ObjectNotFound),
            Sys.EBUSY => ("ResourceBusy", VNetErrorCategory.ResourceBusy),
            Sys.EOPNOTSUPP => ("NotSupported", VNetErrorCategory.NotImplemented),
            Sys.EINVAL or Sys.ERANGE => ("KernelRejected", VNetErrorCategory.InvalidArgument),
            Sys.ENETUNREACH => ("NetworkUnreachable", VNetErrorCategory.InvalidArgument),
            _ => ("KernelRejected", VNetErrorCategory.InvalidOperation),
        };
        string msg = errno is Sys.EPERM or Sys.EACCES
            ? Messages.Format("PermissionDeniedNetAdmin", doing, detail)
            : Messages.Format("KernelError", doing, detail);
        return new VNetException(id, cat, msg, target, errno, kernelMessage);
    }

    public static VNetException FromSystemCall(SystemCallException e, string doing, object? target) =>
        FromErrno(e.Errno, doing, target);
}
