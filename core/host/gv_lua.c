/*
** gv_lua.c -- Lua 5.4 indicator scripts, sandboxed.
**
** Scripts are untrusted.  Each gets its own lua_State, so scripts cannot
** see or change each other, and runs in an environment built from an
** allow-list: no io, package, debug, require, load or dofile; os cut down
** to time, date and clock; the libraries behind read-only proxies whose
** metatables are locked.  Scripts load as text, never bytecode.  Limits:
** a memory cap in the allocator (reallocations counted by their change), an
** instruction cap and a wall-clock deadline in a count hook.  Once a limit
** is reached the script is "killed": pcall, xpcall and coroutine.resume
** rethrow, so a script cannot catch its own end.  Time spent inside one C
** function (a pathological gsub) is beyond the hook: the child process's
** watchdog (gv_isolate.c) covers it, and SQLite's progress handler covers
** queries.
*/
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "host/gv_host.h"

#define GVL_HOOK_EVERY 1000 /* instructions between checks of the limits */

typedef struct gv_lua_module {
    lua_State *L;
    const char *path;
    size_t used, limit; /* bytes allocated, cap */
    long instructions;  /* executed in this evaluation */
    long max_instructions;
    double deadline; /* gvU_clock() */
    long time_ms;
    const char *killed;          /* why the script was stopped, or NULL */
    int module_ref;              /* the table the script returned */
    int params_ref;              /* ctx.params for the current params */
    const gv_param_value *bound; /* the params params_ref was built from */
    gevinst_ctx *ctx;            /* the evaluation in progress */
    sqlite3_stmt *stmt;          /* ctx:query's statement while it runs */
    int closing;                 /* coroutine.close calls in progress, nested */
} gv_lua_module;

/* Nested coroutine.close calls each take C stack that Lua 5.4.4 does not
** count (a __close handler closing another coroutine, and so on, crashes
** the process past some 10,000).  Far more than any script needs. */
#define GVL_MAX_CLOSING 100

/* Allocation with a cap; Lua reports refusal as "not enough memory". */
static void *gvL_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    gv_lua_module *lm = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        lm->used -= old;
        return NULL;
    }
    if (nsize > old && lm->used - old + nsize > lm->limit) return NULL;
    void *p = realloc(ptr, nsize);
    if (p) lm->used = lm->used - old + nsize;
    return p;
}

/* The hook stays on, firing at every instruction: a `__close` handler or
** a message handler that runs while the error unwinds is stopped at its
** first instruction too. */
static int gvL_raise_killed(lua_State *L, gv_lua_module *lm) {
    lua_pushstring(L, lm->killed);
    return lua_error(L);
}

static void gvL_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    lm->instructions += GVL_HOOK_EVERY;
    if (!lm->killed && lm->instructions > lm->max_instructions)
        lm->killed = "instruction limit reached";
    if (!lm->killed && gvU_clock() > lm->deadline) lm->killed = "time limit reached";
    if (lm->killed) {
        /* fire again at once wherever the error is caught */
        lua_sethook(L, gvL_count_hook, LUA_MASKCOUNT, 1);
        luaL_error(L, "%s", lm->killed);
    }
}

/* pcall, xpcall and coroutine.resume, guarded: once the script is killed
** its error goes through them. */
static int gvL_guard_k(lua_State *L, int status, lua_KContext base) {
    (void)status;
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    if (lm->killed) return gvL_raise_killed(L, lm);
    return lua_gettop(L) - (int)base;
}

static int gvL_guard(lua_State *L) {
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_callk(L, n, LUA_MULTRET, 0, gvL_guard_k);
    return gvL_guard_k(L, LUA_OK, 0);
}

/* xpcall's message handler, wrapped: once the script is killed the error
** passes unchanged.  (The kill is raised inside the count hook, where hooks
** are off: a handler of the script's called then would run unlimited.) */
static int gvL_handler(lua_State *L) {
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    if (lm->killed) return 1;
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

static int gvL_xpcall(lua_State *L) {
    luaL_checkany(L, 2);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, gvL_handler, 1);
    lua_replace(L, 2);
    return gvL_guard(L);
}

