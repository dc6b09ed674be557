/*
** gv_run.c -- a run: every indicator for every case and period, stored as
** one run with its provenance, then the realisation plan on its values.
** Stores everything, prints nothing: the report layer shows a run.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/gv_engine.h"
#include "store/gv_store.h"

/* ------------------------------------------------------------- indicators */

/* A load error: a module written in the config says its own place (and
** shows it on the lines after the first, which alone the run stores). */
static void gvE_load_error(gvE_indicator *r, gv_diag *diag) {
    if (r->ind->kind && !r->ind->kind->extension) {
        gvU_diag_add(diag, "%s", r->error);
        r->error[strcspn(r->error, "\n")] = '\0';
        return;
    }
    gvU_diag_add(diag, "%s:%d: indicator '%s': %s", r->ind->file, r->ind->line, r->ind->id,
                 r->error);
}

/* Depth first from indicator i along what modules read (path holds the
** way here, state 1 on it, 2 done): each cycle met is an error of every
** indicator in it, reported once at the reference that closes it. */
static void gvE_cycles_from(gvE_indicator *r, int i, int *path, int depth, char *state,
                            gv_diag *diag) {
    state[i] = 1;
    path[depth] = i;
    for (int k = 0; r[i].m && k < r[i].m->nneeds; k++) {
        int j = r[i].m->needs[k].indicator;
        if (state[j] == 0) gvE_cycles_from(r, j, path, depth + 1, state, diag);
        if (state[j] != 1) continue;
        int from = depth;
        while (path[from] != j)
            from--;
        gvU_buf b = {0};
        /* a long cycle is named by its ends: every indicator in it stores
           the message, so its length must not grow with the cycle's */
        for (int x = from; x <= depth; x++) {
            if (depth - from > 8 && x == from + 4)
                gvU_buf_printf(&b, "(%d more) -> ", depth - from - 6), x = depth - 2;
            gvU_buf_printf(&b, "%s -> ", r[path[x]].ind->id);
        }
        gvU_buf_puts(&b, r[j].ind->id);
        gvU_diag_add(diag, "%s: indicator '%s': I{%s} makes a cycle: %s", r[i].m->needs[k].where,
                     r[i].ind->id, r[j].ind->id, b.s);
        for (int x = from; x <= depth; x++)
            if (!r[path[x]].error) r[path[x]].error = gvU_mprintf("cycle: %s", b.s);
        free(b.s);
    }
    state[i] = 2;
}

