# awsp shell integration for zsh.
#
# Install: add this line to ~/.zshrc
#     eval "$(awsp init zsh)"
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

# `function NAME` is not subject to alias expansion, so an alias named awsp
# cannot break the definition; the alias itself would shadow the function.
unalias awsp 2>/dev/null || :

function awsp {
    # zsh's default options for this function only (the user's setopts, such
    # as KSH_ARRAYS or SH_WORD_SPLIT, cannot change what follows).
    emulate -L zsh
    local __awsp_code __awsp_status
    {
        __awsp_code=$(AWSP_OUT= AWSP_SHELL=zsh command "${AWSP_BIN:-awsp}" "$@" 3>&1 1>&4 4>&-)
        __awsp_status=$?
    } 4>&1
    if [ "$__awsp_status" -eq 0 ] && [ -n "$__awsp_code" ]; then
        eval "$__awsp_code" || return
    fi
    return "$__awsp_status"
}

# --- completion ---
# Tab completion: the candidates (subcommands, flags, their values, profile
# names, each with a description) come from one
# `awsp __complete zsh -- WORDS` call per completion (the real binary,
# $AWSP_BIN or awsp), which knows the command line from its own definition.
# Words are unquoted with (Q), never evaluated; compadd quotes what it
# inserts for the quoting in use, so names with spaces, quotes, `$` or
# backticks come out as one safe word.
# Registered only when the completion system is loaded (compinit has run, so
# compdef exists): put `eval "$(awsp init zsh)"` after compinit in ~/.zshrc.

function _awsp {
    emulate -L zsh
    # Per group: its tag, the count N, N values, N lines to show for them.
    local -a out=("${(@f)$(command ${AWSP_BIN:-awsp} __complete zsh -- \
        "${(@Q)words[1,CURRENT-1]}" "${(Q)PREFIX}" 2>/dev/null)}")
    local -a vals shown expl
    local tag
    integer i=1 n ret=1
    while (( i + 1 <= $#out )); do
        tag=$out[i]
        n=$out[i+1]
        vals=("${(@)out[i+2,i+1+n]}")
        shown=("${(@)out[i+2+n,i+1+2*n]}")
        _description $tag expl $tag
        compadd "${(@)expl}" -l -d shown -- "${(@)vals}" && ret=0
        (( i += 2 + 2 * n ))
    done
    return ret
}

if [[ ${funcstack[1]-} == _awsp ]]; then
    # Autoloaded from $fpath (`awsp completions zsh > _awsp`).
    _awsp "$@"
elif (( $+functions[compdef] )); then
    compdef _awsp awsp
fi
# --- end completion ---
