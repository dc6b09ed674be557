# test_faults.sh -- files that are not what gevinst expects: another
# program's SQLite file is refused and left byte for byte as it was; a
# database that can only be read is still reported on; a full disk is
# exit 4 with the file named.
. "$(dirname "$0")/lib.sh"

run demo --dir demo --format csv
expect_rc 0 "demo"
db=$T/demo/demo.db
printf 'code,name,country\n9999,Testby,NO\n' > muni.csv

# ------------------------------------------------ another program's file
# its header says rollback journal (bytes 18-19 are 1 1; WAL makes them 2 2)
refused_unchanged() { # refused_unchanged FILE what
    expect_rc 2 "$2"
    expect_contains "$err" "$1: not a gevinst database" "$2: says why"
    cmp -s "$1" "$1.orig" || fail "$2: the file changed"
    expect_eq "$(od -An -tu1 -j18 -N2 "$1" | tr -s ' ')" " 1 1" "$2: still no WAL"
}
sql other.db "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');"
cp other.db other.db.orig
run init other.db
refused_unchanged other.db "init on another program's file"
run import other.db municipalities muni.csv
refused_unchanged other.db "import into another program's file"
printf 'database = "other.db";\nperiods = ["2017"];\nindicators = ( { id = "p"; module = "sum"; params = { metric = "participants"; }; } );\n' > other.cfg
run run -c other.cfg
refused_unchanged other.db "run on another program's file"
run report -c other.cfg
refused_unchanged other.db "report on another program's file"

# one that uses user_version for itself, as many programs do
sql versioned.db "PRAGMA user_version = 3; CREATE TABLE cases (x); CREATE TABLE runs (y);"
cp versioned.db versioned.db.orig
run init versioned.db
refused_unchanged versioned.db "a file of schema version 3 without gevinst's tables"
expect_contains "$err" "schema version 3, but not gevinst's tables" "names what it lacks"
run import versioned.db municipalities muni.csv
refused_unchanged versioned.db "import into it"

# a file that is no database at all
printf 'not sqlite at all, but long enough to hold a header of a hundred bytes..............................\n' > text.db
cp text.db text.db.orig
run import text.db municipalities muni.csv
expect_rc 2 "a text file as a database"
expect_contains "$err" "text.db: not a gevinst database (file is not a database)" "says so"
cmp -s text.db text.db.orig || fail "the text file changed"

# ------------------------------------------------- a read-only database
mkdir ro
cp "$db" ro/demo.db
sed "s|^database = .*|database = \"demo.db\";|" demo/demo.cfg > ro/demo.cfg
grep -q '^database = "demo.db";' ro/demo.cfg || fail "the config's database line was not replaced"
run run -c ro/demo.cfg
run report -c ro/demo.cfg --format csv
expect_rc 0 "report, writable"
report_rw=$out
run explain --lang en -c ro/demo.cfg work_share no-drammen-jobbkafe 2018
expect_rc 0 "explain, writable"
explain_rw=$out
chmod 755 "$T"
# a reader leaves the (empty) log files of a WAL database behind: not here
rm -f ro/demo.db-wal ro/demo.db-shm
ways=0

# as a user who may only read the file, and not write in its folder
# (root may write anything; 'nobody' may not)
if [ "$(id -u)" = 0 ] && setpriv --reuid=65534 --regid=65534 --clear-groups "$GEVINST" --help >/dev/null 2>&1; then
    as_reader() { setpriv --reuid=65534 --regid=65534 --clear-groups "$GEVINST" "$@"; }
elif [ "$(id -u)" != 0 ]; then
    as_reader() { "$GEVINST" "$@"; }
