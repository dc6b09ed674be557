/*
** gv_config.c -- load and validate the operator's config (libconfig).
**
** Every problem is reported as FILE:LINE: message, and as many as can be
** found in one pass, so an operator fixes the file in one go.  Paths are
** relative to the config file's folder.
*/

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/gv_config.h"

#define GVC_MAX_PERIODS 10000

/* The file a setting was written in (it differs under @include), kept for
** as long as the config: libconfig's copy goes with config_destroy. */
static const char *gvC_file(const config_setting_t *s, const gv_config *cfg_) {
    gv_config *cfg = (gv_config *)cfg_;
    const char *f = config_setting_source_file(s);
    if (!f || strcmp(f, cfg->file) == 0) return cfg->file;
    for (int i = 0; i < cfg->nincluded; i++)
        if (strcmp(cfg->included[i], f) == 0) return cfg->included[i];
    cfg->included = gvU_realloc(cfg->included, (size_t)(cfg->nincluded + 1) * sizeof(char *));
    return cfg->included[cfg->nincluded++] = gvU_strdup(f);
}

/* gv_diag_add with an owned message, so GVC_ERR does not leak. */
static void gvC_error(gv_diag *diag, const gv_config *cfg, const config_setting_t *s,
                      const char *fmt, ...) GV_PRINTF(4, 5);
static void gvC_error(gv_diag *diag, const gv_config *cfg, const config_setting_t *s,
                      const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = gvU_vmprintf(fmt, ap);
    va_end(ap);
    gvU_diag_add(diag, "%s:%d: %s", gvC_file(s, cfg), config_setting_source_line(s), msg);
    free(msg);
}

static const char *gvC_type_name(int type) {
    switch (type) {
    case CONFIG_TYPE_GROUP:
        return "a group { }";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a number";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a boolean";
    case CONFIG_TYPE_ARRAY:
        return "an array [ ]";
    case CONFIG_TYPE_LIST:
        return "a list ( )";
    default:
        return "something else";
    }
}

/* A string setting, or an error naming what it is instead. */
static const char *gvC_string(const gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        gvC_error(diag, cfg, s, "'%s' must be a string, not %s", config_setting_name(s),
                  gvC_type_name(config_setting_type(s)));
        return NULL;
    }
    return config_setting_get_string(s);
}

/* A number setting's value, integer or not. */
static double gvC_number(const config_setting_t *s) {
    return config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                       : (double)config_setting_get_int64(s);
}

static int gvC_is_number(const config_setting_t *s) {
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

/* ---------------------------------------------------------------- periods */

static void gvC_add_period(gv_config *cfg, const gv_period *p) {
    /* room doubled at each power of two: a range of 10,000 periods is
       not 10,000 copies of a growing array */
    int n = cfg->nperiods;
    if ((n & (n - 1)) == 0)
        cfg->periods = gvU_realloc(cfg->periods, (size_t)(n ? 2 * n : 1) * sizeof *p);
    cfg->periods[cfg->nperiods++] = *p;
}

/* `periods = ["2017", "2018-Q1"]` */
static void gvC_period_list(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    gv_period p;
    if (config_setting_length(s) > GVC_MAX_PERIODS) {
        gvC_error(diag, cfg, s, "periods: more than %d periods", GVC_MAX_PERIODS);
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *text =
            config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
        if (!text) {
            gvC_error(diag, cfg, s,
                      "periods: element %d is not a string; write periods in "
                      "double quotes, as in [\"2017\", \"2018\"]",
                      i + 1);
            continue;
        }
        if (gvP_parse(text, &p) < 0) {
            gvC_error(diag, cfg, s, "periods: element %d '%s' is not a period (%s)", i + 1, text,
                      GV_PERIOD_FORMS);
            continue;
        }
        /* a run stores one value per case and period: twice is a
           mistake to say here, not a refused value later */
        int twice = 0;
        for (int k = 0; k < cfg->nperiods && !twice; k++)
            twice = strcmp(cfg->periods[k].text, p.text) == 0;
        if (twice) {
            gvC_error(diag, cfg, config_setting_source_line(e) ? e : s,
                      "periods: element %d '%s' is there twice", i + 1, text);
            continue;
        }
        gvC_add_period(cfg, &p);
    }
    if (config_setting_length(s) == 0) gvC_error(diag, cfg, s, "periods is empty");
}

static void gvC_periods(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    gv_period p;
    if (config_setting_is_array(s) || config_setting_is_list(s)) {
        gvC_period_list(cfg, s, diag);
        return;
    }
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s,
                  "periods must be a list of periods [\"2017\", ...] or a range "
                  "{ from = \"2017-Q1\"; to = \"2019-Q4\"; step = 1; }");
        return;
    }
    /* a range: from, to, and a step counted in periods of from's kind */
    gv_period from, to;
    int have_from = 0, have_to = 0, step = 1;
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(e);
        if (strcmp(name, "from") == 0 || strcmp(name, "to") == 0) {
            const char *text = gvC_string(cfg, e, diag);
            gv_period *dst = name[0] == 'f' ? &from : &to;
            if (!text) continue;
            if (gvP_parse(text, dst) < 0) {
                gvC_error(diag, cfg, e, "periods.%s '%s' is not a period (%s)", name, text,
                          GV_PERIOD_FORMS);
                continue;
            }
            if (name[0] == 'f')
                have_from = 1;
            else
                have_to = 1;
        } else if (strcmp(name, "step") == 0) {
            if (config_setting_type(e) != CONFIG_TYPE_INT || config_setting_get_int(e) < 1)
                gvC_error(diag, cfg, e, "periods.step must be a whole number of periods >= 1");
            else
                step = config_setting_get_int(e);
        } else {
            gvC_error(diag, cfg, e, "unknown setting 'periods.%s' (from, to, step)", name);
        }
    }
    if (!have_from || !have_to) {
        gvC_error(diag, cfg, s, "a period range needs both 'from' and 'to'");
        return;
    }
    if (from.kind != to.kind) {
        gvC_error(diag, cfg, s, "periods: from '%s' and to '%s' are not the same kind of period",
                  from.text, to.text);
        return;
    }
    if (gvP_compare(&from, &to) > 0) {
        gvC_error(diag, cfg, s, "periods: from '%s' is after to '%s'", from.text, to.text);
        return;
    }
    for (p = from; gvP_compare(&p, &to) <= 0; gvP_advance(&p, step, &p)) {
        if (cfg->nperiods == GVC_MAX_PERIODS) {
            gvC_error(diag, cfg, s, "periods: more than %d periods", GVC_MAX_PERIODS);
            return;
        }
        gvC_add_period(cfg, &p);
    }
}

