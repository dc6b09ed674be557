/*
** inputs_total.c -- what the partners put into a case in the period, in
** money:
**
**   value = cash + in_kind + volunteer_hours x wage
**
** Cash and in-kind amounts must all be in one currency (and in `currency`
** when it is given): converting between currencies needs rates the user
** chooses, so a mix is an error, not a silent sum.  No inputs: no value.
*/
#include <gevinst/plugin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const gevinst_host *host;

static const gevinst_param params[] = {
    {.name = "wage",
     .type = GEVINST_PARAM_NUMBER,
     .number = NAN,
     .help = "money value of one volunteer hour (required)"},
    {.name = "currency",
     .type = GEVINST_PARAM_STRING,
     .string = "",
     .help = "the currency inputs must be in; empty: whichever single one they use"},
    {.name = NULL}};

typedef struct tally {
    double money, hours;
    int rows;
    int wanted; /* currency was given as a param */
    char currency[16];
    char *error;
} tally;

static int row(void *ud, int ncol, const char *const *names, const char *const *values) {
    tally *t = ud;
    (void)ncol, (void)names;
    const char *kind = values[0], *currency = values[1] ? values[1] : "";
    double amount = values[2] ? strtod(values[2], NULL) : 0;
    t->rows++;
    if (strcmp(kind, "volunteer_hours") == 0) {
        t->hours += amount;
        return 0;
    }
    if (!currency[0]) {
        t->error = host->mprintf("%s inputs without a currency; give each its currency", kind);
        return 1;
    }
    if (!t->currency[0]) {
        strncpy(t->currency, currency, sizeof t->currency - 1);
    } else if (strcmp(t->currency, currency) != 0) {
        t->error = t->wanted ? host->mprintf("inputs in %s, but param currency asks for %s",
                                             currency, t->currency)
                             : host->mprintf("inputs in both %s and %s; inputs_total adds one "
                                             "currency",
                                             t->currency, currency);
        return 1;
    }
    t->money += amount;
    return 0;
}

static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {
    double wage;
    const char *want = host->param_string(ctx, "currency");
    host->param_number(ctx, "wage", &wage);
    const char *args[] = {host->case_field(ctx, "id"), host->period(ctx)};
    tally t;
    memset(&t, 0, sizeof t);
    strncpy(t.currency, want, sizeof t.currency - 1);
    t.wanted = want[0] != '\0';
    int rc = host->query(ctx,
                         "SELECT kind, currency, total(amount) FROM inputs WHERE case_id = ?1"
                         " AND in_period(period_start, period_end, ?2)"
                         " GROUP BY kind, currency ORDER BY kind, currency",
                         2, args, row, &t, errmsg);
    if (rc != GEVINST_OK) return rc;
    if (t.error) {
        *errmsg = t.error;
        return GEVINST_ERROR;
    }
    if (t.rows == 0) return GEVINST_NODATA;
    *value = t.money + t.hours * wage;
    return GEVINST_OK;
}

static const gevinst_module module = {
    GEVINST_MODULE_ABI,
    .name = "inputs_total",
    .version = "1.0.0",
    .description = "partners' inputs in money: cash + in-kind + volunteer hours x wage",
    .params = params,
    .evaluate = evaluate,
};

const gevinst_module *gevinst_module_init(const gevinst_host *h) {
    host = h;
    return &module;
}
