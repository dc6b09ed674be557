/*
** gv_api.c -- libgevinst's public calls (gevinst/gevinst.h): each one
** guards against a failed allocation, calls the layers below, and hands
** back a status and the problems found.  The only file that knows every
** layer.
*/
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "gevinst/gevinst.h"
#include "report/gv_report.h"
#include "store/gv_store.h"

/* The layers' status is the library's: the same names, the same values. */
_Static_assert((int)GV_NO_MEMORY == (int)GEVINST_STATUS_NO_MEMORY &&
                   (int)GV_PARTIAL == (int)GEVINST_STATUS_PARTIAL &&
                   (int)GV_BAD_DATA == (int)GEVINST_STATUS_BAD_DATA,
               "gv_status and gevinst_status differ");

const char *gevinst_status_name(gevinst_status status) {
    static const char *const names[] = {"ok",       "partial",  "usage", "not found",
                                        "bad data", "database", "io",    "no memory"};
    unsigned i = (unsigned)status;
    return i < sizeof names / sizeof names[0] ? names[i] : "unknown";
}

const char *gevinst_version(void) {
    return GEVINST_VERSION;
}

void gevinst_plugin_abi(unsigned *major, unsigned *minor) {
    *major = GEVINST_ABI_MAJOR;
    *minor = GEVINST_ABI_MINOR;
}

int gevinst_schema_version(void) {
    return gvD_schema_version();
}

const char *gevinst_data_dir(void) {
    return gvU_bundled_data_dir();
}

const char *gevinst_include_dir(void) {
    return gvU_bundled_include_dir();
}

/* ----------------------------------------------------------------- memory */

/* Out of memory: say so if there is memory left to say it with. */
static gevinst_status gvA_no_memory(char **err) {
    if (err) *err = strdup("out of memory");
    return GEVINST_STATUS_NO_MEMORY;
}

/* Out of memory where the caller gets a list of problems: say it there,
** with the C library's allocator (gevinst's has just failed). */
static gevinst_status gvA_no_memory_in(gevinst_diag *d) {
    if (!d) return GEVINST_STATUS_NO_MEMORY;
    if (d->n == d->cap) {
        int cap = d->cap ? 2 * d->cap : 8;
        char **more = realloc(d->msg, (size_t)cap * sizeof *more);
        if (!more) return GEVINST_STATUS_NO_MEMORY;
        d->msg = more;
        d->cap = cap;
    }
    char *msg = strdup("out of memory");
    if (msg) d->msg[d->n++] = msg;
    return GEVINST_STATUS_NO_MEMORY;
}

/* The layers' problems, moved to the caller's list. */
static void gvA_diag_move(gevinst_diag *to, gv_diag *from) {
    for (int i = 0; to && i < from->n; i++) {
        if (to->n == to->cap) {
            to->cap = to->cap ? 2 * to->cap : 8;
            to->msg = gvU_realloc(to->msg, (size_t)to->cap * sizeof *to->msg);
        }
        to->msg[to->n++] = from->msg[i];
        from->msg[i] = NULL;
    }
    gvU_diag_free(from);
}

void gevinst_diag_free(gevinst_diag *d) {
    for (int i = 0; i < d->n; i++)
        free(d->msg[i]);
    free(d->msg);
    d->msg = NULL;
    d->n = d->cap = 0;
}

/* Each public call below runs its work in an inner function between
** gvU_catch_oom() and gvU_end_catch(): a failed allocation anywhere in it
** unwinds to the setjmp here and the call reports GEVINST_STATUS_NO_MEMORY.
** Nothing the inner function changed is read after the jump. */

/* --------------------------------------------------------------- database */

gevinst_status gevinst_db_init(const char *path, char **err) {
    gvU_oom_catch c;
    *err = NULL;
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    sqlite3 *db;
    gv_status rc = gvD_open(path, 1, &db, err);
    if (rc == GV_OK) gvD_close(db);
    gvU_end_catch(&c);
    return (gevinst_status)rc;
}

const char *const *const gevinst_import_kinds = gvI_kinds;

void gevinst_import_result_free(gevinst_import_result *res) {
    free(res->source), free(res->since);
    memset(res, 0, sizeof *res);
}

/* The store's account of an import, as the library's callers see it. */
static void gvA_import_result(gevinst_import_result *to, gv_import_result *from) {
    to->source = from->source;
    to->since = from->since;
    to->rows = from->rows;
    to->replaced = from->replaced;
    to->same = from->same;
    to->added = from->added;
    to->changed = from->changed;
    to->removed = from->removed;
    to->unchanged = from->unchanged;
    to->encoding = from->encoding;
    to->wide = from->wide;
}

