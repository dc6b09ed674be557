/*
** test_run.c -- a run: every indicator x case x period stored as one run
** with its provenance; a failing indicator fails alone.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "gevinst/gevinst.h"
#include "base/gv_base.h"
#include "test_util.h"

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

static gevinst_config *load(const char *indicators) {
    char text[2048];
    snprintf(text, sizeof text,
             "database = \"fixture.db\";\nperiods = [\"2017\", \"2018\"];\n"
             "module_path = [\"%s\"];\nindicators = (\n%s\n);\n",
             tu_env("GEVINST_TEST_PLUGINS"), indicators);
    gevinst_diag diag = {0};
    gevinst_config *cfg = gevinst_config_load(tu_write("run.cfg", text), &diag);
    for (int i = 0; i < diag.n; i++)
        fprintf(stderr, "%s\n", diag.msg[i]);
    assert_non_null(cfg);
    return cfg;
}

static char *run(gevinst_config *cfg, const char *fmt, int expect_rc) {
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    char *err = NULL;
    gevinst_report_options show = {0, fmt, NULL, 0, NULL, 0, NULL, NULL, NULL};
    gevinst_status rc = gevinst_run(cfg, NULL, NULL, &show.run, NULL, &err);
    if (rc != (gevinst_status)expect_rc)
        fail_msg("run returned %d, expected %d: %s", rc, expect_rc, err);
    free(err);
    if (gevinst_report(cfg, &show, out, &err) != GEVINST_STATUS_OK) fail_msg("report: %s", err);
    fclose(out);
    return text;
}

static void stores_every_result_with_provenance(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    gevinst_config *cfg =
        load("{ id = \"total\"; module = \"sum\"; unit = \"p\"; params = { metric = \"m\"; }; }");
    char *text = run(cfg, "csv", GEVINST_STATUS_OK);
    assert_string_equal(text,
                        "run,indicator,case,period,value,unit,status,error,module,module_version,"
                        "coverage,suppressed\n"
                        /* 2017: Q1, Q2 and a day, counted in days: 90 + 91 + 1 of 365 */
                        "1,total,c1,2017,35,p,ok,,sum,1.0.0,0.4986301369863014,\n"
                        "1,total,c1,2018,7,p,ok,,sum,1.0.0,1,\n"
                        "1,total,c2,2017,,p,no_data,,sum,1.0.0,,\n"
                        "1,total,c2,2018,,p,no_data,,sum,1.0.0,,\n");
    free(text);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM results WHERE run = 1"), "4");
    assert_string_equal(tu_sql(db, "SELECT length(module_hash) FROM run_indicators LIMIT 1"), "64");
    assert_string_equal(tu_sql(db, "SELECT module_kind || ' ' || params || ' ' || isolated FROM "
                                   "run_indicators LIMIT 1"),
                        "c {\"metric\": \"m\"} 1");
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM results_with_provenance WHERE run = 1 "
                                   "AND module = 'sum' AND unit = 'p'"),
                        "4");
    assert_string_equal(tu_sql(db, "SELECT engine_version FROM runs WHERE id = 1"),
                        gevinst_version());
    assert_string_equal(tu_sql(db, "SELECT length(config_hash) FROM runs WHERE id = 1"), "64");
    assert_string_equal(tu_sql(db, "SELECT finished >= started FROM runs WHERE id = 1"), "1");

    /* the same data and config give the same numbers, as a new run */
    text = run(cfg, "json", GEVINST_STATUS_OK);
    assert_non_null(strstr(text, "{\"run\": {\"id\": 2, "));
    assert_non_null(strstr(text,
                           "\"results\": [\n  {\"indicator\": \"total\", \"case\": \"c1\", "
                           "\"period\": \"2017\", \"value\": 35, \"unit\": \"p\", "
                           "\"status\": \"ok\", \"error\": null, \"module\": \"sum\", "
                           "\"module_version\": \"1.0.0\", \"coverage\": 0.4986301369863014}"));
    assert_non_null(strstr(text, "\"value\": null, \"unit\": \"p\", \"status\": \"no_data\""));
    assert_non_null(strstr(text, "\"module_version\": \"1.0.0\", \"coverage\": null}"));
    /* no gain, no valued case: the document's value is null, as documented */
    assert_non_null(strstr(text, ",\n\"gains\": [],\n\"value\": null}\n"));
    free(text);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM (SELECT value FROM results WHERE run = 1"
                                   " EXCEPT SELECT value FROM results WHERE run = 2)"),
                        "0");
    gevinst_config_free(cfg);
}

