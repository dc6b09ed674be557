/*
** gv_host.h -- the host layer: indicator modules behind one contract.
**
** A loader registry (gv_module.c) holds one loader per kind of module: C
** plugins (gv_cplugin.c) and Lua scripts (gv_lua.c).  Isolation in a child
** process (gv_isolate.c) is a wrapper around any loader.  Modules read the
** case data through the host functions and a read-only view of the
** database (gv_source.c).  Depends on base, store and config.
*/
#ifndef GV_HOST_H
#define GV_HOST_H

#include <sqlite3.h>

#include "config/gv_config.h"
#include "gevinst/plugin.h"

typedef struct gv_module gv_module;

/* ----------------------------------------------------------- the registry */

/* One kind of module: how a config names it, and how such a module is
** loaded, evaluated and freed.  A new kind is one file that defines one of
** these and one line in gvM_loaders (gv_module.c). */
typedef struct gv_loader {
    gv_kind kind;      /* lang, the config setting, the file extension */
    const char *label; /* "C", "Lua": `gevinst list` */
    const char *noun;  /* "C plugin", "Lua script": messages and explain */
    /* Load m->path into this process: set m's name, version, unit,
    ** description, defaults and state; 0, or -1 with *err. */
    int (*load)(gv_module *m, char **err);
    /* One value: GEVINST_OK, GEVINST_NODATA, or GEVINST_ERROR with *err. */
    int (*evaluate)(gv_module *m, gevinst_ctx *ctx, double *value, char **err);
    /* Free m->state. */
    void (*unload)(gv_module *m);
    /* The run's snapshot is taken: the module may read the data from now
    ** on (isolation's children wait for it).  NULL: nothing to do. */
    void (*begin)(gv_module *m);
    /* `check` with a database: the names the module reads, each problem
    ** to diag; the number of problems.  NULL: nothing to check. */
    int (*check)(gv_module *m, sqlite3 *db, gv_diag *diag);
} gv_loader;

extern const gv_loader *const gvM_loaders[]; /* NULL-terminated */
extern const gv_kind *const gvM_kinds[];     /* the same kinds, as a config sees them */
/* The loader of a kind a config found; NULL for none. */
const gv_loader *gvM_loader_of(const gv_kind *kind);
/* The loader whose lang ("c", "lua") a database stored; NULL for none. */
const gv_loader *gvM_loader_named(const char *lang);

/* The loaders (each file's own). */
extern const gv_loader gvM_c_plugins; /* gv_cplugin.c */
extern const gv_loader gvL_scripts;   /* gv_lua.c */
extern const gv_loader gvF_formulas;  /* gv_formula.c */

/* ---------------------------------------------------------------- modules */

/* How far gvM_load goes with an isolated module. */
typedef enum {
    GV_LOAD_PROBE, /* load it in a child to learn what it is, then stop */
    GV_LOAD_RUN    /* ... and go on to evaluate every case and period */
} gv_load_mode;

/* Another indicator of the run a module reads (a formula's I{id}): the
** run evaluates it first and refuses a cycle. */
typedef struct gv_need {
    int indicator; /* its place in the config */
    char *where;   /* "FILE:LINE:COLUMN" of the reference, for messages */
} gv_need;

/* The longest name, version, unit or description a module may give. */
#define GV_MODULE_TEXT_MAX 4096

/* A loaded module. */
struct gv_module {
    const gv_loader *loader; /* its kind */
    /* what evaluates it here: its loader, or isolation (a child process
       running its loader) */
    const gv_loader *runner;
    const gv_indicator *ind; /* the indicator it is loaded for, and its config */
    const gv_config *cfg;
    gv_load_mode mode;
    char *path;
    char hash[65];
    char *name, *version, *unit, *description;
    gv_param_value *defaults; /* declared params with their defaults */
    int ndefaults;
    gv_limits limits;
    gv_need *needs;
    int nneeds;
    void *state; /* the runner's */
};

