# test_xlsx.sh -- the report as an Excel workbook, read back with a real
# reader (Debian's python3-openpyxl): its sheets, numbers stored as numbers
# with the formats that say what they are, the same figures as the tidy CSV,
# and hidden figures as a word.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c "import openpyxl" 2>/dev/null || { echo "FAIL: no openpyxl: run tools/install-deps --test" >&2; exit 1; }

run demo --dir demo -q
expect_rc 0 "demo"
run report -c demo/demo.cfg --format xlsx --lang nb -o r.xlsx
expect_rc 0 "workbook written"
expect_eq "$(head -c 2 r.xlsx)" "PK" "a zip container"

# read CELLS: what openpyxl sees, one line a cell asked for
read_book() {
    $PY - "$@" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
if sys.argv[2] == "sheets":
    print(",".join(wb.sheetnames))
elif sys.argv[2] == "layout":
    for ws in wb.worksheets[1:]:
        print(ws.title, ws.freeze_panes, ws.auto_filter.ref)
elif sys.argv[2] == "column":   # sheet, heading: every cell of that column as type:value:format
    ws = wb[sys.argv[3]]
    head = [c.value for c in ws[1]]
    k = head.index(sys.argv[4])
    for row in ws.iter_rows(min_row=2):
        c = row[k]
        print("%s|%r|%s" % (c.data_type, c.value, c.number_format))
elif sys.argv[2] == "cell":
    print(repr(wb[sys.argv[3]][sys.argv[4]].value))
EOF
}

expect_eq "$(read_book r.xlsx sheets)" "Oversikt,Indikatorer,Gevinster,Verdi,Omregninger,Opphav" "sheets in bokmål"
expect_eq "$(read_book r.xlsx layout | awk '$2 == "A2"' | wc -l)" "5" "every table's heading row stays in view"
rows=$(( $("$GEVINST" report -c demo/demo.cfg --format csv | wc -l) ))
expect_contains "$(read_book r.xlsx layout)" "Indikatorer A2 A1:L$rows" "a filter over the whole results table"

# the indicators: numbers, and the very figures of the tidy CSV
run report -c demo/demo.cfg --format csv
echo "$out" > results.csv
# (to 14 significant digits: the workbook stores 16, the CSV 17; Excel shows 15)
csv_values=$(sqlite3 :memory: ".import --csv results.csv t" "SELECT CASE WHEN suppressed != '' THEN 'skjult' WHEN value != '' THEN printf('%.14g', value) ELSE '' END FROM t" | paste -sd' ')
xlsx_values=$(read_book r.xlsx column Indikatorer Verdi | awk -F'|' '{ v = $2; if (v == "None") v = ""; gsub(/\x27/, "", v); if ($1 == "n") v = sprintf("%.14g", v); print v }' | paste -sd' ')
expect_eq "$xlsx_values" "$csv_values" "the same values as the CSV, hidden ones as a word"
expect_eq "$(read_book r.xlsx column Indikatorer Verdi | awk -F'|' '$1 == "n" && $2 != "None"' | cut -d'|' -f3 | sort -u | paste -sd' ')" "#,##0 #,##0.00" "whole counts without decimals, others with two"
hidden_csv=$(sqlite3 :memory: ".import --csv results.csv t" "SELECT count(*) FROM t WHERE suppressed != ''")
expect_eq "$([ "$hidden_csv" -gt 0 ] && echo some)" "some" "the demo hides some values"
expect_eq "$(read_book r.xlsx column Indikatorer Verdi | grep -c "^s|'skjult'|")" "$hidden_csv" "each hidden value says so"
expect_eq "$(read_book r.xlsx column Indikatorer Datadekning | grep -c '^n|1|0.0%$')" "$(sqlite3 :memory: ".import --csv results.csv t" "SELECT count(*) FROM t WHERE coverage = '1'")" "coverage as a percentage"

# the gains: realisation as a share formatted as a percentage
run report -c demo/demo.cfg --format csv --table gains
echo "$out" > gains.csv
first_pct=$(sqlite3 :memory: ".import --csv gains.csv g" "SELECT realisation_pct FROM g WHERE realisation_pct != '' AND realisation_pct + 0 > 1 LIMIT 1")
expect_contains "$(read_book r.xlsx column Gevinster Realisert)" "n|$(awk -v p="$first_pct" 'BEGIN { printf "%.17g", p / 100 }' | sed 's/0*$//')" "a realisation of ${first_pct} % is the share"
expect_contains "$(read_book r.xlsx column Gevinster Realisert | cut -d'|' -f3 | sort -u | paste -sd' ')" "0.0%" "in a percent format"

# money in its currency
expect_eq "$(read_book r.xlsx column Verdi Nåverdi | cut -d'|' -f1,3 | sort -u)" 'n|#,##0 "NOK"' "present values in NOK"
expect_eq "$(read_book r.xlsx column Verdi Prisår | cut -d'|' -f3 | sort -u)" "0" "a year without a thousands space"

# the summary: the run, its times as dates, the label and the rule
expect_eq "$(read_book r.xlsx cell Oversikt A1)" "'Gevinstrealiseringsrapport'" "title"
expect_contains "$(read_book r.xlsx cell Oversikt B5)" "datetime.datetime(" "the start as a date and time"
expect_contains "$(read_book r.xlsx cell Oversikt B3)" "Syntetiske demodata" "the label"
expect_contains "$(read_book r.xlsx cell Oversikt B12)" "Tall som teller færre enn 5 personer" "the privacy rule stated"
run report -c demo/demo.cfg --format xlsx --no-suppress -o open.xlsx
expect_rc 0 "a workbook with every figure"
expect_contains "$(read_book open.xlsx cell Oversikt B12)" "ikke for publisering" "says it is not for publication"

# English and Danish
run report -c demo/demo.cfg --format xlsx --lang en -o en.xlsx
expect_eq "$(read_book en.xlsx sheets)" "Summary,Indicators,Gains,Value,Conversions,Provenance" "sheets in English"
run report -c demo/demo.cfg --format xlsx --lang da -o da.xlsx
expect_eq "$(read_book da.xlsx sheets)" "Oversigt,Indikatorer,Gevinster,Værdi,Omregninger,Oprindelse" "sheets in Danish"

# a pipe is fine; a file appears whole or not at all
"$GEVINST" report -c demo/demo.cfg --format xlsx > piped.xlsx
expect_eq "$(read_book piped.xlsx sheets | cut -d, -f1)" "Oversikt" "a workbook down a pipe (the config's language)"
run report -c demo/demo.cfg --format xlsx --run 99 -o none.xlsx
expect_rc 2 "no such run"
expect_eq "$(ls none.xlsx* 2>/dev/null | wc -l)" "0" "no file left behind"
# --excel is CSV for Excel whatever --format says nothing of
run report -c demo/demo.cfg --excel
expect_rc 0 "--excel alone"
expect_eq "$(printf '%s' "$out" | head -c 3 | od -An -tx1 | tr -d ' ')" "efbbbf" "--excel implies CSV (with its BOM)"
finish
