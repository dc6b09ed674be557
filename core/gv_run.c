/*
** gv_run.c -- check, list and run: every indicator for every case and
** period, stored as one run with its provenance, then printed.
*/
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "gevinst/gevinst.h"
#include "gv_db.h"
#include "gv_i18n.h"
#include "gv_module.h"
#include "gv_util.h"
#include "gv_value.h"

const char *gevinst_version(void) {
    return GEVINST_VERSION;
}

/* An indicator ready to evaluate, or the reason it is not. */
typedef struct gvR_indicator {
    const gv_indicator *ind;
    gv_module *m;
    gv_param_value *params;
    int nparams;
    char *error;
} gvR_indicator;

/* Load every module and bind its params; problems go to diag and to each
** indicator's error. */
static gvR_indicator *gvR_prepare(gevinst_config *cfg, gv_load_mode mode, gevinst_diag *diag) {
    gvR_indicator *r = gvU_malloc((size_t)(cfg->nindicators + 1) * sizeof *r);
    memset(r, 0, (size_t)(cfg->nindicators + 1) * sizeof *r);
    for (int i = 0; i < cfg->nindicators; i++) {
        r[i].ind = &cfg->indicators[i];
        if (gvM_load(r[i].ind, cfg, mode, &r[i].m, &r[i].error) < 0) {
            gevinst_diag_add(diag, "%s:%d: indicator '%s': %s", r[i].ind->file, r[i].ind->line,
                             r[i].ind->id, r[i].error);
            continue;
        }
        gevinst_diag mine = {0};
        if (gvM_bind_params(r[i].m, r[i].ind, &r[i].params, &r[i].nparams, &mine) < 0) {
            gvU_buf b = {0};
            for (int k = 0; k < mine.n; k++) {
                gevinst_diag_add(diag, "%s", mine.msg[k]);
                gvU_buf_printf(&b, "%s%s", k ? "; " : "", mine.msg[k]);
            }
            r[i].error = gvU_buf_take(&b);
        }
        gevinst_diag_free(&mine);
    }
    return r;
}

static void gvR_release(gvR_indicator *r, int n) {
    for (int i = 0; i < n; i++) {
        gvM_free(r[i].m);
        gvC_free_params(r[i].params, r[i].nparams);
        free(r[i].error);
    }
    free(r);
}

static const char *gvR_unit(const gvR_indicator *r) {
    if (r->ind->unit) return r->ind->unit;
    return r->m ? r->m->unit : NULL;
}

