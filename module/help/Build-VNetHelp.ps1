<#
.SYNOPSIS
    Writes module/en-US/VNet.PowerShell.dll-Help.xml (MAML) from the cmdlets themselves plus the
    hand-written text in module/help/commands/<Cmdlet>.psd1.

.DESCRIPTION
    The committed, shipped file is the XML; this script is only how it is made, so that what
    reflection knows (parameter sets, types, positions, mandatory, pipeline binding, aliases,
    wildcards, accepted values, defaults, output types) never drifts from the code, and the
    prose (synopsis, description, parameter text, examples, error ids, notes) lives in one small
    data file per cmdlet.

    It refuses to write anything when the text is incomplete: a cmdlet without a .psd1, a parameter
    without a description, a described parameter that no longer exists, fewer than two examples,
    an ErrorId that the code does not raise, or an IPv4 address outside the documentation ranges.

    Run it after the build, with any pwsh 7.4+:
        dotnet build src/VNet.PowerShell -c Release
        pwsh -NoProfile -File module/help/Build-VNetHelp.ps1
    Importing the module runs no kernel operation, so this needs no sandbox.
#>
[CmdletBinding()]
param(
    [string] $Manifest = (Join-Path $PSScriptRoot '../../VNet.psd1'),
    [string] $ContentDir = (Join-Path $PSScriptRoot 'commands'),
    [string] $OutFile = (Join-Path $PSScriptRoot '../en-US/VNet.PowerShell.dll-Help.xml')
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$module = Import-Module (Resolve-Path $Manifest) -PassThru -Force
$repo = Split-Path (Resolve-Path $Manifest)

# ErrorIds the code can raise: the message ids in Messages.resx, the errno-derived ids of
# VNetException.FromErrno, and the few raised with their own id in the cmdlets.
$knownIds = [System.Collections.Generic.HashSet[string]]::new()
$resx = [xml](Get-Content -Raw (Join-Path $repo 'src/VNet.Core/Errors/Messages.resx'))
foreach ($d in $resx.root.data) { [void]$knownIds.Add($d.name) }
foreach ($f in Get-ChildItem -Recurse -Filter *.cs (Join-Path $repo 'src')) {
    $text = Get-Content -Raw $f.FullName
    foreach ($m in [regex]::Matches($text, '\(\s*"([A-Z][A-Za-z]+)"\s*,\s*(Core\.)?VNetErrorCategory\.')) { [void]$knownIds.Add($m.Groups[1].Value) }
    foreach ($m in [regex]::Matches($text, 'new ErrorRecord\([^,]+,\s*"([A-Z][A-Za-z]+)"')) { [void]$knownIds.Add($m.Groups[1].Value) }
}
# Messages.resx entries that are message texts only, never an ErrorId of their own.
foreach ($textOnly in 'KernelError', 'PermissionDeniedNetAdmin') { [void]$knownIds.Remove($textOnly) }

$problems = [System.Collections.Generic.List[string]]::new()
function Test-Hidden($parameter) {
    [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow })
}
function Problem([string] $text) { $problems.Add($text) }

# Text used by several cmdlets (the -Namespace parameter, -Strict) lives once in _shared.psd1 and
# is written {{Key}} in a cmdlet's file.
$shared = Import-PowerShellDataFile (Join-Path $ContentDir '_shared.psd1')
function Expand-Shared($value, [string] $where) {
    if ($value -is [string]) {
        return [regex]::Replace($value, '\{\{(\w+)\}\}', {
                param($m)
                $k = $m.Groups[1].Value
                if (-not $shared.ContainsKey($k)) { Problem "$($where): unknown snippet {{$k}}"; return '' }
                return $shared[$k]
            })
    }
    if ($value -is [System.Collections.IDictionary]) {
        $copy = @{}
        foreach ($k in $value.Keys) { $copy[$k] = Expand-Shared $value[$k] $where }
        return $copy
    }
    if ($value -is [array]) { return , @($value | ForEach-Object { Expand-Shared $_ $where }) }
    return $value
}

