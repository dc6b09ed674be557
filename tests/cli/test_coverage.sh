# test_coverage.sh -- a part of a period is not the period: each value
# records how much of its period its data cover, a gain measured on a
# partial period is 'incomplete' in every language and left out of SROI
# with the reason, unless the config allows it (docs/methodology.md,
# "Coverage and incomplete periods").
. "$(dirname "$0")/lib.sh"

run demo --dir demo -q
expect_rc 0 "demo"
db=demo/demo.db
d=no-drammen-jobbkafe

# the demo: Bodø's volunteer hours miss 2018-Q3, so that value covers 3 of 4
expect_eq "$(sql "$db" "SELECT case_id || ' ' || period || ' ' || coverage FROM results WHERE run = 1 AND coverage < 1")" \
    "no-bodo-nabolagshelse 2018 0.75" "the demo's one partial value"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 1 AND status = 'ok' AND coverage IS NULL")" \
    "$(sql "$db" "SELECT count(*) FROM results r JOIN run_indicators i USING (run, indicator) WHERE r.run = 1 AND r.status = 'ok' AND i.module IN ('partner_breadth', 'inputs_total')")" \
    "coverage unknown only where the module reads through its own SQL"

# the analyst's half-done year: the spreadsheet holds 2019-Q1 and -Q2 only
grep -v ',2019-Q[34],' "$GEVINST_SOURCE/config/demo/observations.csv" > half.csv
run import "$db" observations half.csv --source observations.csv
expect_rc 0 "import the half year over the whole"
run run -c demo/demo.cfg
expect_rc 0 "a run on a half year is no error"
partial=$(sql "$db" "SELECT count(*) FROM results WHERE run = 2 AND coverage < 1")
incomplete=$(sql "$db" "SELECT count(*) FROM gain_results WHERE run = 2 AND status = 'incomplete'")
expect_eq "$incomplete" "18" "every gain of a quarterly metric is incomplete in 2019 (3 in each of 6 cases)"
expect_contains "$err" "run 2: $partial values from data that cover only part of the period (coverage); 18 gain results incomplete" "run says how many"
expect_eq "$(sql "$db" "SELECT status || ' ' || actual || ' ' || coverage || ' ' || ifnull(realisation_pct, '-') || ' ' || ifnull(deviation, '-') FROM gain_results WHERE run = 2 AND case_id = '$d' AND gain = 'lower_assistance' AND period = '2019'")" \
    "incomplete 2740452.0 0.5 - -" "the half year's actual is kept, never judged"
expect_eq "$(sql "$db" "SELECT status FROM gain_results WHERE run = 2 AND case_id = '$d' AND gain = 'lower_assistance' AND period = '2018'")" \
    "on_track" "a whole year is judged as before"
# a survey answer on a day covers the year it is in: wellbeing is whole
expect_eq "$(sql "$db" "SELECT coverage || ' ' || status FROM gain_results WHERE run = 2 AND case_id = '$d' AND gain = 'wellbeing' AND period = '2019'")" \
    "1.0 achieved" "a person's survey answer covers its period"

# SROI values the latest whole period, and says which it passed over
expect_eq "$(sql "$db" "SELECT quantity_period || ' ' || left_out_period FROM run_gains WHERE run = 2 AND case_id = '$d' AND gain = 'lower_assistance'")" \
    "2018 2019" "SROI passes over the partial 2019 for 2018"
expect_eq "$(sql "$db" "SELECT quantity = 7333098 - (SELECT actual FROM gain_results WHERE run = 2 AND case_id = '$d' AND gain = 'lower_assistance' AND period = '2018') FROM run_gains WHERE run = 2 AND case_id = '$d' AND gain = 'lower_assistance'")" \
    "1" "its quantity is 2018's change from the baseline"
expect_eq "$(sql "$db" "SELECT quantity_period || ' ' || ifnull(left_out_period, '-') FROM run_gains WHERE run = 1 AND case_id = '$d' AND gain = 'lower_assistance'")" \
    "2019 -" "on whole data, 2019 as before"

