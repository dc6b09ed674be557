# test_isolation.sh -- hostile C plugins (tests/fixtures/hostile.c,
# init_writer.c, forger.c) through the real command: however the worker
# dies its finished values are kept, the case it died on is blamed and the
# next case is evaluated; what it prints is no result; it cannot write the
# database or any file, start a process that outlives it, or signal the
# host; a forged message fails its module alone.  docs/testing.md,
# "Sandbox and isolation regression list".
. "$(dirname "$0")/lib.sh"

run demo --dir demo -q
expect_rc 0 "demo"
db=demo/demo.db
P=$GEVINST_TEST_PLUGINS

# cfg HOW [EXTRA]: the hostile plugin misbehaving on no-bodo-nabolagshelse,
# and a good indicator
cfg() {
    printf 'database = "%s";\nperiods = ["2017", "2018"];\nmodule_path = ["%s"];
limits = { time_ms = 1000; };
indicators = ( { id = "x"; module = "hostile"; params = { how = "%s";%s }; %s },
  { id = "good"; module = "sum"; params = { metric = "participants"; }; } );\n' \
        "$db" "$P" "$1" "${2:-}" "${3:-}" > "$1.cfg"
    echo "$1.cfg"
}
last_run() { sql "$db" "SELECT max(id) FROM runs"; }
# x_at CASE PERIOD: the hostile indicator's value or error there, last run
x_at() {
    sql "$db" "SELECT coalesce(value, error) FROM results WHERE run = $(last_run) AND indicator = 'x' AND case_id = '$1' AND period = '$2'"
}
good_count() {
    sql "$db" "SELECT count(*) FROM results WHERE run = $(last_run) AND indicator = 'good' AND status = 'ok'"
}

# every way to die: the value before is kept, the right case blamed, the
# next case evaluated by a new worker
b=no-bodo-nabolagshelse
for how in "sigkill:crashed in case '$b', period 2017: signal 9 (Killed)" \
    "sigterm:crashed in case '$b', period 2017: signal 15 (Terminated)" \
    "exit0:exited in case '$b', period 2017 with status 0" \
    "exit:exited in case '$b', period 2017 with status 0" \
    "dfl_segv:crashed in case '$b', period 2017: signal 11 (Segmentation fault)" \
    "alrm_loop:stopped in case '$b', period 2017: time limit of 1000 ms reached"; do
    name=${how%%:*}
    timeout 120 "$GEVINST" run -c "$(cfg "$name")" -q >/dev/null 2>stderr
    rc=$?
    expect_rc 1 "$name"
    expect_eq "$(x_at dk-kobenhavn-socialokonomi 2018)" "42.0" "$name: the value before is kept"
    expect_eq "$(x_at $b 2017)" "${how#*:}" "$name: the right case blamed"
    expect_eq "$(x_at no-drammen-jobbkafe 2017)" "42.0" "$name: the next case evaluated"
    expect_eq "$(good_count)" "12" "$name: the other indicator computed"
done

# a module that dies on every value: 16 new workers, then the keeper gives up
sed -e 's/periods = \["2017", "2018"\];/periods = { from = "2017-01"; to = "2018-12"; };/' \
    -e 's/how = "sigkill";/how = "sigkill"; on = "*";/' "$(cfg sigkill)" > every.cfg
run run -c every.cfg -q
expect_rc 1 "dies on every value"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = $(last_run) AND indicator = 'x' AND error LIKE 'crashed in case%signal 9 (Killed)'")" \
    "17" "17 values tried, each blamed for its own crash"
expect_eq "$(sql "$db" "SELECT DISTINCT error FROM results WHERE run = $(last_run) AND indicator = 'x' AND error NOT LIKE 'crashed%'")" \
    "not evaluated: the module stopped after 17 failures; the last: crashed in case 'dk-kobenhavn-socialokonomi', period 2018-05: signal 9 (Killed)" \
    "the rest not evaluated"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = $(last_run) AND indicator = 'good' AND status != 'error'")" \
    "$(sql "$db" "SELECT count(*) FROM results WHERE run = $(last_run) AND indicator = 'x'")" "the other indicator computed"

# what the plugin prints goes to stderr, never into results
run run -c "$(cfg print)" --format json
expect_rc 0 "printing plugin"
printf '%s' "$out" > out.json
expect_eq "$(sqlite3 :memory: "SELECT json_valid(CAST(readfile('out.json') AS TEXT))")" "1" "JSON stays valid"
expect_contains "$err" "printed by the plugin" "printf goes to stderr"
expect_contains "$err" "written to fd 1" "write(1) goes to stderr"
run run -c print.cfg --format csv
case "$out" in *printed*|*written*) fail "CSV holds what the plugin printed" ;; esac
checks=$((checks + 1))

