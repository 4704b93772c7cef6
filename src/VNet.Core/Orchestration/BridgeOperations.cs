using VNet.Core.Links;

namespace VNet.Core.Orchestration;

/// <summary>
/// Creating and removing a bridge as users mean it: the link itself (Links) and its follow-ups in
/// the firewall (Filter): under an iptables FORWARD policy of DROP a new bridge gets the accept
/// that lets it switch between its own ports, and a removed bridge's isolation and accepts go with
/// it. Kept above both services so that Links knows nothing of Filter; the cmdlets (and the
/// networks layer) call this.
/// </summary>
public sealed class BridgeOperations
{
    private readonly NetContext _ctx;

    internal BridgeOperations(NetContext ctx) => _ctx = ctx;

    /// <summary>
    /// Creates the bridge (see <see cref="BridgeService.Create"/>) and lets it switch under a FORWARD
    /// policy of DROP (see NatService.AllowSwitching); if that cannot be added, the bridge goes.
    /// With <paramref name="reuseExisting"/> (New-NetBridge -Force) a bridge of that name that is
    /// there already is brought to the same state instead (up, its accept in place: what a kill
    /// between the two steps leaves out), and returned; a link of another kind is still LinkExists.
    /// </summary>
    public NetLink Create(string name, string? ns = null, int? mtu = null, string? macAddress = null, bool up = true, bool reuseExisting = false,
        Diagnostics? diagnostics = null)
    {
        NetLink link;
        try
        {
            link = _ctx.Bridges.Create(name, ns, mtu, macAddress, up);
        }
        catch (VNetException e) when (reuseExisting && e.ErrorId == "LinkExists" && _ctx.Links.TryGet(name, ns) is { Kind: "bridge" } existing)
        {
            if (up && !existing.AdminUp) _ctx.Links.SetUp(name, true, ns);
            _ctx.Nat.AllowSwitching(name, ns, diagnostics);
            return _ctx.Links.Get(name, ns);
        }
        try
        {
            _ctx.Nat.AllowSwitching(name, ns, diagnostics);
        }
        catch
        {
            try { RemoveLink(name, ns, diagnostics: diagnostics); } catch (VNetException) { } // the first error is the one to report
            throw;
        }
        return link;
    }

    /// <summary>
    /// Deletes a link (<see cref="LinkService.Remove"/>); when it was a bridge, VNet's firewall
    /// state for it (isolation, accepts) goes too. False when the link was already gone.
    /// </summary>
    public bool RemoveLink(string name, string? ns = null, bool strict = false, Diagnostics? diagnostics = null)
    {
        Validation.LinkName(name);
        bool bridge = _ctx.Links.TryGet(name, ns, resolveMaster: false)?.Kind == "bridge";
        if (!_ctx.Links.Remove(name, ns, strict)) return false;
        if (bridge) _ctx.Nat.ForgetRemovedBridges(ns, diagnostics);
        return true;
    }
}
