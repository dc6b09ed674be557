/*
** gv_i18n.h -- the words and numbers of reports in bokmål, Danish and
** English.
*/
#ifndef GV_I18N_H
#define GV_I18N_H

typedef enum { GV_LANG_EN, GV_LANG_NB, GV_LANG_DA } gv_lang;

/* "en", "nb", "da"; -1 when unknown. */
int gvT_lang(const char *name, gv_lang *out);
/* The text of key (an English phrase or status word) in lang; the key
** itself when there is no translation. */
const char *gvT(gv_lang lang, const char *key);
/* v with `decimals` decimals as the language writes it: 1 234 567,8 in
** nb and da (a no-break space when html), 1,234,567.8 in en. */
void gvT_number(gv_lang lang, double v, int decimals, int html, char *out, int size);

/* A number already written plainly ("-1234.5") as the language writes it. */
void gvT_localize(gv_lang lang, const char *plain, int html, char *out, int size);

#endif
