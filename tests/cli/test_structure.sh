# test_structure.sh -- the layers of core/ as their #include lines draw
# them point only down, the command uses the public header alone, and no
# function is longer than a reader can hold (tools/check-structure).
. "$(dirname "$0")/lib.sh"
: "${GEVINST_SOURCE:?run through ctest}"

out=$("$GEVINST_SOURCE/tools/check-structure" 2>&1)
rc=$?
expect_rc 0 "check-structure: $out"

# and the check can fail: a copy of core/ where base reaches up into engine
cp -r "$GEVINST_SOURCE/core" "$GEVINST_SOURCE/tools" "$T/"
sed -i 's|#include <setjmp.h>|#include "engine/gv_engine.h"\n#include <setjmp.h>|' "$T/core/base/gv_base.h"
out=$("$T/tools/check-structure" 2>&1)
rc=$?
expect_rc 1 "an arrow up is found"
expect_contains "$out" "core/base/gv_base.h: base includes engine/gv_engine.h: an arrow up or sideways" "names it"
finish
