/*
** gv_i18n.c -- the words and numbers of reports (see gv_i18n.h).  The
** wording is what a municipal analyst in each country writes, not a
** word-for-word translation.
*/
#include "gv_base.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const gvT_words[][3] = {
    /* key (en)                         nb                                  da */
    {"achieved", "nådd", "nået"},
    {"on_track", "i rute", "følger planen"},
    {"behind", "bak planen", "bagud"},
    {"missed", "ikke nådd", "ikke nået"},
    {"no_data", "ingen data", "ingen data"},
    {"incomplete", "ufullstendig", "ufuldstændig"},
    {"data cover", "data dekker", "data dækker"},
    {"Left out of SROI: a later period whose data cover only part of it",
     "Holdt utenfor SROI: en senere periode der data dekker bare en del av den",
     "Holdt uden for SROI: en senere periode, hvor data kun dækker en del af den"},
    {"partial", "delvis", "delvis"},
    {"Status", "Status", "Status"},
    {"error", "feil", "fejl"},
    {"ok", "ok", "ok"},
    {"Benefits realisation report", "Gevinstrealiseringsrapport", "Gevinstrealiseringsrapport"},
    {"Synthetic data", "Syntetiske data", "Syntetiske data"},
    {"Case", "Sak", "Sag"},
    {"Municipality", "Kommune", "Kommune"},
    {"Period", "Periode", "Periode"},
    {"Partners", "Partnere", "Partnere"},
    {"Investment", "Investering", "Investering"},
    {"Gains against the plan", "Gevinster mot planen", "Gevinster i forhold til planen"},
    {"Gain", "Gevinst", "Gevinst"},
    {"Change", "Endring", "Ændring"},
    {"imported", "importert", "importeret"},
    {"removed", "fjernet", "fjernet"},
    {"Changed since this run", "Endret etter denne kjøringen", "Ændret efter denne kørsel"},
    {"The case summaries show the tables as they are now. These sources were imported or removed "
     "after the run, so a summary may differ from what the run read:",
     "Sammendragene av sakene viser tabellene slik de er nå. Disse kildene ble importert eller "
     "fjernet etter kjøringen, så et sammendrag kan avvike fra det kjøringen leste:",
     "Sagsoversigterne viser tabellerne, som de er nu. Disse kilder blev importeret eller "
     "fjernet efter kørslen, så en oversigt kan afvige fra det, kørslen læste:"},
    {"Source", "Kilde", "Kilde"},
    {"When", "Når", "Hvornår"},
    {"Data", "Data", "Data"},
    {"File", "Fil", "Fil"},
    {"Imported", "Importert", "Importeret"},
    {"Baseline", "Nullpunkt", "Udgangspunkt"},
    {"Target", "Mål", "Mål"},
    {"Actual", "Målt", "Målt"},
    {"Realised", "Realisert", "Realiseret"},
    {"Expected", "Forventet", "Forventet"},
    {"Status", "Status", "Status"},
    {"Owner", "Gevinsteier", "Gevinstejer"},
    {"Realisation over time", "Realisering over tid", "Realisering over tid"},
    {"Value by beneficiary", "Verdi etter mottaker", "Værdi fordelt på modtager"},
    {"Social return on investment", "Samfunnsøkonomisk avkastning (SROI)",
     "Socialt afkast af investeringen (SROI)"},
    {"Present value", "Nåverdi", "Nutidsværdi"},
    {"Net present value", "Netto nåverdi", "Nettonutidsværdi"},
    {"Payback", "Tilbakebetalingstid", "Tilbagebetalingstid"},
    {"months", "måneder", "måneder"},
    {"never", "aldri", "aldrig"},
    {"hidden", "skjult", "skjult"},
    {"hidden (privacy), not drawn", "skjult (personvern), ikke tegnet",
     "skjult (databeskyttelse), ikke tegnet"},
    {"no bar: the realisation is hidden (privacy)",
     "ingen søyle: realiseringen er skjult (personvern)",
     "ingen søjle: realiseringen er skjult (databeskyttelse)"},
    {"hidden: fewer than", "skjult: færre enn", "skjult: færre end"},
    {"persons, or a figure such a count could be computed from (privacy)",
     "personer, eller et tall et slikt antall kunne regnes ut fra (personvern)",
     "personer, eller et tal et sådant antal kunne regnes ud fra (databeskyttelse)"},
    {"not for publication: small counts of persons are shown (--no-suppress)",
     "ikke for publisering: små antall personer vises (--no-suppress)",
     "ikke til offentliggørelse: små antal personer vises (--no-suppress)"},
    {"Sensitivity", "Følsomhet", "Følsomhed"},
    {"Comparison across cases", "Sammenligning av sakene", "Sammenligning af sagerne"},
    {"Conversions used", "Brukte omregninger", "Anvendte omregninger"},
    {"Provenance of every number", "Hvor hvert tall kommer fra", "Hvor hvert tal kommer fra"},
    {"Run", "Kjøring", "Kørsel"},
    {"Indicator", "Indikator", "Indikator"},
    {"Module", "Modul", "Modul"},
    {"Version", "Versjon", "Version"},
    {"Config", "Konfigurasjon", "Konfiguration"},
    {"Value", "Verdi", "Værdi"},
    {"Unit", "Enhet", "Enhed"},
    {"Totals per country", "Totalt per land", "I alt pr. land"},
    {"Pessimistic", "Pessimistisk", "Pessimistisk"},
    {"Optimistic", "Optimistisk", "Optimistisk"},
    {"deadweight", "dødvekt", "dødvægt"},
    {"attribution", "tilskrivning", "tilskrivning"},
    {"displacement", "fortrengning", "fortrængning"},
    {"drop_off", "avtagende effekt", "aftagende effekt"},
    {"duration", "varighet", "varighed"},
    {"proxy", "verdsetting", "værdisætning"},
    {"discount_rate", "diskonteringsrente", "diskonteringsrente"},
    {"municipality", "kommunen", "kommunen"},
    {"county", "fylkeskommune", "region"},
    {"state", "staten", "staten"},
    {"citizens", "innbyggere", "borgere"},
    {"civil_society", "sivilsamfunn", "civilsamfund"},
    {"social_enterprise", "sosial entreprenør", "socialøkonomisk virksomhed"},
    {"business", "næringsliv", "erhvervsliv"},
    {"research", "forskning", "forskning"},
    {"economic", "økonomisk", "økonomisk"},
    {"time", "tid", "tid"},
    {"quality", "kvalitet", "kvalitet"},
    {"other_actors", "andre aktører", "andre aktører"},
    {"rounded", "avrundet", "afrundet"},
    {"shown in", "vist i", "vist i"},
    {"prices", "priser", "priser"},
    {"Currency", "Valuta", "Valuta"},
    {"Price year", "Prisår", "Prisår"},
    {"Rate", "Kurs", "Kurs"},
    {"Index then", "KPI da", "Indeks dengang"},
    {"Index now", "KPI nå", "Indeks nu"},
    {"Factor", "Faktor", "Faktor"},
    /* the workbook (gv_xlsx.c): its sheets, headings and notes */
    {"Summary", "Oversikt", "Oversigt"},
    {"Indicators", "Indikatorer", "Indikatorer"},
    {"Gains", "Gevinster", "Gevinster"},
    {"Conversions", "Omregninger", "Omregninger"},
    {"Provenance", "Opphav", "Oprindelse"},
    {"Label", "Merking", "Mærkning"},
    {"Started (UTC)", "Startet (UTC)", "Startet (UTC)"},
    {"Finished (UTC)", "Ferdig (UTC)", "Færdig (UTC)"},
    {"Engine version", "gevinst-versjon", "gevinst-version"},
    {"Config sha256", "Konfigurasjon sha256", "Konfiguration sha256"},
    {"Cases", "Saker", "Sager"},
    {"Error", "Feil", "Fejl"},
    {"Data cover", "Datadekning", "Datadækning"},
    {"Type", "Type", "Type"},
    {"Beneficiary", "Mottaker", "Modtager"},
    {"Baseline period", "Nullpunktsperiode", "Udgangsperiode"},
    {"Target period", "Målperiode", "Målperiode"},
    {"Expected share", "Forventet andel", "Forventet andel"},
    {"Deviation", "Avvik", "Afvigelse"},
    {"Country", "Land", "Land"},
    {"Impact in year 1", "Effekt år 1", "Effekt år 1"},
    {"SROI rounded", "SROI avrundet", "SROI afrundet"},
    {"SROI net", "SROI netto", "SROI netto"},
    {"Payback in months", "Tilbakebetalingstid (måneder)", "Tilbagebetalingstid (måneder)"},
    {"SROI pessimistic", "SROI pessimistisk", "SROI pessimistisk"},
    {"SROI likely", "SROI sannsynlig", "SROI sandsynlig"},
    {"SROI optimistic", "SROI optimistisk", "SROI optimistisk"},
    {"Kind", "Type", "Type"},
    {"Discount rate", "Diskonteringsrente", "Diskonteringsrente"},
    {"Params", "Parametre", "Parametre"},
    {"Rows", "Rader", "Rækker"},
    {"Hidden by rule", "Skjult etter regel", "Skjult efter regel"},
    {"Figures that count fewer than %g persons, or are made from such a count, are hidden",
     "Tall som teller færre enn %g personer, eller er laget av et slikt tall, er skjult",
     "Tal, der tæller færre end %g personer, eller er dannet af et sådant tal, er skjult"},
    {"SROI rounded: from 1 up to whole numbers, below 1 to one decimal, halves away from zero",
     "SROI avrundet: fra 1 og opp til hele tall, under 1 til én desimal, halvdeler rundes bort fra "
     "null",
     "SROI afrundet: fra 1 og op til hele tal, under 1 til én decimal, halve rundes væk fra nul"},
    {"net", "netto", "netto"},
    {"payback", "tilbakebet.", "tilbagebet."},
    {"mo", "mnd", "mdr"},
    {"pess. / opt.", "pess. / opt.", "pess. / opt."},
    {"not computed", "ikke beregnet", "ikke beregnet"},
    {"Sensitivity of SROI, one assumption at a time (low / high: the factor applied to each "
     "gain's value; for the discount rate, the rate)",
     "Følsomhetsanalyse av SROI, én forutsetning om gangen (lav / høy: faktoren på hver gevinsts "
     "verdi; for diskonteringsrenten selve renten)",
     "SROI's følsomhed, én forudsætning ad gangen (lav / høj: faktoren på hver gevinsts værdi; "
     "for diskonteringsrenten selve renten)"},
    {"assumption", "forutsetning", "forudsætning"},
    {"low", "lav", "lav"},
    {"high", "høy", "høj"},
    {"1:1 at", "1:1 ved", "1:1 ved"},
    {"Totals per country (cases whose value could be computed)",
     "Totalt per land (saker der verdien kunne beregnes)",
     "I alt pr. land (sager hvor værdien kunne beregnes)"},
    {"country", "land", "land"},
    {"cases", "saker", "sager"},
    {"amount x rate x index now / index then", "beløp x kurs x KPI nå / KPI da",
     "beløb x kurs x indeks nu / indeks dengang"},
    {"indicator", "indikator", "indikator"},
    {"Results", "Resultater", "Resultater"},
    {"Indicators", "Indikatorer", "Indikatorer"},
    {"Trend", "Utvikling", "Udvikling"},
    {"persons", "personer", "personer"},
    {"hours", "timer", "timer"},
    {"count", "antall", "antal"},
    {"years", "år", "år"},
    {"Small figure after a value: the share of its period the data cover.",
     "Lite tall etter en verdi: hvor stor del av perioden dataene dekker.",
     "Lille tal efter en værdi: hvor stor en del af perioden data dækker."},
    {"bar: realised so far", "stolpe: realisert så langt", "bjælke: realiseret indtil nu"},
    {"expected by now", "forventet nå", "forventet nu"},
    {"target", "mål", "mål"},
    {"ratio from the low to the high value", "SROI fra lav til høy verdi",
     "SROI fra lav til høj værdi"},
    {"the case's SROI", "sakens SROI", "sagens SROI"},
    {"1:1, the value repays the investment", "1:1, verdien betaler investeringen tilbake",
     "1:1, værdien tilbagebetaler investeringen"},
    {"SROI by case; the dashed line is 1:1", "SROI per sak; den stiplede linjen er 1:1",
     "SROI pr. sag; den stiplede linje er 1:1"},
    {"converted from", "omregnet fra", "omregnet fra"},
    {"Overview", "Oversikt", "Oversigt"},
    {"Totals", "Totalt", "I alt"},
    {"with a value", "med verdi", "med værdi"},
    {"SROI of all together", "SROI for alle samlet", "SROI for alle samlet"},
    {"Distribution of SROI", "Fordeling av SROI", "Fordeling af SROI"},
    {"Best by SROI", "Best etter SROI", "Bedst efter SROI"},
    {"Weakest by SROI", "Svakest etter SROI", "Svagest efter SROI"},
    {"Gains by status (latest period)", "Gevinster etter status (siste periode)",
     "Gevinster efter status (seneste periode)"},
    {"Municipalities (click a heading to sort)", "Kommuner (klikk på en overskrift for å sortere)",
     "Kommuner (klik på en overskrift for at sortere)"},
    {"gains", "gevinster", "gevinster"},
    {"One case at a time: gevinst report --case ID; the cases of one municipality: "
     "--municipality CODE.",
     "Én sak om gangen: gevinst report --case ID; sakene i én kommune: --municipality KODE.",
     "Én sag ad gangen: gevinst report --case ID; sagerne i én kommune: --municipality KODE."},
};