/* Coroutines a kill went through.  The kill is raised inside the count
** hook, where Lua turns hooks off; a coroutine it ends is left so, and its
** `__close` handlers would run unlimited if it were closed.  Such a
** coroutine is never closed (its handlers never run).  Weak keys. */
static const char gvL_killed_key = 'k';

static void gvL_push_killed(lua_State *L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &gvL_killed_key);
}

/* Mark or unmark the coroutine at idx; 1 when it was marked before. */
static int gvL_mark(lua_State *L, int idx, int on) {
    idx = lua_absindex(L, idx);
    gvL_push_killed(L);
    lua_pushvalue(L, idx);
    int was = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, on);
    if (!on) lua_pushnil(L), lua_replace(L, -2); /* removing allocates nothing */
    lua_rawset(L, -3);
    lua_pop(L, 1);
    return was;
}

/* coroutine.resume, guarded: the coroutine is marked before (so that a
** kill needs no allocation to mark it), and unmarked after unless a kill
** went through it. */
static int gvL_resume(lua_State *L) {
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    lua_State *co = lua_tothread(L, 1);
    int was = co ? gvL_mark(L, 1, 1) : 0;
    int n = lua_gettop(L);
    lua_pushvalue(L, 1); /* kept below the call */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_rotate(L, 1, 2);
    lua_call(L, n, LUA_MULTRET);
    if (lm->killed) return gvL_raise_killed(L, lm);
    int st = co ? lua_status(co) : LUA_OK;
    if (co && !(was && st != LUA_OK && st != LUA_YIELD)) gvL_mark(L, 1, 0);
    lua_remove(L, 1);
    return lua_gettop(L);
}

/* coroutine.wrap, on the guarded resume and close (Lua's own closes a
** failed coroutine itself, wherever a kill left its hooks). */
static const char gvL_wrap_source[] = "local create, resume, close, error, pack, unpack = ...\n"
                                      "return function(f)\n"
                                      "  local co = create(f)\n"
                                      "  return function(...)\n"
                                      "    local r = pack(resume(co, ...))\n"
                                      "    if r[1] then return unpack(r, 2, r.n) end\n"
                                      "    close(co)\n"
                                      "    error(r[2], 2)\n"
                                      "  end\n"
                                      "end\n";
static const char gvL_wrap_key = 'w';

