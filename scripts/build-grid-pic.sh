#!/usr/bin/env bash
# build-grid-pic.sh PREFIX [OBJECT.o | MEMBER.o ...]
#
# The gaugeflow Grid bridge is a shared library loaded into the JVM, so the Grid code it links must be
# position-independent (-fPIC). A Grid configured without -fPIC (GCC's default is -fPIE, which a shared
# library cannot use: "relocation R_X86_64_PC32 against symbol `stdout' ... recompile with -fPIC") does
# not need a full rebuild: this script recompiles, with -fPIC, only the members of PREFIX/lib/libGrid.a
# that the bridge needs, from Grid's configured build tree, into PREFIX/lib/libGridPIC.a. The bridge's
# build (grid/src/main/cpp/build-shim.sh) links libGridPIC.a instead of libGrid.a when it exists.
# (scripts/build-grid.sh now configures Grid with -fPIC, so a new install does not need this.)
#
# Which members: arguments ending in .o that are files are object files (normally the bridge's own
# grid/target/native/gaugeflow_grid.o): a trial link of them against libGrid.a lists the members they
# pull in, transitively. Other arguments are member names (Init.o, Log.o, ...). Without arguments the
# bridge object at its default place is used.
#
# Environment:
#   GRID_BUILD  Grid's configured build tree (default: dirname(PREFIX)/build/grid, as build-grid.sh makes it)
#   GRID_SRC    Grid's source tree (default: read from GRID_BUILD/Grid/Makefile's srcdir)
#   PIC_DIR     where the -fPIC objects go (default: GRID_BUILD/pic); existing objects newer than their
#               source are kept, so a re-run only compiles what is missing
#
# Cost here (2 shared cores): about 21 members, 30-90 s each, so about 20 min; nothing in GRID_BUILD's
# own objects or in PREFIX other than libGridPIC.a is touched.
set -Eeuo pipefail
die() { echo "build-grid-pic.sh: error: $*" >&2; exit 1; }
log() { echo "[build-grid-pic $(date '+%H:%M:%S')] $*"; }

[[ $# -ge 1 ]] || die "usage: build-grid-pic.sh PREFIX [OBJECT.o | MEMBER.o ...]"
PREFIX=$(cd "$1" 2>/dev/null && pwd) || die "PREFIX '$1' is not a directory"
shift
LIBGRID=$PREFIX/lib/libGrid.a
[[ -f $LIBGRID ]] || die "$LIBGRID not found"
CONFIG=$PREFIX/bin/grid-config
[[ -x $CONFIG ]] || die "$CONFIG not found"
GRID_BUILD=${GRID_BUILD:-$(dirname "$PREFIX")/build/grid}
[[ -f $GRID_BUILD/Grid/Makefile && -f $GRID_BUILD/Grid/Config.h ]] \
  || die "GRID_BUILD '$GRID_BUILD' is not a configured Grid build tree (no Grid/Makefile, Grid/Config.h); set GRID_BUILD"
if [[ -z ${GRID_SRC:-} ]]; then
  GRID_SRC=$(sed -n 's/^srcdir = //p' "$GRID_BUILD/Grid/Makefile" | head -n 1)
  GRID_SRC=$(cd "$GRID_BUILD/Grid" && cd "$GRID_SRC" && cd .. && pwd) || die "cannot find Grid's sources; set GRID_SRC"
fi
[[ -f $GRID_SRC/Grid/Grid.h ]] || die "GRID_SRC '$GRID_SRC' is not a Grid source tree (no Grid/Grid.h)"
PIC_DIR=${PIC_DIR:-$GRID_BUILD/pic}
mkdir -p "$PIC_DIR"

if [[ $# -eq 0 ]]; then
  set -- "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/grid/target/native/gaugeflow_grid.o"
fi

# ---------------------------------------------------------------- members
members=()
objects=()
for a in "$@"; do
  if [[ $a == *.o && -f $a ]]; then objects+=("$a"); else members+=("$(basename "$a")"); fi
done
if (( ${#objects[@]} )); then
  map=$(mktemp)
  stub=$(mktemp --suffix=.cc)
  trap 'rm -f "$map" "$stub"' EXIT
  printf 'int main(){return 0;}\n' >"$stub"
  # A trial link into an executable (PIE objects are fine there); unresolved symbols outside Grid are ignored.
  g++ "$stub" "${objects[@]}" -o /dev/null -fopenmp \
      -Wl,--unresolved-symbols=ignore-all -Wl,-Map="$map" "$LIBGRID" >/dev/null 2>&1 \
    || die "trial link of ${objects[*]} against $LIBGRID failed"
  while read -r m; do members+=("$m"); done < <(grep -o 'libGrid\.a([^)]*)' "$map" | sed 's/.*(\(.*\))/\1/' | sort -u)
fi
(( ${#members[@]} )) || die "no libGrid.a members to compile"
mapfile -t members < <(printf '%s\n' "${members[@]}" | sort -u)
log "PREFIX=$PREFIX GRID_BUILD=$GRID_BUILD GRID_SRC=$GRID_SRC: ${#members[@]} members"

# ---------------------------------------------------------------- compile
# Grid's own compile line (make -n in GRID_BUILD/Grid) with -fPIC added and the output in PIC_DIR.
read -r -a CXX <<<"$("$CONFIG" --cxx)"
read -r -a CXXFLAGS <<<"$("$CONFIG" --cxxflags)"
pic_objects=()
for m in "${members[@]}"; do
  found=0
  while IFS= read -r obj; do
    rel=${obj#"$GRID_BUILD/Grid/"}
    src=$GRID_SRC/Grid/${rel%.o}.cc
    [[ -f $src ]] || src=$GRID_BUILD/Grid/${rel%.o}.cc
    [[ -f $src ]] || die "no source for $rel (looked in $GRID_SRC/Grid and $GRID_BUILD/Grid)"
    out=$PIC_DIR/$rel
    mkdir -p "$(dirname "$out")"
    if [[ -f $out && $out -nt $src ]]; then
      log "up to date: $rel"
    else
      t0=$SECONDS
      "${CXX[@]}" -DHAVE_CONFIG_H -I"$GRID_BUILD/Grid" -I"$GRID_SRC/Grid" -I"$GRID_SRC" "${CXXFLAGS[@]}" -fPIC \
          -c -o "$out.tmp.$$" "$src" || die "compiling $src failed"
      mv -f "$out.tmp.$$" "$out"
      log "compiled $rel ($((SECONDS - t0)) s)"
    fi
    pic_objects+=("$out")
    found=1
  done < <(find "$GRID_BUILD/Grid" -name "$m" -not -path "$PIC_DIR/*")
  (( found )) || die "member $m of libGrid.a not found under $GRID_BUILD/Grid"
done

# ---------------------------------------------------------------- archive (atomically replaced)
tmp=$PREFIX/lib/.libGridPIC.a.tmp.$$
rm -f "$tmp"
ar rcs "$tmp" "${pic_objects[@]}"
mv -f "$tmp" "$PREFIX/lib/libGridPIC.a"
log "wrote $PREFIX/lib/libGridPIC.a (${#pic_objects[@]} objects)"
