# test_filter.sh -- `report --case ID` and `--municipality CODE`: every
# format shows the chosen cases only, and a case or municipality the run
# does not have is an error that names it.
. "$(dirname "$0")/lib.sh"

run demo --dir demo
expect_rc 0 "demo"
db=demo/demo.db
one=no-bodo-nabolagshelse

# every format: only the case's rows
run report -c demo/demo.cfg --format csv --case $one
expect_rc 0 "csv of one case"
expect_eq "$(printf '%s\n' "$out" | sed 1d | cut -d, -f3 | sort -u)" "$one" "csv: only $one"
expect_eq "$(printf '%s\n' "$out" | sed 1d | wc -l)" "$(sql $db "SELECT count(*) FROM results WHERE run = 1 AND case_id = '$one'")" "csv: every value of $one"
for table in gains value; do
    run report -c demo/demo.cfg --format csv --table $table --case $one
    expect_rc 0 "csv $table of one case"
    expect_eq "$(printf '%s\n' "$out" | sed 1d | cut -d, -f2 | sort -u)" "$one" "csv $table: only $one"
done
run report -c demo/demo.cfg --format json --case $one
expect_rc 0 "json of one case"
expect_eq "$(printf '%s\n' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted({r["case"] for r in d["results"]} | {g["case"] for g in d["gains"]} | {c["case"] for c in d["value"]["cases"]}))')" "['$one']" "json: only $one"
run report -c demo/demo.cfg --case $one
expect_rc 0 "text of one case"
expect_contains "$out" "$one" "text: $one"
checks=$((checks + 1))
printf '%s\n' "$out" | grep -q 'no-drammen-jobbkafe' && fail "text shows another case"
run report -c demo/demo.cfg --format html --case $one
expect_rc 0 "html of one case"
expect_eq "$(printf '%s\n' "$out" | grep -o '<section class="case">' | wc -l)" "3" "html: one case, the comparison and the provenance"
checks=$((checks + 1))
printf '%s\n' "$out" | grep -q 'Drammen' && fail "html shows another case"

# a municipality: its cases, no other
run report -c demo/demo.cfg --format csv --municipality 3005
expect_rc 0 "csv of one municipality"
expect_eq "$(printf '%s\n' "$out" | sed 1d | cut -d, -f3 | sort -u)" "$(sql $db "SELECT id FROM cases WHERE municipality = '3005' ORDER BY id")" "csv: the cases of 3005"
run report -c demo/demo.cfg --format csv --municipality 3005 --case $one
expect_rc 2 "a case of another municipality"
expect_eq "$err" "gevinst: run 1 has no case '$one' in municipality '3005'" "both named"

# what the run does not have
run report -c demo/demo.cfg --case no-such-case
expect_rc 2 "unknown case"
expect_eq "$err" "gevinst: unknown case 'no-such-case': run 1 has no such case" "unknown case named"
run report -c demo/demo.cfg --format html --municipality 9999 -o x.html
expect_rc 2 "unknown municipality"
expect_eq "$err" "gevinst: run 1 has no case in municipality '9999'" "municipality named"
checks=$((checks + 1))
[ -e x.html ] && fail "a file for nothing"
run run -c demo/demo.cfg --case $one
expect_rc 2 "run takes no filter"
expect_contains "$err" "takes no option '--" "said so"
finish