int gevinst_check(gevinst_config *cfg, gevinst_diag *diag) {
    gvR_indicator *r = gvR_prepare(cfg, GV_LOAD_PROBE, diag);
    int failed = 0;
    for (int i = 0; i < cfg->nindicators; i++)
        failed += r[i].error != NULL;
    gvR_release(r, cfg->nindicators);
    if (!gvU_file_exists(cfg->database)) {
        gevinst_diag_add(diag, "%s: database '%s' does not exist; create it with 'gevinst init %s'",
                         cfg->file, cfg->database, cfg->database);
        return failed;
    }
    if (cfg->ngains > 0) {
        /* the config's gains are checked against the cases they name, in a
           transaction that is rolled back: check changes nothing */
        sqlite3 *db;
        char *err = NULL;
        if (gvD_open(cfg->database, 0, &db, &err) < 0) {
            gevinst_diag_add(diag, "%s", err);
            free(err);
            return failed + 1;
        }
        sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
        int refused = gvI_config_gains(db, cfg, diag);
        failed += refused > 0 ? refused : refused < 0;
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    return failed;
}

/* One param line for `list --params`: name = value (type): help. */
static void gvR_print_param(FILE *out, const gv_param_value *p) {
    char number[32];
    fprintf(out, "    %s = ", p->name);
    if (p->type == GEVINST_PARAM_NUMBER && isnan(p->number))
        fputs("(required)", out);
    else if (p->type == GEVINST_PARAM_NUMBER)
        gvU_format_number(p->number, number), fputs(number, out);
    else if (!p->string)
        fputs("(required)", out);
    else
        fprintf(out, "\"%s\"", p->string);
    fprintf(out, "  (%s", p->type == GEVINST_PARAM_NUMBER ? "number" : "string");
    for (char **c = p->choices; c && *c; c++)
        fprintf(out, "%s%s", c == p->choices ? ": " : " | ", *c);
    fprintf(out, ")%s%s\n", p->help ? "  " : "", p->help ? p->help : "");
}

int gevinst_list(gevinst_config *cfg, FILE *out, int with_params, gevinst_diag *diag) {
    gvR_indicator *r = gvR_prepare(cfg, GV_LOAD_PROBE, diag);
    int failed = 0, wid = 2, wunit = 4, wdesc = 11;
    const char **desc = gvU_malloc((size_t)(cfg->nindicators + 1) * sizeof *desc);
    for (int i = 0; i < cfg->nindicators; i++) {
        const gv_indicator *ind = r[i].ind;
        const char *unit = gvR_unit(&r[i]);
        desc[i] = r[i].error                      ? "(cannot be loaded)"
                  : ind->description              ? ind->description
                  : r[i].m && r[i].m->description ? r[i].m->description
                                                  : "";
        if ((int)strlen(ind->id) > wid) wid = (int)strlen(ind->id);
        if (unit && (int)strlen(unit) > wunit) wunit = (int)strlen(unit);
        if ((int)strlen(desc[i]) > wdesc) wdesc = (int)strlen(desc[i]);
    }
    fprintf(out, "%-*s  %-4s  %-*s  %-*s  %s\n", wid, "id", "kind", wunit, "unit", wdesc,
            "description", "from");
    for (int i = 0; i < cfg->nindicators; i++) {
        const gv_indicator *ind = r[i].ind;
        const char *unit = gvR_unit(&r[i]);
        fprintf(out, "%-*s  %-4s  %-*s  %-*s  %s\n", wid, ind->id,
                !ind->path               ? "?"
                : ind->kind == GV_KIND_C ? "C"
                                         : "Lua",
                wunit, unit ? unit : "-", wdesc, desc[i], ind->path ? ind->path : ind->ref);
        if (with_params && r[i].m) {
            /* the values a run would use: the config's over the defaults */
            const gv_param_value *p = r[i].params ? r[i].params : r[i].m->defaults;
            int n = r[i].params ? r[i].nparams : r[i].m->ndefaults;
            for (int k = 0; k < n; k++)
                gvR_print_param(out, &p[k]);
        }
        failed += r[i].error != NULL;
    }
    free(desc);
    gvR_release(r, cfg->nindicators);
    return failed;
}

int gevinst_format_parse(const char *s, gevinst_format *f) {
    if (strcmp(s, "text") == 0)
        *f = GEVINST_FORMAT_TEXT;
    else if (strcmp(s, "json") == 0)
        *f = GEVINST_FORMAT_JSON;
    else if (strcmp(s, "csv") == 0)
        *f = GEVINST_FORMAT_CSV;
    else if (strcmp(s, "html") == 0)
        *f = GEVINST_FORMAT_HTML;
    else
        return -1;
    return 0;
}

/* ------------------------------------------------------------- evaluation */

typedef struct gvR_run {
    sqlite3 *db; /* read-write: runs and results */
    gv_source src;
    sqlite3_stmt *insert;
    long long id;
    long nok, nnodata, nerror;
    /* progress, shown on a terminal when a run takes more than a second */
    int progress;
    double started;
    long done, total; /* values */
    int indicator, nindicators;
    double shown_at;
} gvR_run;

/* "indicator 2 of 5, 40 % of the values, about 12 s left" on stderr,
** rewritten in place, at most ten times a second. */
static void gvR_progress(gvR_run *run, int last) {
    double now = gvM_clock();
    if (!run->progress || (!last && (now - run->started < 1 || now - run->shown_at < 0.1))) return;
    run->shown_at = now;
    double share = run->total ? (double)run->done / (double)run->total : 1;
    double left = share > 0 ? (now - run->started) * (1 - share) / share : 0;
    fprintf(stderr, "\r\033[Kindicator %d of %d, %3.0f %% of %ld values, about %.0f s left",
            run->indicator, run->nindicators, share * 100, run->total, left);
    if (last) fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void gvR_json_string(FILE *out, const char *s);

/* The params an indicator runs with, as a JSON object, for provenance. */
static char *gvR_params_json(const gvR_indicator *r) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) return NULL;
    fputc('{', f);
    for (int i = 0; i < r->nparams; i++) {
        const gv_param_value *p = &r->params[i];
        char number[32];
        fputs(i ? ", " : "", f);
        gvR_json_string(f, p->name);
        fputs(": ", f);
        if (p->type == GEVINST_PARAM_NUMBER)
            gvU_format_number(p->number, number), fputs(number, f);
        else
            gvR_json_string(f, p->string);
    }
    fputc('}', f);
    fclose(f);
    return text;
}

