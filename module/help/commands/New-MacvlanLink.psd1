@{
    Synopsis = 'Creates a macvlan link on a parent device, as `ip link add NAME link PARENT type macvlan mode MODE` does (Docker''s macvlan driver).'
    Description = @'
New-MacvlanLink creates a macvlan interface: a MAC address of its own on a parent device, so a container appears on the parent's network directly. Modes: bridge (macvlans on one parent talk to each other), vepa, private and passthru. -ToNamespace puts the new link straight into a container's namespace, up.
'@
    Parameters = @{
        Name = 'The new link''s name.'
        Parent = 'The parent device (a NIC or a veth end).'
        Mode = 'bridge (default), vepa, private or passthru.'
        Namespace = 'The namespace of the parent: {{Namespace}}'
        ToNamespace = 'Move the new link into this namespace.'
        Mtu = 'The MTU, 68 to 65535.'
        MacAddress = 'Its MAC address.'
        Force = 'Makes a re-run succeed: when what would be created is already there as asked, it is returned (and nothing changes) instead of an error; when something of that name is there but differs, the error ExistsDifferently names each difference. Only what was asked is compared. This is New-Item -Force''s idiom, for runbooks that run twice.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.NetLink'; Description = 'The new link (Kind macvlan).' }
    )
    Errors = @(
        'InvalidMacvlanMode: -Mode is not a macvlan mode.'
        'ParentNotFound: -Parent does not exist.'
        'LinkExists: the name is taken.'
        'NamespaceNotFound: a namespace does not exist.'
    )
    Examples = @(
        @{
            Title = 'Two containers on the parent''s network'
            Code = @'
New-MacvlanLink mv1 -Parent eth1 -ToNamespace c1
New-MacvlanLink mv2 -Parent eth1 -ToNamespace c2
New-NetIPAddress mv1 203.0.113.21/24 -Namespace c1
New-NetIPAddress mv2 203.0.113.22/24 -Namespace c2
'@
            Remarks = @'
In bridge mode the two talk to each other through the parent.
'@
        }
        @{
            Title = 'Private mode'
            Code = @'
New-MacvlanLink mv3 -Parent eth1 -Mode private
'@
            Remarks = @'
A private macvlan cannot talk to the others on the same parent.
'@
        }
    )
}
