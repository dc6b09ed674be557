/*
** gv_module.c -- indicator modules behind one contract (see gv_module.h):
** the host functions, C plugin loading, params, and evaluation.
*/
#include "gv_module.h"

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gv_db.h"
#include "gv_util.h"

const char *const gvM_case_field_names[GV_CASE_NFIELDS] = {"id",  "municipality", "title",  "start",
                                                           "end", "description",  "country"};

/* ------------------------------------------------------------ data source */

double gvM_clock(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* SQLite calls this every few thousand steps: past the deadline, stop. */
static int gvM_progress(void *ud) {
    const gv_source *src = ud;
    return src->deadline > 0 && gvM_clock() > src->deadline;
}

int gvM_source_open(gv_source *src, const char *db_path, char **err) {
    memset(src, 0, sizeof *src);
    if (gvD_open_readonly(db_path, &src->db, err) < 0) return -1;
    /* the authorizer lets these through: they only read */
    static const char *const sql[] = {
        "SELECT total(value), count(value), min(value), max(value) FROM observations"
        " WHERE case_id = ?1 AND metric = ?2 AND period_start >= ?3 AND period_end <= ?4",
        "SELECT value FROM observations"
        " WHERE case_id = ?1 AND metric = ?2 AND period_start >= ?3 AND period_end <= ?4"
        " ORDER BY period_end DESC, period_start DESC, id DESC LIMIT 1",
        "SELECT 1 FROM metrics WHERE name = ?1",
        "SELECT c.id, c.municipality, c.title, c.start_date, c.end_date, c.description,"
        " m.country FROM cases c JOIN municipalities m ON m.code = c.municipality ORDER BY c.id",
    };
    sqlite3_stmt **st[] = {&src->aggregate, &src->last, &src->metric_known, &src->cases};
    for (int i = 0; i < 4; i++)
        if (sqlite3_prepare_v3(src->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, st[i], NULL) !=
            SQLITE_OK) {
            *err = gvD_errmsg(src->db, "database");
            gvM_source_close(src);
            return -1;
        }
    sqlite3_progress_handler(src->db, 1000, gvM_progress, src);
    return 0;
}

void gvM_source_close(gv_source *src) {
    for (int i = 0; i < 16; i++)
        sqlite3_finalize(src->queries[i]);
    for (int i = 0; i < src->nseries; i++) {
        sqlite3_finalize(src->series[i].st);
        free(src->series[i].metric);
        free(src->series[i].case_id);
        free(src->series[i].rows);
    }
    free(src->series);
    sqlite3_finalize(src->aggregate);
    sqlite3_finalize(src->last);
    sqlite3_finalize(src->metric_known);
    sqlite3_finalize(src->cases);
    sqlite3_close(src->db);
    memset(src, 0, sizeof *src);
}

int gvM_each(gv_source *src, const gevinst_config *cfg, const gv_param_value *params, int nparams,
             gvM_each_fn fn, void *ud, char **err) {
    sqlite3_stmt *cs = src->cases;
    int rc, stop = 0;
    sqlite3_reset(cs);
    while (!stop && (rc = sqlite3_step(cs)) == SQLITE_ROW) {
        const char *fields[GV_CASE_NFIELDS];
        for (int i = 0; i < GV_CASE_NFIELDS; i++)
            fields[i] = (const char *)sqlite3_column_text(cs, i);
        for (int p = 0; p < cfg->nperiods && !stop; p++) {
            gevinst_ctx ctx = {src, fields, &cfg->periods[p], params, nparams, 0};
            stop = fn(ud, &ctx);
        }
    }
    sqlite3_reset(cs);
    if (!stop && rc != SQLITE_DONE) {
        *err = gvD_errmsg(src->db, "cannot read cases");
        return -1;
    }
    return stop;
}

/* ---------------------------------------------------------- host functions */

static const char *gvM_case_field(gevinst_ctx *ctx, const char *field) {
    for (int i = 0; i < GV_CASE_NFIELDS; i++)
        if (strcmp(gvM_case_field_names[i], field) == 0) return ctx->case_fields[i];
    return NULL;
}

static const char *gvM_period(gevinst_ctx *ctx) {
    return ctx->period->text;
}

static const char *gvM_period_start(gevinst_ctx *ctx) {
    return ctx->period->start;
}

static const char *gvM_period_end(gevinst_ctx *ctx) {
    return ctx->period->end;
}

static const gv_param_value *gvM_param(gevinst_ctx *ctx, const char *name) {
    for (int i = 0; i < ctx->nparams; i++)
        if (strcmp(ctx->params[i].name, name) == 0) return &ctx->params[i];
    return NULL;
}

static int gvM_param_number(gevinst_ctx *ctx, const char *name, double *out) {
    const gv_param_value *p = gvM_param(ctx, name);
    if (!p || p->type != GEVINST_PARAM_NUMBER) return GEVINST_ERROR;
    *out = p->number;
    return GEVINST_OK;
}

static const char *gvM_param_string(gevinst_ctx *ctx, const char *name) {
    const gv_param_value *p = gvM_param(ctx, name);
    return p && p->type == GEVINST_PARAM_STRING ? p->string : NULL;
}

/* ----------------------------------------------------------------- series */

static void gvM_series_drop(gv_source *src, gv_series *s) {
    sqlite3_finalize(s->st);
    free(s->metric), free(s->case_id), free(s->rows);
    *s = src->series[--src->nseries];
}

static gv_series *gvM_series(gv_source *src, const char *metric, char **errmsg) {
    for (int i = 0; i < src->nseries; i++)
        if (strcmp(src->series[i].metric, metric) == 0) return &src->series[i];
    gv_series s;
    memset(&s, 0, sizeof s);
    s.known = -1;
    if (sqlite3_prepare_v3(src->db,
                           "SELECT case_id, period_start, period_end, value, id FROM observations"
                           " WHERE metric = ?1 ORDER BY metric, case_id",
                           -1, SQLITE_PREPARE_PERSISTENT, &s.st, NULL) != SQLITE_OK) {
        *errmsg = gvD_errmsg(src->db, "database");
        return NULL;
    }
    s.metric = gvU_strdup(metric);
    sqlite3_bind_text(s.st, 1, s.metric, -1, SQLITE_STATIC);
    sqlite3_stmt *unit;
    if (sqlite3_prepare_v2(src->db, "SELECT unit = 'persons' FROM metrics WHERE name = ?1", -1,
                           &unit, NULL) == SQLITE_OK) {
        sqlite3_bind_text(unit, 1, metric, -1, SQLITE_STATIC);
        s.persons = sqlite3_step(unit) == SQLITE_ROW && sqlite3_column_int(unit, 0);
        sqlite3_finalize(unit);
    }
    src->series = gvU_realloc(src->series, (size_t)(src->nseries + 1) * sizeof s);
    src->series[src->nseries] = s;
    gv_series *p = &src->series[src->nseries++];
    int rc = sqlite3_step(p->st);
    p->pending = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *errmsg = rc == SQLITE_INTERRUPT ? gvU_strdup("stopped: time limit reached")
                                         : gvD_errmsg(src->db, "database");
        gvM_series_drop(src, p);
        return NULL;
    }
    return p;
}

