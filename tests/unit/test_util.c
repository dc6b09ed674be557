/*
** test_util.c -- fixtures shared by the unit tests.
*/
#define _DEFAULT_SOURCE
#include "test_util.h"

#include <math.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "gevinst/gevinst.h"
#include "host/gv_host.h"

static char tmpdir[256];

const char *tu_tmpdir(void) {
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "%s/gevinst-test.XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(tmpdir)) fail_msg("mkdtemp failed");
    }
    return tmpdir;
}

void tu_cleanup(void) {
    if (!tmpdir[0]) return;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    tmpdir[0] = '\0';
}

const char *tu_path(const char *name) {
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 512, "%s/%s", tu_tmpdir(), name);
    return p;
}

const char *tu_write(const char *name, const char *text) {
    const char *path = tu_path(name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

void tu_import(const char *db, const char *kind, const char *csv) {
    char *err = NULL;
    char name[64];
    snprintf(name, sizeof name, "fixture-%s.csv", kind);
    int rc = gevinst_import(db, kind, tu_write(name, csv), NULL, &err);
    if (rc) fail_msg("fixture import failed: %s", err);
}

const char *tu_empty_db(void) {
    const char *db = tu_path("fixture.db");
    char *err = NULL;
    remove(db);
    if (gevinst_db_init(db, &err)) fail_msg("%s", err);
    return db;
}

const char *tu_fixture_db(void) {
    const char *db = tu_empty_db();
    tu_import(db, "municipalities", "code,name,country\n0301,Oslo,NO\n");
    tu_import(db, "cases", "id,municipality,title\nc1,0301,Første sak\nc2,0301,Andre sak\n");
    tu_import(db, "partners", "case,name,type\nc1,Oslo kommune,municipality\n");
    tu_import(db, "observations",
              "case,metric,period,value,subject\n"
              "c1,m,2017-Q1,10,\nc1,m,2017-Q2,20,\nc1,m,2017-09-15,5,\nc1,m,2018,7,\n"
              "c1,score,2017-Q1,4,a\nc1,score,2017-Q1,2,b\n");
    return db;
}

const char *tu_sql(const char *db, const char *sql) {
    static char out[1024];
    sqlite3 *h;
    sqlite3_stmt *st;
    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

void tu_exec(const char *db, const char *sql) {
    sqlite3 *h;
    char *err = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", sql, err);
    sqlite3_close(h);
}

/* The build folder: the one above the test binary's (build/tests/test_x). */
static const char *tu_build_dir(void) {
    static char dir[4096];
    if (!dir[0]) {
        ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
        if (n <= 0) fail_msg("cannot tell where this test binary is");
        dir[n] = '\0';
        for (int up = 0; up < 2; up++)
            *strrchr(dir, '/') = '\0';
    }
    return dir;
}

const char *tu_env(const char *name) {
    static const struct {
        const char *name, *below_build; /* NULL: the source folder */
    } defaults[] = {
        {"GEVINST", "/core/gevinst"},
        {"GEVINST_SOURCE", NULL},
        {"GEVINST_TEST_PLUGINS", "/tests/plugins"},
        {"GEVINST_BUILD_PLUGINS", "/plugins"},
        {"GEVINST_BUILD", ""},
    };
    static char buf[8][4200];
    static int next;
    const char *v = getenv(name);
    if (v) return v;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        if (strcmp(defaults[i].name, name) != 0) continue;
        if (!defaults[i].below_build) return TU_SOURCE_DIR;
        char *out = buf[next++ % 8];
        snprintf(out, sizeof buf[0], "%s%s", tu_build_dir(), defaults[i].below_build);
        return out;
    }
    fail_msg("no default for %s", name);
    return NULL;
}

void tu_print_diag(const gevinst_diag *d) {
    for (int i = 0; i < d->n; i++)
        fprintf(stderr, "%s\n", d->msg[i]);
}

void tu_filter(int argc, char **argv) {
    if (argc > 1) cmocka_set_test_filter(argv[1]);
}

/* A config with one indicator; the caller frees it. */
gevinst_config *tu_config_with(const char *indicator) {
    char text[2048];
    snprintf(text, sizeof text,
             "database = \"fixture.db\";\nperiods = [\"2017\"];\n"
             "module_path = [\"%s\", \"%s\"];\n"
             "indicators = (\n  %s\n);\n",
             tu_env("GEVINST_TEST_PLUGINS"), tu_tmpdir(), indicator);
    gevinst_diag diag = {0};
    gevinst_config *cfg = gevinst_config_load(tu_write("m.cfg", text), &diag);
    for (int i = 0; i < diag.n; i++)
        fprintf(stderr, "%s\n", diag.msg[i]);
    assert_non_null(cfg);
    gevinst_diag_free(&diag);
    return cfg;
}

/* Load the config's only indicator, in this process and in a child;
** expect failure with message msg both ways. */
void tu_expect_load_error(const char *indicator, const char *msg) {
    gevinst_config *cfg = tu_config_with(indicator);
    for (int isolate = 0; isolate < 2; isolate++) {
        gv_module *m = NULL;
        char *err = NULL;
        cfg->indicators[0].isolate = isolate;
        assert_int_equal(gvM_load(&cfg->indicators[0], cfg, GV_LOAD_PROBE, &m, &err), -1);
        assert_null(m);
        if (!strstr(err, msg))
            fail_msg("%s: '%s' does not contain '%s'", isolate ? "isolated" : "in-process", err,
                     msg);
        free(err);
    }
    gevinst_config_free(cfg);
}

/* Evaluate the config's only indicator on the fixture for case c1 in
** `period`; returns the status, value in *v. */
static int tu_evaluate(gevinst_config *cfg, const char *case_id, const char *period, double *v,
                       char **err) {
    gv_module *m = NULL;
    *err = NULL;
    if (gvM_load_here(&cfg->indicators[0], cfg, &m, err) < 0) fail_msg("load: %s", *err);
    gv_param_value *params;
    int nparams;
    gv_diag diag = {0};
    if (gvM_bind_params(m, &cfg->indicators[0], &params, &nparams, &diag) < 0) {
        for (int i = 0; i < diag.n; i++)
            fprintf(stderr, "%s\n", diag.msg[i]);
        fail_msg("params");
    }
    gv_source src;
    if (gvM_source_open(&src, tu_path("fixture.db"), err) < 0) fail_msg("source: %s", *err);
    const char *fields[GV_CASE_NFIELDS] = {case_id, "0301", "Første sak", NULL, NULL, NULL, "NO"};
    gv_period p;
    assert_int_equal(gvP_parse(period, &p), 0);
    gevinst_ctx ctx = {&src, fields, &p, params, nparams, 0, NAN, 0};
    int rc = gvM_evaluate(m, &ctx, v, err);
    gvM_source_close(&src);
    gvC_free_params(params, nparams);
    gvM_free(m);
    return rc;
}

void tu_check_value(const char *indicator, const char *case_id, const char *period, int status,
                    double expected, const char *msg) {
    gevinst_config *cfg = tu_config_with(indicator);
    double v = -1;
    char *err = NULL;
    int rc = tu_evaluate(cfg, case_id, period, &v, &err);
    if (rc != status) fail_msg("%s: status %d, expected %d (%s)", indicator, rc, status, err);
    if (status == GEVINST_OK && v != expected)
        fail_msg("%s in %s: %.17g, expected %.17g", indicator, period, v, expected);
    if (msg && (!err || !strstr(err, msg))) fail_msg("'%s' does not contain '%s'", err, msg);
    free(err);
    gevinst_config_free(cfg);
}
