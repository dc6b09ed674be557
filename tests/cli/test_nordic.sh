# test_nordic.sh -- CSV as Nordic Excel writes it, imported as it is: a
# Windows-1252 file with ';' between fields (detected, converted, said so),
# dates as dd.mm.yyyy, numbers with thousands spaces, percentages, headings
# in any case and in bokmål, nynorsk or Danish, empty columns at the end
# and rows of only ';'.  Every refusal keeps its place and a hint that fits.
. "$(dirname "$0")/lib.sh"

"$GEVINST" init n.db >/dev/null
printf 'code,name,country\n3005,Drammen,NO\n' > m.csv
printf 'Id;Kommune;Tittel;Start;Slutt\ndrm-jobb;3005;Jobbkaf\351;01.01.2022;30.6.2024\n' > c.csv
run import n.db municipalities m.csv
run import n.db cases c.csv
expect_rc 0 "cases in Windows-1252 with dd.mm.yyyy dates"
expect_contains "$err" "c.csv is not UTF-8; it was read as Windows-1252" "the guess said"
expect_eq "$(sql n.db "SELECT title, start_date, end_date FROM cases")" "Jobbkafé|2022-01-01|2024-06-30" "converted, dates as ISO"

# observations: Norwegian headings in capitals, thousands spaces (plain,
# no-break and narrow no-break), a decimal comma, a percentage, ';;;' rows
# and empty columns at the end
printf 'SAK;N\330KKELTALL;Periode;Verdi;Enhet;;\r\n' > o.csv
printf 'drm-jobb;deltakere;2022-Q1;1 438 547;persons;;\r\n' >> o.csv
printf ';;;;;;\r\n' >> o.csv
printf 'drm-jobb;timer;2022-Q1;12\240345,5;timer;;\r\n' >> o.csv
printf 'drm-jobb;andel;2022;30 %%;%%;;\r\n' >> o.csv
run import n.db observations o.csv
expect_rc 0 "observations as Excel saved them"
expect_eq "$(sql n.db "SELECT metric || '=' || value || '@' || import_row FROM observations ORDER BY import_row" | paste -sd' ')" \
    "deltakere=1438547.0@2 timer=12345.5@4 andel=30.0@5" "numbers read as shown, rows numbered as shown"

# the same in UTF-8 with a narrow no-break space, and Danish headings
printf 'Sag;N\303\270gletal;Periode;V\303\246rdi\nDRM-JOBB;x;2023;2\342\200\257500\n' > da.csv
run import n.db observations da.csv
expect_rc 3 "a case id is as written"
expect_contains "$err" "da.csv:2:1: unknown case 'DRM-JOBB'" "ids keep their case"
sed -i 's/DRM-JOBB/drm-jobb/' da.csv
run import n.db observations da.csv
expect_rc 0 "Danish headings"
expect_eq "$(sql n.db "SELECT value FROM observations WHERE metric = 'x'")" "2500.0" "a narrow no-break space groups thousands"

# a percentage in a share is the share
printf 'case,name,type\ndrm-jobb,Frivilligsentralen,civil_society\n' > p.csv
run import n.db partners p.csv
printf 'sak;gevinst;indikator;type;mottaker;nullpunkt;nullpunktsperiode;m\303\245l;m\303\245lperiode;d\303\270dvekt\n' > g.csv
sed -i 's/d\xc3\xb8dvekt/deadweight/' g.csv
printf 'drm-jobb;i_arbeid;deltakere;economic;state;10;2021;20;2024;25 %%\n' >> g.csv
run import n.db gains g.csv
expect_rc 0 "gains with Norwegian headings"
expect_eq "$(sql n.db "SELECT baseline, target, deadweight FROM gains")" "10.0|20.0|0.25" "25 % deadweight is 0.25"

# a wide sheet: one column per metric, a unit in a heading's brackets
printf 'Sak;Periode;deltakere [persons];i_arbeid [persons];timer\n' > wide.csv
printf 'drm-jobb;2023-Q1;12;3;\ndrm-jobb;2023-Q2;15;;100,5\n' >> wide.csv
run import n.db observations wide.csv
expect_rc 0 "a wide sheet"
expect_contains "$err" "wide.csv has no metric and value columns: it was read as a wide sheet" "said so"
expect_contains "$out" "4 rows imported into observations" "one observation a filled cell"
expect_eq "$(sql n.db "SELECT metric || ' ' || period || ' ' || value || ' ' || coalesce(unit, '-') || ' @' || import_row FROM observations WHERE import_source = 'wide.csv' ORDER BY import_row, metric" | paste -sd,)" \
    "deltakere 2023-Q1 12.0 persons @2,i_arbeid 2023-Q1 3.0 persons @2,deltakere 2023-Q2 15.0 persons @3,timer 2023-Q2 100.5 - @3" "metric, period, value and unit of each"