$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function Get-TypeName([type] $t, [switch] $Full) {
    $u = [Nullable]::GetUnderlyingType($t)
    if ($u) { $t = $u }
    if ($Full) { return $t.FullName }
    return $t.Name
}

function Get-Paragraphs([string] $text) {
    # Blank lines separate paragraphs; a line starting with '- ' starts a list item; other line
    # breaks inside a paragraph are only source wrapping.
    if ([string]::IsNullOrWhiteSpace($text)) { return @() }
    $paras = [System.Collections.Generic.List[string]]::new()
    foreach ($block in ($text.Trim() -replace "`r", '') -split "\n\s*\n") {
        $current = $null
        foreach ($line in $block -split "\n") {
            $l = $line.Trim()
            if ($l.StartsWith('- ') -and $null -ne $current) { $paras.Add($current); $current = $l; continue }
            $current = if ($null -eq $current) { $l } else { "$current $l" }
        }
        if ($null -ne $current) { $paras.Add($current) }
    }
    return $paras
}

$ns = @{
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp = 'http://msdn.microsoft.com/mshelp'
}

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.IndentChars = '  '
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$settings.NewLineChars = "`n"
$buffer = [System.IO.MemoryStream]::new()
$w = [System.Xml.XmlWriter]::Create($buffer, $settings)

function El([string] $prefix, [string] $name, [string] $value) {
    $w.WriteElementString($prefix, $name, $ns[$prefix], $value)
}
function Start([string] $prefix, [string] $name) { $w.WriteStartElement($prefix, $name, $ns[$prefix]) }
function End { $w.WriteEndElement() }
function Paras([string] $prefix, [string] $name, [string] $text) {
    Start $prefix $name
    foreach ($p in (Get-Paragraphs $text)) { El maml para $p }
    End
}

function Write-Parameter($p, $info, [bool] $inSyntax) {
    # $p: CommandParameterInfo-like values; $info: the prose and computed strings for this parameter.
    Start command parameter
    $w.WriteAttributeString('required', $(if ($info.Required) { 'true' } else { 'false' }))
    $w.WriteAttributeString('variableLength', $(if ($info.Type.IsArray) { 'true' } else { 'false' }))
    $w.WriteAttributeString('globbing', $(if ($info.Globbing) { 'true' } else { 'false' }))
    $w.WriteAttributeString('pipelineInput', $info.Pipeline)
    $w.WriteAttributeString('position', $info.Position)
    $w.WriteAttributeString('aliases', $info.Aliases)
    El maml name $info.Name
    # Get-Help reads parameter descriptions from the parameters section only; the syntax copy
    # would double the file for nothing.
    if (-not $inSyntax) { Paras maml Description $info.Description }
    $isSwitch = $info.Type -eq [System.Management.Automation.SwitchParameter]
    if ($inSyntax -and $info.AcceptedValues) {
        Start command parameterValueGroup
        foreach ($v in $info.AcceptedValues) {
            Start command parameterValue
            $w.WriteAttributeString('required', 'false')
            $w.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $w.WriteString($v)
            End
        }
        End
    }
    elseif (-not ($inSyntax -and $isSwitch)) {
        Start command parameterValue
        $w.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
        $w.WriteAttributeString('variableLength', $(if ($info.Type.IsArray) { 'true' } else { 'false' }))
        $w.WriteString((Get-TypeName $info.Type))
        End
    }
    Start dev type
    El maml name (Get-TypeName $info.Type -Full)
    El maml uri ''
    End
    El dev defaultValue $info.Default
    End
}

$shouldProcessText = @{
    WhatIf  = 'Shows what the cmdlet would change, and changes nothing.'
    Confirm = 'Asks for confirmation before each change.'
}

$commands = Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Noun, Verb
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')

