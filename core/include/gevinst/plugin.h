/*
** gevinst/plugin.h -- the one header a C indicator plugin needs.
**
** A plugin is a shared object that exports gevinst_module_init().  The host
** calls it once with a table of host functions and gets back a descriptor.
** Plugins never link the host: everything they may call is in the table.
**
** ABI rules (as SQLite's sqlite3_api_routines): entries of gevinst_host are
** only ever appended, so a plugin built against an older minor version keeps
** working; a new major version may change anything.  The host refuses a
** plugin whose major differs from its own or whose minor is newer.
*/
#ifndef GEVINST_PLUGIN_H
#define GEVINST_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GEVINST_ABI_MAJOR 1
#define GEVINST_ABI_MINOR 0

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

    /* --- ABI 1.0 --- */
    /* Field of the case being evaluated: "id", "municipality", "title",
    ** "start", "end", "description", "country"; NULL when unknown or empty. */
    const char *(*case_field)(gevinst_ctx *ctx, const char *field);
    /* The period being evaluated, as written in the config ("2018-Q3"). */
    const char *(*period)(gevinst_ctx *ctx);
    /* First and last day of the period, "YYYY-MM-DD". */
    const char *(*period_start)(gevinst_ctx *ctx);
    const char *(*period_end)(gevinst_ctx *ctx);
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
    /* A read-only SELECT with nparam text parameters bound to ?1..?n.
    ** Writes, ATTACH and PRAGMA are refused with GEVINST_ERROR. */
    int (*query)(gevinst_ctx *ctx, const char *sql, int nparam, const char *const *params,
                 gevinst_row_fn row, void *ud, char **errmsg);
    /* printf into memory the host frees: use it for *errmsg. */
    char *(*mprintf)(const char *fmt, ...);
    /* Aggregate `fn` -- "sum", "count", "mean", "min", "max" or "last" (the
    ** value of the latest observation) -- of the case's observations of a
    ** metric within `period` ("2017", "2018-Q3"; NULL: the evaluated one).
    ** Returns as sum() does; count of nothing is 0, not GEVINST_NODATA. */
    int (*aggregate)(gevinst_ctx *ctx, const char *fn, const char *metric, const char *period,
                     double *out, char **errmsg);
    /* Number of days in the evaluated period (for annualisation). */
    int (*period_days)(gevinst_ctx *ctx);
} gevinst_host;

/* Param declaration with its default.  The list ends with name == NULL. */
#define GEVINST_PARAM_NUMBER 1
#define GEVINST_PARAM_STRING 2
typedef struct gevinst_param {
    const char *name;
    int type;           /* GEVINST_PARAM_NUMBER or GEVINST_PARAM_STRING */
    double number;      /* default for numbers */
    const char *string; /* default for strings; NULL means required */
    const char *help;   /* one line for `gevinst list` and the docs */
    /* For strings: the allowed values, NULL-terminated; NULL allows any.
    ** The host checks the config against them. */
    const char *const *choices;
} gevinst_param;

/* What gevinst_module_init() returns; must stay valid until unload. */
typedef struct gevinst_module {
    unsigned abi_major; /* set to GEVINST_ABI_MAJOR / MINOR of this header */
    unsigned abi_minor;
    const char *name;        /* short name, e.g. "sum" */
    const char *version;     /* the module's own version, stored with results */
    const char *unit;        /* unit of the value; the config may override */
    const char *description; /* one line */
    const gevinst_param *params;
    /* Compute one value for ctx.  Return GEVINST_OK with *value set,
    ** GEVINST_NODATA, or GEVINST_ERROR with *errmsg from host->mprintf. */
    int (*evaluate)(gevinst_ctx *ctx, double *value, char **errmsg);
} gevinst_module;

/* Set a module's ABI fields from this header. */
#define GEVINST_MODULE_ABI GEVINST_ABI_MAJOR, GEVINST_ABI_MINOR

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
