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

# --- completion ---
# Tab completion (bash only; a POSIX sh that reads this script skips it, and
# it is written so that dash can still parse it: no array literals, no
# process substitution, no (( ))).
#
# The candidates (subcommands, flags, their values, profile names) come from
# one `awsp __complete bash -- WORDS` call per completion (the real binary,
# $AWSP_BIN or awsp), which knows the command line from its own definition.
# The command line is split and unquoted here, not by eval, so nothing
# typed on it is ever expanded or run; each candidate is quoted with
# printf %q, so names with spaces, quotes, `$`, backticks or newlines are
# inserted as one safe word.
if [ -n "${BASH_VERSION-}" ] && command -v complete >/dev/null 2>&1; then

    # Splits "$1" (the line up to the cursor) like the shell would, without
    # expansions: sets _awsp_w (unquoted words before the current one),
    # _awsp_cur (the current word, unquoted), _awsp_raw (as typed), and, if
    # the word ends inside quotes, _awsp_q (the quote character) and
    # _awsp_qlen (the length of the unquoted word before that quote).
    _awsp_split() {
        local s=$1 c quote= word= raw= inword= i=0 n=${#1} qlen=0
        unset _awsp_w
        _awsp_w[0]=
        unset '_awsp_w[0]'
        while [ "$i" -lt "$n" ]; do
            c=${s:i:1}
            i=$((i + 1))
            if [ "$quote" = "'" ]; then
                raw=$raw$c
                if [ "$c" = "'" ]; then quote=; else word=$word$c; fi
            elif [ "$quote" = '"' ]; then
                raw=$raw$c
                if [ "$c" = '"' ]; then
                    quote=
                elif [ "$c" = '\' ] && [ "$i" -lt "$n" ]; then
                    c=${s:i:1}
                    i=$((i + 1))
                    raw=$raw$c
                    case $c in
                        '$' | '`' | '"' | '\') word=$word$c ;;
                        $'\n') ;;
                        *) word=$word'\'$c ;;
                    esac
                else
                    word=$word$c
                fi
            else
                case $c in
                    ' ' | $'\t' | $'\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>')
                        if [ -n "$inword" ]; then
                            _awsp_w[${#_awsp_w[@]}]=$word
                        fi
                        word= raw= inword=
                        ;;
                    "'" | '"')
                        quote=$c raw=$raw$c inword=1 qlen=${#word}
                        ;;
                    '\')
                        raw=$raw$c inword=1
                        if [ "$i" -lt "$n" ]; then
                            c=${s:i:1}
                            i=$((i + 1))
                            raw=$raw$c
                            [ "$c" = $'\n' ] || word=$word$c
                        fi
                        ;;
                    *)
                        raw=$raw$c word=$word$c inword=1
                        ;;
                esac
            fi
        done
        _awsp_cur=$word
        _awsp_raw=$raw
        _awsp_q=$quote
        _awsp_qlen=$qlen
    }

    _awsp_complete() {
        local cur raw pre list name q
        # An empty array, whatever an earlier call left in it.
        unset COMPREPLY
        COMPREPLY[0]=
        unset 'COMPREPLY[0]'
        _awsp_split "${COMP_LINE:0:COMP_POINT}"
        cur=$_awsp_cur
        raw=$_awsp_raw
        # Readline replaces only "$2", the tail of the word after the last
        # COMP_WORDBREAKS character (`=`, `:`, ...): candidates, built as
        # whole words, lose the part of the word that stays.
        pre=
        case $raw in *"$2") pre=${raw%"$2"} ;; esac

        # The binary reads the words as clap would and prints the
        # candidates starting with the current word, one a line.
        list=$(command "${AWSP_BIN:-awsp}" __complete bash -- "${_awsp_w[@]}" "$cur" 2>/dev/null)

        # Split on newlines only, without globbing (a for loop over the
        # string is several times faster than `while read` on 10,000
        # names); noglob and IFS are restored after.
        local IFS=$'\n' noglob=
        case $- in *f*) noglob=1 ;; esac
        set -f
        for name in $list; do
            if [ -z "$_awsp_q" ]; then
                printf -v q %q "$name"
                case $q in
                    "$pre"*) COMPREPLY[${#COMPREPLY[@]}]=${q#"$pre"} ;;
                esac
            else
                # Inside quotes readline replaces only the text after
                # the opening quote, and closes the quote itself.
                q=${name:_awsp_qlen}
                if [ "$_awsp_q" = "'" ]; then
                    q=${q//"'"/"'\\''"}
                else
                    q=${q//'\'/'\\'}
                    q=${q//'$'/'\$'}
                    q=${q//'`'/'\`'}
                    q=${q//'"'/'\"'}
                fi
                COMPREPLY[${#COMPREPLY[@]}]=$q
            fi
        done
        [ -n "$noglob" ] || set +f
        return 0
    }

    complete -F _awsp_complete awsp
fi
# --- end completion ---
