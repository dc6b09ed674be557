/*
** gv_cplugin.c -- the loader of C plugins: shared objects that export
** gevinst_module_init() and are handed the host table (gevinst/plugin.h).
*/
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/gv_host.h"

/* A plugin in the host's own process (isolate = false) is trusted code, but
** exit() inside it must not pass for gevinst's own end: while a plugin's
** code runs, an exit handler turns that exit into a failure with a message.
** (_exit() passes no handler; only isolation stops that.)  The handler is
** registered once per process and does nothing outside a plugin's call. */
static const char *volatile gvM_inside;
static int gvM_guarding = 1;

void gvM_guard_exits(int on) {
    gvM_guarding = on;
}

static void gvM_exit_guard(void) {
    const char *path = gvM_inside;
    if (!path || !gvM_guarding) return;
    static const char a[] = "gevinst: ", b[] = ": the plugin ended the process (exit() in a "
                                               "plugin with isolate = false); nothing of this "
                                               "command is done\n";
    if (write(2, a, sizeof a - 1) < 0 || write(2, path, strlen(path)) < 0 ||
        write(2, b, sizeof b - 1) < 0) {
    }
    _exit(2);
}

static void gvM_enter(const char *path) {
    static int registered;
    if (!registered) registered = atexit(gvM_exit_guard) == 0;
    gvM_inside = path;
}

/* A plugin in this process. */
typedef struct gvM_plugin {
    void *dl;
    const gevinst_module *d;
} gvM_plugin;

/* "this is a Lua script: name it with script = or module =", when the file
** is of another kind; else the usual suspects. */
static char *gvM_dlopen_hint(const char *path) {
    size_t n = strlen(path);
    for (const gv_loader *const *l = gvM_loaders; *l; l++) {
        if (!(*l)->kind.extension) continue; /* written in the config: no file */
        size_t e = strlen((*l)->kind.extension);
        if (*l != &gvM_c_plugins && n > e && strcmp(path + n - e, (*l)->kind.extension) == 0)
            return gvU_mprintf("this is a %s: name it with %s = or module =", (*l)->noun,
                               (*l)->kind.setting);
    }
    return gvU_strdup("check that the file is a shared object built for this machine, and its "
                      "dependencies with ldd");
}

/* Param i of a descriptor, stepping by the plugin's own param_size (a
** later minor's params are longer); NULL at the end of the list. */
static const gevinst_param *gvM_param_at(const gevinst_module *d, int i) {
    if (!d->params) return NULL;
    const gevinst_param *p =
        (const gevinst_param *)((const char *)d->params + (size_t)i * d->param_size);
    return p->name ? p : NULL;
}

/* The plugin's descriptor, checked; NULL with *err. */
static const gevinst_module *gvM_descriptor(const char *path, void *dl, char **err) {
    gevinst_module_init_fn init;
    *(void **)&init = dlsym(dl, GEVINST_MODULE_INIT);
    if (!init) {
        *err = gvU_mprintf("%s: not a gevinst plugin: it has no %s()", path, GEVINST_MODULE_INIT);
        return NULL;
    }
    gvM_enter(path);
    const gevinst_module *d = init(&gvM_host);
    gvM_inside = NULL;
    if (!d) {
        *err = gvU_mprintf("%s: %s() returned NULL", path, GEVINST_MODULE_INIT);
        return NULL;
    }
    if (d->abi_major != GEVINST_ABI_MAJOR || d->abi_minor > GEVINST_ABI_MINOR) {
        *err = gvU_mprintf("%s: plugin built for ABI %u.%u; this gevinst has ABI %d.%d", path,
                           d->abi_major, d->abi_minor, GEVINST_ABI_MAJOR, GEVINST_ABI_MINOR);
        return NULL;
    }
    /* every field of ABI 2.0 must be there; later minors' only when size says */
    if (d->size < offsetof(gevinst_module, evaluate) + sizeof d->evaluate ||
        (d->params && d->param_size < offsetof(gevinst_param, choices) + sizeof(void *))) {
        *err = gvU_mprintf("%s: malformed descriptor: size %zu and param_size %zu are smaller than "
                           "ABI %d.0's (%zu and %zu): set them with GEVINST_MODULE_ABI",
                           path, d->size, d->param_size, GEVINST_ABI_MAJOR, sizeof(gevinst_module),
                           sizeof(gevinst_param));
        return NULL;
    }
    if (!d->name || !d->evaluate) {
        *err = gvU_mprintf("%s: malformed descriptor: %s is missing", path,
                           d->name ? "evaluate" : "name");
        return NULL;
    }
    for (int i = 0; gvM_param_at(d, i); i++) {
        const gevinst_param *p = gvM_param_at(d, i);
        if (p->type != GEVINST_PARAM_NUMBER && p->type != GEVINST_PARAM_STRING) {
            *err = gvU_mprintf("%s: malformed descriptor: param '%s' has type %d", path, p->name,
                               p->type);
            return NULL;
        }
    }
    return d;
}

/* Copy a plugin's strings: the descriptor dies with dlclose. */
static void gvM_describe(gv_module *m, const gevinst_module *d) {
    m->name = gvU_strdup(d->name);
    m->version = gvU_strdup(d->version);
    m->unit = gvU_strdup(d->unit);
    m->description = gvU_strdup(d->description);
    const gevinst_param *p;
    for (int i = 0; (p = gvM_param_at(d, i)); i++) {
        m->defaults = gvU_realloc(m->defaults, (size_t)(m->ndefaults + 1) * sizeof *m->defaults);
        gv_param_value *v = &m->defaults[m->ndefaults++];
        memset(v, 0, sizeof *v);
        v->name = gvU_strdup(p->name);
        v->type = p->type;
        v->number = p->number;
        v->string = gvU_strdup(p->string);
        v->help = gvU_strdup(p->help);
        v->choices = gvM_copy_choices((const char *const *)p->choices);
    }
}

static int gvM_plugin_load(gv_module *m, char **err) {
    void *dl = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
    if (!dl) {
        const char *why = dlerror();
        char *hint = gvM_dlopen_hint(m->path);
        *err = gvU_mprintf("%s: cannot load plugin: %s (%s)", m->path, why, hint);
        free(hint);
        return -1;
    }
    const gevinst_module *d = gvM_descriptor(m->path, dl, err);
    if (!d) {
        dlclose(dl);
        return -1;
    }
    gvM_describe(m, d);
    gvM_plugin *p = gvU_malloc(sizeof *p);
    p->dl = dl;
    p->d = d;
    m->state = p;
    return 0;
}

static int gvM_plugin_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    const gvM_plugin *p = m->state;
    gvM_enter(m->path);
    int rc = p->d->evaluate(ctx, value, err);
    gvM_inside = NULL;
    return rc;
}

static void gvM_plugin_unload(gv_module *m) {
    gvM_plugin *p = m->state;
    dlclose(p->dl);
    free(p);
    m->state = NULL;
}

const gv_loader gvM_c_plugins = {
    {"c", "plugin", ".so", NULL},
    "C",
    "C plugin",
    gvM_plugin_load,
    gvM_plugin_evaluate,
    gvM_plugin_unload,
    NULL,
    NULL,
};
