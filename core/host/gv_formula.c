/*
** gv_formula.c -- the loader of formulas: indicators written in the config
** in DHIS2's expression language (gv_expr.c), as `formula = "..."` or as a
** numerator and a denominator with a factor.  A formula is parsed once,
** when it is loaded; each evaluation reads its operands through the host
** functions every module kind uses (the same set-based pass, coverage and
** counts of persons), and other indicators' values from the run.  It is
** arithmetic, no code: it runs in gevinst's own process.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host/gv_host.h"

/* An indicator's settings that make a formula (docs/formulas.md): the
** config reads them as its params. */
static const char *const gvF_settings[] = {"formula",   "numerator", "denominator", "factor",
                                           "annualise", "missing",   NULL};
static const char *const gvF_yes_no[] = {"no", "yes", NULL};
/* DHIS2's names and the ratio plugin's, the same three rules */
static const char *const gvF_missing_rules[] = {
    "skip_if_any_missing",        "skip_if_all_missing", "never_skip", "SKIP_IF_ANY_VALUE_MISSING",
    "SKIP_IF_ALL_VALUES_MISSING", "NEVER_SKIP",          NULL};

/* One expression of the indicator: the formula, or numerator and
** denominator. */
typedef struct gvF_part {
    const char *setting; /* "formula", "numerator", "denominator" */
    const char *file;
    int line;
    gvF_formula *f;
    double *constant;  /* per operand: a constant's value */
    int *indicator;    /* per operand: an I{id}'s place in the config, else -1 */
    gvF_value *values; /* per operand: the evaluation's */
} gvF_part;

typedef struct gvF_state {
    gvF_part part[2];
    int nparts;
    int ratio; /* numerator / denominator x factor */
    double factor;
    int annualise;
    int strategy;
} gvF_state;

/* ----------------------------------------------------------------- loading */

static const gv_param_value *gvF_given(const gv_indicator *ind, const char *name) {
    for (int i = 0; i < ind->nparams; i++)
        if (strcmp(ind->params[i].name, name) == 0) return &ind->params[i];
    return NULL;
}

/* "FILE:LINE:COLUMN: indicator 'id': formula: message", then the formula
** with a caret under the column. */
static char *gvF_error_at(const gv_module *m, const gvF_part *p, const char *text, int column,
                          const char *msg) {
    /* a formula written over several lines: the line the column is on,
       and the column in it, shown under that line alone */
    const char *line = text;
    int lines = 0, chars = 0;
    for (const char *c = text; *c && chars < column - 1; c++) {
        if (((unsigned char)*c & 0xC0) == 0x80) continue; /* inside a character */
        chars++;
        if (*c == '\n') line = c + 1, lines++, column -= chars, chars = 0;
    }
    char *one = gvU_mprintf("%.*s", (int)strcspn(line, "\n"), line);
    char *caret = gvF_caret(one, column);
    char *e = gvU_mprintf("%s:%d:%d: indicator '%s': %s: %s\n%s", p->file, p->line + lines, column,
                          m->ind->id, p->setting, msg, caret);
    free(one), free(caret);
    return e;
}

/* " (did you mean 'x'?)" or "". */
static char *gvF_did_you_mean(const char *name, const char *const *names, int n) {
    const char *near = gvU_nearest(name, names, n);
    return near ? gvU_mprintf(" (did you mean '%s'?)", near) : gvU_strdup("");
}

/* C{name}: its value from the config's constants; -1 with *msg. */
static int gvF_constant(const gv_config *cfg, const char *name, double *out, char **msg) {
    for (int i = 0; i < cfg->nconstants; i++)
        if (strcmp(cfg->constant_names[i], name) == 0) return *out = cfg->constant_values[i], 0;
    char *hint = gvF_did_you_mean(name, (const char *const *)cfg->constant_names, cfg->nconstants);
    *msg = gvU_mprintf("unknown constant '%s'%s", name,
                       cfg->nconstants ? hint : " (the config has no constants = { ... })");
    free(hint);
    return -1;
}

