# test_privacy.sh -- the attacks of docs/privacy.md, each one a case that
# must fail to recover a hidden count of persons.
. "$(dirname "$0")/lib.sh"
demo="$GEVINST_SOURCE/config/demo"

base_db() { # base_db DB: the demo's cases, without observations
    run init "$1"
    for kind in municipalities cases partners; do
        run import "$1" $kind "$demo/$kind.csv"
    done
}

# ---------------------------------------------------------- unit of a metric
# a metric counts persons in every row or in none: not as its first row says
base_db units.db
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2018-Q1,30,\nno-drammen-jobbkafe,in_work,2018-Q2,3,persons\n' > mixed.csv
before=$(db_digest units.db)
run import units.db observations mixed.csv
expect_rc 3 "mixed units refused"
expect_eq "$err" "gevinst: mixed.csv:3:5: metric 'in_work' is in persons here but not in row 2 of this file; a metric counts persons in every row or in none" "file, row and column"
expect_eq "$(db_digest units.db)" "$before" "database unchanged"
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2018-Q1,3,persons\n' > p1.csv
printf 'case,metric,period,value\nno-drammen-jobbkafe,in_work,2018-Q2,30\n' > p2.csv
run import units.db observations p1.csv
expect_rc 0 "persons"
run import units.db observations p2.csv
expect_rc 3 "a second file without the unit refused"
expect_eq "$err" "gevinst: p2.csv:2:2: metric 'in_work' is without a unit here but in persons in p1.csv:2; a metric counts persons in every row or in none" "the other file named"
# the catalogue follows the rows, not the first file ever imported
printf 'case,metric,period,value\nno-drammen-jobbkafe,in_work,2018-Q1,3\n' > p1.csv
run import units.db observations p1.csv
expect_rc 0 "the source imported again, now without a unit"
expect_eq "$(sql units.db "SELECT coalesce(unit, '-') FROM metrics WHERE name = 'in_work'")" "-" "the catalogue says so"
run import units.db observations "$demo/observations.csv"
expect_rc 3 "and then the demo's persons clash"

# ------------------------------------------------------------ the attacks
# Oslo has cases a and b, Halden case c.  Case a's jobs: 3, 6, 7 and 8 in
# the quarters of 2018, 24 in the year; its plan values a change from a
# baseline of 3.
run init p.db
printf 'code,name,country\n0301,Oslo,NO\n0101,Halden,NO\n' > m.csv
printf 'id,municipality,title\na,0301,A\nb,0301,B\nc,0101,C\n' > c.csv
printf 'case,name,type\na,Ka,municipality\nb,Kb,municipality\nc,Kc,municipality\n' > p.csv
{
    echo "case,metric,period,value,unit"
    for q in 1 2 3 4; do
        set -- 3 6 7 8
        eval "v=\${$q}"
        echo "a,jobs,2018-Q$q,$v,persons"
        echo "b,jobs,2018-Q$q,10,persons"
        echo "c,jobs,2018-Q$q,9,persons"
        echo "a,people,2018-Q$q,30,persons"
        echo "b,people,2018-Q$q,30,persons"
        echo "c,people,2018-Q$q,30,persons"
    done
} > o.csv
printf 'case,partner,period,kind,amount,currency\na,Ka,2018,cash,10000,NOK\nb,Kb,2018,cash,10000,NOK\nc,Kc,2018,cash,10000,NOK\n' > i.csv
cat > gains.csv <<'CSV'
case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period,quantity_basis,proxy_value,currency,price_year,deadweight,attribution,displacement,drop_off,duration_years
a,jobs,jobs,economic,state,3,2018-Q1,10,2018-Q4,change,1000,NOK,2018,0.2,0,0,0,2
b,jobs,jobs,economic,state,10,2018-Q1,20,2018-Q4,actual,1000,NOK,2018,0.2,0,0,0,2
c,jobs,jobs,economic,state,9,2018-Q1,20,2018-Q4,actual,1000,NOK,2018,0.2,0,0,0,2
CSV
for k in "municipalities m" "cases c" "partners p" "observations o" "inputs i" "gains gains"; do
    set -- $k
    run import p.db "$1" "$2.csv"
    expect_rc 0 "import $1"
