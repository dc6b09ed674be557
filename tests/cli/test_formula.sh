# test_formula.sh -- formula indicators through the command: values against
# the bundled ratio plugin and the sqlite3 shell's arithmetic, other
# indicators read in the right order, missing value rules, provenance, and
# what check reports (file:line:column with a caret), the database unchanged.
. "$(dirname "$0")/lib.sh"

run demo --dir demo
expect_rc 0 "demo"
db=demo/demo.db

cat > demo/f.cfg <<'EOF'
database = "demo.db";
periods = ["2016", "2017", "2018"];
constants = { wage = 260; half = 0.5; };
indicators = (
  { id = "double_share"; formula = "I{work_share} * 2"; unit = "%"; },
  { id = "work_share"; unit = "%";
    numerator = "#{in_work}"; denominator = "#{participants}"; factor = 100; },
  { id = "work_ratio"; module = "ratio"; unit = "%";
    params = { numerator = "in_work"; denominator = "participants"; factor = 100.0; }; },
  { id = "volunteer_value"; formula = "#{volunteer_hours} * C{wage}"; unit = "NOK"; },
  { id = "hours_or_none"; formula = "if(isNull(#{volunteer_hours}), -1, #{volunteer_hours})";
    missing = "never_skip"; },
  { id = "hours_all"; formula = "#{volunteer_hours} + #{caseworker_hours}";
    missing = "SKIP_IF_ALL_VALUES_MISSING"; },
  { id = "answers"; formula = "#{wellbeing.count} + #{wellbeing.mean} * 0"; },
  { id = "per_year"; formula = "#{in_work} / [days] * 365"; },
  { id = "halved"; formula = "(#{social_assistance} - #{social_assistance.min}) * C{half}"; },
  { id = "people"; formula = "#{wellbeing.subjects}"; unit = "persons"; }
);
EOF

run check -c demo/f.cfg
expect_rc 0 "check of good formulas"
run run -c demo/f.cfg --format csv
expect_rc 0 "run with formulas"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 2")" "180" "10 indicators x 6 cases x 3 years"

# numerator / denominator x factor is the ratio plugin's value, case by case
expect_eq "$(sql "$db" "SELECT count(*) FROM results a JOIN results b USING (run, case_id, period)
  WHERE run = 2 AND a.indicator = 'work_share' AND b.indicator = 'work_ratio'
  AND a.value IS b.value AND a.status = b.status AND a.fewest_persons IS b.fewest_persons")" \
  "18" "work_share = ratio plugin in every case and year"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 2 AND indicator = 'work_share'
  AND status = 'no_data' AND period = '2016'")" "6" "no data in 2016: no value"
# an indicator read before it comes in the config: evaluated first
expect_eq "$(sql "$db" "SELECT count(*) FROM results a JOIN results b USING (run, case_id, period)
  WHERE run = 2 AND a.indicator = 'double_share' AND b.indicator = 'work_share'
  AND (a.value = 2 * b.value OR (a.value IS NULL AND b.value IS NULL AND a.status = 'no_data'))")" \
  "18" "I{work_share} x 2"
expect_eq "$(sql "$db" "SELECT count(*) FROM results a JOIN results b USING (run, case_id, period)
  WHERE run = 2 AND a.indicator = 'double_share' AND b.indicator = 'work_share'
  AND a.fewest_persons IS b.fewest_persons AND a.coverage IS b.coverage")" \
  "18" "I{} carries its counts of persons and its coverage"

