# test_explain.sh -- `gevinst explain` traces what any module read (the
# host records it, in process or from a child) and speaks the report's
# language; an unknown case is called so.
. "$(dirname "$0")/lib.sh"

run demo --dir demo -q
expect_rc 0 "demo"
db=demo/demo.db

# what every module read, as the run recorded it
expect_eq "$(sql "$db" "SELECT group_concat(aggregate || ' ' || metric || ' ' || coalesce(read_period, '-'), '; ')
    FROM (SELECT * FROM run_reads WHERE run = 1 AND indicator = 'wellbeing_change' AND period = '2019' ORDER BY position)")" \
    "min wellbeing -; max wellbeing -; mean wellbeing -; min wellbeing 2017; max wellbeing 2017; mean wellbeing 2017" \
    "a Lua script's reads, the baseline wave by its period"
expect_eq "$(sql "$db" "SELECT group_concat(aggregate || ' ' || metric, '; ') FROM run_reads WHERE run = 1 AND indicator = 'work_share' AND period = '2018'")" \
    "sum in_work; sum participants" "a C plugin's reads"
expect_eq "$(sql "$db" "SELECT count(*) FROM run_reads WHERE run = 1 AND indicator = 'partner_types' AND period = '2018' AND aggregate = 'query' AND query LIKE 'SELECT count(DISTINCT p.type) AS n FROM partners p JOIN inputs i %'")" \
    "1" "a query, once a period, its white space one space"
expect_eq "$(sql "$db" "SELECT count(DISTINCT period) FROM run_reads WHERE run = 1 AND indicator = 'partner_types'")" \
    "$(sql "$db" "SELECT count(DISTINCT period) FROM results WHERE run = 1")" "each period its own reads"
expect_eq "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 1 AND reads_recorded = 1")" \
    "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 1")" "every module's reads all kept"

# in the gevinst process the same reads are recorded as from a child
sed 's/module = "/isolate = false; &/' demo/demo.cfg > demo/inproc.cfg
run run -c demo/inproc.cfg -q
expect_rc 0 "run in process"
expect_eq "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 2 AND isolated = 0")" \
    "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 2")" "nothing isolated"
reads_of() { sql "$db" "SELECT group_concat(indicator || ':' || period || ':' || position || ':' || aggregate || ':' || coalesce(metric, '') || ':' || coalesce(read_period, '') || ':' || coalesce(query, ''), '|') FROM (SELECT * FROM run_reads WHERE run = $1 ORDER BY indicator, period, position)"; }
expect_eq "$(reads_of 2)" "$(reads_of 1)" "in process or isolated, the same reads"

# explain lists them with the observations there
run explain --lang en -c demo/demo.cfg wellbeing_change no-drammen-jobbkafe 2019
expect_rc 0 "explain a Lua script"
expect_contains "$out" "  it read min, max, mean of 'wellbeing' in 2019
  observations of 'wellbeing' in 2019 (1 January 2019 to 31 December 2019): 11, sum 43" "the evaluated period"
expect_contains "$out" "  it read min, max, mean of 'wellbeing' in 2017
  observations of 'wellbeing' in 2017 (1 January 2017 to 31 December 2017): $(sql "$db" "SELECT count(*) || ', sum ' || printf('%g', total(value)) FROM observations WHERE case_id = 'no-drammen-jobbkafe' AND metric = 'wellbeing' AND period LIKE '2017%'")" \
    "the baseline wave, read by the script too"
expect_contains "$out" "    ... and 3 more" "how many rows are not shown"
run explain --lang en -c demo/demo.cfg partner_types no-drammen-jobbkafe 2019
expect_contains "$out" "  it asked the database: SELECT count(DISTINCT p.type) AS n FROM partners p JOIN inputs i ON i.case_id = p.case_id" "a query by its SQL"
expect_contains "$out" "  (the rows a query gave are not listed)" "and what is not traced"

