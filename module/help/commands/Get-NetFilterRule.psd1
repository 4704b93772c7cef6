@{
    Synopsis = 'Shows every firewall rule of a namespace, VNet''s, Docker''s iptables-nft rules and anyone''s, read-only.'
    Description = @'
Get-NetFilterRule reads the whole nftables ruleset of a namespace (iptables-nft rules included, as Docker makes them) and returns one object per rule: family, table, chain, the chain's type, hook, priority and policy, the rule's handle, its text as `nft` prints it, and its counters. It changes nothing.
'@
    Parameters = @{
        Namespace = 'The namespace to read: {{Namespace}}'
        Table = 'Only this table; wildcards are allowed.'
        Chain = 'Only this chain; wildcards are allowed.'
    }
    Globbing = @('Table', 'Chain')
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NetFilterRule'; Description = 'One object per rule.' }
    )
    Errors = @(
        'NamespaceNotFound: -Namespace does not exist.'
        'NftablesMissing: libnftables is not installed.'
    )
    Examples = @(
        @{
            Title = 'Docker''s rules in one place (seed 004)'
            Code = @'
# iptables-save
Get-NetFilterRule -Table filter -Chain DOCKER*
'@
            Remarks = @'
DOCKER, DOCKER-USER and DOCKER-ISOLATION-STAGE-1/2 with their rules and counters.
'@
        }
        @{
            Title = 'What VNet added'
            Code = @'
Get-NetFilterRule -Table vnet
'@
            Remarks = @'
VNet's own table: publish maps, hairpin, isolation and NAT rules.
'@
        }
    )
}
