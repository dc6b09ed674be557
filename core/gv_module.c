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

#include "gv_db.h"
#include "gv_util.h"

const char *const gvM_case_field_names[GV_CASE_NFIELDS] = {
    "id", "municipality", "title", "start", "end", "description", "country"};

/* ------------------------------------------------------------ data source */

int gvM_source_open(gv_source *src, const char *db_path, char **err) {
    memset(src, 0, sizeof *src);
    if (gvD_open_readonly(db_path, &src->db, err) < 0) return -1;
    /* the authorizer lets these through: they only read */
    if (sqlite3_prepare_v3(src->db,
                           "SELECT total(value), count(value) FROM observations"
                           " WHERE case_id = ?1 AND metric = ?2"
                           " AND period_start >= ?3 AND period_end <= ?4",
                           -1, SQLITE_PREPARE_PERSISTENT, &src->aggregate, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(src->db, "SELECT 1 FROM metrics WHERE name = ?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &src->metric_known, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(src->db, "database");
        gvM_source_close(src);
        return -1;
    }
    return 0;
}

void gvM_source_close(gv_source *src) {
    sqlite3_finalize(src->aggregate);
    sqlite3_finalize(src->metric_known);
    sqlite3_close(src->db);
    memset(src, 0, sizeof *src);
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

enum { GVM_SUM, GVM_COUNT, GVM_MEAN };

/* Sum, count or mean of the case's observations of metric in the period. */
static int gvM_aggregate(gevinst_ctx *ctx, int what, const char *metric, double *out,
                         char **errmsg) {
    gv_source *src = ctx->src;
    if (!metric) {
        *errmsg = gvU_strdup("no metric given");
        return GEVINST_ERROR;
    }
    sqlite3_stmt *st = src->aggregate;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, ctx->case_fields[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ctx->period->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ctx->period->end, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        *errmsg = gvD_errmsg(src->db, "database");
        sqlite3_reset(st);
        return GEVINST_ERROR;
    }
    double total = sqlite3_column_double(st, 0);
    sqlite3_int64 n = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (n == 0) {
        /* no data, unless the metric exists nowhere: then it is a typo */
        sqlite3_stmt *k = src->metric_known;
        sqlite3_reset(k);
        sqlite3_bind_text(k, 1, metric, -1, SQLITE_STATIC);
        int rc = sqlite3_step(k);
        sqlite3_reset(k);
        if (rc == SQLITE_DONE) {
            *errmsg = gvU_mprintf("unknown metric '%s': no observation has it", metric);
            return GEVINST_ERROR;
        }
        if (rc != SQLITE_ROW) {
            *errmsg = gvD_errmsg(src->db, "database");
            return GEVINST_ERROR;
        }
        if (what != GVM_COUNT) return GEVINST_NODATA;
    }
    *out = what == GVM_SUM ? total : what == GVM_COUNT ? (double)n : total / (double)n;
    return GEVINST_OK;
}

static int gvM_sum(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, GVM_SUM, metric, out, errmsg);
}

static int gvM_count(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, GVM_COUNT, metric, out, errmsg);
}

static int gvM_mean(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg) {
    return gvM_aggregate(ctx, GVM_MEAN, metric, out, errmsg);
}

static int gvM_query(gevinst_ctx *ctx, const char *sql, int nparam, const char *const *params,
                     gevinst_row_fn row, void *ud, char **errmsg) {
    sqlite3 *db = ctx->src->db;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK) {
        *errmsg = gvU_mprintf("query refused: %s", sqlite3_errmsg(db));
        return GEVINST_ERROR;
    }
    if (!st || (tail && tail[strspn(tail, " \t\r\n;")])) {
        sqlite3_finalize(st);
        *errmsg = gvU_strdup("query: give exactly one SELECT statement");
        return GEVINST_ERROR;
    }
    if (!sqlite3_stmt_readonly(st)) {
        sqlite3_finalize(st);
        *errmsg = gvU_strdup("query refused: modules may only read");
        return GEVINST_ERROR;
    }
    if (nparam != sqlite3_bind_parameter_count(st)) {
        *errmsg = gvU_mprintf("query has %d parameters but %d values were given",
                              sqlite3_bind_parameter_count(st), nparam);
        sqlite3_finalize(st);
        return GEVINST_ERROR;
    }
    for (int i = 0; i < nparam; i++) sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
    int ncol = sqlite3_column_count(st), rc;
    const char **names = gvU_malloc((size_t)ncol * sizeof *names);
    const char **values = gvU_malloc((size_t)ncol * sizeof *values);
    for (int i = 0; i < ncol; i++) names[i] = sqlite3_column_name(st, i);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncol; i++) values[i] = (const char *)sqlite3_column_text(st, i);
        if (row(ud, ncol, names, values)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    int result = GEVINST_OK;
    if (rc != SQLITE_DONE) {
        *errmsg = gvU_mprintf("query failed: %s", sqlite3_errmsg(db));
        result = GEVINST_ERROR;
    }
    free(names);
    free(values);
    sqlite3_finalize(st);
    return result;
}