static void gvE_cycles(gvE_indicator *r, int n, gv_diag *diag) {
    char *state = gvU_malloc((size_t)n + 1);
    int *path = gvU_malloc(((size_t)n + 1) * sizeof *path);
    memset(state, 0, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        if (!state[i]) gvE_cycles_from(r, i, path, 0, state, diag);
    free(state), free(path);
}

gvE_indicator *gvE_prepare(const gv_config *cfg, gv_load_mode mode, gv_diag *diag) {
    gvE_indicator *r = gvU_malloc((size_t)(cfg->nindicators + 1) * sizeof *r);
    memset(r, 0, (size_t)(cfg->nindicators + 1) * sizeof *r);
    for (int i = 0; i < cfg->nindicators; i++) {
        r[i].ind = &cfg->indicators[i];
        if (gvM_load(r[i].ind, cfg, mode, &r[i].m, &r[i].error) < 0) {
            gvE_load_error(&r[i], diag);
            continue;
        }
        gv_diag mine = {0};
        if (gvM_bind_params(r[i].m, r[i].ind, &r[i].params, &r[i].nparams, &mine) < 0) {
            gvU_buf b = {0};
            for (int k = 0; k < mine.n; k++) {
                gvU_diag_add(diag, "%s", mine.msg[k]);
                gvU_buf_printf(&b, "%s%s", k ? "; " : "", mine.msg[k]);
            }
            r[i].error = gvU_buf_take(&b);
        }
        gvU_diag_free(&mine);
    }
    gvE_cycles(r, cfg->nindicators, diag);
    return r;
}

void gvE_release(gvE_indicator *r, int n) {
    for (int i = 0; r && i < n; i++) {
        gvM_free(r[i].m);
        gvC_free_params(r[i].params, r[i].nparams);
        free(r[i].error);
    }
    free(r);
}

const char *gvE_unit(const gvE_indicator *r) {
    if (r->ind->unit) return r->ind->unit;
    return r->m ? r->m->unit : NULL;
}

/* The config's gains against the cases they name, in a transaction that
** is rolled back: check changes nothing.  The number of problems. */
static int gvE_check_gains(const gv_config *cfg, gv_diag *diag) {
    sqlite3 *db;
    char *err = NULL;
    if (gvD_open(cfg->database, 0, &db, &err) != GV_OK) {
        gvU_diag_add(diag, "%s", err);
        free(err);
        return 1;
    }
    int failed = 0;
    if (gvD_exec(db, "BEGIN", &err) == 0) {
        int refused = gvI_config_gains(db, cfg->file, cfg->gains, cfg->ngains, diag);
        failed = refused > 0 ? refused : refused < 0;
        if (gvD_exec(db, "ROLLBACK", &err) < 0) failed++;
    } else {
        failed = 1;
    }
    if (err) gvU_diag_add(diag, "%s: %s", cfg->database, err);
    free(err);
    gvD_close(db);
    return failed;
}

/* Does a module's string param name a metric?  It does when it is called
** metric, numerator or denominator, or ends in _metric, or has no fixed
** choices and its help begins "metric" or "the metric" ("the metric to
** aggregate", "metric on top"): docs/modules.md. */
static int gvE_names_metric(const gv_param_value *p) {
    size_t n = strlen(p->name);
    const char *h = p->help ? p->help : "";
    return p->type == GEVINST_PARAM_STRING && p->string && *p->string &&
           (strcmp(p->name, "metric") == 0 || strcmp(p->name, "numerator") == 0 ||
            strcmp(p->name, "denominator") == 0 ||
            (n > 7 && strcmp(p->name + n - 7, "_metric") == 0) ||
            (!p->choices && (strncmp(h, "metric", 6) == 0 || strncmp(h, "the metric", 10) == 0)));
}

/* A metric a module's param names that no observation has: a warning (the
** data may come later), with the name it most likely meant. */
static void gvE_check_metrics(const gvE_indicator *r, char **names, int n, gv_diag *diag) {
    for (int k = 0; k < r->nparams; k++) {
        const gv_param_value *p = &r->params[k];
        int known = !gvE_names_metric(p);
        for (int j = 0; !known && j < n; j++)
            known = strcmp(names[j], p->string) == 0;
        if (known) continue;
        const char *near = gvU_nearest(p->string, (const char *const *)names, n);
        gvU_diag_add(diag,
                     "%s:%d: warning: indicator '%s': param '%s': no observation has metric "
                     "'%s'%s%s%s",
                     p->file ? p->file : r->ind->file, p->file ? p->line : r->ind->line, r->ind->id,
                     p->name, p->string, near ? " (did you mean '" : "", near ? near : "",
                     near ? "'?)" : "");
    }
}

/* What modules read checked against the database (a formula's metrics,
** a module's metric params); the number of problems. */
static int gvE_check_names(const gv_config *cfg, gvE_indicator *r, gv_diag *diag) {
    sqlite3 *db;
    char *err = NULL, **names = NULL;
    if (gvD_open_readonly(cfg->database, &db, &err) < 0) {
        gvU_diag_add(diag, "%s", err);
        free(err);
        return 1;
    }
    int failed = 0, n = gvM_metric_names(db, &names);
    for (int i = 0; i < cfg->nindicators; i++) {
        if (r[i].m && r[i].m->loader->check) failed += r[i].m->loader->check(r[i].m, db, diag);
        /* a module that checks its own reads (a formula) has its params checked there */
        if (r[i].m && !r[i].m->loader->check && !r[i].error && n >= 0)
            gvE_check_metrics(&r[i], names, n, diag);
    }
    gvM_free_names(names, n);
    gvD_close(db);
    return failed;
}

/* The config's module folders that are not there: a warning each (a
** module there would not be found). */
static void gvE_check_folders(const gv_config *cfg, gv_diag *diag) {
    for (int i = 0; i < cfg->nmodule_path; i++) {
        struct stat st;
        const char *dir = cfg->module_path[i];
        if (strcmp(dir, gvU_bundled_plugin_dir()) == 0 ||
            strcmp(dir, gvU_bundled_script_dir()) == 0)
            continue;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            gvU_diag_add(diag, "%s: warning: module_path: no folder %s", cfg->file, dir);
    }
}

int gvE_check(const gv_config *cfg, gv_diag *diag) {
    gvE_check_folders(cfg, diag);
    gvE_indicator *r = gvE_prepare(cfg, GV_LOAD_PROBE, diag);
    int failed = 0;
    for (int i = 0; i < cfg->nindicators; i++)
        failed += r[i].error != NULL;
    if (!gvU_file_exists(cfg->database)) {
        gvE_release(r, cfg->nindicators);
        gvU_diag_add(diag, "%s: database '%s' does not exist; create it with 'gevinst init %s'",
                     cfg->file, cfg->database, cfg->database);
        return failed + 1;
    }
    failed += gvE_check_names(cfg, r, diag);
    gvE_release(r, cfg->nindicators);
    if (cfg->ngains > 0) failed += gvE_check_gains(cfg, diag);
    return failed;
}

/* ---------------------------------------------------------------- storing */

typedef struct gvE_state {
    const gv_config *cfg;
    sqlite3 *db; /* read-write: runs and results */
    gv_source src;
    sqlite3_stmt *insert;
    long long id;
    long nerror;
    long npartial; /* values whose data cover part of their period */
    /* progress, for whoever watches */
    gvE_progress_fn progress;
    void *progress_ud;
    double started;
    long done, total; /* values */
    int indicator;
    gv_run_values values; /* kept for the modules that read other indicators */
} gvE_state;

static void gvE_progress(gvE_state *run, int finished) {
    if (run->progress)
        run->progress(run->progress_ud, run->indicator, run->cfg->nindicators, run->done,
                      run->total, gvU_clock() - run->started, finished);
}

/* The params an indicator runs with, as a JSON object, for provenance. */
static char *gvE_params_json(const gvE_indicator *r) {
    gvU_buf b = {0};
    gvU_buf_puts(&b, "{");
    for (int i = 0; i < r->nparams; i++) {
        const gv_param_value *p = &r->params[i];
        char number[32];
        gvU_buf_puts(&b, i ? ", " : "");
        gvU_buf_json(&b, p->name);
        gvU_buf_puts(&b, ": ");
        if (p->type == GEVINST_PARAM_NUMBER)
            gvU_format_number(p->number, number), gvU_buf_puts(&b, number);
        else
            gvU_buf_json(&b, p->string);
    }
    gvU_buf_puts(&b, "}");
    return gvU_buf_take(&b);
}

/* What made an indicator's values in this run. */
static int gvE_store_indicator(gvE_state *run, const gvE_indicator *r, int position, char **err) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(run->db,
                           "INSERT INTO run_indicators (run, indicator, position, unit, module,"
                           " module_kind, module_path, module_version, module_hash, params,"
                           " isolated, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                           " ?11, ?12)",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(run->db, "database");
        return -1;
    }
    char *params = r->params ? gvE_params_json(r) : NULL;
    sqlite3_bind_int64(st, 1, run->id);
    sqlite3_bind_text(st, 2, r->ind->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, position);
    sqlite3_bind_text(st, 4, gvE_unit(r), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->m ? r->m->name : r->ind->ref, -1, SQLITE_STATIC);
    if (r->ind->path && r->ind->kind) /* a module never found is of no kind */
        sqlite3_bind_text(st, 6, r->ind->kind->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->ind->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->m ? r->m->version : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->m ? r->m->hash : NULL, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, params, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, r->ind->isolate);
    sqlite3_bind_text(st, 12, r->error, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc) *err = gvD_errmsg(run->db, "cannot store run");
    sqlite3_finalize(st);
    free(params);
    return rc;
}

