# test_report.sh -- `gevinst report`: a stored run printed again, tidy CSV
# tables for R and Excel, the dialect Nordic Excel opens, and -o FILE.
. "$(dirname "$0")/lib.sh"

run demo --dir demo --format json
expect_rc 0 "demo"
printf '%s\n' "$out" > run.json
db=demo/demo.db

run report -c demo/demo.cfg --format json
expect_rc 0 "report json"
expect_eq "$out" "$(cat run.json)" "report prints what run printed"

# tidy tables: one header, one row per value
run report -c demo/demo.cfg --format csv --table gains
expect_rc 0 "gains table"
expect_eq "$(printf '%s\n' "$out" | head -1)" \
    "run,case,gain,period,indicator,type,beneficiary,owner,baseline,baseline_period,target,target_period,actual,realisation_pct,expected_pct,expected_value,deviation,status,error,coverage,suppressed" \
    "gains header"
expect_eq "$(printf '%s\n' "$out" | sed 1d | wc -l)" "$(sql "$db" 'SELECT count(*) FROM gain_results WHERE run = 1')" "a row per gain and period"
printf '%s\n' "$out" > gains.csv
# read back, the numbers are the database's, bit for bit
expect_eq "$(sqlite3 :memory: ".import --csv gains.csv g" "SELECT count(*) FROM g WHERE realisation_pct <> '' OR (suppressed <> '' AND status <> 'incomplete')")" \
    "$(sql "$db" 'SELECT count(*) FROM gain_results WHERE run = 1 AND realisation_pct IS NOT NULL')" "realisation read back (or hidden)"
expect_eq "$(sqlite3 :memory: ".import --csv gains.csv g" "ATTACH '$db' AS d" \
    "SELECT count(*) FROM g JOIN d.gain_results r ON r.run = 1 AND r.case_id = g.\"case\"
     AND r.gain = g.gain AND r.period = g.period WHERE g.realisation_pct NOT LIKE '<%'
     AND g.realisation_pct <> '' AND CAST(g.realisation_pct AS REAL) <> r.realisation_pct")" \
    "0" "the same numbers"
expect_eq "$(sqlite3 :memory: ".import --csv gains.csv g" "SELECT count(*) > 0 FROM g WHERE realisation_pct = '' AND suppressed = 'hidden'")" \
    "1" "small counts of persons hidden: an empty cell, and the rule beside it"
# in JSON a hidden number is null, and its gain says so: the same gains as in CSV
hidden_csv=$(sqlite3 :memory: ".import --csv gains.csv g" "SELECT count(*) FROM g WHERE suppressed <> ''")
[ "$hidden_csv" -gt 0 ] || fail "no hidden gain in the demo"
expect_eq "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('run.json'), '\$.gains')
    WHERE value ->> 'suppressed' = 'hidden'")" "$hidden_csv" "hidden gains marked in JSON"
expect_eq "$(sqlite3 :memory: ".import --csv gains.csv g" "SELECT count(*) FROM g WHERE suppressed <> '' AND '' NOT IN (baseline, target, actual, realisation_pct, expected_value, deviation)")" \
    "0" "a row marked hides a figure"
expect_eq "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('run.json'), '\$.gains') g,
    json_each(g.value) f WHERE f.key IN ('baseline', 'target', 'actual', 'realisation_pct',
    'expected_value', 'deviation') AND f.type NOT IN ('integer', 'real', 'null')")" "0" \
    "JSON numbers are numbers or null"
# a valued gain's quantity that is its actual gives a small baseline
# nothing back: shown, as the actual is (16 in Kristiansand)
expect_eq "$(sql "$db" "SELECT json_extract(plan, '\$.baseline') < 5 AND json_extract(plan, '\$.quantity_basis') = 'actual' FROM run_gains WHERE run = 1 AND case_id = 'no-kristiansand-seniorsenter' AND gain = 'into_work'")" "1" "a small baseline in the demo"
expect_eq "$(sqlite3 :memory: "SELECT g.value ->> 'quantity' || ' ' || coalesce(g.value ->> 'suppressed', '-')
    FROM json_each(readfile('run.json'), '\$.value.cases') c, json_each(c.value, '\$.gains') g
    WHERE c.value ->> 'case' = 'no-kristiansand-seniorsenter' AND g.value ->> 'gain' = 'into_work'")" \
    "16.0 -" "its quantity shown"

run report -c demo/demo.cfg --format csv --table value
expect_rc 0 "value table"
expect_eq "$(printf '%s\n' "$out" | head -1)" \
    "run,case,municipality,country,currency,price_year,discount_rate,investment,impact_year1,present_value,npv,sroi,sroi_rounded,sroi_net,payback_months,sroi_pessimistic,sroi_likely,sroi_optimistic,error,suppressed" \
    "value header"
expect_contains "$out" "1,dk-kobenhavn-socialokonomi,101,DK,NOK,2019,0.035," "value row"