/* Make s hold case_id's observations; -1 when the case comes before the
** series' position (out of order), -2 on a database error. */
static int gvM_series_seek(gv_source *src, gv_series *s, const char *case_id, char **errmsg) {
    if (s->case_id && strcmp(s->case_id, case_id) == 0) return 0;
    if (s->case_id && strcmp(case_id, s->case_id) < 0) return -1;
    free(s->case_id);
    s->case_id = gvU_strdup(case_id);
    s->n = 0;
    while (s->pending) {
        const char *c = (const char *)sqlite3_column_text(s->st, 0);
        int cmp = strcmp(c, case_id);
        if (cmp > 0) break;
        if (cmp == 0) {
            if (s->n == s->cap) {
                s->cap = s->cap ? 2 * s->cap : 64;
                s->rows = gvU_realloc(s->rows, (size_t)s->cap * sizeof *s->rows);
            }
            gv_series_row *r = &s->rows[s->n++];
            snprintf(r->start, sizeof r->start, "%s", (const char *)sqlite3_column_text(s->st, 1));
            snprintf(r->end, sizeof r->end, "%s", (const char *)sqlite3_column_text(s->st, 2));
            r->value = sqlite3_column_double(s->st, 3);
            r->id = sqlite3_column_int64(s->st, 4);
        }
        int rc = sqlite3_step(s->st);
        s->pending = rc == SQLITE_ROW;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            *errmsg = rc == SQLITE_INTERRUPT ? gvU_strdup("stopped: time limit reached")
                                             : gvD_errmsg(src->db, "database");
            /* the pass cannot go on from here: forget it, the next call
               starts a new one */
            gvM_series_drop(src, s);
            return -2;
        }
    }
    return 0;
}