gevinst_status gevinst_import_with(const char *db_path, const char *kind, const char *path,
                                   const gevinst_import_options *options,
                                   gevinst_import_result *res, char **err) {
    gvU_oom_catch c;
    gv_import_result mine;
    unsigned char key[GV_KEY_SIZE];
    const char *key_file = options ? options->key_file : NULL;
    gv_import_options opt = {options ? options->source : NULL, options ? options->sheet : NULL,
                             key_file ? key : NULL};
    *err = NULL;
    memset(res, 0, sizeof *res);
    memset(&mine, 0, sizeof mine);
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gv_status rc = GV_OK;
    if (key_file && gvU_read_key(key_file, key, err) < 0)
        rc = GV_USAGE;
    else
        rc = gvI_import_with(db_path, kind, path, &opt, &mine, err);
    gvU_end_catch(&c);
    gvA_import_result(res, &mine);
    return (gevinst_status)rc;
}

gevinst_status gevinst_import_source(const char *db_path, const char *kind, const char *csv_path,
                                     const char *source, gevinst_import_result *res, char **err) {
    gevinst_import_options opt = {source, NULL, NULL};
    return gevinst_import_with(db_path, kind, csv_path, &opt, res, err);
}

gevinst_status gevinst_import_pseudonymised(const char *db_path, const char *kind,
                                            const char *csv_path, const char *source,
                                            const char *key_file, gevinst_import_result *res,
                                            char **err) {
    gevinst_import_options opt = {source, NULL, key_file};
    return gevinst_import_with(db_path, kind, csv_path, &opt, res, err);
}

gevinst_status gevinst_keygen(const char *path, char **err) {
    gvU_oom_catch c;
    *err = NULL;
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gv_status rc = gvU_keygen(path, err) < 0 ? GV_USAGE : GV_OK;
    gvU_end_catch(&c);
    return (gevinst_status)rc;
}

gevinst_status gevinst_import(const char *db_path, const char *kind, const char *csv_path,
                              long *nrows, char **err) {
    gevinst_import_result res;
    gevinst_status rc = gevinst_import_source(db_path, kind, csv_path, NULL, &res, err);
    if (nrows) *nrows = res.rows;
    gevinst_import_result_free(&res);
    return rc;
}

gevinst_status gevinst_remove_source(const char *db_path, const char *source,
                                     gevinst_import_result *res, char **err) {
    gvU_oom_catch c;
    gv_import_result mine;
    *err = NULL;
    memset(res, 0, sizeof *res);
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gv_status rc = gvI_remove(db_path, source, &mine, err);
    gvU_end_catch(&c);
    gvA_import_result(res, &mine);
    return (gevinst_status)rc;
}

/* A source, as the library's callers see it. */
typedef struct gvA_sources {
    gevinst_source_fn fn;
    void *ud;
} gvA_sources;

static int gvA_on_source(void *ud, const gv_source_row *row) {
    const gvA_sources *x = ud;
    gevinst_source_info shown = {row->source, row->kind,     row->file,
                                 row->sha256, row->imported, row->rows};
    return x->fn(x->ud, &shown);
}

gevinst_status gevinst_sources(const char *db_path, gevinst_source_fn fn, void *ud, char **err) {
    gvU_oom_catch c;
    gvA_sources x = {fn, ud};
    *err = NULL;
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gv_status rc = gvI_sources(db_path, gvA_on_source, &x, err);
    gvU_end_catch(&c);
    return (gevinst_status)rc;
}

/* ----------------------------------------------------------------- config */

static gevinst_config *gvA_config_load(const char *path, gevinst_diag *diag) {
    gv_diag mine = {0};
    gv_config *cfg = gvC_load(path, gvM_kinds, &mine);
    gvA_diag_move(diag, &mine);
    return cfg;
}

gevinst_config *gevinst_config_load(const char *path, gevinst_diag *diag) {
    gvU_oom_catch c;
    if (setjmp(c.to)) {
        gvA_no_memory_in(diag);
        return NULL;
    }
    gvU_catch_oom(&c);
    gevinst_config *cfg = gvA_config_load(path, diag);
    gvU_end_catch(&c);
    return cfg;
}

void gevinst_config_free(gevinst_config *cfg) {
    gvC_free(cfg);
}

const char *gevinst_config_database(const gevinst_config *cfg) {
    return cfg->database;
}