static void a_failing_indicator_fails_alone(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    gevinst_config *cfg =
        load("{ id = \"broken\"; module = \"null_init\"; },\n"
             "{ id = \"typo\"; module = \"sum\"; params = { metric = \"nosuch\"; }; },\n"
             "{ id = \"good\"; module = \"sum\"; params = { metric = \"m\"; }; }");
    char *text = run(cfg, "csv", GEVINST_STATUS_PARTIAL);
    free(text);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM results WHERE status = 'error'"), "8");
    assert_string_equal(tu_sql(db, "SELECT value FROM results WHERE indicator = 'good' AND "
                                   "case_id = 'c1' AND period = '2017'"),
                        "35.0");
    assert_non_null(strstr(tu_sql(db, "SELECT error FROM results WHERE indicator = 'broken'"),
                           "null_init.so: gevinst_module_init() returned NULL"));
    assert_string_equal(tu_sql(db, "SELECT error FROM results WHERE indicator = 'typo'"),
                        "unknown metric 'nosuch': no observation has it");
    gevinst_config_free(cfg);
}

/* Run one crasher indicator and a good one; c1 keeps its value. */
static void expect_contained(const char *indicator, const char *c2_error, const char *later_error,
                             const char *c1_error) {
    const char *db = tu_fixture_db();
    char text[1024];
    snprintf(text, sizeof text,
             "%s,\n{ id = \"good\"; module = \"sum\"; params = { metric = \"m\"; }; }", indicator);
    gevinst_config *cfg = load(text);
    free(run(cfg, "csv", GEVINST_STATUS_PARTIAL));
    gevinst_config_free(cfg);
    /* the others are computed */
    assert_string_equal(
        tu_sql(db, "SELECT group_concat(coalesce(value, status), ' ') FROM "
                   "(SELECT * FROM results WHERE indicator = 'good' ORDER BY case_id, period)"),
        "35.0 7.0 no_data no_data");
    const char *got = tu_sql(db, "SELECT error FROM results WHERE indicator = 'bad' AND "
                                 "case_id = 'c2' AND period = '2017'");
    if (!strstr(got, c2_error)) fail_msg("c2 2017: '%s' lacks '%s'", got, c2_error);
    got = tu_sql(db, "SELECT error FROM results WHERE indicator = 'bad' AND case_id = 'c2' AND "
                     "period = '2018'");
    if (!strstr(got, later_error)) fail_msg("c2 2018: '%s' lacks '%s'", got, later_error);
    got = tu_sql(db, "SELECT coalesce(value, error) FROM results WHERE indicator = 'bad' AND "
                     "case_id = 'c1' AND period = '2017'");
    if (!strstr(got, c1_error)) fail_msg("c1 2017: '%s' lacks '%s'", got, c1_error);
    /* what it read before it died is recorded, and nothing is said missing */
    if (strstr(indicator, "crasher"))
        assert_string_equal(
            tu_sql(db, "SELECT group_concat(period || ' ' || aggregate || ' ' || metric, ', ') ||"
                       " ' ' || (SELECT reads_recorded FROM run_indicators WHERE indicator = 'bad')"
                       " FROM (SELECT * FROM run_reads WHERE indicator = 'bad' ORDER BY period)"),
            "2017 sum m, 2018 sum m 1");
}