/* Aggregate fn of the case's observations of metric within period (NULL:
** the evaluated one). */
static int gvM_aggregate(gevinst_ctx *ctx, const char *fn, const char *metric, const char *period,
                         double *out, char **errmsg) {
    static const char *const fns[] = {"sum", "count", "mean", "min", "max", "last", NULL};
    gv_source *src = ctx->src;
    gv_period other;
    const gv_period *p = ctx->period;
    int f = 0;
    while (fn && fns[f] && strcmp(fns[f], fn) != 0)
        f++;
    if (!fn || !fns[f]) {
        *errmsg = gvU_mprintf("unknown aggregate '%s' (sum, count, mean, min, max, last)",
                              fn ? fn : "(null)");
        return GEVINST_ERROR;
    }
    if (!metric) {
        *errmsg = gvU_strdup("no metric given");
        return GEVINST_ERROR;
    }
    if (period) {
        if (gvP_parse(period, &other) < 0) {
            *errmsg = gvU_mprintf("'%s' is not a period (%s)", period, GV_PERIOD_FORMS);
            return GEVINST_ERROR;
        }
        p = &other;
    }
    double total = 0, lo = 0, hi = 0, last = 0;
    long n = 0;
    gv_series *series = gvM_series(src, metric, errmsg);
    if (!series) return GEVINST_ERROR;
    int seek = gvM_series_seek(src, series, ctx->case_fields[0], errmsg);
    if (seek == -2) return GEVINST_ERROR; /* series is gone */
    if (seek == 0) {
        /* the case's observations are at hand: aggregate them here */
        const gv_series_row *latest = NULL;
        for (int i = 0; i < series->n; i++) {
            const gv_series_row *r = &series->rows[i];
            if (strcmp(r->start, p->start) < 0 || strcmp(r->end, p->end) > 0) continue;
            total += r->value;
            lo = n == 0 || r->value < lo ? r->value : lo;
            hi = n == 0 || r->value > hi ? r->value : hi;
            n++;
            int c = latest ? strcmp(r->end, latest->end) : 1;
            if (c == 0) c = strcmp(r->start, latest->start);
            if (c == 0) c = r->id > latest->id ? 1 : -1;
            if (c > 0) latest = r;
        }
        if (latest) last = latest->value;
    } else {
        /* out of order: ask SQLite for this case alone */
        sqlite3_stmt *st = fns[f][0] == 'l' ? src->last : src->aggregate;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, ctx->case_fields[0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, p->start, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, p->end, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW && !(rc == SQLITE_DONE && st == src->last)) {
            *errmsg = gvD_errmsg(src->db, "database");
            sqlite3_reset(st);
            return GEVINST_ERROR;
        }
        if (st == src->last) {
            n = rc == SQLITE_ROW;
            last = n ? sqlite3_column_double(st, 0) : 0;
        } else {
            total = sqlite3_column_double(st, 0);
            n = (long)sqlite3_column_int64(st, 1);
            lo = sqlite3_column_double(st, 2);
            hi = sqlite3_column_double(st, 3);
        }
        sqlite3_reset(st);
    }
    int none = n == 0;
    switch (f) {
    case 0:
        *out = total;
        break;
    case 1:
        *out = (double)n;
        break;
    case 2:
        *out = none ? 0 : total / (double)n;
        break;
    case 3:
        *out = lo;
        break;
    case 4:
        *out = hi;
        break;
    default:
        *out = last;
        break;
    }
    if (none && series->known < 0) {
        /* no data, unless the metric exists nowhere: then it is a typo */
        sqlite3_stmt *k = src->metric_known;
        sqlite3_reset(k);
        sqlite3_bind_text(k, 1, metric, -1, SQLITE_STATIC);
        int rc = sqlite3_step(k);
        sqlite3_reset(k);
        if (rc == SQLITE_ROW) series->known = 1;
        if (rc == SQLITE_DONE) {
            *errmsg = gvU_mprintf("unknown metric '%s': no observation has it", metric);
            return GEVINST_ERROR;
        }
        if (rc != SQLITE_ROW) {
            *errmsg = gvD_errmsg(src->db, "database");
            return GEVINST_ERROR;
        }
    }
    if (none && f != 1) return GEVINST_NODATA;
    /* what the module made from a count of persons is as small as that count
       (privacy: see docs/reports.md); a count of observations counts rows */
    if (series->persons && f != 1 && f != 2 && *out > 0 &&
        (ctx->fewest_persons == 0 || *out < ctx->fewest_persons))
        ctx->fewest_persons = *out;
    return GEVINST_OK;
}

