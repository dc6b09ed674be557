# test_golden.sh -- the demo's reports in bokmål, Danish and English, as
# text and as the CSV Excel opens, exactly as the files in tests/golden say.
# After a change meant to alter them, rewrite the files with
#   GEVINST_UPDATE_GOLDEN=1 ctest --test-dir build -R golden
# and read the diff before committing it.
. "$(dirname "$0")/lib.sh"
golden="$GEVINST_SOURCE/tests/golden"

run demo --dir demo
expect_rc 0 "demo"
compare() { # compare NAME: the file made here against the golden one
    if [ -n "${GEVINST_UPDATE_GOLDEN:-}" ]; then
        cp "$1" "$golden/$1"
        return
    fi
    checks=$((checks + 1))
    diff -u "$golden/$1" "$1" > "$1.diff" || { fail "$1 differs from tests/golden/$1:"; head -20 "$1.diff" >&2; }
}
for lang in nb da en; do
    # the text report, less its first lines (the run's time and paths)
    "$GEVINST" report -c demo/demo.cfg --lang "$lang" | sed 1,4d > "report-$lang.txt"
    compare "report-$lang.txt"
    for table in gains value; do
        "$GEVINST" report -c demo/demo.cfg --format csv --table "$table" --excel --lang "$lang" \
            -o "$table-$lang.csv" 2>/dev/null
        compare "$table-$lang.csv"
    done
done
finish
