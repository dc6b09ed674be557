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

# an option a command does not take is a usage error of one line, never
# silently ignored (run --lang would still print bokmål, and store a run)
"$GEVINST" demo --dir demo -q >/dev/null 2>&1
runs_before=$(sqlite3 demo/demo.db "SELECT count(*) FROM runs")
for bad in "run -c demo/demo.cfg --lang en" "run -c demo/demo.cfg -o x.txt" "list -c demo/demo.cfg -o x" \
           "check -c demo/demo.cfg --lang en" "report -c demo/demo.cfg -q" "explain -c demo/demo.cfg --format json a b c"; do
    set -- $bad
    run $bad
    expect_rc 2 "$bad"
    expect_eq "$err" "gevinst: $1 takes no option '$(echo "$bad" | grep -o -- ' -[-a-z]*' | tail -1 | cut -c2-)'
try 'gevinst $1 --help'" "$bad: one line, and where to read more"
done
expect_eq "$(sqlite3 demo/demo.db "SELECT count(*) FROM runs")" "$runs_before" "no run stored by a refused command"
[ ! -e x.txt ] && [ ! -e x ] || fail "no file written by a refused command"
checks=$((checks + 1))
run report -c demo/demo.cfg --excel -o excel.csv
expect_rc 0 "--excel alone is CSV for Excel"
# -o onto a device writes to it, never replaces it; a full one is exit 4
run report -c demo/demo.cfg -o /dev/null
expect_rc 0 "a report to /dev/null"
run report -c demo/demo.cfg -o /dev/full
expect_rc 4 "a report to a full device"
expect_contains "$err" "/dev/full: cannot write: No space left on device" "the file named"
expect_eq "$([ -c /dev/null ] && [ -c /dev/full ] && echo devices)" "devices" "both still devices"

# check warns of a misspelt metric and a module folder that is not there,
# and still passes the config
cat > demo/w.cfg <<'CFG'
database = "demo.db";
periods = ["2018"];
module_path = ["nosuchdir"];
indicators = (
  { id = "c"; module = "ratio"; params = { numerator = "in_work"; denominator = "participantz"; }; },
  { id = "e"; module = "mean"; params = { metric = "wellbeing"; }; }
);
CFG
run check -c demo/w.cfg
expect_rc 0 "warnings do not refuse a config"
expect_eq "$out" "demo/w.cfg: ok, with 2 warnings" "counted"
expect_contains "$err" "demo/w.cfg: warning: module_path: no folder" "the missing folder"
expect_contains "$err" "demo/w.cfg:5: warning: indicator 'c': param 'denominator': no observation has metric 'participantz' (did you mean 'participants'?)" "the misspelt metric, with the one meant"
run check -c demo/demo.cfg
expect_eq "$out$err" "demo/demo.cfg: ok" "the demo's config, formulas and all, warns of nothing"

# check says every problem in one pass: a setting's problem does not hide
# the other indicators' params
cat > demo/rounds.cfg <<'CFG'
database = "demo.db";
periods = ["2018"];
indicators = (
  { id = "a"; module = "sum"; isolate = "yes"; params = { metric = "in_work"; }; },
  { id = "b"; module = "sum"; params = { metrc = "x"; }; },
  { id = "c"; module = "ratio"; params = { numerator = "in_work"; denominator = "participants"; factor = "x"; }; }
);
CFG
run check -c demo/rounds.cfg
expect_rc 2 "problems in settings and params"
expect_contains "$err" "demo/rounds.cfg:4: 'isolate' must be true or false" "the setting"
expect_contains "$err" "demo/rounds.cfg:5: indicator 'b': module 'sum' has no param 'metrc'" "and b's param, in the same pass"
expect_contains "$err" "demo/rounds.cfg:6: indicator 'c': param 'factor' must be a number" "and c's"

# each command's help says its own exit codes, not the whole table
run import --help
expect_contains "$out" "Exit codes: 0 imported (or nothing to do)" "import's own exit codes"
expect_eq "$(printf '%s' "$out" | grep -c 'some indicators failed')" "0" "not run's"
run run --help
expect_contains "$out" "1 some indicators failed" "run's exit codes are the whole table"

run --version
expect_rc 0 "--version"
expect_contains "$out" "gevinst 0.1.0 (plugin ABI 2.1)" "--version"

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
