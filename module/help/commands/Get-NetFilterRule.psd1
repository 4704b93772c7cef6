@{
    Synopsis = 'Lists every firewall rule of a namespace, VNet''s, Docker''s and anyone''s, as `nft -a list ruleset` (or `iptables-save`) shows them.'
    Description = @'
Get-NetFilterRule reads a namespace's whole nftables ruleset and returns one object per rule, in
the order the kernel keeps them: VNet's table (`inet vnet`), the tables iptables-nft makes for
Docker and for `iptables` commands (`ip nat`, `ip filter`, with DOCKER, DOCKER-USER,
DOCKER-ISOLATION-STAGE-1/2 ...), and any other table. It only reads; nothing is changed.

Each object gives the Family, Table and Chain; for a rule in a base chain, the chain's Hook (such
as "filter forward"), Priority and Policy; the rule's Handle (what `nft -a` prints, and what
Trace-NetPacket's steps refer to); the Rule as nft prints it; and Packets and Bytes when the rule
has a counter (iptables-nft rules all have one).

Use it to see what a NAT rule or an isolation really added, why a packet is dropped (which rule
counts up), or what Docker's iptables rules look like in nftables. Chains without rules (only a
policy) have no object; `nft list ruleset` shows them.

Rules of iptables-legacy (the old x_tables backend) are not part of nftables and do not show here;
`iptables-legacy-save` lists them.
'@
    Parameters = @{
        Table = 'Only rules of the tables whose name matches, such as vnet, nat or filter (case-sensitive). Wildcards (* and ?) are allowed. By default, every table.'
        Chain = 'Only rules of the chains whose name matches, such as FORWARD, DOCKER-USER or postrouting (case-sensitive, as nft names them). Wildcards (* and ?) are allowed: DOCKER* for all of Docker''s chains. By default, every chain.'
        Namespace = 'The namespace whose ruleset to read: {{Namespace}}'
    }
    Inputs = 'Get-NetNamespace output binds through Namespace.'
    Outputs = @(
        @{ Type = 'VNet.Core.Filter.NetFilterRule'; Description = 'One object per rule: Family, Table, Chain, Hook, Priority and Policy (base chains only), Handle, Rule, Packets, Bytes (when the rule counts) and Namespace.' }
    )
    Errors = @(
        'NamespaceNotFound: -Namespace does not exist.'
        'InvalidNamespaceName, NamespaceStale: the namespace name is not valid, or is an empty file.'
        'NftablesMissing: libnftables is not installed (Debian and Ubuntu: libnftables1).'
        'PermissionDenied: the session lacks root or CAP_NET_ADMIN (reading the ruleset needs it too).'
    )
    Examples = @(
        @{
            Title = 'What VNet''s table holds'
            Code = @'
Get-NetFilterRule vnet
'@
            Output = @'
Family Table      Chain                  Handle Rule
------ -----      -----                  ------ ----
ip     vnet       prerouting             12     dnat ip to ip daddr . tcp dport map @pub_tcp_addr
ip     vnet       prerouting             13     dnat ip to ip daddr . udp dport map @pub_udp_addr
ip     vnet       prerouting             14     fib daddr type local dnat ip to tcp dport map @pub_tcp
ip     vnet       prerouting             15     fib daddr type local dnat ip to udp dport map @pub_udp
...
ip     vnet       postrouting            20     ct status dnat oifname . ip saddr @hairpin counter packets 1 bytes 60 masquerade comment "vnet:hairpi…
ip     vnet       postrouting            22     ip saddr 198.51.100.0/24 ip daddr != 198.51.100.0/24 counter packets 1 bytes 84 masquerade comment "v…
ip     vnet       forward                21     iifname . oifname @isolated_pairs counter packets 0 bytes 0 drop comment "vnet:isolation"
'@
            Remarks = @'
The published ports are looked up in maps (pub_tcp, pub_udp, and pub_tcp_addr and pub_udp_addr for
ports published on one host address); the hairpin rule masquerades a container that reaches a
published neighbour on its own bridge; the isolation rule drops traffic between isolated bridges;
each NAT rule of Add-NatRule carries the comment "vnet:ID". The output hook's lookups are left
out here.
'@
        }
        @{
            Title = 'Docker''s chains and VNet''s accepts in them'
            Code = @'
# iptables-save -t filter
Get-NetFilterRule filter DOCKER*
'@
            Output = @'
Family Table      Chain                  Handle Rule
------ -----      -----                  ------ ----
ip     filter     DOCKER-ISOLATION-STAG… 14     iifname "docker0" oifname != "docker0" counter packets 0 bytes 0 jump DOCKER-ISOLATION-STAGE-2
ip     filter     DOCKER-ISOLATION-STAG… 15     counter packets 0 bytes 0 return
ip     filter     DOCKER-ISOLATION-STAG… 16     oifname "docker0" counter packets 0 bytes 0 drop
ip     filter     DOCKER-ISOLATION-STAG… 17     counter packets 0 bytes 0 return
ip     filter     DOCKER-USER            20     iifname "br0"  counter packets 5 bytes 420 accept
ip     filter     DOCKER-USER            19     oifname "br0" ct status dnat  counter packets 3 bytes 252 accept
ip     filter     DOCKER-USER            18     counter packets 0 bytes 0 return
'@
            Remarks = @'
Docker's iptables rules, as iptables-nft stored them in nftables. Above Docker's own `return` in
DOCKER-USER are the two accepts VNet added for br0 because the FORWARD policy is DROP
(`iptables -S DOCKER-USER` shows their comment "vnet:forward:br0").
'@
        }
        @{
            Title = 'Which rules are counting up?'
            Code = @'
Get-NetFilterRule | Sort-Object Packets -Descending | Select-Object -First 3 Table, Chain, Packets, Rule
'@
            Remarks = @'
After a failed ping, the rule whose counter grew is usually the one that dropped it (or
Trace-NetPacket shows it directly).
'@
        }
        @{
            Title = 'The FORWARD chain of an emulated host, with its policy'
            Code = @'
Get-NetFilterRule -Chain FORWARD -Namespace hostA | Format-Table Chain, Hook, Policy, Handle, Rule
'@
            Remarks = @'
Hook and Policy show, for instance, "filter forward" and "drop" where Docker's rules are loaded.
'@
        }
    )
    Links = @('Get-NatRule', 'Trace-NetPacket', 'Add-NatRule', 'Set-NetBridge', 'Get-NetConntrack')
}