done
cat > p.cfg <<'CFG'
database = "p.db";
periods = ["2018", "2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4"];
indicators = (
  { id = "jobs"; module = "sum"; unit = "persons"; params = { metric = "jobs"; }; },
  { id = "share"; module = "ratio"; unit = "%";
    params = { numerator = "jobs"; denominator = "people"; factor = 100.0; }; },
  { id = "avg"; module = "mean"; unit = "jobs a quarter"; params = { metric = "jobs"; }; },
  { id = "positive"; module = "likert_share_positive"; params = { metric = "jobs"; positive = 7; }; }
);
money = { currency = "NOK"; price_year = 2018; cpi = { NOK = { from = 2018; index = [100.0]; }; }; };
CFG
run run -c p.cfg -q
expect_rc 1 "run (a quarterly gain in the year 2018 is an error row; the rest is stored)"
as_stored=$(sql p.db "SELECT value FROM results WHERE indicator = 'jobs' AND case_id = 'a' ORDER BY period")
expect_eq "$(echo $as_stored)" "24.0 3.0 6.0 7.0 8.0" "the database keeps every value"

# year minus quarters: Q1 is hidden, and Q2 (the smallest next cell) with it
run report -c p.cfg --format json
printf '%s\n' "$out" > p.json
jq_results() { sqlite3 :memory: "SELECT group_concat(coalesce(value ->> 'value', '-') || ':' || coalesce(value ->> 'suppressed', ''), ' ') FROM json_each(readfile('p.json'), '\$.results') WHERE value ->> 'indicator' = '$1' AND value ->> 'case' = '$2'"; }
expect_eq "$(jq_results jobs a)" "24: -:hidden -:hidden 7: 8:" "JSON: year 24 shown, Q1 and Q2 hidden"
expect_eq "$(jq_results jobs b)" "40: 10: 10: 10: 10:" "JSON: another case as it is"
run report -c p.cfg --format csv
expect_contains "$out" "1,jobs,a,2018-Q1,,persons,ok,,sum,1.0.0,1,hidden" "CSV: Q1 empty, hidden"
expect_contains "$out" "1,jobs,a,2018-Q2,,persons,ok,,sum,1.0.0,1,hidden" "CSV: Q2 empty, hidden too"
expect_contains "$out" "1,jobs,a,2018,24,persons,ok,,sum,1.0.0,1," "CSV: the year shown"
expect_eq "$(printf '%s\n' "$out" | grep -c '^1,jobs,a,2018-Q[12],[0-9]')" "0" "CSV: neither Q1 nor Q2 a number"
run report -c p.cfg --format csv --excel --lang nb
expect_contains "$out" "1;jobs;a;2018-Q2;;persons;ok;;sum;1.0.0;1;hidden" "Excel CSV: Q2 hidden too"
run report -c p.cfg --format text --lang nb
expect_eq "$(printf '%s\n' "$out" | grep -E '^jobs +a +2018-Q[12] ' | grep -c 'skjult')" "2" "text: Q1 and Q2 skjult"
expect_contains "$out" "skjult: færre enn 5 personer, eller et tall et slikt antall kunne regnes ut fra (personvern)" "text: the footnote"
run explain --lang en -c p.cfg jobs a 2018-Q2
expect_contains "$out" "jobs for case a in 2018-Q2: hidden (" "explain: Q2 hidden"
run explain --lang en -c p.cfg jobs a 2018-Q1
expect_contains "$out" "jobs for case a in 2018-Q1: hidden (" "explain: Q1 hidden, not 3 persons"
run explain --lang en -c p.cfg jobs a 2018
expect_contains "$out" "jobs for case a in 2018: 24 persons" "explain: the year"
expect_eq "$(printf '%s\n' "$out" | grep -cE '^    2018-Q[1-4] +[0-9]')" "0" "explain: no quarter's rows in clear"
run explain --lang en -c p.cfg --no-suppress jobs a 2018-Q1
expect_contains "$out" "note: not for publication: small counts of persons are shown (--no-suppress)" "explain --no-suppress says so"
expect_contains "$out" "jobs for case a in 2018-Q1: 3 persons" "and shows it"

