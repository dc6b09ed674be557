# test_sources.sh -- an analyst's growing spreadsheet: each imported file is
# a source; importing it again replaces its rows and says what changed, the
# same content again changes nothing, and a value is never counted twice.
. "$(dirname "$0")/lib.sh"
demo="$GEVINST_SOURCE/config/demo"

"$GEVINST" demo --dir demo -q >/dev/null 2>&1 || fail "demo"
db=demo/demo.db
total() { sql "$db" "SELECT count(*) || ' ' || total(value) FROM observations WHERE metric = 'in_work'"; }
before=$(total)

# the same spreadsheet, one row longer
mkdir v2 && cp "$demo/observations.csv" v2/observations.csv
echo "no-drammen-jobbkafe,in_work,2020-Q1,3,persons,,NAV," >> v2/observations.csv
# a file of the same name from another folder replaces nothing unless told
run import "$db" observations v2/observations.csv
expect_rc 2 "another file of the same name"
expect_contains "$err" "v2/observations.csv: source 'observations.csv' was imported from $demo/observations.csv; give --source observations.csv to replace its rows" "says where the source came from"
run import "$db" observations v2/observations.csv --source ''
expect_rc 2 "an empty source name"
expect_contains "$err" "--source needs a name" "is refused"
run import "$db" observations v2/observations.csv --source observations.csv
expect_rc 0 "import the longer spreadsheet"
expect_eq "$out" "v2/observations.csv: 537 rows: 1 added, 0 changed, 0 removed, 536 unchanged (source observations.csv)" "what changed"
expect_eq "$(sql "$db" "SELECT count(*) FROM observations")" "537" "not doubled"
expect_eq "$(total)" "$(echo "$before" | awk '{ printf "%d %.1f", $1 + 1, $2 + 3 }')" "one more value of 3, nothing counted twice"
expect_eq "$(sql "$db" "SELECT count(*) FROM imports WHERE source = 'observations.csv' AND state = 'current'")" "1" "one current import of the source"

# a value corrected, and a row taken out
sed -i 's/^no-drammen-jobbkafe,in_work,2020-Q1,3,/no-drammen-jobbkafe,in_work,2020-Q1,4,/' v2/observations.csv
run import "$db" observations v2/observations.csv
expect_eq "$out" "v2/observations.csv: 537 rows: 0 added, 1 changed, 0 removed, 536 unchanged (source observations.csv)" "a changed value"
expect_eq "$(sql "$db" "SELECT value FROM observations WHERE case_id = 'no-drammen-jobbkafe' AND metric = 'in_work' AND period = '2020-Q1'")" "4.0" "the new value"
sed -i '/^no-drammen-jobbkafe,in_work,2020-Q1,4,/d' v2/observations.csv
run import "$db" observations v2/observations.csv
expect_eq "$out" "v2/observations.csv: 536 rows: 0 added, 0 changed, 1 removed, 536 unchanged (source observations.csv)" "a removed row"
expect_eq "$(total)" "$before" "back to the figures before"
run import "$db" observations v2/observations.csv
expect_rc 0 "the same content again"
expect_contains "$out" "v2/observations.csv: unchanged since " "nothing to do"

# the run made before keeps its figures, and says the data changed since
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 1")" "$(sql "$db" "SELECT count(*) FROM results")" "run 1 kept"
run explain --lang en -c demo/demo.cfg into_work no-drammen-jobbkafe 2018
expect_contains "$out" "note: observations imported since this run" "explain says the data changed since"

