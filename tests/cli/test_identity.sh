# test_identity.sh -- national identity numbers never reach the database in
# clear: a fødselsnummer, D-number or CPR number in any text field is
# refused with its place; --pseudonymise replaces subjects by keyed hashes.
. "$(dirname "$0")/lib.sh"
demo="$GEVINST_SOURCE/config/demo"

run init cases.db
for kind in municipalities cases partners; do
    run import cases.db $kind "$demo/$kind.csv"
    expect_rc 0 "import $kind"
done
run import cases.db observations "$demo/observations.csv"
expect_rc 0 "the demo's observations: no false alarm"
before=$(db_digest cases.db)

head -1 "$demo/observations.csv" > header.csv
obs() { # obs FILE SUBJECT [NOTE]: one observation with that subject and note
    cp header.csv "$1"
    echo "no-drammen-jobbkafe,in_work,2020-Q1,3,persons,$2,NAV,${3:-}" >> "$1"
}

# 15038545660: a fødselsnummer with both check digits right
obs fnr.csv 15038545660
run import cases.db observations fnr.csv
expect_rc 3 "a fødselsnummer refused"
expect_eq "$err" "gevinst: fnr.csv:2:6: subject holds a Norwegian fødselsnummer; identity numbers are never stored in clear: import with --pseudonymise KEYFILE (make one with 'gevinst keygen KEYFILE')" "its place and the hint"
case "$err" in *15038545660*) fail "the number itself is in the message" ;; esac
expect_eq "$(db_digest cases.db)" "$before" "database unchanged"

obs dnr.csv 45038545683
run import cases.db observations dnr.csv
expect_rc 3 "a D-number refused"
expect_contains "$err" "dnr.csv:2:6: subject holds a Norwegian D-number" "D-number named"

for cpr in 150385-1234 1503851234; do
    obs cpr.csv "$cpr"
    run import cases.db observations cpr.csv
    expect_rc 3 "a CPR number refused ($cpr)"
    expect_contains "$err" "cpr.csv:2:6: subject holds a Danish CPR number" "CPR named ($cpr)"
done

# in any text column, not only subject
obs note.csv r900 15038545660
run import cases.db observations note.csv
expect_rc 3 "a fødselsnummer in a note refused"
expect_eq "$err" "gevinst: note.csv:2:8: note holds a Norwegian fødselsnummer; identity numbers are never stored: take it out of the file" "a note's place"
expect_eq "$(db_digest cases.db)" "$before" "database still unchanged"

# written with spaces, dots or dashes, inside a longer text, or without its
# leading zero (a spreadsheet's number cell): found all the same, never shown
for form in "r901|150385 45660" "r902|15.03.85-45660" "r903|Saken til 150385-4566" "r904|Ola (15038545660)"; do
    obs form.csv "${form%%|*}" "${form#*|}"
    run import cases.db observations form.csv
    expect_rc 3 "refused: ${form#*|}"
    expect_contains "$err" "form.csv:2:8: note holds a" "at the note (${form#*|})"
    case $err in *4566*|*45660*) fail "the number shown: $err" ;; esac
done
# 01018512345's check digits: a fødselsnummer that loses its leading zero
lead=$(awk 'BEGIN { w1 = "376189452"; w2 = "5432765432"; s = "010185123"
    for (i = 1; i <= 9; i++) t += substr(s, i, 1) * substr(w1, i, 1); k1 = 11 - t % 11; if (k1 == 11) k1 = 0
    if (k1 == 10) exit 1; s = s k1; t = 0
    for (i = 1; i <= 10; i++) t += substr(s, i, 1) * substr(w2, i, 1); k2 = 11 - t % 11; if (k2 == 11) k2 = 0
    if (k2 == 10) exit 1; print s k2 }')
obs lead.csv r905 "${lead#0}"
run import cases.db observations lead.csv
expect_rc 3 "a fødselsnummer without its leading zero (${lead#0})"
expect_contains "$err" "note holds a Norwegian fødselsnummer" "found"
# not in a number or a period either, and the number is not echoed
printf 'case,metric,period,value\nno-drammen-jobbkafe,x,150385-4566,1\n' > period.csv
run import cases.db observations period.csv
expect_rc 3 "in a period"
expect_eq "$err" "gevinst: period.csv:2:3: period holds a Danish CPR number; identity numbers are never stored: take it out of the file" "said, never shown"
# nor in a source's name
obs ok.csv r906
run import cases.db observations ok.csv --source 15038545660
expect_rc 2 "a source named by a number"
expect_eq "$err" "gevinst: the source's name holds a Norwegian fødselsnummer; name the source otherwise" "said"
mkdir -p 15038545660 && obs 15038545660/obs.csv r907
run import cases.db observations 15038545660/obs.csv
expect_rc 2 "a file in a folder named by a number"
expect_eq "$err" "gevinst: the file's path holds a Norwegian fødselsnummer; rename it, or its folder" "the path, never stored"
for form in "r908|FNR15038545660" "r909|150385/45660" "r910|150385 - 45660" "r911|$(printf '150385\302\24045660')" "r912|15/03/85 45660"; do
    obs form.csv "${form%%|*}" "${form#*|}"
    run import cases.db observations form.csv
    expect_rc 3 "refused: ${form#*|}"
done
expect_eq "$(db_digest cases.db)" "$before" "database still unchanged"