/* ----------------------------------------------------------------- limits */

/* `limits = { memory_mb = 64; instructions = 100000000; time_ms = 5000; };`
** at the top (for every indicator) or in one indicator (for it alone). */
static void gvC_limits(gv_config *cfg, const config_setting_t *s, gv_limits *limits,
                       gv_diag *diag) {
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s,
                  "limits must be a group { memory_mb = ...; instructions = ...; "
                  "time_ms = ...; }");
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(e);
        double v = gvC_number(e);
        int known = strcmp(name, "memory_mb") == 0 || strcmp(name, "instructions") == 0 ||
                    strcmp(name, "time_ms") == 0;
        /* instructions and milliseconds are counted whole */
        int whole = name[0] != 'm';
        int type_ok = whole ? config_setting_type(e) == CONFIG_TYPE_INT ||
                                  config_setting_type(e) == CONFIG_TYPE_INT64
                            : gvC_is_number(e);
        if (!known) {
            gvC_error(diag, cfg, e,
                      "unknown setting 'limits.%s' (memory_mb, instructions, time_ms)", name);
        } else if (!type_ok || !(v >= (whole ? 1 : 0.001)) || v > 1e9) {
            gvC_error(diag, cfg, e, "limits.%s must be %s from %s to 1e9", name,
                      whole ? "a whole number" : "a number", whole ? "1" : "0.001");
        } else if (name[0] == 'm') {
            limits->memory_mb = v;
        } else if (name[0] == 'i') {
            limits->instructions = (long)v;
        } else {
            limits->time_ms = (long)v;
        }
    }
}

/* ------------------------------------------------------------- indicators */

char *gvC_module_path_text(const gv_config *cfg) {
    gvU_buf b = {0};
    for (int i = 0; i < cfg->nmodule_path; i++)
        gvU_buf_printf(&b, "%s%s", i ? ", " : "", cfg->module_path[i]);
    return gvU_buf_take(&b);
}

/* `module = NAME`: NAME plus a kind's extension in the module path, the
** first found, folder by folder and kind by kind; `lang` (NULL: any) picks
** one kind. */
static char *gvC_find_module(const gv_config *cfg, const char *name, const gv_kind *lang,
                             const gv_kind **kind) {
    for (int i = 0; i < cfg->nmodule_path; i++)
        for (const gv_kind *const *k = cfg->kinds; *k; k++) {
            if ((lang && *k != lang) || !(*k)->extension) continue;
            char *path = gvU_mprintf("%s/%s%s", cfg->module_path[i], name, (*k)->extension);
            if (gvU_file_exists(path)) {
                *kind = *k;
                return path;
            }
            free(path);
        }
    return NULL;
}

/* The kind `lang = NAME` or the setting `plugin`, `script`... names. */
static const gv_kind *gvC_kind(const gv_config *cfg, const char *lang, const char *setting) {
    for (const gv_kind *const *k = cfg->kinds; *k; k++)
        if ((lang && strcmp((*k)->lang, lang) == 0) ||
            (setting && strcmp((*k)->setting, setting) == 0))
            return *k;
    return NULL;
}

/* The kinds' langs or settings as a list for messages: "c" or "lua" /
** plugin, script. */
static char *gvC_kinds_text(const gv_config *cfg, int settings) {
    gvU_buf b = {0};
    int n = 0;
    while (cfg->kinds[n])
        n++;
    for (int i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : settings ? ", " : i == n - 1 ? " or " : ", ";
        if (settings) {
            gvU_buf_printf(&b, "%s%s", sep, cfg->kinds[i]->setting);
            for (const char *const *s = cfg->kinds[i]->settings; s && *s; s++)
                if (strcmp(*s, cfg->kinds[i]->setting) != 0) gvU_buf_printf(&b, ", %s", *s);
        } else
            gvU_buf_printf(&b, "%s\"%s\"", sep, cfg->kinds[i]->lang);
    }
    return gvU_buf_take(&b);
}

/* Letters (Nordic ones too: any UTF-8), digits, _ - . */
static int gvC_valid_id(const char *id) {
    if (!*id || gvU_utf8_invalid(id, strlen(id)) >= 0) return 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p < 0x80 && !(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
            !(*p >= '0' && *p <= '9') && !strchr("_-.", *p))
            return 0;
    return 1;
}

