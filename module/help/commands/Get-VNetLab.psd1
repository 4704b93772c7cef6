@{
    Synopsis = 'Lists the labs running on this machine, with their hosts.'
    Description = @'
Get-VNetLab reads /run/vnet/lab and returns each running lab. An emulated lab whose host processes are all gone (after a crash) is not listed; Stop-VNetLab cleans it up. A lab with some hosts killed (Stop-VNetLab -HostName) is listed, those hosts with Running False and "(down)" in the table. A lab with a store carries it in Store: the endpoints and each etcd member (host, URLs, data directory, log, PID on the host).
'@
    Parameters = @{
        Name = 'One lab''s name. Without it, every running lab.'
    }
    Outputs = @(
        @{ Type = 'VNet.Core.Lab.LabInstance'; Description = 'One object per lab: its hosts (with Running, ProcessId, AnchorProcessId) and its Store.' }
    )
    Errors = @(
        'LabNotFound: no running lab of that name.'
    )
    Examples = @(
        @{
            Title = 'What is running'
            Code = @'
Get-VNetLab
'@
            Remarks = @'
Name, backend, underlay and hosts of each lab.
'@
        }
        @{
            Title = 'The hosts of one lab'
            Code = @'
(Get-VNetLab vxlab).Hosts
'@
            Remarks = @'
Name, Address, Device, ProcessId and Namespace of each host.
'@
        }
    )
}
