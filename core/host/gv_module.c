/*
** gv_module.c -- indicator modules behind one contract (see gv_host.h):
** the loader registry, loading a module in this process or through
** isolation, binding its params, and evaluating it.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host/gv_host.h"

/* ----------------------------------------------------------- the registry */

/* Every kind of module gevinst loads.  `module = NAME` tries them in this
** order in each folder of the module path. */
const gv_loader *const gvM_loaders[] = {&gvM_c_plugins, &gvL_scripts, &gvF_formulas, NULL};
const gv_kind *const gvM_kinds[] = {&gvM_c_plugins.kind, &gvL_scripts.kind, &gvF_formulas.kind,
                                    NULL};

const gv_loader *gvM_loader_of(const gv_kind *kind) {
    for (const gv_loader *const *l = gvM_loaders; *l; l++)
        if (&(*l)->kind == kind) return *l;
    return NULL;
}

const gv_loader *gvM_loader_named(const char *lang) {
    for (const gv_loader *const *l = gvM_loaders; lang && *l; l++)
        if (strcmp((*l)->kind.lang, lang) == 0) return *l;
    return NULL;
}

/* ---------------------------------------------------------------- loading */

/* "x.so and x.lua": the files `module = x` looked for. */
static char *gvM_looked_for(const gv_indicator *ind) {
    gvU_buf b = {0};
    int n = 0;
    while (gvM_kinds[n] && gvM_kinds[n]->extension) /* kinds with files come first */
        n++;
    for (int i = 0; i < n; i++) {
        if (ind->lang && ind->lang != gvM_kinds[i]) continue;
        const char *sep = !b.s ? "" : i == n - 1 ? " and " : ", ";
        gvU_buf_printf(&b, "%s%s%s", sep, ind->ref, gvM_kinds[i]->extension);
    }
    return gvU_buf_take(&b);
}

/* A module with its file's identity, nothing loaded yet. */
static gv_module *gvM_new(const gv_indicator *ind, const gv_config *cfg, char **err) {
    const gv_loader *loader = gvM_loader_of(ind->kind);
    if (!ind->path || !loader) {
        char *dirs = gvC_module_path_text(cfg);
        char *what = gvM_looked_for(ind);
        *err = gvU_mprintf("module '%s' not found (looked for %s in: %s)", ind->ref, what, dirs);
        free(what);
        free(dirs);
        return NULL;
    }
    gv_module *m = gvU_malloc(sizeof *m);
    memset(m, 0, sizeof *m);
    m->loader = m->runner = loader;
    m->ind = ind;
    m->cfg = cfg;
    m->path = gvU_strdup(ind->path);
    m->limits = ind->limits;
    /* a module written in the config: its loader hashes what is written */
    if (loader->kind.extension && gvU_sha256_file(m->path, m->hash) < 0) {
        *err =
            gvU_mprintf("%s: cannot read %s: %s", m->path, loader->kind.setting, strerror(errno));
        gvM_free(m);
        return NULL;
    }
    return m;
}

/* What a module says of itself goes into every output: each text valid
** UTF-8 with no control character (no escape sequence reaches a
** terminal), and short; 0, or -1 with *err. */
static int gvM_own_words(gv_module *m, char **err) {
    static const char *const what[] = {"name", "version", "unit", "description"};
    char **text[] = {&m->name, &m->version, &m->unit, &m->description};
    for (int i = 0; i < 4; i++) {
        if (!*text[i]) continue;
        if (strlen(*text[i]) > GV_MODULE_TEXT_MAX) {
            *err = gvU_mprintf("%s: its %s is longer than %d bytes", m->path, what[i],
                               GV_MODULE_TEXT_MAX);
            return -1;
        }
        *text[i] = gvM_printable(*text[i]);
    }
    return 0;
}

