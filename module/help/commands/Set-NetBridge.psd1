@{
    Synopsis = 'Isolates a bridge from the other isolated bridges (Docker''s DOCKER-ISOLATION-STAGE-1/2), or lifts it.'
    Description = @'
Set-NetBridge -Isolated $true puts a bridge in VNet's set of isolated bridges: forwarded traffic between any two isolated bridges is dropped, while each still reaches the outside through its masquerade and containers on one bridge still talk to each other. -Isolated $false lifts it. The set lives in VNet's own table; under an iptables FORWARD policy of DROP, the bridge's traffic is accepted in DOCKER-USER, as Add-NatRule does.
'@
    Parameters = @{
        Name = 'The bridges.'
        Isolated = '$true to isolate, $false to lift the isolation.'
        Namespace = 'The namespace of the bridges: {{Namespace}}'
        PassThru = 'Writes the bridge.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.NetLink'; Description = 'With -PassThru, the bridge.' }
    )
    Errors = @(
        'BridgeNotFound: the bridge does not exist.'
        'NotABridge: the link is of another kind.'
        'NftablesRejected: nftables refused the change.'
    )
    Examples = @(
        @{
            Title = 'Two networks that must not talk (S5)'
            Code = @'
Set-NetBridge br-a -Isolated $true
Set-NetBridge br-b -Isolated $true
'@
            Remarks = @'
Containers on br-a cannot reach those on br-b, and the other way round; both reach the outside.
'@
        }
        @{
            Title = 'Let them talk again'
            Code = @'
Set-NetBridge br-b -Isolated $false
'@
            Remarks = @'
br-b is no longer isolated.
'@
        }
    )
}
