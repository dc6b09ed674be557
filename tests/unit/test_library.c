/*
** test_library.c -- the standard indicator library: each indicator's
** formula on hand-computed data (the arithmetic is in the comments), and
** the C and Lua twins giving identical values.
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

#include "gevinst/gevinst.h"
#include "host/gv_host.h"
#include "test_util.h"

/* One case, "a", in Oslo, with data made for the formulas below. */
static int setup(void **state) {
    (void)state;
    const char *db = tu_empty_db();
    tu_import(db, "municipalities", "code,name,country\n0301,Oslo,NO\n");
    tu_import(db, "cases", "id,municipality,title\na,0301,Jobbkafé\nb,0301,Uten valuta\n");
    tu_import(db, "partners",
              "case,name,type\na,Kommune,municipality\na,Lag,civil_society\n"
              "a,Kafé AS,social_enterprise\nb,Kommune,municipality\n");
    tu_import(db, "inputs",
              "case,partner,period,kind,amount,currency\n"
              "a,Kommune,2017,cash,1000,NOK\na,Lag,2017,volunteer_hours,10,\n"
              "a,Kafé AS,2017,in_kind,200,NOK\na,Kommune,2018,cash,500,NOK\n"
              "a,Kafé AS,2018,in_kind,50,DKK\n");
    /* import refuses cash without a currency; an older database may hold it */
    tu_exec(db,
            "INSERT INTO inputs (case_id, partner, period, period_start, period_end, kind,"
            " amount) VALUES ('b', 'Kommune', '2017', '2017-01-01', '2017-12-31', 'cash', 100)");
    tu_import(db, "observations",
              "case,metric,period,value,subject\n"
              "a,participants,2017-Q1,10,\na,participants,2017-Q2,30,\na,participants,2018,50,\n"
              "a,jobs,2017-Q1,2,\na,jobs,2017-Q2,4,\n"
              "a,jobs,2000-01,36,\na,participants,2000-01,12,\n"
              "a,jobs,2001-01-01,20,\na,participants,2001-01-01,5,\n"
              "a,in_work,2017-Q1,0,s1\na,in_work,2017-Q3,1,s1\na,in_work,2017-Q2,0,s2\n"
              "a,in_work,2017-Q4,1,s3\na,in_work,2017-Q1,0,s4\na,in_work,2017-Q2,5,\n"
              "a,cost,2017,1200,\na,cost,2018-Q1,200,\na,cost,2018-Q2,250,\n"
              "a,wellbeing,2017-03-15,2,r1\na,wellbeing,2017-03-15,3,r2\n"
              "a,wellbeing,2017-03-15,4,r3\na,wellbeing,2018-03-15,4,r1\n"
              "a,wellbeing,2018-03-15,5,r2\na,wellbeing,2018-03-15,5,r3\n"
              "a,wellbeing,2018-03-15,3,r4\na,badscore,2017,7,r1\n");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    tu_cleanup();
    return 0;
}

#define OK GEVINST_OK
#define NODATA GEVINST_NODATA
#define ERROR GEVINST_ERROR

static void aggregates(void **state) {
    (void)state;
    const char *sum = "{ id = \"x\"; module = \"sum\"; params = { metric = \"participants\"; }; }";
    tu_check_value(sum, "a", "2017", OK, 40, NULL); /* 10 + 30 */
    tu_check_value("{ id = \"x\"; module = \"count\"; params = { metric = \"participants\"; }; }",
                   "a", "2017", OK, 2, NULL);
    tu_check_value("{ id = \"x\"; module = \"mean\"; params = { metric = \"participants\"; }; }",
                   "a", "2017", OK, 20, NULL); /* 40 / 2 */
    /* last: the latest observation in 2017 is 2017-Q2's 30 */
    tu_check_value("{ id = \"x\"; module = \"last\"; params = { metric = \"participants\"; }; }",
                   "a", "2017", OK, 30, NULL);
    tu_check_value("{ id = \"x\"; module = \"last\"; params = { metric = \"participants\"; }; }",
                   "a", "2019", NODATA, 0, NULL);
}

