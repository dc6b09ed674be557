# test_html.sh -- the HTML report of the demo in a real browser (Debian's
# chromium, headless, kept off the network): it renders at 1280 and 390 px
# (a phone) with every chart drawing its marks, no two labels of a chart
# overlapping (their boxes measured in the page), text readable and nothing
# wider than the window; it asks for nothing beyond itself; it shows every
# indicator's values; and printed on A4 each case takes at most two pages,
# each with its number and the label once.
. "$(dirname "$0")/lib.sh"
browser=$(command -v chromium || command -v chromium-browser)
[ -n "$browser" ] || { echo "FAIL: no chromium: run tools/install-deps --test" >&2; exit 1; }
command -v pdftotext > /dev/null || { echo "FAIL: no pdftotext: run tools/install-deps --test" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
# has FILE NEEDLE what: like expect_contains, without printing the page when it fails
has() {
    checks=$((checks + 1))
    grep -qF -- "$2" "$1" || fail "$3: $1 has no [$2]"
}

run demo --dir demo
expect_rc 0 "demo"
db=demo/demo.db
for lang in nb da en; do
    run report -c demo/demo.cfg --format html --lang "$lang" -o "report-$lang.html"
    expect_rc 0 "html report in $lang"
done
html=report-nb.html
expect_contains "$(head -c 400 $html)" '<html lang="nb">' "language of the page"
has $html "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" "the page may fetch nothing, and run only its script"
# nothing from elsewhere: no address in the page at all
expect_eq "$(grep -Eco '(src|href)=|url\(|https?:' $html)" "0" "no references to fetch"
expect_eq "$(grep -o 'Syntetiske demodata' $html | wc -l)" "$(( $(grep -o '<section class="case">' $html | wc -l) + 3 ))" "synthetic data labelled on every page (and in the title and the printed margin)"
expect_contains "$(cat report-da.html)" "Gevinster i forhold til planen" "Danish headings"
expect_contains "$(cat report-en.html)" "Gains against the plan" "English headings"
has $html "Gevinster mot planen" "Norwegian headings"

# words and numbers as a reader of the language writes them
has $html "<title>Gevinstrealiseringsrapport, Kjøring 1: 6 saker (Syntetiske demodata)</title>" "a title naming the report"
started=$(sql $db "SELECT started FROM runs WHERE id = 1")
when=$(python3 -c 'import sys; s = sys.argv[1]; m = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"]
print("%d. %s %s kl. %s.%s UTC" % (int(s[8:10]), m[int(s[5:7]) - 1], s[:4], s[11:13], s[14:16]))' "$started")
has $html "<p>Kjøring 1, $when</p>" "the run's time written out"
has report-en.html "<tr><th>Period</th><td>1 January 2017 &#8211; 31 December 2019</td></tr>" "dates in English"
has $html "<tr><th>Periode</th><td>1. januar 2017 &#8211; 31. desember 2019</td></tr>" "dates in bokmål"
has $html "9&#160;118&#160;319&#160;NOK, 2019-priser</td>" "money with its currency, 2019-priser"
has $html "(omregnet fra DKK)" "the Danish case's investment converted"
has $html "Nullpunkt 5&#160;281&#160;066&#160;DKK &#8594; Mål 3&#160;960&#160;800&#160;DKK, Målt 3&#160;810&#160;818&#160;DKK:" "a DKK case's money labelled DKK in a NOK report"
has $html "Nullpunkt 5 &#8594; Mål 12, Målt 30:" "counts without decimals"
has $html "<p>vist i NOK, 2019-priser</p>" "the comparison's prices"

# every indicator's values by period, with hidden and partial ones shown as such
for c in $(sql $db "SELECT id FROM cases"); do
    expect_eq "$(python3 -c 'import re, sys; page = open(sys.argv[1], encoding="utf-8").read()
case = page[page.index("<td>%s</td>" % sys.argv[2]):]
table = case[case.index("<table class=\"indicators\">"):case.index("</table>", case.index("<table class=\"indicators\">"))]
print(" ".join(re.findall(r"<tr><th>([a-z_]+)", table)))' $html $c)" \
        "$(sql $db "SELECT indicator FROM run_indicators WHERE run = 1 ORDER BY position" | tr '\n' ' ' | sed 's/ $//')" "a row for every indicator of $c"
done
row=$(sql $db "SELECT group_concat('<td class=\"n\">' || printf('%.0f', value) || '</td>', '') FROM (SELECT value FROM results WHERE run = 1 AND case_id = 'no-bodo-nabolagshelse' AND indicator = 'participants' ORDER BY period)")
has $html "<tr><th>participants <span class=\"unit\">(personer)</span></th>$row<td><svg class=\"chart spark\" data-marks=\"3\"" "participants by period, whole, with their trend"
has $html "<th>into_work <span class=\"unit\">(personer)</span></th><td class=\"n hidden\">skjult</td><td class=\"n\">8</td>" "a small count hidden in the table"
has $html "<td class=\"n\">303&#160;420&#160;NOK<sup class=\"partial\">75&#160;%</sup></td>" "a partial value marked with its coverage"
# no data and errors, from a config with a typo and a module that is not there
cat > q.cfg <<'CFG'
database = "demo/demo.db";
periods = { from = "2018-Q1"; to = "2018-Q4"; };
report = { lang = "en"; };
indicators = (
  { id = "helpers"; module = "sum"; params = { metric = "volunteer_hours"; }; },
  { id = "typo";    module = "sum"; params = { metric = "volunter_hours"; }; },
  { id = "gone";    plugin = "plugins/gone.so"; }
);
CFG
"$GEVINST" run -c q.cfg -q > /dev/null 2>&1
run report -c q.cfg --format html --case no-bodo-nabolagshelse
expect_rc 0 "html of a run with errors"
expect_contains "$out" "<tr><th>typo</th><td class=\"n error\" title=\"unknown metric 'volunter_hours': no observation has it\">error</td>" "an error shown as such, its message on hover"
expect_contains "$out" "<tr><th>gone</th><td class=\"n error\" title=\"" "a module that failed"
expect_contains "$out" "<th class=\"n\">2018-Q1</th><th class=\"n\">2018-Q2</th><th class=\"n\">2018-Q3</th><th class=\"n\">2018-Q4</th><th>Trend</th>" "a column a quarter"
expect_contains "$out" "<tr><th>helpers</th><td class=\"n\">319</td><td class=\"n\">370</td><td class=\"n no_data\">no data</td><td class=\"n\">478</td><td><svg class=\"chart spark\" data-marks=\"3\"" "no data shown as such, a gap in the trend"

# charts: a legend under each line chart, tornado and the comparison, direct labels on the rest
python3 - "$html" > charts.txt <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r'<svg class="chart ([a-z ]+)"(.*?)</svg>(<div class="legend">)?', page):
    kind, body, legend = m.group(1), m.group(2), m.group(3)
    labelled = "legend" if legend else "labels" if "<text" in body else "row" if kind == "spark" else "none"
    print(kind.replace(" ", "-"), labelled)
PY
expect_eq "$(sort charts.txt | uniq -c | awk '{print $2 "=" $3}' | tr '\n' ' ')" "bars=labels bars-comparison=legend line=legend progress=labels spark=row tornado=legend " "every chart has a legend or labels"
cmp=$(grep -o '<svg class="chart bars comparison".*' $html | sed 's/<\/svg>.*//')
for name in $(sql $db "SELECT replace(c.title || ' (' || m.name || ', ' || m.country || ')', ' ', '_') FROM case_values v JOIN cases c ON c.id = v.case_id JOIN municipalities m ON m.code = c.municipality WHERE v.run = 1"); do
    expect_contains "$(printf '%s' "$cmp" | sed 's/<\/tspan><tspan[^>]*>/ /g; s/<[^>]*>//g' | tr ' ' '_')" "$name" "the comparison names $name in full"
done
expect_contains "$cmp" 'stroke="#b3261e" stroke-width="2" stroke-dasharray="3 2"' "the comparison's 1:1 line"
expect_contains "$cmp" 'text-anchor="middle">1:1</text>' "labelled 1:1"
# the y axis over the data's range: a gain realised to 436 % has its ticks up to 600 %
has $html 'text-anchor="end">600 %</text>' "a y axis to 600 %"
# break-even in its own units: a share in %, years, the proxies' factor, a rate in %
has report-da.html "<tr><td>dødvægt</td><td class=\"n\">&#215;0,50</td>" "the low value a factor"
has report-da.html "<td class=\"n\">$(sql $db "SELECT replace(printf('%.1f', 100 * break_even), '.', ',') FROM sensitivity WHERE run = 1 AND case_id = 'dk-kobenhavn-socialokonomi' AND assumption = 'deadweight'")&#160;%</td></tr>" "deadweight breaks even at a share"
has report-da.html "<td class=\"n\">3&#160;år</td></tr>" "duration in years"
has report-da.html "<td class=\"n\">&#215;0,96</td></tr>" "the proxies' factor"
has report-da.html "<tr><td>diskonteringsrente</td><td class=\"n\">1,8&#160;%</td>" "the discount rate as a rate"
has report-da.html "<td class=\"n\">5,7&#160;%</td></tr>" "the rate at which it breaks even"
# the tornado's table holds the stored ratios
first=$(sql $db "SELECT c.id FROM cases c JOIN municipalities m ON m.code = c.municipality ORDER BY m.country DESC, c.id LIMIT 1")
row=$(sql $db "SELECT printf('<tr><td>deadweight</td><td class=\"n\">&#215;%.2f</td><td class=\"n\">%.2f</td><td class=\"n\">&#215;%.2f</td><td class=\"n\">%.2f</td>', low, sroi_low, high, sroi_high) FROM sensitivity WHERE run = 1 AND case_id = '$first' AND assumption = 'deadweight'")
[ -n "$row" ] || fail "no deadweight sensitivity for $first"
expect_eq "$(grep -o '<tr><td>deadweight</td>[^/]*/td>[^/]*/td>[^/]*/td>[^/]*/td>' report-en.html | head -1)" "$row" "the first case's deadweight row, from the database"
# the tornado's scale starts at the lowest ratio drawn
lowest=$(sql $db "SELECT replace(printf('%.2f', min(m)), '.', ',') FROM (SELECT min(sroi_low, sroi_high) AS m FROM sensitivity WHERE run = 1 AND case_id = '$first' UNION ALL SELECT sroi FROM case_values WHERE run = 1 AND case_id = '$first' UNION ALL SELECT 1)")
expect_contains "$(grep -o '<svg class="chart tornado".*' $html | head -c 4000)" "text-anchor=\"start\">$lowest</text>" "tornado scale from $lowest"

# in the browser, at a desk and on a phone
charts=$(grep -o '<svg class="chart' $html | wc -l)
[ "$charts" -gt 20 ] || fail "only $charts charts"
for width in 1280 390; do
    python3 "$here/browse.py" "$browser" "file://$T/$html" $width --shot "$T/shot-$width.png" > seen-$width.json 2> browse.log
    seen() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1]))[sys.argv[2]]; print(v if not isinstance(v, list) else "|".join(v))' seen-$width.json "$1"; }
    expect_eq "$(seen width)" "$width" "a window $width px wide"
    expect_eq "$(seen check)" "ok $charts charts, 0 requests" "every chart drew its marks at $width px, and nothing was fetched"
    expect_eq "$(seen overlaps)" "0" "no two labels of a chart overlap at $width px"
    expect_eq "$(seen overflow)" "0" "nothing wider than the window at $width px"
    expect_eq "$(seen h1Lines)" "1" "the heading on one line at $width px"
    checks=$((checks + 1))
    awk -v s="$(seen smallestText)" 'BEGIN { exit !(s >= 11) }' || fail "chart text $(seen smallestText) px at $width px"
    checks=$((checks + 1))
    [ "$(head -c 24 shot-$width.png | od -An -tx1 -j16 -N4 | tr -d ' ')" = "$(printf '%08x' $width)" ] || fail "no screenshot $width px wide"
