/*
** test_value.c -- the arithmetic of gains and their value, on vectors
** computed by hand (the arithmetic is in the comments).
*/
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/gv_engine.h"
#include "test_util.h"

/* equal to 1e-12, relative */
static void near(double a, double b, int line) {
    if (!(fabs(a - b) <= 1e-12 * fmax(1, fabs(b))))
        fail_msg("line %d: %.17g, expected %.17g", line, a, b);
}
#define NEAR(a, b) near((a), (b), __LINE__)

static gv_period P(const char *s) {
    gv_period p;
    assert_int_equal(gvP_parse(s, &p), 0);
    return p;
}

static void realisation(void **state) {
    (void)state;
    /* sick leave from 8 % to 6.5 %: 7 % is (7 - 8) / (6.5 - 8) = 2/3 of the way */
    NEAR(gvV_realisation_pct(7, 8, 6.5), 100.0 * 2 / 3);
    NEAR(gvV_realisation_pct(5, 2, 10), 37.5); /* (5 - 2) / (10 - 2) */
    NEAR(gvV_realisation_pct(2, 2, 10), 0);
    NEAR(gvV_realisation_pct(12, 2, 10), 125);
    gv_period b = P("2017"), t = P("2019");
    gv_period at = P("2018"), q2 = P("2018-Q2"), before = P("2017-Q3"), after = P("2020");
    NEAR(gvV_expected_pct(&b, &t, &at), 50);                /* 365 of 730 days */
    NEAR(gvV_expected_pct(&b, &t, &q2), 181.0 / 730 * 100); /* 2018-01-01..06-30 */
    NEAR(gvV_expected_pct(&b, &t, &before), 0);
    NEAR(gvV_expected_pct(&b, &t, &t), 100);
    NEAR(gvV_expected_pct(&b, &t, &after), 100);
    assert_string_equal(gvV_status(100, 50, &t, &at), "achieved");
    assert_string_equal(gvV_status(50, 50, &t, &at), "on_track");
    assert_string_equal(gvV_status(49.9, 50, &t, &at), "behind");
    assert_string_equal(gvV_status(99, 100, &t, &t), "missed"); /* the target date has come */
    assert_string_equal(gvV_status(99, 100, &t, &after), "missed");
    assert_string_equal(gvV_status(130, 100, &t, &after), "achieved");
}

static void impact_and_present_value(void **state) {
    (void)state;
    /* 10 x 1000 x (1 - 0.2) x (1 - 0) x (1 - 0.1) = 7200: multiplied, never added */
    gvV_outcome o = {10, 1000, 0.2, 0.1, 0, 0, 1};
    NEAR(gvV_impact_year1(&o), 7200);
    NEAR(gvV_present_value(&o, 0.04), 7200 / 1.04); /* duration 1 */
    /* zero discount rate, 50 % drop-off, 3 years: 7200 + 3600 + 1800 */
    gvV_outcome z = {10, 1000, 0.2, 0.1, 0, 0.5, 3};
    NEAR(gvV_present_value(&z, 0), 12600);
    /* drop-off 100 %: only year 1 counts */
    gvV_outcome all = {10, 1000, 0.2, 0.1, 0, 1, 3};
    NEAR(gvV_present_value(&all, 0), 7200);
    NEAR(gvV_present_value(&all, 0.04), 7200 / 1.04);
    /* 2 years at 10 %, drop-off 25 %: 7200 / 1.1 + 5400 / 1.21 */
    gvV_outcome d = {10, 1000, 0.2, 0.1, 0, 0.25, 2};
    NEAR(gvV_present_value(&d, 0.1), 7200 / 1.1 + 5400 / 1.21);
    /* displacement counts as deadweight does: 10 x 1000 x 0.8 x 0.5 x 0.9 */
    gvV_outcome disp = {10, 1000, 0.2, 0.1, 0.5, 0, 1};
    NEAR(gvV_impact_year1(&disp), 3600);
}

static void sroi(void **state) {
    (void)state;
    gvV_outcome o[2] = {{10, 1000, 0.2, 0.1, 0, 0, 1}, {5, 100, 0, 0, 0, 0, 2}};
    gvV_sroi s;
    gvV_sroi_of(o, 2, 5000, 0, &s);
    NEAR(s.impact_year1, 7200 + 500);
    NEAR(s.present_value, 7200 + 500 + 500);
    NEAR(s.npv, 8200 - 5000);
    NEAR(s.sroi, 8200.0 / 5000);
    NEAR(s.sroi_net, 3200.0 / 5000);
    NEAR(s.payback_months, 5000 / (7700.0 / 12)); /* investment / (year 1 / 12) */
    gvV_sroi_of(o, 2, 0, 0, &s);
    assert_true(isnan(s.sroi) && isnan(s.sroi_net)); /* no investment: no ratio */
    gvV_sroi_of(o, 0, 5000, 0, &s);
    assert_true(isnan(s.payback_months)); /* nothing in year 1: no payback */
}

