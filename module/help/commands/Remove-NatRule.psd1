@{
    Synopsis = 'Removes NAT rules that VNet made, with every piece of each and nothing else (`iptables -t nat -D ...`).'
    Description = @'
Remove-NatRule removes each rule, by the Id that Add-NatRule and Get-NatRule show, in one
nftables transaction per rule:

- a masquerade or SNAT rule: its rule in VNet's postrouting chain;
- a published port or range: every map element of it (all 1,000 of a 1,000-port publish), and
its container's entry in the hairpin set when no other publish still needs it.

Then it takes out the FORWARD accept rules that VNet added for a bridge (in DOCKER-USER, or
FORWARD) once no remaining rule and no isolation needs that bridge; -Verbose says so. When VNet
has nothing left in the namespace (no NAT rule, no isolated bridge), its table (`table inet vnet`)
is deleted, so `nft list ruleset` is as it was before VNet came.

Nothing else is changed: other VNet rules, Docker's rules and anyone else's stay as they are, and
so does net.ipv4.ip_forward, which Add-NatRule may have turned on (Set-NetIPForwarding turns it
off).

A rule that does not exist is skipped quietly; -Strict makes that a NatRuleNotFound error. A
published range whose elements were partly deleted outside VNet (`nft delete element`) is removed
whole: what is left of it is found and removed, with a warning saying how many ports were gone.
'@
    Parameters = @{
        Id = @'
The Ids of the rules to remove, such as publish-tcp-10080 or masquerade-198.51.100.0/24, as
Get-NatRule shows them (exactly; no wildcards: filter with Get-NatRule first). Objects with an Id
property, such as Get-NatRule's, bind by property name.
'@
        Namespace = 'The namespace the rules are in: {{Namespace}}'
        Strict = "{{Strict}}`n`nWith -Strict, an Id that no rule has raises NatRuleNotFound."
    }
    Inputs = 'Get-NatRule and Add-NatRule output binds through Id and Namespace.'
    Outputs = @(
        @{ Type = 'None'; Description = 'Nothing. With -Verbose, a rule that was already gone and the FORWARD accept rules taken out are reported; a warning names a range that was partly gone.' }
    )
    Errors = @(
        'NatRuleNotFound: with -Strict, no rule has that Id.'
        'NamespaceNotFound: -Namespace does not exist.'
        'NftablesMissing: libnftables is not installed (Debian and Ubuntu: libnftables1).'
        'IptablesRejected: iptables refused to delete VNet''s accept rules from DOCKER-USER or FORWARD.'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN.'
    )
    Examples = @(
        @{
            Title = 'Stop publishing a port'
            Code = @'
Remove-NatRule publish-tcp-10080
Invoke-NetNamespace outside -- curl -s -m 2 http://203.0.113.1:10080/
nft list ruleset | Select-String 10080
'@
            Remarks = @'
The port answers no more, from the outside, the host or a neighbour, and no element for 10080 is
left in the ruleset. Other published ports and the masquerade rule keep working.
'@
        }
        @{
            Title = 'Remove everything, on a host with Docker''s rules'
            Code = @'
Get-NatRule | Remove-NatRule -Verbose
nft list table inet vnet
iptables -S DOCKER-USER
'@
            Output = @'
VERBOSE: Performing the operation "Remove NAT rule" on target "publish-tcp-10080".
VERBOSE: Performing the operation "Remove NAT rule" on target "masquerade-198.51.100.0/24".
VERBOSE: Removed the accept rules of bridge 'br0' from chain DOCKER-USER.
Error: No such file or directory
list table inet vnet
              ^^^^
-N DOCKER-USER
-A DOCKER-USER -j RETURN
'@
            Remarks = @'
Once the last rule serving br0 is gone, its accepts leave DOCKER-USER; once nothing of VNet's is
left, its table is deleted (nft no longer finds it). DOCKER-USER is back to Docker's own
`-j RETURN`.
'@
        }
        @{
            Title = 'Check first, and insist that the rule exists'
            Code = @'
Remove-NatRule masquerade-198.51.100.0/24 -Namespace hostA -WhatIf
Remove-NatRule masquerade-198.51.100.0/24 -Namespace hostA -Strict
'@
            Output = @'
What if: Performing the operation "Remove NAT rule" on target "masquerade-198.51.100.0/24 in namespace 'hostA'".
'@
            Remarks = @'
-WhatIf only says what would go. With -Strict, a second run fails with NatRuleNotFound instead of
succeeding quietly.
'@
        }
    )
    Links = @('Add-NatRule', 'Get-NatRule', 'Set-NetBridge', 'Set-NetIPForwarding')
}