/* One param, a number or a string, added to the indicator's. */
static void gvC_param(gv_config *cfg, gv_indicator *ind, const config_setting_t *e, gv_diag *diag) {
    gv_param_value p;
    memset(&p, 0, sizeof p);
    if (gvC_is_number(e)) {
        p.type = GEVINST_PARAM_NUMBER;
        p.number = gvC_number(e);
    } else if (config_setting_type(e) == CONFIG_TYPE_STRING) {
        p.type = GEVINST_PARAM_STRING;
        p.string = gvU_strdup(config_setting_get_string(e));
    } else {
        gvC_error(diag, cfg, e, "param '%s' must be a number or a string, not %s",
                  config_setting_name(e), gvC_type_name(config_setting_type(e)));
        return;
    }
    p.name = gvU_strdup(config_setting_name(e));
    p.file = gvC_file(e, cfg);
    p.line = config_setting_source_line(e);
    ind->params = gvU_realloc(ind->params, (size_t)(ind->nparams + 1) * sizeof p);
    ind->params[ind->nparams++] = p;
}

static void gvC_params(gv_config *cfg, gv_indicator *ind, const config_setting_t *s,
                       gv_diag *diag) {
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s, "params must be a group { name = value; ... }");
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++)
        gvC_param(cfg, ind, config_setting_get_elem(s, (unsigned)i), diag);
}

/* The kind whose further settings (numerator, factor...) include name. */
static const gv_kind *gvC_kind_of_setting(const gv_config *cfg, const char *name) {
    for (const gv_kind *const *k = cfg->kinds; *k; k++)
        for (const char *const *s = (*k)->settings; s && *s; s++)
            if (strcmp(*s, name) == 0) return *k;
    return NULL;
}

static void gvC_indicator_free(gv_indicator *ind) {
    free(ind->id), free(ind->ref), free(ind->path), free(ind->unit), free(ind->description);
    gvC_free_params(ind->params, ind->nparams);
}

/* One string setting of an indicator (id, module, lang, a kind's setting,
** unit, description); 0, or -1 when it is wrong. */
static int gvC_indicator_text(gv_config *cfg, gv_indicator *ind, const config_setting_t *e,
                              gv_diag *diag) {
    const char *name = config_setting_name(e);
    const gv_kind *kind = gvC_kind(cfg, NULL, name);
    if (strcmp(name, "id") && strcmp(name, "module") && strcmp(name, "unit") &&
        strcmp(name, "description") && strcmp(name, "lang") && !kind) {
        char *settings = gvC_kinds_text(cfg, 1);
        gvC_error(diag, cfg, e,
                  "unknown setting '%s' in indicator (id, module, lang, %s, unit, description, "
                  "params, limits, isolate)",
                  name, settings);
        free(settings);
        return -1;
    }
    const char *v = gvC_string(cfg, e, diag);
    if (!v) return -1;
    if (strcmp(name, "id") == 0) {
        ind->id = gvU_strdup(v);
        if (gvC_valid_id(v)) return 0;
        gvC_error(diag, cfg, e,
                  "indicator id '%s' may hold only letters, digits, _ - . (no spaces)", v);
        return -1;
    }
    if (strcmp(name, "unit") == 0) return free(ind->unit), ind->unit = gvU_strdup(v), 0;
    if (strcmp(name, "description") == 0)
        return free(ind->description), ind->description = gvU_strdup(v), 0;
    if (strcmp(name, "lang") == 0) {
        ind->lang_given = 1;
        if ((ind->lang = gvC_kind(cfg, v, NULL))) return 0;
        char *langs = gvC_kinds_text(cfg, 0);
        gvC_error(diag, cfg, e, "lang must be %s, not '%s'", langs, v);
        free(langs);
        return -1;
    }
    if (ind->how) {
        gvC_error(diag, cfg, e, "indicator has both '%s' and '%s'; give one", ind->how, name);
        return -1;
    }
    /* a literal: the setting's own name dies with libconfig's tree */
    ind->how = kind ? kind->setting : "module";
    ind->ref = gvU_strdup(v);
    /* a name stays inside the module path; a file anywhere is plugin = or script = */
    if (!kind && (strchr(v, '/') || v[0] == '.' || !*v)) {
        gvU_buf files = {0}; /* the settings that name a file: plugin, script */
        for (int i = 0; cfg->kinds[i]; i++)
            if (cfg->kinds[i]->extension)
                gvU_buf_printf(&files, "%s%s", files.s ? ", " : "", cfg->kinds[i]->setting);
        char *settings = gvU_buf_take(&files);
        gvC_error(diag, cfg, e, "module '%s' must be a name, not a path (a file: %s)", v, settings);
        free(settings);
        return -1;
    }
    return 0;
}

/* Every setting of an indicator; the number of wrong ones. */
static int gvC_indicator_settings(gv_config *cfg, gv_indicator *ind, const config_setting_t *s,
                                  const config_setting_t **part_e, gv_diag *diag) {
    int bad = 0;
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(e);
        const gv_kind *part = gvC_kind_of_setting(cfg, name);
        if (part) { /* numerator = "#{in_work}": part of a module written here */
            gvC_param(cfg, ind, e, diag);
            if (!ind->kind) ind->kind = part, *part_e = e;
        } else if (strcmp(name, "params") == 0) {
            gvC_params(cfg, ind, e, diag);
            ind->params_line = config_setting_source_line(e);
        } else if (strcmp(name, "limits") == 0) {
            gvC_limits(cfg, e, &ind->limits, diag);
            ind->limits_line = config_setting_source_line(e);
        } else if (strcmp(name, "isolate") == 0) {
            ind->isolate_line = config_setting_source_line(e);
            if (config_setting_type(e) != CONFIG_TYPE_BOOL)
                gvC_error(diag, cfg, e, "'isolate' must be true or false");
            else
                ind->isolate = config_setting_get_bool(e) ? 2 : 0; /* 2: asked for */
        } else {
            bad += gvC_indicator_text(cfg, ind, e, diag) < 0;
        }
    }
    return bad;
}