static int gvM_sum(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, "sum", metric, NULL, out, errmsg);
}

static int gvM_count(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, "count", metric, NULL, out, errmsg);
}

static int gvM_mean(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, "mean", metric, NULL, out, errmsg);
}

static int gvM_period_days(gevinst_ctx *ctx) {
    return gvP_days(ctx->period);
}

sqlite3_stmt *gvM_query_prepare(gevinst_ctx *ctx, const char *sql, int nparam, char **errmsg) {
    gv_source *src = ctx->src;
    sqlite3 *db = src->db;
    sqlite3_stmt *st = NULL;
    int busy = 0;
    for (int i = 0; i < 16; i++)
        if (src->queries[i] && strcmp(sqlite3_sql(src->queries[i]), sql) == 0) {
            /* in use by a query this one runs inside of: prepare another */
            if (sqlite3_stmt_busy(src->queries[i])) {
                busy = 1;
                break;
            }
            st = src->queries[i];
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            break;
        }
    if (!st) {
        const char *tail = NULL;
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, &tail) != SQLITE_OK) {
            *errmsg = gvU_mprintf("query refused: %s", sqlite3_errmsg(db));
            return NULL;
        }
        if (!st || (tail && tail[strspn(tail, " \t\r\n;")])) {
            sqlite3_finalize(st);
            *errmsg = gvU_strdup("query: give exactly one SELECT statement");
            return NULL;
        }
        if (!sqlite3_stmt_readonly(st)) {
            sqlite3_finalize(st);
            *errmsg = gvU_strdup("query refused: modules may only read");
            return NULL;
        }
        /* keep it for the next case, in place of the oldest that is idle */
        for (int tries = 0; !busy && tries < 16; tries++) {
            sqlite3_stmt **slot = &src->queries[src->next_query];
            src->next_query = (src->next_query + 1) % 16;
            if (*slot && sqlite3_stmt_busy(*slot)) continue;
            sqlite3_finalize(*slot);
            *slot = st;
            break;
        }
    }
    if (nparam != sqlite3_bind_parameter_count(st)) {
        *errmsg = gvU_mprintf("query has %d parameters but %d values were given",
                              sqlite3_bind_parameter_count(st), nparam);
        gvM_query_done(ctx, st);
        return NULL;
    }
    return st;
}