# an observation is one value: a second one is refused with both places
printf 'case,metric,period,value,subject,unit\nno-drammen-jobbkafe,in_work,2017-Q1,5,,persons\nno-drammen-jobbkafe,wellbeing,2019-11-15,4,r002,score\n' > extra.csv
line=$(grep -n '^no-drammen-jobbkafe,in_work,2017-Q1,' v2/observations.csv | cut -d: -f1)
expect_eq "$line" "3" "the spreadsheet's row of it"
digest=$(db_digest "$db")
run import "$db" observations extra.csv
expect_rc 3 "a second value of one observation"
expect_contains "$err" "extra.csv:2: the observation of case 'no-drammen-jobbkafe', metric 'in_work', period 2017-Q1, no subject is also in observations.csv:3" "both places named"
expect_eq "$(db_digest "$db")" "$digest" "nothing changed"
# a subject's answer is its own observation: the same with a subject
sed -i 2d extra.csv
run import "$db" observations extra.csv
expect_rc 3 "a second answer of one subject"
expect_contains "$err" "extra.csv:2: the observation of case 'no-drammen-jobbkafe', metric 'wellbeing', period 2019-11-15, subject 'r002' is also in observations.csv:81" "with its subject"
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2031,1,persons\nno-drammen-jobbkafe,in_work,2031,2,persons\n' > twice.csv
run import "$db" observations twice.csv
expect_rc 3 "twice in one file"
expect_contains "$err" "twice.csv:3: the observation of case 'no-drammen-jobbkafe', metric 'in_work', period 2031, no subject is also on row 2 of this file" "names the other row"

# a file that brings more rows than the table holds is loaded in bulk, the
# indexes built after it and the identities checked then: the same
# refusals, the first of the file first, and nothing left behind
"$GEVINST" init bulk.db >/dev/null
for k in municipalities cases; do "$GEVINST" import bulk.db $k "$demo/$k.csv" >/dev/null; done
c=no-drammen-jobbkafe
printf 'case,metric,period,value\n%s,a,2018,1\n%s,b,2018,2\n%s,a,2018,3\n%s,b,2018,x\n' $c $c $c $c > bulk.csv
digest=$(db_digest bulk.db)
run import bulk.db observations bulk.csv
expect_rc 3 "twice in a bulk load"
expect_contains "$err" "bulk.csv:4: the observation of case '$c', metric 'a', period 2018, no subject is also on row 2 of this file" "said before the bad value after it"
expect_eq "$(db_digest bulk.db)" "$digest" "nothing changed, indexes and all"
printf 'case,period,participants,in_work\n%s,2018,,3\n%s,2019,4,5\n%s,2018,7,3\n' $c $c $c > wide.csv
run import bulk.db observations wide.csv
expect_contains "$err" "wide.csv:4: the observation of case '$c', metric 'in_work', period 2018, no subject is also on row 2 of this file" "the second metric of a wide row"
printf 'case,metric,period,value\n%s,a,2018-03-01,1\n' $c > one.csv
run import bulk.db observations one.csv
expect_rc 0 "one row"
printf 'case;metric;period;value\n%s;b;2018;1\n%s;a;01.03.2018;2,5\n' $c $c > more.csv
run import bulk.db observations more.csv
expect_contains "$err" "more.csv:3: the observation of case '$c', metric 'a', period 01.03.2018, no subject is also in one.csv:2" "another source's, the period as written"
sed -i '$d' more.csv
run import bulk.db observations more.csv
expect_rc 0 "without it"
expect_eq "$(sql bulk.db "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'observations' ORDER BY name)")" "observations_by_metric,observations_by_source" "the indexes built again"
expect_eq "$(sql bulk.db "PRAGMA integrity_check")" "ok" "and sound"

# a source of its own, listed and taken out
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2031,1,persons\n' > later.csv
run import "$db" observations later.csv --source 2031-tall
expect_eq "$out" "later.csv: 1 row imported into observations" "a named source"
run sources "$db"
expect_rc 0 "sources"
expect_contains "$out" "2031-tall" "listed"
expect_contains "$out" "observations.csv          observations         536" "the spreadsheet's rows"
run import "$db" --remove 2031-tall
expect_eq "$out" "source 2031-tall: 1 row removed" "taken out"
expect_eq "$(sql "$db" "SELECT count(*) FROM observations WHERE period = '2031'")" "0" "its rows are gone"
run explain --lang en -c demo/demo.cfg into_work no-drammen-jobbkafe 2018
expect_contains "$out" "note: observations of source 2031-tall removed since this run, on " "explain says it was removed"
run report -c demo/demo.cfg --format html --lang nb
expect_contains "$out" "<td>observasjoner</td><td>2031-tall</td><td>$T/later.csv</td>" "the report lists it"
expect_contains "$out" "</td><td>fjernet</td></tr>" "as removed"
run import "$db" --remove 2031-tall
expect_rc 2 "no such source"
expect_contains "$err" "no source '2031-tall'" "says so"