/* Load the module an indicator names; on failure *err says why.  An
** isolated indicator's module is loaded in a child process, which a run
** keeps (GV_LOAD_RUN) to evaluate it. */
int gvM_load(const gv_indicator *ind, const gv_config *cfg, gv_load_mode mode, gv_module **out,
             char **err);
/* Load in this process, whatever the indicator says (the child's side). */
int gvM_load_here(const gv_indicator *ind, const gv_config *cfg, gv_module **out, char **err);
void gvM_free(gv_module *m);

/* Merge the module's defaults with the indicator's params: an unknown
** param, a wrong type or a missing required one is reported (file:line)
** to diag.  *merged is owned by the caller (gvC_free_params). */
int gvM_bind_params(const gv_module *m, const gv_indicator *ind, gv_param_value **merged, int *n,
                    gv_diag *diag);
/* A copy of a NULL-terminated list of strings (NULL stays NULL). */
char **gvM_copy_choices(const char *const *choices);

/* Let a loaded module read: call once the run has taken its snapshot (the
** write lock), so every module reads the same data. */
void gvM_begin(gv_module *m);

/* One value: GEVINST_OK, GEVINST_NODATA or GEVINST_ERROR with *err. */
int gvM_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err);

/* exit() inside a C plugin running in this process ends it with status 2
** and a message (on, the default), never as gevinst's own success; off in
** an isolated worker, whose keeper reports the exit (gv_cplugin.c). */
void gvM_guard_exits(int on);

/* Isolation: the runner of every isolated module (gv_isolate.c). */
extern const gv_loader gvX_isolated;

/* ------------------------------------------------------------ the data */

/* One metric's observations read case by case, in case order, in step with
** the evaluation: a run reads each metric once, whatever the number of
** cases, and holds one case's observations at a time. */
typedef struct gv_series_row {
    char start[11], end[11];
    double value;
    sqlite3_int64 id;
    int point;   /* a person's measurement on one day (a survey answer): it
                    covers any period it is in (docs/methodology.md) */
    int kind;    /* the gv_period_kind of start..end */
    int subject; /* where its subject starts in the series' text, or -1 */
} gv_series_row;

typedef struct gv_series {
    char *metric;
    sqlite3_stmt *st;
    int pending;   /* st is on a row not yet buffered */
    char *case_id; /* the case the buffer holds, or NULL */
    gv_series_row *rows;
    int n, cap;
    char *text; /* the rows' subjects, each ending in '\0' */
    size_t ntext, captext;
    int rewind;  /* a new pass over the cases has begun since the last read */
    int known;   /* the metric exists: -1 not yet asked */
    int persons; /* its unit is "persons": its sums and counts count people */
} gv_series;

#define GV_SOURCE_QUERIES 16

/* One value a run made, kept for the modules that read it. */
typedef struct gv_kept {
    double value, fewest_persons, coverage;
    int status; /* GEVINST_OK, GEVINST_NODATA, GEVINST_ERROR */
} gv_kept;

/* The values a run has made so far of the indicators other modules read:
** kept[i] for indicator i of the config (NULL when none reads it), one
** per case and period in the run's order (gevinst_ctx.row). */
typedef struct gv_run_values {
    gv_kept **kept;
    long *n, *cap;
    int nindicators;
} gv_run_values;

/* What a module read through the host (sum, count, mean, aggregate,
** query), each distinct read once for each period evaluated: the run
** stores it for `explain` (run_reads).  A module that reads more distinct
** things in a run than GV_READS_MAX (a period a case, say), or a text longer than
** GV_MODULE_TEXT_MAX, has the rest left out and `more` set. */
#define GV_READS_MAX 1024
#define GV_READS_SLOTS 2048 /* a power of two, over twice GV_READS_MAX */
enum {
    GV_READ_FOR,       /* the period evaluated */
    GV_READ_AGGREGATE, /* "sum", "count", "mean", "min", "max", "last", "subjects"; "query" */
    GV_READ_METRIC,    /* an aggregate's; NULL for a query */
    GV_READ_PERIOD,    /* an aggregate's period when not the one evaluated; NULL */
    GV_READ_QUERY,     /* a query's SQL as gvM_query_shape writes it; NULL */
    GV_READ_TEXTS
};
typedef struct gv_read {
    char *text[GV_READ_TEXTS];
} gv_read;