# eleven digits whose check digits fail (a phone number), and a date that
# is no date: imported as they are
obs phone.csv 15038545661
run import cases.db observations phone.csv
expect_rc 0 "bad check digits pass"
expect_eq "$(sql cases.db "SELECT subject FROM observations WHERE period = '2020-Q1'")" "15038545661" "stored as written"
obs nodate.csv 3213851234 47912345678
run import cases.db observations nodate.csv
expect_rc 0 "a 32nd of a month is no CPR number"

# keys: readable only by the owner, never overwritten
run keygen one.key
expect_rc 0 "keygen"
expect_eq "$(stat -c %a one.key)" "600" "key readable by its owner only"
expect_eq "$(tr -d '\n' < one.key | wc -c)" "64" "256 bits as hex"
k1=$(cat one.key)
run keygen one.key
expect_rc 2 "keygen never overwrites"
expect_contains "$err" "one.key: exists" "says why"
expect_eq "$(cat one.key)" "$k1" "key unchanged"
run keygen two.key
cp one.key open.key && chmod 644 open.key
obs fnr2.csv 15038545660
run import cases.db observations fnr2.csv --pseudonymise open.key
expect_rc 2 "a key others may read is refused"
expect_contains "$err" "open.key: key file may be read by others" "says why"

# the same subject, one key: one pseudonym across files and imports
run import cases.db observations fnr.csv --pseudonymise one.key
expect_rc 0 "imported with --pseudonymise"
p1=$(sql cases.db "SELECT subject FROM observations WHERE import_source = 'fnr.csv'")
expect_eq "$(printf %s "$p1" | grep -c '^ps-[0-9a-f]\{32\}$')" "1" "a pseudonym, ps- and 32 hex digits"
expect_eq "$(sql cases.db "SELECT count(*) FROM observations WHERE subject LIKE '%15038545660%'")" "0" "the number is nowhere"
expect_eq "$(printf %s 15038545660 | openssl dgst -sha256 -mac HMAC -macopt hexkey:"$k1" | sed 's/.*= //' | cut -c1-32)" "${p1#ps-}" "HMAC-SHA-256 under the key"
sed 's/2020-Q1/2020-Q2/' fnr.csv > fnr-q2.csv
run import cases.db observations fnr-q2.csv --pseudonymise one.key
expect_rc 0 "a second file"
expect_eq "$(sql cases.db "SELECT subject FROM observations WHERE import_source = 'fnr-q2.csv'")" "$p1" "the same pseudonym in another file"
run init other.db
for kind in municipalities cases partners; do run import other.db $kind "$demo/$kind.csv"; done
run import other.db observations fnr.csv --pseudonymise one.key
expect_eq "$(sql other.db "SELECT subject FROM observations")" "$p1" "and in another database"
run init third.db
for kind in municipalities cases partners; do run import third.db $kind "$demo/$kind.csv"; done
run import third.db observations fnr.csv --pseudonymise two.key
p2=$(sql third.db "SELECT subject FROM observations")
[ "$p2" != "$p1" ] || fail "another key gives another pseudonym"
checks=$((checks + 1))

# one person, one pseudonym, however the number is written
printf 'case,metric,period,value,unit,subject\nno-drammen-jobbkafe,cpr_a,2020-Q1,1,persons,150385-4566\n' > cpr1.csv
printf 'case,metric,period,value,unit,subject\nno-drammen-jobbkafe,cpr_b,2020-Q1,1,persons,1503854566\n' > cpr2.csv
run import cases.db observations cpr1.csv --pseudonymise one.key
run import cases.db observations cpr2.csv --pseudonymise one.key
expect_eq "$(sql cases.db "SELECT count(DISTINCT subject) FROM observations WHERE metric IN ('cpr_a', 'cpr_b')")" "1" "150385-4566 and 1503854566: one pseudonym"

# a pseudonym already is left alone
obs ps.csv "$p1"
sed -i 's/2020-Q1/2020-Q3/' ps.csv
run import cases.db observations ps.csv --pseudonymise one.key
expect_rc 0 "pseudonyms imported"
expect_eq "$(sql cases.db "SELECT subject FROM observations WHERE import_source = 'ps.csv'")" "$p1" "kept as it is"

# the same file imported plainly, then with a key, then with another key:
# each is other content, so each replaces the rows (never "unchanged")
printf 'case,metric,period,value,subject\nno-drammen-jobbkafe,svar,2019-03-01,4,kari\n' > plain.csv
run import cases.db observations plain.csv
expect_eq "$(sql cases.db "SELECT subject FROM observations WHERE import_source = 'plain.csv'")" "kari" "a name as it is, without a key"
run import cases.db observations plain.csv --pseudonymise one.key
expect_contains "$out" "1 added, 0 changed, 1 removed" "with a key the same file is other content"
one=$(sql cases.db "SELECT subject FROM observations WHERE import_source = 'plain.csv'")
expect_eq "${one:0:3}" "ps-" "pseudonymised"
run import cases.db observations plain.csv --pseudonymise two.key
expect_contains "$out" "1 added, 0 changed, 1 removed" "another key, other content again"
expect_eq "$([ "$(sql cases.db "SELECT subject FROM observations WHERE import_source = 'plain.csv'")" != "$one" ] && echo other)" "other" "another pseudonym"

run import cases.db observations fnr.csv --pseudonymise missing.key --source x
expect_rc 2 "a missing key"
expect_contains "$err" "missing.key: cannot open key file" "named"
finish
