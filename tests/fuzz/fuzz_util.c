/*
** fuzz_util.c -- see fuzz_util.h.
*/
#include "fuzz_util.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gevinst/gevinst.h"

static char fz_folder[256];

static int fz_remove(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* the folder goes when the fuzzer ends (a finding ends it by abort, and
** the input that made it is kept by libFuzzer, not here) */
static void fz_clean(void) {
    nftw(fz_folder, fz_remove, 8, FTW_DEPTH | FTW_PHYS);
}

const char *fz_dir(void) {
    if (!fz_folder[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(fz_folder, sizeof fz_folder, "%s/gevinst-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(fz_folder)) fz_fail("mkdtemp", fz_folder);
        atexit(fz_clean);
    }
    return fz_folder;
}

const char *fz_path(const char *name) {
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", fz_dir(), name);
    return p;
}

const char *fz_write(const char *name, const void *data, size_t size) {
    const char *path = fz_path(name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) fz_fail("cannot write", path);
    return path;
}

void fz_fail(const char *what, const char *detail) {
    fprintf(stderr, "fuzz: %s: %s\n", what, detail ? detail : "");
    abort();
}

static void fz_import(const char *db, const char *kind, const char *csv) {
    char *err = NULL;
    char name[64];
    snprintf(name, sizeof name, "seed-%s.csv", kind);
    if (gevinst_import(db, kind, fz_write(name, csv, strlen(csv)), NULL, &err) != GEVINST_STATUS_OK)
        fz_fail("seed import", err);
}

const char *fz_case_db(void) {
    static char db[512];
    if (db[0]) return db;
    snprintf(db, sizeof db, "%s", fz_path("cases.db"));
    char *err = NULL;
    if (gevinst_db_init(db, &err) != GEVINST_STATUS_OK) fz_fail("init", err);
    fz_import(db, "municipalities", "code,name,country\n0301,Oslo,NO\n");
    fz_import(db, "cases", "id,municipality,title\nc1,0301,Første sak\nc2,0301,Andre sak\n");
    fz_import(db, "partners", "case,name,type\nc1,Oslo kommune,municipality\n");
    fz_import(db, "observations",
              "case,metric,period,value,subject\nc1,m,2017-Q1,10,\nc1,m,2017-Q2,20,\n"
              "c1,m,2018,7,\nc1,score,2017-Q1,4,a\n");
    return db;
}
