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
# Tab completion: profile names (one `awsp list --names` call per completion;
# the real binary, $AWSP_BIN or awsp), subcommands and flags, shells after
# `init`, regions after `--region`. Words are unquoted with (Q), never
# evaluated; compadd quotes what it inserts for the quoting in use, so names
# with spaces, quotes, `$` or backticks come out as one safe word.
# Registered only when the completion system is loaded (compinit has run, so
# compdef exists): put `eval "$(awsp init zsh)"` after compinit in ~/.zshrc.

function _awsp {
    emulate -L zsh
    local -a names cands
    local -a globals=(--demo --color --help)
    local -a regions=(
        us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 ca-west-1
        sa-east-1 eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-central-2
        eu-north-1 eu-south-1 eu-south-2 ap-northeast-1 ap-northeast-2
        ap-northeast-3 ap-southeast-1 ap-southeast-2 ap-southeast-3
        ap-southeast-4 ap-south-1 ap-south-2 ap-east-1 me-south-1 me-central-1
        il-central-1 af-south-1 us-gov-east-1 us-gov-west-1 cn-north-1
        cn-northwest-1
    )
    local w sub= dd= demo= skip= prev= want_names=
    integer i pos=0

    # Where are we: the subcommand, positionals seen, after `--`?
    for (( i = 2; i < CURRENT; i++ )); do
        w=${(Q)words[i]}
        if [[ -n $skip ]]; then
            skip=
        elif [[ -n $dd ]]; then
            (( pos++ ))
        else
            case $w in
                (--) dd=1 ;;
                (--demo) demo=1 ;;
                (--region|--login-args|--format|--color) skip=1 prev=$w ;;
                (-?*) ;;
                (*)
                    if [[ -z $sub ]] && (( pos == 0 )); then
                        case $w in
                            (list|init|login|clean|status|doctor) sub=$w ;;
                            (*) pos=1 ;;
                        esac
                    else
                        (( pos++ ))
                    fi
                    ;;
            esac
        fi
    done
    [[ -n $skip ]] || prev=

    local cur=${(Q)PREFIX}
    if [[ $prev == --region ]]; then
        cands=($regions)
    elif [[ $prev == --color ]]; then
        cands=(auto always never)
    elif [[ -n $prev ]]; then
        return 1 # --login-args ARGS, --format TEMPLATE: free text
    elif [[ -z $dd && $cur == --region=* ]]; then
        compset -P '*='
        cands=($regions)
    elif [[ -n $dd ]]; then
        (( pos == 0 )) && want_names=1
    else
        case $sub in
            ('')
                if [[ $cur == -* ]]; then
                    cands=(--demo --color --login-args --region --unset --clear-keys --help --version)
                elif (( pos == 0 )); then
                    cands=(list init login clean status doctor)
                    want_names=1
                fi
                ;;
            (init)
                if [[ $cur == -* ]]; then
                    cands=($globals)
                elif (( pos == 0 )); then
                    cands=(bash zsh fish powershell nu sh)
                fi
                ;;
            (login)
                if [[ $cur == -* ]]; then
                    cands=($globals --login-args)
                elif (( pos == 0 )); then
                    want_names=1
                fi
                ;;
            (list) cands=(--json --names) ;;
            (clean) cands=(--dry-run --yes) ;;
            (status) cands=(--json --format) ;;
            (doctor) cands=(--json) ;;
        esac
        if [[ $sub == (list|clean|status|doctor) && $cur == -* ]]; then
            cands+=($globals)
        fi
    fi

    local ret=1
    if [[ -n $want_names ]]; then
        local -a flags=(list --names)
        [[ -n $demo ]] && flags+=(--demo)
        names=(${(f)"$(command ${AWSP_BIN:-awsp} $flags 2>/dev/null)"})
        compadd -J profiles -- $names && ret=0
    fi
    (( $#cands )) && compadd -J words -- $cands && ret=0
    return ret
}

if (( $+functions[compdef] )); then
    compdef _awsp awsp
fi
# --- end completion ---