/* What an indicator is as a whole: an id, one module, unique. */
static int gvC_indicator_whole(gv_config *cfg, const gv_indicator *ind, const config_setting_t *s,
                               gv_diag *diag) {
    int bad = 0;
    if (!ind->id) {
        gvC_error(diag, cfg, s, "indicator has no 'id'");
        bad = 1;
    }
    if (!ind->how && ind->id) {
        gvC_error(diag, cfg, s, "indicator '%s' names no module, plugin, script or formula",
                  ind->id);
        bad = 1;
    }
    for (int i = 0; ind->id && i < cfg->nindicators; i++)
        if (strcmp(cfg->indicators[i].id, ind->id) == 0) {
            gvC_error(diag, cfg, s, "duplicate indicator id '%s' (first at line %d)", ind->id,
                      cfg->indicators[i].line);
            bad = 1;
        }
    if (ind->lang_given && ind->how && strcmp(ind->how, "module") != 0) {
        gvC_error(diag, cfg, s, "'lang' goes with 'module'; a %s's language is its file's",
                  ind->how);
        bad = 1;
    }
    return bad;
}

/* A module written in the config (a formula) runs in gevinst's own
** process, and its parts go with it alone.  The number of problems. */
static int gvC_written_here(gv_config *cfg, gv_indicator *ind, const config_setting_t *s,
                            gv_diag *diag) {
    (void)cfg, (void)s; /* the lines are the settings' own */
    int bad = 0;
    if (ind->kind && !ind->kind->extension) {
        /* its numbers are written in it (or in constants), and it runs in
           gevinst's own process: a setting that would do nothing is said */
        const struct {
            int line;
            const char *what;
        } unused[] = {{ind->params_line, "params: its numbers are written in it, or in constants"},
                      {ind->limits_line, "limits: it runs in gevinst's own process"},
                      {ind->isolate_line, "isolate: it runs in gevinst's own process"}};
        for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++)
            if (unused[i].line)
                gvU_diag_add(diag, "%s:%d: indicator '%s': a %s takes no %s", ind->file,
                             unused[i].line, ind->id ? ind->id : "?", ind->kind->setting,
                             unused[i].what),
                    bad++;
        ind->isolate = 0;
        return bad;
    }
    ind->isolate = ind->isolate != 0;
    return bad;
}

/* A file a setting names, relative to the config's folder, always with a
** slash: dlopen would look for "h.so" or "libm.so.6" on the system's
** library path, never beside the config whose file was hashed. */
static char *gvC_beside(const gv_config *cfg, const char *name) {
    char *path = gvU_path_join(cfg->dir, name);
    if (strchr(path, '/')) return path;
    char *here = gvU_mprintf("./%s", path);
    free(path);
    return here;
}

static void gvC_indicator(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s, "each indicator must be a group { id = ...; module = ...; }");
        return;
    }
    gv_indicator ind;
    memset(&ind, 0, sizeof ind);
    ind.file = gvC_file(s, cfg);
    ind.line = config_setting_source_line(s);
    ind.limits = cfg->limits;
    ind.isolate = 1;
    int before = diag->n;
    const config_setting_t *part_e = NULL;
    int bad = gvC_indicator_settings(cfg, &ind, s, &part_e, diag);
    if (!ind.how && ind.kind) /* a module written here: its parts are its params */
        ind.how = ind.kind->setting, ind.ref = gvU_strdup(ind.kind->setting);
    if (part_e && strcmp(ind.how, ind.kind->setting) != 0) {
        if (strcmp(config_setting_name(part_e), ind.kind->setting) == 0)
            gvC_error(diag, cfg, part_e, "indicator has both '%s' and '%s'; give one", ind.how,
                      ind.kind->setting);
        else
            gvC_error(diag, cfg, part_e, "'%s' goes with a %s, not with a %s",
                      config_setting_name(part_e), ind.kind->setting, ind.how);
        bad++;
    }
    bad += gvC_indicator_whole(cfg, &ind, s, diag);
    if (ind.how && strcmp(ind.how, "module") == 0) {
        ind.path = gvC_find_module(cfg, ind.ref, ind.lang, &ind.kind);
    } else if (ind.how) {
        ind.kind = gvC_kind(cfg, NULL, ind.how);
        ind.path = ind.kind->extension ? gvC_beside(cfg, ind.ref)
                                       : gvU_mprintf("%s:%d", ind.file, ind.line);
    }
    bad += gvC_written_here(cfg, &ind, s, diag);
    if (bad || diag->n > before) {
        /* keep nothing half-made: the config is rejected anyway */
        gvC_indicator_free(&ind);
        return;
    }
    cfg->indicators = gvU_realloc(cfg->indicators, (size_t)(cfg->nindicators + 1) * sizeof ind);
    cfg->indicators[cfg->nindicators++] = ind;
}

/* ------------------------------------------------------------------ money */

static void gvC_add_name_number(char ***names, double **values, int *n, const char *name,
                                double v) {
    *names = gvU_realloc(*names, (size_t)(*n + 1) * sizeof **names);
    *values = gvU_realloc(*values, (size_t)(*n + 1) * sizeof **values);
    (*names)[*n] = gvU_strdup(name);
    (*values)[*n] = v;
    (*n)++;
}

/* A group of name = number, each checked to lie in [lo, hi]. */
static void gvC_numbers(gv_config *cfg, const config_setting_t *s, const char *what, double lo,
                        double hi, char ***names, double **values, int *n, gv_diag *diag) {
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s, "money.%s must be a group { NAME = number; ... }", what);
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        double v = gvC_number(e);
        if (!gvC_is_number(e) || !(v >= lo && v <= hi))
            gvC_error(diag, cfg, e, "money.%s.%s must be a number from %g to %g", what,
                      config_setting_name(e), lo, hi);
        else
            gvC_add_name_number(names, values, n, config_setting_name(e), v);
    }
}