# exact values against SQL on the same observations
mismatch=$(sql "$db" "
  WITH y(period) AS (VALUES ('2017'), ('2018')),
  e AS (SELECT c.id AS case_id, y.period,
    (SELECT sum(value) * 260 FROM observations o WHERE o.case_id = c.id
       AND o.metric = 'volunteer_hours' AND substr(o.period, 1, 4) = y.period) AS vv,
    (SELECT count(*) + 0 FROM observations o WHERE o.case_id = c.id
       AND o.metric = 'wellbeing' AND substr(o.period, 1, 4) = y.period) AS ans,
    (SELECT sum(value) / (CASE WHEN y.period = '2016' THEN 366 ELSE 365 END) * 365
       FROM observations o WHERE o.case_id = c.id AND o.metric = 'in_work'
       AND substr(o.period, 1, 4) = y.period) AS py,
    (SELECT (sum(value) - min(value)) * 0.5 FROM observations o WHERE o.case_id = c.id
       AND o.metric = 'social_assistance' AND substr(o.period, 1, 4) = y.period) AS hv
    FROM cases c CROSS JOIN y)
  SELECT count(*) FROM e
   JOIN results v ON v.run = 2 AND v.indicator = 'volunteer_value' AND v.case_id = e.case_id AND v.period = e.period
   JOIN results a ON a.run = 2 AND a.indicator = 'answers' AND a.case_id = e.case_id AND a.period = e.period
   JOIN results p ON p.run = 2 AND p.indicator = 'per_year' AND p.case_id = e.case_id AND p.period = e.period
   JOIN results h ON h.run = 2 AND h.indicator = 'halved' AND h.case_id = e.case_id AND h.period = e.period
  WHERE abs(v.value - e.vv) > 1e-9 * e.vv OR a.value != e.ans OR abs(p.value - e.py) > 1e-9 * e.py
     OR abs(h.value - e.hv) > 1e-9 * abs(e.hv) + 1e-9")
expect_eq "$mismatch" "0" "formula values equal SQL's"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 2 AND indicator = 'volunteer_value'
  AND period IN ('2017', '2018') AND status = 'ok'")" "12" "every case has volunteer hours"

# explain: each operand replaced by its number, then where each came from
run explain --lang en -c demo/f.cfg double_share no-drammen-jobbkafe 2017
expect_rc 0 "explain a formula"
expect_eq "$(printf '%s\n' "$out" | sed -n '2p;7,11p')" "double_share for case no-drammen-jobbkafe in 2017: 21.21212121 %
  missing values: skip_if_any_missing
  formula: I{work_share} * 2
         = 10.60606061 * 2
         = 21.21212121
  I{work_share} = 10.60606061: indicator work_share of this run, for this case and period" \
  "explain of I{}"
run explain --lang en -c demo/f.cfg volunteer_value no-drammen-jobbkafe 2017
expect_eq "$(printf '%s\n' "$out" | sed -n '8,$p')" "  formula: #{volunteer_hours} * C{wage}
         = 1203 * 260
         = 312780
  #{volunteer_hours} = 1203: the sum of the case's observations of 'volunteer_hours' in 2017
  observations of 'volunteer_hours' in 2017 (1 January 2017 to 31 December 2017): 4, sum 1,203
    2017-Q1     278 hours  source frivilligsentral
    2017-Q2     322 hours  source frivilligsentral
    2017-Q3     270 hours  source frivilligsentral
    2017-Q4     333 hours  source frivilligsentral
  C{wage} = 260: a constant of the config (constants = { ... })" "explain traces operands to observations"
run explain --lang en -c demo/f.cfg work_share no-drammen-jobbkafe 2017
expect_contains "$out" "  denominator: #{participants}
             = 66
  #{participants} = 66: " "explain of a denominator: its number once"
expect_contains "$out" "  value = numerator / denominator x 100 = 10.60606061" "the value"
# a value made from a small count of persons shows none of its operands
run explain --lang en -c demo/f.cfg work_share no-kristiansand-seniorsenter 2017
expect_contains "$out" "in 2017: hidden (a small count of persons" "small value hidden"
case "$out" in *"#{in_work} ="*) fail "a small value's operands are hidden" ;; esac
run explain --lang en -c demo/f.cfg work_share no-kristiansand-seniorsenter 2017 --no-suppress
expect_contains "$out" "  numerator: #{in_work}
           = 3" "--no-suppress shows them"

# individual-level data: the distinct subjects answering, a count of persons
expect_eq "$(sql "$db" "SELECT count(*) FROM results r WHERE run = 2 AND indicator = 'people'
  AND value = (SELECT count(DISTINCT subject) FROM observations o WHERE o.case_id = r.case_id
  AND o.metric = 'wellbeing' AND substr(o.period, 1, 4) = r.period)
  AND fewest_persons = value")" "12" "#{wellbeing.subjects}"
expect_eq "$(sql "$db" "SELECT group_concat(DISTINCT status || ' ' || value) FROM results
  WHERE run = 2 AND indicator = 'people' AND period = '2016'")" "ok 0.0" "no one answered: 0"
