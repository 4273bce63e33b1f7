# awsp shell integration for fish.
#
# Install: add this line to ~/.config/fish/config.fish
#     awsp init fish | source
#
# It defines a function `awsp` that runs the awsp binary and applies the
# environment changes the binary hands back (AWS_PROFILE, AWSP_PREVIOUS, ...).
# A program cannot change its parent shell's environment; this function can.
#
# How: the binary's file descriptor 3 is piped (`3>|`) into the `read`
# builtin, which fish runs in this shell, so the code it writes there
# (`set -gx`/`set -e` lines) lands in a function-local variable; `read -z`
# takes everything up to end of input as one string. The binary's own stdout,
# stderr and stdin stay the user's, so `awsp list | grep prod` works and the
# picker uses the terminal. (fish's command substitutions do not see fds
# redirected around them, so the bash trick of saving stdout on fd 4 fails
# here; this needs no temp file either.) $pipestatus[1] is the binary's
# status. The code is applied only when the binary exits 0, and that status
# is returned unchanged. Nothing is left: the variables are function-local
# and the pipe on fd 3 exists only for the one command.
#
# $AWSP_BIN overrides the binary (tests use a stub). AWSP_OUT is emptied for
# the call so a stale value in the environment cannot divert the code.

function awsp --description 'Switch AWS profile (awsp)'
    set -l __awsp_code
    set -l __awsp_status
    set -l __awsp_bin awsp
    if set -q AWSP_BIN; and test -n "$AWSP_BIN"
        set __awsp_bin $AWSP_BIN
    end
    AWSP_OUT= AWSP_SHELL=fish command $__awsp_bin $argv 3>| read -z __awsp_code
    set __awsp_status $pipestatus[1]
    if test "$__awsp_status" -eq 0; and test -n "$__awsp_code"
        printf '%s\n' $__awsp_code | source
        or return
    end
    return $__awsp_status
end

# --- completion ---
# Tab completion: the candidates (subcommands, flags, their values, profile
# names, each with a description) come from one
# `awsp __complete fish -- WORDS` call per completion (the real binary,
# $AWSP_BIN or awsp), which knows the command line from its own definition
# and prints `value<TAB>description` lines; fish filters them by what is
# typed and escapes what it inserts, so names with spaces, quotes, `$` or
# backticks come out as one safe word. `commandline -opc` gives the earlier
# words already unquoted.

function __awsp_complete
    set -l bin awsp
    if set -q AWSP_BIN; and test -n "$AWSP_BIN"
        set bin $AWSP_BIN
    end
    # Quoted: an empty current word is still a word.
    set -l cur (commandline -ct)
    command $bin __complete fish -- (commandline -opc) "$cur" 2>/dev/null
end

complete -c awsp -e
complete -c awsp -f -a '(__awsp_complete)'
# --- end completion ---