/* `cpi = { NOK = { from = 2017; index = [105.5, 108.4]; }; }` */
static void gvC_cpi(gv_config *cfg, const config_setting_t *e, gv_diag *diag) {
    gv_money_cfg *m = &cfg->money;
    if (!config_setting_is_group(e)) {
        gvC_error(diag, cfg, e,
                  "money.cpi must be a group { NOK = { from = 2017; "
                  "index = [105.5, 108.4]; }; }");
        return;
    }
    for (int k = 0; k < config_setting_length(e); k++) {
        const config_setting_t *c = config_setting_get_elem(e, (unsigned)k);
        const config_setting_t *from = config_setting_get_member(c, "from");
        const config_setting_t *index = config_setting_get_member(c, "index");
        int ok = config_setting_is_group(c) && from && index &&
                 config_setting_type(from) == CONFIG_TYPE_INT &&
                 (config_setting_is_array(index) || config_setting_is_list(index)) &&
                 config_setting_length(c) == 2;
        for (int j = 0; ok && j < config_setting_length(index); j++) {
            const config_setting_t *x = config_setting_get_elem(index, (unsigned)j);
            ok = gvC_is_number(x) && gvC_number(x) > 0;
        }
        if (!ok) {
            gvC_error(diag, cfg, c,
                      "money.cpi.%s must be { from = YEAR; index = "
                      "[numbers above 0, one a year]; }",
                      config_setting_name(c));
            continue;
        }
        int n = config_setting_length(index);
        m->cpi_currency = gvU_realloc(m->cpi_currency, (size_t)(m->ncpi + 1) * sizeof(char *));
        m->cpi_from = gvU_realloc(m->cpi_from, (size_t)(m->ncpi + 1) * sizeof(int));
        m->cpi = gvU_realloc(m->cpi, (size_t)(m->ncpi + 1) * sizeof(double *));
        m->cpi_n = gvU_realloc(m->cpi_n, (size_t)(m->ncpi + 1) * sizeof(int));
        m->cpi_currency[m->ncpi] = gvU_strdup(config_setting_name(c));
        m->cpi_from[m->ncpi] = config_setting_get_int(from);
        m->cpi_n[m->ncpi] = n;
        m->cpi[m->ncpi] = gvU_malloc((size_t)n * sizeof(double));
        for (int j = 0; j < n; j++)
            m->cpi[m->ncpi][j] = gvC_number(config_setting_get_elem(index, (unsigned)j));
        m->ncpi++;
    }
}

static void gvC_money(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    gv_money_cfg *m = &cfg->money;
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s,
                  "money must be a group { currency = \"NOK\"; price_year = 2019; ... }");
        return;
    }
    m->given = 1;
    m->file = gvC_file(s, cfg);
    m->line = config_setting_source_line(s);
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(e);
        double v = gvC_number(e);
        if (strcmp(name, "currency") == 0) {
            const char *c = gvC_string(cfg, e, diag);
            if (c) m->currency = gvU_strdup(c);
        } else if (strcmp(name, "price_year") == 0) {
            if (config_setting_type(e) != CONFIG_TYPE_INT || v < 1000 || v > 9999)
                gvC_error(diag, cfg, e, "money.price_year must be a year, as in 2019");
            else
                m->price_year = (int)v;
        } else if (strcmp(name, "rates") == 0) {
            gvC_numbers(cfg, e, "rates", 1e-12, 1e12, &m->rate_currency, &m->rate, &m->nrates,
                        diag);
        } else if (strcmp(name, "discount_rates") == 0) {
            gvC_numbers(cfg, e, "discount_rates", 0, 1, &m->discount_country, &m->discount_rate,
                        &m->ndiscount, diag);
        } else if (strcmp(name, "volunteer_wage") == 0) {
            if (!gvC_is_number(e) || v < 0)
                gvC_error(diag, cfg, e, "money.volunteer_wage must be a number >= 0");
            else
                m->volunteer_wage = v;
        } else if (strcmp(name, "sensitivity_range") == 0) {
            if (!gvC_is_number(e) || !(v > 0 && v <= 1))
                gvC_error(diag, cfg, e,
                          "money.sensitivity_range must be a fraction above 0, "
                          "at most 1 (0.5 is +-50 %%)");
            else
                m->sensitivity_range = v;
        } else if (strcmp(name, "cpi") == 0) {
            gvC_cpi(cfg, e, diag);
        } else {
            gvC_error(diag, cfg, e,
                      "unknown setting 'money.%s' (currency, price_year, rates, cpi, "
                      "discount_rates, volunteer_wage, sensitivity_range)",
                      name);
        }
    }
    if (!m->currency)
        gvC_error(diag, cfg, s, "money needs currency (the one figures are shown in)");
    if (!m->price_year)
        gvC_error(diag, cfg, s, "money needs price_year (the prices figures are shown in)");
}

static void gvC_money_free(gv_money_cfg *m) {
    free(m->currency);
    for (int i = 0; i < m->nrates; i++)
        free(m->rate_currency[i]);
    for (int i = 0; i < m->ndiscount; i++)
        free(m->discount_country[i]);
    for (int i = 0; i < m->ncpi; i++)
        free(m->cpi_currency[i]), free(m->cpi[i]);
    free(m->rate_currency), free(m->rate), free(m->discount_country), free(m->discount_rate);
    free(m->cpi_currency), free(m->cpi_from), free(m->cpi), free(m->cpi_n);
}

