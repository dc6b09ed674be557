/*
** gv_module.h -- indicator modules: C plugins and Lua scripts behind one
** contract, and the evaluation context they read the case data through.
*/
#ifndef GV_MODULE_H
#define GV_MODULE_H

#include <sqlite3.h>

#include "gevinst/plugin.h"
#include "gv_config.h"

/* The read-only view of the database that modules see. */
typedef struct gv_source {
    sqlite3 *db;
    sqlite3_stmt *aggregate; /* sum, count, mean of one case, metric, period */
    sqlite3_stmt *metric_known;
} gv_source;

int gvM_source_open(gv_source *src, const char *db_path, char **err);
void gvM_source_close(gv_source *src);

/* Fields of a case, in the order of gvM_case_field_names. */
#define GV_CASE_NFIELDS 7
extern const char *const gvM_case_field_names[GV_CASE_NFIELDS];

struct gevinst_ctx {
    gv_source *src;
    const char *const *case_fields; /* GV_CASE_NFIELDS, NULL when empty */
    const gv_period *period;
    const gv_param_value *params;
    int nparams;
};

/* The host functions every module kind calls. */
extern const gevinst_host gvM_host;

typedef struct gv_lua_module gv_lua_module;

/* A loaded module. */
typedef struct gv_module {
    gv_module_kind kind;
    char *path;
    char hash[65];
    char *name, *version, *unit, *description;
    gv_param_value *defaults; /* declared params with their defaults */
    int ndefaults;
    void *dl; /* C */
    const gevinst_module *c;
    gv_lua_module *lua; /* Lua */
} gv_module;

/* Load the module an indicator names; on failure *err says why. */
int gvM_load(const gv_indicator *ind, const gevinst_config *cfg, gv_module **out, char **err);
void gvM_free(gv_module *m);

/* Merge the module's defaults with the indicator's params: an unknown
** param, a wrong type or a missing required one is reported (file:line)
** to diag.  *merged is owned by the caller (gvC_free_params). */
int gvM_bind_params(const gv_module *m, const gv_indicator *ind, gv_param_value **merged,
                    int *n, gevinst_diag *diag);

/* One value: GEVINST_OK, GEVINST_NODATA or GEVINST_ERROR with *err. */
int gvM_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err);

/* Lua scripts (gv_lua.c) */
int gvL_load(gv_module *m, char **err);
int gvL_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err);
void gvL_free(gv_module *m);

#endif