static void a_crashing_plugin_takes_only_itself_down(void **state) {
    (void)state;
    /* what the worker finished before it died is kept, the case it died
       on is blamed, and a new worker takes the next case (it dies too) */
    expect_contained("{ id = \"bad\"; module = \"crasher\"; params = { how = \"segv\"; }; }",
                     "crashed in case 'c2', period 2017: signal 11 (Segmentation fault)",
                     "crashed in case 'c2', period 2018: signal 11 (Segmentation fault)", "42.0");
    expect_contained("{ id = \"bad\"; module = \"crasher\"; params = { how = \"abort\"; }; }",
                     "crashed in case 'c2', period 2017: signal 6 (Aborted)",
                     "crashed in case 'c2', period 2018: signal 6 (Aborted)", "42.0");
    expect_contained("{ id = \"bad\"; module = \"crasher\"; params = { how = \"fpe\"; }; }",
                     "crashed in case 'c2', period 2017: signal 8 (Floating point exception)",
                     "crashed in case 'c2', period 2018: signal 8", "42.0");
    expect_contained("{ id = \"bad\"; module = \"crasher\"; params = { how = \"exit\"; }; }",
                     "exited in case 'c2', period 2017 with status 3",
                     "exited in case 'c2', period 2018 with status 3", "42.0");
    expect_contained("{ id = \"bad\"; module = \"crasher\"; params = { how = \"hang\"; };"
                     " limits = { time_ms = 100; }; }",
                     "stopped in case 'c2', period 2017: time limit of 100 ms reached",
                     "stopped in case 'c2', period 2018: time limit of 100 ms reached", "42.0");
}

static void a_plugin_that_cannot_load_fails_alone(void **state) {
    (void)state;
    expect_contained("{ id = \"bad\"; module = \"ctor_crash\"; }",
                     "ctor_crash.so: crashed while loading: signal 6 (Aborted)",
                     "ctor_crash.so: crashed while loading: signal 6 (Aborted)",
                     "ctor_crash.so: crashed while loading: signal 6 (Aborted)");
    expect_contained("{ id = \"bad\"; module = \"init_hang\"; limits = { time_ms = 100; }; }",
                     "init_hang.so: stopped while loading: time limit of 100 ms reached",
                     "init_hang.so: stopped while loading", "init_hang.so: stopped while loading");
}

/* A failed allocation anywhere in a run -- in the engine, the host, the
** database layer -- is reported as GEVINST_STATUS_NO_MEMORY, never a crash,
** and leaves the database as it was: no half-stored run, no lock held, and
** the next run works.  Each allocation in turn is made to fail, as SQLite
** tests itself.  (What an unwound call held is not freed: the sanitizer
** build runs this case without its leak check.) */
static void a_failed_allocation_is_reported_and_undone(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    gevinst_config *cfg = load(
        "{ id = \"total\"; module = \"sum\"; isolate = false; params = { metric = \"m\"; }; },\n"
        "{ id = \"n\"; module = \"count\"; params = { metric = \"m\"; }; }");
    long n, failed = 0;
    for (n = 0; n < 200000; n += n < 300 ? 1 : 13) {
        char *err = NULL;
        gvU_fail_allocations_after(n);
        gevinst_status rc = gevinst_run(cfg, NULL, NULL, NULL, NULL, &err);
        gvU_fail_allocations_after(-1);
        if (rc == GEVINST_STATUS_OK) {
            free(err);
            break;
        }
        if (rc != GEVINST_STATUS_NO_MEMORY)
            fail_msg("allocation %ld failed: status %d, %s", n, rc, err ? err : "");
        assert_string_equal(err, "out of memory");
        free(err);
        failed++;
    }
    assert_true(failed > 20 && n < 200000);
    /* the one run that got all its memory is the only run stored */
    assert_string_equal(tu_sql(db, "SELECT count(*) || ' ' || count(finished) FROM runs"), "1 1");
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM results"), "8");
    /* no connection was left holding the database */
    char *err = NULL;
    assert_int_equal(gevinst_run(cfg, NULL, NULL, NULL, NULL, &err), GEVINST_STATUS_OK);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM runs"), "2");
    gevinst_config_free(cfg);
}