gevinst_status gevinst_config_set_database(gevinst_config *cfg, const char *path) {
    char *copy = strdup(path);
    if (!copy) return GEVINST_STATUS_NO_MEMORY;
    free(cfg->database);
    cfg->database = copy;
    return GEVINST_STATUS_OK;
}

/* ---------------------------------------------------------------- modules */

static gevinst_status gvA_check(gevinst_config *cfg, gevinst_diag *diag) {
    gv_diag mine = {0};
    int problems = gvE_check(cfg, &mine);
    gvA_diag_move(diag, &mine);
    return problems ? GEVINST_STATUS_USAGE : GEVINST_STATUS_OK;
}

static gevinst_status gvA_check_file(const char *path, gevinst_diag *diag) {
    gv_diag mine = {0};
    int problems = 0;
    gv_config *cfg = gvC_load_all(path, gvM_kinds, &mine, &problems);
    gvA_diag_move(diag, &mine);
    gevinst_status rc = cfg ? gvA_check(cfg, diag) : GEVINST_STATUS_USAGE;
    gvC_free(cfg);
    return problems ? GEVINST_STATUS_USAGE : rc;
}

gevinst_status gevinst_check_file(const char *path, gevinst_diag *diag) {
    gvU_oom_catch c;
    if (setjmp(c.to)) return gvA_no_memory_in(diag);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_check_file(path, diag);
    gvU_end_catch(&c);
    return rc;
}

gevinst_status gevinst_check(gevinst_config *cfg, gevinst_diag *diag) {
    gvU_oom_catch c;
    if (setjmp(c.to)) return gvA_no_memory_in(diag);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_check(cfg, diag);
    gvU_end_catch(&c);
    return rc;
}

/* A param as `list --params` shows it. */
static void gvA_param_info(gevinst_param_info *to, const gv_param_value *p) {
    to->name = gvU_strdup(p->name);
    to->type = p->type;
    to->number = p->number;
    char text[32];
    gvU_format_number(p->number, text);
    to->number_text = gvU_strdup(text);
    to->string = gvU_strdup(p->string);
    to->help = gvU_strdup(p->help);
    to->choices = gvM_copy_choices((const char *const *)p->choices);
}

static void gvA_indicator_info(gevinst_indicator_info *to, const gvE_indicator *r) {
    const gv_indicator *ind = r->ind;
    const gv_loader *loader = ind->path ? gvM_loader_of(ind->kind) : NULL;
    const char *desc = r->error                    ? "(cannot be loaded)"
                       : ind->description          ? ind->description
                       : r->m && r->m->description ? r->m->description
                                                   : "";
    memset(to, 0, sizeof *to);
    to->id = gvU_strdup(ind->id);
    to->kind = loader ? gvU_strdup(loader->label) : NULL;
    to->unit = gvU_strdup(gvE_unit(r));
    to->description = gvU_strdup(desc);
    to->from = gvU_strdup(ind->path ? ind->path : ind->ref);
    to->error = gvU_strdup(r->error);
    if (!r->m) return;
    /* the values a run would use: the config's over the defaults */
    const gv_param_value *p = r->params ? r->params : r->m->defaults;
    to->nparams = r->params ? r->nparams : r->m->ndefaults;
    to->params = gvU_malloc((size_t)(to->nparams + 1) * sizeof *to->params);
    for (int k = 0; k < to->nparams; k++)
        gvA_param_info(&to->params[k], &p[k]);
}

static gevinst_status gvA_list(gevinst_config *cfg, gevinst_indicator_info **list, int *n,
                               gevinst_diag *diag) {
    gv_diag mine = {0};
    gvE_indicator *r = gvE_prepare(cfg, GV_LOAD_PROBE, &mine);
    int failed = 0;
    *list = gvU_malloc((size_t)(cfg->nindicators + 1) * sizeof **list);
    for (int i = 0; i < cfg->nindicators; i++) {
        gvA_indicator_info(&(*list)[i], &r[i]);
        failed += r[i].error != NULL;
    }
    *n = cfg->nindicators;
    gvE_release(r, cfg->nindicators);
    gvA_diag_move(diag, &mine);
    return failed ? GEVINST_STATUS_USAGE : GEVINST_STATUS_OK;
}

gevinst_status gevinst_list(gevinst_config *cfg, gevinst_indicator_info **list, int *n,
                            gevinst_diag *diag) {
    gvU_oom_catch c;
    *list = NULL;
    *n = 0;
    if (setjmp(c.to)) return gvA_no_memory_in(diag);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_list(cfg, list, n, diag);
    gvU_end_catch(&c);
    return rc;
}

