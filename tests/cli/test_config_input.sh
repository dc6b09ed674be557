# test_config_input.sh -- what an operator's files can hold and what they
# cannot: module files beside the config, never on the system's library
# path; config text in UTF-8; periods once each; whole-number limits;
# import of regular files (or stdin) only, with the real field count; CSV
# for Excel that no cell can turn into a formula.
. "$(dirname "$0")/lib.sh"

run demo --dir demo --format csv
expect_rc 0 "demo"
db=$T/demo/demo.db

# ---------------------------------------------------------------- plugins
mkdir conf
cp "$GEVINST_TEST_PLUGINS/good_plugin.so" conf/h.so
cat > conf/h.cfg <<CFG
database = "$db";
periods = ["2017"];
indicators = ( { id = "h"; plugin = "h.so"; params = { metric = "participants"; }; } );
CFG
# from the config's own folder, "h.so" has no slash: dlopen would search
# the system's library path and not find it
(cd conf && "$GEVINST" list -c h.cfg >"$T/stdout" 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr"); out=$(cat "$T/stdout")
expect_rc 0 "a plugin beside the config, named without a slash"
expect_contains "$out" "h" "the plugin is listed"
expect_contains "$out" "./h.so" "as the file beside the config"

# nor does gevinst itself look for its libraries in the current folder
# (an empty entry in its RUNPATH)
runpath=$(readelf -d "$GEVINST" | sed -n 's/.*Library runpath: \[\(.*\)\]/\1/p')
case ":$runpath:" in "::") ;; *::*) fail "gevinst's RUNPATH [$runpath] has an empty entry: the current folder" ;; esac

# a plugin named as a system library loads the file beside the config,
# whose hash is the one recorded; the system's libm has no descriptor
cp "$GEVINST_TEST_PLUGINS/good_plugin.so" conf/libm.so.6
sed 's/h\.so/libm.so.6/' conf/h.cfg > conf/m.cfg
(cd conf && "$GEVINST" run -c m.cfg --format csv >"$T/stdout" 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr"); out=$(cat "$T/stdout")
expect_rc 0 "plugin = libm.so.6 beside the config"
expect_eq "$(sql "$db" "SELECT module || ' ' || module_version || ' ' || module_hash FROM run_indicators WHERE indicator = 'h' ORDER BY run DESC LIMIT 1")" \
    "good 2.3.4 $(sha256sum conf/libm.so.6 | cut -d' ' -f1)" "the local file ran, and its hash is recorded"
rm conf/libm.so.6
(cd conf && "$GEVINST" check -c m.cfg >"$T/stdout" 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "plugin = libm.so.6 with no such file beside the config"
expect_contains "$err" "./libm.so.6: cannot read plugin: No such file or directory" "never the system's libm"

# ------------------------------------------------------------ config text
cfg_with() { # cfg_with FILE PERIODS LIMITS
    printf 'database = "%s";\nperiods = %s;\n%s\nindicators = ( { id = "p"; module = "sum"; params = { metric = "participants"; }; } );\n' \
        "$db" "$2" "$3" > "$1"
}
cfg_with latin.cfg '["2017"]' $'report = { label = "Bod\370"; };'
run check -c latin.cfg
expect_rc 2 "a Latin-1 config"
expect_eq "$err" "latin.cfg:3: not valid UTF-8 (byte 24 of the line); save the config as UTF-8" "named at its line"
cfg_with utf8.cfg '["2017"]' 'report = { label = "Bodø"; };'
run check -c utf8.cfg
expect_rc 0 "the same config in UTF-8"
printf 'report = { label = "\370"; };\n' > inc.cfg
cfg_with incl.cfg '["2017"]' '@include "inc.cfg"'
run check -c incl.cfg
expect_rc 2 "a Latin-1 file included"
expect_contains "$err" "inc.cfg:1: not valid UTF-8 (byte 21 of the line)" "the included file named"

cfg_with twice.cfg '["2017",
  "2018", "2017"]' ''
before=$(db_digest "$db")
run check -c twice.cfg
expect_rc 2 "a period twice"
expect_contains "$err" "twice.cfg:3: periods: element 3 '2017' is there twice" "check names it at its line"
run run -c twice.cfg
expect_rc 2 "run refuses it before storing anything"
expect_eq "$(db_digest "$db")" "$before" "nothing stored"
cfg_with q.cfg '["2017-Q1", "2017", "2017-Q1"]' ''
run check -c q.cfg
expect_rc 2 "a quarter twice"
expect_contains "$err" "q.cfg:2: periods: element 3 '2017-Q1' is there twice" "a quarter twice, named"

# at most 10,000 periods, in a list or a range (found by fuzz_config: a
# long range was slow to build), each list checked for twice quickly
list=$(i=0; printf '["2017-01-01"'; while [ $i -lt 10000 ]; do printf ', "2017-01-01"'; i=$((i + 1)); done; printf ']')
cfg_with long.cfg "$list" ''
timeout 20 "$GEVINST" check -c long.cfg >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "a list of 10,001 periods"
expect_eq "$err" "long.cfg:2: periods: more than 10000 periods" "refused as too many"
cfg_with range.cfg '{ from = "2017-01-01"; to = "2044-05-18"; }' ''
timeout 20 "$GEVINST" check -c range.cfg >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 0 "a range of exactly 10,000 days"
cfg_with range2.cfg '{ from = "2017-01-01"; to = "2044-05-19"; }' ''
timeout 20 "$GEVINST" check -c range2.cfg >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "a range of 10,001 days"
expect_contains "$err" "periods: more than 10000 periods" "refused as too many"

cfg_with half.cfg '["2017"]' 'limits = { time_ms = 1.5; instructions = 2e6; memory_mb = 0.5; };'
run check -c half.cfg
expect_rc 2 "limits that are not whole numbers"
expect_contains "$err" "half.cfg:3: limits.time_ms must be a whole number from 1 to 1e9" "time_ms = 1.5"
expect_contains "$err" "half.cfg:3: limits.instructions must be a whole number from 1 to 1e9" "instructions = 2e6"
case "$err" in *memory_mb*) fail "memory_mb = 0.5 is a fraction of a MiB, allowed" ;; esac
cfg_with whole.cfg '["2017"]' 'limits = { time_ms = 1500; instructions = 2000000; memory_mb = 0.5; };'
run check -c whole.cfg
expect_rc 0 "whole limits"