run report -c demo/demo.cfg --format csv
expect_eq "$(printf '%s\n' "$out" | head -1)" "run,indicator,case,period,value,unit,status,error,module,module_version,coverage,suppressed" "results by default"

# Nordic Excel: BOM, semicolons, decimal comma, CR LF; and -o
run report -c demo/demo.cfg --format csv --table gains --excel -o gains-excel.csv
expect_rc 0 "excel to a file"
expect_eq "$err" "gevinst: wrote gains-excel.csv" "says what it wrote"
expect_eq "$(head -c 3 gains-excel.csv | od -An -tx1 | tr -d ' ')" "efbbbf" "BOM"
expect_eq "$(head -1 gains-excel.csv | cut -c4-21)" "run;case;gain;peri" "semicolons"
expect_eq "$(head -1 gains-excel.csv | tail -c 2 | od -An -tx1 | tr -d ' ')" "0d0a" "CR LF"
line=$(grep "dk-kobenhavn-socialokonomi;caseworker_time;2018" gains-excel.csv)
expect_contains "$line" ";66,0377358490566;50;1671,5;-59,5;on_track;" "decimal comma"
[ -e gains-excel.csv.partial ] && fail "a partial file was left"

run report -c demo/demo.cfg --table gains
expect_rc 2 "--table without csv"
run report -c demo/demo.cfg --format csv --table budget
expect_rc 2 "unknown table"
expect_contains "$err" "unknown table 'budget' (results, gains, value)" "unknown table"
run report -c demo/demo.cfg --run 99
expect_rc 2 "no such run"
expect_contains "$err" "run 99 not found" "no such run"
run report -c demo/demo.cfg --format csv -o /nonexistent/x.csv
expect_rc 2 "unwritable file"
# colour only for a person at a terminal, and never with NO_COLOR
esc=$(printf '\033')
"$GEVINST" report -c demo/demo.cfg > piped.txt
expect_eq "$(grep -c "$esc" piped.txt)" "0" "no colour into a pipe"
script -qc "$GEVINST report -c demo/demo.cfg" /dev/null > tty.txt
checks=$((checks + 1))
grep -q "${esc}\[3[0-9]m" tty.txt || fail "colour at a terminal"
NO_COLOR=1 script -qc "$GEVINST report -c demo/demo.cfg" /dev/null > nocolor.txt
expect_eq "$(grep -c "$esc" nocolor.txt)" "0" "no colour with NO_COLOR"

