# test_snapshot.sh -- one run reads one state of the data: every module,
# in the gevinst process or in a child, however slowly it loads, sees the
# same observations; an import during the run waits for it and is not seen.
. "$(dirname "$0")/lib.sh"

"$GEVINST" demo --dir demo -q >/dev/null 2>&1 || fail "demo"
db=demo/demo.db
mkdir mods
# the same sum in C and in a script that takes 1.5 s to load
cat > mods/slow_sum.lua <<'LUA'
local t = os.clock() while os.clock() - t < 1.5 do end
return { unit = "persons", evaluate = function(ctx) return ctx:sum("in_work") end }
LUA
# (a limit far beyond 1.5 s of CPU, which a loaded machine may stretch)
cat > demo/snap.cfg <<'CFG'
database = "demo.db";
module_path = ["../mods"];
limits = { time_ms = 60000; };
periods = ["2030"];
indicators = (
  { id = "c_sum";   module = "sum"; params = { metric = "in_work"; }; },
  { id = "inproc";  module = "sum"; isolate = false; params = { metric = "in_work"; }; },
  { id = "lua_sum"; module = "slow_sum"; }
);
CFG
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2030,1000,persons\n' > late.csv
# the import commits while the script is still loading: after the C
# modules have loaded, before any module reads
"$GEVINST" run -c demo/snap.cfg --format csv -q > snap.csv 2> snap.err &
pid=$!
sleep 0.4
"$GEVINST" import "$db" observations late.csv > import.out 2>&1
import_rc=$?
wait $pid
rc=$?
expect_rc 0 "the run"
expect_eq "$import_rc" "0" "the import"
sums=$(sql "$db" "SELECT group_concat(coalesce(value, 'none'), ' ') FROM (SELECT value FROM results WHERE run = 2 AND case_id = 'no-drammen-jobbkafe' ORDER BY indicator)")
set -- $sums
expect_eq "$#" "3" "three values"
expect_eq "$2" "$1" "the C sum in process reads what the C child reads"
expect_eq "$3" "$1" "the slow script reads what the C child reads"

# an import during the evaluation waits for the run, and the run does not see it
cat > mods/slow_eval.lua <<'LUA'
return { unit = "persons", evaluate = function(ctx)
  local t = os.clock() while os.clock() - t < 0.3 do end
  return ctx:sum("in_work") end }
LUA
sed -e 's/slow_sum/slow_eval/' -e 's/"2030"/"2031"/' demo/snap.cfg > demo/slow.cfg
printf 'case,metric,period,value,unit\nno-drammen-jobbkafe,in_work,2031,7,persons\n' > later.csv
"$GEVINST" run -c demo/slow.cfg --format csv -q > slow.csv 2> slow.err &
pid=$!
sleep 0.6
"$GEVINST" import "$db" observations later.csv > later.out 2>&1
import_rc=$?
wait $pid
expect_eq "$import_rc" "0" "the import waited for the run"
expect_eq "$(sql "$db" "SELECT count(*) FROM results WHERE run = 3 AND value IS NOT NULL AND case_id = 'no-drammen-jobbkafe'")" "0" "the run did not see it"
expect_eq "$(sql "$db" "SELECT imported > (SELECT finished FROM runs WHERE id = 3) FROM imports WHERE file LIKE '%later.csv'")" "1" "it committed after the run"
run explain --lang en -c demo/slow.cfg lua_sum no-drammen-jobbkafe 2031
expect_contains "$out" "note: observations imported since this run" "explain says the data changed since"

# a run started while another writer holds the database waits for it (a
# writer of 6 s: longer than SQLite's usual wait) rather than fail at once
( echo "BEGIN IMMEDIATE;"; sleep 6; echo "COMMIT;" ) | sqlite3 "$db" &
holder=$!
sleep 0.5
run run -c demo/demo.cfg -q
wait $holder
expect_rc 0 "the run waited for the other writer"
expect_eq "$(sql "$db" "SELECT count(*) FROM runs WHERE id = 4 AND finished IS NOT NULL")" "1" "and was stored"
finish