printf 'Sak;Periode;"oppmote  ";"timer [t]"\ndrm-jobb;2025-Q1;4;5\n' > wide-spaces.csv
run import n.db observations wide-spaces.csv
expect_rc 0 "a wide heading with spaces after it"
expect_eq "$(sql n.db "SELECT metric || ':' || coalesce(unit, '-') FROM observations WHERE import_source = 'wide-spaces.csv' ORDER BY metric" | paste -sd' ')" "oppmote:- timer:t" "the metric without the spaces"
printf 'Sak;Periode;deltakere;timer\ndrm-jobb;2024-Q1;4;5;6\n' > wide-long.csv
run import n.db observations wide-long.csv
expect_rc 3 "a wide row longer than its header"
expect_eq "$err" "gevinst: wide-long.csv:2: 5 fields, but the header has 4" "said, its fields let go"
printf 'Sak;Periode;deltakere;timer\ndrm-jobb;2024-Q1;4;mange\n' > wide-bad.csv
run import n.db observations wide-bad.csv
expect_rc 3 "a wide sheet's bad cell"
expect_eq "$err" "gevinst: wide-bad.csv:2:4: value 'mange' is not a number" "at its own column"
# a column missing from a header in bokmål is named in bokmål too
printf 'Sak;Periode;Verdi\ndrm-jobb;2024;5\n' > spv.csv
run import n.db observations spv.csv
expect_rc 3 "no metric column"
expect_eq "$err" "gevinst: spv.csv:1: missing required column 'metric' ('nøkkeltall')" "the heading in the file's language"

# a unit at odds with the metric's elsewhere: said at that metric's column,
# not at the row's last cell
printf 'Sak;Periode;deltakere;i_arbeid [persons];timer\ndrm-jobb;2025-Q3;4;1;2\n' > wide-unit.csv
run import n.db observations wide-unit.csv
expect_rc 3 "a wide cell's unit at odds with its metric"
expect_contains "$err" "gevinst: wide-unit.csv:2:3: metric 'deltakere' is without a unit here but in persons in o.csv:2" "at the metric's own column"

# a unit of persons in any case and language is "persons": reports hide it when small
printf 'sak;nøkkeltall;periode;verdi;enhet\ndrm-jobb;frivillige;2023;3;Personer\ndrm-jobb;frivillige;2024;4;people\n' > units.csv
run import n.db observations units.csv
expect_rc 0 "units in words"
expect_eq "$(sql n.db "SELECT DISTINCT unit FROM observations WHERE metric = 'frivillige'")" "persons" "stored as persons"

# refusals, each at its place, with a hint for the file's dialect
before=$(db_digest n.db)
printf 'sak;nøkkeltall;periode;verdi\ndrm-jobb;y;2024;12 34\n' > bad1.csv
run import n.db observations bad1.csv
expect_rc 3 "a space that groups no thousands"
expect_eq "$err" "gevinst: bad1.csv:2:4: value '12 34' is not a number" "refused at the field"
printf 'sak;nøkkeltall;periode;verdi;;\ndrm-jobb;y;2024;1;;9\n' > bad2.csv
run import n.db observations bad2.csv
expect_rc 3 "a value under no heading"
expect_eq "$err" "gevinst: bad2.csv:2:6: a value in a column with no heading; give the column a heading, or leave it empty" "said where"
printf 'sak;nøkkeltall;periode;verdi;merknad\ndrm-jobb;y;2024;1;kaffe; kaker\n' > bad3.csv
run import n.db observations bad3.csv
expect_rc 3 "a ';' in an unquoted text"
expect_eq "$err" "gevinst: bad3.csv:2: 6 fields, but the header has 5 (a text that holds a ';'? write it in quotes)" "a hint for a ';' file"
printf 'sak;nøkkeltall;periode;verdi\ndrm-jobb;y;31.02.2024;1\n' > bad4.csv
run import n.db observations bad4.csv
expect_rc 3 "a day that never was"
expect_contains "$err" "bad4.csv:2:3: period '31.02.2024' is not a period" "refused as written"
printf 'case,metric,period,value,note\ndrm-jobb,a,2024,1,\303\270 and \370\n' > bad5.csv
run import n.db observations bad5.csv
expect_rc 3 "UTF-8 with a stray byte is broken UTF-8, not Windows-1252"
expect_contains "$err" "bad5.csv:2:5: field is not valid UTF-8" "at the field"
printf 'case,metric,period,value\ndrm-jobb,a,2024,\201\n' > bad6.csv
run import n.db observations bad6.csv
expect_rc 3 "a byte no Windows-1252 character has"
expect_contains "$err" "a byte that is neither UTF-8 nor Windows-1252" "said so"
printf 'case,start\n' > bad7.csv
printf 'Id;Kommune;Tittel;Start\ndrm-2;3005;T;2022\n' > bad7.csv
run import n.db cases bad7.csv
expect_rc 3 "a year is no date"
expect_contains "$err" "start '2022' is not a date (YYYY-MM-DD or DD.MM.YYYY)" "both forms named"
expect_eq "$(db_digest n.db)" "$before" "the database as it was"
finish
