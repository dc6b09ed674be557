# test_docs.sh -- the examples of the README and docs/ against real output.
#  1. Every transcript (a fenced block whose first line starts with "$ ")
#     is run: each "$ " line as a command, in a folder of its own with the
#     demo built in gevinst-demo/, after the shell line of an HTML comment
#     `<!-- setup: ... -->` just before the block, if there is one.  What
#     the commands print must be the block's other lines; "…" in a line
#     stands for any text, and the build's header folder is written where
#     an installed gevinst has it, /usr/local/include.
#  2. docs/modules.md's two example modules and its my.cfg, taken from the
#     page, built and run: the output it shows is the output they give.
. "$(dirname "$0")/lib.sh"
: "${GEVINST_SOURCE:?run through ctest}"
S=$GEVINST_SOURCE
gevinst() { "$GEVINST" "$@"; }
export -f gevinst
export GEVINST S

"$GEVINST" demo --dir demo -q >/dev/null 2>&1 || fail "demo"

# transcripts DOC: each transcript of DOC as a file tr/N: its first line
# "DOC:LINE<TAB>SETUP", then the block's lines
mkdir -p tr
transcripts() {
    awk -v doc="$(basename "$1")" -v dir="$T/tr" '
        /^<!-- setup: .* -->$/ { setup = substr($0, 13, length($0) - 16); next }
        /^```/ && !inside { inside = 1; first = 1; start = NR; next }
        /^```/ && inside { inside = 0; out = ""; setup = ""; next }
        inside && first { first = 0
            if ($0 ~ /^\$ /) { out = sprintf("%s/%05d", dir, ++count + base); print doc ":" start "\t" setup > out } }
        inside && out != "" { print > out }
        !inside && !/^$/ { setup = "" }
    ' base="$(ls tr | wc -l)" "$1"
}
for doc in "$S/README.md" "$S"/docs/*.md; do transcripts "$doc"; done
n=0
for block in tr/*; do
    n=$((n + 1)); dir="$T/t$n"; mkdir -p "$dir/modules"; cp -r demo "$dir/gevinst-demo"
    head=$(head -1 "$block"); where=${head%%$'\t'*}; setup=${head#*$'\t'}
    tail -n +2 "$block" | grep -v '^\$ ' > "$dir/expected"
    got=$(cd "$dir" && { [ -z "$setup" ] || bash -c "$setup" >/dev/null 2>&1; } &&
          tail -n +2 "$T/$block" | grep '^\$ ' | cut -c3- | while IFS= read -r c; do bash -c "$c" 2>/dev/null; done |
          sed "s|-I$S/core/include|-I/usr/local/include|")  # where the docs say it is installed
    checks=$((checks + 1))
    if [ "$(wc -l < "$dir/expected")" != "$(printf '%s\n' "$got" | wc -l)" ]; then
        fail "$where: got [$got], expected [$(cat "$dir/expected")]"
        continue
    fi
    i=0
    while IFS= read -r want; do
        i=$((i + 1)); have=$(printf '%s\n' "$got" | sed -n "${i}p")
        pattern=${want//\*/\\*}; pattern=${pattern//\?/\\?}; pattern=${pattern//\[/\\[}; pattern=${pattern//…/*}
        # shellcheck disable=SC2053
        [[ $have == $pattern ]] || { fail "$where, line $i: got [$have], expected [$want]"; break; }
    done < "$dir/expected"
done
expect_eq "$([ "$n" -ge 2 ] && echo yes)" "yes" "the docs' transcripts were found ($n)"

# docs/modules.md: the page's own example modules and config, built and run
M="$S/docs/modules.md"
block_of() { # block_of FIRSTLINE-PATTERN: the fenced block whose first lines match
    awk -v pat="$1" '/^```/ { if (inside) { if (hit) exit; inside = 0; text = ""; next } inside = 1; text = ""; n = 0; next }
        inside { text = text $0 "\n"; if (++n <= 2 && $0 ~ pat) hit = 1 }
        END { if (hit) printf "%s", text }' "$M"
}
mkdir -p use/modules && cd use || exit 1
block_of '^-- into_work_rate.lua' > modules/into_work_rate.lua
block_of 'input_per_participant.c --' > modules/input_per_participant.c
block_of '^# my.cfg --' > my.cfg
for f in modules/into_work_rate.lua modules/input_per_participant.c my.cfg; do
    [ -s "$f" ] || fail "$f not found in docs/modules.md"
done
cp -r ../demo gevinst-demo
cc -shared -fPIC -Wall -Wextra -Werror -I"$S/core/include" modules/input_per_participant.c \
    -o modules/input_per_participant.so 2>cc.err || fail "the C example builds: $(cat cc.err)"
run check -c my.cfg
expect_rc 0 "check the page's config"
expect_eq "$out" "my.cfg: ok" "check prints what the page says"
run run -c my.cfg
shown=$(awk '/^Part of the output/ { want = 1 } want && /^```$/ { if (inside) exit; inside = 1; next } inside' "$M")
expect_eq "$(printf '%s\n' "$shown" | wc -l)" "7" "the page shows a heading and six rows"
while IFS= read -r line; do
    expect_contains "$out" "$line" "the page's output line is what run prints"
done <<< "$shown"
finish
