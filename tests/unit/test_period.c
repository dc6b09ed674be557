/*
** test_period.c -- reporting periods: parsing, ranges, containment.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/gv_base.h"
#include "test_util.h"

static void parses_every_form(void **state) {
    (void)state;
    gv_period p;
    assert_int_equal(gvP_parse("2017", &p), 0);
    assert_int_equal(p.kind, GV_YEAR);
    assert_string_equal(p.start, "2017-01-01");
    assert_string_equal(p.end, "2017-12-31");

    assert_int_equal(gvP_parse("2017-Q3", &p), 0);
    assert_int_equal(p.kind, GV_QUARTER);
    assert_string_equal(p.start, "2017-07-01");
    assert_string_equal(p.end, "2017-09-30");

    assert_int_equal(gvP_parse("2016-02", &p), 0);
    assert_string_equal(p.end, "2016-02-29"); /* leap year */
    assert_int_equal(gvP_parse("1900-02", &p), 0);
    assert_string_equal(p.end, "1900-02-28"); /* century, not leap */
    assert_int_equal(gvP_parse("2000-02", &p), 0);
    assert_string_equal(p.end, "2000-02-29");

    assert_int_equal(gvP_parse("2017-09-15", &p), 0);
    assert_int_equal(p.kind, GV_DAY);
    assert_string_equal(p.start, "2017-09-15");
    assert_string_equal(p.end, "2017-09-15");
    assert_string_equal(p.text, "2017-09-15");
}

static void rejects_what_is_no_period(void **state) {
    (void)state;
    gv_period p;
    const char *bad[] = {"",         "17",         "2017-Q0",       "2017-Q5",  "2017-13",
                         "2017-00",  "2017-02-30", "2017-04-31",    "2017-9-1", "2017-q3",
                         "2017-Q3 ", " 2017",      "2017-09-15T00", "abcd",     "0999",
                         "2017/09",  "2019-02-29"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (gvP_parse(bad[i], &p) != -1) fail_msg("'%s' parsed as a period", bad[i]);
    }
}

static void an_observation_counts_in_every_coarser_period(void **state) {
    (void)state;
    gv_period day, month, quarter, year, q4, other_year;
    gvP_parse("2017-09-15", &day);
    gvP_parse("2017-09", &month);
    gvP_parse("2017-Q3", &quarter);
    gvP_parse("2017", &year);
    gvP_parse("2017-Q4", &q4);
    gvP_parse("2018", &other_year);
    assert_true(gvP_contains(&month, &day));
    assert_true(gvP_contains(&quarter, &day));
    assert_true(gvP_contains(&year, &day));
    assert_true(gvP_contains(&year, &quarter));
    assert_true(gvP_contains(&day, &day));
    assert_false(gvP_contains(&q4, &day));
    assert_false(gvP_contains(&other_year, &day));
    /* a coarser figure never counts in a finer period */
    assert_false(gvP_contains(&quarter, &year));
}

static void advances_by_steps(void **state) {
    (void)state;
    gv_period p, q;
    gvP_parse("2017-Q4", &p);
    gvP_advance(&p, 1, &q);
    assert_string_equal(q.text, "2018-Q1");
    gvP_advance(&p, -4, &q);
    assert_string_equal(q.text, "2016-Q4");
    gvP_parse("2017-11", &p);
    gvP_advance(&p, 3, &q);
    assert_string_equal(q.text, "2018-02");
    gvP_parse("2016-02-28", &p);
    gvP_advance(&p, 1, &q);
    assert_string_equal(q.text, "2016-02-29");
    gvP_advance(&p, 2, &q);
    assert_string_equal(q.text, "2016-03-01");
    gvP_parse("2017-12-31", &p);
    gvP_advance(&p, 1, &q);
    assert_string_equal(q.text, "2018-01-01");
    gvP_advance(&p, 366, &q);
    assert_string_equal(q.text, "2019-01-01");
    gvP_parse("2017", &p);
    gvP_advance(&p, 2, &q);
    assert_string_equal(q.text, "2019");
}

static void counts_days(void **state) {
    (void)state;
    gv_period p;
    gvP_parse("2016", &p);
    assert_int_equal(gvP_days(&p), 366);
    gvP_parse("2017", &p);
    assert_int_equal(gvP_days(&p), 365);
    gvP_parse("2017-Q1", &p);
    assert_int_equal(gvP_days(&p), 90);
    gvP_parse("2016-Q1", &p);
    assert_int_equal(gvP_days(&p), 91);
    gvP_parse("2017-Q3", &p);
    assert_int_equal(gvP_days(&p), 92);
    gvP_parse("2017-02", &p);
    assert_int_equal(gvP_days(&p), 28);
    gvP_parse("2017-02-03", &p);
    assert_int_equal(gvP_days(&p), 1);
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_form),
        cmocka_unit_test(rejects_what_is_no_period),
        cmocka_unit_test(an_observation_counts_in_every_coarser_period),
        cmocka_unit_test(advances_by_steps),
        cmocka_unit_test(counts_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