# derived: a share, a mean and a module's own SQL made from the small count
expect_eq "$(jq_results share a)" "-:hidden -:hidden -:hidden 23.3333333333333: 26.6666666666667:" "a share: hidden where its count is (Q2 beside 30 people would give 6 back), and the year's, which beside its people and the quarters' would give Q1's back"
expect_eq "$(jq_results avg a)" "-:hidden -:hidden -:hidden 7: 8:" "a mean of 3 persons a quarter hidden, Q2's, which is Q2's count, and the year's"
expect_eq "$(jq_results positive a)" "-:hidden 0: 0: -:hidden -:hidden" "a share from a query: one answer of 7 or more in Q3 and Q4, two in the year, hidden; none is shown"

# value algebra: a change of 5 from a hidden baseline of 3; its value, and
# the case's, would give the baseline back
case_a() { sqlite3 :memory: "SELECT $1 FROM json_each(readfile('p.json'), '\$.value.cases') c WHERE c.value ->> 'case' = '$2'"; }
expect_eq "$(sql p.db "SELECT quantity FROM run_gains WHERE case_id = 'a'")" "5.0" "quantity 5 stored"
expect_eq "$(case_a "json_type(c.value, '\$.gains[0].quantity') || ' ' || json_type(c.value, '\$.gains[0].present_value') || ' ' || (c.value ->> '\$.gains[0].suppressed')" a)" "null null hidden" "JSON: the gain's quantity and value hidden"
expect_eq "$(case_a "json_type(c.value, '\$.present_value') || json_type(c.value, '\$.sroi') || json_type(c.value, '\$.scenarios.likely') || json_type(c.value, '\$.by_beneficiary') || ' ' || (c.value ->> 'suppressed') || ' ' || (c.value ->> 'investment')" a)" "nullnullnullnull hidden 10000.0" "JSON: the case's value figures hidden, its investment shown"
expect_eq "$(case_a "(SELECT count(*) FROM json_each(c.value, '\$.sensitivity') s WHERE json_type(s.value, '\$.sroi_low') = 'null' AND json_type(s.value, '\$.sroi_high') = 'null')" a)" "7" "JSON: the sensitivity ratios hidden"
run explain --lang en -c p.cfg jobs a 2018-Q4
expect_contains "$out" "  its figures are hidden: they are, or are made from, a small count of persons" "explain: the gain's arithmetic hidden"
expect_eq "$(printf '%s\n' "$out" | grep -c 'valued with the quantity')" "0" "explain: no value arithmetic"
run explain --lang en -c p.cfg share a 2018-Q2
expect_contains "$out" "share for case a in 2018-Q2: hidden (" "explain: the share beside a hidden count"

# municipality minus cases: Oslo = a + b, and b's value follows from its
# gains' figures, so Oslo's total goes; then Halden's (= c) and the
# country's, which would give Oslo's back
expect_eq "$(case_a "json_type(c.value, '\$.present_value') || ' ' || coalesce(c.value ->> 'suppressed', '-')" b)" "real -" "JSON: case b shown"
expect_eq "$(case_a "json_type(c.value, '\$.present_value') || ' ' || coalesce(c.value ->> 'suppressed', '-')" c)" "real -" "JSON: case c shown"
totals() { sqlite3 :memory: "SELECT group_concat(coalesce(value ->> '$2', '?') || ':' || json_type(value, '\$.present_value') || ':' || coalesce(value ->> 'suppressed', '-'), ' ') FROM json_each(readfile('p.json'), '\$.value.$1')"; }
expect_eq "$(totals municipalities municipality)" "0101:null:hidden 0301:null:hidden" "JSON: both municipalities' totals hidden"
expect_eq "$(totals countries country)" "NO:null:hidden" "JSON: and the country's"
run report -c p.cfg --format csv --table value
expect_contains "$out" "1,a,0301,NO,NOK,2018,0.04,10000,,,,,,,,,,,,hidden" "CSV value: a hidden"
expect_eq "$(printf '%s\n' "$out" | grep -c ',hidden$')" "1" "CSV value: no other case hidden"
run report -c p.cfg --format csv --table value --excel
expect_contains "$out" "1;a;0301;NO;NOK;2018;0,04;10000;;;;;;;;;;;;hidden" "Excel CSV value: a hidden"
run report -c p.cfg --format csv --table gains
expect_eq "$(printf '%s\n' "$out" | grep '^1,a,jobs,' | cut -d, -f9,13,14,16,17,18,21 | sort -u | tr '\n' ' ')" \
    ",,,,,error,hidden ,,,,,hidden,hidden ,7,,,,hidden,hidden ,8,,,,hidden,hidden " "CSV gains: baseline and what gives it back empty, hidden actuals and their status, and the status beside a hidden baseline"