run explain --lang en -c demo/f.cfg people no-drammen-jobbkafe 2017
expect_contains "$out" "  #{wellbeing.subjects} = 9: the number of persons (distinct subjects) in the case's observations of 'wellbeing' in 2017" "explain of .subjects"

# missing values: never_skip keeps the null for isNull; skip if all missing
expect_eq "$(sql "$db" "SELECT group_concat(DISTINCT value) FROM results WHERE run = 2
  AND indicator = 'hours_or_none' AND period = '2016'")" "-1.0" "isNull under never_skip"
expect_eq "$(sql "$db" "SELECT group_concat(DISTINCT status) FROM results WHERE run = 2
  AND indicator = 'hours_all' AND period = '2016'")" "no_data" "skip if all missing"

# provenance: the kind, where it is written, the engine's version, a hash
expect_eq "$(sql "$db" "SELECT module, module_kind, module_path, isolated FROM run_indicators
  WHERE run = 2 AND indicator = 'volunteer_value'")" "formula|formula|demo/f.cfg:10|0" "provenance"
expect_eq "$(sql "$db" "SELECT json_extract(params, '$.formula') || ' ' ||
  json_extract(params, '$.C{wage}') FROM run_indicators WHERE run = 2 AND indicator = 'volunteer_value'")" \
  "#{volunteer_hours} * C{wage} 260" "the formula and its constants are stored"
expect_eq "$(sql "$db" "SELECT length(module_hash) FROM run_indicators WHERE run = 2
  AND indicator = 'volunteer_value'")" "64" "a SHA-256"
hash1=$(sql "$db" "SELECT module_hash FROM run_indicators WHERE run = 2 AND indicator = 'volunteer_value'")
sed -i 's/wage = 260;/wage = 300;/' demo/f.cfg
run run -c demo/f.cfg
expect_rc 0 "run with another constant"
hash2=$(sql "$db" "SELECT module_hash FROM run_indicators WHERE run = 3 AND indicator = 'volunteer_value'")
[ "$hash1" != "$hash2" ] || fail "a constant's value is part of the formula's hash"
expect_eq "$(sql "$db" "SELECT count(DISTINCT module_hash) FROM run_indicators WHERE run IN (2, 3)
  AND indicator = 'answers'")" "1" "another formula's hash is unchanged"

# what check reports: each problem at file:line:column with a caret
cat > demo/bad.cfg <<'EOF'
database = "demo.db";
periods = ["2017"];
constants = { wage = 260; };
indicators = (
  { id = "syntax"; formula = "#{in_work} - * 1.25"; },
  { id = "metric"; formula = "#{in_wrok} + 1"; },
  { id = "const"; formula = "#{in_work} * C{wag}"; },
  { id = "a"; formula = "I{b} + 1"; },
  { id = "b"; formula = "1 + I{a} * 2"; },
  { id = "ind"; formula = "I{nope}"; },
  { id = "both"; formula = "1"; numerator = "#{in_work}"; denominator = "#{participants}"; },
  { id = "two"; formula = "C{nope} + I{gone}"; }
);
EOF
before=$(db_digest "$db")
run check -c demo/bad.cfg
expect_rc 2 "check with bad formulas"
expect_eq "$err" "demo/bad.cfg:5:14: indicator 'syntax': formula: expected a number, an operand or '(' here
    #{in_work} - * 1.25
                 ^
demo/bad.cfg:7:14: indicator 'const': formula: unknown constant 'wag' (did you mean 'wage'?)
    #{in_work} * C{wag}
                 ^
demo/bad.cfg:10:1: indicator 'ind': formula: unknown indicator 'nope'
    I{nope}
    ^
demo/bad.cfg:11: indicator 'both': give a formula, or a numerator and a denominator, not both
demo/bad.cfg:12:1: indicator 'two': formula: unknown constant 'nope'
    C{nope} + I{gone}
    ^
demo/bad.cfg:12:11: indicator 'two': formula: unknown indicator 'gone'
    C{nope} + I{gone}
              ^
demo/bad.cfg:9:5: indicator 'b': I{a} makes a cycle: a -> b -> a
demo/bad.cfg:6:1: indicator 'metric': formula: unknown metric 'in_wrok' (did you mean 'in_work'?)
    #{in_wrok} + 1
    ^" "check's messages"
expect_eq "$(db_digest "$db")" "$before" "check changes nothing"

