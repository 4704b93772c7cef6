@{
    Synopsis = 'Kills etcd members of a lab''s store, as a crash would, to see what a lost member or a lost quorum does.'
    Description = @'
Stop-VNetLabStore sends SIGKILL to the etcd member running on each named host of a lab started with a store (Start-VNetLab -Store etcd, or "store": "etcd" in the lab file) and waits until it is gone. The host itself runs on, and the member's data stays in the host's /var/lib/vnet, so Start-VNetLabStore brings it back with its data. With three members, one killed leaves a quorum (requests succeed once a new leader is elected, within about a second); two killed leave none (requests time out). A member that was not running is skipped quietly.
'@
    Parameters = @{
        Name = 'The lab (alias -Lab).'
        HostName = 'The hosts whose members to kill (alias -Host).'
    }
    Errors = @(
        'LabNotFound: no running lab of that name.'
        'LabStoreNotFound: the lab has no store.'
        'LabHostNotFound: the lab has no such host.'
        'LabStoreMemberNotFound: no etcd member runs on that host (with four or more hosts, the members are on the first three).'
    )
    Examples = @(
        @{
            Title = 'Lose the quorum, then get it back'
            Code = @'
Stop-VNetLabStore vxlab3 -HostName B, C
Invoke-VNetLabCommand vxlab3 A -Command etcdctl -ArgumentList '--command-timeout=2s', 'put', 'k', 'v'   # fails
Start-VNetLabStore vxlab3 -HostName B, C
'@
            Remarks = @'
Run etcdctl with $env:ETCDCTL_API = '3'. Each member also listens on its host's 127.0.0.1:2379.
'@
        }
        @{
            Title = 'Kill the member of one host'
            Code = @'
Stop-VNetLabStore vxlab3 -HostName B
(Get-VNetLab vxlab3).Store.Members | Format-Table Name, HostName, ProcessId
'@
            Remarks = @'
B's member shows ProcessId 0; A and C keep the quorum.
'@
        }
    )
}
