/*
** gv_config.h -- the config layer: the operator's config file (libconfig),
** read and validated, every problem reported as FILE:LINE.  Depends on
** base; the kinds of module it may name are handed to it by the caller
** (the host layer's loader registry), so it names none itself.
*/
#ifndef GV_CONFIG_H
#define GV_CONFIG_H

#include "base/gv_base.h"
#include "gevinst/plugin.h" /* the param types a module declares */

/* A kind of module, as a config names it. */
typedef struct gv_kind {
    const char *lang;      /* "c", "lua": `lang = ...;`, and what the database stores */
    const char *setting;   /* "plugin", "script": the setting that names such a file */
    const char *extension; /* ".so", ".lua": what `module = NAME` looks for; NULL for a
                              kind written in the config itself (a formula) */
    /* such a kind's further settings in an indicator (numerator, factor...),
       read as its params; NULL-terminated, NULL for none */
    const char *const *settings;
} gv_kind;

/* A param value from the config, or a module's default. */
typedef struct gv_param_value {
    char *name;
    int type; /* GEVINST_PARAM_NUMBER or GEVINST_PARAM_STRING */
    double number;
    char *string;
    const char *file; /* where it was written (config), else NULL */
    int line;
    char *help;     /* a module's description of it */
    char **choices; /* a module's allowed strings, NULL-terminated; NULL: any */
} gv_param_value;

/* What a module may use per evaluation (a value for one case and period). */
typedef struct gv_limits {
    double memory_mb;  /* Lua heap */
    long instructions; /* Lua VM instructions */
    long time_ms;      /* wall clock, including time in C and in SQLite */
} gv_limits;

#define GV_DEFAULT_LIMITS                                                                          \
    { 64, 100000000L, 5000 }

typedef struct gv_indicator {
    char *id;
    const char *file; /* where it is written */
    int line;
    const char *how;     /* "module", or a kind's setting ("plugin", "script") */
    const gv_kind *lang; /* `lang = ...;`: which kind `module` may find; NULL: any */
    int lang_given;      /* `lang` was written, known or not */
    char *ref;           /* as written; a module written in the config: its kind's setting */
    char *path;          /* resolved file, or FILE:LINE of a module written in the
                            config; NULL when `module` found none */
    const gv_kind *kind; /* what path is; NULL with it */
    char *unit;          /* override, or NULL */
    char *description;   /* override, or NULL */
    gv_param_value *params;
    int nparams;
    gv_limits limits; /* the config's, overridden per indicator */
    int isolate;      /* evaluate in a child process (the default) */
    /* the lines of settings that go with a module of a file only (a formula
       takes none of them); 0: not given */
    int params_line, limits_line, isolate_line;
} gv_indicator;

/* `money = { ... }`: the currency and price year figures are shown in, and
** the rates and indexes chosen to get there. */
typedef struct gv_money_cfg {
    int given;
    const char *file;
    int line;
    char *currency;
    int price_year;
    int nrates;
    char **rate_currency;
    double *rate; /* units of `currency` per unit of rate_currency */
    int ncpi;
    char **cpi_currency;
    int *cpi_from; /* year of the first index */
    double **cpi;  /* consecutive years from cpi_from */
    int *cpi_n;
    int ndiscount;
    char **discount_country;
    double *discount_rate;
    double volunteer_wage; /* NaN: not given */
    double sensitivity_range;
} gv_money_cfg;

/* The library's gevinst_config (gevinst.h) is this struct, as lua.h's
** lua_State is lstate.h's: opaque outside, whole inside. */
typedef struct gevinst_config gv_config;
struct gevinst_config {
    char *file;      /* as given */
    char *full_path; /* absolute, for provenance */
    char *dir;
    char hash[65]; /* SHA-256 of the file, then of each file it includes */
    char *database;
    char **module_path; /* the config's, then the bundled folders */
    int nmodule_path;
    gv_period *periods;
    int nperiods;
    gv_limits limits;
    gv_indicator *indicators;
    int nindicators;
    char **included; /* files read through @include */
    int nincluded;
    gv_money_cfg money;
    char *report_lang;            /* report = { lang = "nb"; ... }: NULL for English */
    char *report_label;           /* report = { label = "Synthetic data"; }: on every page */
    double report_suppress_below; /* counts of persons under it are shown as "<N" */
    gv_record *gains;             /* each gain written in the config, its settings as a CSV row */
    int ngains;
    char **allow_partial; /* gains judged on partial periods too: GAIN or CASE/GAIN */
    int *allow_partial_line;
    int nallow_partial;
    const char *allow_partial_file;
    const gv_kind *const *kinds; /* what modules it may name, NULL-terminated */
    /* `constants = { name = number; ... }`: what formulas name as C{name} */
    char **constant_names;
    double *constant_values;
    int *constant_lines;
    int nconstants;
    const char *constants_file;
};

/* Read and validate the config at path; the modules it names are of one of
** `kinds` (NULL-terminated).  Problems go to diag; NULL when there were
** any. */
gv_config *gvC_load(const char *path, const gv_kind *const *kinds, gv_diag *diag);
/* The same for `check`, which says every problem in one pass: a config
** whose file reads (no syntax error) comes back even with problems in its
** settings, which it counts in *problems; its indicators with problems of
** their own are left out, the others can be loaded and checked. */
gv_config *gvC_load_all(const char *path, const gv_kind *const *kinds, gv_diag *diag,
                        int *problems);
void gvC_free(gv_config *cfg);

void gvC_free_params(gv_param_value *p, int n);

/* Where `module = NAME` looks, in order, as one line for messages. */
char *gvC_module_path_text(const gv_config *cfg);

#endif
