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
    {"Realised %", "Realisert %", "Realiseret %"},
    {"Expected %", "Forventet %", "Forventet %"},
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
    /* explain (gv_explain.c): how one number was made */
    {"%s (%s to %s)", "%s (%s til %s)", "%s (%s til %s)"},
    {"subject", "person", "person"},
    {"source", "kilde", "kilde"},
    {"  observations of '%s' in ", "  observasjoner av '%s' i ", "  observationer af '%s' i "},
    {" (the rows' values are hidden: some are, or give back, small counts of persons)",
     " (radenes verdier er skjult: noen er, eller gir tilbake, små antall personer)",
     " (rækkernes værdier er skjult: nogle er, eller giver tilbage, små antal personer)"},
    {"  it read %s of '%s' in %s\n", "  den leste %s av '%s' i %s\n",
     "  det læste %s af '%s' i %s\n"},
    {"  it asked the database: %s\n", "  den spurte databasen: %s\n",
     "  det spurgte databasen: %s\n"},
    {"  (the rows a query gave are not listed)\n", "  (radene en spørring ga, er ikke listet)\n",
     "  (de rækker, en forespørgsel gav, er ikke vist)\n"},
    {"  it read no observations through gevinst\n",
     "  den leste ingen observasjoner gjennom gevinst\n",
     "  det læste ingen observationer gennem gevinst\n"},
    {"  (it read more than gevinst keeps a record of: %d things in a run, each at most %d bytes)\n",
     "  (den leste mer enn gevinst fører opp: %d ting i en kjøring, hver på høyst %d byte)\n",
     "  (det læste mere, end gevinst registrerer: %d ting i en kørsel, hver på højst %d byte)\n"},
    {"mean", "gjennomsnitt", "gennemsnit"},
    {"min", "minste", "mindste"},
    {"max", "største", "største"},
    {"last", "siste", "seneste"},
    {"subjects", "personer", "personer"},
    {"sum", "sum", "sum"},
    {"and", "og", "og"},
    {"more", "til", "mere"},
    {"numerator", "teller", "tæller"},
    {"denominator", "nevner", "nævner"},
    {"the number of persons (distinct subjects) in", "antall personer (ulike personer) i",
     "antal personer (forskellige personer) i"},
    {"the sum of", "summen av", "summen af"},
    {"%s the case's observations of '%s' in %s\n", "%s sakens observasjoner av '%s' i %s\n",
     "%s sagens observationer af '%s' i %s\n"},
    {"%s of the case's observations of '%s' in %s\n", "%s av sakens observasjoner av '%s' i %s\n",
     "%s af sagens observationer af '%s' i %s\n"},
    {"indicator %s of this run, for this case and period\n",
     "indikator %s i denne kjøringen, for denne saken og perioden\n",
     "indikator %s i denne kørsel, for denne sag og periode\n"},
    {"the days in %s\n", "dagene i %s\n", "dagene i %s\n"},
    {"a constant of the config (constants = { ... })\n",
     "en konstant i konfigurasjonen (constants = { ... })\n",
     "en konstant i konfigurationen (constants = { ... })\n"},
    {"column %d)\n", "kolonne %d)\n", "kolonne %d)\n"},
    {"null (no value)", "null (ingen verdi)", "null (ingen værdi)"},
    {"  missing values: %s\n", "  manglende verdier: %s\n", "  manglende værdier: %s\n"},
    {"  value = numerator / denominator x %s", "  verdi = teller / nevner x %s",
     "  værdi = tæller / nævner x %s"},
    {" x 365 / days", " x 365 / dager", " x 365 / dage"},
    {": the denominator is 0, so no value\n", ": nevneren er 0, så ingen verdi\n",
     ": nævneren er 0, så ingen værdi\n"},
    {"(a small count of persons, made from one, or one could be computed from it: --no-suppress "
     "shows it)",
     "(et lite antall personer, laget av et slikt, eller et slikt kunne regnes ut fra det: "
     "--no-suppress viser det)",
     "(et lille antal personer, dannet af et sådant, eller et sådant kunne regnes ud fra det: "
     "--no-suppress viser det)"},
    {"  partial: %s (the least of what it read)\n", "  delvis: %s (det minste av det den leste)\n",
     "  delvis: %s (det mindste af det, det læste)\n"},
    {"%s for case %s in %s: ", "%s for sak %s i %s: ", "%s for sag %s i %s: "},
    {"  made by module %s (%s, version %s), %s\n", "  laget av modulen %s (%s, versjon %s), %s\n",
     "  dannet af modulet %s (%s, version %s), %s\n"},
    {"not given", "ikke oppgitt", "ikke angivet"},
    {"in a child process", "i en egen prosess", "i en separat proces"},
    {"in the gevinst process", "i gevinst-prosessen", "i gevinst-processen"},
    {"C plugin", "C-tillegg", "C-udvidelse"},
    {"Lua script", "Lua-skript", "Lua-script"},
    {"formula", "formel", "formel"},
    {"module", "modul", "modul"},
    {"  file %s\n  sha256 %s\n  params %s\n", "  fil %s\n  sha256 %s\n  parametre %s\n",
     "  fil %s\n  sha256 %s\n  parametre %s\n"},
    {"realisation", "realisering", "realisering"},
    {"actual", "målt", "målt"},
    {"change", "endring", "ændring"},
    {"(actual - baseline) / (target - baseline) x 100",
     "(målt - nullpunkt) / (mål - nullpunkt) x 100",
     "(målt - udgangspunkt) / (mål - udgangspunkt) x 100"},
    {"expected by now (straight line from the end of the baseline period to the end of the target "
     "period)",
     "forventet nå (rett linje fra slutten av nullpunktperioden til slutten av målperioden)",
     "forventet nu (ret linje fra slutningen af udgangsperioden til slutningen af målperioden)"},
    {"that is", "det vil si", "det vil sige"},
    {"deviation", "avvik", "afvigelse"},
    {"  valued with the quantity of %s (%s): ", "  verdsatt med mengden i %s (%s): ",
     "  værdisat med mængden i %s (%s): "},
    {"in year 1", "i år 1", "i år 1"},
    {"present value", "nåverdi", "nutidsværdi"},
    {": incomplete, so not compared with the plan nor valued (allow_partial in the config judges "
     "it anyway)\n",
     ": ufullstendig, så verken sammenlignet med planen eller verdsatt (allow_partial i "
     "konfigurasjonen vurderer den likevel)\n",
     ": ufuldstændig, så hverken sammenlignet med planen eller værdisat (allow_partial i "
     "konfigurationen vurderer den alligevel)\n"},
    {"  expected by the end of %s ", "  forventet ved slutten av %s ",
     "  forventet ved slutningen af %s "},
    {"baseline", "nullpunkt", "udgangspunkt"},
    {" in %s, target ", " i %s, mål ", " i %s, mål "},
    {" by %s; measured by indicator %s\n", " innen %s; målt med indikator %s\n",
     " inden %s; målt med indikator %s\n"},
    {"  %s: the actual was made from data of only part of a period\n",
     "  %s: den målte verdien er laget av data for bare en del av en periode\n",
     "  %s: den målte værdi er dannet af data for kun en del af en periode\n"},
    {"  no value of %s for this case and period: no realisation\n",
     "  ingen verdi av %s for denne saken og perioden: ingen realisering\n",
     "  ingen værdi af %s for denne sag og periode: ingen realisering\n"},
    {"  SROI passed over %s: its data cover only part of it\n",
     "  SROI hoppet over %s: dataene dekker bare en del av den\n",
     "  SROI sprang %s over: data dækker kun en del af den\n"},
    {"gain %s of case %s in %s: %s (plan from the %s)\n",
     "gevinst %s i sak %s i %s: %s (plan fra %s)\n",
     "gevinst %s i sag %s i %s: %s (plan fra %s)\n"},
    {"database", "databasen", "databasen"},
    {"config", "konfigurasjonen", "konfigurationen"},
    {"  its figures are hidden: they are, or are made from, a small count of persons "
     "(--no-suppress shows them)\n",
     "  tallene er skjult: de er, eller er laget av, et lite antall personer (--no-suppress viser "
     "dem)\n",
     "  tallene er skjult: de er, eller er dannet af, et lille antal personer (--no-suppress viser "
     "dem)\n"},
    {"note", "merk", "bemærk"},
    {"%s: %s differs from the config this run used\n",
     "%s: %s er ikke lik konfigurasjonen denne kjøringen brukte\n",
     "%s: %s er ikke den konfiguration, denne kørsel brugte\n"},
    {"%s: %s of source %s removed since this run, on %s\n",
     "%s: %s fra kilden %s fjernet etter denne kjøringen, %s\n",
     "%s: %s fra kilden %s fjernet efter denne kørsel, %s\n"},
    {"%s: %s imported since this run, on %s (from %s)\n",
     "%s: %s importert etter denne kjøringen, %s (fra %s)\n",
     "%s: %s importeret efter denne kørsel, %s (fra %s)\n"},
    {"run %lld, %s, gevinst %s, config sha256 %.12s\n",
     "kjøring %lld, %s, gevinst %s, konfigurasjon sha256 %.12s\n",
     "kørsel %lld, %s, gevinst %s, konfiguration sha256 %.12s\n"},
    {"run %lld was made with %s, %s", "kjøring %lld ble laget med %s, %s",
     "kørsel %lld blev dannet med %s, %s"},
    {"a config of the same content", "en konfigurasjon med samme innhold",
     "en konfiguration med samme indhold"},
    {"another config", "en annen konfigurasjon", "en anden konfiguration"},
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
