# test_html.sh -- the HTML report of the demo in a real browser (Debian's
# chromium, headless, kept off the network): it renders, logs nothing to
# the console, every chart drew the marks it should, and the page asked
# for nothing beyond itself.
. "$(dirname "$0")/lib.sh"
browser=$(command -v chromium || command -v chromium-browser)
[ -n "$browser" ] || { echo "FAIL: no chromium: run tools/install-deps --test" >&2; exit 1; }

run demo --dir demo
expect_rc 0 "demo"
for lang in nb da en; do
    run report -c demo/demo.cfg --format html --lang "$lang" -o "report-$lang.html"
    expect_rc 0 "html report in $lang"
done
html=report-nb.html
expect_contains "$(head -c 400 $html)" '<html lang="nb">' "language of the page"
expect_contains "$(cat $html)" "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" "the page may fetch nothing, and run only its check"
# nothing from elsewhere: no address in the page at all
expect_eq "$(grep -Eco '(src|href)=|url\(|https?:' $html)" "0" "no references to fetch"
expect_eq "$(grep -o 'Syntetiske demodata' $html | wc -l)" "$(( $(grep -o '<section class="case">' $html | wc -l) + 1 ))" "synthetic data labelled on every page"
expect_contains "$(cat report-da.html)" "Gevinster i forhold til planen" "Danish headings"
expect_contains "$(cat report-en.html)" "Gains against the plan" "English headings"
expect_contains "$(cat $html)" "Gevinster mot planen" "Norwegian headings"

chrome() { # chrome ARGS...: headless, no sandbox (root), off the network
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-features=NetworkTimeServiceQuerying --user-data-dir="$T/profile" \
        --enable-logging=stderr --v=0 "$@"
}
chrome --dump-dom "file://$T/$html" > dom.html 2> console.log
checks=$((checks + 1))
charts=$(grep -o '<svg class="chart' $html | wc -l)
expect_contains "$(cat dom.html)" "data-check=\"ok $charts charts, 0 requests\"" "every chart drew its marks, and nothing was fetched"
[ "$charts" -gt 20 ] || fail "only $charts charts"
expect_eq "$(grep -c 'CONSOLE' console.log)" "0" "nothing on the console"
# every line chart has its legend; the tornado's table holds the stored ratios
expect_eq "$(grep -o '<div class="legend">' $html | wc -l)" "$(grep -o '<svg class="chart line"' $html | wc -l)" "a legend for each line chart"
first=$(sqlite3 demo/demo.db "SELECT c.id FROM cases c JOIN municipalities m ON m.code = c.municipality ORDER BY m.country DESC, c.id LIMIT 1")
row=$(sqlite3 demo/demo.db "SELECT printf('<tr><td>deadweight</td><td class=\"n\">%.3f</td><td class=\"n\">%.2f</td><td class=\"n\">%.3f</td><td class=\"n\">%.2f</td>', low, sroi_low, high, sroi_high) FROM sensitivity WHERE run = 1 AND case_id = '$first' AND assumption = 'deadweight'")
[ -n "$row" ] || fail "no deadweight sensitivity for $first"
# the tornado's scale starts at the lowest ratio drawn
lowest=$(sqlite3 demo/demo.db "SELECT replace(printf('%.2f', min(m)), '.', ',') FROM (SELECT min(sroi_low, sroi_high) AS m FROM sensitivity WHERE run = 1 AND case_id = '$first' UNION ALL SELECT sroi FROM case_values WHERE run = 1 AND case_id = '$first' UNION ALL SELECT 1)")
expect_contains "$(grep -o '<svg class="chart tornado".*' $html | head -c 4000)" "text-anchor=\"start\">$lowest</text>" "tornado scale from $lowest"
expect_eq "$(grep -o '<tr><td>deadweight</td>[^/]*/td>[^/]*/td>[^/]*/td>[^/]*/td>' report-en.html | head -1)" "$row" "the first case's deadweight row, from the database"
# the numbers are the run's; a file imported since is named, as the summaries read it now
expect_eq "$(grep -c 'Endret etter denne kjøringen' $html)" "0" "nothing imported since the run"
printf 'case,name,type\nno-bodo-nabolagshelse,Nytt lag,civil_society\n' > later.csv
"$GEVINST" import demo/demo.db partners later.csv > /dev/null
run report -c demo/demo.cfg --format html --lang nb
expect_contains "$out" "<h3>Endret etter denne kjøringen</h3>" "an import since the run is named"
expect_contains "$out" "<tr><td>partners</td><td>later.csv</td><td>$T/later.csv</td><td>" "with its source and file"
# text from the data never becomes markup: a country that holds a script
sqlite3 demo/demo.db "UPDATE municipalities SET country = 'NO<img src=x onerror=alert(1)>' WHERE code = '1804'"
"$GEVINST" report -c demo/demo.cfg --format html -o hostile.html 2>/dev/null
expect_contains "$(cat hostile.html)" "(NO&lt;img src=x onerror=alert(1)&gt;)" "escaped"
checks=$((checks + 1))
grep -q "<img" hostile.html && fail "markup from the data in the page"
# printed on A4, a case takes at most two pages
chrome --print-to-pdf="$T/report.pdf" --no-pdf-header-footer "file://$T/$html" 2>/dev/null
pages=$(grep -aEo '/Type ?/Page([^s]|$)' report.pdf | wc -l)
cases=$(grep -o '<section class="case">' $html | wc -l)
checks=$((checks + 1))
[ "$pages" -gt 0 ] && [ "$pages" -le $((2 * cases + 2)) ] || fail "$pages A4 pages for $cases sections"
chrome --window-size=1000,2400 --screenshot="$T/shot.png" "file://$T/$html" 2>/dev/null
checks=$((checks + 1))
[ -s shot.png ] && [ "$(head -c 4 shot.png | od -An -tx1 | tr -d ' ')" = "89504e47" ] || fail "no screenshot"
finish