/* A value another module reads (a formula's I{id}), kept in the run's
** order of cases and periods. */
static void gvE_keep(gvE_state *run, int i, const gevinst_ctx *ctx, int status, double value) {
    gv_run_values *v = &run->values;
    if (!v->kept || !v->kept[i]) return;
    if (v->n[i] == v->cap[i]) {
        v->cap[i] = v->cap[i] ? 2 * v->cap[i] : 256;
        v->kept[i] = gvU_realloc(v->kept[i], (size_t)v->cap[i] * sizeof **v->kept);
    }
    gv_kept *k = &v->kept[i][v->n[i]++];
    k->value = value;
    k->status = status;
    k->fewest_persons = ctx->fewest_persons;
    k->coverage = ctx->coverage;
}

/* Which indicators' values to keep: those some module reads. */
static void gvE_keep_needed(gvE_state *run, const gvE_indicator *r) {
    int n = run->cfg->nindicators;
    gv_run_values *v = &run->values;
    v->nindicators = n;
    v->kept = gvU_malloc(((size_t)n + 1) * sizeof *v->kept);
    v->n = gvU_malloc(((size_t)n + 1) * sizeof *v->n);
    v->cap = gvU_malloc(((size_t)n + 1) * sizeof *v->cap);
    for (int i = 0; i < n; i++)
        v->kept[i] = NULL, v->n[i] = v->cap[i] = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; r[i].m && k < r[i].m->nneeds; k++) {
            int j = r[i].m->needs[k].indicator;
            if (!v->kept[j]) v->kept[j] = gvU_malloc(sizeof **v->kept), v->cap[j] = 1;
        }
    run->src.values = v;
}