/* `gains = ( { case = ...; gain = ...; ... } )`: kept as text, checked by
** the same rules as an imported gains file when a run reads them. */
static void gvC_gains(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    if (!config_setting_is_list(s) && !config_setting_is_array(s)) {
        gvC_error(diag, cfg, s, "gains must be a list ( { case = ...; gain = ...; }, ... )");
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
        if (!config_setting_is_group(g)) {
            gvC_error(diag, cfg, g, "each gain must be a group { case = ...; gain = ...; }");
            continue;
        }
        gv_record r = {gvC_file(g, cfg), config_setting_source_line(g), 0, NULL, NULL, NULL};
        int n = config_setting_length(g);
        r.names = gvU_malloc((size_t)(n + 1) * sizeof(char *));
        r.values = gvU_malloc((size_t)(n + 1) * sizeof(char *));
        r.lines = gvU_malloc((size_t)(n + 1) * sizeof(int));
        for (int k = 0; k < n; k++) {
            const config_setting_t *e = config_setting_get_elem(g, (unsigned)k);
            char number[32];
            const char *text = NULL;
            if (config_setting_type(e) == CONFIG_TYPE_STRING) {
                text = config_setting_get_string(e);
            } else if (config_setting_type(e) == CONFIG_TYPE_FLOAT) {
                gvU_format_number(config_setting_get_float(e), number);
                text = number;
            } else if (gvC_is_number(e)) {
                snprintf(number, sizeof number, "%lld", config_setting_get_int64(e));
                text = number;
            } else {
                gvC_error(diag, cfg, e, "gain setting '%s' must be a string or a number",
                          config_setting_name(e));
                continue;
            }
            r.lines[r.n] = config_setting_source_line(e);
            r.names[r.n] = gvU_strdup(config_setting_name(e));
            r.values[r.n++] = gvU_strdup(text);
        }
        cfg->gains = gvU_realloc(cfg->gains, (size_t)(cfg->ngains + 1) * sizeof r);
        cfg->gains[cfg->ngains++] = r;
    }
}

/* `allow_partial = ["into_work", "CASE/GAIN"];`: gains judged on partial
** periods too (docs/methodology.md). */
static void gvC_allow_partial(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
        gvC_error(diag, cfg, s, "allow_partial must be a list of gains [\"GAIN\", \"CASE/GAIN\"]");
        return;
    }
    cfg->allow_partial_file = gvC_file(s, cfg);
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *text =
            config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
        if (!text || !*text) {
            gvC_error(diag, cfg, s, "allow_partial: element %d is not a gain's name in quotes",
                      i + 1);
            continue;
        }
        int n = cfg->nallow_partial++;
        cfg->allow_partial = gvU_realloc(cfg->allow_partial, (size_t)(n + 1) * sizeof(char *));
        cfg->allow_partial_line =
            gvU_realloc(cfg->allow_partial_line, (size_t)(n + 1) * sizeof(int));
        cfg->allow_partial[n] = gvU_strdup(text);
        /* an element's own line where libconfig knows it, else the list's */
        int line = (int)config_setting_source_line(e);
        cfg->allow_partial_line[n] = line ? line : (int)config_setting_source_line(s);
    }
}

/* `constants = { hourly_wage = 260; }`: the numbers formulas name as
** C{name}. */
static void gvC_constants(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s, "constants must be a group { name = number; ... }");
        return;
    }
    cfg->constants_file = gvC_file(s, cfg);
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (!gvC_is_number(e)) {
            gvC_error(diag, cfg, e, "constants.%s must be a number, not %s", config_setting_name(e),
                      gvC_type_name(config_setting_type(e)));
            continue;
        }
        int n = cfg->nconstants;
        gvC_add_name_number(&cfg->constant_names, &cfg->constant_values, &cfg->nconstants,
                            config_setting_name(e), gvC_number(e));
        cfg->constant_lines = gvU_realloc(cfg->constant_lines, (size_t)(n + 1) * sizeof(int));
        cfg->constant_lines[n] = config_setting_source_line(e);
    }
}

/* `report = { lang = "nb"; label = "Synthetic data"; }` */
static void gvC_report(gv_config *cfg, const config_setting_t *s, gv_diag *diag) {
    if (!config_setting_is_group(s)) {
        gvC_error(diag, cfg, s, "report must be a group { lang = \"nb\"; label = \"...\"; }");
        return;
    }
    for (int i = 0; i < config_setting_length(s); i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(e), *v;
        if (strcmp(name, "suppress_below") == 0) {
            if (config_setting_type(e) != CONFIG_TYPE_INT || config_setting_get_int(e) < 0 ||
                config_setting_get_int(e) > 1000)
                gvC_error(diag, cfg, e,
                          "report.suppress_below must be a whole number from 0 "
                          "(show every count) to 1000");
            else
                cfg->report_suppress_below = config_setting_get_int(e);
        } else if (strcmp(name, "lang") && strcmp(name, "label")) {
            gvC_error(diag, cfg, e, "unknown setting 'report.%s' (lang, label, suppress_below)",
                      name);
        } else if ((v = gvC_string(cfg, e, diag))) {
            int lang = strcmp(name, "lang") == 0;
            if (lang && strcmp(v, "nb") && strcmp(v, "da") && strcmp(v, "en"))
                gvC_error(diag, cfg, e, "report.lang must be \"nb\", \"da\" or \"en\", not '%s'",
                          v);
            else if (lang)
                free(cfg->report_lang), cfg->report_lang = gvU_strdup(v);
            else
                free(cfg->report_label), cfg->report_label = gvU_strdup(v);
        }
    }
}

/* ------------------------------------------------------------------ files */

