@{
    Synopsis = 'Lists the NAT rules VNet made in a namespace, with packet and byte counters.'
    Description = @'
Get-NatRule reads VNet's table and returns each masquerade, SNAT and publish rule with its Id, what it matches and does, and its counters. Rules pipe into Remove-NatRule. To see every rule of the namespace, VNet's and others (Docker's), use Get-NetFilterRule.
'@
    Parameters = @{
        Id = 'Only rules whose Id matches; wildcards (* and ?) are allowed.'
        Namespace = 'The namespace to look in: {{Namespace}}'
    }
    Globbing = @('Id')
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NatRule'; Description = 'One object per rule.' }
    )
    Errors = @(
        'NamespaceNotFound: -Namespace does not exist.'
        'NftablesMissing: libnftables is not installed.'
    )
    Examples = @(
        @{
            Title = 'What VNet published'
            Code = @'
Get-NatRule publish-*
'@
            Remarks = @'
The publishes with their counters: how many packets each has carried.
'@
        }
        @{
            Title = 'Every rule of a lab host'
            Code = @'
Get-NatRule -Namespace vnetlab-vxlab-A
'@
            Remarks = @'
Masquerade, SNAT and publish rules made there.
'@
        }
    )
}
