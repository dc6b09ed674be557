# bash completion for gevinst: its commands, each command's options and
# their values, the kinds import takes, and files where a file goes.
_gevinst() {
    local cur prev cmd
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    local commands="init import sources check list run report runs explain demo new-indicator template"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    case $prev in
    -c|--config) COMPREPLY=($(compgen -f -X '!*.cfg' -- "$cur") $(compgen -d -- "$cur")); return ;;
    -o|--output|--dir) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --lang)
        if [ "$cmd" = new-indicator ]; then COMPREPLY=($(compgen -W "c lua" -- "$cur"))
        elif [ "$cmd" = template ]; then COMPREPLY=($(compgen -W "nb nn da en" -- "$cur"))
        else COMPREPLY=($(compgen -W "nb da en" -- "$cur")); fi
        return ;;
    --table) COMPREPLY=($(compgen -W "results gains value" -- "$cur")); return ;;
    -f|--format)
        case $cmd in
        report) COMPREPLY=($(compgen -W "text json csv html xlsx" -- "$cur")) ;;
        runs) COMPREPLY=($(compgen -W "text csv" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "text json csv" -- "$cur")) ;;
        esac
        return ;;
    --run|--source|--sheet|--remove) return ;;
    esac
    local opts=""
    case $cmd in
    import)
        if [ "$COMP_CWORD" -eq 3 ] && [ "${COMP_WORDS[2]}" != --remove ]; then
            COMPREPLY=($(compgen -W "municipalities cases partners observations inputs gains gain_shares --remove" -- "$cur"))
            return
        fi
        opts="--source --sheet --remove" ;;
    check) opts="-c --config" ;;
    list) opts="-c --config --params" ;;
    run) opts="-c --config --format -q --quiet" ;;
    report) opts="-c --config --run --format --lang --table --excel --no-suppress -o --output" ;;
    runs) opts="--format" ;;
    explain) opts="-c --config --run --lang --no-suppress" ;;
    demo) opts="--dir --format -q --quiet" ;;
    new-indicator) opts="--lang --dir" ;;
    template) opts="--lang" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts --help" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _gevinst gevinst