static int gvL_wrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &gvL_wrap_key);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* coroutine.close, guarded and bounded.  The real one runs in a
** protected call, so the count comes down whatever happens. */
static int gvL_close_protected(lua_State *L) {
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

static int gvL_close(lua_State *L) {
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    if (lm->closing >= GVL_MAX_CLOSING) return luaL_error(L, "coroutines closed too deeply nested");
    if (lua_type(L, 1) == LUA_TTHREAD) {
        gvL_push_killed(L);
        lua_pushvalue(L, 1);
        int killed = lua_rawget(L, -2) != LUA_TNIL;
        lua_pop(L, 2);
        if (killed) {
            lua_pushboolean(L, 0);
            lua_pushliteral(L, "coroutine stopped by a limit: its __close handlers do not run");
            return 2;
        }
    }
    int n = lua_gettop(L);
    lua_pushcfunction(L, gvL_close_protected);
    lua_pushvalue(L, lua_upvalueindex(1));
    for (int i = 1; i <= n; i++)
        lua_pushvalue(L, i);
    lm->closing++;
    int rc = lua_pcall(L, n + 1, LUA_MULTRET, 0);
    lm->closing--;
    if (lm->killed) return gvL_raise_killed(L, lm);
    if (rc != LUA_OK) return lua_error(L);
    return lua_gettop(L) - n;
}

/* setmetatable, refusing __gc: a finalizer runs with hooks off, beyond
** every limit. */
static int gvL_setmetatable(lua_State *L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc finalizers are not allowed");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* print() goes to stderr, named by the script, so results stay clean. */
static int gvL_print(lua_State *L) {
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    int n = lua_gettop(L); /* before the buffer takes a slot */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    fprintf(stderr, "%s: %s\n", gvU_basename(lm->path), lua_tostring(L, -1));
    return 0;
}

/* ------------------------------------------------------------ ctx methods */

/* The ctx of the evaluation in progress, kept in the registry under lm:
** a ctx kept from an earlier evaluation is another table. */
static gv_lua_module *gvL_self(lua_State *L) {
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    lua_rawgetp(L, LUA_REGISTRYINDEX, lm);
    int current = lm->ctx && lua_rawequal(L, 1, -1);
    lua_pop(L, 1);
    if (!current) luaL_error(L, "ctx used outside evaluate");
    return lm;
}

/* Push aggregate fn of metric in period (NULL: the evaluated one): a
** number, or nil for no data; an error is raised in the script. */
static int gvL_push_aggregate(lua_State *L, const char *fn, const char *metric,
                              const char *period) {
    gv_lua_module *lm = gvL_self(L);
    double v;
    char *err = NULL;
    int rc = gvM_host.aggregate(lm->ctx, fn, metric, period, &v, &err);
    if (rc == GEVINST_ERROR) {
        lua_pushstring(L, err);
        free(err);
        return lua_error(L);
    }
    if (rc == GEVINST_NODATA)
        lua_pushnil(L);
    else
        lua_pushnumber(L, v);
    return 1;
}

static int gvL_sum(lua_State *L) {
    return gvL_push_aggregate(L, "sum", luaL_checkstring(L, 2), NULL);
}

static int gvL_count(lua_State *L) {
    return gvL_push_aggregate(L, "count", luaL_checkstring(L, 2), NULL);
}

static int gvL_mean(lua_State *L) {
    return gvL_push_aggregate(L, "mean", luaL_checkstring(L, 2), NULL);
}

/* ctx:aggregate(fn, metric [, period]) */
static int gvL_aggregate(lua_State *L) {
    return gvL_push_aggregate(L, luaL_checkstring(L, 2), luaL_checkstring(L, 3),
                              luaL_optstring(L, 4, NULL));
}

/* ctx:query(sql, ...): rows as tables of column = value, values typed as
** SQLite stores them (a municipality code "0301" stays a string). */
static int gvL_query(lua_State *L) {
    gv_lua_module *lm = gvL_self(L);
    const char *sql = luaL_checkstring(L, 2);
    int nparam = lua_gettop(L) - 2;
    char *err = NULL;
    if (lm->stmt) gvM_query_done(lm->ctx, lm->stmt); /* one a Lua error left behind */
    lm->stmt = NULL;
    sqlite3_stmt *st = gvM_query_prepare(lm->ctx, sql, nparam, &err);
    if (!st) goto fail;
    /* building the rows allocates, and at the memory limit that raises a
       Lua error past this function: the statement is finalized later */
    lm->stmt = st;
    for (int i = 0; i < nparam; i++) {
        int arg = 3 + i;
        if (lua_isinteger(L, arg))
            sqlite3_bind_int64(st, i + 1, lua_tointeger(L, arg));
        else if (lua_type(L, arg) == LUA_TNUMBER)
            sqlite3_bind_double(st, i + 1, lua_tonumber(L, arg));
        else if (lua_type(L, arg) == LUA_TSTRING)
            sqlite3_bind_text(st, i + 1, lua_tostring(L, arg), -1, SQLITE_TRANSIENT);
        else if (!lua_isnil(L, arg)) {
            gvM_query_done(lm->ctx, st);
            lm->stmt = NULL;
            return luaL_error(L, "query: parameter %d must be a string, a number or nil", i + 1);
        }
    }
    lua_newtable(L);
    int ncol = sqlite3_column_count(st), rc;
    while ((rc = gvM_query_step(lm->ctx, st, &err)) == 1) {
        lua_createtable(L, 0, ncol);
        for (int i = 0; i < ncol; i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                lua_pushinteger(L, sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT:
                lua_pushnumber(L, sqlite3_column_double(st, i));
                break;
            case SQLITE_NULL:
                continue;
            default:
                lua_pushlstring(L, (const char *)sqlite3_column_text(st, i),
                                (size_t)sqlite3_column_bytes(st, i));
            }
            lua_setfield(L, -2, sqlite3_column_name(st, i));
        }
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
    gvM_query_done(lm->ctx, st);
    lm->stmt = NULL;
    if (rc < 0) goto fail;
    return 1;
fail:
    lua_pushstring(L, err);
    free(err);
    return lua_error(L);
}

/* ctx:period_range([period]): first day, last day and number of days of
** the period (default: the evaluated one). */
static int gvL_period_range(lua_State *L) {
    gv_lua_module *lm = gvL_self(L);
    const char *text = luaL_optstring(L, 2, NULL);
    gv_period p = *lm->ctx->period;
    if (text && gvP_parse(text, &p) < 0)
        return luaL_error(L, "'%s' is not a period (%s)", text, GV_PERIOD_FORMS);
    lua_pushstring(L, p.start);
    lua_pushstring(L, p.end);
    lua_pushinteger(L, gvP_days(&p));
    return 3;
}

/* ctx:in_period(start, end [, period]): does the period (default: the
** evaluated one) hold the days start..end?  The rule observations count by. */
static int gvL_in_period(lua_State *L) {
    gv_lua_module *lm = gvL_self(L);
    const char *start = luaL_checkstring(L, 2), *end = luaL_checkstring(L, 3);
    const char *text = luaL_optstring(L, 4, NULL);
    int in = gvM_host.in_period(lm->ctx, text, start, end);
    if (in < 0) return luaL_error(L, "'%s' is not a period (%s)", text, GV_PERIOD_FORMS);
    lua_pushboolean(L, in);
    return 1;
}

/* ctx:period_days([period]) */
static int gvL_period_days(lua_State *L) {
    gvL_period_range(L);
    return 1;
}

static const luaL_Reg gvL_ctx_methods[] = {{"sum", gvL_sum},
                                           {"count", gvL_count},
                                           {"mean", gvL_mean},
                                           {"query", gvL_query},
                                           {"aggregate", gvL_aggregate},
                                           {"period_days", gvL_period_days},
                                           {"period_range", gvL_period_range},
                                           {"in_period", gvL_in_period},
                                           {NULL, NULL}};

/* ---------------------------------------------------------------- sandbox */

static int gvL_read_only(lua_State *L) {
    return luaL_error(L, "attempt to change a read-only library (%s)",
                      lua_tostring(L, lua_upvalueindex(1)));
}

/* pairs(lib): an iterator over the table behind the proxy that never
** hands the table itself out (next(real) would). */
static int gvL_proxy_next(lua_State *L) {
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1))) return 2;
    lua_pushnil(L);
    return 1;
}