# explain: where a number comes from
run explain --lang en -c demo/demo.cfg work_share no-drammen-jobbkafe 2018
expect_rc 0 "explain an indicator"
expect_contains "$out" "work_share for case no-drammen-jobbkafe in 2018: $(sql "$db" "SELECT printf('%.10g', value) FROM results WHERE run = 1 AND indicator = 'work_share' AND case_id = 'no-drammen-jobbkafe' AND period = '2018'") %" "the value"
expect_contains "$out" "made by module ratio (C plugin, version 1.0.0), in a child process" "the module"
expect_contains "$out" "observations of 'in_work' in 2018 (1 January 2018 to 31 December 2018): 4, sum $(sql "$db" "SELECT printf('%g', sum(value)) FROM observations WHERE case_id = 'no-drammen-jobbkafe' AND metric = 'in_work' AND period LIKE '2018%'")" "what it read"
run explain --lang en -c demo/demo.cfg lower_assistance dk-kobenhavn-socialokonomi 2018
expect_rc 0 "explain a gain"
expect_contains "$out" "gain lower_assistance of case dk-kobenhavn-socialokonomi in 2018: behind (plan from the database)" "the gain"
expect_contains "$out" "= (4,633,977 - 5,281,066) / (3,960,800 - 5,281,066) x 100 = 49.01201728 %" "the arithmetic"
run explain --lang en -c demo/demo.cfg work_share no-kristiansand-seniorsenter 2017
expect_contains "$out" "work_share for case no-kristiansand-seniorsenter in 2017: hidden (a small count of persons" "explain hides a small share"
run explain --lang en -c demo/demo.cfg --no-suppress work_share no-kristiansand-seniorsenter 2017
expect_contains "$out" "work_share for case no-kristiansand-seniorsenter in 2017: 2.380952381 %" "unless asked"
# the observations it lists: small counts of persons hidden, the sum not
# able to give one back
run explain --lang en -c demo/demo.cfg into_work no-kristiansand-seniorsenter 2018
expect_contains "$out" "observations of 'in_work' in 2018 (1 January 2018 to 31 December 2018): 4, sum $(sql "$db" "SELECT CAST(total(value) AS INTEGER) FROM observations WHERE case_id = 'no-kristiansand-seniorsenter' AND metric = 'in_work' AND period LIKE '2018%'") (the rows' values are hidden: some are, or give back, small counts of persons)" "the sum, its rows hidden"
expect_contains "$out" "    2018-Q1     - persons" "a hidden row"
expect_eq "$(printf '%s\n' "$out" | grep -c '^    2018-Q[1-4]     [0-9]')" "0" "no row's value shown"
run explain --lang en -c demo/demo.cfg --no-suppress into_work no-kristiansand-seniorsenter 2018
expect_contains "$out" "    2018-Q1     $(sql "$db" "SELECT value FROM observations WHERE case_id = 'no-kristiansand-seniorsenter' AND metric = 'in_work' AND period = '2018-Q1'" | sed 's/\.0$//') persons" "shown with --no-suppress"
# what explain lists is today's: it says when that may not be what the run read
expect_contains "$out" "note: not for publication: small counts of persons are shown (--no-suppress)" "--no-suppress says so"
expect_eq "$(printf '%s\n' "$out" | grep -v 'not for publication' | grep -c '^note:')" "0" "no other note while nothing changed"
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2020,1,persons\n' > later.csv
"$GEVINST" import "$db" observations later.csv > /dev/null
sed 's/^# .*//' demo/demo.cfg > demo/edited.cfg
# a run belongs to its config: another config names it by number
run explain --lang en -c demo/edited.cfg work_share no-drammen-jobbkafe 2018
expect_rc 2 "another config's run is not taken for this one's"
expect_contains "$err" "no run of demo/edited.cfg yet (run 1 was made with another config)" "says whose it is"
run explain --lang en -c demo/edited.cfg --run 1 work_share no-drammen-jobbkafe 2018
expect_rc 0 "another config's run by number"
expect_contains "$out" "note: observations imported since this run, on " "an import after the run"
expect_contains "$out" " UTC (from $T/later.csv)" "the file imported after the run"
expect_contains "$out" "note: demo/edited.cfg differs from the config this run used" "another config"
run explain --lang en -c demo/demo.cfg nothing no-drammen-jobbkafe 2018
expect_rc 2 "nothing to explain"
expect_eq "$err" "gevinst: run 1 has no indicator or gain 'nothing'" "says so"
run explain --lang en -c demo/demo.cfg work_share nosuch 2018
expect_rc 2 "an unknown case"
expect_eq "$err" "gevinst: unknown case 'nosuch'" "names the case"
run explain --lang en -c demo/demo.cfg work_share no-drammen-jobbkafé 2018
expect_eq "$err" "gevinst: unknown case 'no-drammen-jobbkafé' (did you mean 'no-drammen-jobbkafe'?)" "the case most like it"
run explain --lang en -c demo/demo.cfg work_share no-drammen-jobbkafe 2016
expect_rc 2 "a period the run did not evaluate"
expect_eq "$err" "gevinst: run 1 has no value of 'work_share' for case 'no-drammen-jobbkafe' in 2016 (it has: $(sql "$db" "SELECT group_concat(period, ', ') FROM (SELECT DISTINCT period FROM results WHERE run = 1 AND indicator = 'work_share' AND case_id = 'no-drammen-jobbkafe' ORDER BY 1)"))" "names the periods it has"
run explain --lang en -c demo/demo.cfg work_share no-drammen-jobbkafe
expect_rc 2 "explain needs three words"

# privacy without a unit: an indicator made from counts of persons counts
# persons, so its gain's small baseline, and what gives it back, are hidden
sed 's/\(id = "into_work";.*\)unit = "persons";/\1/' demo/demo.cfg > demo/nounit.cfg
expect_eq "$(grep -c 'id = "into_work".*unit' demo/nounit.cfg)" "0" "into_work without a unit"
"$GEVINST" run -c demo/nounit.cfg -q > /dev/null
expect_eq "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 2 AND indicator = 'into_work' AND unit IS NULL")" "1" "run 2 has no unit for into_work"
run report -c demo/nounit.cfg --format csv --table gains
printf '%s\n' "$out" > nounit.csv
expect_eq "$(sqlite3 :memory: ".import --csv nounit.csv g" "SELECT group_concat(DISTINCT '[' || baseline || '|' || realisation_pct || '|' || expected_value || '|' || deviation || '] ' || suppressed) FROM g WHERE \"case\" = 'no-kristiansand-seniorsenter' AND gain = 'into_work'")" \
    "[|||] hidden" "baseline, realisation, expected value and deviation hidden"
run report -c demo/nounit.cfg --format html --lang en
expect_contains "$out" "Realised hidden (Expected" "HTML shows a hidden realisation as hidden, no % beside it"
expect_eq "$(printf '%s\n' "$out" | grep -c 'Baseline hidden[^<]*Realised [0-9]')" "0" "never a number for it"

# a module that was never found is explained by what the run stored of it
cat > demo/gone.cfg <<'CFG'
database = "demo.db";
periods = ["2018"];
indicators = ( { id = "gone"; module = "nowhere"; } );
CFG
"$GEVINST" run -c demo/gone.cfg -q > /dev/null 2>&1
run explain --lang en -c demo/gone.cfg gone no-drammen-jobbkafe 2018
expect_rc 0 "explain a module that was not found"
expect_contains "$out" "gone for case no-drammen-jobbkafe in 2018: error: module 'nowhere' not found" "its error"
expect_contains "$out" "made by module nowhere (module, version not given)" "what the run knew of it"
finish