/* I{id}: the indicator's place in the config; -1 with *msg. */
static int gvF_indicator(const gv_module *m, const char *id, char **msg) {
    const gv_config *cfg = m->cfg;
    const char **ids = gvU_malloc((size_t)(cfg->nindicators + 1) * sizeof *ids);
    int found = -1;
    for (int i = 0; i < cfg->nindicators; i++) {
        ids[i] = cfg->indicators[i].id;
        if (strcmp(ids[i], id) == 0) found = i;
    }
    if (found >= 0 && strcmp(id, m->ind->id) == 0) {
        *msg = gvU_mprintf("I{%s} is this indicator itself: a cycle", id);
        found = -1;
    } else if (found < 0) {
        char *hint = gvF_did_you_mean(id, ids, cfg->nindicators);
        *msg = gvU_mprintf("unknown indicator '%s'%s", id, hint);
        free(hint);
    }
    free(ids);
    return found;
}

/* What each operand of p names, found now: constants and indicators;
** every one not found is in *err. */
static int gvF_resolve(gv_module *m, gvF_part *p, char **err) {
    gvF_formula *f = p->f;
    gvU_buf problems = {0};
    p->constant = gvU_malloc((size_t)(f->noperands + 1) * sizeof *p->constant);
    p->indicator = gvU_malloc((size_t)(f->noperands + 1) * sizeof *p->indicator);
    p->values = gvU_malloc((size_t)(f->noperands + 1) * sizeof *p->values);
    for (int i = 0; i < f->noperands; i++) {
        const gvF_operand_def *o = &f->operands[i];
        char *msg = NULL;
        p->constant[i] = 0;
        p->indicator[i] = -1;
        if (o->kind == GVF_CONSTANT) gvF_constant(m->cfg, o->name, &p->constant[i], &msg);
        if (o->kind == GVF_INDICATOR && (p->indicator[i] = gvF_indicator(m, o->name, &msg)) >= 0) {
            m->needs = gvU_realloc(m->needs, (size_t)(m->nneeds + 1) * sizeof *m->needs);
            m->needs[m->nneeds].indicator = p->indicator[i];
            m->needs[m->nneeds++].where = gvU_mprintf("%s:%d:%d", p->file, p->line, o->column);
        }
        if (msg) { /* every one, each with its caret; a run stores the first line */
            char *e = gvF_error_at(m, p, f->text, o->column, msg);
            gvU_buf_printf(&problems, "%s%s", problems.s ? "\n" : "", e);
            free(e), free(msg);
        }
    }
    if (!problems.s) return 0;
    *err = gvU_buf_take(&problems);
    return -1;
}

static int gvF_load_part(gv_module *m, const char *setting, const char *text, const char *file,
                         int line, char **err) {
    gvF_state *st = m->state;
    gvF_part *p = &st->part[st->nparts++];
    p->setting = setting;
    p->file = file;
    p->line = line;
    char *msg = NULL;
    int column = 0;
    p->f = gvF_parse(text, &msg, &column);
    if (!p->f) {
        *err = gvF_error_at(m, p, text, column, msg);
        free(msg);
        return -1;
    }
    return gvF_resolve(m, p, err);
}

/* The params `gevinst list --params` shows, the config is checked against
** and provenance stores: the settings, and the constants the formula
** uses with their values, so a run records which numbers it used. */
static void gvF_declare(gv_module *m) {
    static const struct {
        const char *name, *string, *help;
        double number;
        const char *const *choices;
    } d[] = {
        {"formula", "", "the expression (or numerator and denominator)", 0, NULL},
        {"numerator", "", "expression on top (with denominator, instead of formula)", 0, NULL},
        {"denominator", "", "expression below", 0, NULL},
        {"factor", NULL, "multiplier of numerator / denominator (100: per cent)", 1, NULL},
        {"annualise", "no", "yes: numerator / denominator scaled to a year of 365 days", 0,
         gvF_yes_no},
        {"missing", "skip_if_any_missing", "missing data rule", 0, gvF_missing_rules},
    };
    int n = (int)(sizeof d / sizeof d[0]);
    m->defaults = gvU_malloc((size_t)n * sizeof *m->defaults);
    memset(m->defaults, 0, (size_t)n * sizeof *m->defaults);
    for (int i = 0; i < n; i++) {
        gv_param_value *v = &m->defaults[i];
        v->name = gvU_strdup(d[i].name);
        v->type = d[i].string ? GEVINST_PARAM_STRING : GEVINST_PARAM_NUMBER;
        v->string = gvU_strdup(d[i].string);
        v->number = d[i].number;
        v->help = gvU_strdup(d[i].help);
        v->choices = gvM_copy_choices(d[i].choices);
    }
    m->ndefaults = n;
    gvF_state *st = m->state;
    for (int k = 0; k < st->nparts; k++)
        for (int i = 0; i < st->part[k].f->noperands; i++) {
            if (st->part[k].f->operands[i].kind != GVF_CONSTANT) continue;
            char *name = gvU_mprintf("C{%s}", st->part[k].f->operands[i].name);
            int j = 0;
            while (j < m->ndefaults && strcmp(m->defaults[j].name, name) != 0)
                j++;
            if (j < m->ndefaults) {
                free(name);
                continue;
            }
            m->defaults = gvU_realloc(m->defaults, (size_t)(j + 1) * sizeof *m->defaults);
            memset(&m->defaults[j], 0, sizeof *m->defaults);
            m->defaults[j].name = name;
            m->defaults[j].type = GEVINST_PARAM_NUMBER;
            m->defaults[j].number = st->part[k].constant[i];
            m->defaults[j].help = gvU_strdup("a constant (constants = { ... })");
            m->ndefaults++;
        }
}