# a module that reads more distinct things than are kept says so
mkdir -p mods
cat > mods/many.lua <<'EOF'
return {
  name = "many", version = "1", unit = "persons",
  params = { metric = { type = "string", help = "metric" } },
  evaluate = function(ctx)
    local s = 0
    for m = 1, 12 do
      for y = 1900, 2017 do
        s = s + (ctx:aggregate("sum", ctx.params.metric, string.format("%d-%02d", y, m)) or 0)
      end
    end
    return s
  end,
}
EOF
cat > many.cfg <<EOF
database = "$db";
module_path = ["mods"];
periods = ["2017"];
indicators = ( { id = "many"; module = "many"; lang = "lua"; params = { metric = "participants"; }; } );
EOF
run run -c many.cfg -q
expect_rc 0 "run a module of many reads"
expect_eq "$(sql "$db" "SELECT count(*) || ' ' || (SELECT reads_recorded FROM run_indicators WHERE run = 3) FROM run_reads WHERE run = 3")" \
    "1024 0" "the first 1024 kept, and that there were more"
run explain --lang en -c many.cfg many no-drammen-jobbkafe 2017
expect_contains "$out" "  (it read more than gevinst keeps a record of: 1024 things in a run, each at most 4096 bytes)" "explain says so"
sed 's/module = "many"/isolate = false; &/' many.cfg > many-in.cfg
run run -c many-in.cfg -q
expect_eq "$(sql "$db" "SELECT count(*) || ' ' || (SELECT reads_recorded FROM run_indicators WHERE run = 4) FROM run_reads WHERE run = 4")" \
    "1024 0" "the same in process"

# a module's texts reach the terminal printable
cat > mods/odd.lua <<'EOF'
return {
  name = "odd", version = "1",
  params = {},
  evaluate = function(ctx)
    return #ctx:query("SELECT 1\n\t-- \27[31mred\n")
  end,
}
EOF
sed 's/id = "many"; module = "many"; lang = "lua"; params = { metric = "participants"; };/id = "odd"; module = "odd"; lang = "lua";/' many.cfg > odd.cfg
run run -c odd.cfg -q
expect_eq "$(sql "$db" "SELECT status FROM results WHERE run = 5 AND indicator = 'odd' LIMIT 1")" "ok" "run a module with an odd query"
run explain --lang en -c odd.cfg odd no-drammen-jobbkafe 2017
expect_contains "$out" "  it asked the database: SELECT ?
" "a literal as ?, a comment gone"

# a module that read nothing through gevinst says so
cat > mods/none.lua <<'EOF'
return { name = "none", version = "1", params = {}, evaluate = function(ctx) return 1 end }
EOF
sed 's/id = "odd"; module = "odd";/id = "none"; module = "none";/' odd.cfg > none.cfg
run run -c none.cfg -q
run explain --lang en -c none.cfg none no-drammen-jobbkafe 2017
expect_contains "$out" "  it read no observations through gevinst" "nothing read, said"

# privacy: what explain lists of a period a module read is hidden as the
# report would hide it.  A month no report shows of a case with a hidden
# count gives nothing back (it would undo the secondary rule on its quarter)
mkdir -p sec && cp demo/demo.db sec/demo.db
sql sec/demo.db "UPDATE observations SET period = '2018-05', period_start = '2018-05-01', period_end = '2018-05-31'
    WHERE case_id = 'no-drammen-jobbkafe' AND metric = 'in_work' AND period = '2018-Q2'"
cat > mods/may.lua <<'EOF'
return {
  name = "may", version = "1",
  evaluate = function(ctx)
    local may = ctx:aggregate("sum", "in_work", string.sub(ctx.period, 1, 4) .. "-05")
    return (ctx:sum("participants") or 0) + 0 * (may or 0)
  end,
}
EOF
cat > sec/s.cfg <<EOF
database = "demo.db";
module_path = ["$T/mods"];
periods = ["2018", "2018-Q2", "2018-Q3", "2018-Q4"];
indicators = (
  { id = "may"; module = "may"; lang = "lua"; },
  { id = "into_work"; module = "sum"; unit = "persons"; params = { metric = "in_work"; }; }
);
EOF
run run -c sec/s.cfg -q
run report -c sec/s.cfg --format csv --case no-drammen-jobbkafe
expect_contains "$out" "into_work,no-drammen-jobbkafe,2018-Q2,,persons,ok," "the quarter is hidden (secondary)"
run explain --lang en -c sec/s.cfg may no-drammen-jobbkafe 2018-Q3
expect_contains "$out" "  observations of 'in_work' in 2018-05 (1 May 2018 to 31 May 2018): 1, sum hidden (the rows' values are hidden" "the month's sum hidden"
expect_eq "$(printf '%s\n' "$out" | grep -c '^    2018-05 *[0-9]')" "0" "and its row"

