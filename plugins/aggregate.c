/*
** aggregate.c -- the bundled plugins sum, count and mean: one aggregate of
** one metric over the case's observations in the period.
**
** One source, built three times (AGGREGATE = sum | count | mean), because
** the three differ only in which host function they call.
*/
#include <gevinst/plugin.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static const gevinst_host *host;

static const gevinst_param params[] = {
    {"metric", GEVINST_PARAM_STRING, 0, NULL, "the metric to aggregate (required)"},
    {NULL, 0, 0, NULL, NULL}};

static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {
    const char *metric = host->param_string(ctx, "metric");
    return host->AGGREGATE(ctx, metric, value, errmsg);
}

#define AGG_sum 1
#define AGG_count 2
#define AGG_mean 3
#define AGG_(x) AGG_##x
#define AGG(x) AGG_(x)

static const gevinst_module module = {
    GEVINST_MODULE_ABI,
    STR(AGGREGATE),
    "1.0.0",
#if AGG(AGGREGATE) == AGG_count
    "observations",
    "number of observations of a metric in the period",
#elif AGG(AGGREGATE) == AGG_mean
    NULL,
    "mean of a metric's observations in the period",
#else
    NULL,
    "sum of a metric's observations in the period",
#endif
    params,
    evaluate,
};

const gevinst_module *gevinst_module_init(const gevinst_host *h) {
    /* sum, count and mean are in ABI 1.0; a host this old has them */
    if (h->abi_major != GEVINST_ABI_MAJOR) return NULL;
    host = h;
    return &module;
}