# inputs have no identity: two equal rows are two contributions, and taking
# one of them out of the file removes one
printf 'case,partner,period,kind,amount,currency\nno-drammen-jobbkafe,Drammen kommune,2031,cash,100,NOK\nno-drammen-jobbkafe,Drammen kommune,2031,cash,100,NOK\n' > gifts.csv
run import "$db" inputs gifts.csv
expect_eq "$out" "gifts.csv: 2 rows imported into inputs" "two equal contributions"
sed -i 3d gifts.csv
run import "$db" inputs gifts.csv
expect_eq "$out" "gifts.csv: 1 row: 0 added, 0 changed, 1 removed, 1 unchanged (source gifts.csv)" "one of them taken out"
expect_eq "$(sql "$db" "SELECT count(*) FROM inputs WHERE period = '2031'")" "1" "one left"

# rows from before sources were kept: the clash says what --source
# earlier-imports would replace, all of them
"$GEVINST" demo --dir old -q >/dev/null 2>&1 || fail "second demo"
echo "no-drammen-jobbkafe,in_work,2020-Q1,3,persons,,NAV," >> v2/observations.csv
sql old/demo.db "UPDATE observations SET import_source = 'earlier-imports'; UPDATE imports SET source = 'earlier-imports' WHERE kind = 'observations'"
digest=$(db_digest old/demo.db)
run import old/demo.db observations v2/observations.csv
expect_rc 3 "a clash with rows from before sources"
expect_contains "$err" "(source 'earlier-imports', 536 rows of observations); --source earlier-imports would replace all 536 of them with this file's rows, so do that only if this file holds them all" "says what it would replace"
expect_eq "$(db_digest old/demo.db)" "$digest" "nothing changed"

# the whole-table source replaced while another source shares the table:
# the other's rows stay
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2032,5,persons\n' > y2032.csv
run import "$db" observations y2032.csv
run import "$db" observations v2/observations.csv
expect_eq "$out" "v2/observations.csv: 537 rows: 1 added, 0 changed, 0 removed, 536 unchanged (source observations.csv)" "replaced beside another source"
expect_eq "$(sql "$db" "SELECT value FROM observations WHERE period = '2032'")" "5.0" "the other source's row stays"

# a project folder moved: the source's file is gone from where it was, so
# the file of its name is the same spreadsheet
mkdir proj && cp "$demo/partners.csv" proj/partners.csv
printf 'case,name,type\nno-bodo-nabolagshelse,Nytt lag,civil_society\n' > proj/lag.csv
run import "$db" partners proj/lag.csv
expect_rc 0 "a partner file of its own"
mv proj moved-proj
printf 'case,name,type\nno-bodo-nabolagshelse,Nytt lag,civil_society\nno-bodo-nabolagshelse,Andre lag,civil_society\n' > moved-proj/lag.csv
run import "$db" partners moved-proj/lag.csv
expect_rc 0 "the moved file imported again"
expect_eq "$out" "moved-proj/lag.csv: 2 rows: 1 added, 0 changed, 0 removed, 1 unchanged (source lag.csv)" "replaces its rows"

# a case that rows still refer to cannot be taken away by a new cases file
grep -v '^no-drammen-jobbkafe,' "$demo/cases.csv" > cases.csv
digest=$(db_digest "$db")
run import "$db" cases cases.csv --source cases.csv
expect_rc 3 "a case still in use"
expect_contains "$err" "cases.csv: " "names the file"
expect_contains "$err" "still refer to cases it would take away" "and why"
expect_eq "$(db_digest "$db")" "$digest" "nothing changed"
finish