int gvT_lang(const char *name, gv_lang *out) {
    if (strcmp(name, "en") == 0)
        *out = GV_LANG_EN;
    else if (strcmp(name, "nb") == 0)
        *out = GV_LANG_NB;
    else if (strcmp(name, "da") == 0)
        *out = GV_LANG_DA;
    else
        return -1;
    return 0;
}

/* The keys that are written with spaces in English. */
static const char *const gvT_spaced[][2] = {
    {"on_track", "on track"},           {"no_data", "no data"},
    {"drop_off", "drop off"},           {"discount_rate", "discount rate"},
    {"civil_society", "civil society"}, {"social_enterprise", "social enterprise"},
    {"other_actors", "other actors"},
};

const char *gvT(gv_lang lang, const char *key) {
    if (!key) return key;
    for (size_t i = 0; i < sizeof gvT_words / sizeof gvT_words[0]; i++) {
        if (strcmp(gvT_words[i][0], key) != 0) continue;
        if (lang != GV_LANG_EN) return gvT_words[i][lang];
        /* English words are their keys, but with spaces: "on track" */
        for (size_t k = 0; k < sizeof gvT_spaced / sizeof gvT_spaced[0]; k++)
            if (strcmp(gvT_spaced[k][0], key) == 0) return gvT_spaced[k][1];
        return key;
    }
    return key;
}