# a run stores what it can: the broken formulas' values are errors
run run -c demo/bad.cfg
expect_rc 1 "run with bad formulas"
expect_eq "$(sql "$db" "SELECT indicator || ': ' || error FROM results WHERE run = 4
  AND case_id = 'no-drammen-jobbkafe' ORDER BY indicator")" \
"a: cycle: a -> b -> a
b: cycle: a -> b -> a
both: demo/bad.cfg:11: indicator 'both': give a formula, or a numerator and a denominator, not both
const: demo/bad.cfg:7:14: indicator 'const': formula: unknown constant 'wag' (did you mean 'wage'?)
ind: demo/bad.cfg:10:1: indicator 'ind': formula: unknown indicator 'nope'
metric: #{in_wrok}: unknown metric 'in_wrok': no observation has it
syntax: demo/bad.cfg:5:14: indicator 'syntax': formula: expected a number, an operand or '(' here
two: demo/bad.cfg:12:1: indicator 'two': formula: unknown constant 'nope'" \
  "errors stored per value"

# division by zero, text and settings that do not fit
cat > demo/odd.cfg <<'EOF'
database = "demo.db";
periods = ["2017"];
indicators = (
  { id = "zero"; formula = "#{in_work} / 0"; },
  { id = "text"; formula = "if(#{in_work} > 1, 'many', 'few')"; },
  { id = "zero_ratio"; numerator = "#{in_work}"; denominator = "#{in_work} * 0"; }
);
EOF
run run -c demo/odd.cfg
expect_rc 1 "odd formulas"
expect_eq "$(sql "$db" "SELECT indicator || ' ' || status || ' ' || coalesce(error, '') FROM results
  WHERE run = 5 AND case_id = 'no-drammen-jobbkafe' ORDER BY indicator")" \
"text error the formula gives text ('many'), not a number
zero error the formula gives an infinity (a division by zero, the log of 0, or a number too large)
zero_ratio no_data " "division by zero and text"
cat > demo/mixed.cfg <<'EOF'
database = "demo.db";
periods = ["2017"];
indicators = (
  { id = "m"; module = "sum"; factor = 2; params = { metric = "in_work"; }; },
  { id = "n"; module = "sum"; formula = "1"; },
  { id = "o"; formula = "1"; isolate = true; }
);
EOF
run check -c demo/mixed.cfg
expect_rc 2 "formula settings on a module"
expect_eq "$err" "demo/mixed.cfg:4: 'factor' goes with a formula, not with a module
demo/mixed.cfg:5: indicator has both 'module' and 'formula'; give one
demo/mixed.cfg:6: indicator 'o': a formula takes no isolate: it runs in gevinst's own process" \
  "settings that do not fit"
# settings a formula would silently do nothing with
cat > demo/unused.cfg <<'EOF'
database = "demo.db";
periods = ["2017"];
indicators = (
  { id = "p"; formula = "2"; params = { formula = "1"; }; },
  { id = "l"; formula = "2"; isolate = false; limits = { time_ms = 100; }; }
);
EOF
run check -c demo/unused.cfg
expect_rc 2 "params, limits and isolate refused with a formula"
expect_eq "$err" "demo/unused.cfg:4: indicator 'p': a formula takes no params: its numbers are written in it, or in constants
demo/unused.cfg:5: indicator 'l': a formula takes no limits: it runs in gevinst's own process
demo/unused.cfg:5: indicator 'l': a formula takes no isolate: it runs in gevinst's own process" "each said"
printf 'database = "demo.db";\nperiods = ["2017"];\nindicators = ( { id = "f"; formula = "3"; factor = 100; } );\n' > demo/factor.cfg
run check -c demo/factor.cfg
expect_rc 2 "factor with a formula"
expect_eq "$err" "demo/factor.cfg:3: indicator 'f': 'factor' and 'annualise' go with numerator and denominator; a formula writes its own arithmetic" "said"

# a formula over several lines: the line and column where the fault is
printf 'database = "demo.db";\nperiods = ["2017"];\nindicators = ( { id = "ml"; formula = "#{participants}\n  + #{in_work} *\n  * 2"; } );\n' > demo/ml.cfg
run check -c demo/ml.cfg
expect_rc 2 "a fault on a formula's third line"
expect_eq "$err" "demo/ml.cfg:5:3: indicator 'ml': formula: expected a number, an operand or '(' here
      * 2
      ^" "its own line, its column in it, the caret under it"
finish