static int gvL_proxy_pairs(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, gvL_proxy_next, 1);
    lua_pushvalue(L, 1); /* the proxy */
    lua_pushnil(L);
    return 3;
}

/* Leave a read-only proxy of the table on the stack top (which it
** replaces): reads go through, writes fail, the metatable is locked. */
static void gvL_proxy(lua_State *L, const char *name) {
    int real = lua_gettop(L);
    lua_newtable(L);          /* proxy */
    lua_createtable(L, 0, 4); /* its metatable */
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, gvL_read_only, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, real);
    lua_pushcclosure(L, gvL_proxy_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, real);
}

/* A copy of library lib with only the named fields (all when NULL),
** guarded functions wrapped (the real one their upvalue), as a proxy in env. */
static void gvL_add_lib(lua_State *L, int env, const char *lib, const char *const *only,
                        const luaL_Reg *guarded) {
    lua_getglobal(L, lib);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -3)) { /* real, copy, key, value */
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        int keep = !only;
        for (const char *const *n = only; n && *n; n++)
            keep |= strcmp(*n, k) == 0;
        if (!keep) {
            lua_pop(L, 1);
            continue;
        }
        for (const luaL_Reg *g = guarded; g && g->name; g++)
            if (strcmp(g->name, k) == 0) lua_pushcclosure(L, g->func, 1);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, -4);
    }
    lua_remove(L, -2);
    gvL_proxy(L, lib);
    lua_setfield(L, env, lib);
}

/* setmetatable is not here: gvL_setmetatable guards it */
static const char *const gvL_base_allowed[] = {
    "assert",   "error", "ipairs",       "next",   "pairs",  "select",   "tonumber",
    "tostring", "type",  "getmetatable", "rawget", "rawlen", "_VERSION", NULL};
static const char *const gvL_os_allowed[] = {"time", "date", "clock", NULL};
/* dump is not here: it makes bytecode */
static const char *const gvL_string_allowed[] = {
    "byte", "char",     "find", "format",  "gmatch", "gsub",   "len",   "lower", "match",
    "pack", "packsize", "rep",  "reverse", "sub",    "unpack", "upper", NULL};