done
# on a phone only the tables of values scroll sideways, in their own box (not the provenance)
expect_eq "$(python3 -c 'import json; print(sorted({t.split(": ")[1] for t in json.load(open("seen-390.json"))["wideTables"]}))')" "['Indikator']" "only the indicator tables scroll at 390 px"
expect_eq "$(python3 -c 'import json; print(len(json.load(open("seen-1280.json"))["wideTables"]))')" "0" "no table scrolls at 1280 px"

# ten quarters and a gain realised to 540 %: the periods' labels thinned so
# that none overlap, the y axis up to 600 %
mkdir tq
printf 'code,name,country\n3005,Drammen,NO\n' > tq/m.csv
printf 'id,municipality,title\ndrammen-deltakere,3005,Deltakere i Drammen\n' > tq/c.csv
awk 'BEGIN { print "case,metric,period,value,unit"; for (i = 0; i < 10; i++) printf "drammen-deltakere,deltakere,%d-Q%d,%d,persons\n", 2022 + int(i / 4), i % 4 + 1, 5 + 9 * i }' > tq/o.csv
printf 'case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period\ndrammen-deltakere,flere,deltakere,quality,citizens,5,2022-Q1,20,2024-Q2\n' > tq/g.csv
"$GEVINST" init tq/s.db > /dev/null
for k in m:municipalities c:cases o:observations g:gains; do
    "$GEVINST" import tq/s.db "${k#*:}" "tq/${k%%:*}.csv" > /dev/null || fail "import ${k#*:}"
