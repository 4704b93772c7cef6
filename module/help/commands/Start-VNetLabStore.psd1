@{
    Synopsis = 'Starts a lab''s etcd members again and waits until the cluster is healthy.'
    Description = @'
Start-VNetLabStore starts the etcd members on the named hosts (or every member not running, when no host is named) from their data in the host's /var/lib/vnet, with the same settings they first ran with, then waits until every running member answers `etcdctl endpoint health`, which needs a quorum. Members already running are left alone. It returns the members it started.
'@
    Parameters = @{
        Name = 'The lab (alias -Lab).'
        HostName = 'The hosts whose members to start (alias -Host). Default: every member not running.'
        TimeoutSeconds = 'How long to wait for the cluster to be healthy (default 30).'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Lab.EtcdMember'; Description = 'Each member started: its name, host, client and peer URLs, data directory, log path and PID on the host.' }
    )
    Errors = @(
        'LabNotFound: no running lab of that name.'
        'LabStoreNotFound: the lab has no store.'
        'LabStoreMemberNotFound: no etcd member runs on that host.'
        'LabHostNotRunning: the member''s host was killed; a member cannot run without its host.'
        'LabStoreFailed: the cluster was not healthy in time, for instance because too few members run for a quorum. The message carries etcdctl''s answer and the end of each member''s log.'
    )
    Examples = @(
        @{
            Title = 'Bring back every stopped member'
            Code = @'
Start-VNetLabStore vxlab3
'@
            Remarks = @'
Returns the members it started, once the cluster is healthy.
'@
        }
        @{
            Title = 'Restart one member after a crash'
            Code = @'
Stop-VNetLabStore vxlab3 -HostName B
Start-VNetLabStore vxlab3 -HostName B -TimeoutSeconds 10
'@
            Remarks = @'
B rejoins with its data and catches up with what A and C committed meanwhile.
'@
        }
    )
}