/* What made an indicator's values in this run. */
static int gvR_store_indicator(gvR_run *run, const gvR_indicator *r, int position, char **err) {
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
    char *params = r->params ? gvR_params_json(r) : NULL;
    sqlite3_bind_int64(st, 1, run->id);
    sqlite3_bind_text(st, 2, r->ind->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, position);
    sqlite3_bind_text(st, 4, gvR_unit(r), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->m ? r->m->name : r->ind->ref, -1, SQLITE_STATIC);
    if (r->ind->path) /* a module never found is of no kind */
        sqlite3_bind_text(st, 6, r->ind->kind == GV_KIND_C ? "c" : "lua", -1, SQLITE_STATIC);
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

static int gvR_store(gvR_run *run, const gvR_indicator *r, const char *case_id,
                     const gv_period *period, int status, double value, const char *error,
                     double fewest_persons, char **err) {
    static const char *const status_text[] = {"ok", "no_data", "error"};
    sqlite3_stmt *st = run->insert;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, run->id);
    sqlite3_bind_text(st, 2, r->ind->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, period->text, -1, SQLITE_STATIC);
    if (status == GEVINST_OK)
        sqlite3_bind_double(st, 5, value);
    else
        sqlite3_bind_null(st, 5);
    sqlite3_bind_text(st, 6, status_text[status], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, error, -1, SQLITE_STATIC);
    if (fewest_persons > 0)
        sqlite3_bind_double(st, 8, fewest_persons);
    else
        sqlite3_bind_null(st, 8);
    if (sqlite3_step(st) != SQLITE_DONE) {
        *err = gvD_errmsg(run->db, "cannot store result");
        return -1;
    }
    if (status == GEVINST_OK) run->nok++;
    if (status == GEVINST_NODATA) run->nnodata++;
    if (status == GEVINST_ERROR) run->nerror++;
    return 0;
}

typedef struct gvR_each {
    gvR_run *run;
    const gvR_indicator *r;
    char **err;
} gvR_each;

static int gvR_value(void *ud, gevinst_ctx *ctx) {
    gvR_each *e = ud;
    double value = 0;
    char *why = NULL;
    int status = GEVINST_ERROR;
    if (!e->r->error) status = gvM_evaluate(e->r->m, ctx, &value, &why);
    int bad = gvR_store(e->run, e->r, ctx->case_fields[0], ctx->period, status, value,
                        e->r->error ? e->r->error : why, ctx->fewest_persons, e->err);
    free(why);
    if (++e->run->done % 64 == 0) gvR_progress(e->run, 0);
    return bad;
}

/* Every case and period of one indicator. */
static int gvR_indicator_run(gvR_run *run, const gevinst_config *cfg, const gvR_indicator *r,
                             char **err) {
    gvR_each e = {run, r, err};
    return gvM_each(&run->src, cfg, r->params, r->nparams, gvR_value, &e, err) ? -1 : 0;
}

/* ----------------------------------------------------------------- output */

static void gvR_json_string(FILE *out, const char *s) {
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static int gvR_print(sqlite3 *db, long long id, gevinst_format fmt, const char *table, int excel,
                     const char *lang, FILE *out, char **err) {
    gv_lang words = GV_LANG_EN;
    if (lang) gvT_lang(lang, &words);
    sqlite3_stmt *run = NULL, *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, started, finished, engine_version, config_file, "
                           "config_hash FROM runs WHERE id = ?1",
                           -1, &run, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT r.indicator, r.case_id, r.period, r.value, i.unit, r.status,"
                           " r.error, i.module, i.module_version,"
                           " gv_small(r.value, i.unit, r.fewest_persons), gv_below() FROM results r"
                           " JOIN run_indicators i USING (run, indicator)"
                           " WHERE r.run = ?1 ORDER BY i.position, r.case_id, r.period",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(db, "cannot read run");
        goto done;
    }
    sqlite3_bind_int64(run, 1, id);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(run) != SQLITE_ROW) {
        *err = gvU_mprintf("run %lld not found in %s", id, sqlite3_db_filename(db, "main"));
        goto done;
    }
    if (fmt == GEVINST_FORMAT_CSV) {
        rc = gvR_print_csv(db, id, table ? table : "results", excel, lang, out, err);
        goto done;
    }
