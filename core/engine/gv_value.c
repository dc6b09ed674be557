/*
** gv_value.c -- the arithmetic of gains and their value (see gv_engine.h
** and docs/methodology.md): realisation against the plan, SROI and its
** sensitivity.  Pure: numbers in, numbers out, no database.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/gv_engine.h"

/* ------------------------------------------------------------ realisation */

double gvV_realisation_pct(double actual, double baseline, double target) {
    return (actual - baseline) / (target - baseline) * 100;
}

double gvV_expected_pct(const gv_period *baseline, const gv_period *target, const gv_period *at) {
    double from = (double)gvP_day_of(baseline->end), to = (double)gvP_day_of(target->end);
    double now = (double)gvP_day_of(at->end);
    if (to <= from || now >= to) return 100;
    if (now <= from) return 0;
    return (now - from) / (to - from) * 100;
}

const char *gvV_status(double realisation, double expected, const gv_period *target,
                       const gv_period *at) {
    if (realisation >= 100) return "achieved";
    if (strcmp(at->end, target->end) >= 0) return "missed";
    return realisation >= expected ? "on_track" : "behind";
}

/* ------------------------------------------------------------------ SROI */

double gvV_impact_year1(const gvV_outcome *o) {
    /* multiplied, never added: 20 % deadweight and 10 % attribution leave 72 % */
    return o->quantity * o->proxy * (1 - o->deadweight) * (1 - o->displacement) *
           (1 - o->attribution);
}

double gvV_present_value(const gvV_outcome *o, double rate) {
    double impact = gvV_impact_year1(o), pv = 0, discount = 1;
    for (int t = 1; t <= o->duration; t++) {
        discount *= 1 + rate;
        pv += impact / discount;
        impact *= 1 - o->drop_off;
    }
    return pv;
}

void gvV_sroi_of(const gvV_outcome *o, int n, double investment, double rate, gvV_sroi *out) {
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++) {
        out->impact_year1 += gvV_impact_year1(&o[i]);
        out->present_value += gvV_present_value(&o[i], rate);
    }
    out->investment = investment;
    out->npv = out->present_value - investment;
    out->sroi = investment > 0 ? out->present_value / investment : NAN;
    out->sroi_net = investment > 0 ? out->npv / investment : NAN;
    out->payback_months =
        out->impact_year1 > 0 && investment > 0 ? investment / (out->impact_year1 / 12) : NAN;
}

void gvV_ratio_rounded(double ratio, char out[32]) {
    double tenths = round(ratio * 10) / 10; /* round() takes halves away from zero */
    if (!isfinite(ratio))
        snprintf(out, 32, "-");
    else if (tenths >= 1) /* 0.95 is "1:1", not "1.0:1" */
        snprintf(out, 32, "%.0f:1", round(ratio) == 0 ? 0.0 : round(ratio));
    else /* below 1, negative ratios too: one decimal */
        snprintf(out, 32, "%.1f:1", tenths == 0 ? 0.0 : tenths);
}

const char *const gvV_assumption_names[GVV_NASSUMPTIONS] = {
    "deadweight", "attribution", "displacement", "drop_off", "duration", "proxy", "discount_rate"};

static double gvV_clamp01(double x) {
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* The ratio with assumption a set by `mode`: 0 scales every gain's own
** value by factor x; 1 sets every gain's value to x. */
static double gvV_ratio_with(const gvV_outcome *o, int n, double investment, double rate,
                             gvV_assumption a, int set, double x) {
    gvV_outcome *c = gvU_malloc((size_t)(n ? n : 1) * sizeof *c);
    memcpy(c, o, (size_t)n * sizeof *c);
    for (int i = 0; i < n; i++) {
        double *f = a == GVV_DEADWEIGHT     ? &c[i].deadweight
                    : a == GVV_ATTRIBUTION  ? &c[i].attribution
                    : a == GVV_DISPLACEMENT ? &c[i].displacement
                    : a == GVV_DROP_OFF     ? &c[i].drop_off
                                            : NULL;
        if (f) *f = gvV_clamp01(set ? x : *f * x);
        if (a == GVV_PROXY) c[i].proxy = set ? x : c[i].proxy * x;
        if (a == GVV_DURATION) {
            /* half up, as the decimal product: 45 x 0.7 is 31.5 (32), though in
               binary it comes out a hair below */
            double scaled = c[i].duration * x;
            double d = set ? x : floor(scaled + 0.5 + 1e-9 * fabs(scaled));
            c[i].duration = d < 1 ? 1 : (int)d;
        }
    }
    if (a == GVV_DISCOUNT_RATE) rate = set ? x : rate * x;
    gvV_sroi s;
    gvV_sroi_of(c, n, investment, rate, &s);
    free(c);
    return s.sroi;
}

/* Where ratio(x) crosses 1 for x in [lo, hi], the ratio falling as x
** grows; NaN when it does not cross there. */
static double gvV_break_even(const gvV_outcome *o, int n, double investment, double rate,
                             gvV_assumption a, double lo, double hi) {
    double rlo = gvV_ratio_with(o, n, investment, rate, a, 1, lo);
    double rhi = gvV_ratio_with(o, n, investment, rate, a, 1, hi);
    if (!(rlo >= 1) || !(rhi < 1)) return NAN;
    for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
        double mid = (lo + hi) / 2;
        if (gvV_ratio_with(o, n, investment, rate, a, 1, mid) >= 1)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}

void gvV_sensitivity_of(const gvV_outcome *o, int n, double investment, double rate, double range,
                        gvV_sensitivity out[GVV_NASSUMPTIONS]) {
    for (int a = 0; a < GVV_NASSUMPTIONS; a++) {
        gvV_sensitivity *s = &out[a];
        s->low = 1 - range;
        s->high = 1 + range;
        if (a == GVV_DISCOUNT_RATE) s->low = rate * (1 - range), s->high = rate * (1 + range);
        s->sroi_low = gvV_ratio_with(o, n, investment, rate, a, a == GVV_DISCOUNT_RATE,
                                     a == GVV_DISCOUNT_RATE ? s->low : 1 - range);
        s->sroi_high = gvV_ratio_with(o, n, investment, rate, a, a == GVV_DISCOUNT_RATE,
                                      a == GVV_DISCOUNT_RATE ? s->high : 1 + range);
        switch (a) {
        case GVV_PROXY: {
            /* the ratio is proportional to the proxies: the factor that makes it 1 */
            double r = gvV_ratio_with(o, n, investment, rate, a, 0, 1);
            s->break_even = r > 0 && isfinite(r) ? 1 / r : NAN;
            break;
        }
        case GVV_DURATION: {
            /* the shortest whole duration, in years, that reaches 1:1 */
            s->break_even = NAN;
            for (int d = 1; d <= 100; d++)
                if (gvV_ratio_with(o, n, investment, rate, a, 1, d) >= 1) {
                    s->break_even = d;
                    break;
                }
            break;
        }
        case GVV_DISCOUNT_RATE:
            s->break_even = gvV_break_even(o, n, investment, rate, a, 0, 10);
            break;
        default:
            s->break_even = gvV_break_even(o, n, investment, rate, a, 0, 1);
        }
        /* bisection stops within 1e-12: a value that close to 0 is 0 */
        if (fabs(s->break_even) < 1e-9) s->break_even = 0;
    }
}
