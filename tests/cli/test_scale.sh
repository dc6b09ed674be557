# test_scale.sh -- reports grow in step with the cases, not with their
# square: with every case following a realisation plan, a report of four
# times the cases takes about four times as long (a ratio of two sizes, far
# from the sixteen a quadratic report would take, not a timed limit).
. "$(dirname "$0")/lib.sh"

# N cases, each with one metric in hours over two years and two gains on an
# indicator with no unit (whether it counts persons is found from its values)
make_db() { # make_db N DIR
    mkdir -p "$2"
    echo "code,name,country" > "$2/m.csv"; echo "0301,Oslo,NO" >> "$2/m.csv"
    awk -v n="$1" 'BEGIN { print "id,municipality,title"; for (i = 1; i <= n; i++) printf "c%05d,0301,Sak %d\n", i, i }' > "$2/c.csv"
    awk -v n="$1" 'BEGIN { print "case,metric,period,value,unit"
        for (i = 1; i <= n; i++) { printf "c%05d,h,2018,%d,hours\n", i, 10 + i % 7; printf "c%05d,h,2019,%d,hours\n", i, 12 + i % 5 } }' > "$2/o.csv"
    awk -v n="$1" 'BEGIN { print "case,gain,indicator,type,beneficiary,baseline,baseline_period,target,target_period"
        for (i = 1; i <= n; i++) { printf "c%05d,g1,hrs,time,municipality,5,2017,20,2019\n", i; printf "c%05d,g2,hrs,time,citizens,8,2017,30,2019\n", i } }' > "$2/g.csv"
    "$GEVINST" init "$2/s.db" >/dev/null
    for k in m:municipalities c:cases o:observations g:gains; do
        "$GEVINST" import "$2/s.db" "${k#*:}" "$2/${k%%:*}.csv" >/dev/null || fail "import ${k#*:}"
    done
    printf 'database = "s.db";\nperiods = ["2018", "2019"];\nindicators = ( { id = "hrs"; module = "sum"; isolate = false; params = { metric = "h"; }; } );\n' > "$2/s.cfg"
    "$GEVINST" run -c "$2/s.cfg" -q >/dev/null || fail "run $1"
}

# seconds a report of DIR takes, the best of three
report_time() {
    best=""
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        "$GEVINST" report -c "$1/s.cfg" --format json > "$1/r.json" || fail "report $1"
        end=$(date +%s.%N)
        best=$(awk -v a="$start" -v b="$end" -v m="$best" 'BEGIN { t = b - a; print (m == "" || t < m) ? t : m }')
    done
    echo "$best"
}

make_db 1000 small
make_db 4000 large
small=$(report_time small)
large=$(report_time large)
expect_eq "$(grep -o '"gain":"g2"' large/r.json | wc -l)" "8000" "every gain of 4000 cases in both years"
ratio=$(awk -v a="$small" -v b="$large" 'BEGIN { printf "%.1f", b / a }')
echo "report --format json: 1000 cases $small s, 4000 cases $large s, ratio $ratio"
checks=$((checks + 1))
awk -v r="$ratio" 'BEGIN { exit !(r < 9) }' || fail "a report of 4x the cases took ${ratio}x as long: not linear"
finish
