# Every table view at 80 and 120 columns, with IPv4 and IPv6 data: no header wrapped (a label cut
# into pieces over several lines), no column dropped, and at 120 columns the addresses whole.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    Import-Module (Join-Path $PSScriptRoot 'ViewSamples.psm1') -Force
    $script:cases = foreach ($e in (Get-VNetViewSample).GetEnumerator()) { @{ Type = $e.Key } }
}
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-VNet
    Import-Module (Join-Path $PSScriptRoot 'ViewSamples.psm1') -Force
    $samples = Get-VNetViewSample
    [xml] $format = Get-Content -Raw (Join-Path $PSScriptRoot '..' '..' 'module' 'VNet.Format.ps1xml')
    function Get-Labels([string] $type) {
        $view = $format.Configuration.ViewDefinitions.View | Where-Object Name -eq $type
        @($view.TableControl.TableHeaders.TableColumnHeader.Label)
    }
    # Header lines are the ones right above a line of dashes.
    function Get-HeaderLines([string[]] $lines) {
        for ($i = 1; $i -lt $lines.Count; $i++) { if ($lines[$i] -match '^-+( +-+)*\s*$') { $lines[$i - 1] } }
    }
    # Values that must be shown whole at 120 columns: every IPv6 address the samples carry in an
    # address property (free text such as a rule's is left out).
    function Get-Addresses([object[]] $objects) {
        foreach ($o in $objects) {
            foreach ($p in 'IPAddress', 'Cidr', 'Gateway', 'Destination', 'Remote', 'RemoteVtep') {
                $v = $o.PSObject.Properties[$p].Value
                if ($v -is [string] -and $v -match ':' -and $v -notmatch '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$') { $v }
            }
        }
    }
}

Describe 'Views at 80 and 120 columns' {
    It '<Type> has a view of its own' -TestCases $cases {
        (Get-Labels $Type).Count | Should -BeGreaterThan 1
    }
    It '<Type> at <Width> columns: every header whole on one line, no column dropped, no line too long' -TestCases (
        $cases | ForEach-Object { @{ Type = $_.Type; Width = 80 }; @{ Type = $_.Type; Width = 120 } }) {
        $lines = Get-VNetViewText $samples[$Type] $Width
        $headers = @(Get-HeaderLines $lines)
        $headers.Count | Should -BeGreaterThan 0 -Because "the $Type table has a header"
        foreach ($h in $headers) {
            $words = @($h.Trim() -split '\s+')
            $words | Should -Be (Get-Labels $Type) -Because "the header of $Type reads '$h'"
        }
        foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual $Width }
    }
    It '<Type> at 120 columns shows IPv6 addresses whole' -TestCases $cases {
        $text = (Get-VNetViewText $samples[$Type] 120) -join "`n"
        foreach ($a in Get-Addresses $samples[$Type]) {
            if ($Type -eq 'NetConntrackEntry') { continue }
            $text | Should -Match ([regex]::Escape($a)) -Because "$Type shows $a"
        }
        # Nothing cut inside an IPv6 address (a wrapped view, conntrack's, continues on the next line
        # instead); rule text, which ends a line, may be cut.
        if ($Type -notin 'NatRule', 'NetFilterRule', 'NetTraceStep') { $text | Should -Not -Match '[0-9a-f]{1,4}:[0-9a-f:]*…' }
    }
}