# every report says so, in every language
run report -c demo/demo.cfg --lang nb
expect_contains "$out" "2019        2 740 452     7 333 098     5 499 824            -          100  ufullstendig: data dekker 50,0 %" "nb: the gain's line"
expect_contains "$out" "Holdt utenfor SROI: en senere periode der data dekker bare en del av den" "nb: the SROI note"
run report -c demo/demo.cfg --lang da
expect_contains "$out" "ufuldstændig: data dækker 50,0 %" "da"
run report -c demo/demo.cfg --lang en
expect_contains "$out" "incomplete: data cover 50.0 %" "en"
expect_contains "$out" "ok: data cover 50.0 %" "en: a partial value"
run report -c demo/demo.cfg --format json
expect_eq "$(printf '%s' "$out" | python3 -c "
import json, sys
d = json.load(sys.stdin)
g = [x for x in d['gains'] if x['case'] == '$d' and x['gain'] == 'lower_assistance' and x['period'] == '2019'][0]
c = [x for x in d['value']['cases'] if x['case'] == '$d'][0]
r = [x for x in d['results'] if x['case'] == '$d' and x['indicator'] == 'social_assistance' and x['period'] == '2019'][0]
print(g['status'], g['coverage'], g['realisation_pct'], r['coverage'], [x for x in c['left_out_of_sroi'] if x['gain'] == 'lower_assistance'])
")" "incomplete 0.5 None 0.5 [{'gain': 'lower_assistance', 'period': '2019', 'coverage': 0.5}]" "JSON"
run report -c demo/demo.cfg --format csv --table gains
expect_contains "$out" "$d,lower_assistance,2019,social_assistance,economic,municipality,Drammen kommune,7333098,2017,5499824,2019,2740452,,100,5499824,,incomplete,,0.5" "CSV"
run report -c demo/demo.cfg --format html
expect_eq "$(printf '%s' "$out" | grep -o 'ufullstendig</span> (data dekker 50,0 %)' | wc -l)" "18" "HTML: each incomplete gain"
expect_contains "$out" "<p>Holdt utenfor SROI: en senere periode der data dekker bare en del av den: caseworker_time 2019 (data dekker 50,0 %); into_work 2019 (data dekker 50,0 %); lower_assistance 2019 (data dekker 50,0 %)</p>" "HTML: what SROI left out"
expect_eq "$(printf '%s' "$out" | grep -o 'Realisert &#8211; (Forventet 100,0&#160;%) <span class="status incomplete">' | wc -l)" "18" \
    "HTML: no realisation, not even a hidden one (<5 would read as a figure)"
run explain --lang en -c demo/demo.cfg lower_assistance "$d" 2019
expect_contains "$out" "data cover 50.0 %: the actual was made from data of only part of a period" "explain: the coverage"
expect_contains "$out" "expected by the end of 2019 100 %, that is 5,499,824" "explain: what was expected"
expect_contains "$out" "SROI passed over 2019: its data cover only part of it" "explain: SROI"
run runs "$db" --format csv
expect_contains "$out" ",$partial,18" "runs counts them"

# the config may allow a partial period for a gain: judged and valued then
sed 's|^periods = .*|&\nallow_partial = ["into_work", "no-drammen-jobbkafe/lower_assistance"];|' demo/demo.cfg > demo/allow.cfg
run run -c demo/allow.cfg -q
expect_rc 0 "allowed"
expect_eq "$(sql "$db" "SELECT status FROM gain_results WHERE run = 3 AND case_id = '$d' AND gain = 'lower_assistance' AND period = '2019'")" \
    "achieved" "CASE/GAIN: judged on the half year (half a year's payments: why it is not the default)"
expect_eq "$(sql "$db" "SELECT count(*) FROM gain_results WHERE run = 3 AND gain = 'into_work' AND period = '2019' AND status = 'incomplete'")" \
    "0" "GAIN: in every case"
expect_eq "$(sql "$db" "SELECT count(*) FROM gain_results WHERE run = 3 AND status = 'incomplete'")" \
    "11" "the rest stay incomplete (18 less 6 into_work, less 1)"
expect_eq "$(sql "$db" "SELECT quantity_period || ' ' || ifnull(left_out_period, '-') FROM run_gains WHERE run = 3 AND case_id = '$d' AND gain = 'lower_assistance'")" \
    "2019 -" "and valued on it"
expect_eq "$(sql "$db" "SELECT coverage FROM gain_results WHERE run = 3 AND case_id = '$d' AND gain = 'lower_assistance' AND period = '2019'")" \
    "0.5" "still shown as partial"
sed 's|^periods = .*|&\nallow_partial = ["into_wrok"];|' demo/demo.cfg > demo/typo.cfg
run run -c demo/typo.cfg -q
expect_rc 1 "a name that is no gain"
expect_contains "$err" "demo/typo.cfg:10: allow_partial: 'into_wrok' is no gain of this run (GAIN or CASE/GAIN)" "names file and line"
printf 'database = "demo.db";\nperiods = ["2019"];\nindicators = ({ id = "x"; module = "nosuch"; });\n' > demo/err.cfg
run run -c demo/err.cfg -q
expect_rc 1 "a run with a module that is not there"
run runs "$db" --format csv
expect_eq "$(printf '%s\n' "$out" | tail -1 | sed 's/.*,//')" "errors" "runs: its status"
expect_eq "$(printf '%s\n' "$out" | sed -n 2p | sed 's/.*,//')" "ok" "runs: a run without errors"
printf 'database = "demo.db";\nperiods = ["2019"];\nallow_partial = "into_work";\nindicators = ();\n' > demo/bad.cfg
run check -c demo/bad.cfg
expect_rc 2 "allow_partial not a list"
expect_contains "$err" "bad.cfg:3: allow_partial must be a list of gains" "says what it must be"

