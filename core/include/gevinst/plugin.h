/*
** gevinst/plugin.h -- the one header a C indicator plugin needs.
**
** A plugin is a shared object that exports gevinst_module_init().  The host
** calls it once with a table of host functions and gets back a descriptor.
** Plugins never link the host: everything they may call is in the table.
**
** ABI rules (as SQLite's sqlite3_api_routines):
**   - abi_major and abi_minor are the first two fields of gevinst_host and
**     of gevinst_module in every version, so each side can read the other's;
**   - within a major version, fields of gevinst_host, gevinst_module and
**     gevinst_param are only ever appended, and each struct says its own
**     size (gevinst_host.size, gevinst_module.size and .param_size): a side
**     reads a field only when the other's size shows it is there;
**   - the host refuses a plugin whose major differs from its own or whose
**     minor is newer; a new major may change anything.
**
** Who owns what:
**   - the host table, and the strings its functions return (case fields,
**     periods, params), are the host's: valid until evaluate() returns
**     (the table itself until the plugin is unloaded); never free them;
**   - the descriptor, its strings and its params are the plugin's, and must
**     stay valid and unchanged until it is unloaded (static data is best);
**   - text from mprintf() is the plugin's until it hands it over as
**     *errmsg, which the host frees; text it keeps, it frees with free();
**   - a row's names and values in a query() callback live until the
**     callback returns.
**
** Out of memory, a host function does not return: in a child process (the
** default) the module's process ends and the host reports it; in the host's
** own process (isolate = false) the call unwinds past the plugin to the
** library call that ran it.  A plugin keeps nothing it must release across
** a host call.
**
** What query() reads is the database as docs/data-model.md describes it,
** in the schema version gevinst_host.schema_version: SQL in a plugin names
** tables and columns of that version.
*/
#ifndef GEVINST_PLUGIN_H
#define GEVINST_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GEVINST_ABI_MAJOR 2
#define GEVINST_ABI_MINOR 1

/* Return codes of evaluate() and of the host's data functions. */
#define GEVINST_OK 0     /* a value was produced */
#define GEVINST_NODATA 1 /* nothing to compute from: stored as "no data" */
#define GEVINST_ERROR 2  /* failure; *errmsg says why */

/* One evaluation: one case, one period, the indicator's params.  Opaque. */
typedef struct gevinst_ctx gevinst_ctx;

/* Row callback of query(): ncol columns, text values (NULL for SQL NULL).
** Return non-zero to stop early. */
typedef int (*gevinst_row_fn)(void *ud, int ncol, const char *const *names,
                              const char *const *values);

