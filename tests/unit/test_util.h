/*
** test_util.h -- fixtures shared by the unit tests.
*/
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "config/gv_config.h"
#include "gevinst/gevinst.h"

/* A fresh temporary folder for one test, removed by tu_cleanup(). */
const char *tu_tmpdir(void);
void tu_cleanup(void);
/* Path in the temporary folder (static buffer, rotated 8 ways). */
const char *tu_path(const char *name);
/* Write text to a file in the temporary folder; returns its path. */
const char *tu_write(const char *name, const char *text);
/* A database with the schema and a small fixed data set:
** municipality 0301 Oslo (NO), cases c1 and c2, observations of metric
** m in c1: 2017-Q1 = 10, 2017-Q2 = 20, 2017-09-15 = 5, 2018 = 7. */
const char *tu_fixture_db(void);
/* An empty database at the fixture's path, and import into it (failing
** the test on error). */
const char *tu_empty_db(void);
void tu_import(const char *db, const char *kind, const char *csv);
/* Result of a single-value SQL query on db, as text (static buffer). */
const char *tu_sql(const char *db, const char *sql);
/* Run SQL that changes db, or fail the test. */
void tu_exec(const char *db, const char *sql);
/* Where the tests find gevinst: GEVINST (the command), GEVINST_SOURCE,
** GEVINST_TEST_PLUGINS, GEVINST_BUILD_PLUGINS, GEVINST_BUILD.  From the
** environment when set, else found from this binary's place in the build
** tree, so a test binary runs on its own. */
const char *tu_env(const char *name);
/* `test_x NAME` runs only the test case NAME (cmocka's filter, * and ?
** allowed). */
void tu_filter(int argc, char **argv);
/* Problems a load found, on stderr. */
void tu_print_diag(const gevinst_diag *d);

/* A config (in the temporary folder) with the one indicator given, whose
** module_path holds the test plugins and the temporary folder. */
gv_config *tu_config_with(const char *indicator);
/* Load the config's only indicator, in this process and in a child;
** expect failure with a message containing msg both ways. */
void tu_expect_load_error(const char *indicator, const char *msg);
/* Evaluate the only indicator in this process for one case and period of
** the fixture; expect the status, the exact value (for GEVINST_OK) and an
** error containing msg (when msg is given). */
void tu_check_value(const char *indicator, const char *case_id, const char *period, int status,
                    double expected, const char *msg);

#endif
