# awsp shell integration for PowerShell (pwsh 7+, and Windows PowerShell 5.1).
#
# Install: add this line to your profile ($PROFILE)
#     Invoke-Expression (& awsp init powershell | Out-String)
#
# It defines a function `awsp` that runs the awsp binary and applies the
# environment changes the binary hands back (AWS_PROFILE, AWSP_PREVIOUS, ...).
# A program cannot change its parent shell's environment; this function can.
#
# How: PowerShell cannot give a native command an extra file descriptor, so
# the function creates a private temp file (New-TemporaryFile: a fresh file,
# readable by the user only), names it in $env:AWSP_OUT for the one call, and
# the binary writes `$env:X = '...'` / `Remove-Item Env:X` lines there. Only
# when the binary exits 0 is that code run (Invoke-Expression). The file is
# removed and AWSP_OUT/AWSP_SHELL are restored in `finally`, on every path,
# Ctrl-C included. The binary's exit status is left in $LASTEXITCODE. Its
# stdout is this function's output (`awsp list | Select-String prod` works);
# stderr and the terminal stay the user's.
#
# Caveat: PowerShell itself removes the first bare `--` from a function's
# arguments; to pass one, quote it: awsp '--' -odd-name
#
# $env:AWSP_BIN overrides the binary (tests use a stub).

function awsp {
    $awspBin = $env:AWSP_BIN
    if (-not $awspBin) {
        # The application, never this function or an alias.
        $awspBin = (Get-Command -Name awsp -CommandType Application -ErrorAction Stop |
            Select-Object -First 1).Source
    }
    $awspOut = New-TemporaryFile
    $savedOut = $env:AWSP_OUT
    $savedShell = $env:AWSP_SHELL
    $awspStatus = 1
    try {
        $env:AWSP_OUT = $awspOut.FullName
        $env:AWSP_SHELL = 'powershell'
        & $awspBin @args
        $awspStatus = $LASTEXITCODE
        $env:AWSP_OUT = $savedOut
        $env:AWSP_SHELL = $savedShell
        if ($awspStatus -eq 0) {
            $awspCode = Get-Content -LiteralPath $awspOut.FullName -Raw -Encoding UTF8
            if ($awspCode) {
                Invoke-Expression $awspCode
            }
        }
    }
    finally {
        $env:AWSP_OUT = $savedOut
        $env:AWSP_SHELL = $savedShell
        Remove-Item -LiteralPath $awspOut.FullName -Force -ErrorAction SilentlyContinue
        $global:LASTEXITCODE = $awspStatus
    }
}

# --- completion ---
# Not provided for PowerShell yet (bash, zsh and fish have it).
# --- end completion ---
