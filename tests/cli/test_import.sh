# test_import.sh -- init and import through the command, and every bad
# input rejected whole: FILE:ROW:COLUMN on stderr, exit 3, database unchanged.
. "$(dirname "$0")/lib.sh"
demo="$GEVINST_SOURCE/config/demo"

# back to schema 9: a database made before reads were recorded
to_schema9() {
    sql "$1" "DROP TABLE run_reads; ALTER TABLE run_indicators DROP COLUMN reads_recorded;
      PRAGMA user_version = 9"
}

# back to schema 8: a database made before coverage, gain_results with the
# CHECK of its time
to_schema8() {
    to_schema9 "$1"
    sql "$1" "DROP VIEW results_with_provenance;
      CREATE VIEW results_with_provenance AS
        SELECT r.run, r.indicator, r.case_id, r.period, r.value, i.unit, r.status, r.error,
               i.module, i.module_kind, i.module_version, i.module_hash, i.params,
               u.started, u.engine_version, u.config_file, u.config_hash
        FROM results r JOIN run_indicators i USING (run, indicator) JOIN runs u ON u.id = r.run;
      ALTER TABLE results DROP COLUMN coverage;
      CREATE TABLE gr8 (run INTEGER NOT NULL REFERENCES runs(id), case_id TEXT NOT NULL,
        gain TEXT NOT NULL, period TEXT NOT NULL, actual REAL, realisation_pct REAL,
        expected_pct REAL, expected_value REAL, deviation REAL, status TEXT NOT NULL CHECK
        (status IN ('achieved', 'on_track', 'behind', 'missed', 'no_data', 'error')), error TEXT,
        PRIMARY KEY (run, case_id, gain, period)) STRICT;
      DROP TABLE gain_results; ALTER TABLE gr8 RENAME TO gain_results;
      ALTER TABLE run_gains DROP COLUMN left_out_period; DROP INDEX observations_by_metric;
      CREATE INDEX observations_by_metric ON observations (metric, case_id, period_start, period_end, value);
      CREATE INDEX observations_identity ON observations (case_id, metric, period, subject);
      PRAGMA user_version = 8"
}

# back to schema 7: a database made before sources, to migrate again
to_schema7() {
    to_schema8 "$1"
    sql "$1" "DROP INDEX observations_identity;
      $(for t in municipalities cases partners observations inputs gains gain_shares; do
          printf 'DROP INDEX %s_by_source; ALTER TABLE %s DROP COLUMN import_source; ALTER TABLE %s DROP COLUMN import_row;\n' "$t" "$t" "$t"
        done)
      DROP INDEX imports_by_source; DROP TABLE imports;
      CREATE TABLE imports (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, file TEXT NOT NULL,
        sha256 TEXT NOT NULL, rows INTEGER NOT NULL, imported TEXT NOT NULL,
        engine_version TEXT NOT NULL, UNIQUE (kind, sha256)) STRICT;
      PRAGMA user_version = 7"
}

run init cases.db
expect_rc 0 "init"
expect_eq "$(sql cases.db 'PRAGMA user_version')" "11" "schema version"
expect_eq "$(sql cases.db 'PRAGMA journal_mode')" "wal" "WAL"
expect_eq "$(sql cases.db "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT%'")" \
    "19" "every table is STRICT"
run init cases.db
expect_rc 0 "init again is harmless"

# a database of schema 1 is brought to the current schema when opened
run init old.db
to_schema7 old.db
sql old.db "DROP TABLE imports; DROP TABLE gain_shares; DROP TABLE gains; DROP TABLE gain_results;
  DROP TABLE run_gains; DROP TABLE case_values; DROP TABLE value_splits; DROP TABLE sensitivity;
  DROP TABLE run_conversions; DROP INDEX observations_by_metric;
  CREATE INDEX observations_by_case ON observations (case_id, metric, period_start, period_end, value);
  PRAGMA user_version = 1"
run import old.db municipalities "$demo/municipalities.csv"
expect_rc 0 "import into a schema 1 database"
expect_eq "$(sql old.db 'PRAGMA user_version')" "11" "migrated to schema 11"
expect_eq "$(sql old.db 'SELECT count(*) FROM imports')" "1" "migration 2 made imports"
sql old.db "PRAGMA user_version = 99"
run import old.db cases "$demo/cases.csv"
expect_rc 2 "a newer schema"
expect_contains "$err" "old.db: schema version 99 is newer than this gevinst (11); upgrade gevinst" "newer schema"