static void ratio_rounding(void **state) {
    (void)state;
    char out[32];
    struct {
        double ratio;
        const char *text;
    } v[] = {{5.62, "6:1"},
             {2.5, "3:1"},
             {3.5, "4:1"},
             {2.4999, "2:1"},
             {1, "1:1"},
             {0.95, "1:1"},
             {0.45, "0.5:1"},
             {0.25, "0.3:1"},
             {0.04, "0.0:1"},
             {0.049, "0.0:1"},
             {0.05, "0.1:1"},
             {12.5, "13:1"},
             /* below 1, negative ratios too: one decimal */
             {-1.2, "-1.2:1"},
             {-0.04, "0.0:1"},
             {-0.05, "-0.1:1"},
             {-12.46, "-12.5:1"}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        gvV_ratio_rounded(v[i].ratio, out);
        if (strcmp(out, v[i].text) != 0)
            fail_msg("%g: '%s', expected '%s'", v[i].ratio, out, v[i].text);
    }
}

static void sensitivity(void **state) {
    (void)state;
    /* duration x 0.7 and x 1.3, rounded half up as decimals: 45 x 0.7 is
       31.5 -> 32 (in binary a hair below), 45 x 1.3 is 58.5 -> 59; with
       100 a year, undiscounted, against 100 invested, SROI is the years */
    gvV_outcome years = {1, 100, 0, 0, 0, 0, 45};
    gvV_sensitivity d[GVV_NASSUMPTIONS];
    gvV_sensitivity_of(&years, 1, 100, 0, 0.3, d);
    NEAR(d[GVV_DURATION].sroi_low, 32);
    NEAR(d[GVV_DURATION].sroi_high, 59);
    /* one outcome: 10 x 1000 x (1 - 0.2) = 8000 in one year, undiscounted,
       against 4000 invested: 2:1 */
    gvV_outcome o = {10, 1000, 0.2, 0, 0, 0, 1};
    gvV_sensitivity s[GVV_NASSUMPTIONS];
    gvV_sensitivity_of(&o, 1, 4000, 0, 0.5, s);
    /* deadweight x 0.5 = 0.1: 9000 / 4000; x 1.5 = 0.3: 7000 / 4000 */
    NEAR(s[GVV_DEADWEIGHT].sroi_low, 2.25);
    NEAR(s[GVV_DEADWEIGHT].sroi_high, 1.75);
    /* 1:1 when 10000 x (1 - x) = 4000: x = 0.6 */
    assert_true(fabs(s[GVV_DEADWEIGHT].break_even - 0.6) < 1e-9);
    /* attribution x beside deadweight 0.2: 8000 x (1 - x) = 4000 at x = 0.5 */
    assert_true(fabs(s[GVV_ATTRIBUTION].break_even - 0.5) < 1e-9);
    /* attribution is 0: scaling it changes nothing */
    NEAR(s[GVV_ATTRIBUTION].sroi_low, 2);
    NEAR(s[GVV_PROXY].sroi_low, 1);
    NEAR(s[GVV_PROXY].sroi_high, 3);
    NEAR(s[GVV_PROXY].break_even, 0.5); /* the proxies at half make 1:1 */
    NEAR(s[GVV_DURATION].break_even, 1);
    /* one year: 8000 / (1 + r) = 4000 at r = 1 */
    assert_true(fabs(s[GVV_DISCOUNT_RATE].break_even - 1) < 1e-9);
    /* with one year, drop-off never matters */
    assert_true(isnan(s[GVV_DROP_OFF].break_even));
    /* 0.5 x 1 year rounds to 1; 1.5 x 1 rounds half up to 2 years: 16000 / 4000 */
    NEAR(s[GVV_DURATION].sroi_low, 2);
    NEAR(s[GVV_DURATION].sroi_high, 4);

    /* below 1:1 even with no deadweight: never */
    gvV_outcome poor = {1, 1000, 0.2, 0, 0, 0, 1};
    gvV_sensitivity_of(&poor, 1, 4000, 0, 0.5, s);
    assert_true(isnan(s[GVV_DEADWEIGHT].break_even));
    NEAR(s[GVV_PROXY].break_even, 5);    /* proxies x 5 */
    NEAR(s[GVV_DURATION].break_even, 5); /* 800 a year: 5 years reach 4000 */
    /* fractions stay within 0..1: deadweight 0.8 x 1.5 is 1, not 1.2 */
    gvV_outcome high = {10, 1000, 0.8, 0, 0, 0, 1};
    gvV_sensitivity_of(&high, 1, 1000, 0, 0.5, s);
    NEAR(s[GVV_DEADWEIGHT].sroi_high, 0);
}

