# test_gains.sh -- a realisation plan imported and run through the command:
# every figure of the JSON document checked against arithmetic done by hand
# (to 1e-9, relative), bad plans refused, and gains written in the config.
. "$(dirname "$0")/lib.sh"

run init g.db
cat > m.csv <<'CSV'
code,name,country
0301,Oslo,NO
0101,Halden,NO
CSV
cat > c.csv <<'CSV'
id,municipality,title
a,0301,Jobbkafé
b,0101,Nabohjelp
CSV
cat > p.csv <<'CSV'
case,name,type
a,Oslo kommune,municipality
a,Kafé AS,social_enterprise
a,Lag,civil_society
b,Halden kommune,municipality
CSV
cat > o.csv <<'CSV'
case,metric,period,value
a,jobs,2017,2
a,jobs,2018,5
a,jobs,2019,9
a,cost,2017,1000
a,cost,2018,900
a,cost,2019,700
a,helpers,2017,4
b,jobs,2017,1
b,jobs,2019,3
CSV
cat > i.csv <<'CSV'
case,partner,period,kind,amount,currency
a,Oslo kommune,2017,cash,1000,NOK
b,Halden kommune,2019,cash,100,NOK
CSV
cat > gains.csv <<'CSV'
case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period,target_low,target_high,quantity_basis,proxy_value,currency,price_year,deadweight,attribution,displacement,drop_off,duration_years
a,jobs,jobs,economic,state,2,2017,10,2019,6,12,actual,100,NOK,2019,0.2,0.1,0,0.5,2
a,cost,cost,economic,municipality,1000,2017,600,2019,,,change,1,NOK,2018,0,0,0,0,1
a,helpers,helpers,quality,civil_society,4,2017,8,2019,,,actual,,,,,,,,
CSV
cat > shares.csv <<'CSV'
case,gain,partner,share
a,jobs,Oslo kommune,0.5
a,jobs,Kafé AS,0.25
CSV
for k in "municipalities m" "cases c" "partners p" "observations o" "inputs i" "gains gains" "gain_shares shares"; do
    set -- $k
    run import g.db "$1" "$2.csv"
    expect_rc 0 "import $1"
done

cat > g.cfg <<'CFG'
database = "g.db";
periods = ["2017", "2018", "2019"];
indicators = (
  { id = "jobs";    module = "sum"; params = { metric = "jobs"; }; },
  { id = "cost";    module = "sum"; params = { metric = "cost"; }; },
  { id = "helpers"; module = "sum"; params = { metric = "helpers"; }; }
);
money = {
  currency = "NOK"; price_year = 2019;
  cpi = { NOK = { from = 2017; index = [100.0, 102.0, 105.0]; }; };
};
gains = (
  { case = "b"; gain = "jobs"; indicator = "jobs"; type = "economic"; beneficiary = "state";
    baseline = 1; baseline_period = "2017"; target = 4; target_period = "2019";
    proxy_value = 100; currency = "NOK"; price_year = 2019; duration_years = 1; }
);
CFG
run run -c g.cfg --format json
expect_rc 0 "run with a plan"
printf '%s\n' "$out" > run.json
expect_eq "$(sqlite3 :memory: "SELECT json_valid(readfile('run.json'))")" "1" "valid JSON"

# json PATH EXPECTED: the number at PATH equals EXPECTED to 1e-9, relative
json() {
    checks=$((checks + 1))
    got=$(sqlite3 :memory: "SELECT json_extract(readfile('run.json'), '$1')")
    ok=$(sqlite3 :memory: "SELECT abs(($got) - ($2)) <= 1e-9 * max(1, abs($2))" 2>/dev/null)
    [ "$ok" = "1" ] || fail "$1: got [$got], expected [$2]"
}
jtext() { expect_eq "$(sqlite3 :memory: "SELECT json_extract(readfile('run.json'), '$1')")" "$2" "$1"; }

