/*
** ratio.c -- numerator metric / denominator metric x factor, as DHIS2
** computes an indicator:
**
**   value = N / D x factor                      (annualise = "no")
**   value = N / D x factor x 365 / days         (annualise = "yes")
**
** where N and D aggregate (sum by default) the case's observations in the
** period and `days` is the period's length.  `missing` says what to do when
** N or D has no data, after DHIS2's missing value strategies:
**   skip_if_any_missing  no value unless both have data (the default)
**   skip_if_all_missing  no value only when neither has; a missing one is 0
**   never_skip           a missing one is 0
** A zero denominator gives no value, never an infinity.
*/
#include <gevinst/plugin.h>
#include <string.h>

static const gevinst_host *host;

static const char *const missing_rules[] = {"skip_if_any_missing", "skip_if_all_missing",
                                            "never_skip", NULL};
static const char *const yes_no[] = {"no", "yes", NULL};
static const char *const aggregates[] = {"sum", "mean", "count", "last", "min", "max", NULL};

static const gevinst_param params[] = {
    {.name = "numerator", .type = GEVINST_PARAM_STRING, .help = "metric on top"},
    {.name = "denominator", .type = GEVINST_PARAM_STRING, .help = "metric below"},
    {.name = "factor",
     .type = GEVINST_PARAM_NUMBER,
     .number = 1,
     .help = "multiplier (100: per cent)"},
    {.name = "annualise",
     .type = GEVINST_PARAM_STRING,
     .string = "no",
     .choices = yes_no,
     .help = "yes: scale to a year of 365 days"},
    {.name = "missing",
     .type = GEVINST_PARAM_STRING,
     .string = "skip_if_any_missing",
     .choices = missing_rules,
     .help = "missing data rule"},
    {.name = "aggregate",
     .type = GEVINST_PARAM_STRING,
     .string = "sum",
     .choices = aggregates,
     .help = "how each metric is aggregated over the period"},
    {.name = NULL}};

static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {
    const char *fn = host->param_string(ctx, "aggregate");
    const char *missing = host->param_string(ctx, "missing");
    double n = 0, d = 0, factor;
    int rn = host->aggregate(ctx, fn, host->param_string(ctx, "numerator"), NULL, &n, errmsg);
    if (rn == GEVINST_ERROR) return rn;
    int rd = host->aggregate(ctx, fn, host->param_string(ctx, "denominator"), NULL, &d, errmsg);
    if (rd == GEVINST_ERROR) return rd;
    int nodata = (rn == GEVINST_NODATA) + (rd == GEVINST_NODATA);
    if (strcmp(missing, "skip_if_any_missing") == 0 && nodata > 0) return GEVINST_NODATA;
    if (strcmp(missing, "skip_if_all_missing") == 0 && nodata == 2) return GEVINST_NODATA;
    if (rn == GEVINST_NODATA) n = 0;
    if (rd == GEVINST_NODATA) d = 0;
    if (d == 0) return GEVINST_NODATA;
    host->param_number(ctx, "factor", &factor);
    if (strcmp(host->param_string(ctx, "annualise"), "yes") == 0)
        factor = factor * 365 / host->period_days(ctx);
    *value = n / d * factor;
    return GEVINST_OK;
}

static const gevinst_module module = {
    GEVINST_MODULE_ABI, .name = "ratio",
    .version = "1.0.0", .description = "numerator / denominator x factor, optionally annualised",
    .params = params,   .evaluate = evaluate,
};

const gevinst_module *gevinst_module_init(const gevinst_host *h) {
    host = h;
    return &module;
}
