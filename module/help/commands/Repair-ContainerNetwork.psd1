@{
    Synopsis = 'Releases what crashed or vanished endpoints left behind, and re-creates what a reboot took.'
    Description = @'
Repair-ContainerNetwork is a garbage collector in the CNI sense. For each network (or the one named),
under the network's lock, it:
- re-creates the bridge and its address and rules from the definition when they are missing (after
  a reboot, or a bridge deleted behind VNet's back), putting surviving members back on it;
- rolls back Pending endpoints: a Connect that did not finish (its process was killed), removing its
  interface, published ports, record and leases;
- releases Active endpoints whose namespace is gone (deleted behind VNet's back) or whose interface
  is gone;
- releases leases that no endpoint record holds (a Connect killed between the lease and the record);
- removes host-side interfaces on the bridge that no endpoint owns.

Each repair is returned as an object saying what, which and why. Nothing to repair returns nothing.
The cheap part of this runs at the start of every Connect-ContainerNetwork, so a leaked address never
blocks allocation.
'@
    Parameters = @{
        Name = 'The networks to repair. Without it, every network. Tab completes.'
    }
    Inputs = 'Network names, or Get-ContainerNetwork objects (by their Name).'
    Outputs = @(
        @{ Type = 'VNet.Core.Networks.NetworkRepair'; Description = 'One object per repair: Network, What (Bridge, Endpoint, Lease, Interface), Name, Action, Reason.' }
    )
    Errors = @(
        'NetworkNotFound: no network has that name.'
        'LockTimeout: another process held the network''s lock for too long (the message names it).'
    )
    Examples = @(
        @{
            Title = 'After a crash and a namespace deleted behind VNet''s back'
            Code = @'
Repair-ContainerNetwork
'@
            Output = @'
Network      What      Name            Action             Reason
-------      ----      ----            ------             ------
tomcat-net   Endpoint  tomcat05        Released 198.51.1… Connect did not finish: its process 4711 is gone
tomcat-net   Endpoint  tomcat02        Released 198.51.1… its namespace tomcat02 is gone
tomcat-net   Lease     198.51.100.9    Released           held by endpoint 5c1e0a9b3d27, which has no record
'@
            Remarks = @'
Run it again and it returns nothing: there is nothing left to repair.
'@
        }
        @{
            Title = 'After a reboot'
            Code = @'
Repair-ContainerNetwork tomcat-net -WhatIf
Repair-ContainerNetwork tomcat-net
'@
            Remarks = @'
The definition survived under /var/lib/vnet; the bridge, its address and its masquerade are made
again. The first Connect-ContainerNetwork after a reboot does the same by itself.
'@
        }
    )
    Links = @('Connect-ContainerNetwork', 'Get-ContainerEndpoint')
}