gain() { # gain CASE GAIN PERIOD FIELD: path of a field of one gain and period
    i=$(sqlite3 :memory: "SELECT key FROM json_each(readfile('run.json'), '$.gains') WHERE json_extract(value, '$.case') = '$1' AND json_extract(value, '$.gain') = '$2' AND json_extract(value, '$.period') = '$3'")
    echo "\$.gains[$i].$4"
}
# jobs: baseline 2, target 10 by 2019; 2018 is half way in time
json "$(gain a jobs 2018 actual)" 5
json "$(gain a jobs 2018 realisation_pct)" 37.5           # (5 - 2) / (10 - 2)
json "$(gain a jobs 2018 expected_pct)" 50                # 365 of 730 days
json "$(gain a jobs 2018 expected_value)" 6               # 2 + 0.5 x 8
json "$(gain a jobs 2018 deviation)" -1
jtext "$(gain a jobs 2018 status)" behind
jtext "$(gain a jobs 2017 status)" on_track
json "$(gain a jobs 2019 realisation_pct)" 87.5           # (9 - 2) / 8
jtext "$(gain a jobs 2019 status)" missed
jtext "$(gain a jobs 2019 type)" economic
jtext "$(gain a jobs 2019 beneficiary)" state
# cost falls from 1000 towards 600: a reduction
json "$(gain a cost 2018 realisation_pct)" 25             # (900 - 1000) / (600 - 1000)
json "$(gain a cost 2019 realisation_pct)" 75
jtext "$(gain a helpers 2018 status)" no_data
jtext "$(gain b jobs 2019 status)" missed                 # from the config: (3 - 1) / 3
json "$(gain b jobs 2019 realisation_pct)" "200.0 / 3"

# value of case a, in NOK at 2019 prices, discounted at Norway's 4 %:
#   jobs: 9 x 100 x 0.8 x 0.9 = 648 in year 1, 324 in year 2
#   cost: (700 - 1000) x -1 = 300 NOK saved at 2018 prices = 300 x 105 / 102
#   investment: 1000 NOK at 2017 prices = 1050
c='$.value.cases[0]'
jtext "$c.case" a
json "$c.discount_rate" 0.04
json "$c.investment" 1050
json "$c.impact_year1" "648 + 300 * 105.0 / 102"
pv="648 / 1.04 + 324 / (1.04 * 1.04) + 300 * 105.0 / 102 / 1.04"
json "$c.present_value" "$pv"
json "$c.npv" "$pv - 1050"
json "$c.sroi" "($pv) / 1050"
jtext "$c.sroi_rounded" "1:1"
json "$c.sroi_net" "($pv - 1050) / 1050"
json "$c.payback_months" "1050 / ((648 + 300 * 105.0 / 102) / 12)"
json "$c.by_beneficiary.state" "648 / 1.04 + 324 / (1.04 * 1.04)"
json "$c.by_beneficiary.municipality" "300 * 105.0 / 102 / 1.04"
json "$c.by_partner_type.municipality" "0.5 * (648 / 1.04 + 324 / (1.04 * 1.04))"
json "$c.by_partner_type.social_enterprise" "0.25 * (648 / 1.04 + 324 / (1.04 * 1.04))"
json "$c.by_partner_type.unclaimed" "0.25 * (648 / 1.04 + 324 / (1.04 * 1.04)) + 300 * 105.0 / 102 / 1.04"
# scenarios value the targets: jobs 6 / 10 / 12, cost 400 saved in each
lo="(6 * 72 / 1.04 + 3 * 72 / (1.04 * 1.04) + 400 * 105.0 / 102 / 1.04) / 1050"
json "$c.scenarios.pessimistic" "$lo"
json "$c.scenarios.likely" "(10 * 72 / 1.04 + 5 * 72 / (1.04 * 1.04) + 400 * 105.0 / 102 / 1.04) / 1050"
json "$c.sensitivity[5].break_even" "1050 / ($pv)"        # in a fixed order: proxy is 6th
jtext "$c.sensitivity[5].assumption" proxy
json '$.value.conversions[0].factor' "105.0 / 100"
json '$.value.conversions[1].factor' "105.0 / 102"
# case b: 3 x 100 in one year, 100 invested at 2019 prices
json '$.value.cases[1].sroi' "300 / 1.04 / 100"
jtext '$.value.cases[1].sroi_rounded' "3:1"
json '$.value.countries[0].present_value' "$pv + 300 / 1.04"
json '$.value.countries[0].sroi' "($pv + 300 / 1.04) / 1150"
jtext '$.value.municipalities[0].municipality' "0101"