static const luaL_Reg gvL_coroutine_guarded[] = {
    {"resume", gvL_resume}, {"close", gvL_close}, {"wrap", gvL_wrap}, {NULL, NULL}};

/* The registry's table of killed coroutines, and wrap's maker on the
** guarded resume and close. */
static void gvL_coroutine_setup(lua_State *L) {
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &gvL_killed_key);
    if (luaL_loadbufferx(L, gvL_wrap_source, sizeof gvL_wrap_source - 1, "=wrap", "t") != LUA_OK)
        lua_error(L);
    lua_newtable(L); /* an _ENV of nothing */
    lua_setupvalue(L, -2, 1);
    lua_getglobal(L, "coroutine");
    lua_getfield(L, -1, "create");
    lua_getfield(L, -2, "resume");
    lua_pushcclosure(L, gvL_resume, 1);
    lua_getfield(L, -3, "close");
    lua_pushcclosure(L, gvL_close, 1);
    lua_remove(L, -4);
    lua_getglobal(L, "error");
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "pack");
    lua_getfield(L, -2, "unpack");
    lua_remove(L, -3);
    lua_call(L, 6, 1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &gvL_wrap_key);
}

/* Build the environment a script runs in; leaves it on the stack. */
static void gvL_new_env(lua_State *L) {
    lua_newtable(L);
    int env = lua_gettop(L);
    for (const char *const *n = gvL_base_allowed; *n; n++) {
        lua_getglobal(L, *n);
        lua_setfield(L, env, *n);
    }
    lua_getglobal(L, "pcall");
    lua_pushcclosure(L, gvL_guard, 1);
    lua_setfield(L, env, "pcall");
    lua_getglobal(L, "xpcall");
    lua_pushcclosure(L, gvL_xpcall, 1);
    lua_setfield(L, env, "xpcall");
    lua_pushcfunction(L, gvL_print);
    lua_setfield(L, env, "print");
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, gvL_setmetatable, 1);
    lua_setfield(L, env, "setmetatable");
    gvL_add_lib(L, env, "os", gvL_os_allowed, NULL);
    gvL_add_lib(L, env, "string", gvL_string_allowed, NULL);
    gvL_add_lib(L, env, "table", NULL, NULL);
    gvL_add_lib(L, env, "math", NULL, NULL);
    gvL_add_lib(L, env, "utf8", NULL, NULL);
    gvL_coroutine_setup(L);
    gvL_add_lib(L, env, "coroutine", NULL, gvL_coroutine_guarded);
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
    /* the environment's own metatable is locked too */
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);
    /* strings' methods ("x"):rep() reach the real string table through the
       string metatable: lock it, and give it the trimmed library */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_getfield(L, env, "string");
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
}

