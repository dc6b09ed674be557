# test_workbook.sh -- importing sheets of an Excel workbook (.xlsx) as
# Excel itself wrote them (made here with python3-openpyxl): cells read by
# their types (a date as a date, a number as a number), the sheet named for
# the kind in any language or by --sheet, rows numbered as Excel numbers
# them, and every refusal at the cell, with the database as it was.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c "import openpyxl" 2>/dev/null || { echo "FAIL: no openpyxl: run tools/install-deps --test" >&2; exit 1; }

$PY - <<'EOF'
import datetime, openpyxl
wb = openpyxl.Workbook()
ws = wb.active; ws.title = "Kommuner"
ws.append(["code", "name", "country"]); ws.append(["3005", "Drammen", "NO"])
ws = wb.create_sheet("saker")
ws.append(["id", "municipality", "title", "start", "end"])
ws.append(["drm-jobb", "3005", "Jobbkafé på Strømsø", datetime.date(2022, 1, 1), datetime.datetime(2024, 6, 30)])
ws["D2"].number_format = "dd.mm.yyyy"   # as a Norwegian Excel shows it
ws = wb.create_sheet("Observasjoner")
ws.append(["case", "metric", "period", "value", "unit"])
ws.append(["drm-jobb", "participants", "2022-Q1", 12, "persons"])
ws.append(["drm-jobb", "participants", "2022-Q2", 15.25, "persons"])
ws.append([])                              # a blank row: still counted
ws.append(["drm-jobb", "participants", 2023, 1438547, "persons"])
ws.append(["drm-jobb", "hours", "2023", 0.1, None, None])   # empty cells at the end
wb.save("book.xlsx")

wb = openpyxl.Workbook()
ws = wb.active; ws.title = "Ark1"
ws.append(["case", "metric", "period", "value"])
ws.append(["drm-jobb", "participants", "2024-Q1", 3])
ws.append(["drm-jobb", "participants", "2024-Q2", "tolv"])
wb.create_sheet("Ark2")
wb.save("bad.xlsx")
EOF

"$GEVINST" init w.db >/dev/null
run import w.db municipalities book.xlsx
expect_rc 0 "the sheet named Kommuner is the municipalities"
run import w.db cases book.xlsx
expect_rc 0 "cases from the sheet 'saker'"
expect_eq "$(sql w.db "SELECT start_date, end_date, title FROM cases")" "2022-01-01|2024-06-30|Jobbkafé på Strømsø" "dates read as dates, whatever their format"
run import w.db observations book.xlsx
expect_rc 0 "observations"
expect_contains "$out" "4 rows imported into observations" "four rows"
expect_eq "$(sql w.db "SELECT period || '=' || value || '@' || import_row FROM observations ORDER BY import_row" | paste -sd' ')" \
    "2022-Q1=12.0@2 2022-Q2=15.25@3 2023=1438547.0@5 2023=0.1@6" "numbers as numbers, rows as Excel numbers them"
expect_eq "$(sql w.db "SELECT source || ' ' || kind FROM imports ORDER BY id" | paste -sd,)" \
    "book.xlsx:Kommuner municipalities,book.xlsx:saker cases,book.xlsx:Observasjoner observations" "each sheet is a source of its own"

# the same workbook again: nothing to do; sheets of one file are not one content
run import w.db observations book.xlsx
expect_rc 0 "again"
expect_contains "$out" "unchanged" "the same sheet again changes nothing"

# refusals: at the cell, and nothing stored
before=$(db_digest w.db)
run import w.db observations bad.xlsx
expect_rc 3 "no sheet for the kind"
expect_eq "$err" "gevinst: bad.xlsx: which sheet? none is named 'observations'; name one with --sheet (the sheets: 'Ark1', 'Ark2')" "which sheet, asked"
run import w.db observations bad.xlsx --sheet ark1
expect_rc 3 "a word where a number belongs"
expect_eq "$err" "gevinst: bad.xlsx[Ark1]:3:4: value 'tolv' is not a number (cell D3)" "the row, column and cell"
run import w.db observations bad.xlsx --sheet Ark9
expect_rc 3 "no such sheet"
expect_contains "$err" "no sheet 'Ark9' (the sheets: 'Ark1', 'Ark2')" "the sheets listed"
printf 'PK\003\004not really a zip' > broken.xlsx
run import w.db observations broken.xlsx
expect_rc 3 "a broken workbook"
expect_contains "$err" "broken.xlsx: not a workbook that can be read" "said so"
run import w.db observations bad.xlsx --sheet
expect_rc 2 "--sheet needs a name"
printf 'case,metric,period,value\n' > plain.csv
run import w.db observations plain.csv --sheet Ark1
expect_rc 2 "--sheet on a CSV file"
expect_contains "$err" "--sheet is for a workbook" "said so"
expect_eq "$(db_digest w.db)" "$before" "the database as it was"
# a sheet no Excel wrote: refused at once, never looped over or held
$PY - <<'EOF'
import zipfile
def book(name, sheet):
    with zipfile.ZipFile(name, "w") as z:
        z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="observations" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet><sheetData>' + sheet + '</sheetData></worksheet>')
head = '<row r="1">' + "".join('<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (c, h) for c, h in zip("ABCD", ["case", "metric", "period", "value"])) + '</row>'
book("rowbomb.xlsx", head + '<row r="9000000000000000000"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>')
book("colbomb.xlsx", head + '<row r="2"><c r="ZZZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>')
book("bigcell.xlsx", head + '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 2000000 + '</t></is></c></row>')
EOF
for f in rowbomb:"a row numbered '9000000000000000000' (after row 1): not a sheet Excel wrote" \
         colbomb:"a cell 'ZZZZZZZZ2' in row 2: not a sheet Excel wrote" \
         bigcell:"a cell longer than Excel writes (1048576 bytes)"; do
    run import w.db observations "${f%%:*}.xlsx"
    expect_rc 3 "${f%%:*}: bad data"
    expect_eq "$err" "gevinst: ${f%%:*}.xlsx: ${f#*:}" "${f%%:*}: said at once"
done
expect_eq "$(db_digest w.db)" "$before" "the database as it was"

# a number typed as text the Nordic way (12,5) reads as a number cell does
$PY - <<'EOF'
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active; ws.title = "observasjoner"
ws.append(["sak", "nøkkeltall", "periode", "verdi"])
ws.append(["drm-jobb", "hours", "2025-Q1", "12,5"])
ws.append(["drm-jobb", "hours", "2025-Q2", "1 438,25"])
wb.save("comma.xlsx")
EOF
run import w.db observations comma.xlsx
expect_rc 0 "a decimal comma in a text cell"
expect_eq "$(sql w.db "SELECT group_concat(value, ' ') FROM (SELECT value FROM observations WHERE import_source = 'comma.xlsx:observasjoner' ORDER BY import_row)")" \
    "12.5 1438.25" "read as 12.5 and 1438.25"
finish
