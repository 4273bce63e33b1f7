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
# Tab completion: profile names (one `awsp list --names` call per completion;
# the real binary, $AWSP_BIN or awsp), subcommands and flags, shells after
# `init`, regions after `--region`. __awsp_complete prints the candidates,
# one per line; fish filters them by what is typed and escapes what it
# inserts, so names with spaces, quotes, `$` or backticks come out as one
# safe word. `commandline -opc` gives the earlier words already unquoted.

function __awsp_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l sub
    set -l dd 0
    set -l demo 0
    set -l skip ''
    set -l pos 0
    set -l globals --demo --color --help
    set -l regions us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 ca-west-1 \
        sa-east-1 eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-central-2 \
        eu-north-1 eu-south-1 eu-south-2 ap-northeast-1 ap-northeast-2 \
        ap-northeast-3 ap-southeast-1 ap-southeast-2 ap-southeast-3 \
        ap-southeast-4 ap-south-1 ap-south-2 ap-east-1 me-south-1 me-central-1 \
        il-central-1 af-south-1 us-gov-east-1 us-gov-west-1 cn-north-1 \
        cn-northwest-1

    # Where are we: the subcommand, positionals seen, after `--`?
    for w in $words[2..-1]
        if test -n "$skip"
            set skip ''
        else if test $dd -eq 1
            set pos (math $pos + 1)
        else
            switch $w
                case --
                    set dd 1
                case --demo
                    set demo 1
                case --region --login-args --format --color
                    set skip $w
                case '-?*'
                case '*'
                    if test -z "$sub"; and test $pos -eq 0
                        switch $w
                            case list init login clean status doctor
                                set sub $w
                            case '*'
                                set pos 1
                        end
                    else
                        set pos (math $pos + 1)
                    end
            end
        end
    end

    set -l names 0
    set -l cands
    if test "$skip" = --region
        set cands $regions
    else if test "$skip" = --color
        set cands auto always never
    else if test -n "$skip"
        return 0 # --login-args ARGS, --format TEMPLATE: free text
    else if test $dd -eq 0; and string match -q -- '--region=*' $cur
        set cands --region=$regions
    else if test $dd -eq 1
        test $pos -eq 0; and set names 1
    else
        set -l dash 0
        string match -q -- '-*' $cur; and set dash 1
        switch "$sub"
            case ''
                if test $dash -eq 1
                    set cands --demo --color --login-args --region --unset --clear-keys --help --version
                else if test $pos -eq 0
                    set cands list init login clean status doctor
                    set names 1
                end
            case init
                if test $dash -eq 1
                    set cands $globals
                else if test $pos -eq 0
                    set cands bash zsh fish powershell nu sh
                end
            case login
                if test $dash -eq 1
                    set cands $globals --login-args
                else if test $pos -eq 0
                    set names 1
                end
            case list
                set cands --json --names
            case clean
                set cands --dry-run --yes
            case status
                set cands --json --format
            case doctor
                set cands --json
        end
        if contains -- "$sub" list clean status doctor; and test $dash -eq 1
            set -a cands $globals
        end
    end

    set -q cands[1]; and printf '%s\n' $cands
    if test $names -eq 1
        set -l bin awsp
        if set -q AWSP_BIN; and test -n "$AWSP_BIN"
            set bin $AWSP_BIN
        end
        set -l extra
        test $demo -eq 1; and set extra --demo
        command $bin list --names $extra 2>/dev/null | string match -v -- ''
    end
    return 0
end

complete -c awsp -e
complete -c awsp -f -a '(__awsp_complete)'
# --- end completion ---