# quarters against the demo's yearly plan: no gain is measured like with
# like, so no case has a value; never an SROI of 0
sed 's|^periods = .*|periods = { from = "2017-Q1"; to = "2019-Q4"; };|' demo/demo.cfg > demo/q.cfg
run run -c demo/q.cfg -q --format json
expect_rc 1 "quarters against yearly baselines"
expect_eq "$(sql "$db" "SELECT count(*) || ' ' || count(sroi) || ' ' || count(present_value) FROM case_values WHERE run = (SELECT max(id) FROM runs)")" \
    "6 0 0" "every case: no value, no SROI"
expect_contains "$err" "case '$d': value not computed: no gain with a proxy_value has a quantity" "said for each case"
expect_eq "$(printf '%s' "$out" | python3 -c "import json, sys; print([c['sroi'] for c in json.load(sys.stdin)['value']['cases']][:2])")" \
    "[None, None]" "JSON: null, not 0"
run explain --lang en -c demo/q.cfg lower_assistance "$d" 2019-Q2
expect_contains "$out" "  error: period 2019-Q2 is a quarter and the baseline 2017 a year: a gain compares like with like" "explain: the error"
expect_eq "$(printf '%s\n' "$out" | grep -c 'no value of')" "0" "explain: no false 'no value'"
run report -c demo/q.cfg --format html
expect_eq "$(printf '%s' "$out" | grep -o '<h3>Samfunnsøkonomisk avkastning (SROI)</h3><p>ikke beregnet: no gain with a proxy_value' | wc -l)" "6" "HTML: not computed, each case"
run report -c demo/q.cfg --lang en
expect_eq "$(printf '%s\n' "$out" | grep -c '  not computed: no gain with a proxy_value has a quantity')" "6" "text: not computed, each case"

# granularity is the data's own: months of a quarter, days of a month
run init g.db
printf 'code,name,country\n0301,Oslo,NO\n' > m.csv
printf 'id,municipality,title\nk,0301,K\n' > c.csv
printf 'case,metric,period,value,subject\nk,monthly,2024-01,1,\nk,monthly,2024-02,1,\nk,daily,2024-01-05,1,\nk,daily,2024-01-06,1,\nk,daily,2024-01-06,1,p1\nk,answers,2024-02-10,3,p1\nk,answers,2024-02-11,4,p2\nk,yearly,2023,5,\n' > o.csv
for kind in municipalities:m cases:c observations:o; do
    run import g.db "${kind%%:*}" "${kind#*:}.csv"
    expect_rc 0 "import ${kind%%:*}"
done
cat > g.cfg <<'EOF'
database = "g.db";
periods = ["2024-Q1", "2024-01", "2023"];
indicators = (
  { id = "monthly"; module = "sum"; params = { metric = "monthly"; }; },
  { id = "daily";   module = "sum"; params = { metric = "daily"; }; },
  { id = "answers"; module = "mean"; params = { metric = "answers"; }; },
  { id = "yearly";  module = "sum"; params = { metric = "yearly"; }; },
  { id = "yearly_rows"; module = "count"; params = { metric = "yearly"; }; }
);
EOF
run run -c g.cfg -q
expect_rc 0 "run on months and days"
expect_eq "$(sql g.db "SELECT group_concat(indicator || ' ' || period || ' ' || ifnull(coverage, '-'), '; ') FROM (SELECT * FROM results WHERE status = 'ok' ORDER BY indicator, period)")" \
    "answers 2024-Q1 1.0; daily 2024-01 0.0645161290322581; daily 2024-Q1 0.021978021978022; monthly 2024-01 1.0; monthly 2024-Q1 0.666666666666667; yearly 2023 1.0; yearly_rows 2023 1.0; yearly_rows 2024-01 0.0; yearly_rows 2024-Q1 0.0" \
    "2 of 3 months; 2 of 31 and 2 of 91 days; answers cover the quarter; a year is whole; a count of nothing reported covers nothing"
# a row another program wrote with a malformed period covers nothing
sql g.db "INSERT INTO observations (case_id, metric, period, period_start, period_end, value) VALUES ('k', 'monthly', '2024-03', '2024-03', '2024-03', 1)"
run run -c g.cfg -q
expect_eq "$(sql g.db "SELECT coverage FROM results WHERE run = 2 AND indicator = 'monthly' AND period = '2024-Q1'")" \
    "0.666666666666667" "still 2 of 3 months"
finish
