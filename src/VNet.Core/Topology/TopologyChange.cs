namespace VNet.Core.Topology;

/// <summary>
/// One step of an import: what it does to which object, and where in the file that object is
/// described. Import-NetTopology writes these as its output (and -WhatIf shows them as the plan).
/// </summary>
public sealed class TopologyChange
{
    /// <summary>Create, Change, Remove, Keep (already as described) or Differs (exists otherwise and cannot be changed in place).</summary>
    public string Action { get; init; } = "";
    /// <summary>Namespace, Bridge, Veth, Vxlan, VxlanPeer, BridgePort, Mtu, State, Isolation, Forwarding, Address, Route, Nat, or an extension's name.</summary>
    public string Kind { get; init; } = "";
    public string? Namespace { get; init; }
    /// <summary>The object: a link name, an address, a route's destination, a NAT rule.</summary>
    public string Name { get; init; } = "";
    /// <summary>What changes, or how the object differs from the file.</summary>
    public string? Detail { get; init; }
    /// <summary>Where the object is described in the document, such as bridges[0] or routes[2].</summary>
    public string Place { get; init; } = "";

    internal Action? Do { get; init; }
    internal Action? Undo { get; init; }
    /// <summary>For steps on links this import makes: whether the step is still needed when its turn comes.</summary>
    internal Func<bool>? Needed { get; init; }

    public override string ToString() => $"{Action} {Kind} {Name}{(string.IsNullOrEmpty(Namespace) ? "" : " in " + Namespace)}";
}