/* The name in the @include on `line` of `file`: libconfig's message for a
** missing one does not say which. */
static int gvC_include_name(const char *file, int line, char *name, size_t size) {
    FILE *in = fopen(file, "r");
    if (!in) return -1;
    int c, n = 1;
    while (n < line && (c = getc(in)) != EOF)
        n += c == '\n';
    char text[1024];
    int found = -1;
    if (n == line && fgets(text, sizeof text, in)) {
        char *at = strstr(text, "@include"), *open = at ? strchr(at, '"') : NULL;
        char *close = open ? strchr(open + 1, '"') : NULL;
        if (close && (size_t)(close - open) <= size) {
            snprintf(name, size, "%.*s", (int)(close - open - 1), open + 1);
            found = 0;
        }
    }
    fclose(in);
    return found;
}

/* The config's text must be UTF-8, as everything it writes to reports and
** JSON is: the first bad byte as FILE:LINE; 0 when the file is good. */
static int gvC_utf8(const char *path, gv_diag *diag) {
    FILE *in = fopen(path, "rb");
    if (!in) return 0; /* libconfig says why it cannot be read */
    gvU_buf b = {0};
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0)
        gvU_buf_add(&b, chunk, got);
    fclose(in);
    long bad = b.s ? gvU_utf8_invalid(b.s, b.len) : -1;
    if (bad >= 0) {
        int line = 1;
        long col = 1;
        for (long i = 0; i < bad; i++, col++)
            if (b.s[i] == '\n') line++, col = 0;
        gvU_diag_add(diag,
                     "%s:%d: not valid UTF-8 (byte %ld of the line); save the config as "
                     "UTF-8",
                     path, line, col);
    }
    free(b.s);
    return bad >= 0 ? -1 : 0;
}

/* Note every file a setting comes from (the config and its @includes), in
** the order they are met, for the config's hash. */
static void gvC_note_files(gv_config *cfg, const config_setting_t *s) {
    gvC_file(s, cfg);
    for (int i = 0; i < config_setting_length(s); i++)
        gvC_note_files(cfg, config_setting_get_elem(s, (unsigned)i));
}

static void gvC_add_module_dir(gv_config *cfg, char *dir) {
    cfg->module_path =
        gvU_realloc(cfg->module_path, (size_t)(cfg->nmodule_path + 1) * sizeof(char *));
    cfg->module_path[cfg->nmodule_path++] = dir;
}

/* libconfig could not read the file: say where and, where it can be
** told, why. */
static void gvC_syntax_error(gv_config *cfg, config_t *lc, const char *path, gv_diag *diag) {
    const char *f = config_error_file(lc);
    const char *text = config_error_text(lc);
    int line = config_error_line(lc);
    char name[256];
    if (strcmp(text, "cannot open include file") == 0 &&
        gvC_include_name(f ? f : path, line, name, sizeof name) == 0) {
        char *tried = gvU_path_join(cfg->dir, name);
        gvU_diag_add(diag, "%s:%d: cannot open include file %s", f ? f : path, line, tried);
        free(tried);
        return;
    }
    gvU_diag_add(diag, "%s:%d: %s%s", f ? f : path, line, text,
                 strcmp(text, "syntax error") == 0
                     ? " (look on this line or the one before for a missing ';' or "
                       "',', a '{' or '(' not closed, or text not in double quotes)"
                     : "");
}

static void gvC_module_path(gv_config *cfg, const config_setting_t *e, gv_diag *diag) {
    if (!config_setting_is_array(e) && !config_setting_is_list(e)) {
        gvC_error(diag, cfg, e, "module_path must be an array of folders [\"...\"]");
        return;
    }
    for (int k = 0; k < config_setting_length(e); k++) {
        const config_setting_t *d = config_setting_get_elem(e, (unsigned)k);
        if (config_setting_type(d) != CONFIG_TYPE_STRING)
            gvC_error(diag, cfg, e, "module_path: element %d is not a string", k + 1);
        else
            gvC_add_module_dir(cfg, gvU_path_join(cfg->dir, config_setting_get_string(d)));
    }
}

/* The top-level settings; returns the indicators list, read last (it
** needs the module path), or NULL. */
static const config_setting_t *gvC_top(gv_config *cfg, const config_setting_t *root,
                                       gv_diag *diag) {
    const config_setting_t *indicators = NULL;
    for (int i = 0; i < config_setting_length(root); i++) {
        config_setting_t *e = config_setting_get_elem(root, (unsigned)i);
        const char *name = config_setting_name(e);
        if (strcmp(name, "database") == 0) {
            const char *v = gvC_string(cfg, e, diag);
            if (v) free(cfg->database), cfg->database = gvU_path_join(cfg->dir, v);
        } else if (strcmp(name, "module_path") == 0) {
            gvC_module_path(cfg, e, diag);
        } else if (strcmp(name, "periods") == 0) {
            gvC_periods(cfg, e, diag);
        } else if (strcmp(name, "limits") == 0) {
            gvC_limits(cfg, e, &cfg->limits, diag);
        } else if (strcmp(name, "money") == 0) {
            gvC_money(cfg, e, diag);
        } else if (strcmp(name, "gains") == 0) {
            gvC_gains(cfg, e, diag);
        } else if (strcmp(name, "report") == 0) {
            gvC_report(cfg, e, diag);
        } else if (strcmp(name, "allow_partial") == 0) {
            gvC_allow_partial(cfg, e, diag);
        } else if (strcmp(name, "constants") == 0) {
            gvC_constants(cfg, e, diag);
        } else if (strcmp(name, "indicators") != 0) {
            gvC_error(diag, cfg, e,
                      "unknown setting '%s' (database, module_path, periods, limits, indicators, "
                      "constants, money, gains, allow_partial, report)",
                      name);
        } else if (!config_setting_is_list(e) && !config_setting_is_array(e)) {
            gvC_error(diag, cfg, e, "indicators must be a list ( { ... }, { ... } )");
        } else {
            indicators = e;
        }
    }
    return indicators;
}