static void ratio(void **state) {
    (void)state;
    char ind[512];
#define RATIO(extra)                                                                               \
    (snprintf(ind, sizeof ind,                                                                     \
              "{ id = \"x\"; module = \"ratio\"; params = { numerator = \"jobs\"; "                \
              "denominator = \"participants\"; factor = 100; %s }; }",                             \
              extra),                                                                              \
     ind)
    tu_check_value(RATIO(""), "a", "2017", OK, 15, NULL); /* (2 + 4) / (10 + 30) x 100 */
    /* annualised: 2 / 10 x 100 x 365 / 90 */
    tu_check_value(RATIO("annualise = \"yes\";"), "a", "2017-Q1", OK, 2.0 / 10 * 100 * 365 / 90,
                   NULL);
    /* DHIS2's vectors (core_indicator_value_vectors.csv): 36 / 12 x 100 x 365 / 31 and
       20 / 5 x 100 x 365 / 1 */
    tu_check_value(RATIO("annualise = \"yes\";"), "a", "2000-01", OK,
                   36.0 / 12 * (100.0 * 365 / 31), NULL);
    tu_check_value(RATIO("annualise = \"yes\";"), "a", "2001-01-01", OK, 146000, NULL);
    /* 2018: jobs missing, participants 50 */
    tu_check_value(RATIO(""), "a", "2018", NODATA, 0, NULL);
    tu_check_value(RATIO("missing = \"skip_if_all_missing\";"), "a", "2018", OK, 0, NULL);
    tu_check_value(RATIO("missing = \"never_skip\";"), "a", "2018", OK, 0, NULL);
    /* 2019: both missing; never_skip gives 0 / 0, which is no value */
    tu_check_value(RATIO("missing = \"skip_if_all_missing\";"), "a", "2019", NODATA, 0, NULL);
    tu_check_value(RATIO("missing = \"never_skip\";"), "a", "2019", NODATA, 0, NULL);
}

static void change(void **state) {
    (void)state;
    const char *abs = "{ id = \"x\"; module = \"change\"; params = { metric = \"participants\"; "
                      "baseline = \"2017\"; }; }";
    const char *pct = "{ id = \"x\"; module = \"change\"; params = { metric = \"participants\"; "
                      "baseline = \"2017\"; mode = \"percent\"; }; }";
    tu_check_value(abs, "a", "2018", OK, 10, NULL); /* 50 - 40 */
    tu_check_value(pct, "a", "2018", OK, 25, NULL); /* 10 / 40 x 100 */
    tu_check_value(abs, "a", "2019", NODATA, 0, NULL);
}

static void share_reaching(void **state) {
    (void)state;
    /* subjects s1..s4 in 2017; s1 (max 1) and s3 (1) reach 1: 2 / 4; the
       row without a subject does not count */
    const char *ind =
        "{ id = \"x\"; module = \"share_reaching\"; params = { metric = \"in_work\"; }; }";
    tu_check_value(ind, "a", "2017", OK, 50, NULL);
    tu_check_value(ind, "a", "2017-Q1", OK, 0, NULL); /* s1 0, s4 0 */
    tu_check_value(ind, "a", "2018", NODATA, 0, NULL);
    tu_check_value("{ id = \"x\"; module = \"share_reaching\"; params = { metric = \"nope\"; }; }",
                   "a", "2017", ERROR, 0, "unknown metric 'nope'");
}

static void likert(void **state) {
    (void)state;
    const char *mean =
        "{ id = \"x\"; module = \"likert_mean\"; params = { metric = \"wellbeing\"; }; }";
    tu_check_value(mean, "a", "2017", OK, 3, NULL);    /* (2 + 3 + 4) / 3 */
    tu_check_value(mean, "a", "2018", OK, 4.25, NULL); /* (4 + 5 + 5 + 3) / 4 */
    tu_check_value("{ id = \"x\"; module = \"likert_mean\"; params = { metric = \"wellbeing\"; "
                   "compare_to = \"2017\"; }; }",
                   "a", "2018", OK, 1.25, NULL);
    tu_check_value("{ id = \"x\"; module = \"likert_mean\"; params = { metric = \"badscore\"; }; }",
                   "a", "2017", ERROR, 0, "badscore has scores outside the scale 1..5 (7..7)");
    const char *pos =
        "{ id = \"x\"; module = \"likert_share_positive\"; params = { metric = \"wellbeing\"; }; }";
    tu_check_value(pos, "a", "2017", OK, 100.0 * 1 / 3, NULL); /* only the 4 */
    tu_check_value(pos, "a", "2018", OK, 75, NULL);            /* 4, 5, 5 of 4 */
    tu_check_value(
        "{ id = \"x\"; module = \"likert_share_positive\"; params = { metric = \"wellbeing\"; "
        "compare_to = \"2017\"; }; }",
        "a", "2018", OK, 75 - 100.0 * 1 / 3, NULL);
    tu_check_value(pos, "a", "2019", NODATA, 0, NULL);
}

