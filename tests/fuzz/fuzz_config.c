/*
** fuzz_config.c -- loading a config: any text is a config or a list of
** problems, each a line of valid UTF-8 (messages reach JSON), never a
** crash, a leak or a hang.
*/
#include <stdlib.h>
#include <string.h>

#include "base/gv_base.h"
#include "fuzz_util.h"
#include "gevinst/gevinst.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fz_write("fuzz.cfg", data, size);
    gevinst_diag diag = {0};
    gevinst_config *cfg = gevinst_config_load(path, &diag);
    if (!cfg && diag.n == 0) fz_fail("a config refused without a reason", NULL);
    if (cfg && diag.n > 0) fz_fail("a config loaded with problems", diag.msg[0]);
    for (int i = 0; i < diag.n; i++)
        if (gvU_utf8_invalid(diag.msg[i], strlen(diag.msg[i])) >= 0)
            fz_fail("a message that is not UTF-8", diag.msg[i]);
    gevinst_diag_free(&diag);
    gevinst_config_free(cfg);
    return 0;
}