/* What the formula is, in one line and as a hash: its text, the numbers
** around it and the constants it uses, so that provenance tells one
** formula from another. */
static void gvF_describe(gv_module *m) {
    gvF_state *st = m->state;
    gvU_buf b = {0}, h = {0};
    char number[32];
    gvU_format_number(st->factor, number);
    if (st->ratio)
        gvU_buf_printf(&b, "(%s) / (%s) x %s%s", st->part[0].f->text, st->part[1].f->text, number,
                       st->annualise ? " x 365 / days" : "");
    else
        gvU_buf_puts(&b, st->part[0].f->text);
    gvU_buf_printf(&h, "%s\nmissing %d\n", b.s, st->strategy);
    for (int k = 0; k < st->nparts; k++)
        for (int i = 0; i < st->part[k].f->noperands; i++)
            if (st->part[k].f->operands[i].kind == GVF_CONSTANT) {
                gvU_format_number(st->part[k].constant[i], number);
                gvU_buf_printf(&h, "C{%s} = %s\n", st->part[k].f->operands[i].name, number);
            }
    gvU_sha256_text(h.s, m->hash);
    free(h.s);
    m->description = gvU_buf_take(&b);
    m->name = gvU_strdup("formula");
    m->version = gvU_strdup(GEVINST_VERSION);
}

/* The settings besides the expressions: factor, annualise, missing. */
static void gvF_settings_of(gvF_state *st, const gv_indicator *ind) {
    const gv_param_value *factor = gvF_given(ind, "factor");
    const gv_param_value *annualise = gvF_given(ind, "annualise");
    const gv_param_value *missing = gvF_given(ind, "missing");
    st->factor = factor && factor->type == GEVINST_PARAM_NUMBER ? factor->number : 1;
    st->annualise = annualise && annualise->string && strcmp(annualise->string, "yes") == 0;
    st->strategy = GVF_SKIP_IF_ANY;
    for (int i = 0; missing && missing->string && gvF_missing_rules[i]; i++)
        if (strcmp(missing->string, gvF_missing_rules[i]) == 0) st->strategy = i % 3;
}

static int gvF_load(gv_module *m, char **err) {
    const gv_indicator *ind = m->ind;
    gvF_state *st = gvU_malloc(sizeof *st);
    memset(st, 0, sizeof *st);
    m->state = st;
    gvF_settings_of(st, ind);
    const gv_param_value *num = gvF_given(ind, "numerator"), *den = gvF_given(ind, "denominator");
    const gv_param_value *formula = gvF_given(ind, "formula");
    if (formula && (gvF_given(ind, "factor") || gvF_given(ind, "annualise"))) {
        /* they scale numerator / denominator: a formula writes its own */
        *err = gvU_mprintf("%s:%d: indicator '%s': 'factor' and 'annualise' go with numerator "
                           "and denominator; a formula writes its own arithmetic",
                           ind->file, ind->line, ind->id);
        return -1;
    }
    st->ratio = num || den;
    if (st->ratio && formula) {
        *err = gvU_mprintf("%s:%d: indicator '%s': give a formula, or a numerator and a "
                           "denominator, not both",
                           ind->file, ind->line, ind->id);
        return -1;
    }
    if (st->ratio &&
        (!num || !den || num->type != GEVINST_PARAM_STRING || den->type != GEVINST_PARAM_STRING)) {
        *err = gvU_mprintf("%s:%d: indicator '%s': numerator and denominator go together, each a "
                           "formula in quotes",
                           ind->file, ind->line, ind->id);
        return -1;
    }
    if (!st->ratio && (!formula || formula->type != GEVINST_PARAM_STRING)) {
        *err = gvU_mprintf("%s:%d: indicator '%s': formula must be a formula in quotes", ind->file,
                           ind->line, ind->id);
        return -1;
    }
    int bad = st->ratio
                  ? gvF_load_part(m, "numerator", num->string, num->file, num->line, err) ||
                        gvF_load_part(m, "denominator", den->string, den->file, den->line, err)
                  : gvF_load_part(m, "formula", formula->string, formula->file, formula->line, err);
    if (bad) return -1;
    gvF_describe(m);
    gvF_declare(m);
    return 0;
}

