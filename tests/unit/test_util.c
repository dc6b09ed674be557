/*
** test_util.c -- fixtures shared by the unit tests.
*/
#define _DEFAULT_SOURCE
#include "test_util.h"

#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gevinst/gevinst.h"

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

static void tu_import(const char *db, const char *kind, const char *csv) {
    char *err = NULL;
    char name[64];
    snprintf(name, sizeof name, "fixture-%s.csv", kind);
    int rc = gevinst_import(db, kind, tu_write(name, csv), NULL, &err);
    if (rc) fail_msg("fixture import failed: %s", err);
}

const char *tu_fixture_db(void) {
    const char *db = tu_path("fixture.db");
    char *err = NULL;
    remove(db);
    if (gevinst_db_init(db, &err)) fail_msg("%s", err);
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

const char *tu_env(const char *name) {
    const char *v = getenv(name);
    if (!v) fail_msg("environment variable %s is not set; run the tests through ctest", name);
    return v;
}