# migration 7 keeps every run's provenance, and a module may be of any kind
run init six.db
to_schema7 six.db
sql six.db "INSERT INTO runs VALUES (1, '2026-01-01', '2026-01-01', '0.1.0', 'a.cfg', 'h');
  INSERT INTO run_indicators VALUES (1, 'x', 1, 'persons', 'sum', 'c', 'sum.so', '1.0.0', 'h', '{}', 1, NULL);
  INSERT INTO municipalities VALUES ('0301', 'Oslo', 'NO');
  INSERT INTO cases (id, municipality, title) VALUES ('k', '0301', 'K');
  INSERT INTO results VALUES (1, 'x', 'k', '2018', 3, 'ok', NULL, 3);
  INSERT INTO gain_results VALUES (1, 'k', 'g', '2018', 3, 50, 50, 2, 1, 'on_track', NULL);
  CREATE VIEW my_gains AS SELECT case_id, gain, status FROM gain_results;
  DROP VIEW results_with_provenance;
  PRAGMA legacy_alter_table = ON;
  ALTER TABLE run_indicators RENAME TO ri;
  CREATE TABLE run_indicators (run INTEGER NOT NULL REFERENCES runs(id), indicator TEXT NOT NULL,
    position INTEGER NOT NULL, unit TEXT, module TEXT NOT NULL,
    module_kind TEXT CHECK (module_kind IN ('c', 'lua')), module_path TEXT, module_version TEXT,
    module_hash TEXT, params TEXT, isolated INTEGER NOT NULL, error TEXT,
    PRIMARY KEY (run, indicator)) STRICT;
  INSERT INTO run_indicators SELECT * FROM ri; DROP TABLE ri;
  CREATE VIEW results_with_provenance AS SELECT r.run, r.indicator, i.module_kind
    FROM results r JOIN run_indicators i USING (run, indicator);
  PRAGMA user_version = 6"
expect_contains "$(sql six.db "INSERT INTO run_indicators VALUES (1, 'y', 2, NULL, 'f', 'formula', NULL, NULL, NULL, NULL, 0, NULL)" 2>&1)" \
    "CHECK constraint failed" "schema 6 names the kinds"
expect_contains "$(sql six.db "INSERT INTO gain_results VALUES (1, 'k', 'g', '2017', 3, NULL, 50, 2, NULL, 'incomplete', NULL)" 2>&1)" \
    "CHECK constraint failed" "before migration 9, no gain is incomplete"
run import six.db partners "$demo/partners.csv"
expect_eq "$(sql six.db 'PRAGMA user_version')" "11" "schema 6 migrated to 11"
expect_eq "$(sql six.db "SELECT module || ' ' || module_kind || ' ' || value FROM results_with_provenance")" \
    "sum c 3.0" "a run's provenance kept, its view made again"
sql six.db "INSERT INTO run_indicators VALUES (1, 'y', 2, NULL, 'f', 'formula', NULL, NULL, NULL, NULL, 0, NULL, NULL)"
expect_eq "$(sql six.db "SELECT module_kind FROM run_indicators WHERE indicator = 'y'")" "formula" "any kind"
expect_eq "$(sql six.db 'PRAGMA foreign_key_check')" "" "every foreign key finds its row"
expect_eq "$(sql six.db "SELECT status || ' ' || realisation_pct || ' ' || ifnull(coverage, '-') FROM gain_results")" \
    "on_track 50.0 -" "migration 9 keeps a run's gains, of unknown coverage"
expect_contains "$(sql six.db "INSERT INTO gain_results VALUES (1, 'k', 'g', '2019', 3, NULL, 50, 2, NULL, 'incomplete', NULL, 0.5)" 2>&1; sql six.db "SELECT status FROM gain_results WHERE period = '2019'")" \
    "incomplete" "migration 9 lets a gain be incomplete"
expect_eq "$(sql six.db "SELECT group_concat(status, ' ') FROM my_gains")" "on_track incomplete" \
    "a view of the user's own on a rebuilt table still works"

