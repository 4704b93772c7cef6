@{
    Synopsis = 'Creates an 802.1Q VLAN link, as `ip link add NAME link PARENT type vlan id ID` does.'
    Description = @'
New-VlanLink creates a VLAN sub-interface on a parent device. It needs the kernel's 802.1Q support (CONFIG_VLAN_8021Q); where the kernel lacks it, the error VlanNotSupported says so, and VNet's own test of it is skipped with that reason (it runs on the Vagrant lab's VMs).
'@
    Parameters = @{
        Name = 'The new link''s name, such as eth1.10.'
        Parent = 'The parent device.'
        VlanId = 'The VLAN id, 1 to 4094.'
        Namespace = 'The namespace of the parent: {{Namespace}}'
        ToNamespace = 'Puts the new link straight into this namespace (a container''s): a /run/netns name or a namespace file path. It comes up there.'
        Mtu = 'The MTU of the new link, 68 to 65535 (at most the parent''s).'
        MacAddress = 'The MAC address of the new link, six hex bytes such as 02:42:c6:33:64:0a (unicast); by default it takes the parent''s.'
        Force = 'Makes a re-run succeed: when what would be created is already there as asked, it is returned (and nothing changes) instead of an error; when something of that name is there but differs, the error ExistsDifferently names each difference. Only what was asked is compared. This is New-Item -Force''s idiom, for runbooks that run twice.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Links.NetLink'; Description = 'The new link (Kind vlan).' }
    )
    Errors = @(
        'InvalidVlanId: -VlanId is outside 1..4094.'
        'ParentNotFound: -Parent does not exist.'
        'VlanNotSupported: the kernel has no 802.1Q support.'
        'LinkExists: the name is taken.'
    )
    Examples = @(
        @{
            Title = 'VLAN 10 on eth1'
            Code = @'
New-VlanLink eth1.10 -Parent eth1 -VlanId 10
'@
            Remarks = @'
Frames sent on eth1.10 leave eth1 tagged with VLAN 10.
'@
        }
        @{
            Title = 'Check the kernel first'
            Code = @'
try { New-VlanLink eth1.10 -Parent eth1 -VlanId 10 -ErrorAction Stop } catch { $_.Exception.Message }
'@
            Remarks = @'
On a kernel without 802.1Q the message says so instead of a bare EOPNOTSUPP.
'@
        }
    )
}