static int gvL_traceback(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        /* an error value that is not a string: say what it was */
        msg = lua_pushfstring(L, "error object is a %s value", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Call the function below nargs args with a traceback; 0 or -1 with *err. */
static int gvL_pcall(gv_lua_module *lm, int nargs, int nres, char **err) {
    lua_State *L = lm->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, gvL_traceback);
    lua_insert(L, base);
    lm->instructions = 0;
    lm->killed = NULL;
    lm->deadline = gvU_clock() + (double)lm->time_ms / 1000;
    lua_sethook(L, gvL_count_hook, LUA_MASKCOUNT, GVL_HOOK_EVERY);
    int rc = lua_pcall(L, nargs, nres, base);
    lua_remove(L, base);
    if (rc != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        if (rc == LUA_ERRMEM)
            *err = gvU_mprintf("%s: memory limit of %g MB reached", lm->path,
                               (double)lm->limit / (1 << 20));
        else if (lm->killed && strcmp(lm->killed, "time limit reached") == 0)
            *err = gvU_mprintf("%s: time limit of %ld ms reached", lm->path, lm->time_ms);
        else if (lm->killed)
            *err =
                gvU_mprintf("%s: instruction limit of %ld reached", lm->path, lm->max_instructions);
        else
            *err = gvU_strdup(msg ? msg : "error");
        lua_pop(L, 1);
        return -1;
    }
    return 0;
}

static char *gvL_field_string(lua_State *L, int t, const char *name, char **err, const char *path) {
    char *s = NULL;
    lua_pushstring(L, name);
    lua_rawget(L, t); /* raw: the returned table's metatable does not run */
    if (lua_type(L, -1) == LUA_TSTRING)
        s = gvU_strdup(lua_tostring(L, -1));
    else if (!lua_isnil(L, -1) && !*err)
        *err = gvU_mprintf("%s: field '%s' must be a string", path, name);
    lua_pop(L, 1);
    return s;
}

static int gvL_param_order(const void *a, const void *b) {
    return strcmp(((const gv_param_value *)a)->name, ((const gv_param_value *)b)->name);
}

/* One declared param, key and value on the stack top: either a default
** (name = 260.0, name = "text") or a declaration
** (name = { type = "string", default = ..., help = "...", choices = {...} };
** no default means the config must give it). */
static int gvL_param(lua_State *L, gv_param_value *v, const char *path, char **err) {
    if (lua_type(L, -2) != LUA_TSTRING) {
        *err = gvU_mprintf("%s: params: names must be strings", path);
        return -1;
    }
    v->name = gvU_strdup(lua_tostring(L, -2));
    v->number = NAN;
    switch (lua_type(L, -1)) {
    case LUA_TNUMBER:
        v->type = GEVINST_PARAM_NUMBER;
        v->number = lua_tonumber(L, -1);
        return 0;
    case LUA_TSTRING:
        v->type = GEVINST_PARAM_STRING;
        v->string = gvU_strdup(lua_tostring(L, -1));
        return 0;
    case LUA_TTABLE:
        break;
    default:
        *err = gvU_mprintf("%s: param '%s': give a default (a number or a string) or a "
                           "declaration { type = \"number\" | \"string\", ... }",
                           path, v->name);
        return -1;
    }
    /* raw reads: a declaration's metatable (an __index that errors or
       churns memory) never runs outside the script's protected call */
    lua_pushliteral(L, "type");
    lua_rawget(L, -2);
    const char *type = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (!type || (strcmp(type, "number") && strcmp(type, "string"))) {
        *err = gvU_mprintf("%s: param '%s': type must be \"number\" or \"string\"", path, v->name);
        return -1;
    }
    v->type = type[0] == 'n' ? GEVINST_PARAM_NUMBER : GEVINST_PARAM_STRING;
    type = v->type == GEVINST_PARAM_NUMBER ? "number" : "string"; /* not the popped string */
    lua_pop(L, 1);
    lua_pushliteral(L, "default");
    lua_rawget(L, -2);
    if (!lua_isnil(L, -1)) {
        int ok = v->type == GEVINST_PARAM_NUMBER ? lua_type(L, -1) == LUA_TNUMBER
                                                 : lua_type(L, -1) == LUA_TSTRING;
        if (!ok) {
            *err = gvU_mprintf("%s: param '%s': default is not a %s", path, v->name, type);
            return -1;
        }
        if (v->type == GEVINST_PARAM_NUMBER)
            v->number = lua_tonumber(L, -1);
        else
            v->string = gvU_strdup(lua_tostring(L, -1));
    }
    lua_pop(L, 1);
    lua_pushliteral(L, "help");
    lua_rawget(L, -2);
    if (lua_type(L, -1) == LUA_TSTRING) v->help = gvU_strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    lua_pushliteral(L, "choices");
    lua_rawget(L, -2);
    if (lua_istable(L, -1)) {
        int n = (int)lua_rawlen(L, -1);
        v->choices = gvU_malloc((size_t)(n + 1) * sizeof(char *));
        for (int i = 0; i < n; i++) {
            lua_rawgeti(L, -1, i + 1);
            v->choices[i] = gvU_strdup(lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "");
            lua_pop(L, 1);
        }
        v->choices[n] = NULL;
    }
    lua_pop(L, 1);
    return 0;
}

/* The table's `params`: each declared param with its default. */
static int gvL_params(lua_State *L, int t, gv_module *m, char **err) {
    lua_pushliteral(L, "params");
    lua_rawget(L, t);
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            m->defaults =
                gvU_realloc(m->defaults, (size_t)(m->ndefaults + 1) * sizeof *m->defaults);
            gv_param_value *v = &m->defaults[m->ndefaults++];
            memset(v, 0, sizeof *v);
            if (gvL_param(L, v, m->path, err) < 0) return -1;
            lua_pop(L, 1);
        }
        /* table order is a hash's: sort, so messages and lists are stable */
        if (m->ndefaults > 1) /* `params = {}`: no array to sort (qsort takes none) */
            qsort(m->defaults, (size_t)m->ndefaults, sizeof *m->defaults, gvL_param_order);
    } else if (!lua_isnil(L, -1)) {
        *err = gvU_mprintf("%s: 'params' must be a table of defaults", m->path);
        return -1;
    }
    lua_pop(L, 1);
    return 0;
}