for kind in municipalities cases partners observations inputs gains gain_shares; do
    run import cases.db "$kind" "$demo/$kind.csv"
    expect_rc 0 "import $kind"
    rows=$(($(sqlite3 -csv :memory: ".import --csv $demo/$kind.csv t" "SELECT count(*) FROM t")))
    expect_eq "$out" "$demo/$kind.csv: $rows rows imported into $kind" "import $kind message"
done
expect_eq "$(sql cases.db 'SELECT name FROM municipalities WHERE code = 1804')" "Bodø" "Nordic letters"
expect_eq "$(sql cases.db "SELECT count(*) FROM observations")" "536" "observations"
expect_eq "$(sql cases.db "SELECT count(*) FROM gains")" "24" "gains"
expect_eq "$(sql cases.db "SELECT count(*) FROM inputs")" "126" "inputs"

expect_eq "$(sql cases.db 'SELECT count(*) FROM imports')" "7" "imports recorded"
run import cases.db observations "$demo/observations.csv"
expect_rc 0 "the same file twice: nothing to do"
expect_contains "$out" "$demo/observations.csv: unchanged since " "says so"
expect_contains "$out" "(source observations.csv, 536 rows); nothing imported" "and which source"
expect_eq "$(sql cases.db "SELECT count(*) FROM observations")" "536" "nothing added twice"
cp "$demo/observations.csv" copy.csv
run import cases.db observations copy.csv
expect_rc 3 "the same rows under another name"
expect_contains "$err" "this file was imported as observations before" "says so"
expect_contains "$err" "(it is source 'observations.csv': import it under that name to update it)" "and how to update it"
expect_eq "$(sql cases.db "SELECT count(*) FROM observations")" "536" "nothing added twice"

before=$(db_digest cases.db)
reject() { # reject KIND CSV MESSAGE
    printf '%s' "$2" > bad.csv
    run import cases.db "$1" bad.csv
    expect_rc 3 "import $1 [$2]"
    expect_eq "$err" "gevinst: bad.csv:$3" "message for [$2]"
    expect_eq "$(db_digest cases.db)" "$before" "database unchanged by [$2]"
}
reject observations 'case,metric,period,value
no-bodo-nabolagshelse,participants,2020,1
no-bodo-nabolagshelse,participants,2020,ten
' "3:4: value 'ten' is not a number"
reject observations 'case,metric,value
no-bodo-nabolagshelse,participants,1
' "1: missing required column 'period'"
reject observations 'case,metric,period,value
no-such-case,participants,2020,1
' "2:1: unknown case 'no-such-case'"
reject observations 'case,metric,period,value
no-bodo-nabolagshelse,participants,2020-Q5,1
' "2:3: period '2020-Q5' is not a period (YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD)"
reject cases 'id,municipality,title
ny-sak,0000,Ny sak
' "2:2: unknown municipality '0000'"
reject partners 'case,name,type
no-bodo-nabolagshelse,Helselaget,club
' "2:3: type 'club' is not one of: municipality, civil_society, social_enterprise, citizens, business, research"
reject inputs 'case,partner,period,kind,amount
no-bodo-nabolagshelse,Ingen,2018,cash,100
' "2:2: unknown partner in this case 'Ingen'"
# checks of the whole row read each row's own values, not the first row's
reject inputs 'case,partner,period,kind,amount,currency
no-bodo-nabolagshelse,Helselaget Nord,2018,cash,100,NOK
no-bodo-nabolagshelse,Helselaget Nord,2018,in_kind,100,
' "3: in_kind amounts need a currency"
reject inputs 'case,partner,period,kind,amount,currency
no-bodo-nabolagshelse,Helselaget Nord,2018,volunteer_hours,100,
no-bodo-nabolagshelse,Helselaget Nord,2019,volunteer_hours,100,SEK
' "3: volunteer_hours are hours: leave currency empty"

run import cases.db budgets bad.csv
expect_rc 2 "unknown kind"
run import missing.db cases "$demo/cases.csv"
expect_rc 2 "missing database"
expect_contains "$err" "missing.db: no such database; create it with 'gevinst init missing.db'" "missing database"
[ -e missing.db ] && fail "import created missing.db"
finish
