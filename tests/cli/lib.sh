# lib.sh -- helpers for the command-line tests: each test runs the real
# gevinst binary ($GEVINST, set by ctest) in a fresh temporary folder.
set -u
: "${GEVINST:?run through ctest}"
T=$(mktemp -d "${TMPDIR:-/tmp}/gevinst-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
failures=0
checks=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run CMD...: runs gevinst, keeps stdout in $out, stderr in $err, code in $rc
run() {
    "$GEVINST" "$@" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    out=$(cat "$T/stdout")
    err=$(cat "$T/stderr")
}

expect_rc() { # expect_rc N what
    checks=$((checks + 1))
    [ "$rc" = "$1" ] || fail "$2: exit $rc, expected $1; stderr: $err"
}

expect_eq() { # expect_eq ACTUAL EXPECTED what
    checks=$((checks + 1))
    [ "$1" = "$2" ] || fail "$3: got [$1], expected [$2]"
}

expect_contains() { # expect_contains HAYSTACK NEEDLE what
    checks=$((checks + 1))
    case "$1" in *"$2"*) ;; *) fail "$3: [$1] does not contain [$2]" ;; esac
}

sql() { sqlite3 -batch -noheader "$@"; }

# a digest of everything in a database, to show it did not change
db_digest() { sqlite3 "$1" .dump | sha256sum | cut -d' ' -f1; }

finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" = 0 ]
    exit $?
}