foreach ($cmd in $commands) {
    $file = Join-Path $ContentDir "$($cmd.Name).psd1"
    if (-not (Test-Path $file)) { Problem "$($cmd.Name): no $file"; continue }
    $c = Expand-Shared (Import-PowerShellDataFile $file) $cmd.Name
    foreach ($k in 'Synopsis', 'Description', 'Parameters', 'Examples') {
        if (-not $c.ContainsKey($k) -or -not $c[$k]) { Problem "$($cmd.Name): '$k' is missing or empty" }
    }
    if (-not $c.ContainsKey('Parameters') -or -not $c.ContainsKey('Examples')) { continue }
    $known = @('Synopsis', 'Description', 'Parameters', 'Examples', 'Errors', 'Notes', 'Inputs', 'Outputs', 'Links', 'Defaults', 'Globbing')
    foreach ($k in $c.Keys) { if ($k -notin $known) { Problem "$($cmd.Name): unknown key '$k'" } }

    $instance = [Activator]::CreateInstance($cmd.ImplementingType)
    $supportsShouldProcess = $cmd.Parameters.ContainsKey('WhatIf')
    # Hidden parameters (DontShow: the piped object itself, values kept for old scripts) are not documented.
    $own = @($cmd.Parameters.Values | Where-Object { $_.Name -notin $common -and -not (Test-Hidden $_) })

    foreach ($name in $c.Parameters.Keys) {
        if (-not $cmd.Parameters.ContainsKey($name) -or $name -in $common) { Problem "$($cmd.Name): describes '-$name', which it does not have" }
    }
    $paramInfo = @{}
    foreach ($p in $own) {
        $desc = $c.Parameters[$p.Name]
        if ([string]::IsNullOrWhiteSpace($desc)) { Problem "$($cmd.Name): -$($p.Name) has no description"; $desc = '' }
        $sets = @($p.ParameterSets.Values)
        $required = @($sets | Where-Object IsMandatory).Count -gt 0
        $positions = @($sets | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Sort-Object -Unique)
        $byValue = @($sets | Where-Object ValueFromPipeline).Count -gt 0
        $byName = @($sets | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
        $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $validateSet = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        $globbing = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) -or
            ($c.ContainsKey('Globbing') -and $p.Name -in $c.Globbing)
        $default = if ($c.ContainsKey('Defaults') -and $c.Defaults.ContainsKey($p.Name)) { $c.Defaults[$p.Name] }
            elseif ($required) { 'None' }
            else {
                $v = $cmd.ImplementingType.GetProperty($p.Name).GetValue($instance)
                if ($v -is [System.Management.Automation.SwitchParameter]) { [string]$v.IsPresent }
                elseif ($null -eq $v -or ($v -is [string] -and $v -eq '') -or ($v -is [array] -and $v.Count -eq 0)) { 'None' }
                elseif ($v -is [array]) { $v -join ', ' }
                else { [string]$v }
            }
        $text = $desc
        if ($validateSet) { $text += "`n`nAccepted values: $($validateSet.ValidValues -join ', ')." }
        $setNames = @($p.ParameterSets.Keys | Where-Object { $_ -ne '__AllParameterSets' })
        if ($cmd.ParameterSets.Count -gt 1 -and $setNames.Count -gt 0 -and $setNames.Count -lt $cmd.ParameterSets.Count) {
            $text += "`n`nParameter set: $($setNames -join ', ')."
        }
        $paramInfo[$p.Name] = [pscustomobject]@{
            Name = $p.Name; Type = $p.ParameterType; Required = $required
            Position = if ($positions.Count -gt 0) { [string]$positions[0] } else { 'named' }
            Pipeline = $pipeline; Globbing = $globbing
            Aliases = if ($p.Aliases.Count -gt 0) { $p.Aliases -join ', ' } else { 'none' }
            Default = $default; Description = $text
            AcceptedValues = if ($validateSet) { @($validateSet.ValidValues) } else { $null }
        }
    }
    foreach ($sp in 'WhatIf', 'Confirm') {
        if ($supportsShouldProcess) {
            $paramInfo[$sp] = [pscustomobject]@{
                Name = $sp; Type = [System.Management.Automation.SwitchParameter]; Required = $false; Position = 'named'
                Pipeline = 'False'; Globbing = $false; Aliases = $(if ($sp -eq 'WhatIf') { 'wi' } else { 'cf' })
                Default = 'False'; Description = $shouldProcessText[$sp]; AcceptedValues = $null
            }
        }
    }

    # Examples: at least two, each with a title, code and remarks.
    $examples = @($c.Examples)
    if ($examples.Count -lt 2) { Problem "$($cmd.Name): $($examples.Count) example(s), want at least 2" }
    foreach ($e in $examples) {
        foreach ($k in 'Title', 'Code', 'Remarks') { if (-not $e.ContainsKey($k) -or [string]::IsNullOrWhiteSpace($e[$k])) { Problem "$($cmd.Name): an example lacks $k" } }
    }
    foreach ($id in @($c.Errors | Where-Object { $_ } | ForEach-Object { ($_ -split ':', 2)[0] -split ',' } | ForEach-Object Trim)) {
        if (-not $knownIds.Contains($id)) { Problem "$($cmd.Name): ErrorId '$id' is not raised anywhere in src/" }
    }
    # Only documentation addresses in what users copy.
    $allText = ($c.Values | ConvertTo-Json -Depth 6 -Compress)
    foreach ($m in [regex]::Matches($allText, '(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\d.])')) {
        $a = $m.Groups[1].Value
        if ($a -notmatch '^(192\.0\.2|198\.51\.100|203\.0\.113)\.' -and $a -notin '0.0.0.0', '127.0.0.1', '127.0.0.11') { Problem "$($cmd.Name): address $a is not a documentation address" }
    }

    Start command command
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') { $w.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
    Start command details
    El command name $cmd.Name
    El command verb $cmd.Verb
    El command noun $cmd.Noun
    Paras maml description $c.Synopsis
    End

    $description = $c.Description
    if ($c.ContainsKey('Errors') -and $c.Errors) {
        $description += "`n`nERRORS: each error is an ErrorRecord whose FullyQualifiedErrorId starts with one of these stable ids (match on it in scripts; see about_VNet):`n" +
            (($c.Errors | ForEach-Object { "- $_" }) -join "`n")
    }
    Paras maml description $description

    # Syntax: one item per parameter set; positional parameters first, in position order, then
    # mandatory ones, then the rest in declaration order, then -WhatIf/-Confirm.
    Start command syntax
    $setOrder = @($cmd.ParameterSets | Sort-Object { -not $_.IsDefault })
    foreach ($set in $setOrder) {
        Start command syntaxItem
        El maml name $cmd.Name
        $ps = @($set.Parameters | Where-Object { $_.Name -notin $common -and -not (Test-Hidden $_) })
        $i = 0
        $ordered = $ps | ForEach-Object { [pscustomobject]@{ P = $_; I = $i++ } } |
            Sort-Object @{ Expression = { if ($_.P.Position -ge 0) { 0 } elseif ($_.P.IsMandatory) { 1 } else { 2 } } },
                @{ Expression = { if ($_.P.Position -ge 0) { $_.P.Position } else { $_.I } } }
        foreach ($o in $ordered) {
            $info = $paramInfo[$o.P.Name].PSObject.Copy()
            $info.Required = $o.P.IsMandatory
            $info.Position = if ($o.P.Position -ge 0) { [string]$o.P.Position } else { 'named' }
            Write-Parameter $o.P $info $true
        }
        if ($supportsShouldProcess) { foreach ($sp in 'WhatIf', 'Confirm') { Write-Parameter $null $paramInfo[$sp] $true } }
        End
    }
    End

    Start command parameters
    foreach ($p in $own) { Write-Parameter $p $paramInfo[$p.Name] $false }
    if ($supportsShouldProcess) { foreach ($sp in 'WhatIf', 'Confirm') { Write-Parameter $null $paramInfo[$sp] $false } }
    End

    # Inputs: derived from the pipeline bindings, with the content's words on where such objects come from.
    Start command inputTypes
    $byValueParams = @($own | Where-Object { @($_.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0 })
    $byNameParams = @($own | Where-Object { @($_.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0 })
    foreach ($p in $byValueParams) {
        Start command inputType
        Start dev type; El maml name (Get-TypeName $p.ParameterType -Full); El maml uri ''; End
        Paras maml description "You can pipe values to -$($p.Name)."
        End
    }
    if ($byNameParams) {
        $names = ($byNameParams | ForEach-Object {
                if ($_.Aliases.Count) { "$($_.Name) (or $($_.Aliases -join ', '))" } else { $_.Name } }) -join ', '
        $text = "Objects with these properties bind to the parameters of the same name: $names."
        if ($c.ContainsKey('Inputs') -and $c.Inputs) { $text += " $($c.Inputs)" }
        Start command inputType
        Start dev type; El maml name 'System.Management.Automation.PSObject'; El maml uri ''; End
        Paras maml description $text
        End
    }
    if (-not $byValueParams -and -not $byNameParams) {
        Start command inputType
        Start dev type; El maml name 'None'; El maml uri ''; End
        Paras maml description 'This cmdlet takes no pipeline input.'
        End
    }
    End

    Start command returnValues
    $outputs = @()
    if ($c.ContainsKey('Outputs') -and $c.Outputs) { $outputs = @($c.Outputs) }
    else {
        $outputs = @($cmd.OutputType | ForEach-Object { @{ Type = $_.Name; Description = '' } })
        if (-not $outputs) { $outputs = @(@{ Type = 'None'; Description = 'This cmdlet writes no objects (use -Verbose to see what was already gone).' }) }
    }
    foreach ($o in $outputs) {
        if ([string]::IsNullOrWhiteSpace($o.Description)) { Problem "$($cmd.Name): output $($o.Type) has no description (give Outputs)" }
        Start command returnValue
        Start dev type; El maml name $o.Type; El maml uri ''; End
        Paras maml description $o.Description
        End
    }
    End

    $notes = if ($c.ContainsKey('Notes')) { $c.Notes } else { '' }
    if ($supportsShouldProcess) {
        $notes = ($notes + "`n`nThis cmdlet supports -WhatIf (it says what it would do, and does nothing) and -Confirm (it asks first).").Trim()
    }
    if ($notes) {
        Start maml alertSet
        Start maml alert
        foreach ($p in (Get-Paragraphs $notes)) { El maml para $p }
        End
        End
    }

    Start command examples
    $n = 0
    foreach ($e in $examples) {
        $n++
        Start command example
        El maml title "-------------------------- Example $($n): $($e.Title) --------------------------"
        $code = ($e.Code -replace "`r", '').Trim("`n")
        if ($e.ContainsKey('Output') -and $e.Output) { $code += "`n`n" + ($e.Output -replace "`r", '').Trim("`n") }
        El dev code $code
        Paras dev remarks $e.Remarks
        End
    }
    End

    Start command relatedLinks
    $links = @('about_VNet') + @($(if ($c.ContainsKey('Links')) { $c.Links }) | Where-Object { $_ })
    foreach ($l in $links) {
        if ($l -notlike 'about_*' -and $l -notmatch '^https?://' -and -not (Get-Command $l -Module $module.Name -ErrorAction Ignore)) {
            Problem "$($cmd.Name): related link '$l' is not a VNet cmdlet"
        }
        Start maml navigationLink
        if ($l -match '^https?://') { El maml linkText 'Online'; El maml uri $l }
        else { El maml linkText $l; El maml uri '' }
        End
    }
    End
    End # command:command
}

foreach ($f in Get-ChildItem $ContentDir -Filter *.psd1 | Where-Object Name -NotLike '_*') {
    if ($f.BaseName -notin $commands.Name) { Problem "$($f.Name): no cmdlet of that name in the module" }
}

$w.WriteEndElement()
$w.WriteEndDocument()
$w.Flush()
if ($problems.Count) {
    $problems | ForEach-Object { Write-Warning $_ }
    throw "Help not written: $($problems.Count) problem(s)."
}
$null = New-Item -ItemType Directory -Force (Split-Path $OutFile)
$OutFile = [System.IO.Path]::GetFullPath($OutFile)
[System.IO.File]::WriteAllBytes($OutFile, $buffer.ToArray())
"Wrote $OutFile ($($commands.Count) cmdlets)."
