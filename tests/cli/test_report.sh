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
    "run,case,gain,period,indicator,type,beneficiary,owner,baseline,baseline_period,target,target_period,actual,realisation_pct,expected_pct,expected_value,deviation,status,error" \
    "gains header"
expect_eq "$(printf '%s\n' "$out" | sed 1d | wc -l)" "$(sql "$db" 'SELECT count(*) FROM gain_results WHERE run = 1')" "a row per gain and period"
printf '%s\n' "$out" > gains.csv
# read back, the numbers are the database's, bit for bit
expect_eq "$(sqlite3 :memory: ".import --csv gains.csv g" "SELECT count(*) FROM g WHERE realisation_pct <> ''")" \
    "$(sql "$db" 'SELECT count(*) FROM gain_results WHERE run = 1 AND realisation_pct IS NOT NULL')" "realisation read back"
expect_eq "$(sqlite3 :memory: ".import --csv gains.csv g" "SELECT sum(CAST(realisation_pct AS REAL)) FROM g")" \
    "$(sql "$db" 'SELECT sum(realisation_pct) FROM gain_results WHERE run = 1')" "the same numbers"

run report -c demo/demo.cfg --format csv --table value
expect_rc 0 "value table"
expect_eq "$(printf '%s\n' "$out" | head -1)" \
    "run,case,municipality,country,currency,price_year,discount_rate,investment,impact_year1,present_value,npv,sroi,sroi_rounded,sroi_net,payback_months,sroi_pessimistic,sroi_likely,sroi_optimistic,error" \
    "value header"
expect_contains "$out" "1,dk-kobenhavn-socialokonomi,101,DK,NOK,2019,0.035," "value row"

run report -c demo/demo.cfg --format csv
expect_eq "$(printf '%s\n' "$out" | head -1)" "run,indicator,case,period,value,unit,status,error,module,module_version" "results by default"

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
finish
