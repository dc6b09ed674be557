# test_run.sh -- the demo and runs through the command: exact values checked
# against the sqlite3 shell's own arithmetic on the same data, formats,
# stored provenance, and failures that stay with their indicator.
. "$(dirname "$0")/lib.sh"

run demo --dir demo --format csv
expect_rc 0 "demo"
expect_contains "$err" "demo: imported 536 observations" "demo imports"
db=demo/demo.db
printf '%s\n' "$out" > demo.csv

# gevinst's numbers against SQL over the same observations: sums, means
# and counts per case and year, and volunteer hours x 260
expected=$(sql -csv "$db" "
  WITH y(period) AS (VALUES ('2017'), ('2018'), ('2019')),
  agg(indicator, metric, fn) AS (VALUES ('participants', 'participants', 'mean'),
       ('into_work', 'in_work', 'sum'), ('wellbeing', 'wellbeing', 'mean'),
       ('respondents', 'wellbeing', 'count'), ('social_assistance', 'social_assistance', 'sum'),
       ('volunteer_value', 'volunteer_hours', 'wage'))
  SELECT a.indicator, c.id, y.period,
         CASE a.fn WHEN 'sum' THEN sum(o.value) WHEN 'mean' THEN avg(o.value)
                   WHEN 'count' THEN count(o.value) ELSE sum(o.value) * 260 END
  FROM agg a CROSS JOIN cases c CROSS JOIN y
  LEFT JOIN observations o ON o.case_id = c.id AND o.metric = a.metric
       AND substr(o.period, 1, 4) = y.period
  GROUP BY a.indicator, c.id, y.period ORDER BY a.indicator, c.id, y.period")
# as stored: the printed table hides small counts of persons
actual=$(sql -csv "$db" "SELECT indicator, case_id, period, value FROM results WHERE run = 1
   AND indicator IN ('participants', 'into_work', 'wellbeing', 'respondents', 'social_assistance',
   'volunteer_value') ORDER BY indicator, case_id, period")
# compare as numbers to 1e-12 relative, not as text
printf '%s\n' "$expected" > expected.csv
printf '%s\n' "$actual" > actual.csv
mismatch=$(sqlite3 -csv :memory: \
  "CREATE TABLE e(i, c, p, v REAL); CREATE TABLE a(i, c, p, v REAL);" \
  ".import --csv expected.csv e" ".import --csv actual.csv a" \
  "SELECT count(*) FROM e LEFT JOIN a USING (i, c, p) WHERE a.i IS NULL OR abs(e.v - a.v) > 1e-12 * abs(e.v)")
expect_eq "$(wc -l < expected.csv)" "108" "6 indicators x 6 cases x 3 years"
expect_eq "$mismatch" "0" "every demo value equals SQL's"

# privacy: a count of persons under 5, and a share made from it, are an
# empty cell with the rule beside it
expect_contains "$out" "into_work,no-kristiansand-seniorsenter,2017,,persons,ok,,sum,1.0.0,1,hidden" "a small count hidden"
expect_contains "$out" "work_share,no-kristiansand-seniorsenter,2017,,%,ok,,ratio,1.0.0,1,hidden" "a share made from it hidden"
expect_eq "$(sql "$db" "SELECT value FROM results WHERE run = 1 AND indicator = 'into_work' AND case_id = 'no-kristiansand-seniorsenter' AND period = '2017'")" \
    "$(sql "$db" "SELECT total(value) FROM observations WHERE case_id = 'no-kristiansand-seniorsenter' AND metric = 'in_work' AND period LIKE '2017%'")" "but stored as it is"

# a few values by hand from config/demo/observations.csv
expect_contains "$out" "participants,dk-kobenhavn-socialokonomi,2017,14,persons,ok" "participants DK 2017"
expect_contains "$out" "respondents,dk-kobenhavn-socialokonomi,2019,8,persons,ok" "respondents DK 2019"
expect_contains "$out" "wellbeing,dk-kobenhavn-socialokonomi,2018,3.4,score 1-5,ok" "wellbeing DK 2018"

# provenance of what was stored
expect_eq "$(sql "$db" 'SELECT count(*) FROM results WHERE run = 1')" "288" "stored results"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 1 AND status = 'error'")" "0" "no errors in the demo"
expect_eq "$(sql "$db" "SELECT engine_version FROM runs WHERE id = 1")" "0.1.0" "engine version"
expect_eq "$(sql "$db" "SELECT config_hash FROM runs WHERE id = 1")" \
    "$(sha256sum "$GEVINST_SOURCE/config/demo.cfg" | cut -d' ' -f1)" "config hash"
expect_eq "$(sql "$db" "SELECT config_file FROM runs WHERE id = 1")" "$T/demo/demo.cfg" "the demo's config beside its database"
run run -c demo/demo.cfg --format csv
expect_rc 0 "the demo's config runs again"
expect_eq "$(printf '%s\n' "$out" | sed 1d | cut -d, -f2-)" "$(sed 1d demo.csv | cut -d, -f2-)" "the same numbers again"
expect_eq "$(sql "$db" "SELECT DISTINCT module_hash FROM run_indicators WHERE indicator = 'volunteer_value'")" \
    "$(sha256sum "$GEVINST_SOURCE/scripts/volunteer_value.lua" | cut -d' ' -f1)" "script hash"
expect_eq "$(sql "$db" "SELECT DISTINCT module || ' ' || module_version || ' ' || module_kind FROM run_indicators WHERE indicator = 'wellbeing'")" \
    "mean 1.0.0 c" "module and version"

# a config of one's own on the demo database: json, and failures that fail alone
cat > my.cfg <<'CFG'
database = "demo/demo.db";
periods = { from = "2018-Q1"; to = "2018-Q4"; };
indicators = (
  { id = "helpers"; module = "sum"; params = { metric = "volunteer_hours"; }; },
  { id = "typo";    module = "sum"; params = { metric = "volunter_hours"; }; },
  { id = "gone";    plugin = "plugins/gone.so"; }
);
CFG
run run -c my.cfg --format json
expect_rc 1 "run with failing indicators"
expect_contains "$err" "is stored with the problems said above; values and gains in error have status 'error'" "run says so"
printf '%s\n' "$out" > run.json
expect_eq "$(sqlite3 :memory: "SELECT json_valid(readfile('run.json'))")" "1" "valid JSON"
expect_eq "$(sqlite3 :memory: "SELECT json_array_length(readfile('run.json'), '\$.results')")" "72" "3 x 6 x 4 results"
expect_eq "$(sqlite3 :memory: "SELECT json_extract(value, '\$.value') FROM json_each(readfile('run.json'), '\$.results') WHERE json_extract(value, '\$.case') = 'no-bodo-nabolagshelse' AND json_extract(value, '\$.period') = '2018-Q3' AND json_extract(value, '\$.indicator') = 'helpers'")" \
    "" "missing quarter is no data (null)"
expect_eq "$(sqlite3 :memory: "SELECT json_extract(value, '\$.status') FROM json_each(readfile('run.json'), '\$.results') WHERE json_extract(value, '\$.case') = 'no-bodo-nabolagshelse' AND json_extract(value, '\$.period') = '2018-Q3' AND json_extract(value, '\$.indicator') = 'helpers'")" \
    "no_data" "missing quarter status"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 3 AND indicator = 'helpers' AND status = 'ok'")" "23" "helpers computed"
expect_eq "$(sql "$db" "SELECT DISTINCT error FROM results WHERE run = 3 AND indicator = 'typo'")" \
    "unknown metric 'volunter_hours': no observation has it" "unknown metric"
expect_contains "$(sql "$db" "SELECT DISTINCT error FROM results WHERE run = 3 AND indicator = 'gone'")" \
    "plugins/gone.so: cannot read plugin: No such file or directory" "missing plugin"

# the config's hash covers the files it includes
printf 'periods = ["2018"];\n' > periods.inc
printf 'database = "demo/demo.db";\n@include "periods.inc"\nindicators = ( { id = "v"; module = "sum"; params = { metric = "volunteer_hours"; }; } );\n' > inc.cfg
run run -c inc.cfg --format csv
expect_rc 0 "run with @include"
expect_eq "$(sql "$db" "SELECT config_hash FROM runs ORDER BY id DESC LIMIT 1")" \
    "$(cat inc.cfg periods.inc | sha256sum | cut -d' ' -f1)" "hash of the config and its include"
expect_eq "$(sql "$db" "SELECT config_file FROM runs ORDER BY id DESC LIMIT 1")" "$T/inc.cfg" "absolute config path"

# check and list
run check -c my.cfg
expect_rc 2 "check finds problems"
expect_contains "$err" "indicator 'gone': plugins/gone.so: cannot read plugin" "check names the plugin"
run list -c "$GEVINST_SOURCE/config/demo.cfg"
expect_rc 0 "list"
expect_contains "$out" "volunteer_value     Lua      NOK " "list shows kind and unit"
expect_contains "$out" "work_share_gap      formula  points     work share against the target of 15 %" "list shows a formula"
expect_contains "$out" "$GEVINST_SOURCE/scripts/volunteer_value.lua" "list shows where from"

# a config typo: file:line, exit 2, nothing stored
cat > typo.cfg <<'CFG'
database = "demo/demo.db";
periods = ["2018"];
indicators = (
  { id = "x"; module = "sum"; parms = { metric = "in_work"; }; }
);
CFG
before=$(db_digest "$db")
run run -c typo.cfg
expect_rc 2 "config typo"
expect_eq "$err" "typo.cfg:4: unknown setting 'parms' in indicator (id, module, lang, plugin, script, formula, numerator, denominator, factor, annualise, missing, unit, description, params, limits, isolate)" "config typo message"
expect_eq "$(db_digest "$db")" "$before" "nothing stored"
printf 'database = "demo/demo.db"\nperiods = [\n' > syntax.cfg
run check -c syntax.cfg
expect_rc 2 "syntax error"
expect_contains "$err" "syntax.cfg:3: syntax error" "syntax error names the line"
printf 'database = "demo/demo.db";\n\n@include "nothere.inc"\n' > noinc.cfg
run check -c noinc.cfg
expect_rc 2 "missing include"
expect_eq "$err" "noinc.cfg:3: cannot open include file nothere.inc" "names the file it looked for"

# one pass over a metric for each indicator that reads it, in gevinst's own
# process as in a child each: the same values, coverage and persons
for how in true false; do
    cat > pass-$how.cfg <<CFG
database = "demo/demo.db";
periods = ["2017", "2018", "2019", "2018-Q2"];
indicators = (
  { id = "a"; module = "sum"; isolate = $how; params = { metric = "wellbeing"; }; },
  { id = "b"; module = "share_reaching"; isolate = $how; params = { metric = "wellbeing"; threshold = 4.0; }; },
  { id = "c"; module = "mean"; isolate = $how; params = { metric = "wellbeing"; }; },
  { id = "d"; module = "share_reaching"; isolate = $how; params = { metric = "in_work"; }; }
);
CFG
    run run -c pass-$how.cfg -q
    expect_rc 0 "one pass, isolate = $how"
    sql "$db" "SELECT indicator, case_id, period, quote(value), status, quote(error),
      quote(fewest_persons), quote(coverage) FROM results WHERE run = (SELECT max(id) FROM runs)
      ORDER BY 1, 2, 3" > pass-$how.txt
done
expect_eq "$(cmp pass-true.txt pass-false.txt && wc -l < pass-true.txt)" "96" \
    "in process as isolated"
expect_eq "$(grep -c '^b|.*|ok|' pass-true.txt)" "18" "subjects counted"
expect_eq "$(grep -c '^d|.*|no_data|' pass-true.txt)" "24" "no subject: no data"
finish