/* The config's identity for provenance: its absolute path, and the hash
** of what the run reads, the file and what it includes; 0, or -1. */
static int gvC_identity(gv_config *cfg, const config_setting_t *root) {
    gvC_note_files(cfg, root);
    const char **files = gvU_malloc((size_t)(cfg->nincluded + 1) * sizeof *files);
    files[0] = cfg->file;
    for (int i = 0; i < cfg->nincluded; i++)
        files[i + 1] = cfg->included[i];
    int unread = gvU_sha256_files(files, cfg->nincluded + 1, cfg->hash);
    free(files);
    if (unread) return -1;
    cfg->full_path = realpath(cfg->file, NULL);
    return 0;
}

static gv_config *gvC_new(const char *path, const gv_kind *const *kinds) {
    gv_config *cfg = gvU_malloc(sizeof *cfg);
    memset(cfg, 0, sizeof *cfg);
    cfg->kinds = kinds;
    cfg->file = gvU_strdup(path);
    cfg->dir = gvU_dirname(path);
    cfg->limits = (gv_limits)GV_DEFAULT_LIMITS;
    cfg->money.volunteer_wage = NAN;
    cfg->money.sensitivity_range = 0.5;
    cfg->report_suppress_below = 5; /* the usual rule for published counts of persons */
    return cfg;
}

static gv_config *gvC_read(const char *path, const gv_kind *const *kinds, gv_diag *diag,
                           int *problems) {
    config_t lc;
    config_init(&lc);
    gv_config *cfg = gvC_new(path, kinds);
    config_set_include_dir(&lc, cfg->dir);
    errno = 0;
    if (!gvU_file_exists(path)) {
        gvU_diag_add(diag, "%s: cannot read config: %s", path,
                     errno ? strerror(errno) : "not a file");
        goto fail;
    }
    if (gvC_utf8(path, diag) < 0) goto fail;
    if (!config_read_file(&lc, path)) {
        gvC_syntax_error(cfg, &lc, path, diag);
        goto fail;
    }
    int ndiag = diag->n;
    config_setting_t *root = config_root_setting(&lc);
    gvC_note_files(cfg, root);
    for (int i = 0; i < cfg->nincluded; i++)
        gvC_utf8(cfg->included[i], diag);
    const config_setting_t *indicators = gvC_top(cfg, root, diag);
    /* the bundled modules come after the operator's folders */
    gvC_add_module_dir(cfg, gvU_strdup(gvU_bundled_plugin_dir()));
    gvC_add_module_dir(cfg, gvU_strdup(gvU_bundled_script_dir()));
    for (int i = 0; indicators && i < config_setting_length(indicators); i++)
        gvC_indicator(cfg, config_setting_get_elem(indicators, (unsigned)i), diag);
    if (!cfg->database) gvU_diag_add(diag, "%s: no 'database' setting", path);
    if (!cfg->nperiods && !config_lookup(&lc, "periods"))
        gvU_diag_add(diag, "%s: no 'periods' setting", path);
    if (!indicators) gvU_diag_add(diag, "%s: no 'indicators' list", path);
    /* check goes on with what could be read: every problem in one pass */
    if (diag->n > ndiag && !(problems && cfg->database)) goto fail;
    if (problems) *problems = diag->n - ndiag;
    if (gvC_identity(cfg, root) < 0) {
        gvU_diag_add(diag, "%s: cannot read config: %s", path, strerror(errno));
        goto fail;
    }
    config_destroy(&lc);
    return cfg;
fail:
    config_destroy(&lc);
    gvC_free(cfg);
    if (problems) *problems = 1;
    return NULL;
}

gv_config *gvC_load(const char *path, const gv_kind *const *kinds, gv_diag *diag) {
    return gvC_read(path, kinds, diag, NULL);
}

gv_config *gvC_load_all(const char *path, const gv_kind *const *kinds, gv_diag *diag,
                        int *problems) {
    *problems = 0;
    return gvC_read(path, kinds, diag, problems);
}

void gvC_free(gv_config *cfg) {
    if (!cfg) return;
    for (int i = 0; i < cfg->nindicators; i++)
        gvC_indicator_free(&cfg->indicators[i]);
    for (int i = 0; i < cfg->nmodule_path; i++)
        free(cfg->module_path[i]);
    for (int i = 0; i < cfg->nincluded; i++)
        free(cfg->included[i]);
    free(cfg->included);
    gvC_money_free(&cfg->money);
    free(cfg->report_lang), free(cfg->report_label);
    for (int i = 0; i < cfg->ngains; i++) {
        for (int k = 0; k < cfg->gains[i].n; k++)
            free(cfg->gains[i].names[k]), free(cfg->gains[i].values[k]);
        free(cfg->gains[i].names), free(cfg->gains[i].values), free(cfg->gains[i].lines);
    }
    free(cfg->gains);
    for (int i = 0; i < cfg->nallow_partial; i++)
        free(cfg->allow_partial[i]);
    free(cfg->allow_partial), free(cfg->allow_partial_line);
    for (int i = 0; i < cfg->nconstants; i++)
        free(cfg->constant_names[i]);
    free(cfg->constant_names), free(cfg->constant_values), free(cfg->constant_lines);
    free(cfg->module_path);
    free(cfg->indicators);
    free(cfg->periods);
    free(cfg->database);
    free(cfg->file);
    free(cfg->full_path);
    free(cfg->dir);
    free(cfg);
}

void gvC_free_params(gv_param_value *p, int n) {
    for (int i = 0; i < n; i++) {
        free(p[i].name), free(p[i].string), free(p[i].help);
        for (char **c = p[i].choices; c && *c; c++)
            free(*c);
        free(p[i].choices);
    }
    free(p);
}