static void money(void **state) {
    (void)state;
    /* cost avoided: 1200 x 90 / 365 - 200 in 2018-Q1; 1200 - 450 in 2018 */
    const char *cost = "{ id = \"x\"; module = \"cost_avoided\"; params = { metric = \"cost\"; "
                       "baseline = \"2017\"; }; }";
    tu_check_value(cost, "a", "2018-Q1", OK, 1200.0 * 90 / 365 - 200, NULL);
    tu_check_value(cost, "a", "2018", OK, 750, NULL);
    tu_check_value(cost, "a", "2019", NODATA, 0, NULL);
    /* inputs: 1000 + 200 + 10 hours x 300 */
    const char *inputs = "{ id = \"x\"; module = \"inputs_total\"; params = { wage = 300; }; }";
    tu_check_value(inputs, "a", "2017", OK, 4200, NULL);
    tu_check_value(inputs, "a", "2018", ERROR, 0,
                   "inputs in both NOK and DKK; inputs_total adds one currency");
    tu_check_value(inputs, "a", "2019", NODATA, 0, NULL);
    tu_check_value(inputs, "b", "2017", ERROR, 0,
                   "cash inputs without a currency; give each its currency");
    tu_check_value(
        "{ id = \"x\"; module = \"inputs_total\"; params = { wage = 300; currency = \"DKK\"; }; }",
        "a", "2017", ERROR, 0, "inputs in NOK, but param currency asks for DKK");
}

static void partner_breadth(void **state) {
    (void)state;
    const char *types = "{ id = \"x\"; module = \"partner_breadth\"; }";
    tu_check_value(types, "a", "2017", OK, 3, NULL); /* all three put something in */
    tu_check_value(types, "a", "2018", OK, 2, NULL); /* Kommune and Kafé AS */
    tu_check_value(types, "a", "2019", OK, 0, NULL);
    tu_check_value("{ id = \"x\"; module = \"partner_breadth\"; params = { active = \"all\"; count "
                   "= \"partners\"; }; }",
                   "a", "2019", OK, 3, NULL);
}

/* The C and Lua twins give the same bits for every period. */
static void twins_agree(void **state) {
    (void)state;
    static const char *const specs[] = {
        "module = \"sum\"; params = { metric = \"participants\"; };",
        "module = \"mean\"; params = { metric = \"wellbeing\"; };",
        "module = \"ratio\"; params = { numerator = \"jobs\"; denominator = \"participants\"; "
        "factor = 100; annualise = \"yes\"; missing = \"skip_if_all_missing\"; };",
        "module = \"ratio\"; params = { numerator = \"jobs\"; denominator = \"participants\"; "
        "aggregate = \"mean\"; missing = \"never_skip\"; };",
    };
    static const char *const periods[] = {"2000-01", "2001-01-01", "2017", "2017-Q1",
                                          "2017-Q2", "2017-03",    "2018", "2019"};
    gv_source src;
    char *err = NULL;
    if (gvM_source_open(&src, tu_path("fixture.db"), &err) < 0) fail_msg("%s", err);
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        gv_module *m[2];
        gv_param_value *params[2];
        int nparams[2];
        for (int k = 0; k < 2; k++) {
            char ind[512];
            snprintf(ind, sizeof ind, "{ id = \"x\"; lang = \"%s\"; %s }", k ? "lua" : "c",
                     specs[s]);
            gevinst_config *cfg = tu_config_with(ind);
            if (gvM_load_here(&cfg->indicators[0], cfg, &m[k], &err) < 0) fail_msg("%s", err);
            assert_ptr_equal(m[k]->loader, k ? &gvL_scripts : &gvM_c_plugins);
            gv_diag diag = {0};
            assert_int_equal(
                gvM_bind_params(m[k], &cfg->indicators[0], &params[k], &nparams[k], &diag), 0);
            gevinst_config_free(cfg);
        }
        for (size_t p = 0; p < sizeof periods / sizeof periods[0]; p++) {
            gv_period period;
            gvP_parse(periods[p], &period);
            const char *fields[GV_CASE_NFIELDS] = {"a", "0301", "Jobbkafé", NULL, NULL, NULL, "NO"};
            double v[2] = {-1, -2};
            int rc[2];
            for (int k = 0; k < 2; k++) {
                gevinst_ctx ctx = {&src, fields, &period, params[k], nparams[k], 0, NAN, 0};
                char *e = NULL;
                rc[k] = gvM_evaluate(m[k], &ctx, &v[k], &e);
                free(e);
            }
            if (rc[0] != rc[1] || (rc[0] == OK && memcmp(&v[0], &v[1], sizeof v[0]) != 0))
                fail_msg("%s in %s: C gives %d/%.17g, Lua %d/%.17g", specs[s], periods[p], rc[0],
                         v[0], rc[1], v[1]);
        }
        for (int k = 0; k < 2; k++) {
            gvC_free_params(params[k], nparams[k]);
            gvM_free(m[k]);
        }
    }
    gvM_source_close(&src);
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(aggregates, setup, teardown),
        cmocka_unit_test_setup_teardown(ratio, setup, teardown),
        cmocka_unit_test_setup_teardown(change, setup, teardown),
        cmocka_unit_test_setup_teardown(share_reaching, setup, teardown),
        cmocka_unit_test_setup_teardown(likert, setup, teardown),
        cmocka_unit_test_setup_teardown(money, setup, teardown),
        cmocka_unit_test_setup_teardown(partner_breadth, setup, teardown),
        cmocka_unit_test_setup_teardown(twins_agree, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