# ----------------------------------------------------------------- import
before=$(db_digest "$db")
# a device never ends: refused at once, holding no lock
timeout 20 "$GEVINST" import "$db" observations /dev/zero >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "import of /dev/zero"
expect_eq "$err" "gevinst: /dev/zero: not a regular file; import reads files, or standard input given as '-'" "refused as no file"
mkfifo fifo
timeout 20 "$GEVINST" import "$db" observations fifo >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "import of a FIFO, with no writer"
expect_contains "$err" "fifo: not a regular file" "refused without waiting for a writer"
expect_eq "$(db_digest "$db")" "$before" "the database as it was"

# standard input, named as a source
printf 'code,name,country
9999,Testby,NO
' > muni.csv
"$GEVINST" import "$db" municipalities - <muni.csv >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "stdin without a source's name"
expect_contains "$err" "standard input ('-') needs a source's name: --source NAME" "says so"
"$GEVINST" import "$db" municipalities - --source testby <muni.csv >"$T/stdout" 2>"$T/stderr"; rc=$?; out=$(cat "$T/stdout")
expect_rc 0 "stdin with --source"
expect_eq "$(sql "$db" "SELECT name FROM municipalities WHERE code = '9999'")" "Testby" "its row stored"
expect_eq "$(sql "$db" "SELECT source || ' ' || file || ' ' || sha256 || ' ' || rows FROM imports WHERE source = 'testby'")" \
    "testby stdin $(sha256sum muni.csv | cut -d' ' -f1) 1" "recorded with the hash of what was read"
printf 'code,name,country
9999,Testby,NO
9998,Bad;by
' | "$GEVINST" import "$db" municipalities - --source testby >"$T/stdout" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 3 "bad data on stdin"
expect_eq "$err" "gevinst: stdin:3: 2 fields, but the header has 3" "named as stdin"

# the write lock is taken after the input is read: while a slow pipe
# still writes, another writer gets the database at once
printf 'code,name,country\n9997,Treg,NO\n' > slow.csv
(sleep 2; cat slow.csv) | "$GEVINST" import "$db" municipalities - --source slow >"$T/slow.out" 2>&1 &
sleep 0.5
sql -cmd ".timeout 0" "$db" "BEGIN IMMEDIATE; UPDATE municipalities SET name = 'Testby2' WHERE code = '9999'; COMMIT;" 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 0 "another writer while the import still reads"
wait
expect_eq "$(sql "$db" "SELECT count(*) FROM municipalities WHERE code IN ('9997') OR name = 'Testby2'")" "2" "both stored"
# a row of 100,004 fields counts them all
{ echo "case,metric,period,value"; printf 'c,m,2017,1'; i=4; while [ $i -lt 100004 ]; do printf ',x'; i=$((i + 1)); done; echo; } > wide.csv
run import "$db" observations wide.csv
expect_rc 3 "a row of 100,004 fields"
expect_eq "$err" "gevinst: wide.csv:2: 100004 fields, but the header has 4 (a decimal comma, as in 12,5? write 12.5; or quote a text that holds a comma)" "the real count"

# ------------------------------------------------------------------ Excel
# a case named to be a formula stays text in Excel: every start OWASP lists
run init x.db
printf 'code,name,country\n0301,Oslo,NO\n' > xm.csv
printf 'id,municipality,title\n"=1+1",0301,a\n"+1",0301,b\n"-1",0301,c\n"@SUM(1)",0301,d\n"\tTAB",0301,e\n"\rCR",0301,f\n"\nLF",0301,g\nplain,0301,h\n' > xc.csv
run import x.db municipalities xm.csv
run import x.db cases xc.csv
expect_rc 0 "cases named as formulas"
printf 'database = "x.db";\nperiods = ["2017"];\nindicators = ( { id = "p"; module = "sum"; params = { metric = "m"; }; } );\n' > x.cfg
run run -c x.cfg
run report -c x.cfg --format csv --excel -o x.csv
expect_rc 0 "the report for Excel"
flat=$(tr '\n\r\t' 'NRT' < x.csv)
for cell in "'=1+1;" "'+1;" "'-1;" "'@SUM(1);" "'TTAB;" "\"'RCR\";" "\"'NLF\";" ";plain;"; do
    expect_contains "$flat" "$cell" "cell $cell in the Excel CSV"
done
run report -c x.cfg --format csv
expect_contains "$out" $'\n1,p,\tTAB,2017' "without --excel a cell is as stored"

finish