run report -c p.cfg --format text --lang en
expect_eq "$(printf '%s\n' "$out" | grep -cE '^a +10,000 +hidden +hidden +hidden')" "1" "text value: a hidden"
expect_contains "$out" "NO            2          20,000          hidden  hidden  hidden" "text: the country's total, of the cases shown only, hidden"
run report -c p.cfg --format html --lang en
printf '%s\n' "$out" > p.html
expect_contains "$out" "hidden (privacy), not drawn: A</p>" "HTML: the comparison names the hidden case"
expect_eq "$(grep -o '<svg class="chart bars comparison" data-marks="[0-9]*"' p.html)" '<svg class="chart bars comparison" data-marks="2"' "HTML: only cases b and c have bars"
expect_contains "$out" "hidden: fewer than 5 persons, or a figure such a count could be computed from (privacy)" "HTML: the footnote"
expect_eq "$(grep -c 'Realised hidden %' p.html)" "0" "HTML: no % beside the word"
expect_contains "$out" 'Baseline hidden &#8594; Target 10, Actual 8: Realised hidden (Expected' "HTML: the gain's baseline and realisation hidden"
expect_contains "$out" '<div class="legend note">hidden (privacy), not drawn: 2018-Q1 2018-Q2 2018-Q3 2018-Q4</div>' "HTML: its chart names the hidden periods"
# and what the attacker would compute finds nothing to compute with
expect_eq "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('p.json'), '\$.results') WHERE value ->> 'indicator' = 'jobs' AND value ->> 'case' = 'a' AND value ->> 'period' IN ('2018', '2018-Q2', '2018-Q3', '2018-Q4') AND value ->> 'value' IS NOT NULL")" "3" "year minus quarters: one term missing"

# --no-suppress: every format that takes it says so; CSV refuses
run report -c p.cfg --format csv --no-suppress
expect_rc 2 "CSV refuses --no-suppress"
expect_contains "$err" "--no-suppress: CSV has no place to say it" "says why"
run report -c p.cfg --format text --no-suppress --lang en
expect_contains "$out" "not for publication: small counts of persons are shown (--no-suppress)" "text says so"
run report -c p.cfg --format html --no-suppress --lang en
expect_contains "$out" "not for publication: small counts of persons are shown (--no-suppress)" "HTML says so"
run report -c p.cfg --format json --no-suppress
expect_contains "$out" '"suppressed_below": 0' "JSON says so"

# the demo: what each rule hides there
"$GEVINST" demo --dir demo -q >/dev/null 2>&1 || fail "demo"
run report -c demo/demo.cfg --format json
printf '%s\n' "$out" > demo.json
expect_eq "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('demo.json'), '\$.results') WHERE value ->> 'suppressed' = 'hidden'")" "14" "demo: 14 values hidden (13 small or made from a small count, 1 more to protect them)"
expect_eq "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('demo.json'), '\$.results') WHERE value ->> 'indicator' = 'caseworker_cost' AND value ->> 'case' = 'no-kristiansand-seniorsenter' AND value ->> 'period' = '2017' AND value ->> 'suppressed' = 'hidden'")" "1" "the formula made from the hidden count's case and period hidden too"
expect_eq "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('demo.json'), '\$.results') WHERE value ->> 'suppressed' IN ('primary', 'secondary')")" "0" "no output says which rule hid a cell"
# periods nest by what the run shows: a quarter left out of the run is the
# year less the others; quarters and months mixed; a share's year over a
# hidden quarter
"$GEVINST" init n.db >/dev/null
printf 'code,name,country\n0301,Oslo,NO\n' > nm.csv
printf 'id,municipality,title\na,0301,A\n' > nc.csv
{ echo "case,metric,period,value,unit"
  for q in 1:3 2:6 3:7 4:8; do echo "a,in_work,2018-Q${q%%:*},${q#*:},persons"; echo "a,participants,2018-Q${q%%:*},20,persons"; done
  for m in 01 02 03 04 05 06 07 08 09; do echo "a,helped,2018-$m,7,persons"; done
  echo "a,helped,2018-10,3,persons"; echo "a,helped,2018-11,7,persons"; echo "a,helped,2018-12,8,persons"; } > no.csv
