@{
    Synopsis = 'Removes NAT rules by Id: every piece each made, and nothing else.'
    Description = @'
Remove-NatRule deletes a rule in one transaction: the rule itself, or a publish's map elements and its hairpin entry, and the FORWARD accepts that only it needed. When VNet has nothing left in the namespace, its table goes too, so the ruleset is as before VNet came. Removing a rule that is already gone is quiet.
'@
    Parameters = @{
        Id = 'The rule ids, as Get-NatRule returns them.'
        Namespace = 'The namespace of the rules: {{Namespace}}'
        Strict = '{{Strict}}'
    }
    Errors = @(
        'NatRuleNotFound: with -Strict, no rule with that Id.'
        'NftablesRejected: nftables refused the change.'
    )
    Examples = @(
        @{
            Title = 'Unpublish a port'
            Code = @'
Remove-NatRule publish-tcp-10080
'@
            Remarks = @'
host:10080 answers nowhere any more, and `nft list ruleset` has no trace of it.
'@
        }
        @{
            Title = 'Remove everything VNet did in a namespace'
            Code = @'
Get-NatRule -Namespace h1 | Remove-NatRule
'@
            Remarks = @'
Rules pipe in by Id and Namespace.
'@
        }
    )
}