static const char *const gvT_months[][3] = {
    {"January", "januar", "januar"},
    {"February", "februar", "februar"},
    {"March", "mars", "marts"},
    {"April", "april", "april"},
    {"May", "mai", "maj"},
    {"June", "juni", "juni"},
    {"July", "juli", "juli"},
    {"August", "august", "august"},
    {"September", "september", "september"},
    {"October", "oktober", "oktober"},
    {"November", "november", "november"},
    {"December", "desember", "december"},
};

void gvT_date(gv_lang lang, const char *iso, char *out, int size) {
    int y, m, d, hh, mm, n = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || m < 1 || m > 12) {
        snprintf(out, (size_t)size, "%s", iso ? iso : "");
        return;
    }
    const char *month = gvT_months[m - 1][lang];
    int w = lang == GV_LANG_EN ? snprintf(out, (size_t)size, "%d %s %d", d, month, y)
                               : snprintf(out, (size_t)size, "%d. %s %d", d, month, y);
    if (w < 0 || w >= size || (iso[10] != 'T' && iso[10] != ' ') ||
        sscanf(iso + 11, "%2d:%2d", &hh, &mm) != 2)
        return;
    /* a time stored in UTC (ISO 8601 with Z) says so */
    const char *zone = strchr(iso, 'Z') ? " UTC" : "";
    if (lang == GV_LANG_EN)
        snprintf(out + w, (size_t)(size - w), ", %02d:%02d%s", hh, mm, zone);
    else /* the Nordic time mark: kl. 20.21 */
        snprintf(out + w, (size_t)(size - w), " kl. %02d.%02d%s", hh, mm, zone);
}

