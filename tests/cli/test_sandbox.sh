# test_sandbox.sh -- hostile Lua scripts (tests/hostile/*.lua) through the
# real command, in process and isolated: each fails alone with its
# message, nothing hangs or crashes, and the next case is evaluated.
# docs/testing.md, "Sandbox and isolation regression list".
. "$(dirname "$0")/lib.sh"

run demo --dir demo -q
expect_rc 0 "demo"
mkdir m
cp "$GEVINST_SOURCE"/tests/hostile/*.lua m/

# cfg NAME ISOLATE: a config with the hostile script NAME and a good indicator
cfg() {
    printf 'database = "demo/demo.db";\nperiods = ["2017", "2018"];\nmodule_path = ["m"];
limits = { instructions = 2000000; time_ms = 20000; };
indicators = ( { id = "x"; module = "%s"; isolate = %s; },
  { id = "good"; module = "sum"; params = { metric = "participants"; }; } );\n' "$1" "$2" > "$1-$2.cfg"
    echo "$1-$2.cfg"
}

# run_bounded ARGS...: run, but a hang is a failure, not a stuck test
run_bounded() {
    timeout 120 "$GEVINST" "$@" >"$T/stdout" 2>"$T/stderr"
    rc=$?
    out=$(cat "$T/stdout")
    err=$(cat "$T/stderr")
}

# x_results RUN: the hostile indicator's first three results, status and error
x_results() {
    sql demo/demo.db "SELECT case_id || ' ' || period || ' ' || status || ' ' || ifnull(value, '-') || ' ' || ifnull(substr(error, 1, instr(error || char(10), char(10)) - 1), '') FROM results WHERE run = $1 AND indicator = 'x' ORDER BY case_id, period LIMIT 3"
}
good_count() {
    sql demo/demo.db "SELECT count(*) FROM results WHERE run = $1 AND indicator = 'good' AND status = 'ok'"
}
runs=1 # the demo's

for iso in false true; do
    # a __close that loops, run after the kill: stopped too, next case evaluated
    run_bounded run -c "$(cfg close_after_kill $iso)" -q
    runs=$((runs + 1))
    expect_rc 1 "__close after the kill ($iso)"
    expect_eq "$(x_results $runs)" "dk-kobenhavn-socialokonomi 2017 error - m/close_after_kill.lua: instruction limit of 2000000 reached
dk-kobenhavn-socialokonomi 2018 error - m/close_after_kill.lua: instruction limit of 2000000 reached
no-bodo-nabolagshelse 2017 error - m/close_after_kill.lua: instruction limit of 2000000 reached" \
        "every case stopped by its own limit ($iso)"
    expect_eq "$(good_count $runs)" "12" "the other indicator computed ($iso)"

    # a message handler that loops, called with the kill's error
    run_bounded run -c "$(cfg handler_after_kill $iso)" -q
    runs=$((runs + 1))
    expect_rc 1 "xpcall handler after the kill ($iso)"
    expect_eq "$(x_results $runs | head -1)" \
        "dk-kobenhavn-socialokonomi 2017 error - m/handler_after_kill.lua: instruction limit of 2000000 reached" \
        "the handler stopped too ($iso)"

    # a coroutine.wrap whose coroutine is killed: its looping __close never runs
    run_bounded run -c "$(cfg wrap_close_after_kill $iso)" -q
    runs=$((runs + 1))
    expect_rc 1 "wrap with __close after the kill ($iso)"
    expect_eq "$(x_results $runs | head -1)" \
        "dk-kobenhavn-socialokonomi 2017 error - m/wrap_close_after_kill.lua: instruction limit of 2000000 reached" \
        "wrap stopped ($iso)"

    # a coroutine killed in one case and closed in the next
    run_bounded run -c "$(cfg kept_killed_coroutine $iso)" -q
    runs=$((runs + 1))
    expect_rc 1 "killed coroutine closed later ($iso)"
    expect_eq "$(x_results $runs | head -2)" \
        "dk-kobenhavn-socialokonomi 2017 error - m/kept_killed_coroutine.lua: instruction limit of 2000000 reached
dk-kobenhavn-socialokonomi 2018 error - coroutine stopped by a limit: its __close handlers do not run" \
        "its __close never runs ($iso)"

    # the same while loading: check returns
    run_bounded check -c "$(cfg close_after_kill_load $iso)"
    expect_rc 2 "__close after the kill while loading ($iso)"
    expect_contains "$err" "m/close_after_kill_load.lua: instruction limit of 2000000 reached" "load stopped ($iso)"

    # ctx's metatable is locked: no finalizer through it
    run_bounded run -c "$(cfg ctx_gc $iso)" -q
    runs=$((runs + 1))
    expect_rc 1 "__gc through ctx's metatable ($iso)"
    expect_eq "$(x_results $runs | head -1)" \
        "dk-kobenhavn-socialokonomi 2017 error - m/ctx_gc.lua:4: attempt to index a string value (local 'mt')" \
        "getmetatable(ctx) is 'locked' ($iso)"

    # pairs(string) gives no way to the real table
    run_bounded run -c "$(cfg pairs_real $iso)" -q
    runs=$((runs + 1))
    expect_rc 0 "pairs(string) ($iso)"
    expect_eq "$(sql demo/demo.db "SELECT group_concat(DISTINCT value) FROM results WHERE run = $runs AND indicator = 'x'")" \
        "1.0" "string.upper stays whole ($iso)"

    # a ctx kept from one case is dead in the next
    run_bounded run -c "$(cfg kept_ctx $iso)" -q
    runs=$((runs + 1))
    expect_rc 1 "kept ctx ($iso)"
    expect_eq "$(x_results $runs)" "dk-kobenhavn-socialokonomi 2017 ok 56.0 
dk-kobenhavn-socialokonomi 2018 error - m/kept_ctx.lua:4: ctx used outside evaluate
no-bodo-nabolagshelse 2017 error - m/kept_ctx.lua:4: ctx used outside evaluate" "kept ctx refused ($iso)"

    # nested coroutine.close from __close: bounded, no crash
    run_bounded run -c "$(cfg coroutine_close_nest $iso)" -q
    runs=$((runs + 1))
    expect_rc 1 "nested coroutine.close ($iso)"
    expect_contains "$(x_results $runs | head -1)" "coroutines closed too deeply nested" "close depth bounded ($iso)"
    expect_eq "$(good_count $runs)" "12" "and the run stored ($iso)"

    # error text that is not UTF-8 leaves JSON valid
    run_bounded run -c "$(cfg bad_utf8 $iso)" --format json
    runs=$((runs + 1))
    expect_rc 1 "bad UTF-8 in an error ($iso)"
    printf '%s' "$out" > out.json
    expect_eq "$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('out.json') AS TEXT))")" "1" "JSON valid ($iso)"
    expect_contains "$out" "m/bad_utf8.lua:2: bad $(printf '\357\277\275\357\277\275')" "bad bytes shown as U+FFFD ($iso)"

    # ctx:query at the memory limit inside pcall: the statement is finalized
    # (the sanitizer build finds a leak otherwise); the value is computed
    printf 'database = "demo/demo.db";\nperiods = ["2017"];\nmodule_path = ["m"];
limits = { memory_mb = 4; };
indicators = ( { id = "x"; module = "query_memory"; isolate = %s; } );\n' $iso > qm.cfg
    run_bounded run -c qm.cfg -q
    runs=$((runs + 1))
    expect_rc 0 "query at the memory limit ($iso)"
    expect_eq "$(sql demo/demo.db "SELECT count(*) FROM results WHERE run = $runs AND value = 1")" "6" "every case computed ($iso)"
done

# a module name cannot leave the module path
mkdir outside
cp m/pairs_real.lua outside/evil.lua
printf 'database = "demo/demo.db";\nperiods = ["2017"];\nmodule_path = ["m"];\nindicators = ( { id = "x"; module = "../outside/evil"; } );\n' > escape.cfg
run check -c escape.cfg
expect_rc 2 "module = ../outside/evil"
expect_eq "$err" "escape.cfg:4: module '../outside/evil' must be a name, not a path (a file: plugin, script)" "module name refused"
run run -c escape.cfg
expect_rc 2 "run refuses it too"
expect_eq "$(sql demo/demo.db "SELECT count(*) FROM runs")" "$runs" "and stores nothing"

# what a module says of itself: bad bytes, escapes, a metatable on a param,
# an endless name; in process and isolated, never a crash or bad JSON
mkdir -p words
printf 'return { unit = "kr\\255\\27]0;x\\7", description = "d\\128", evaluate = function() return 1 end }\n' > words/badwords.lua
printf 'return { evaluate = function() return 1 end, params = { x = setmetatable({}, {__index = function() error("boom") end}) } }\n' > words/metaparam.lua
printf 'return { name = string.rep("x", 5000), evaluate = function() return 1 end }\n' > words/longname.lua
for iso in true false; do
    printf 'database = "demo/demo.db";\nmodule_path = ["words"];\nperiods = ["2018"];\nindicators = ( { id = "w"; module = "badwords"; isolate = %s; }, { id = "p"; module = "metaparam"; isolate = %s; }, { id = "l"; module = "longname"; isolate = %s; } );\n' $iso $iso $iso > words.cfg
    run run -c words.cfg --format json
    expect_rc 1 "hostile words ($iso): the run stored, some indicators failed"
    checks=$((checks + 1))
    printf '%s' "$out" | /usr/bin/python3 -c "import json, sys; json.load(sys.stdin)" 2>/dev/null || fail "valid JSON ($iso)"
    case $out in *$(printf '\033')*) fail "an escape in the output ($iso)" ;; esac
    expect_contains "$err" "param 'x': type must be" "a metatable on a param does not run ($iso)"
    expect_contains "$err" "its name is longer than 4096 bytes" "an endless name refused ($iso)"
done
finish