typedef struct gv_reads {
    gv_read r[GV_READS_MAX];
    int n;
    int more;
    int last;                 /* the read met last: most calls read it again */
    int slot[GV_READS_SLOTS]; /* 1 + a read's index, by the hash of its texts; 0: free */
    /* told of each read kept, and (NULL) when the first is left out: an
       isolated worker sends them on at once, so a death loses none */
    void (*added)(const gv_read *r);
} gv_reads;

/* Record a read (its texts are copied); 1 when it is new and kept, else 0. */
int gvM_reads_add(gv_reads *reads, const char *const text[GV_READ_TEXTS]);
void gvM_reads_free(gv_reads *reads);
/* A query's SQL as a read records it: each literal (a string, a number, a
** blob) as ?, each comment gone, white space one space: the same query
** for every case is one read, and no value written into it reaches an
** output.  malloc'd. */
char *gvM_query_shape(const char *sql);

/* s (malloc'd) made fit for any output: valid UTF-8, each control
** character '?' (no escape sequence reaches a terminal). */
char *gvM_printable(char *s);

/* The read-only view of the database that modules see. */
typedef struct gv_source {
    sqlite3 *db;
    sqlite3_stmt *aggregate; /* total, count, min, max of one case, metric, period */
    sqlite3_stmt *last;      /* the latest observation */
    sqlite3_stmt *rows;      /* the periods of one case's observations of a metric in a period */
    sqlite3_stmt *metric_known;
    sqlite3_stmt *subjects; /* distinct subjects of one case, metric, period */
    sqlite3_stmt *cases;    /* every case with its fields, by id */
    double deadline;        /* gvU_clock() past which SQLite is interrupted */
    gv_series *series;      /* metrics read so far */
    int nseries;
    /* modules' queries, prepared once: a module asks the same SQL for
       every case */
    sqlite3_stmt *queries[GV_SOURCE_QUERIES];
    unsigned char reads_observations[GV_SOURCE_QUERIES]; /* which of them do */
    long query_rows[GV_SOURCE_QUERIES];                  /* the rows each gave in its running now */
    int next_query;
    const gv_run_values *values; /* the run's so far; NULL outside a run */
    gv_reads *reads;             /* where reads are recorded; NULL: nowhere */
} gv_source;

int gvM_source_open(gv_source *src, const char *db_path, char **err);
void gvM_source_close(gv_source *src);

/* Fields of a case, in the order of gvM_case_field_names. */
#define GV_CASE_NFIELDS 7
extern const char *const gvM_case_field_names[GV_CASE_NFIELDS];

/* One evaluation: a case, a period, the params. */
struct gevinst_ctx {
    gv_source *src;
    const char *const *case_fields; /* GV_CASE_NFIELDS, NULL when empty */
    const gv_period *period;
    const gv_param_value *params;
    int nparams;
    double fewest_persons; /* the smallest positive count of persons the module read; 0: none */
    double coverage;       /* the least share of its period any read's data cover; NaN: none */
    long row;              /* case number x periods + period number, in the run's order */
};

/* The host functions every module kind calls. */
extern const gevinst_host gvM_host;

/* Call fn for every case (by id) and every period of the config, with a
** context on src; stops at the first non-zero return. */
typedef int (*gvM_each_fn)(void *ud, gevinst_ctx *ctx);
int gvM_each(gv_source *src, const gv_config *cfg, const gv_param_value *params, int nparams,
             gvM_each_fn fn, void *ud, char **err);

