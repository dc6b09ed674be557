# test_runs.sh -- runs belong to the config that made them: report and
# explain take a config's own latest run, another config's only by number,
# and say when the config has changed since; `gevinst runs` lists them.
. "$(dirname "$0")/lib.sh"

"$GEVINST" demo --dir demo -q >/dev/null 2>&1 || fail "demo"
db=demo/demo.db
sed 's/^periods = .*/periods = ["2018"];/' demo/demo.cfg > demo/b.cfg
"$GEVINST" run -c demo/b.cfg -q >/dev/null 2>&1
expect_eq "$(sql "$db" 'SELECT count(*) FROM runs')" "2" "two runs, two configs"

# each config reports its own run, whichever is the latest
run report -c demo/demo.cfg --format csv
expect_rc 0 "report of the first config"
expect_eq "$(printf '%s\n' "$out" | sed 1d | cut -d, -f1 | sort -u)" "1" "demo.cfg's run is run 1"
expect_eq "$err" "" "no note for its own run"
run report -c demo/b.cfg --format csv
expect_eq "$(printf '%s\n' "$out" | sed 1d | cut -d, -f1 | sort -u)" "2" "b.cfg's run is run 2"
# another config's run only by number, and then with a note
run report -c demo/demo.cfg --run 2 --format csv
expect_rc 0 "another config's run by number"
expect_contains "$err" "gevinst: note: run 2 was made with another config, $T/demo/b.cfg" "says so"
# a config changed since its run: still its run, with a note
echo "# edited" >> demo/demo.cfg
run report -c demo/demo.cfg --format json
expect_rc 0 "a changed config's run"
expect_contains "$out" '"id": 1,' "still run 1"
expect_contains "$err" "gevinst: note: demo/demo.cfg has changed since run 1" "says it changed"
# a config with no run of its own is told so, not shown another's
sed 's/^periods = .*/periods = ["2019"];/' demo/b.cfg > demo/c.cfg
run report -c demo/c.cfg
expect_rc 2 "no run of this config"
expect_contains "$err" "no run of demo/c.cfg yet (run 2 was made with another config)" "names the other"
# a project moved to another folder keeps its runs: the config is known by
# its content, with a note
cp -r demo moved
run report -c moved/b.cfg --format csv
expect_rc 0 "the moved project's report"
expect_eq "$(printf '%s\n' "$out" | sed 1d | cut -d, -f1 | sort -u)" "2" "its run is run 2"
expect_contains "$err" "gevinst: note: run 2 was made with a config of the same content, $T/demo/b.cfg" "says where it was"
run explain --lang en -c moved/b.cfg into_work no-drammen-jobbkafe 2018
expect_rc 0 "explain in the moved project"
expect_contains "$out" "run 2, " "the run found by its content"
expect_contains "$out" "note: run 2 was made with a config of the same content, $T/demo/b.cfg" "says where it was"

# the list of runs, each with its config and counts the database confirms
run runs "$db"
expect_rc 0 "runs"
expect_eq "$(printf '%s\n' "$out" | wc -l)" "3" "a heading and two runs"
expect_contains "$out" "$T/demo/b.cfg (sha256 " "the config of each"
run runs "$db" --format csv
expect_eq "$(printf '%s\n' "$out" | head -1)" "run,started,finished,values,no_data,errors,gains,gain_errors,config_file,config_hash,partial,incomplete,status" "csv heading"
for id in 1 2; do
    want=$(sql "$db" "SELECT $id || ',' || (SELECT started FROM runs WHERE id = $id) || ',' || (SELECT finished FROM runs WHERE id = $id) || ',' || sum(status = 'ok') || ',' || sum(status = 'no_data') || ',' || sum(status = 'error') || ',' || (SELECT count(*) FROM gain_results WHERE run = $id) || ',' || (SELECT count(*) FROM gain_results WHERE run = $id AND status = 'error') FROM results WHERE run = $id")
    expect_contains "$out" "$want," "run $id's counts"
    want=$(sql "$db" "SELECT (SELECT config_hash FROM runs WHERE id = $id) || ',' || (SELECT count(*) FROM results WHERE run = $id AND coverage < 1) || ',' || (SELECT count(*) FROM gain_results WHERE run = $id AND status = 'incomplete')")
    expect_contains "$out" "$want" "run $id's partial values and incomplete gains"
done
expect_contains "$out" ",1,0,ok" "the demo: one value of a case with a quarter missing, no gain incomplete; status ok"
# a config whose path holds a comma and a quote is one field
mkdir 'x,"y'
sed 's|^database = .*|database = "../demo/demo.db";|' demo/demo.cfg > 'x,"y/c.cfg'
grep -q '^database = "../demo/demo.db";' 'x,"y/c.cfg' || fail "the config's database line"
run run -c 'x,"y/c.cfg' -q
expect_rc 0 "a run from the odd folder"
run runs "$db" --format csv
expect_contains "$out" ",\"$T/x,\"\"y/c.cfg\"," "the path quoted, its quote doubled"
run runs nosuch.db
expect_rc 2 "no such database"
expect_contains "$err" "nosuch.db: no such database" "says so"
expect_eq "$out" "" "and prints no table before it"
run runs --help
expect_rc 0 "runs --help"
expect_contains "$out" "Usage: gevinst runs DB" "usage"
finish