char *gvM_printable(char *s) {
    s = gvU_utf8_repair(s);
    for (char *c = s; c && *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
    return s;
}

static int gvM_load_with(const gv_indicator *ind, const gv_config *cfg, gv_load_mode mode,
                         int isolate, gv_module **out, char **err) {
    gv_module *m = gvM_new(ind, cfg, err);
    *out = NULL;
    if (!m) return -1;
    m->mode = mode;
    if (isolate) m->runner = &gvX_isolated;
    if (m->runner->load(m, err) < 0 || gvM_own_words(m, err) < 0) {
        *err = gvU_utf8_repair(*err);
        gvM_free(m);
        return -1;
    }
    *out = m;
    return 0;
}

int gvM_load_here(const gv_indicator *ind, const gv_config *cfg, gv_module **out, char **err) {
    return gvM_load_with(ind, cfg, GV_LOAD_RUN, 0, out, err);
}

int gvM_load(const gv_indicator *ind, const gv_config *cfg, gv_load_mode mode, gv_module **out,
             char **err) {
    return gvM_load_with(ind, cfg, mode, ind->isolate, out, err);
}

void gvM_free(gv_module *m) {
    if (!m) return;
    if (m->state) m->runner->unload(m);
    gvC_free_params(m->defaults, m->ndefaults);
    for (int i = 0; i < m->nneeds; i++)
        free(m->needs[i].where);
    free(m->needs);
    free(m->path), free(m->name), free(m->version), free(m->unit), free(m->description);
    free(m);
}

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

/* ----------------------------------------------------------------- params */

static int gvM_is_choice(char **choices, const char *s) {
    for (; *choices; choices++)
        if (strcmp(*choices, s) == 0) return 1;
    return 0;
}

int gvM_bind_params(const gv_module *m, const gv_indicator *ind, gv_param_value **merged, int *n,
                    gv_diag *diag) {
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
            gvU_diag_add(diag, "%s:%d: indicator '%s': module '%s' has no param '%s' (%s)",
                         given->file, given->line, ind->id, m->name, given->name,
                         known.s ? known.s : "it takes none");
            free(known.s);
        } else if (given->type != out[i].type) {
            gvU_diag_add(diag, "%s:%d: indicator '%s': param '%s' must be a %s", given->file,
                         given->line, ind->id, given->name,
                         out[i].type == GEVINST_PARAM_NUMBER ? "number" : "string");
        } else if (given->type == GEVINST_PARAM_STRING && out[i].choices &&
                   !gvM_is_choice(out[i].choices, given->string)) {
            gvU_buf allowed = {0};
            for (char **c = out[i].choices; *c; c++)
                gvU_buf_printf(&allowed, "%s%s", c == out[i].choices ? "" : ", ", *c);
            gvU_diag_add(diag, "%s:%d: indicator '%s': param '%s' is '%s'; it must be one of: %s",
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
            gvU_diag_add(diag, "%s:%d: indicator '%s': module '%s' needs param '%s'", ind->file,
                         ind->line, ind->id, m->name, out[i].name);
    *merged = out;
    *n = m->ndefaults;
    return diag->n > before ? -1 : 0;
}

/* ------------------------------------------------------------- evaluation */

void gvM_begin(gv_module *m) {
    if (m && m->runner->begin) m->runner->begin(m);
}

int gvM_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    *err = NULL;
    /* SQLite stops a query past the deadline; a child keeps its own */
    ctx->src->deadline = gvU_clock() + (double)m->limits.time_ms / 1000;
    int rc = m->runner->evaluate(m, ctx, value, err);
    ctx->src->deadline = 0;
    if (rc == GEVINST_OK && !isfinite(*value)) {
        free(*err);
        *err = gvU_mprintf("%s returned %g; a value must be a finite number", m->name, *value);
        return GEVINST_ERROR;
    }
    if (rc == GEVINST_ERROR && !*err) *err = gvU_mprintf("%s failed without a message", m->name);
    if (rc != GEVINST_OK && rc != GEVINST_NODATA && rc != GEVINST_ERROR) {
        free(*err);
        *err = gvU_mprintf("%s returned unknown code %d", m->name, rc);
        return GEVINST_ERROR;
    }
    /* a module's message goes into JSON and reports: valid UTF-8 only */
    *err = gvU_utf8_repair(*err);
    return rc;
}
