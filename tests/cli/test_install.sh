# test_install.sh -- what `make install` gives a plugin author: the header,
# a pkg-config file and a CMake package, enough to build a plugin with
# nothing else from the source tree; and skeletons `gevinst check` accepts.
. "$(dirname "$0")/lib.sh"
: "${GEVINST_BUILD:?run through ctest}"

cmake --install "$GEVINST_BUILD" --prefix "$T/prefix" >install.log 2>&1
rc=$?
expect_rc 0 "cmake --install"
G="$T/prefix/bin/gevinst"
[ -x "$G" ] || fail "no installed gevinst"

# the installed command finds its bundled modules and data under its prefix
"$G" demo --dir demo >demo.out 2>demo.err
rc=$?; err=$(cat demo.err)
expect_rc 0 "installed demo"
expect_contains "$(cat demo.err)" "config demo/demo.cfg (synthetic data)" "demo config beside its database"
cmp -s demo/demo.cfg "$T/prefix/share/gevinst/config/demo.cfg" || fail "demo config copied from the prefix"
"$G" list -c "$T/prefix/share/gevinst/config/demo.cfg" >list.out 2>&1
expect_contains "$(cat list.out)" "$T/prefix/lib/gevinst/sum.so" "bundled plugins from the prefix"
expect_contains "$(cat list.out)" "$T/prefix/share/gevinst/scripts/volunteer_value.lua" "bundled scripts from the prefix"

# the manual pages, as man shows them, without a warning; bash completion
for page in gevinst.1:man1 gevinst.cfg.5:man5 gevinst-modules.7:man7; do
    f="$T/prefix/share/man/${page#*:}/${page%%:*}"
    [ -f "$f" ] || fail "no installed ${page%%:*}"
    expect_eq "$(man --warnings -E UTF-8 -l -Tutf8 "$f" 2>&1 >/dev/null)" "" "${page%%:*} renders without warnings"
done
expect_contains "$(MANPATH="$T/prefix/share/man" MANWIDTH=80 man -P cat gevinst 2>/dev/null)" "gevinst - measure the gains of co-creation projects" "man gevinst"
expect_contains "$(MANPATH="$T/prefix/share/man" man -P cat 5 gevinst.cfg 2>/dev/null)" "allow_partial" "man 5 gevinst.cfg"
expect_contains "$(MANPATH="$T/prefix/share/man" man -P cat 7 gevinst-modules 2>/dev/null)" "gevinst_module_init" "man 7 gevinst-modules"
completion="$T/prefix/share/bash-completion/completions/gevinst"
[ -f "$completion" ] || fail "no installed bash completion"
complete_words() { # complete_words WORD...: what bash completion offers for the last word
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _gevinst; echo "${COMPREPLY[*]}"' _ "$completion" "$@"
}
expect_eq "$(complete_words gevinst re)" "report" "a command completed"
expect_eq "$(complete_words gevinst import db.db obs)" "observations" "a kind completed"
expect_eq "$(complete_words gevinst report --format x)" "xlsx" "a format completed"
expect_eq "$(complete_words gevinst template dir --lang n)" "nb nn" "a template's languages"

# a plugin built with pkg-config alone
mkdir src && cd src || exit 1
"$G" new-indicator per_case --lang c >new.out 2>&1
rc=$?; err=$(cat new.out)
expect_rc 0 "new-indicator c"
"$G" new-indicator per_case_lua --lang lua >/dev/null 2>&1
rc=$?
expect_rc 0 "new-indicator lua"
"$G" new-indicator per_case --lang c >again.out 2>&1
rc=$?; err=$(cat again.out)
expect_rc 2 "new-indicator does not overwrite"
expect_contains "$err" "per_case.c: cannot create: File exists" "no overwrite message"
export PKG_CONFIG_PATH="$T/prefix/share/pkgconfig"
: "${GEVINST_SOURCE:?run through ctest}"
expect_eq "$(pkg-config --modversion gevinst-plugin)" "0.1.0" "pkg-config version"
cc -shared -fPIC -Wall -Wextra -Werror $(pkg-config --cflags gevinst-plugin) per_case.c -o per_case.so 2>cc.err
rc=$?; err=$(cat cc.err)
expect_rc 0 "cc with pkg-config"
cd "$T" || exit 1