static void gvE_values_free(gv_run_values *v) {
    for (int i = 0; v->kept && i < v->nindicators; i++)
        free(v->kept[i]);
    free(v->kept), free(v->n), free(v->cap);
}

/* The order to evaluate in: what a module reads before it, else the
** config's order (a cycle is an error already, and broken here). */
static void gvE_order_from(const gvE_indicator *r, int i, char *state, int *order, int *n) {
    if (state[i]) return;
    state[i] = 1;
    for (int k = 0; r[i].m && k < r[i].m->nneeds; k++)
        gvE_order_from(r, r[i].m->needs[k].indicator, state, order, n);
    order[(*n)++] = i;
}

/* One value, or why there is none. */
static int gvE_store(gvE_state *run, const gvE_indicator *r, const gevinst_ctx *ctx, int status,
                     double value, const char *error, char **err) {
    static const char *const status_text[] = {"ok", "no_data", "error"};
    sqlite3_stmt *st = run->insert;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, run->id);
    sqlite3_bind_text(st, 2, r->ind->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ctx->case_fields[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ctx->period->text, -1, SQLITE_STATIC);
    if (status == GEVINST_OK)
        sqlite3_bind_double(st, 5, value);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, status_text[status], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, error, -1, SQLITE_STATIC);
    if (ctx->fewest_persons > 0)
        sqlite3_bind_double(st, 8, ctx->fewest_persons);
    else
        sqlite3_bind_null(st, 8);
    /* only a value has data behind it to cover its period */
    if (status == GEVINST_OK && !isnan(ctx->coverage))
        sqlite3_bind_double(st, 9, ctx->coverage);
    else
        sqlite3_bind_null(st, 9);
    if (sqlite3_step(st) != SQLITE_DONE) {
        *err = gvD_errmsg(run->db, "cannot store result");
        return -1;
    }
    gvE_keep(run, (int)(r->ind - run->cfg->indicators), ctx, status, value);
    run->nerror += status == GEVINST_ERROR;
    run->npartial += status == GEVINST_OK && ctx->coverage < 1;
    return 0;
}

typedef struct gvE_each {
    gvE_state *run;
    const gvE_indicator *r;
    char **err;
} gvE_each;

static int gvE_value(void *ud, gevinst_ctx *ctx) {
    gvE_each *e = ud;
    double value = 0;
    char *why = NULL;
    int status = GEVINST_ERROR;
    if (!e->r->error) status = gvM_evaluate(e->r->m, ctx, &value, &why);
    int bad = gvE_store(e->run, e->r, ctx, status, value, e->r->error ? e->r->error : why, e->err);
    free(why);
    if (++e->run->done % 64 == 0) gvE_progress(e->run, 0);
    return bad;
}