void gevinst_list_free(gevinst_indicator_info *list, int n) {
    for (int i = 0; list && i < n; i++) {
        gevinst_indicator_info *x = &list[i];
        for (int k = 0; k < x->nparams; k++) {
            gevinst_param_info *p = &x->params[k];
            for (char **ch = p->choices; ch && *ch; ch++)
                free(*ch);
            free(p->name), free(p->number_text), free(p->string), free(p->help), free(p->choices);
        }
        free(x->params);
        free(x->id), free(x->kind), free(x->unit), free(x->description), free(x->from);
        free(x->error);
    }
    free(list);
}

/* ------------------------------------------------------------------- runs */

/* The engine's progress, as the library's callers see it. */
typedef struct gvA_progress {
    gevinst_progress_fn fn;
    void *ud;
} gvA_progress;

static void gvA_on_progress(void *ud, int indicator, int nindicators, long done, long total,
                            double elapsed, int finished) {
    const gvA_progress *p = ud;
    gevinst_progress shown = {indicator, nindicators, done, total, elapsed, finished};
    p->fn(p->ud, &shown);
}

static gevinst_status gvA_run(gevinst_config *cfg, gevinst_progress_fn progress, void *ud,
                              long long *run_id, gevinst_diag *diag, char **err) {
    gvA_progress p = {progress, ud};
    gv_diag mine = {0};
    gv_status rc = gvE_run(cfg, progress ? gvA_on_progress : NULL, &p, run_id, &mine, err);
    gvA_diag_move(diag, &mine);
    return (gevinst_status)rc;
}

gevinst_status gevinst_run(gevinst_config *cfg, gevinst_progress_fn progress, void *ud,
                           long long *run_id, gevinst_diag *diag, char **err) {
    gvU_oom_catch c;
    *err = NULL;
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_run(cfg, progress, ud, run_id, diag, err);
    gvU_end_catch(&c);
    return rc;
}

int gevinst_report_has_format(const char *format) {
    /* explain is a writer too, but of one number: gevinst_explain */
    for (const gv_writer *w = gvR_writers; format && w->format; w++)
        if (strcmp(w->format, format) == 0) return strcmp(format, "explain") != 0;
    return 0;
}

/* A report context on the config's database, with its privacy rule. */
static void gvA_report_context(gv_report *r, gevinst_config *cfg, long long run, const char *lang,
                               int no_suppress, FILE *out, gv_diag *notes) {
    memset(r, 0, sizeof *r);
    r->notes = notes;
    r->run = run;
    r->lang_name = lang ? lang : cfg->report_lang;
    r->suppress_below = no_suppress ? 0 : cfg->report_suppress_below;
    r->label = cfg->report_label;
    r->out = out;
    r->config_file = cfg->file;
    r->config_path = cfg->full_path ? cfg->full_path : cfg->file;
    r->config_hash = cfg->hash;
}

static gv_status gvA_open_report(gv_report *r, gevinst_config *cfg, long long run, const char *lang,
                                 int no_suppress, FILE *out, gv_diag *notes, char **err) {
    gvA_report_context(r, cfg, run, lang, no_suppress, out, notes);
    return gvR_open(r, cfg->database, err);
}

static gevinst_status gvA_report(gevinst_config *cfg, const gevinst_report_options *o, FILE *out,
                                 char **err) {
    gv_report r;
    gv_diag notes = {0};
    gvA_report_context(&r, cfg, o->run, o->lang, o->no_suppress, out, &notes);
    r.only_case = o->case_id;
    r.only_municipality = o->municipality;
    gv_status rc = gvR_open(&r, cfg->database, err);
    gvA_diag_move(o->notes, &notes);
    r.table = o->table;
    r.excel = o->excel;
    if (rc == GV_OK) rc = gvR_write(&r, o->format ? o->format : "text", err);
    gvR_close(&r);
    return (gevinst_status)rc;
}

gevinst_status gevinst_report(gevinst_config *cfg, const gevinst_report_options *options, FILE *out,
                              char **err) {
    gvU_oom_catch c;
    *err = NULL;
    if (options->format && !gevinst_report_has_format(options->format)) {
        *err = strdup("unknown format");
        return GEVINST_STATUS_USAGE;
    }
    /* an output that shows small counts says so; CSV has no place to */
    if (options->no_suppress && options->format && strcmp(options->format, "csv") == 0) {
        *err = strdup("--no-suppress: CSV has no place to say it shows small counts of persons; "
                      "use --format json or text");
        return GEVINST_STATUS_USAGE;
    }
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_report(cfg, options, out, err);
    gvU_end_catch(&c);
    return rc;
}