static void gvF_unload(gv_module *m) {
    gvF_state *st = m->state;
    for (int i = 0; i < 2; i++) {
        gvF_free(st->part[i].f);
        free(st->part[i].constant), free(st->part[i].indicator), free(st->part[i].values);
    }
    free(st);
    m->state = NULL;
}

/* -------------------------------------------------------------- evaluation */

/* I{id}: the value the run made of it for this case and period. */
static int gvF_earlier(gevinst_ctx *ctx, const char *id, int k, gvF_value *v, char **err) {
    const gv_run_values *run = ctx->src->values;
    if (!run || !run->kept[k] || ctx->row >= run->n[k]) {
        *err = gvU_mprintf("I{%s}: its value is not known here", id);
        return -1;
    }
    const gv_kept *kept = &run->kept[k][ctx->row];
    if (kept->status == GEVINST_ERROR) {
        *err = gvU_mprintf("I{%s} has an error for this case and period", id);
        return -1;
    }
    v->type = kept->status == GEVINST_OK ? GVF_NUMBER : GVF_NULL;
    v->number = kept->value;
    v->string = NULL;
    if (kept->status != GEVINST_OK) return 0;
    /* a value made from another is as small and as partial as it */
    if (kept->fewest_persons > 0 &&
        (ctx->fewest_persons == 0 || kept->fewest_persons < ctx->fewest_persons))
        ctx->fewest_persons = kept->fewest_persons;
    if (!isnan(kept->coverage) && !(kept->coverage >= ctx->coverage))
        ctx->coverage = kept->coverage;
    return 0;
}

