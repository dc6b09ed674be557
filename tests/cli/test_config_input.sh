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

cfg_with half.cfg '["2017"]' 'limits = { time_ms = 1.5; instructions = 2e6; memory_mb = 0.5; };'
run check -c half.cfg
expect_rc 2 "limits that are not whole numbers"
expect_contains "$err" "half.cfg:3: limits.time_ms must be a whole number from 1 to 1e9" "time_ms = 1.5"
expect_contains "$err" "half.cfg:3: limits.instructions must be a whole number from 1 to 1e9" "instructions = 2e6"
case "$err" in *memory_mb*) fail "memory_mb = 0.5 is a fraction of a MiB, allowed" ;; esac
cfg_with whole.cfg '["2017"]' 'limits = { time_ms = 1500; instructions = 2000000; memory_mb = 0.5; };'
run check -c whole.cfg
expect_rc 0 "whole limits"

finish
