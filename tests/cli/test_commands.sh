# test_commands.sh -- every command answers --help, --version works, and
# usage errors exit 2 with a message on stderr.
. "$(dirname "$0")/lib.sh"

run --help
expect_rc 0 "--help"
expect_contains "$out" "Usage: gevinst COMMAND" "--help"
expect_contains "$out" "Exit codes: 0 all computed" "--help names exit codes"
for cmd in init import check list run demo; do
    run "$cmd" --help
    expect_rc 0 "$cmd --help"
    expect_contains "$out" "Usage: gevinst $cmd" "$cmd --help"
    expect_eq "$err" "" "$cmd --help writes nothing to stderr"
done

run --version
expect_rc 0 "--version"
expect_contains "$out" "gevinst 0.1.0 (plugin ABI 2.0)" "--version"

run
expect_rc 2 "no command"
run frobnicate
expect_rc 2 "unknown command"
expect_contains "$err" "gevinst: unknown command 'frobnicate'" "unknown command"
run init
expect_rc 2 "init without DB"
run run
expect_rc 2 "run without -c"
expect_contains "$err" "run needs -c CONFIG" "run without -c"
run run -c
expect_rc 2 "-c without value"
expect_contains "$err" "-c needs a value" "-c without value"
run run -c x.cfg --format xml
expect_rc 2 "missing config"
expect_contains "$err" "x.cfg: cannot read config: No such file or directory" "missing config"
finish