/* What the script's table says it is: name, version, unit, description,
** evaluate and params. */
static int gvL_describe(lua_State *L, int t, gv_module *m, char **err) {
    m->name = gvL_field_string(L, t, "name", err, m->path);
    m->version = gvL_field_string(L, t, "version", err, m->path);
    m->unit = gvL_field_string(L, t, "unit", err, m->path);
    m->description = gvL_field_string(L, t, "description", err, m->path);
    if (*err) return -1;
    if (!m->name) {
        /* the file name is the module's name by default */
        const char *base = gvU_basename(m->path);
        size_t n = strcspn(base, ".");
        m->name = gvU_malloc(n + 1);
        memcpy(m->name, base, n);
        m->name[n] = '\0';
    }
    lua_pushliteral(L, "evaluate");
    lua_rawget(L, t);
    if (!lua_isfunction(L, -1)) {
        *err = gvU_mprintf("%s: the returned table has no function 'evaluate'", m->path);
        return -1;
    }
    lua_pop(L, 1);
    return gvL_params(L, t, m, err);
}

/* gvL_describe in a protected call: reading the table may allocate, and
** an allocation over the limit outside one would end the process. */
typedef struct gvL_describing {
    gv_module *m;
    char **err;
    int rc;
} gvL_describing;

static int gvL_describe_call(lua_State *L) {
    gvL_describing *d = lua_touserdata(L, 2);
    d->rc = gvL_describe(L, 1, d->m, d->err);
    return 0;
}

static int gvL_describe_protected(lua_State *L, gv_module *m, char **err) {
    gvL_describing d = {m, err, 0};
    lua_pushcfunction(L, gvL_describe_call);
    lua_pushvalue(L, -2); /* the returned table */
    lua_pushlightuserdata(L, &d);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        if (!*err)
            *err = gvU_mprintf("%s: the returned table cannot be read: %s", m->path,
                               lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error");
        lua_pop(L, 1);
        return -1;
    }
    return d.rc;
}

static int gvL_load(gv_module *m, char **err) {
    gv_lua_module *lm = gvU_malloc(sizeof *lm);
    memset(lm, 0, sizeof *lm);
    lm->path = m->path;
    lm->limit = (size_t)(m->limits.memory_mb * (1 << 20));
    lm->max_instructions = m->limits.instructions;
    lm->time_ms = m->limits.time_ms;
    lm->module_ref = lm->params_ref = LUA_NOREF;
    m->state = lm;
    lua_State *L = lm->L = lua_newstate(gvL_alloc, lm);
    if (!L) {
        *err = gvU_mprintf("%s: cannot create a Lua state", m->path);
        return -1;
    }
    luaL_openlibs(L); /* only to copy from: scripts see gvL_new_env's table */

    /* text only: bytecode can break the VM's invariants */
    int rc = luaL_loadfilex(L, m->path, "t");
    if (rc != LUA_OK) {
        *err = gvU_strdup(lua_tostring(L, -1));
        return -1;
    }
    gvL_new_env(L);
    lua_setupvalue(L, -2, 1); /* the chunk's _ENV */
    if (gvL_pcall(lm, 0, 1, err) < 0) return -1;
    if (!lua_istable(L, -1)) {
        *err = gvU_mprintf(
            "%s: the script must return a table { evaluate = function(ctx) ... end }", m->path);
        return -1;
    }
    if (gvL_describe_protected(L, m, err) < 0) return -1;
    lm->module_ref = luaL_ref(L, LUA_REGISTRYINDEX);

    /* ctx's methods, shared by every evaluation */
    luaL_newmetatable(L, "gevinst.ctx");
    luaL_newlib(L, gvL_ctx_methods);
    lua_setfield(L, -2, "__index");
    /* locked: a __gc added to it would make every later ctx a finalizer */
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    return 0;
}

