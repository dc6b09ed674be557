# test_explain.sh -- `gevinst explain` traces what any module read (the
# host records it, in process or from a child) and speaks the report's
# language; an unknown case is called so.
. "$(dirname "$0")/lib.sh"

run demo --dir demo -q
expect_rc 0 "demo"
db=demo/demo.db

# what every module read, as the run recorded it
expect_eq "$(sql "$db" "SELECT group_concat(aggregate || ' ' || metric || ' ' || coalesce(period, '-'), '; ')
    FROM (SELECT * FROM run_reads WHERE run = 1 AND indicator = 'wellbeing_change' ORDER BY position)")" \
    "min wellbeing -; max wellbeing -; mean wellbeing -; min wellbeing 2017; max wellbeing 2017; mean wellbeing 2017" \
    "a Lua script's reads, the baseline wave by its period"
expect_eq "$(sql "$db" "SELECT group_concat(aggregate || ' ' || metric, '; ') FROM run_reads WHERE run = 1 AND indicator = 'work_share'")" \
    "sum in_work; sum participants" "a C plugin's reads"
expect_eq "$(sql "$db" "SELECT count(*) FROM run_reads WHERE run = 1 AND indicator = 'partner_types' AND aggregate = 'query' AND query LIKE 'SELECT count(DISTINCT p.type) AS n FROM partners p JOIN inputs i %'")" \
    "1" "a query, once, its white space one space"
expect_eq "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 1 AND reads_recorded = 1")" \
    "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 1")" "every module's reads all kept"

# in the gevinst process the same reads are recorded as from a child
sed 's/module = "/isolate = false; &/' demo/demo.cfg > demo/inproc.cfg
run run -c demo/inproc.cfg -q
expect_rc 0 "run in process"
expect_eq "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 2 AND isolated = 0")" \
    "$(sql "$db" "SELECT count(*) FROM run_indicators WHERE run = 2")" "nothing isolated"
reads_of() { sql "$db" "SELECT group_concat(indicator || ':' || position || ':' || aggregate || ':' || coalesce(metric, '') || ':' || coalesce(period, '') || ':' || coalesce(query, ''), '|') FROM (SELECT * FROM run_reads WHERE run = $1 ORDER BY indicator, position)"; }
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
      for y = 2014, 2017 do
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
    "32 0" "the first 32 kept, and that there were more"
run explain --lang en -c many.cfg many no-drammen-jobbkafe 2017
expect_contains "$out" "  (it read more than the 32 things gevinst keeps a record of)" "explain says so"
sed 's/module = "many"/isolate = false; &/' many.cfg > many-in.cfg
run run -c many-in.cfg -q
expect_eq "$(sql "$db" "SELECT count(*) || ' ' || (SELECT reads_recorded FROM run_indicators WHERE run = 4) FROM run_reads WHERE run = 4")" \
    "32 0" "the same in process"

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
expect_contains "$out" "  it asked the database: SELECT 1 -- ?[31mred" "control characters made '?', white space one space"

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
run explain -c demo/demo.cfg into_work no-drammen-jobbkafe 2030
expect_contains "$err" "run 1 has no value of 'into_work' for case 'no-drammen-jobbkafe' in 2030 (it has: 2017, 2018, 2019" "a period the run lacks"

finish
