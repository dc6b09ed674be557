/*
** fuzz_util.h -- what the fuzz targets share: a folder of their own and
** files written into it.
*/
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A temporary folder for this process, made on first use. */
const char *fz_dir(void);
/* The path of name in it (a static buffer, one of 4 in turn). */
const char *fz_path(const char *name);
/* Write size bytes to name in the folder; its path. */
const char *fz_write(const char *name, const void *data, size_t size);
/* Abort with a message: what a fuzzer reports as a finding. */
void fz_fail(const char *what, const char *detail);
/* A case database with a municipality (0301), two cases (c1, c2), a
** partner and observations of metric m in c1, at fz_path("cases.db"). */
const char *fz_case_db(void);

#endif