void gvM_query_done(gevinst_ctx *ctx, sqlite3_stmt *st) {
    for (int i = 0; i < 16; i++)
        if (ctx->src->queries[i] == st) {
            sqlite3_reset(st);
            return;
        }
    sqlite3_finalize(st); /* one that was not kept */
}

int gvM_query_step(gevinst_ctx *ctx, sqlite3_stmt *st, char **errmsg) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    *errmsg = rc == SQLITE_INTERRUPT
                  ? gvU_strdup("query stopped: time limit reached")
                  : gvU_mprintf("query failed: %s", sqlite3_errmsg(ctx->src->db));
    return -1;
}

static int gvM_query(gevinst_ctx *ctx, const char *sql, int nparam, const char *const *params,
                     gevinst_row_fn row, void *ud, char **errmsg) {
    sqlite3_stmt *st = gvM_query_prepare(ctx, sql, nparam, errmsg);
    if (!st) return GEVINST_ERROR;
    for (int i = 0; i < nparam; i++)
        sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
    int ncol = sqlite3_column_count(st), rc;
    const char **names = gvU_malloc((size_t)ncol * sizeof *names);
    const char **values = gvU_malloc((size_t)ncol * sizeof *values);
    for (int i = 0; i < ncol; i++)
        names[i] = sqlite3_column_name(st, i);
    while ((rc = gvM_query_step(ctx, st, errmsg)) == 1) {
        for (int i = 0; i < ncol; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        if (row(ud, ncol, names, values)) {
            rc = 0;
            break;
        }
    }
    free(names);
    free(values);
    gvM_query_done(ctx, st);
    return rc < 0 ? GEVINST_ERROR : GEVINST_OK;
}

const gevinst_host gvM_host = {
    GEVINST_ABI_MAJOR, GEVINST_ABI_MINOR, sizeof(gevinst_host),
    gvM_case_field,    gvM_period,        gvM_period_start,
    gvM_period_end,    gvM_param_number,  gvM_param_string,
    gvM_sum,           gvM_count,         gvM_mean,
    gvM_query,         gvU_mprintf,       gvM_aggregate,
    gvM_period_days,
};

/* -------------------------------------------------------------- C plugins */

char **gvM_copy_choices(const char *const *choices) {
    if (!choices) return NULL;
    int n = 0;
    while (choices[n])
        n++;
    char **c = gvU_malloc((size_t)(n + 1) * sizeof *c);
    for (int i = 0; i < n; i++)
        c[i] = gvU_strdup(choices[i]);
    c[n] = NULL;
    return c;
}

/* Copy a plugin's strings: the descriptor dies with dlclose. */
static int gvM_load_c(gv_module *m, char **err) {
    void *dl = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        size_t n = strlen(m->path);
        int lua = n > 4 && strcmp(m->path + n - 4, ".lua") == 0;
        *err = gvU_mprintf("%s: cannot load plugin: %s (%s)", m->path, dlerror(),
                           lua ? "this is a Lua script: name it with script = or module ="
                               : "check that the file is a shared object built for this "
                                 "machine, and its dependencies with ldd");
        return -1;
    }
    gevinst_module_init_fn init;
    *(void **)&init = dlsym(dl, GEVINST_MODULE_INIT);
    if (!init) {
        *err =
            gvU_mprintf("%s: not a gevinst plugin: it has no %s()", m->path, GEVINST_MODULE_INIT);
        goto fail;
    }
    const gevinst_module *d = init(&gvM_host);
    if (!d) {
        *err = gvU_mprintf("%s: %s() returned NULL", m->path, GEVINST_MODULE_INIT);
        goto fail;
    }
    if (d->abi_major != GEVINST_ABI_MAJOR || d->abi_minor > GEVINST_ABI_MINOR) {
        *err = gvU_mprintf("%s: plugin built for ABI %u.%u; this gevinst has ABI %d.%d", m->path,
                           d->abi_major, d->abi_minor, GEVINST_ABI_MAJOR, GEVINST_ABI_MINOR);
        goto fail;
    }
    if (!d->name || !d->evaluate) {
        *err = gvU_mprintf("%s: malformed descriptor: %s is missing", m->path,
                           d->name ? "evaluate" : "name");
        goto fail;
    }
    m->dl = dl;
    m->c = d;
    m->name = gvU_strdup(d->name);
    m->version = gvU_strdup(d->version);
    m->unit = gvU_strdup(d->unit);
    m->description = gvU_strdup(d->description);
    for (const gevinst_param *p = d->params; p && p->name; p++) {
        if (p->type != GEVINST_PARAM_NUMBER && p->type != GEVINST_PARAM_STRING) {
            *err = gvU_mprintf("%s: malformed descriptor: param '%s' has type %d", m->path, p->name,
                               p->type);
            m->dl = NULL;
            goto fail;
        }
        m->defaults = gvU_realloc(m->defaults, (size_t)(m->ndefaults + 1) * sizeof *m->defaults);
        gv_param_value *v = &m->defaults[m->ndefaults++];
        memset(v, 0, sizeof *v);
        v->name = gvU_strdup(p->name);
        v->type = p->type;
        v->number = p->number;
        v->string = gvU_strdup(p->string);
        v->help = gvU_strdup(p->help);
        v->choices = gvM_copy_choices((const char *const *)p->choices);
    }
    return 0;
fail:
    dlclose(dl);
    return -1;
}

