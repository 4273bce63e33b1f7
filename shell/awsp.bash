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
# Offers profile names (one `awsp list --names` call per completion; the real
# binary, $AWSP_BIN or awsp), subcommands and flags, shells after `init`,
# regions after `--region`. The command line is split and unquoted here, not
# by eval, so nothing typed on it is ever expanded or run; each candidate is
# quoted with printf %q, so names with spaces, quotes, `$`, backticks or
# newlines are inserted as one safe word.
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
        local cur raw pre prev= sub= pos=0 dd= demo= skip= i w q name cands= names=
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
        local IFS=$' \t\n'

        # Where are we: the subcommand, positionals seen, after `--`?
        i=1
        while [ "$i" -lt "${#_awsp_w[@]}" ]; do
            w=${_awsp_w[i]}
            i=$((i + 1))
            if [ -n "$skip" ]; then
                skip=
            elif [ -n "$dd" ]; then
                pos=$((pos + 1))
            else
                case $w in
                    --) dd=1 ;;
                    --demo) demo=1 ;;
                    --region | --login-args | --format | --color) skip=1 ;;
                    -?*) ;;
                    *)
                        if [ -z "$sub" ] && [ "$pos" -eq 0 ]; then
                            case $w in
                                list | init | login | clean | status | doctor) sub=$w ;;
                                *) pos=1 ;;
                            esac
                        else
                            pos=$((pos + 1))
                        fi
                        ;;
                esac
            fi
        done
        if [ -n "$skip" ]; then
            prev=${_awsp_w[${#_awsp_w[@]} - 1]}
        fi

        local globals='--demo --color --help'
        local regions='us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 ca-west-1
            sa-east-1 eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-central-2
            eu-north-1 eu-south-1 eu-south-2 ap-northeast-1 ap-northeast-2
            ap-northeast-3 ap-southeast-1 ap-southeast-2 ap-southeast-3
            ap-southeast-4 ap-south-1 ap-south-2 ap-east-1 me-south-1 me-central-1
            il-central-1 af-south-1 us-gov-east-1 us-gov-west-1 cn-north-1
            cn-northwest-1'

        if [ "$prev" = --region ]; then
            cands=$regions
        elif [ "$prev" = --color ]; then
            cands='auto always never'
        elif [ -n "$prev" ]; then
            return 0 # --login-args ARGS, --format TEMPLATE: free text
        elif [ -z "$dd" ] && [ "${cur#--region=}" != "$cur" ]; then
            for w in $regions; do cands="$cands --region=$w"; done
        elif [ -n "$dd" ]; then
            [ "$pos" -eq 0 ] && names=1
        else
            case $sub in
                '')
                    case $cur in
                        -*) cands="--demo --color --login-args --region --unset --clear-keys --help --version" ;;
                        *) [ "$pos" -eq 0 ] && cands='list init login clean status doctor' names=1 ;;
                    esac
                    ;;
                init)
                    case $cur in
                        -*) cands=$globals ;;
                        *) [ "$pos" -eq 0 ] && cands='bash zsh fish powershell nu sh' ;;
                    esac
                    ;;
                login)
                    case $cur in
                        -*) cands="$globals --login-args" ;;
                        *) [ "$pos" -eq 0 ] && names=1 ;;
                    esac
                    ;;
                list) cands='--json --names' ;;
                clean) cands='--dry-run --yes' ;;
                status) cands='--json --format' ;;
                doctor) cands='--json' ;;
            esac
            case $sub in
                list | clean | status | doctor)
                    case $cur in -*) cands="$cands $globals" ;; esac ;;
            esac
        fi

        # Fixed words: no quoting needed (plain ASCII, no metacharacters).
        for w in $cands; do
            case $w in "$cur"*) COMPREPLY[${#COMPREPLY[@]}]=${w#"$pre"} ;; esac
        done
        if [ -n "$names" ]; then
            local list
            if [ -n "$demo" ]; then
                list=$(command "${AWSP_BIN:-awsp}" list --names --demo 2>/dev/null)
            else
                list=$(command "${AWSP_BIN:-awsp}" list --names 2>/dev/null)
            fi
            # Split on newlines only, without globbing (a for loop over the
            # string is several times faster than `while read` on 10,000
            # names); noglob is restored after.
            local noglob=
            case $- in *f*) noglob=1 ;; esac
            set -f
            IFS=$'\n'
            for name in $list; do
                if [[ $name == "$cur"* ]]; then
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
                fi
            done
            [ -n "$noglob" ] || set +f
        fi
        return 0
    }

    complete -F _awsp_complete awsp
fi
# --- end completion ---