void gvT_localize(gv_lang lang, const char *plain, int html, char *out, int size) {
    const char *group = lang == GV_LANG_EN ? "," : html ? "&#160;" : " ";
    const char *point = lang == GV_LANG_EN ? "." : ",";
    const char *dot = strchr(plain, '.');
    if (strpbrk(plain, "eE") || !strpbrk(plain, "0123456789")) { /* 1e+20, -, nan: as they are */
        snprintf(out, (size_t)size, "%s", plain);
        return;
    }
    int whole = dot ? (int)(dot - plain) : (int)strlen(plain);
    int neg = plain[0] == '-';
    int n = 0;
    for (int i = 0; i < whole && n < size - 8; i++) {
        if (i > neg && (whole - i) % 3 == 0)
            n += snprintf(out + n, (size_t)(size - n), "%s", group);
        out[n++] = plain[i];
    }
    out[n] = '\0';
    if (dot && n < size - 2) snprintf(out + n, (size_t)(size - n), "%s%s", point, dot + 1);
}

void gvT_number(gv_lang lang, double v, int decimals, int html, char *out, int size) {
    char digits[400];
    if (!isfinite(v)) {
        snprintf(out, (size_t)size, "-");
        return;
    }
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(v) < 0.5 * pow(10, -decimals) ? 0 : v);
    gvT_localize(lang, digits, html, out, size);
}