/* Host functions handed to gevinst_module_init().  Append only. */
typedef struct gevinst_host {
    unsigned abi_major; /* the host's ABI */
    unsigned abi_minor;
    size_t size; /* sizeof(gevinst_host) in the host: entries past it are absent */
    /* the version of the database schema query() reads (docs/data-model.md) */
    int schema_version;

    /* --- ABI 2.0 --- */
    /* Field of the case being evaluated: "id", "municipality", "title",
    ** "start", "end", "description", "country"; NULL when unknown or empty. */
    const char *(*case_field)(gevinst_ctx *ctx, const char *field);
    /* The period being evaluated, as written in the config ("2018-Q3"). */
    const char *(*period)(gevinst_ctx *ctx);
    /* First and last day of the period, "YYYY-MM-DD". */
    const char *(*period_start)(gevinst_ctx *ctx);
    const char *(*period_end)(gevinst_ctx *ctx);
    /* Number of days in the evaluated period (for annualisation). */
    int (*period_days)(gevinst_ctx *ctx);
    /* Does `period` ("2017", "2018-Q3"; NULL: the evaluated one) hold the
    ** days start..end ("YYYY-MM-DD")?  1 yes, 0 no, -1 when period is no
    ** period or start or end is NULL.  The one rule of which observation counts in which period:
    ** an observation counts when its own days lie inside the period.  SQL
    ** in query() has it as in_period(period_start, period_end, period). */
    int (*in_period)(gevinst_ctx *ctx, const char *period, const char *start, const char *end);
    /* A param (defaults merged with the config).  param_number returns
    ** GEVINST_OK, or GEVINST_ERROR when absent or not a number. */
    int (*param_number)(gevinst_ctx *ctx, const char *name, double *out);
    const char *(*param_string)(gevinst_ctx *ctx, const char *name);
    /* Aggregates of the case's observations of a metric within the period.
    ** Return GEVINST_OK, GEVINST_NODATA (no observation) or GEVINST_ERROR
    ** (unknown metric, database failure) with *errmsg set. */
    int (*sum)(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg);
    int (*count)(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg);
    int (*mean)(gevinst_ctx *ctx, const char *metric, double *out, char **errmsg);
    /* Aggregate `fn` -- "sum", "count", "mean", "min", "max" or "last" (the
    ** value of the latest observation) -- of the case's observations of a
    ** metric within `period` ("2017", "2018-Q3"; NULL: the evaluated one).
    ** Returns as sum() does; count of nothing is 0, not GEVINST_NODATA. */
    int (*aggregate)(gevinst_ctx *ctx, const char *fn, const char *metric, const char *period,
                     double *out, char **errmsg);
    /* A read-only SELECT with nparam text parameters bound to ?1..?n.
    ** Writes, ATTACH and PRAGMA are refused with GEVINST_ERROR. */
    int (*query)(gevinst_ctx *ctx, const char *sql, int nparam, const char *const *params,
                 gevinst_row_fn row, void *ud, char **errmsg);
    /* printf into memory: hand it over as *errmsg (the host frees it), or
    ** free it with free(). */
    char *(*mprintf)(const char *fmt, ...);
    void (*free)(void *p);

    /* --- ABI 2.1 --- */
    /* The distinct subjects among the case's observations of a metric
    ** within `period` (NULL: the evaluated one) that carry a subject:
    ** *total of them, and *reached of them whose highest value there is at
    ** least threshold.  Returns as sum() does: GEVINST_NODATA when no
    ** observation carries a subject.  Read with the other aggregates, in
    ** the run's one pass over the metric, not by a query per case. */
    int (*subjects)(gevinst_ctx *ctx, const char *metric, const char *period, double threshold,
                    double *reached, double *total, char **errmsg);
} gevinst_host;

/* Param declaration with its default.  The list ends with name == NULL. */
#define GEVINST_PARAM_NUMBER 1
#define GEVINST_PARAM_STRING 2
typedef struct gevinst_param {
    const char *name;
    int type;           /* GEVINST_PARAM_NUMBER or GEVINST_PARAM_STRING */
    double number;      /* default for numbers; NaN means required */
    const char *string; /* default for strings; NULL means required */
    const char *help;   /* one line for `gevinst list` and the docs */
    /* For strings: the allowed values, NULL-terminated; NULL allows any.
    ** The host checks the config against them. */
    const char *const *choices;
} gevinst_param;

/* What gevinst_module_init() returns; must stay valid until unload. */
typedef struct gevinst_module {
    unsigned abi_major; /* GEVINST_ABI_MAJOR / MINOR of this header */
    unsigned abi_minor;
    size_t size;       /* sizeof(gevinst_module) of this header */
    size_t param_size; /* sizeof(gevinst_param): the step through params */

    /* --- ABI 2.0 --- */
    const char *name;        /* short name, e.g. "sum" */
    const char *version;     /* the module's own version, stored with results */
    const char *unit;        /* unit of the value; the config may override */
    const char *description; /* one line */
    const gevinst_param *params;
    /* Compute one value for ctx.  Return GEVINST_OK with *value set,
    ** GEVINST_NODATA, or GEVINST_ERROR with *errmsg from host->mprintf. */
    int (*evaluate)(gevinst_ctx *ctx, double *value, char **errmsg);
} gevinst_module;

/* The first fields of a descriptor, from this header:
**   static const gevinst_module module = { GEVINST_MODULE_ABI, .name = ... }; */
#define GEVINST_MODULE_ABI                                                                         \
    GEVINST_ABI_MAJOR, GEVINST_ABI_MINOR, sizeof(gevinst_module), sizeof(gevinst_param)

#define GEVINST_MODULE_INIT "gevinst_module_init"
typedef const gevinst_module *(*gevinst_module_init_fn)(const gevinst_host *host);

#if defined(__GNUC__)
#define GEVINST_EXPORT __attribute__((visibility("default")))
#else
#define GEVINST_EXPORT
#endif

/* Every plugin defines exactly this function. */
GEVINST_EXPORT const gevinst_module *gevinst_module_init(const gevinst_host *host);

#ifdef __cplusplus
}
#endif
#endif