/* ------------------------------------------------------------------ all */

/* A module with its file's identity, nothing loaded yet. */
static gv_module *gvM_new(const gv_indicator *ind, const gevinst_config *cfg, char **err) {
    if (!ind->path) {
        char *dirs = gvC_module_path_text(cfg);
        const char *lang = ind->lang ? ind->lang : "";
        char *what = strcmp(lang, "c") == 0 ? gvU_mprintf("%s.so", ind->ref)
                     : strcmp(lang, "lua") == 0
                         ? gvU_mprintf("%s.lua", ind->ref)
                         : gvU_mprintf("%s.so and %s.lua", ind->ref, ind->ref);
        *err = gvU_mprintf("module '%s' not found (looked for %s in: %s)", ind->ref, what, dirs);
        free(what);
        free(dirs);
        return NULL;
    }
    gv_module *m = gvU_malloc(sizeof *m);
    memset(m, 0, sizeof *m);
    m->kind = ind->kind;
    m->path = gvU_strdup(ind->path);
    m->limits = ind->limits;
    if (gvU_sha256_file(m->path, m->hash) < 0) {
        *err = gvU_mprintf("%s: cannot read %s: %s", m->path,
                           m->kind == GV_KIND_C ? "plugin" : "script", strerror(errno));
        gvM_free(m);
        return NULL;
    }
    return m;
}