done
printf 'database = "s.db";\nperiods = { from = "2022-Q1"; to = "2024-Q2"; };\nindicators = ( { id = "deltakere"; module = "sum"; unit = "persons"; params = { metric = "deltakere"; }; } );\n' > tq/s.cfg
"$GEVINST" run -c tq/s.cfg -q > /dev/null || fail "the quarters' run"
run report -c tq/s.cfg --format html -o tq/s.html
expect_rc 0 "ten quarters"
line=$(grep -o '<svg class="chart line".*' tq/s.html | sed 's/<\/svg>.*//')
expect_eq "$(printf '%s' "$line" | grep -o 'text-anchor="middle">[^<]*' | sed 's/.*>//' | tr '\n' ' ')" "2022-Q1 2022-Q4 2023-Q3 2024-Q2 " "every third quarter labelled"
expect_eq "$(printf '%s' "$line" | grep -o 'text-anchor="end">[^<]*' | sed 's/.*>//' | tr '\n' ',')" "0 %,200 %,400 %,600 %," "the y axis over the data's range"
python3 "$here/browse.py" "$browser" "file://$T/tq/s.html" 390 > seen-tq.json 2> browse.log
expect_contains "$(cat seen-tq.json)" '"check":"ok 3 charts, 0 requests","overlaps":"0"' "no labels overlap on a phone"

