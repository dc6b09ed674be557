# test_overview.sh -- past 50 cases the HTML report is an overview: totals,
# how SROI and the gains are spread, the best and the weakest cases, and a
# table of municipalities that sorts when a heading is clicked; a filter
# down to 50 cases or fewer gives a section a case again.
. "$(dirname "$0")/lib.sh"
browser=$(command -v chromium || command -v chromium-browser)
[ -n "$browser" ] || { echo "FAIL: no chromium: run tools/install-deps --test" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)

"$GEVINST_BUILD/tools/gen-data" --cases 60 --out data || fail "gen-data"
cat > data/s.cfg <<'CFG'
database = "s.db";
periods = ["2017", "2018", "2019", "2020"];
report = { lang = "nb"; };
indicators = (
  { id = "participants"; module = "sum"; unit = "persons"; params = { metric = "participants"; }; },
  { id = "work_share";   module = "ratio"; unit = "%"; params = { numerator = "in_work"; denominator = "participants"; factor = 100.0; }; }
);
money = {
  currency = "NOK";
  price_year = 2020;
  rates = { DKK = 1.5; };
  cpi = {
    NOK = { from = 2017; index = [100.0, 102.0, 104.0, 106.0]; };
    DKK = { from = 2017; index = [100.0, 101.0, 102.0, 103.0]; };
  };
  discount_rates = { DK = 0.035; };
  volunteer_wage = 260.0;
};
CFG
"$GEVINST" init data/s.db > /dev/null
for k in municipalities cases partners observations inputs gains; do
    "$GEVINST" import data/s.db $k data/$k.csv > /dev/null || fail "import $k"
done
run run -c data/s.cfg -q
expect_rc 0 "run of 60 cases"
db=data/s.db
expect_eq "$(sql $db "SELECT count(sroi) FROM case_values WHERE run = 1")" "60" "a value for every case"

run report -c data/s.cfg --format html -o s.html
expect_rc 0 "html of 60 cases"
html=s.html
expect_eq "$(grep -o '<section class="case">' $html | wc -l)" "3" "the overview, the comparison and the provenance: no section a case"
expect_contains "$(grep -o '<h2>[^<]*</h2>' $html | head -1)" "<h2>Oversikt: 60 saker</h2>" "the overview says how many"
expect_contains "$(grep -o '<title>[^<]*' $html)" "<title>Gevinstrealiseringsrapport, Kjøring 1: 60 saker" "the title says how many"
# totals, from the database
want=$(sql $db "SELECT printf('<tr><td>NOK, 2020-priser</td><td class=\"n\">%d</td><td class=\"n\">%s&#160;NOK</td><td class=\"n\">%s&#160;NOK</td><td class=\"n\">%s</td></tr>', count(*), replace(printf('%,d', CAST(round(sum(investment)) AS INTEGER)), ',', '&#160;'), replace(printf('%,d', CAST(round(sum(present_value)) AS INTEGER)), ',', '&#160;'), replace(printf('%.2f', sum(present_value) / sum(investment)), '.', ',')) FROM case_values WHERE run = 1")
expect_contains "$(cat $html)" "$want" "totals: cases, investment, present value and SROI of all together"
# the distribution counts every case; the statuses every gain
expect_eq "$(grep -o '<svg class="chart bars distribution".*' $html | sed 's/<\/svg>.*//' | grep -o '>[0-9]* saker<' | tr -dc '0-9\n' | awk '{ s += $1 } END { print s }')" "60" "the distribution counts 60 cases"
expect_eq "$(grep -o '<svg class="chart bars statuses".*' $html | sed 's/<\/svg>.*//' | grep -o '>[0-9]* gevinster<' | tr -dc '0-9\n' | awk '{ s += $1 } END { print s }')" "60" "a status for every gain"
# best and weakest: the database's, in order
best=$(sql $db "SELECT c.title || ' <code>' || c.id || '</code>' FROM case_values v JOIN cases c ON c.id = v.case_id WHERE v.run = 1 ORDER BY v.sroi DESC LIMIT 10" | tr '\n' '|')
expect_eq "$(grep -o 'Best etter SROI.*' $html | sed 's/Svakest.*//' | grep -o '<tr><td>[^/]*</code>' | sed 's/<tr><td>//' | tr '\n' '|')" "$best" "the ten best"
worst=$(sql $db "SELECT c.title || ' <code>' || c.id || '</code>' FROM case_values v JOIN cases c ON c.id = v.case_id WHERE v.run = 1 ORDER BY v.sroi LIMIT 10" | tr '\n' '|')
expect_eq "$(grep -o 'Svakest etter SROI.*' $html | sed 's/Kommuner (klikk.*//' | grep -o '<tr><td>[^/]*</code>' | sed 's/<tr><td>//' | tr '\n' '|')" "$worst" "the ten weakest"
# a row a municipality, and the table sorts when its SROI heading is clicked twice (highest first)
expect_eq "$(grep -o '<table class="sortable">.*' $html | sed 's/<\/table>.*//' | grep -o '<tr><td>' | wc -l)" "$(sql $db "SELECT count(DISTINCT municipality) FROM cases")" "a row a municipality"
top=$(sql $db "SELECT m.name || ' (' || m.code || ', ' || m.country || ')' FROM case_values v JOIN cases c ON c.id = v.case_id JOIN municipalities m ON m.code = c.municipality WHERE v.run = 1 GROUP BY m.code ORDER BY sum(v.present_value) / sum(v.investment) DESC LIMIT 1")
python3 "$here/browse.py" "$browser" "file://$T/$html" 1280 --eval "(function () { var t = document.querySelector('table.sortable'), th = t.querySelectorAll('th')[5]; th.click(); th.click(); return t.tBodies[0].rows[0].cells[0].textContent + ' ' + th.getAttribute('aria-sort'); })()" > seen.json 2> browse.log
expect_contains "$(cat seen.json)" '"check":"ok 2 charts, 0 requests","overlaps":"0"' "the overview's charts drawn, nothing fetched"
expect_contains "$(cat seen.json)" "\"eval\":\"$top descending\"" "sorted by SROI, highest first"
# no comparison bars for 60 cases; the conversions still
checks=$((checks + 1))
grep -q 'class="chart bars comparison"' $html && fail "a comparison bar a case"
expect_contains "$(cat $html)" "<h3>Brukte omregninger</h3>" "the conversions"

# filtered to fewer than 51 cases: a section a case
run report -c data/s.cfg --format html --municipality K0009
expect_rc 0 "one municipality"
expect_eq "$(printf '%s' "$out" | grep -o '<section class="case">' | wc -l)" "$(( $(sql $db "SELECT count(*) FROM cases WHERE municipality = 'K0009'") + 2 ))" "a section a case of K0009"
expect_contains "$out" "(omregnet fra DKK)" "a Danish municipality's money converted"
finish