# no process outlives the run: fork is refused (seccomp), and so a setsid
# grandchild never starts
run run -c "$(cfg setsid "pidfile = \"$T/grandchild.pid\";")" -q
expect_rc 1 "setsid grandchild"
expect_eq "$(x_at $b 2017)" "fork refused: Operation not permitted" "fork refused"
expect_eq "$(ls "$T/grandchild.pid" 2>/dev/null)" "" "no grandchild ever ran"

# no signal to the keeper, the host or everyone
run run -c "$(cfg kill_parent)" -q
expect_rc 1 "kill the parent"
expect_eq "$(x_at $b 2017)" "kill refused: -1 -1 -1" "kill refused"
expect_eq "$(good_count)" "12" "the run went on"

# resource limits in the worker (no address-space limit under ASan)
run run -c "$(cfg limits)" -q
expect_rc 1 "limits"
case "$(x_at $b 2017)" in
"as limited, nofile 64, fsize limited, cpu limited and raised by the keeper" | \
    "as unlimited, nofile 64, fsize limited, cpu limited and raised by the keeper") ;;
*) fail "worker limits: $(x_at $b 2017)" ;;
esac
checks=$((checks + 1))

# the database cannot be written: by SQLite of its own, by raw writes --
# another gevinst database byte for byte, and the run's own
cp "$db" target.db
before=$(sha256sum target.db | cut -d' ' -f1)
run run -c "$(cfg sqlite "db = \"$T/target.db\";")" -q
expect_rc 1 "sqlite write in evaluate"
expect_eq "$(x_at $b 2017)" "sqlite write refused: attempt to write a readonly database" "SQLite refused"
run run -c "$(cfg pwrite "db = \"$T/target.db\";")" -q
expect_rc 1 "raw write in evaluate"
expect_eq "$(x_at $b 2017)" "raw write refused: open O_RDWR: Permission denied; open O_WRONLY: Permission denied; pwrite: Operation not permitted" "raw writes refused"
expect_eq "$(sha256sum target.db | cut -d' ' -f1)" "$before" "the other database is byte for byte as it was"
run run -c "$(cfg pwrite "db = \"$T/$db\";")" -q
run run -c "$(cfg sqlite "db = \"$T/$db\";")" -q
expect_eq "$(x_at $b 2017)" "sqlite write refused: attempt to write a readonly database" "the run's own database refused too"
expect_eq "$(sql "$db" "SELECT count(*) FROM metrics WHERE name = 'owned'")" "0" "nothing written to it"
expect_eq "$(sql "$db" "PRAGMA integrity_check")" "ok" "and it is whole"

# the same in init
printf 'database = "%s";\nperiods = ["2017"];\nmodule_path = ["%s"];
indicators = ( { id = "w"; module = "init_writer"; },
  { id = "good"; module = "sum"; params = { metric = "participants"; }; } );\n' "$db" "$P" > iw.cfg
HOSTILE_DB=$T/target.db run check -c iw.cfg
expect_rc 0 "check loads the writer"
expect_eq "$(sha256sum target.db | cut -d' ' -f1)" "$before" "init wrote nothing, byte for byte"
HOSTILE_DB=$T/target.db run run -c iw.cfg -q
expect_rc 1 "init writer run"
expect_eq "$(sql "$db" "SELECT DISTINCT error FROM results WHERE run = $(last_run) AND indicator = 'w'")" \
    "init: sqlite attempt to write a readonly database; raw Permission denied" "init's writes refused, the indicator fails alone"
expect_eq "$(sha256sum target.db | cut -d' ' -f1)" "$before" "still byte for byte"
expect_eq "$(good_count)" "6" "the other indicator computed"

# a forged header: 0x7fffffff params, or 3 params and no data (with a
# param configured) fails that module alone
printf 'database = "%s";\nperiods = ["2017"];\nmodule_path = ["%s"];
indicators = ( { id = "f"; module = "forger"; params = { metric = "participants"; }; },
  { id = "good"; module = "sum"; params = { metric = "participants"; }; } );\n' "$db" "$P" > forge.cfg
for how in huge short; do
    FORGER=$how run check -c forge.cfg
    expect_rc 2 "forged header ($how)"
    expect_eq "$err" "forge.cfg:4: indicator 'f': $P/forger.so: sent a description gevinst cannot read" "forged header refused ($how)"
    FORGER=$how run run -c forge.cfg -q
    expect_rc 1 "forged header in a run ($how)"
    expect_eq "$(good_count)" "6" "the other indicator computed ($how)"
done

# with isolate = false a plugin is trusted code, but its exit() is no success
run run -c "$(cfg exit "" "isolate = false;")" --format csv
expect_rc 2 "exit() in process"
expect_contains "$err" "hostile.so: the plugin ended the process (exit() in a plugin with isolate = false)" "exit reported"

finish