/* What an indicator's module read (run_reads), and whether that is all. */
static int gvE_store_reads(gvE_state *run, const gvE_indicator *r, const gv_reads *reads,
                           char **err) {
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(run->db,
                                "INSERT INTO run_reads (run, indicator, period, position,"
                                " aggregate, metric, read_period, query)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                -1, &st, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    for (int i = 0; rc == 0 && i < reads->n; i++) {
        const gv_read *x = &reads->r[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, run->id);
        sqlite3_bind_text(st, 2, r->ind->id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, i + 1);
        for (int k = 0; k < GV_READ_TEXTS; k++) {
            /* as every output shows a module's words: printable */
            char *text = x->text[k] ? gvM_printable(gvU_strdup(x->text[k])) : NULL;
            sqlite3_bind_text(st, k == GV_READ_FOR ? 3 : 4 + k, text, -1, SQLITE_TRANSIENT);
            free(text);
        }
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    if (rc == 0) {
        char *sql = sqlite3_mprintf("UPDATE run_indicators SET reads_recorded = %d"
                                    " WHERE run = %lld AND indicator = %Q",
                                    !reads->more, run->id, r->ind->id);
        rc = sqlite3_exec(run->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
        sqlite3_free(sql);
    }
    if (rc) *err = gvD_errmsg(run->db, "cannot store run");
    return rc;
}

/* Every case and period of one indicator, and what its module read. */
static int gvE_indicator_run(gvE_state *run, const gvE_indicator *r, char **err) {
    gvE_each e = {run, r, err};
    gv_reads *reads = gvU_malloc(sizeof *reads);
    memset(reads, 0, sizeof *reads);
    run->src.reads = r->m ? reads : NULL;
    int rc = gvM_each(&run->src, run->cfg, r->params, r->nparams, gvE_value, &e, err) ? -1 : 0;
    run->src.reads = NULL;
    if (rc == 0 && r->m) rc = gvE_store_reads(run, r, reads, err);
    gvM_reads_free(reads);
    free(reads);
    return rc;
}

/* ----------------------------------------------------------------- a run */

/* The run's own row: when, by which engine, from which config. */
static int gvE_begin(gvE_state *run, char **err) {
    char started[32];
    gvU_now_iso(started);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(run->db,
                           "INSERT INTO runs (started, engine_version, config_file, config_hash)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(run->db, "database");
        return -1;
    }
    const gv_config *cfg = run->cfg;
    sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, GEVINST_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, cfg->full_path ? cfg->full_path : cfg->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, cfg->hash, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(st);
    sqlite3_finalize(st);
    if (stepped != SQLITE_DONE) {
        *err = gvD_errmsg(run->db, "cannot store run");
        return -1;
    }
    run->id = sqlite3_last_insert_rowid(run->db);
    return 0;
}

/* How many values the run will make, for its progress. */
static long gvE_total(gvE_state *run) {
    sqlite3_stmt *n;
    long total = 0;
    if (sqlite3_prepare_v2(run->db, "SELECT count(*) FROM cases", -1, &n, NULL) == SQLITE_OK &&
        sqlite3_step(n) == SQLITE_ROW)
        total = (long)sqlite3_column_int64(n, 0) * run->cfg->nperiods * run->cfg->nindicators;
    sqlite3_finalize(n);
    return total;
}

/* Everything a run stores, in the transaction that is open; the number of
** problems with gains, or -1 with *err. */
/* The run's snapshot: the write lock is taken (BEGIN IMMEDIATE), so no
** other writer commits until this run does, and from now on every module,
** in this process or a child, opens its reading; all of them read the data
** as it was at `started`.  0, or -1 with *err. */
static int gvE_snapshot(gvE_state *run, gvE_indicator *r, char **err) {
    if (gvE_begin(run, err) < 0) return -1;
    for (int i = 0; i < run->cfg->nindicators; i++)
        gvM_begin(r[i].m);
    return gvM_source_open(&run->src, run->cfg->database, err);
}

static int gvE_evaluate_all(gvE_state *run, gvE_indicator *r, gv_diag *diag, char **err) {
    const gv_config *cfg = run->cfg;
    if (gvE_snapshot(run, r, err) < 0) return -1;
    run->started = gvU_clock();
    if (run->progress) run->total = gvE_total(run);
    gvE_keep_needed(run, r);
    int *order = gvU_malloc(((size_t)cfg->nindicators + 1) * sizeof *order), n = 0;
    char *state = gvU_malloc((size_t)cfg->nindicators + 1);
    memset(state, 0, (size_t)cfg->nindicators + 1);
    for (int i = 0; i < cfg->nindicators; i++)
        gvE_order_from(r, i, state, order, &n);
    free(state);
    for (int k = 0; k < cfg->nindicators; k++) {
        int i = order[k];
        run->indicator = k + 1;
        if (gvE_store_indicator(run, &r[i], i + 1, err) < 0 ||
            gvE_indicator_run(run, &r[i], err) < 0) {
            free(order);
            return -1;
        }
    }
    free(order);
    gvE_progress(run, 1);
    /* the realisation plan and its value, from the values just stored */
    long incomplete = 0;
    int plan_problems = gvV_run(run->db, cfg, run->id, diag, &incomplete, err);
    if (plan_problems < 0) return -1;
    /* a part-year is not a year: say so where the operator looks */
    if (run->npartial)
        gvU_diag_add(diag,
                     "note: run %lld: %ld value%s from data that cover only part of the period "
                     "(coverage); %ld gain result%s incomplete",
                     run->id, run->npartial, run->npartial == 1 ? "" : "s", incomplete,
                     incomplete == 1 ? "" : "s");
    char finished[32];
    gvU_now_iso(finished);
    char *sql = gvU_mprintf("UPDATE runs SET finished = '%s' WHERE id = %lld", finished, run->id);
    int bad = gvD_exec(run->db, sql, err);
    free(sql);
    return bad ? -1 : plan_problems;
}

gv_status gvE_run(const gv_config *cfg, gvE_progress_fn progress, void *ud, long long *run_id,
                  gv_diag *diag, char **err) {
    gvE_state run;
    memset(&run, 0, sizeof run);
    run.cfg = cfg;
    run.progress = progress;
    run.progress_ud = ud;
    *err = NULL;
    if (!gvU_file_exists(cfg->database)) {
        *err = gvU_mprintf("%s: no such database; create it with 'gevinst init %s'", cfg->database,
                           cfg->database);
        return GV_NOT_FOUND;
    }
    /* load problems go to diag and travel in each indicator's error; the
       children are forked before this process opens the database, as
       SQLite asks: no connection crosses a fork.  They load, then wait to
       read until the run has its snapshot (gvE_snapshot) */
    gvE_indicator *r = gvE_prepare(cfg, GV_LOAD_RUN, diag);
    gv_status rc = gvD_open(cfg->database, 0, &run.db, err);
    int plan_problems = -1;
    if (rc == GV_OK) {
        rc = GV_DATABASE;
        if (sqlite3_prepare_v2(run.db,
                               "INSERT INTO results (run, indicator, case_id, period, value,"
                               " status, error, fewest_persons, coverage) VALUES (?1, ?2, ?3,"
                               " ?4, ?5, ?6, ?7, ?8, ?9)",
                               -1, &run.insert, NULL) == SQLITE_OK &&
            /* one transaction: a run is stored whole or not at all */
            gvD_begin_write(run.db, cfg->database, err) == 0) {
            plan_problems = gvE_evaluate_all(&run, r, diag, err);
            if (plan_problems < 0 || gvD_exec(run.db, "COMMIT", err) < 0) {
                plan_problems = -1;
                gvD_rollback(run.db, err);
            }
        } else if (!*err) {
            *err = gvD_errmsg(run.db, "database");
        }
    }
    if (plan_problems >= 0) {
        if (run_id) *run_id = run.id;
        rc = run.nerror || plan_problems ? GV_PARTIAL : GV_OK;
    }
    sqlite3_finalize(run.insert);
    gvM_source_close(&run.src);
    gvE_values_free(&run.values);
    gvE_release(r, cfg->nindicators);
    gvD_close(run.db);
    return rc;
}
