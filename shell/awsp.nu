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
# only when it exits 0 is that applied with load-env and hide-env (data, not
# code: nothing is evaluated). The binary's stdout goes to the second file
# and becomes this command's output, so `awsp list | find prod` works; its
# stderr and the terminal stay the user's. Both files are removed on every
# path that returns (the external's failure is caught by try). The binary's
# exit status is left in $env.LAST_EXIT_CODE.
#
# $env.AWSP_BIN overrides the binary (tests use a stub).

def --env --wrapped awsp [...args] {
    let awsp_bin = ($env.AWSP_BIN? | default "awsp")
    let code_file = (mktemp -t awsp.XXXXXXXXXX)
    let out_file = (mktemp -t awsp.XXXXXXXXXX)
    try {
        with-env {AWSP_OUT: $code_file, AWSP_SHELL: "nu"} {
            ^$awsp_bin ...$args o> $out_file
        }
    } catch { }
    let status = $env.LAST_EXIT_CODE
    let output = (open --raw $out_file)
    let code = (open --raw $code_file | into string)
    rm -f $code_file $out_file
    if $status == 0 and ($code | str trim) != "" {
        let change = ($code | from json)
        hide-env -i ...($change.unset? | default [])
        load-env ($change.set? | default {})
    }
    $env.LAST_EXIT_CODE = $status
    $output
}

# --- completion (added by a later issue) ---
# awsp completion for nushell goes here.
# --- end completion ---