static gevinst_status gvA_explain(gevinst_config *cfg, long long run, const char *lang,
                                  const char *what, const char *case_id, const char *period,
                                  int no_suppress, FILE *out, char **err) {
    gv_period p;
    if (gvP_parse(period, &p) < 0) {
        *err = gvU_mprintf("'%s' is not a period (%s)", period, GV_PERIOD_FORMS);
        return GEVINST_STATUS_USAGE;
    }
    gv_report r;
    /* explain says itself what differs in the run it explains */
    gv_status rc = gvA_open_report(&r, cfg, run, lang, no_suppress, out, NULL, err);
    r.what = what;
    r.case_id = case_id;
    r.period = period;
    if (rc == GV_OK) rc = gvR_write(&r, "explain", err);
    gvR_close(&r);
    return (gevinst_status)rc;
}

gevinst_status gevinst_explain_in(gevinst_config *cfg, long long run, const char *lang,
                                  const char *what, const char *case_id, const char *period,
                                  int no_suppress, FILE *out, char **err) {
    gvU_oom_catch c;
    *err = NULL;
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_explain(cfg, run, lang, what, case_id, period, no_suppress, out, err);
    gvU_end_catch(&c);
    return rc;
}

gevinst_status gevinst_explain(gevinst_config *cfg, long long run, const char *what,
                               const char *case_id, const char *period, int no_suppress, FILE *out,
                               char **err) {
    return gevinst_explain_in(cfg, run, NULL, what, case_id, period, no_suppress, out, err);
}

/* A stored value, as the library's callers see it. */
typedef struct gvA_results {
    gevinst_result_fn fn;
    void *ud;
} gvA_results;

static int gvA_on_result(void *ud, const gv_result_row *row) {
    const gvA_results *x = ud;
    gevinst_result shown = {row->indicator, row->case_id,        row->period, row->has_value,
                            row->value,     row->unit,           row->status, row->error,
                            row->module,    row->module_version, row->small};
    return x->fn(x->ud, &shown);
}

static gevinst_status gvA_results_of(gevinst_config *cfg, long long run, gevinst_result_fn fn,
                                     void *ud, char **err) {
    gv_report r;
    gvA_results x = {fn, ud};
    gv_status rc = gvA_open_report(&r, cfg, run, NULL, 0, NULL, NULL, err);
    r.suppress_below = cfg->report_suppress_below; /* `small` says what a report hides */
    if (rc == GV_OK) rc = gvR_results(&r, gvA_on_result, &x, err);
    gvR_close(&r);
    return (gevinst_status)rc;
}

gevinst_status gevinst_results(gevinst_config *cfg, long long run, gevinst_result_fn fn, void *ud,
                               char **err) {
    gvU_oom_catch c;
    *err = NULL;
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_results_of(cfg, run, fn, ud, err);
    gvU_end_catch(&c);
    return rc;
}

/* A stored run, as the library's callers see it. */
typedef struct gvA_runs {
    gevinst_run_info_fn fn;
    void *ud;
} gvA_runs;

static int gvA_on_run(void *ud, const gv_run_row *row) {
    const gvA_runs *x = ud;
    gevinst_run_info shown = {
        row->id,          row->started, row->finished,  row->engine_version, row->config_file,
        row->config_hash, row->values,  row->no_data,   row->errors,         row->gains,
        row->gain_errors, row->partial, row->incomplete};
    return x->fn(x->ud, &shown);
}

static gevinst_status gvA_runs_of(const char *db_path, gevinst_run_info_fn fn, void *ud,
                                  char **err) {
    sqlite3 *db;
    gvA_runs x = {fn, ud};
    gv_status rc = gvD_open_reading(db_path, &db, err);
    if (rc == GV_OK) rc = gvR_runs(db, gvA_on_run, &x, err);
    if (db) gvD_close(db);
    return (gevinst_status)rc;
}

gevinst_status gevinst_runs(const char *db_path, gevinst_run_info_fn fn, void *ud, char **err) {
    gvU_oom_catch c;
    *err = NULL;
    if (setjmp(c.to)) return gvA_no_memory(err);
    gvU_catch_oom(&c);
    gevinst_status rc = gvA_runs_of(db_path, fn, ud, err);
    gvU_end_catch(&c);
    return rc;
}

void gevinst_csv_text(FILE *out, const char *text, char sep) {
    gvR_csv_text(out, text, sep);
}