# the stored run says the same
run report -c g.cfg --format json
expect_eq "$(printf '%s\n' "$out" | sed 1d)" "$(sed 1d run.json)" "report prints the stored run"

# bad plans: refused whole, with the place to fix
before=$(db_digest g.db)
reject() { # reject KIND CSV MESSAGE
    printf '%s' "$2" > bad.csv
    run import g.db "$1" bad.csv
    expect_rc 3 "import $1 [$2]"
    expect_eq "$err" "gevinst: bad.csv:$3" "message for [$2]"
    expect_eq "$(db_digest g.db)" "$before" "database unchanged by [$2]"
}
reject gains 'case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period,deadweight
a,x,jobs,economic,state,1,2017,2,2019,1.2
' "2:10: deadweight '1.2' must be a fraction from 0 to 1 (20 % is 0.2)"
reject gains 'case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period,proxy_value
a,x,jobs,economic,state,1,2017,2,2019,100
' "2: proxy_value needs currency and price_year beside it"
reject gains 'case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period
a,x,jobs,economic,state,5,2017,5,2019
' "2: target equals baseline: realisation cannot be measured"
reject gains 'case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period
a,x,jobs,economic,state,5,2017,6,2019
a,y,jobs,economic,state,5,2017,5,2019
' "3: target equals baseline: realisation cannot be measured"
reject gains 'case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period
a,x,jobs,economic,state,1,2019,2,2017
' "2:9: target_period '2017' is before baseline_period '2019'"
reject gains 'case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period
a,x,jobs,savings,state,1,2017,2,2019
' "2:4: type 'savings' is not one of: economic, time, quality, other_actors"
reject gain_shares 'case,gain,partner,share
a,jobs,Lag,0.5
' "2: shares of gain 'jobs' in case 'a' add up to 125 %; partners cannot claim more than all of it (double counting)"

# the same gain twice, and a config gain with a bad value
cat > dup.cfg <<'CFG'
database = "g.db";
periods = ["2019"];
indicators = ( { id = "jobs"; module = "sum"; params = { metric = "jobs"; }; } );
gains = (
  { case = "a"; gain = "jobs"; indicator = "jobs"; type = "economic"; beneficiary = "state";
    baseline = 2; baseline_period = "2017"; target = 10; target_period = "2019"; },
  { case = "a"; gain = "more"; indicator = "jobs"; type = "economic"; beneficiary = "state";
    baseline = "two"; baseline_period = "2017"; target = 10; target_period = "2019"; }
);
CFG
run check -c dup.cfg
expect_rc 2 "check finds a config gain's bad value"
expect_contains "$err" "dup.cfg:8: baseline 'two' is not a number" "check checks config gains"
run run -c dup.cfg
expect_rc 1 "problems in the plan"
expect_contains "$err" "dup.cfg:8: baseline 'two' is not a number" "config gain checked as a file is"
expect_contains "$err" "gain 'jobs' of case 'a' is both in the database and in the config; keep one" "a gain in both places"
expect_eq "$(sql g.db "SELECT count(*) FROM gain_results WHERE run = (SELECT max(id) FROM runs) AND gain = 'more'")" "0" "a refused config gain is not evaluated"