const gevinst_host gvM_host = {
    GEVINST_ABI_MAJOR, GEVINST_ABI_MINOR, sizeof(gevinst_host),
    gvM_case_field, gvM_period, gvM_period_start, gvM_period_end,
    gvM_param_number, gvM_param_string,
    gvM_sum, gvM_count, gvM_mean, gvM_query,
    gvU_mprintf,
};

/* -------------------------------------------------------------- C plugins */

/* Copy a plugin's strings: the descriptor dies with dlclose. */
static int gvM_load_c(gv_module *m, char **err) {
    void *dl = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        *err = gvU_mprintf("%s: cannot load plugin: %s (check that the file is a shared object "
                           "built for this machine, and its dependencies with ldd)",
                           m->path, dlerror());
        return -1;
    }
    gevinst_module_init_fn init;
    *(void **)&init = dlsym(dl, GEVINST_MODULE_INIT);
    if (!init) {
        *err = gvU_mprintf("%s: not a gevinst plugin: it has no %s()", m->path,
                           GEVINST_MODULE_INIT);
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
            *err = gvU_mprintf("%s: malformed descriptor: param '%s' has type %d", m->path,
                               p->name, p->type);
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
    }
    return 0;
fail:
    dlclose(dl);
    return -1;
}

/* ------------------------------------------------------------------ all */

int gvM_load(const gv_indicator *ind, const gevinst_config *cfg, gv_module **out, char **err) {
    *out = NULL;
    if (!ind->path) {
        char *dirs = gvC_module_path_text(cfg);
        *err = gvU_mprintf("%s:%d: module '%s' not found (looked for %s.so and %s.lua in: %s)",
                           ind->file, ind->line, ind->ref, ind->ref, ind->ref, dirs);
        free(dirs);
        return -1;
    }
    gv_module *m = gvU_malloc(sizeof *m);
    memset(m, 0, sizeof *m);
    m->kind = ind->kind;
    m->path = gvU_strdup(ind->path);
    if (gvU_sha256_file(m->path, m->hash) < 0) {
        *err = gvU_mprintf("%s: cannot read %s: %s", m->path,
                           m->kind == GV_KIND_C ? "plugin" : "script", strerror(errno));
        gvM_free(m);
        return -1;
    }
    if ((m->kind == GV_KIND_C ? gvM_load_c(m, err) : gvL_load(m, err)) < 0) {
        gvM_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

void gvM_free(gv_module *m) {
    if (!m) return;
    if (m->lua) gvL_free(m);
    if (m->dl) dlclose(m->dl);
    gvC_free_params(m->defaults, m->ndefaults);
    free(m->path), free(m->name), free(m->version), free(m->unit), free(m->description);
    free(m);
}

int gvM_bind_params(const gv_module *m, const gv_indicator *ind, gv_param_value **merged,
                    int *n, gevinst_diag *diag) {
    int before = diag->n;
    gv_param_value *out = gvU_malloc((size_t)(m->ndefaults + 1) * sizeof *out);
    for (int i = 0; i < m->ndefaults; i++) {
        out[i] = m->defaults[i];
        out[i].name = gvU_strdup(m->defaults[i].name);
        out[i].string = gvU_strdup(m->defaults[i].string);
    }
    for (int k = 0; k < ind->nparams; k++) {
        const gv_param_value *given = &ind->params[k];
        int i = 0;
        while (i < m->ndefaults && strcmp(out[i].name, given->name) != 0) i++;
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
        } else {
            free(out[i].string);
            out[i].number = given->number;
            out[i].string = gvU_strdup(given->string);
        }
    }
    for (int i = 0; i < m->ndefaults; i++)
        if (out[i].type == GEVINST_PARAM_STRING && !out[i].string)
            gevinst_diag_add(diag, "%s:%d: indicator '%s': module '%s' needs param '%s'",
                             ind->file, ind->line, ind->id, m->name, out[i].name);
    *merged = out;
    *n = m->ndefaults;
    return diag->n > before ? -1 : 0;
}

int gvM_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    int rc;
    *err = NULL;
    if (m->kind == GV_KIND_LUA) return gvL_evaluate(m, ctx, value, err);
    rc = m->c->evaluate(ctx, value, err);
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