for k in municipalities:nm cases:nc observations:no; do "$GEVINST" import n.db "${k%%:*}" "${k#*:}.csv" >/dev/null; done
csv_hidden() { # csv_hidden CFG: "period=value/rule" of each row of the report
    "$GEVINST" run -c "$1" -q >/dev/null 2>&1
    "$GEVINST" report -c "$1" --format csv | awk -F, 'NR > 1 { printf "%s%s=%s/%s", sep, $4, $5, $12; sep = " " }'
}
printf 'database = "n.db";\nperiods = ["2018", "2018-Q2", "2018-Q3", "2018-Q4"];\nindicators = ( { id = "w"; module = "sum"; unit = "persons"; params = { metric = "in_work"; }; } );\n' > n1.cfg
expect_eq "$(csv_hidden n1.cfg)" "2018=24/ 2018-Q2=/hidden 2018-Q3=7/ 2018-Q4=8/" "Q1 left out of the run: 24 - 7 - 8 no longer gives its 3"
printf 'database = "n.db";\nperiods = ["2018", "2018-Q1", "2018-Q2", "2018-Q3", "2018-10", "2018-11", "2018-12"];\nindicators = ( { id = "h"; module = "sum"; unit = "persons"; params = { metric = "helped"; }; } );\n' > n2.cfg
expect_eq "$(csv_hidden n2.cfg)" "2018=81/ 2018-10=/hidden 2018-11=/hidden 2018-12=8/ 2018-Q1=21/ 2018-Q2=21/ 2018-Q3=21/" "quarters and months together: October's 3 does not follow"
printf 'database = "n.db";\nperiods = ["2018", "2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4"];\nindicators = ( { id = "p"; module = "sum"; unit = "persons"; params = { metric = "participants"; }; },\n  { id = "f"; formula = "#{in_work} / #{participants}"; } );\n' > n3.cfg
expect_eq "$(csv_hidden n3.cfg | tr ' ' '\n' | grep -c '/hidden')" "2" "a share of a metric no indicator counts: its hidden quarter and the year over it"
# a module's query that gives text only (a subject a row): its rows count
mkdir -p lmods
cat > lmods/pos_people.lua <<'LUA'
local sql = "SELECT DISTINCT subject FROM observations WHERE case_id = ? AND metric = 'sat'"
  .. " AND in_period(period_start, period_end, ?)"
return { unit = "%", evaluate = function(ctx)
  local pos = ctx:query(sql .. " AND value >= 4", ctx.case.id, ctx.period)
  local all = ctx:query(sql, ctx.case.id, ctx.period)
  if #all == 0 then return nil end
  return 100 * #pos / #all end }
LUA
{ echo "case,metric,period,value,unit,subject"
  for i in 1 2 3 4 5 6 7 8 9 10; do echo "a,sat,2018-03-0$((i % 9 + 1)),$([ $i -le 3 ] && echo 5 || echo 2),score,r$i"; done; } > sat.csv
"$GEVINST" import n.db observations sat.csv >/dev/null
printf 'database = "n.db";\nmodule_path = ["lmods"];\nperiods = ["2018"];\nindicators = ( { id = "pos"; module = "pos_people"; } );\n' > n4.cfg
expect_eq "$(csv_hidden n4.cfg)" "2018=/hidden" "3 of 10 respondents, counted by the rows of a query, hidden"
# a count of persons' answers counts the respondents: 3 answers of a score
{ echo "case,metric,period,value,unit,subject"; for i in 1 2 3; do echo "a,few,2019-05-0$i,4,score,q$i"; done; } > few.csv
"$GEVINST" import n.db observations few.csv >/dev/null
printf 'database = "n.db";\nperiods = ["2019"];\nindicators = ( { id = "n"; formula = "#{few.count}"; }, { id = "c"; module = "count"; params = { metric = "few"; }; } );\n' > n5.cfg
expect_eq "$(csv_hidden n5.cfg)" "2019=/hidden 2019=/hidden" "three answers counted, by a formula and by the count module, hidden"
finish