#define COL(s, i) ((const char *)sqlite3_column_text(s, i))
    int w0 = 9, w1 = 4, w2 = 6, w4 = 4;
    if (fmt == GEVINST_FORMAT_JSON) {
        fprintf(out, "{\"run\": {\"id\": %lld, \"started\": ", id);
        gvR_json_string(out, COL(run, 1));
        fputs(", \"finished\": ", out);
        gvR_json_string(out, COL(run, 2));
        fputs(", \"engine_version\": ", out);
        gvR_json_string(out, COL(run, 3));
        fputs(", \"config_file\": ", out);
        gvR_json_string(out, COL(run, 4));
        fputs(", \"config_hash\": ", out);
        gvR_json_string(out, COL(run, 5));
        /* whether small counts of persons are hidden, and under what */
        fprintf(out, ", \"suppressed_below\": %g", gvR_privacy_below());
        fputs("},\n\"results\": [", out);
    } else {
        /* column widths in characters, so Nordic letters line up */
        sqlite3_stmt *w;
        if (sqlite3_prepare_v2(db,
                               "SELECT max(length(indicator)), max(length(case_id)),"
                               " max(length(period)), (SELECT max(length(unit)) FROM"
                               " run_indicators WHERE run = ?1) FROM results WHERE run = ?1",
                               -1, &w, NULL) == SQLITE_OK) {
            sqlite3_bind_int64(w, 1, id);
            if (sqlite3_step(w) == SQLITE_ROW) {
                if (sqlite3_column_int(w, 0) > w0) w0 = sqlite3_column_int(w, 0);
                if (sqlite3_column_int(w, 1) > w1) w1 = sqlite3_column_int(w, 1);
                if (sqlite3_column_int(w, 2) > w2) w2 = sqlite3_column_int(w, 2);
                if (sqlite3_column_int(w, 3) > w4) w4 = sqlite3_column_int(w, 3);
            }
            sqlite3_finalize(w);
        }
        fprintf(out, "run %lld  %s  gevinst %s\nconfig %s (sha256 %.12s)\ndatabase %s\n\n", id,
                COL(run, 1), COL(run, 3), COL(run, 4), COL(run, 5),
                sqlite3_db_filename(db, "main"));
        /* headings padded by characters: "Enhet" and "Værdi" line up too */
        const char *heads[] = {gvT(words, "Indicator"), gvT(words, "Case"), gvT(words, "Period"),
                               gvT(words, "Value"),     gvT(words, "Unit"), gvT(words, "Status")};
        int hw[] = {w0, w1, w2, -14, w4, 0};
        for (int i = 0; i < 6; i++) {
            int chars = 0;
            for (const char *p = heads[i]; *p; p++)
                chars += (*p & 0xC0) != 0x80;
            int pad = abs(hw[i]) > chars ? abs(hw[i]) - chars : 0;
            if (hw[i] < 0) fprintf(out, "%*s", pad, "");
            fputs(heads[i], out);
            if (hw[i] > 0) fprintf(out, "%*s", pad, "");
            fputs(i < 5 ? "  " : "\n", out);
        }
    }
    long n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char value[32] = "";
        int has_value = sqlite3_column_type(st, 3) != SQLITE_NULL;
        int small = sqlite3_column_int(st, 9); /* too small to publish */
        if (has_value && fmt == GEVINST_FORMAT_TEXT)
            gvU_format_number_digits(sqlite3_column_double(st, 3), 6, value);
        else if (has_value)
            gvU_format_number(sqlite3_column_double(st, 3), value);
        if (fmt == GEVINST_FORMAT_JSON) {
            fputs(n ? ",\n  {" : "\n  {", out);
            static const char *const keys[] = {"indicator", "case",   "period",
                                               NULL,        "unit",   "status",
                                               "error",     "module", "module_version"};
            for (int i = 0; i < 9; i++) {
                fprintf(out, "%s\"%s\": ", i ? ", " : "", i == 3 ? "value" : keys[i]);
                if (i == 3)
                    fputs(has_value && !small ? value : "null", out);
                else
                    gvR_json_string(out, COL(st, i));
            }
            if (small) fprintf(out, ", \"suppressed\": \"%s\"", COL(st, 10));
            fputc('}', out);
        } else {
            const char *status = COL(st, 5), *error = COL(st, 6);
            /* printf pads bytes; pad by characters instead */
            const char *cells[4] = {COL(st, 0), COL(st, 1), COL(st, 2), COL(st, 4)};
            int widths[4] = {w0, w1, w2, w4};
            for (int i = 0; i < 4; i++) {
                const char *c = cells[i] ? cells[i] : "";
                int chars = 0;
                for (const char *p = c; *p; p++)
                    chars += (*p & 0xC0) != 0x80;
                if (i == 3) {
                    char local[64];
                    gvT_localize(words,
                                 small       ? COL(st, 10)
                                 : has_value ? value
                                             : "-",
                                 0, local, sizeof local);
                    int lc = 0;
                    for (const char *p = local; *p; p++)
                        lc += (*p & 0xC0) != 0x80;
                    fprintf(out, "%*s%s  ", 14 > lc ? 14 - lc : 0, "", local);
                }
                fprintf(out, "%s%*s  ", c, widths[i] - chars, "");
            }
            /* a table keeps to one line per value: the traceback is in JSON,
               CSV and the database */
            int first_line = error ? (int)strcspn(error, "\n") : 0;
            int colour = gvR_colour(out);
            fprintf(out, "%s%s%s%s%.*s\n", colour ? gvR_status_colour(status) : "",
                    gvT(words, status), colour ? "\033[0m" : "", error ? ": " : "", first_line,
                    error ? error : "");
        }
        n++;
    }
    if (rc != SQLITE_DONE) {
        *err = gvD_errmsg(db, "cannot read results");
        rc = -1;
        goto done;
    }
    if (fmt == GEVINST_FORMAT_JSON) fputs(n ? "\n]" : "]", out);
    if (gvR_print_plan(db, id, fmt, lang, out, err) < 0) {
        rc = -1;
        goto done;
    }
    if (fmt == GEVINST_FORMAT_JSON) fputs("}\n", out);
