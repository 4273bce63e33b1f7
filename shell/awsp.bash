# awsp shell integration for bash (and any POSIX sh with `local`: dash, ash).
#
# Install: add this line to ~/.bashrc
#     eval "$(awsp init bash)"
#
# It defines a function `awsp` that runs the awsp binary and applies the
# environment changes the binary hands back (AWS_PROFILE, AWSP_PREVIOUS, ...).
# A program cannot change its parent shell's environment; this function can.
#
# How: the binary gets a private file descriptor 3, joined to a command
# substitution, on which it writes `export`/`unset` lines; its own stdout
# (fd 1, saved on fd 4 around the substitution), stderr and stdin stay the
# user's, so `awsp list | grep prod` works and the picker uses the terminal.
# The code is evaluated only when the binary exits 0, and the binary's exit
# status is returned unchanged. Nothing is left behind: the two variables
# are local, fd 3 and fd 4 exist only for the one command.
#
# $AWSP_BIN overrides the binary (tests use a stub). AWSP_OUT is emptied for
# the call so a stale value in the environment cannot divert the code.

unalias awsp 2>/dev/null || :

awsp() {
    local __awsp_code __awsp_status
    {
        __awsp_code=$(AWSP_OUT= AWSP_SHELL=bash command "${AWSP_BIN:-awsp}" "$@" 3>&1 1>&4 4>&-)
        __awsp_status=$?
    } 4>&1
    if [ "$__awsp_status" -eq 0 ] && [ -n "$__awsp_code" ]; then
        eval "$__awsp_code" || return
    fi
    return "$__awsp_status"
}

# --- completion (added by a later issue) ---
# awsp completion for bash goes here.
# --- end completion ---
