#!/usr/bin/env bash
# build-shim.sh OUT_DIR
#
# Compiles the Grid bridge's shim (gaugeflow_grid.cc, next to this script) against the Grid install found
# through GRID_PREFIX (GRID_PREFIX/bin/grid-config) or else grid-config on PATH, with Grid's own compiler
# and flags plus -fPIC, into OUT_DIR/gaugeflow_grid.o, and writes OUT_DIR/link.rsp: the arguments that
# link the shim and Grid's libraries into a shared library (the JavaCPP plugin passes it to g++ as
# @OUT_DIR/link.rsp when it links the JNI library of org.gaugeflow.grid.GridBridge).
#
# The shim is recompiled only when the .cc/.h or the compile command changed (Grid's headers take minutes).
# Grid's code must be position-independent to go into a shared library: the link uses
# PREFIX/lib/libGridPIC.a when it exists (scripts/build-grid-pic.sh), else libGrid.a, and a trial link
# says which one to build when neither works. Run by Maven in the grid profile (grid/pom.xml, docs/grid.md).
set -Eeuo pipefail
die() { echo "gaugeflow-grid: $*" >&2; exit 1; }
log() { echo "[gaugeflow-grid] $*"; }

[[ $# -eq 1 ]] || die "usage: build-shim.sh OUT_DIR"
OUT=$1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ -n ${GRID_PREFIX:-} ]]; then
  CONFIG=$GRID_PREFIX/bin/grid-config
  [[ -x $CONFIG ]] || die "GRID_PREFIX=$GRID_PREFIX has no bin/grid-config (docs/grid.md)"
elif command -v grid-config >/dev/null 2>&1; then
  CONFIG=$(command -v grid-config)
else
  die "Grid not found: set GRID_PREFIX or put grid-config on PATH (docs/grid.md)"
fi
PREFIX=$("$CONFIG" --prefix)
"$CONFIG" --summary 2>/dev/null | grep -Eq 'LIME \(ILDG support\) *: *yes' \
  || die "$CONFIG: Grid was built without LIME (ILDG) support; configure it --with-lime (scripts/build-grid.sh)"
"$CONFIG" --summary 2>/dev/null | grep -Eq 'Communications type *: *none' \
  || log "warning: $CONFIG: Grid was not built with --enable-comms=none; the bridge runs in one process"

read -r -a CXX <<<"$("$CONFIG" --cxx)"
read -r -a CXXFLAGS <<<"$("$CONFIG" --cxxflags)"
read -r -a LDFLAGS <<<"$("$CONFIG" --ldflags)"
read -r -a LIBS <<<"$("$CONFIG" --libs)"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
OBJ=$OUT/gaugeflow_grid.o
FLAGS=("${CXX[@]}" "${CXXFLAGS[@]}" -fPIC)
CMD=("${FLAGS[@]}" -I"$HERE" -c "$HERE/gaugeflow_grid.cc" -o "$OBJ.tmp")
STAMP=$OUT/gaugeflow_grid.flags   # the compiler and flags the object was made with
if [[ -f $OBJ && $OBJ -nt $HERE/gaugeflow_grid.cc && $OBJ -nt $HERE/gaugeflow_grid.h && -f $STAMP ]] \
   && [[ "$(cat "$STAMP")" == "${FLAGS[*]}" ]]; then
  log "shim up to date: $OBJ (Grid at $PREFIX)"
else
  log "compiling the shim against Grid at $PREFIX (Grid's headers: this takes minutes) ..."
  t0=$SECONDS
  "${CMD[@]}" || die "compiling $HERE/gaugeflow_grid.cc failed"
  mv -f "$OBJ.tmp" "$OBJ"
  printf '%s' "${FLAGS[*]}" >"$STAMP"
  log "compiled $OBJ in $((SECONDS - t0)) s"
fi

# ---------------------------------------------------------------- link arguments
LIBDIR=$PREFIX/lib
if [[ -f $LIBDIR/libGridPIC.a ]]; then GRIDLIB=-lGridPIC; else GRIDLIB=-lGrid; fi
OTHER=()
for l in "${LIBS[@]}"; do [[ $l == -lGrid ]] || OTHER+=("$l"); done
# The shim first, then Grid (-lGrid first of Grid's libraries, docs/grid.md), then its dependencies; the
# static archives' symbols stay inside the JNI library (--exclude-libs).
LINK=("$OBJ" "${LDFLAGS[@]}" -L"$LIBDIR" "$GRIDLIB" "${OTHER[@]}" -fopenmp -Wl,--exclude-libs,ALL)
printf '%s\n' "${LINK[@]}" >"$OUT/link.rsp.tmp"

# A trial link: a Grid library compiled without -fPIC cannot go into a shared library.
# -z defs: every symbol the shim needs must be found now, not when the JVM loads the library.
if ! err=$(g++ -shared -Wl,-z,defs -o "$OUT/trial.so" @"$OUT/link.rsp.tmp" 2>&1); then
  rm -f "$OUT/trial.so"
  if grep -q 'recompile with -fPIC' <<<"$err"; then
    die "$LIBDIR/lib${GRIDLIB#-l}.a is not position-independent, so it cannot be linked into the JNI library: run scripts/build-grid-pic.sh $PREFIX $OBJ (recompiles the members the bridge needs with -fPIC into libGridPIC.a, docs/grid.md), or rebuild Grid with scripts/build-grid.sh (which adds -fPIC)"
  fi
  if [[ $GRIDLIB == -lGridPIC ]] && grep -q 'undefined reference' <<<"$err"; then
    die "$LIBDIR/libGridPIC.a lacks members the shim needs ($(grep -m1 -o "undefined reference to .*" <<<"$err")): run scripts/build-grid-pic.sh $PREFIX $OBJ again"
  fi
  die "linking the shim with Grid failed: $(grep -m1 -E 'error|undefined' <<<"$err" || head -n 1 <<<"$err")"
fi
rm -f "$OUT/trial.so"
mv -f "$OUT/link.rsp.tmp" "$OUT/link.rsp"
log "link arguments: $OUT/link.rsp (Grid library lib${GRIDLIB#-l}.a)"