#undef COL
    rc = 0;
done:
    sqlite3_finalize(run);
    sqlite3_finalize(st);
    return rc;
}

int gevinst_report(gevinst_config *cfg, long long run_id, gevinst_format fmt, const char *table,
                   int excel, const char *lang, int no_suppress, FILE *out, char **err) {
    sqlite3 *db;
    *err = NULL;
    if (gvD_open(cfg->database, 0, &db, err) < 0) return GEVINST_EXIT_USAGE;
    int rc = GEVINST_EXIT_OK;
    if (run_id <= 0) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT max(id) FROM runs WHERE finished IS NOT NULL", -1, &st,
                               NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            run_id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        if (run_id <= 0) {
            *err = gvU_mprintf("%s: no run yet; make one with 'gevinst run -c %s'", cfg->database,
                               cfg->file);
            rc = GEVINST_EXIT_USAGE;
        }
    }
    if (!lang) lang = cfg->report_lang;
    gvR_privacy(db, no_suppress ? 0 : cfg->report_suppress_below);
    if (rc == GEVINST_EXIT_OK && fmt == GEVINST_FORMAT_HTML) {
        if (gvR_print_html(db, run_id, lang, cfg->report_label, out, err) < 0)
            rc = strstr(*err, "not found") || strstr(*err, "language") ? GEVINST_EXIT_USAGE
                                                                       : GEVINST_EXIT_INTERNAL;
    } else if (rc == GEVINST_EXIT_OK &&
               gvR_print(db, run_id, fmt, table, excel, lang, out, err) < 0)
        rc = strstr(*err, "not found") ? GEVINST_EXIT_USAGE : GEVINST_EXIT_INTERNAL;
    sqlite3_close(db);
    return rc;
}