int gvM_load_here(const gv_indicator *ind, const gevinst_config *cfg, gv_module **out, char **err) {
    gv_module *m = gvM_new(ind, cfg, err);
    *out = NULL;
    if (!m) return -1;
    if ((m->kind == GV_KIND_C ? gvM_load_c(m, err) : gvL_load(m, err)) < 0) {
        gvM_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

int gvM_load(const gv_indicator *ind, const gevinst_config *cfg, gv_load_mode mode, gv_module **out,
             char **err) {
    if (!ind->isolate) return gvM_load_here(ind, cfg, out, err);
    gv_module *m = gvM_new(ind, cfg, err);
    *out = NULL;
    if (!m) return -1;
    if (gvX_start(m, ind, cfg, mode, err) < 0) {
        gvM_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

void gvM_free(gv_module *m) {
    if (!m) return;
    if (m->child) gvX_stop(m);
    if (m->lua) gvL_free(m);
    if (m->dl) dlclose(m->dl);
    gvC_free_params(m->defaults, m->ndefaults);
    free(m->path), free(m->name), free(m->version), free(m->unit), free(m->description);
    free(m);
}

static int gvM_is_choice(char **choices, const char *s) {
    for (; *choices; choices++)
        if (strcmp(*choices, s) == 0) return 1;
    return 0;
}

int gvM_bind_params(const gv_module *m, const gv_indicator *ind, gv_param_value **merged, int *n,
                    gevinst_diag *diag) {
    int before = diag->n;
    gv_param_value *out = gvU_malloc((size_t)(m->ndefaults + 1) * sizeof *out);
    for (int i = 0; i < m->ndefaults; i++) {
        out[i] = m->defaults[i];
        out[i].name = gvU_strdup(m->defaults[i].name);
        out[i].string = gvU_strdup(m->defaults[i].string);
        out[i].help = gvU_strdup(m->defaults[i].help);
        out[i].choices = gvM_copy_choices((const char *const *)m->defaults[i].choices);
    }
    for (int k = 0; k < ind->nparams; k++) {
        const gv_param_value *given = &ind->params[k];
        int i = 0;
        while (i < m->ndefaults && strcmp(out[i].name, given->name) != 0)
            i++;
        if (i == m->ndefaults) {
            gvU_buf known = {0};
            for (int j = 0; j < m->ndefaults; j++)
                gvU_buf_printf(&known, "%s%s", j ? ", " : "", out[j].name);
            gevinst_diag_add(diag, "%s:%d: indicator '%s': module '%s' has no param '%s' (%s)",
                             given->file, given->line, ind->id, m->name, given->name,
                             known.s ? known.s : "it takes none");
            free(known.s);
        } else if (given->type != out[i].type) {
            gevinst_diag_add(diag, "%s:%d: indicator '%s': param '%s' must be a %s", given->file,
                             given->line, ind->id, given->name,
                             out[i].type == GEVINST_PARAM_NUMBER ? "number" : "string");
        } else if (given->type == GEVINST_PARAM_STRING && out[i].choices &&
                   !gvM_is_choice(out[i].choices, given->string)) {
            gvU_buf allowed = {0};
            for (char **c = out[i].choices; *c; c++)
                gvU_buf_printf(&allowed, "%s%s", c == out[i].choices ? "" : ", ", *c);
            gevinst_diag_add(
                diag, "%s:%d: indicator '%s': param '%s' is '%s'; it must be one of: %s",
                given->file, given->line, ind->id, given->name, given->string, allowed.s);
            free(allowed.s);
        } else {
            free(out[i].string);
            out[i].number = given->number;
            out[i].string = gvU_strdup(given->string);
        }
    }
    /* a required param has no default: a NULL string or a NaN number */
    for (int i = 0; i < m->ndefaults; i++)
        if ((out[i].type == GEVINST_PARAM_STRING && !out[i].string) ||
            (out[i].type == GEVINST_PARAM_NUMBER && isnan(out[i].number)))
            gevinst_diag_add(diag, "%s:%d: indicator '%s': module '%s' needs param '%s'", ind->file,
                             ind->line, ind->id, m->name, out[i].name);
    *merged = out;
    *n = m->ndefaults;
    return diag->n > before ? -1 : 0;
}

int gvM_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    int rc;
    *err = NULL;
    if (m->child) return gvX_evaluate(m, ctx, value, err);
    ctx->src->deadline = gvM_clock() + (double)m->limits.time_ms / 1000;
    if (m->kind == GV_KIND_LUA) {
        rc = gvL_evaluate(m, ctx, value, err);
        ctx->src->deadline = 0;
        return rc;
    }
    rc = m->c->evaluate(ctx, value, err);
    ctx->src->deadline = 0;
    if (rc == GEVINST_OK && !isfinite(*value)) {
        *err = gvU_mprintf("%s returned %g; a value must be a finite number", m->name, *value);
        return GEVINST_ERROR;
    }
    if (rc == GEVINST_ERROR && !*err) *err = gvU_mprintf("%s failed without a message", m->name);
    if (rc != GEVINST_OK && rc != GEVINST_NODATA && rc != GEVINST_ERROR) {
        free(*err);
        *err = gvU_mprintf("%s returned unknown code %d", m->name, rc);
        return GEVINST_ERROR;
    }
    return rc;
}
