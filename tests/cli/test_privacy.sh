# test_privacy.sh -- the attacks of docs/privacy.md, each one a case that
# must fail to recover a hidden count of persons.
. "$(dirname "$0")/lib.sh"
demo="$GEVINST_SOURCE/config/demo"

base_db() { # base_db DB: the demo's cases, without observations
    run init "$1"
    for kind in municipalities cases partners; do
        run import "$1" $kind "$demo/$kind.csv"
    done
}

# ---------------------------------------------------------- unit of a metric
# a metric counts persons in every row or in none: not as its first row says
base_db units.db
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2018-Q1,30,\nno-drammen-jobbkafe,in_work,2018-Q2,3,persons\n' > mixed.csv
before=$(db_digest units.db)
run import units.db observations mixed.csv
expect_rc 3 "mixed units refused"
expect_eq "$err" "gevinst: mixed.csv:3:5: metric 'in_work' is in persons here but not in row 2 of this file; a metric counts persons in every row or in none" "file, row and column"
expect_eq "$(db_digest units.db)" "$before" "database unchanged"
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2018-Q1,3,persons\n' > p1.csv
printf 'case,metric,period,value\nno-drammen-jobbkafe,in_work,2018-Q2,30\n' > p2.csv
run import units.db observations p1.csv
expect_rc 0 "persons"
run import units.db observations p2.csv
expect_rc 3 "a second file without the unit refused"
expect_eq "$err" "gevinst: p2.csv:2:2: metric 'in_work' is without a unit here but in persons in p1.csv:2; a metric counts persons in every row or in none" "the other file named"
# the catalogue follows the rows, not the first file ever imported
printf 'case,metric,period,value\nno-drammen-jobbkafe,in_work,2018-Q1,3\n' > p1.csv
run import units.db observations p1.csv
expect_rc 0 "the source imported again, now without a unit"
expect_eq "$(sql units.db "SELECT coalesce(unit, '-') FROM metrics WHERE name = 'in_work'")" "-" "the catalogue says so"
run import units.db observations "$demo/observations.csv"
expect_rc 3 "and then the demo's persons clash"
finish