/* ctx.params as a table, rebuilt only when the params change. */
static void gvL_push_params(gv_lua_module *lm, const gevinst_ctx *ctx) {
    lua_State *L = lm->L;
    if (lm->bound != ctx->params || lm->params_ref == LUA_NOREF) {
        luaL_unref(L, LUA_REGISTRYINDEX, lm->params_ref);
        lua_createtable(L, 0, ctx->nparams);
        for (int i = 0; i < ctx->nparams; i++) {
            const gv_param_value *p = &ctx->params[i];
            if (p->type == GEVINST_PARAM_NUMBER)
                lua_pushnumber(L, p->number);
            else
                lua_pushstring(L, p->string);
            lua_setfield(L, -2, p->name);
        }
        lm->params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        lm->bound = ctx->params;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, lm->params_ref);
}

/* Build ctx and call the script's evaluate with it.  Runs inside lua_pcall:
** building ctx allocates, and with the memory cap reached an allocation
** fails, which must be the script's error, not the host's abort. */
static int gvL_call_evaluate(lua_State *L) {
    gv_lua_module *lm;
    lua_getallocf(L, (void **)&lm);
    const gevinst_ctx *ctx = lm->ctx;
    lua_rawgeti(L, LUA_REGISTRYINDEX, lm->module_ref);
    lua_pushliteral(L, "evaluate");
    lua_rawget(L, -2); /* raw: no __index of the script's runs here */
    lua_remove(L, -2);
    lua_createtable(L, 0, 6); /* ctx */
    lua_createtable(L, 0, GV_CASE_NFIELDS);
    for (int i = 0; i < GV_CASE_NFIELDS; i++)
        if (ctx->case_fields[i]) {
            lua_pushstring(L, ctx->case_fields[i]);
            lua_setfield(L, -2, gvM_case_field_names[i]);
        }
    lua_setfield(L, -2, "case");
    lua_pushstring(L, ctx->period->text);
    lua_setfield(L, -2, "period");
    lua_pushstring(L, ctx->period->start);
    lua_setfield(L, -2, "period_start");
    lua_pushstring(L, ctx->period->end);
    lua_setfield(L, -2, "period_end");
    gvL_push_params(lm, ctx);
    lua_setfield(L, -2, "params");
    luaL_setmetatable(L, "gevinst.ctx");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, lm); /* this evaluation's ctx */
    lua_call(L, 1, 1);
    return 1;
}

static int gvL_evaluate(gv_module *m, gevinst_ctx *ctx, double *value, char **err) {
    gv_lua_module *lm = m->state;
    lua_State *L = lm->L;
    int top = lua_gettop(L);
    lua_pushcfunction(L, gvL_call_evaluate); /* a light function: no allocation */
    lm->ctx = ctx;
    int rc = gvL_pcall(lm, 0, 1, err);
    if (lm->stmt) gvM_query_done(ctx, lm->stmt);
    lm->stmt = NULL;
    lm->ctx = NULL;
    lua_pushnil(L); /* no allocation: the slot exists */
    lua_rawsetp(L, LUA_REGISTRYINDEX, lm);
    if (rc < 0) {
        lua_settop(L, top);
        return GEVINST_ERROR;
    }
    int result;
    if (lua_isnil(L, -1)) {
        result = GEVINST_NODATA;
    } else if (lua_type(L, -1) == LUA_TNUMBER && isfinite(lua_tonumber(L, -1))) {
        *value = lua_tonumber(L, -1);
        result = GEVINST_OK;
    } else {
        *err = gvU_mprintf("%s: evaluate returned %s; expected a finite number or nil", m->path,
                           lua_type(L, -1) == LUA_TNUMBER ? "a number that is not finite"
                                                          : luaL_typename(L, -1));
        result = GEVINST_ERROR;
    }
    lua_settop(L, top);
    return result;
}

static void gvL_free(gv_module *m) {
    gv_lua_module *lm = m->state;
    if (lm->L) lua_close(lm->L);
    free(lm);
    m->state = NULL;
}

const gv_loader gvL_scripts = {
    {"lua", "script", ".lua", NULL},
    "Lua",
    "Lua script",
    gvL_load,
    gvL_evaluate,
    gvL_free,
    NULL,
    NULL,
};
