# awsp shell integration for nushell.
#
# Install: write this file once, and source it from config.nu:
#     mkdir ~/.cache/awsp
#     awsp init nu | save -f ~/.cache/awsp/init.nu
# then add to config.nu ($nu.config-path):
#     source ~/.cache/awsp/init.nu
#
# It defines a command `awsp` that runs the awsp binary and applies the
# environment changes the binary hands back (AWS_PROFILE, AWSP_PREVIOUS, ...).
# A program cannot change its parent shell's environment; a `def --env` can.
#
# How: nushell cannot give an external an extra file descriptor, so the
# command makes two private temp files (mktemp: fresh, readable by the user
# only): the binary, told AWSP_SHELL=nu and AWSP_OUT=<code file>, writes a
# JSON document {"set": {NAME: value}, "unset": [NAME]} to the code file;
# only when it exits 0 is that applied with hide-env and load-env (data, not
# code: nothing is evaluated; see __awsp_apply). The binary's stdout goes to
# the second file and becomes this command's output when the binary exits
# (so it is not streamed), so `awsp list | find prod` works; its stderr and
# the terminal (the picker draws on /dev/tty) stay the user's. Both files are removed on every
# path that returns (the external's failure is caught by try). The binary's
# exit status is left in $env.LAST_EXIT_CODE.
#
# $env.AWSP_BIN overrides the binary (tests use a stub).

# Applies {"set": {NAME: value}, "unset": [NAME]} to the caller's environment.
# hide-env alone is not enough: a variable inherited from nu's parent process
# and later reassigned can survive hide-env inside a `def --env` (seen in nu
# 0.108). Whatever is still visible after it is set to null, which nu leaves
# out of every external's environment and `$env.NAME?` reads as absent.
def --env __awsp_apply [change: record] {
    let names = ($change.unset? | default [])
    hide-env -i ...$names
    let still = ($names | where {|name| ($env | get -o $name) != null })
    if ($still | is-not-empty) {
        load-env ($still | reduce -f {} {|name, acc| $acc | insert $name null })
    }
    load-env ($change.set? | default {})
}

def --env --wrapped awsp [...args] {
    let awsp_bin = ($env.AWSP_BIN? | default "awsp")
    let code_file = (mktemp -t awsp.XXXXXXXXXX)
    let out_file = (mktemp -t awsp.XXXXXXXXXX)
    # A non-zero exit is an error in nu: catch it and keep its code (a
    # signal gives a negative one). No exit code at all means the binary
    # could not be started: say why, status 127 as in POSIX shells.
    # LAST_EXIT_CODE set inside with-env would not outlive the block.
    let status = try {
        with-env {AWSP_OUT: $code_file, AWSP_SHELL: "nu"} {
            ^$awsp_bin ...$args o> $out_file
        }
        0
    } catch {|err|
        if $err.exit_code? != null {
            $err.exit_code
        } else {
            print -e $"awsp: ($err.msg)"
            127
        }
    }
    let output = (open --raw $out_file)
    let code = (open --raw $code_file | into string)
    rm -f $code_file $out_file
    if $status == 0 and ($code | str trim) != "" {
        __awsp_apply ($code | from json)
    }
    $env.LAST_EXIT_CODE = $status
    # Nothing (not an empty line) when awsp printed nothing, e.g. after a switch.
    if ($output | is-empty) { null } else { $output }
}

# --- completion ---
# Not provided for nushell yet (bash, zsh and fish have it).
# --- end completion ---
