/*
** aggregate.c -- the bundled plugins sum, count, mean and last: one
** aggregate of one metric over the case's observations in the period.
**
**   sum   = v1 + ... + vn         count = n (0 when there are none)
**   mean  = sum / n               last  = the value of the latest observation
**
** One source, built once per aggregate (-DAGGREGATE=sum ...), because they
** differ only in the name they pass to the host's aggregate function.
*/
#include <gevinst/plugin.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static const gevinst_host *host;

static const gevinst_param params[] = {
    {.name = "metric", .type = GEVINST_PARAM_STRING, .help = "the metric to aggregate"},
    {.name = NULL}};

static int evaluate(gevinst_ctx *ctx, double *value, char **errmsg) {
    return host->aggregate(ctx, STR(AGGREGATE), host->param_string(ctx, "metric"), NULL, value,
                           errmsg);
}

static const gevinst_module module = {
    GEVINST_MODULE_ABI,
    .name = STR(AGGREGATE),
    .version = "1.0.0",
#define AGG_count 1
#define AGG_(x) AGG_##x
#define AGG(x) AGG_(x)
#if AGG(AGGREGATE) == 1
    .unit = "observations", /* the others leave the unit to the config */
#endif
    .description = STR(AGGREGATE) " of a metric's observations in the period",
    .params = params,
    .evaluate = evaluate,
};

const gevinst_module *gevinst_module_init(const gevinst_host *h) {
    host = h;
    return &module;
}
