# awsp shell integration for POSIX sh: dash, ksh, busybox sh, ash.
#
# Install: add this line to your shell's startup file (~/.profile, or the
# file $ENV names, e.g. ~/.shrc or ~/.kshrc):
#     eval "$(awsp init sh)"
#
# It defines a function `awsp` that runs the awsp binary and applies the
# environment changes the binary hands back (AWS_PROFILE, AWSP_PREVIOUS, ...).
# A program cannot change its parent shell's environment; this function can.
#
# How: as for bash. The binary gets a private file descriptor 3, joined to a
# command substitution, on which it writes `export`/`unset` lines quoted for
# any POSIX sh; its own stdout (fd 1, saved on fd 4 around the substitution),
# stderr and stdin stay the user's, so `awsp list | grep prod` works and the
# picker uses the terminal. The code is evaluated only when the binary exits
# 0, and the binary's exit status is returned unchanged.
#
# POSIX has no `local` (ksh93 has none in this kind of function), so the two
# variables have names of their own and are unset before returning; the
# status travels in the function's own positional parameters.
#
# $AWSP_BIN overrides the binary (tests use a stub). AWSP_OUT is emptied for
# the call so a stale value in the environment cannot divert the code.
# No tab completion for plain sh.

unalias awsp 2>/dev/null || :

awsp() {
    {
        __awsp_code=$(AWSP_OUT= AWSP_SHELL=sh command "${AWSP_BIN:-awsp}" "$@" 3>&1 1>&4 4>&-)
        __awsp_status=$?
    } 4>&1
    if [ "$__awsp_status" -eq 0 ] && [ -n "$__awsp_code" ]; then
        eval "$__awsp_code" || __awsp_status=$?
    fi
    set -- "$__awsp_status"
    unset __awsp_code __awsp_status
    return "$1"
}
