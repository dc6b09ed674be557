# test_template.sh -- the import workbook an analyst fills in: its sheets
# and headings in her language, the notes and Excel's checks, read back by a
# real reader (python3-openpyxl), and every sheet importing as it is.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c "import openpyxl" 2>/dev/null || { echo "FAIL: no openpyxl: run tools/install-deps --test" >&2; exit 1; }

run template mal --lang nb
expect_rc 0 "a template in bokmål"
expect_eq "$out" "wrote mal/importmal.xlsx" "named in bokmål"

look() {
    $PY - "$@" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
what = sys.argv[2]
if what == "sheets":
    print(",".join(wb.sheetnames))
elif what == "headings":
    print(",".join(str(c.value) for c in wb[sys.argv[3]][1]))
elif what == "example":
    print("|".join("%s:%r" % (c.data_type, c.value) for c in wb[sys.argv[3]][2]))
elif what == "note":
    ws = wb[sys.argv[3]]
    print(ws[sys.argv[4]].comment.text)
elif what == "validations":
    ws = wb[sys.argv[3]]
    for v in ws.data_validations.dataValidation:
        print(v.type, v.sqref, v.formula1 or "", v.formula2 or "")
elif what == "format":
    print(wb[sys.argv[3]][sys.argv[4]].number_format)
elif what == "column-format":
    print(wb[sys.argv[3]].column_dimensions[sys.argv[4]].number_format)
EOF
}

expect_eq "$(look mal/importmal.xlsx sheets)" "Les meg,kommuner,saker,partnere,observasjoner,innsats,gevinster,gevinstandeler" "a sheet per kind"
expect_eq "$(look mal/importmal.xlsx headings observasjoner)" "sak,nøkkeltall,periode,verdi,enhet,person,kilde,merknad" "headings in bokmål"
expect_eq "$(look mal/importmal.xlsx example saker)" "s:'drm-jobbkafe'|s:'3005'|s:'Jobbkafé på Strømsø'|d:datetime.datetime(2022, 1, 1, 0, 0)|d:datetime.datetime(2024, 12, 31, 0, 0)|n:None" "the example: text, dates as dates"
expect_eq "$(look mal/importmal.xlsx format saker D2)" "dd.mm.yyyy" "dates shown day first"
expect_eq "$(look mal/importmal.xlsx column-format observasjoner C)" "@" "a period column keeps what is typed (2022-03 stays no date)"
expect_eq "$(look mal/importmal.xlsx note observasjoner C1)" "Må fylles ut. En periode, skrevet som tekst: 2022, 2022-Q1, 2022-03 eller 2022-03-15." "a note on the period"
expect_eq "$(look mal/importmal.xlsx note partnere C1)" "Må fylles ut. En av: municipality, civil_society, social_enterprise, citizens, business, research" "the choices named"
expect_contains "$(look mal/importmal.xlsx validations partnere)" 'list C2:C10001 "municipality,civil_society,social_enterprise,citizens,business,research"' "a list to choose from"
expect_contains "$(look mal/importmal.xlsx validations gevinster)" "decimal R2:R10001 0 1" "a share from 0 to 1"
expect_contains "$(look mal/importmal.xlsx validations observasjoner)" "textLength C2:C10001 4 10" "a period's length"

# every sheet imports as it is
"$GEVINST" init t.db >/dev/null
for kind in municipalities cases partners observations inputs gains gain_shares; do
    run import t.db "$kind" mal/importmal.xlsx
    expect_rc 0 "the template's $kind sheet imports"
done
expect_eq "$(sql t.db "SELECT start_date || ' ' || title FROM cases")" "2022-01-01 Jobbkafé på Strømsø" "the example case"
expect_eq "$(sql t.db "SELECT metric || ' ' || period || ' ' || value FROM observations")" "participants 2022-Q1 12.0" "the example observation"

# Danish, nynorsk and English the same way
for lang in da nn en; do
    run template "mal-$lang" --lang "$lang"
    expect_rc 0 "a template in $lang"
done
expect_eq "$(look mal-da/importskabelon.xlsx headings observationer)" "sag,nøgletal,periode,værdi,enhed,person,kilde,bemærkning" "headings in Danish"
expect_eq "$(look mal-nn/importmal.xlsx sheets)" "Les meg,kommunar,saker,partnarar,observasjonar,innsats,gevinstar,gevinstdelar" "sheets in nynorsk"
expect_eq "$(look mal-en/import-template.xlsx format cases D2)" "yyyy-mm-dd" "ISO dates in English"
"$GEVINST" init d.db >/dev/null
for kind in municipalities cases partners observations inputs gains gain_shares; do
    run import d.db "$kind" mal-da/importskabelon.xlsx
    expect_rc 0 "the Danish template's $kind sheet imports"
done

# never over a file; a language it does not know
run template mal --lang nb
expect_rc 2 "the template is there already"
expect_eq "$err" "gevinst: mal/importmal.xlsx exists already; it is left as it is" "left as it is"
run template mal --lang sv
expect_rc 2 "no Swedish"
expect_contains "$err" "unknown language 'sv' (nb, nn, da, en)" "the languages named"
finish
