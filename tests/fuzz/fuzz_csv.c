/*
** fuzz_csv.c -- CSV import: the first byte picks the kind, the rest is the
** file.  Any file is imported whole or refused with a message naming the
** file, never a crash, a leak or a database left locked.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/gv_base.h"
#include "fuzz_util.h"
#include "gevinst/gevinst.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const char *db = fz_case_db();
    int nkinds = 0;
    while (gevinst_import_kinds[nkinds])
        nkinds++;
    const char *kind = gevinst_import_kinds[data[0] % nkinds];
    const char *csv = fz_write("fuzz.csv", data + 1, size - 1);
    gevinst_import_result res;
    char *err = NULL;
    char source[64]; /* a source holds rows of one kind */
    snprintf(source, sizeof source, "fuzz-%s", kind);
    gevinst_status rc = gevinst_import_source(db, kind, csv, source, &res, &err);
    if (rc != GEVINST_STATUS_OK && rc != GEVINST_STATUS_BAD_DATA)
        fz_fail(gevinst_status_name(rc), err);
    if (rc != GEVINST_STATUS_OK && (!err || !strstr(err, "fuzz.csv")))
        fz_fail("a refusal that does not name the file", err);
    if (err && gvU_utf8_invalid(err, strlen(err)) >= 0) fz_fail("a message that is not UTF-8", err);
    free(err);
    gevinst_import_result_free(&res);
    return 0;
}
