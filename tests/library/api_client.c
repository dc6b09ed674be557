/*
** api_client.c -- a program of libgevinst's public API alone, built by
** test_install.sh against the installed library with pkg-config:
**
**   api_client DIR
**
** makes two databases in DIR from the bundled demo files, runs the demo
** config on each (two configs, two databases, one process), and prints
** three stored results read through the API, once from each database:
** "<db> <indicator> <case> <period> <value>".  Exit 0 when all went well.
*/
#include <gevinst/gevinst.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wanted {
    const char *db;
    int found;
} wanted;

/* Three values: a count of persons, money, and a Lua script's. */
static int print_three(void *ud, const gevinst_result *r) {
    static const char *const keys[][3] = {
        {"into_work", "no-drammen-jobbkafe", "2018"},
        {"social_assistance", "no-drammen-jobbkafe", "2018"},
        {"volunteer_value", "no-drammen-jobbkafe", "2018"},
    };
    wanted *w = ud;
    for (int i = 0; i < 3; i++)
        if (strcmp(r->indicator, keys[i][0]) == 0 && strcmp(r->case_id, keys[i][1]) == 0 &&
            strcmp(r->period, keys[i][2]) == 0 && r->has_value) {
            printf("%s %s %s %s %.17g\n", w->db, r->indicator, r->case_id, r->period, r->value);
            w->found++;
        }
    return 0;
}

static int fail(const char *what, gevinst_status status, char *err) {
    fprintf(stderr, "api_client: %s: %s: %s\n", what, gevinst_status_name(status), err ? err : "");
    free(err);
    return 1;
}

/* A database at path with the demo data, and the demo config on it. */
static gevinst_config *prepare(const char *path) {
    char *err = NULL, file[4096];
    gevinst_status rc = gevinst_db_init(path, &err);
    for (int i = 0; rc == GEVINST_STATUS_OK && gevinst_import_kinds[i]; i++) {
        snprintf(file, sizeof file, "%s/demo/%s.csv", gevinst_data_dir(), gevinst_import_kinds[i]);
        rc = gevinst_import(path, gevinst_import_kinds[i], file, NULL, &err);
    }
    if (rc != GEVINST_STATUS_OK) {
        fail("import", rc, err);
        return NULL;
    }
    gevinst_diag diag = {0};
    snprintf(file, sizeof file, "%s/demo.cfg", gevinst_data_dir());
    gevinst_config *cfg = gevinst_config_load(file, &diag);
    for (int i = 0; i < diag.n; i++)
        fprintf(stderr, "%s\n", diag.msg[i]);
    gevinst_diag_free(&diag);
    if (cfg) gevinst_config_set_database(cfg, path);
    return cfg;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: api_client DIR\n");
        return 2;
    }
    char paths[2][4096];
    gevinst_config *cfg[2];
    long long run[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        snprintf(paths[k], sizeof paths[k], "%s/api-%c.db", argv[1], 'a' + k);
        if (!(cfg[k] = prepare(paths[k]))) return 1;
    }
    /* both configs are loaded before either runs: no state is shared */
    for (int k = 0; k < 2; k++) {
        char *err = NULL;
        gevinst_status rc = gevinst_run(cfg[k], NULL, NULL, &run[k], NULL, &err);
        if (rc != GEVINST_STATUS_OK) return fail("run", rc, err);
    }
    for (int k = 0; k < 2; k++) {
        char *err = NULL;
        wanted w = {k ? "b" : "a", 0};
        gevinst_status rc = gevinst_results(cfg[k], run[k], print_three, &w, &err);
        if (rc != GEVINST_STATUS_OK) return fail("results", rc, err);
        if (w.found != 3) {
            fprintf(stderr, "api_client: %d of the three values asked for\n", w.found);
            return 1;
        }
        gevinst_config_free(cfg[k]);
    }
    return 0;
}