static void money(void **state) {
    (void)state;
    gevinst_config cfg;
    memset(&cfg, 0, sizeof cfg);
    gv_money_cfg *m = &cfg.money;
    char dkk_name[] = "DKK", nok_name[] = "NOK", currency[] = "NOK";
    char *rc_names[] = {dkk_name};
    double rates[] = {1.32};
    char *cpi_names[] = {nok_name, dkk_name};
    int from[] = {2017, 2017};
    double nok[] = {105.5, 108.4, 110.8}, dkk[] = {101.5, 102.3};
    double *cpi[] = {nok, dkk};
    int cpi_n[] = {3, 2};
    m->given = 1;
    m->currency = currency;
    m->price_year = 2019;
    m->nrates = 1, m->rate_currency = rc_names, m->rate = rates;
    m->ncpi = 2, m->cpi_currency = cpi_names, m->cpi_from = from, m->cpi = cpi, m->cpi_n = cpi_n;
    gvV_money *money = gvV_money_new(&cfg, NULL, 1);
    double v;
    char *err = NULL;
    assert_int_equal(gvV_convert(money, 100, "NOK", 2019, &v, &err), 0);
    NEAR(v, 100);
    assert_int_equal(gvV_convert(money, 100, "NOK", 2017, &v, &err), 0);
    NEAR(v, 100 * 110.8 / 105.5); /* 2017 prices to 2019 */
    /* DKK at 2019 prices needs no index, only the rate */
    assert_int_equal(gvV_convert(money, 100, "DKK", 2019, &v, &err), 0);
    NEAR(v, 132);
    /* DKK at 2018 prices needs DKK's index for 2019, which is not given */
    assert_int_equal(gvV_convert(money, 100, "DKK", 2018, &v, &err), -1);
    assert_string_equal(err,
                        "no consumer price index for DKK in 2019: set money.cpi.DKK = { from = "
                        "...; index = [...]; } to cover it");
    free(err);
    m->price_year = 2018;
    /* prices move in DKK, then DKK become NOK: 100 x 102.3 / 101.5 x 1.32 */
    assert_int_equal(gvV_convert(money, 100, "DKK", 2017, &v, &err), 0);
    NEAR(v, 100 * 1.32 * 102.3 / 101.5);
    assert_int_equal(gvV_convert(money, 100, "EUR", 2018, &v, &err), -1);
    assert_string_equal(err, "no exchange rate for EUR: set money.rates.EUR (NOK per EUR)");
    free(err);
    m->given = 0;
    assert_int_equal(gvV_convert(money, 100, "NOK", 2018, &v, &err), -1);
    assert_non_null(strstr(err, "no money settings in the config"));
    free(err);
    gvV_money_free(money);
}

/* Norwegian numbers by both mod-11 check digits, Danish ones by the date. */
static void identity_numbers(void **state) {
    (void)state;
    assert_string_equal(gvU_identity_number("15038545660"), "a Norwegian fødselsnummer");
    assert_string_equal(gvU_identity_number("01019012480"), "a Norwegian fødselsnummer");
    assert_string_equal(gvU_identity_number("45038545683"), "a Norwegian D-number");
    assert_string_equal(gvU_identity_number("150385-1234"), "a Danish CPR number");
    assert_string_equal(gvU_identity_number("1503851234"), "a Danish CPR number");
    assert_string_equal(gvU_identity_number("290204-1234"), "a Danish CPR number");
    assert_null(gvU_identity_number("15038545661")); /* the second check digit wrong */
    assert_null(gvU_identity_number("15038545600")); /* both wrong */
    assert_null(gvU_identity_number("3213851234"));  /* no 32nd */
    assert_null(gvU_identity_number("290203-1234")); /* no 29 February in '03 */
    assert_null(gvU_identity_number("47912345678")); /* a phone number */
    assert_null(gvU_identity_number("150385 1234"));
    assert_null(gvU_identity_number("r001"));
    assert_null(gvU_identity_number(""));
}

/* A keyed hash, the same for the same key, another for another. */
static void pseudonyms(void **state) {
    (void)state;
    unsigned char one[GV_KEY_SIZE], two[GV_KEY_SIZE];
    memset(one, 1, sizeof one), memset(two, 2, sizeof two);
    char a[36], b[36], c[36];
    gvU_pseudonym(one, "15038545660", a);
    gvU_pseudonym(one, "15038545660", b);
    gvU_pseudonym(two, "15038545660", c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_true(gvU_is_pseudonym(a));
    assert_int_equal(strlen(a), 35);
    assert_false(gvU_is_pseudonym("ps-0123"));
    assert_false(gvU_is_pseudonym("ps-0123456789ABCDEF0123456789abcdef"));
    assert_true(gvU_is_pseudonym("ps-0123456789abcdef0123456789abcdef"));
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(realisation),
        cmocka_unit_test(impact_and_present_value),
        cmocka_unit_test(sroi),
        cmocka_unit_test(ratio_rounding),
        cmocka_unit_test(sensitivity),
        cmocka_unit_test(money),
        cmocka_unit_test(identity_numbers),
        cmocka_unit_test(pseudonyms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