/* The metrics db knows (the catalogue import keeps), sorted: their
** number, or -1 (sqlite3_errmsg says why); free with gvM_free_names. */
int gvM_metric_names(sqlite3 *db, char ***names);
void gvM_free_names(char **names, int n);

/* A module's SQL: one read-only SELECT with nparam parameters for the
** caller to bind, or NULL with *errmsg; then step it: 1 a row, 0 done, -1
** an error in *errmsg (the time limit, say). */
sqlite3_stmt *gvM_query_prepare(gevinst_ctx *ctx, const char *sql, int nparam, char **errmsg);
int gvM_query_step(gevinst_ctx *ctx, sqlite3_stmt *st, char **errmsg);
/* Done with a statement from gvM_query_prepare (it stays prepared). */
void gvM_query_done(gevinst_ctx *ctx, sqlite3_stmt *st);

/* ---------------------------------------------------------------- formulas */

/* The formula language (gv_expr.c): DHIS2's indicator expressions, parsed
** once into instructions and run for every case and period.  Pure: no
** database, no config. */

/* What an operand reads. */
enum {
    GVF_METRIC,    /* #{metric} or #{metric.aggregate}: the case's observations */
    GVF_CONSTANT,  /* C{name}: the config's constants */
    GVF_INDICATOR, /* I{id}: another indicator's value in the same run */
    GVF_DAYS       /* [days]: the period's length */
};
/* The kinds of value a formula computes with. */
enum { GVF_NULL, GVF_NUMBER, GVF_BOOL, GVF_STRING };
/* DHIS2's missing value strategies: when operands that read data have
** none, the value is skipped if any is missing, if all are, or never (a
** missing one counts as 0 outside isNull, isNotNull and firstNonNull). */
enum { GVF_SKIP_IF_ANY, GVF_SKIP_IF_ALL, GVF_NEVER_SKIP };

typedef struct gvF_value {
    int type;           /* GVF_NULL... */
    double number;      /* a number, or a boolean's 0 or 1 */
    const char *string; /* text: the formula's own, living as long as it */
} gvF_value;

/* One operand, however often the formula names it. */
typedef struct gvF_operand_def {
    int kind;        /* GVF_METRIC... */
    char *name;      /* metric, constant or indicator; "days" */
    char *aggregate; /* a metric's: "sum" unless #{metric.count} and the like */
    int column;      /* where it is first written, from 1 */
} gvF_operand_def;

/* Where the formula's text names an operand, for explain. */
typedef struct gvF_use {
    int operand;
    size_t start, length; /* bytes of the text */
} gvF_use;

typedef struct gvF_instr gvF_instr;

typedef struct gvF_formula {
    char *text;
    gvF_operand_def *operands;
    int noperands;
    gvF_use *uses; /* in the order written */
    int nuses;
    gvF_instr *code; /* postfix: the stack never holds more than ncode values */
    int ncode, capcode;
    double *numbers;
    int nnumbers;
    char **strings;
    int nstrings;
} gvF_formula;

/* Parse text; NULL with *err (the caller frees it) and the *column, from 1,
** of the fault. */
gvF_formula *gvF_parse(const char *text, char **err, int *column);
void gvF_free(gvF_formula *f);
/* Evaluate with operands[i] the value of f->operands[i] (GVF_NULL: no
** data) under a missing value strategy; 0, or -1 on a formula that leaves
** no single value (never one gvF_parse made). */
int gvF_eval(const gvF_formula *f, const gvF_value *operands, int strategy, gvF_value *out);
/* numerator / denominator x factor, x 365 / days when annualised, as
** DHIS2 computes an indicator; 0, or 1 when the denominator is 0 (no value). */
int gvF_indicator_value(double numerator, double denominator, double factor, int annualise,
                        int days, double *out);
/* The column, from 1, of byte at of text, counting characters. */
int gvF_column(const char *text, size_t at);
/* Two lines for a message: the text, and a caret under column. */
char *gvF_caret(const char *text, int column);

#endif