# check reports every problem of every config gain, each at its setting's line
cat > many.cfg <<'CFG'
database = "g.db";
periods = ["2019"];
indicators = ( { id = "jobs"; module = "sum"; params = { metric = "jobs"; }; } );
gains = (
  { case = "a"; gain = "g1"; indicator = "jobs"; type = "economic"; beneficiary = "state";
    baseline = 10; baseline_period = "2017";
    target = 10; target_period = "2019";
    deadweight = 2; },
  { case = "nowhere"; gain = "g2"; indicator = "jobs"; type = "economic";
    beneficiary = "citizenz";
    baseline = 1; baseline_period = "2017"; target = 5; target_period = "2019"; }
);
CFG
run check -c many.cfg
expect_rc 2 "check finds every problem"
expect_eq "$err" "many.cfg:8: deadweight '2' must be a fraction from 0 to 1 (20 % is 0.2)
many.cfg:5: target equals baseline: realisation cannot be measured
many.cfg:9: unknown case 'nowhere'
many.cfg:10: beneficiary 'citizenz' is not one of: municipality, county, state, citizens, civil_society, social_enterprise" "each problem at its line"
# a bad value is reported once, not also as a missing one
cat > bad_year.cfg <<'CFG'
database = "g.db";
periods = ["2019"];
indicators = ( { id = "jobs"; module = "sum"; params = { metric = "jobs"; }; } );
gains = (
  { case = "a"; gain = "g1"; indicator = "jobs"; type = "economic"; beneficiary = "state";
    baseline = 1; baseline_period = "2017"; target = 9; target_period = "2019";
    proxy_value = 100; currency = "NOK"; price_year = "twenty"; }
);
CFG
run check -c bad_year.cfg
expect_rc 2 "a bad price_year"
expect_eq "$err" "bad_year.cfg:7: price_year 'twenty' is not a number" "one message"
# like with like: a yearly baseline is not compared with a quarter's figure
cat > quarters.cfg <<'CFG'
database = "g.db";
periods = ["2018", "2018-Q1", "2018-Q2"];
indicators = ( { id = "jobs"; module = "sum"; params = { metric = "jobs"; }; } );
gains = (
  { case = "a"; gain = "yearly"; indicator = "jobs"; type = "economic"; beneficiary = "state";
    baseline = 1; baseline_period = "2017"; target = 9; target_period = "2019"; }
);
CFG
run run -c quarters.cfg --format csv
expect_rc 1 "quarters against a yearly baseline are refused"
expect_contains "$err" "gain 'yearly' of case 'a': its baseline 2017 is a year, so it is evaluated in periods of a year only; 2018-Q1 and any other period of another length are errors" "said once, naming the gain and both periods"
expect_eq "$(printf '%s\n' "$err" | grep -c "gain 'yearly'")" "1" "once"
run report -c quarters.cfg --format csv --table gains
expect_contains "$out" "2018-Q1,jobs,economic,state,,1,2017,9,2019,,,,,,error,period 2018-Q1 is a quarter and the baseline 2017 a year: a gain compares like with like" "the quarter's row"
year=$(sqlite3 g.db "SELECT status FROM gain_results WHERE run = (SELECT max(id) FROM runs) AND gain = 'yearly' AND period = '2018'")
checks=$((checks + 1))
case "$year" in achieved | on_track | behind | missed | no_data) ;; *) fail "the year is evaluated: status [$year]" ;; esac
expect_eq "$(printf '%s\n' "$out" | grep ',yearly,2018,' | cut -d, -f18)" "$year" "the year's row says so"
expect_eq "$(sqlite3 g.db "SELECT count(*) FROM gain_results WHERE run = (SELECT max(id) FROM runs) AND gain = 'yearly' AND status IN ('achieved', 'on_track', 'behind', 'missed') AND period LIKE '%Q%'")" "0" "no quarter is achieved, on track, behind or missed"
# a gain not measured yet is shown in every report as such, the HTML too
cat > nodata.cfg <<'CFG'
database = "g.db";
periods = ["2017", "2018", "2019"];
indicators = ( { id = "cost"; module = "sum"; params = { metric = "cost"; }; } );
gains = (
  { case = "b"; gain = "cheaper"; indicator = "cost"; type = "economic"; beneficiary = "state";
    baseline = 1000; baseline_period = "2017"; target = 600; target_period = "2019"; }
);
report = { lang = "en"; };
CFG
run run -c nodata.cfg -q
expect_eq "$(sqlite3 g.db "SELECT group_concat(status) FROM gain_results WHERE run = (SELECT max(id) FROM runs) AND gain = 'cheaper'")" \
    "no_data,no_data,no_data" "the gain is never measured"
run report -c nodata.cfg --format html --case b
expect_contains "$out" "<div class=\"gain\"><strong>cheaper</strong>" "the HTML shows it"
expect_contains "$(printf '%s\n' "$out" | grep -o '<div class="gain"><strong>cheaper.*' | head -1)" "no data" "as no data"
finish
