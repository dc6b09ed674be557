/*
** test_period.c -- reporting periods: parsing, ranges, containment; and
** dates and times written out as each language writes them.
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

static void writes_dates_out(void **state) {
    (void)state;
    char out[96];
    gvT_date(GV_LANG_NB, "2019-12-31", out, sizeof out);
    assert_string_equal(out, "31. desember 2019");
    gvT_date(GV_LANG_DA, "2017-05-01", out, sizeof out);
    assert_string_equal(out, "1. maj 2017");
    gvT_date(GV_LANG_EN, "2017-01-01", out, sizeof out);
    assert_string_equal(out, "1 January 2017");
    /* a time stored in UTC says so; the Nordic languages write kl. 20.21 */
    gvT_date(GV_LANG_NB, "2026-11-30T20:21:54.050Z", out, sizeof out);
    assert_string_equal(out, "30. november 2026 kl. 20.21 UTC");
    gvT_date(GV_LANG_EN, "2026-11-30T20:21:54.050Z", out, sizeof out);
    assert_string_equal(out, "30 November 2026, 20:21 UTC");
    gvT_date(GV_LANG_DA, "2026-03-02 09:14:03", out, sizeof out);
    assert_string_equal(out, "2. marts 2026 kl. 09.14");
    /* what is no date stays as it is */
    gvT_date(GV_LANG_NB, "2019-13-01", out, sizeof out);
    assert_string_equal(out, "2019-13-01");
    gvT_date(GV_LANG_NB, "", out, sizeof out);
    assert_string_equal(out, "");
    gvT_date(GV_LANG_NB, "2019", out, sizeof out);
    assert_string_equal(out, "2019");
    /* a buffer too small is cut, not overrun */
    char small[8];
    gvT_date(GV_LANG_NB, "2026-11-30T20:21:54Z", small, sizeof small);
    assert_string_equal(small, "30. nov");
}

int main(int argc, char **argv) {
    tu_filter(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_form),
        cmocka_unit_test(rejects_what_is_no_period),
        cmocka_unit_test(an_observation_counts_in_every_coarser_period),
        cmocka_unit_test(advances_by_steps),
        cmocka_unit_test(counts_days),
        cmocka_unit_test(writes_dates_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
