/*
** fuzz_period.c -- the period parser: any text is a period or not, and a
** period's own spelling reads back as the same period, holding its own
** days and no others.
*/
#include <stdlib.h>
#include <string.h>

#include "base/gv_base.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char text[64];
    if (size >= sizeof text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    gv_period p, again, next;
    if (gvP_parse(text, &p) < 0) return 0;
    if (gvP_parse(p.text, &again) < 0 || gvP_compare(&p, &again) != 0 ||
        strcmp(again.start, p.start) || strcmp(again.end, p.end))
        fz_fail("a period's own spelling is another period", text);
    if (strcmp(p.start, p.end) > 0 || gvP_days(&p) < 1 || gvP_days(&p) > 366)
        fz_fail("a period's days", text);
    if (gvP_day_of(p.end) - gvP_day_of(p.start) + 1 != gvP_days(&p))
        fz_fail("a period's length", text);
    if (gvP_holds(&p, p.start, p.end) != 1 || !gvP_contains(&p, &p))
        fz_fail("a period does not hold itself", text);
    gvP_advance(&p, 1, &next);
    if (gvP_compare(&next, &p) <= 0 || gvP_holds(&p, next.start, next.end))
        fz_fail("the next period", text);
    /* periods are of years 1000-9999: the one after 9999's last is none */
    if (next.year <= 9999 && gvP_day_of(next.start) != gvP_day_of(p.end) + 1)
        fz_fail("a gap after a period", text);
    return 0;
}