/* #{metric.subjects}: how many persons (distinct subjects) have an
** observation of metric in the period; the series' pass says whether the
** metric exists and how much of the period its data cover. */
static int gvF_subjects(gevinst_ctx *ctx, const char *metric, double *out, char **why) {
    int rc = gvM_host.aggregate(ctx, "count", metric, NULL, out, why);
    if (rc != GEVINST_OK || *out == 0) return rc;
    sqlite3_stmt *st = gvM_query_prepare(
        ctx,
        "SELECT count(DISTINCT subject) FROM observations WHERE case_id = ?1 AND metric = ?2"
        " AND in_period(period_start, period_end, ?3)",
        3, why);
    if (!st) return GEVINST_ERROR;
    sqlite3_bind_text(st, 1, ctx->case_fields[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ctx->period->text, -1, SQLITE_STATIC);
    int stepped = gvM_query_step(ctx, st, why);
    *out = stepped == 1 ? sqlite3_column_double(st, 0) : 0;
    gvM_query_done(ctx, st);
    if (stepped < 0) return GEVINST_ERROR;
    /* a count of persons: reports hide what is made from a small one */
    if (*out > 0 && (ctx->fewest_persons == 0 || *out < ctx->fewest_persons))
        ctx->fewest_persons = *out;
    return GEVINST_OK;
}

/* Every operand of p for the case and period in ctx. */
static int gvF_fetch(gvF_part *p, gevinst_ctx *ctx, char **err) {
    for (int i = 0; i < p->f->noperands; i++) {
        const gvF_operand_def *o = &p->f->operands[i];
        gvF_value *v = &p->values[i];
        v->type = GVF_NUMBER, v->string = NULL;
        if (o->kind == GVF_CONSTANT) {
            v->number = p->constant[i];
        } else if (o->kind == GVF_DAYS) {
            v->number = gvP_days(ctx->period);
        } else if (o->kind == GVF_INDICATOR) {
            if (gvF_earlier(ctx, o->name, p->indicator[i], v, err) < 0) return -1;
        } else {
            char *why = NULL;
            int rc = strcmp(o->aggregate, "subjects") == 0
                         ? gvF_subjects(ctx, o->name, &v->number, &why)
                         : gvM_host.aggregate(ctx, o->aggregate, o->name, NULL, &v->number, &why);
            if (rc == GEVINST_ERROR) {
                *err = gvU_mprintf("#{%s}: %s", o->name, why ? why : "cannot be read");
                free(why);
                return -1;
            }
            if (rc == GEVINST_NODATA) v->type = GVF_NULL;
        }
    }
    return 0;
}

/* A formula's result as an indicator's value. */
static int gvF_result(gvF_value v, double *value, char **err) {
    if (v.type == GVF_NULL) return GEVINST_NODATA;
    if (v.type == GVF_STRING) {
        *err = gvU_mprintf("the formula gives text ('%s'), not a number", v.string);
        return GEVINST_ERROR;
    }
    if (!isfinite(v.number)) {
        *err = gvU_mprintf("the formula gives %s",
                           isnan(v.number) ? "no number (NaN: 0 / 0, x %% 0, the log of a "
                                             "negative number, or arithmetic on a text)"
                                           : "an infinity (a division by zero, the log of 0, or "
                                             "a number too large)");
        return GEVINST_ERROR;
    }
    *value = v.number;
    return GEVINST_OK;
}

static int gvF_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    gvF_state *st = m->state;
    gvF_value out[2];
    for (int i = 0; i < st->nparts; i++) {
        gvF_part *p = &st->part[i];
        if (gvF_fetch(p, ctx, err) < 0) return GEVINST_ERROR;
        if (gvF_eval(p->f, p->values, st->strategy, &out[i]) < 0) {
            *err = gvU_mprintf("%s: the formula leaves no single value", p->setting);
            return GEVINST_ERROR;
        }
    }
    if (!st->ratio) return gvF_result(out[0], value, err);
    double n, d;
    int rn = gvF_result(out[0], &n, err);
    if (rn != GEVINST_OK) return rn;
    int rd = gvF_result(out[1], &d, err);
    if (rd != GEVINST_OK) return rd;
    if (gvF_indicator_value(n, d, st->factor, st->annualise, gvP_days(ctx->period), value))
        return GEVINST_NODATA; /* a zero denominator, as DHIS2 */
    return gvF_result((gvF_value){GVF_NUMBER, *value, NULL}, value, err);
}

/* ---------------------------------------------------------------- checking */

/* Every #{metric} against the database, with the nearest known name. */
static int gvF_check(gv_module *m, sqlite3 *db, gv_diag *diag) {
    gvF_state *st = m->state;
    char **names = NULL;
    int n = gvM_metric_names(db, &names), bad = 0;
    if (n < 0) {
        gvU_diag_add(diag, "%s", sqlite3_errmsg(db));
        return 1;
    }
    for (int k = 0; st && k < st->nparts; k++)
        for (int i = 0; i < st->part[k].f->noperands; i++) {
            const gvF_operand_def *o = &st->part[k].f->operands[i];
            int known = o->kind != GVF_METRIC;
            for (int j = 0; !known && j < n; j++)
                known = strcmp(names[j], o->name) == 0;
            if (known) continue;
            char *hint = gvF_did_you_mean(o->name, (const char *const *)names, n);
            char *msg = gvU_mprintf("unknown metric '%s'%s", o->name,
                                    *hint ? hint : " (no metric of that name is imported)");
            char *e = gvF_error_at(m, &st->part[k], st->part[k].f->text, o->column, msg);
            gvU_diag_add(diag, "%s", e);
            free(e), free(msg), free(hint);
            bad++;
        }
    gvM_free_names(names, n);
    return bad;
}

const gv_loader gvF_formulas = {
    {"formula", "formula", NULL, gvF_settings},
    "formula",
    "formula",
    gvF_load,
    gvF_evaluate,
    gvF_unload,
    NULL,
    gvF_check,
};