# a count of persons' answers hidden in the report is hidden here too,
# with their scores
mkdir -p few && cp demo/demo.db few/demo.db && cp demo/demo.cfg few/demo.cfg
sql few/demo.db "DELETE FROM observations WHERE case_id = 'no-kristiansand-seniorsenter' AND metric = 'wellbeing'
    AND period LIKE '2017%' AND id NOT IN (SELECT id FROM observations WHERE case_id = 'no-kristiansand-seniorsenter'
    AND metric = 'wellbeing' AND period LIKE '2017%' ORDER BY id LIMIT 3)"
run run -c few/demo.cfg -q
run report -c few/demo.cfg --lang en --case no-kristiansand-seniorsenter
expect_contains "$out" "respondents         no-kristiansand-seniorsenter  2017            hidden" "three respondents hidden"
run explain --lang en -c few/demo.cfg wellbeing_change no-kristiansand-seniorsenter 2019
expect_contains "$out" "  observations of 'wellbeing' in 2017 (1 January 2017 to 31 December 2017): hidden, sum hidden" "their number hidden"
expect_eq "$(printf '%s\n' "$out" | grep -c '^    2017-')" "0" "and no answer listed"

# the report's language: the config's, or --lang
run explain -c demo/demo.cfg into_work no-drammen-jobbkafe 2019
expect_rc 0 "explain in bokmål"
expect_contains "$out" "into_work for sak no-drammen-jobbkafe i 2019: 55 personer
  laget av modulen sum (C-tillegg, versjon 1.0.0), i en egen prosess" "bokmål: the value and module"
expect_contains "$out" "  den leste sum av 'in_work' i 2019
  observasjoner av 'in_work' i 2019 (1. januar 2019 til 31. desember 2019): 4, sum 55" "bokmål: what it read"
expect_contains "$out" "gevinst into_work i sak no-drammen-jobbkafe i 2019: nådd (plan fra databasen)" "bokmål: the status word, not on_track or achieved"
expect_contains "$out" "= 2 809 761,255 i år 1; nåverdi 6 055 080,665" "bokmål: numbers as Norwegians write them"
run explain --lang da -c demo/demo.cfg into_work no-drammen-jobbkafe 2019
expect_contains "$out" "gevinst into_work i sag no-drammen-jobbkafe i 2019: nået (plan fra databasen)" "Danish"
expect_contains "$out" "  udgangspunkt 7 i 2017, mål 18 inden 2019; målt med indikator into_work" "Danish: the plan"
run explain --lang en -c demo/demo.cfg into_work no-drammen-jobbkafe 2019
expect_contains "$out" "gain into_work of case no-drammen-jobbkafe in 2019: achieved (plan from the database)" "English"
run explain --lang sv -c demo/demo.cfg into_work no-drammen-jobbkafe 2019
expect_rc 2 "an unknown language"
expect_eq "$err" "gevinst: unknown language 'sv' (nb, da, en)" "says which it knows"

# an unknown case is called so, whatever else is wrong
run explain -c demo/demo.cfg nothing no-such-case 2019
expect_rc 2 "an unknown case"
expect_eq "$err" "gevinst: unknown case 'no-such-case'" "unknown case, not 'no indicator'"
expect_eq "$out" "" "and nothing on stdout before it"
run explain -c demo/demo.cfg into_work no-drammen-jobbkafe 2030
expect_contains "$err" "run 1 has no value of 'into_work' for case 'no-drammen-jobbkafe' in 2030 (it has: 2017, 2018, 2019" "a period the run lacks"

finish
