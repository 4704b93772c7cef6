using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Management.Automation;

namespace VNet.PowerShell;

/// <summary>
/// Tmds.LibC ships per-architecture builds under runtimes/linux-ARCH/. A host's own deps.json
/// (pwsh's) knows nothing of them, so resolve that one assembly from the module's folder.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string Dir = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;

    public void OnImport() => AssemblyLoadContext.Default.Resolving += Resolve;

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // Nothing VNet kept open between calls may outlive the module (it would keep namespaces alive).
        VNet.Core.Namespaces.NamespaceCache.Shared.Clear();
        AssemblyLoadContext.Default.Resolving -= Resolve;
    }

    private static Assembly? Resolve(AssemblyLoadContext ctx, AssemblyName name)
    {
        if (name.Name != "Tmds.LibC") return null;
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string path = Path.Combine(Dir, "runtimes", $"linux-{arch}", "lib", "netstandard2.0", "Tmds.LibC.dll");
        return File.Exists(path) ? ctx.LoadFromAssemblyPath(path) : null;
    }
}