# the numbers are the run's; a file imported since is named, as the summaries read it now
expect_eq "$(grep -c 'Endret etter denne kjøringen' $html)" "0" "nothing imported since the run"
printf 'case,name,type\nno-bodo-nabolagshelse,Nytt lag,civil_society\n' > later.csv
"$GEVINST" import $db partners later.csv > /dev/null
run report -c demo/demo.cfg --format html --lang nb
expect_contains "$out" "<h3>Endret etter denne kjøringen</h3>" "an import since the run is named"
expect_contains "$out" "<tr><td>partnere</td><td>later.csv</td><td>$T/later.csv</td><td>" "with its source and file"
# text from the data never becomes markup: a country that holds a script
sqlite3 $db "UPDATE municipalities SET country = 'NO<img src=x onerror=alert(1)>' WHERE code = '1804'"
"$GEVINST" report -c demo/demo.cfg --format html -o hostile.html 2>/dev/null
expect_contains "$(cat hostile.html)" "(NO&lt;img src=x onerror=alert(1)&gt;)" "escaped"
checks=$((checks + 1))
grep -q "<img" hostile.html && fail "markup from the data in the page"
# nor CSS: a label that would close the style element stays text in the margin
sed 's/label = "[^"]*"/label = "a\\" } <\/style><img src=x>"/' demo/demo.cfg > demo/hostile.cfg
"$GEVINST" report -c demo/hostile.cfg --run 1 --format html -o hostile2.html 2>/dev/null
checks=$((checks + 1))
grep -q "<img" hostile2.html && fail "markup from the label in the page"
expect_eq "$(grep -o '</style>' hostile2.html | wc -l)" "1" "the style element closed once"
has hostile2.html 'content:"a\22  } \3c /style>\3c img src=x>"' "the label as CSS text"

# printed on A4: at most two pages a case, each page numbered, the label once a page
chrome() { # chrome ARGS...: headless, no sandbox (root), off the network
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-features=NetworkTimeServiceQuerying --user-data-dir="$T/profile" \
        --enable-logging=stderr --v=0 "$@"
}
chrome --print-to-pdf="$T/report.pdf" --no-pdf-header-footer "file://$T/$html" 2>/dev/null
pages=$(pdfinfo report.pdf | awk '/^Pages:/ { print $2 }')
expect_contains "$(pdfinfo report.pdf)" "(A4)" "A4"
starts=""
for ((p = 1; p <= pages; p++)); do
    text=$(pdftotext -f $p -l $p report.pdf -)
    expect_eq "$(printf '%s\n' "$text" | grep -cx "$p / $pages")" "1" "page $p numbered"
    expect_eq "$(printf '%s\n' "$text" | grep -c 'Syntetiske demodata')" "1" "the label once on page $p"
    printf '%s\n' "$text" | grep -q '^Sak$' && starts="$starts $p"
done
cases=$(sql $db "SELECT count(*) FROM cases")
expect_eq "$(echo $starts | wc -w)" "$cases" "each case starts a page"
last=""
for s in $starts $((pages - 1)); do # the comparison follows the last case
    checks=$((checks + 1))
    [ -z "$last" ] || [ $((s - last)) -le 2 ] || fail "a case from page $last to $((s - 1))"
    last=$s
done
finish