fi
if command -v as_reader >/dev/null; then
    ways=$((ways + 1))
    chmod 444 ro/demo.db; chmod 555 ro
    before=$(sha256sum ro/demo.db)
    as_reader report -c ro/demo.cfg --format csv >"$T/stdout" 2>"$T/stderr"; rc=$?; out=$(cat "$T/stdout"); err=$(cat "$T/stderr")
    expect_rc 0 "report on a file one may only read, in a folder one may not write"
    expect_eq "$out" "$report_rw" "the same report"
    as_reader explain --lang en -c ro/demo.cfg work_share no-drammen-jobbkafe 2018 >"$T/stdout" 2>"$T/stderr"; rc=$?; out=$(cat "$T/stdout"); err=$(cat "$T/stderr")
    expect_rc 0 "explain on it"
    expect_eq "$out" "$explain_rw" "the same explanation"
    as_reader runs ro/demo.db >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
    expect_rc 0 "runs on it"
    as_reader sources ro/demo.db >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
    expect_rc 0 "sources on it"
    as_reader import ro/demo.db municipalities "$T/muni.csv" >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
    expect_rc 4 "import into it: the database cannot be written"
    expect_contains "$err" "ro/demo.db" "the file named"
    expect_eq "$(sha256sum ro/demo.db)" "$before" "the file as it was"
    expect_eq "$(ls ro)" "$(printf 'demo.cfg\ndemo.db')" "no -wal or -shm left"
    # the folder writable, the file not: a WAL reader makes its -shm
    chmod 755 ro
    as_reader report -c ro/demo.cfg --format csv >"$T/stdout" 2>"$T/stderr"; rc=$?; out=$(cat "$T/stdout"); err=$(cat "$T/stderr")
    [ "$(id -u)" = 0 ] && chmod 777 ro
    as_reader report -c ro/demo.cfg --format csv >"$T/stdout" 2>"$T/stderr"; rc=$?; out=$(cat "$T/stdout"); err=$(cat "$T/stderr")
    expect_rc 0 "report on a file one may only read, in a folder one may write"
    expect_eq "$out" "$report_rw" "the same report"
    chmod 755 ro; chmod 644 ro/demo.db
    rm -f ro/demo.db-shm ro/demo.db-wal
fi

# as root: a file and folder made immutable (chattr +i stops root too)
if [ "$(id -u)" = 0 ] && chattr +i ro/demo.db 2>/dev/null; then
    ways=$((ways + 1))
    chattr +i ro
    trap 'chattr -i "$T/ro" "$T/ro/demo.db" 2>/dev/null; rm -rf "$T"' EXIT
    before=$(sha256sum ro/demo.db)
    run report -c ro/demo.cfg --format csv
    expect_rc 0 "report on an immutable file and folder"
    expect_eq "$out" "$report_rw" "the same report"
    run explain --lang en -c ro/demo.cfg work_share no-drammen-jobbkafe 2018
    expect_rc 0 "explain on it"
    expect_eq "$out" "$explain_rw" "the same explanation"
    run run -c ro/demo.cfg
    expect_rc 4 "run on it: the database cannot be written"
    expect_contains "$err" "ro/demo.db" "the file named"
    expect_eq "$(sha256sum ro/demo.db)" "$before" "the file as it was"
    chattr -i ro ro/demo.db
fi
[ "$ways" -gt 0 ] || fail "no way to make a read-only database here (not root, no setpriv, no chattr)"

# ------------------------------------------------------------ a full disk
# writing past RLIMIT_FSIZE fails as a full disk does (EFBIG, SIGXFSZ
# ignored); the run's log outgrows 64 KiB, its transaction is rolled back
cp "$db" full.db
sed "s|^database = .*|database = \"full.db\";|" demo/demo.cfg > full.cfg
rm -f full.db-wal full.db-shm
runs_before=$(sql full.db "SELECT count(*) FROM runs")
(trap '' XFSZ; ulimit -f 64; exec "$GEVINST" run -c full.cfg) >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 4 "a run on a full disk"
expect_contains "$err" "$T/full.db: disk I/O error" "the file named"
expect_eq "$(sql full.db "SELECT count(*) FROM runs")" "$runs_before" "nothing of the run stored"
(trap '' XFSZ; ulimit -f 1; exec "$GEVINST" import full.db municipalities muni.csv) >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 4 "an import on a full disk"
expect_contains "$err" "$T/full.db" "the file named"

finish