# ... and with the CMake package
mkdir cm && cat > cm/CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.20)
project(myplugin C)
find_package(gevinst-plugin 0.1 REQUIRED)
gevinst_add_plugin(cm_plugin ../src/per_case.c)
CM
cmake -S cm -B cm/build -DCMAKE_PREFIX_PATH="$T/prefix" >cm.log 2>&1 && cmake --build cm/build >>cm.log 2>&1
rc=$?; err=$(tail -5 cm.log)
expect_rc 0 "build with find_package(gevinst-plugin)"
[ -f cm/build/cm_plugin.so ] || fail "no cm_plugin.so"

# a program of the library's public API, built with pkg-config alone
mkdir api && cd api || exit 1
# a sanitizer build's library wants its runtime first: so does its client
sanitize=""
readelf -d "$T/prefix/lib/libgevinst.so" | grep -q libasan && sanitize="-fsanitize=address,undefined"
cc -Wall -Wextra -Werror -std=c11 $sanitize "$GEVINST_SOURCE/tests/library/api_client.c" \
    $(pkg-config --cflags --libs gevinst) -o api_client 2>cc.err
rc=$?; err=$(cat cc.err)
expect_rc 0 "cc against the installed libgevinst"
expect_eq "$(pkg-config --modversion gevinst)" "0.1.0" "pkg-config gevinst version"
expect_contains "$(readelf -d "$T/prefix/lib/libgevinst.so" 2>&1)" "SONAME" "a soname"
expect_contains "$(readelf -d "$T/prefix/lib/libgevinst.so" 2>&1)" "libgevinst.so.0" "soname libgevinst.so.0"
# only the public API is exported
internal=$(nm -D --defined-only "$T/prefix/lib/libgevinst.so" | awk '$2 ~ /[TDBR]/ && $3 !~ /^gevinst_/' | head -3)
expect_eq "$internal" "" "libgevinst.so exports gevinst_* alone"
./api_client . >api.out 2>api.err
rc=$?; err=$(cat api.err)
expect_rc 0 "api_client"
# each value printed is the stored one, exactly, in its own database
while read -r db ind case period value; do
    same=$(sqlite3 "api-$db.db" "SELECT count(*) FROM results WHERE indicator = '$ind' AND case_id = '$case' AND period = '$period' AND value = $value")
    expect_eq "$same" "1" "$ind from database $db through the API"
done <api.out
expect_eq "$(cut -d' ' -f2 api.out | sort -u | tr '\n' ' ')" "into_work social_assistance volunteer_value " "the three indicators"
expect_eq "$(wc -l <api.out)" "6" "three values from each database"
cd "$T" || exit 1

cat > my.cfg <<'CFG'
database = "demo/demo.db";
module_path = ["src", "cm/build"];
periods = ["2018"];
indicators = (
  { id = "c_skeleton";   module = "per_case"; params = { metric = "participants"; }; },
  { id = "lua_skeleton"; module = "per_case_lua"; },
  { id = "cmake_built";  module = "cm_plugin"; params = { factor = 2; }; }
);
CFG
run_installed() { "$G" "$@" >"$T/stdout" 2>"$T/stderr"; rc=$?; out=$(cat "$T/stdout"); err=$(cat "$T/stderr"); }
run_installed check -c my.cfg
expect_rc 0 "check accepts the skeletons as they are"
run_installed run -c my.cfg --format csv
expect_rc 0 "run the skeletons"
# Drammen 2018: participants per quarter, summed and counted by SQL
expected=$(sqlite3 demo/demo.db "SELECT avg(value) FROM observations WHERE case_id = 'no-drammen-jobbkafe' AND metric = 'participants' AND period LIKE '2018%'")
expect_contains "$out" "c_skeleton,no-drammen-jobbkafe,2018,$expected,,ok" "C skeleton value"
expect_contains "$out" "lua_skeleton,no-drammen-jobbkafe,2018,$expected,,ok" "Lua skeleton value"
expect_contains "$out" "cmake_built,no-drammen-jobbkafe,2018,$(sqlite3 :memory: "SELECT printf('%g', $expected * 2)")," "CMake-built value"
finish