/* With more isolated indicators than any fixed list would hold, a failed
** allocation still stops every child and closes the database. */
static void many_children_are_stopped_when_memory_fails(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    char text[8192] = "";
    for (int i = 0; i < 24; i++) {
        char ind[128];
        snprintf(ind, sizeof ind,
                 "%s{ id = \"n%d\"; module = \"count\"; params = { metric = \"m\"; }; }",
                 i ? ",\n" : "", i);
        strcat(text, ind);
    }
    gevinst_config *cfg = load(text);
    gevinst_status rc = GEVINST_STATUS_NO_MEMORY;
    long n, failed = 0;
    for (n = 0; rc != GEVINST_STATUS_OK && n < 100000; n += 29) {
        char *err = NULL;
        gvU_fail_allocations_after(n);
        rc = gevinst_run(cfg, NULL, NULL, NULL, NULL, &err);
        gvU_fail_allocations_after(-1);
        free(err);
        if (rc == GEVINST_STATUS_OK) break;
        assert_int_equal(rc, GEVINST_STATUS_NO_MEMORY);
        failed++;
        /* no child left, no lock held */
        assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
        tu_exec(db, "BEGIN IMMEDIATE; ROLLBACK");
    }
    assert_true(failed > 3);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM runs"), "1");
    gevinst_config_free(cfg);
}

/* The same for import (all or nothing) and for a report. */
static void failed_allocations_in_import_and_report(void **state) {
    (void)state;
    const char *db = tu_fixture_db();
    const char *csv = tu_write("more.csv", "case,metric,period,value\nc2,m,2017,1\nc2,m,2018,2\n");
    long n, failed = 0;
    gevinst_status rc = GEVINST_STATUS_NO_MEMORY;
    for (n = 0; rc != GEVINST_STATUS_OK && n < 10000; n++, failed++) {
        char *err = NULL;
        gvU_fail_allocations_after(n);
        rc = gevinst_import(db, "observations", csv, NULL, &err);
        gvU_fail_allocations_after(-1);
        if (rc != GEVINST_STATUS_OK && rc != GEVINST_STATUS_NO_MEMORY)
            fail_msg("import, allocation %ld failed: status %d, %s", n, rc, err ? err : "");
        /* all or nothing: c2 has no observation until the import that worked */
        if (rc != GEVINST_STATUS_OK)
            assert_string_equal(
                tu_sql(db, "SELECT count(*) FROM observations WHERE case_id = 'c2'"), "0");
        free(err);
    }
    assert_true(failed > 5);
    assert_string_equal(tu_sql(db, "SELECT count(*) FROM observations WHERE case_id = 'c2'"), "2");

    gevinst_config *cfg =
        load("{ id = \"total\"; module = \"sum\"; params = { metric = \"m\"; }; }");
    char *err = NULL;
    assert_int_equal(gevinst_run(cfg, NULL, NULL, NULL, NULL, &err), GEVINST_STATUS_OK);
    const char *formats[] = {"text", "json", "csv", "html"};
    long unwound = 0;
    for (int f = 0; f < 4; f++) {
        gevinst_report_options show = {0, formats[f], NULL, 0, NULL, 0, NULL, NULL, NULL};
        rc = GEVINST_STATUS_NO_MEMORY;
        for (n = 0; rc != GEVINST_STATUS_OK && n < 10000; n++) {
            char *text = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&text, &len);
            gvU_fail_allocations_after(n);
            rc = gevinst_report(cfg, &show, out, &err);
            gvU_fail_allocations_after(-1);
            fclose(out);
            free(text);
            if (rc != GEVINST_STATUS_OK && rc != GEVINST_STATUS_NO_MEMORY)
                fail_msg("report %s, allocation %ld: status %d, %s", formats[f], n, rc, err);
            free(err);
            err = NULL;
        }
        unwound += n - 1;
    }
    assert_true(unwound > 3); /* the reports allocate, and each failure was survived */
    gevinst_config_free(cfg);
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(stores_every_result_with_provenance, teardown),
        cmocka_unit_test_teardown(a_failing_indicator_fails_alone, teardown),
        cmocka_unit_test_teardown(a_crashing_plugin_takes_only_itself_down, teardown),
        cmocka_unit_test_teardown(a_plugin_that_cannot_load_fails_alone, teardown),
        cmocka_unit_test_teardown(a_failed_allocation_is_reported_and_undone, teardown),
        cmocka_unit_test_teardown(failed_allocations_in_import_and_report, teardown),
        cmocka_unit_test_teardown(many_children_are_stopped_when_memory_fails, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