int gevinst_run(gevinst_config *cfg, gevinst_format fmt, FILE *out, gevinst_diag *diag,
                int progress, long long *run_id, char **err) {
    gvR_run run;
    memset(&run, 0, sizeof run);
    *err = NULL;
    if (!gvU_file_exists(cfg->database)) {
        *err = gvU_mprintf("%s: no such database; create it with 'gevinst init %s'", cfg->database,
                           cfg->database);
        return GEVINST_EXIT_USAGE;
    }
    int rc = GEVINST_EXIT_INTERNAL;
    /* load problems go to diag and travel in each indicator's error; the
       children are forked before this process opens the database, as
       SQLite asks: no connection crosses a fork */
    gevinst_diag none = {0};
    gvR_indicator *r = gvR_prepare(cfg, GV_LOAD_RUN, diag ? diag : &none);
    if (gvD_open(cfg->database, 0, &run.db, err) < 0) {
        rc = GEVINST_EXIT_USAGE;
        goto done;
    }
    char started[32], finished[32];
    gvU_now_iso(started);

    if (gvM_source_open(&run.src, cfg->database, err) < 0) goto done;
    if (sqlite3_prepare_v2(
            run.db,
            "INSERT INTO results (run, indicator, case_id, period, value,"
            " status, error, fewest_persons) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            -1, &run.insert, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(run.db, "database");
        goto done;
    }
    /* one transaction: a run is stored whole or not at all */
    if (gvD_exec(run.db, "BEGIN IMMEDIATE", err) < 0) goto done;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(run.db,
                           "INSERT INTO runs (started, engine_version, config_file, config_hash)"
                           " VALUES (?1, ?2, ?3, ?4)",
                           -1, &st, NULL) != SQLITE_OK) {
        *err = gvD_errmsg(run.db, "database");
        goto rollback;
    }
    sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, GEVINST_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, cfg->full_path ? cfg->full_path : cfg->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, cfg->hash, -1, SQLITE_STATIC);
    int stepped = sqlite3_step(st);
    sqlite3_finalize(st);
    if (stepped != SQLITE_DONE) {
        *err = gvD_errmsg(run.db, "cannot store run");
        goto rollback;
    }
    run.id = sqlite3_last_insert_rowid(run.db);
    /* a progress line only where a person watches: a terminal, not -q */
    run.progress = progress && isatty(fileno(stderr));
    run.started = gvM_clock();
    run.nindicators = cfg->nindicators;
    if (run.progress) {
        sqlite3_stmt *n;
        if (sqlite3_prepare_v2(run.db, "SELECT count(*) FROM cases", -1, &n, NULL) == SQLITE_OK &&
            sqlite3_step(n) == SQLITE_ROW)
            run.total = sqlite3_column_int64(n, 0) * cfg->nperiods * cfg->nindicators;
        sqlite3_finalize(n);
    }
    for (int i = 0; i < cfg->nindicators; i++)
        if (((run.indicator = i + 1) && gvR_store_indicator(&run, &r[i], i + 1, err) < 0) ||
            gvR_indicator_run(&run, cfg, &r[i], err) < 0)
            goto rollback;
    gvR_progress(&run, 1);
    /* the realisation plan and its value, from the values just stored */
    int plan_problems = gvV_run(run.db, cfg, run.id, diag ? diag : &none, err);
    if (plan_problems < 0) goto rollback;
    gvU_now_iso(finished);
    char *sql = gvU_mprintf("UPDATE runs SET finished = '%s' WHERE id = %lld", finished, run.id);
    int bad = gvD_exec(run.db, sql, err);
    free(sql);
    if (bad || gvD_exec(run.db, "COMMIT", err) < 0) goto rollback;
    if (run_id) *run_id = run.id;
    gvR_privacy(run.db, cfg->report_suppress_below);
    if (gvR_print(run.db, run.id, fmt, NULL, 0, cfg->report_lang, out, err) < 0) goto done;
    rc = run.nerror || plan_problems ? GEVINST_EXIT_FAILED : GEVINST_EXIT_OK;
    goto done;
rollback:
    sqlite3_exec(run.db, "ROLLBACK", NULL, NULL, NULL);
done:
    sqlite3_finalize(run.insert);
    gvM_source_close(&run.src);
    gvR_release(r, cfg->nindicators);
    gevinst_diag_free(&none);
    sqlite3_close(run.db);
    return rc;
}
