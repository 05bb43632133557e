#!/usr/bin/env bash
# build-grid.sh GRID_SRC LIME_SRC PREFIX [JOBS]
#
# Builds c-lime (cmake) and the Grid library (autotools, CPU only, no MPI)
# from source trees that the caller already has, and installs both to PREFIX
# (PREFIX/bin/grid-config, PREFIX/lib/libGrid.a, PREFIX/lib/liblime.a,
# PREFIX/include/{Grid,lime*.h}).
#
# Environment knobs:
#   BUILD_DIR   where object files go   (default: dirname(PREFIX)/build)
#   GRID_SIMD   Grid --enable-simd value (default: AVX2 if the CPU has avx2+fma+f16c, else GEN)
#   GRID_TEST   1 = also build and link tests/hmc/Test_hmc_WilsonGauge (default 1)
#   GRID_EXTRA_CONFIGURE  extra flags appended to Grid's configure
#   GRID_CXXFLAGS  CXXFLAGS given to Grid's configure (default -fPIC: the gaugeflow Grid bridge links Grid into a
#               shared library loaded by the JVM; configure adds -O3 and -fno-strict-aliasing itself). A tree
#               configured before without -fPIC is reconfigured and rebuilt; scripts/build-grid-pic.sh instead
#               recompiles only the members the bridge needs (docs/grid.md)
#
# Steps that are already done are skipped (c-lime installed, Eigen in place,
# configure generated, same configure flags); make itself is incremental.
set -Eeuo pipefail

CURRENT_STEP=setup
die() { echo "build-grid.sh: error: $*" >&2; exit 1; }
trap 'echo "build-grid.sh: error: step \"$CURRENT_STEP\" failed (exit $?, line $LINENO: $BASH_COMMAND)" >&2' ERR
log() { echo "[build-grid $(date '+%H:%M:%S')] $*"; }
step() {  # step NAME CMD...: run and report wall time (set -e stays in force inside CMD)
  CURRENT_STEP=$1; shift
  local t0=$SECONDS
  log "begin $CURRENT_STEP"
  "$@"
  log "end   $CURRENT_STEP: $((SECONDS - t0)) s"
  CURRENT_STEP=between-steps
}

[[ $# -ge 3 && $# -le 4 ]] || die "usage: build-grid.sh GRID_SRC LIME_SRC PREFIX [JOBS]"
[[ -d $1 ]] || die "GRID_SRC '$1' is not a directory"
[[ -d $2 ]] || die "LIME_SRC '$2' is not a directory"
mkdir -p "$3" 2>/dev/null || die "cannot create PREFIX '$3'"
GRID_SRC=$(cd "$1" && pwd)
LIME_SRC=$(cd "$2" && pwd)
PREFIX=$(cd "$3" && pwd)
JOBS=${4:-1}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || die "JOBS must be a positive integer, got '$JOBS'"
BUILD_DIR=${BUILD_DIR:-$(dirname "$PREFIX")/build}
GRID_TEST=${GRID_TEST:-1}
EIGEN_SYS=${EIGEN_SYS:-/usr/include/eigen3}

[[ -f $GRID_SRC/configure.ac && -f $GRID_SRC/scripts/filelist ]] || die "$GRID_SRC does not look like a Grid source tree (no configure.ac / scripts/filelist)"
[[ -f $LIME_SRC/CMakeLists.txt && -f $LIME_SRC/include/lime.h ]] || die "$LIME_SRC does not look like a c-lime source tree (no CMakeLists.txt / include/lime.h)"

# ---------------------------------------------------------------- prerequisites
APT_PKGS="g++ make cmake autoconf automake libtool libeigen3-dev libmpfr-dev libgmp-dev libssl-dev zlib1g-dev git"
missing=()
for c in g++ make cmake autoreconf automake libtoolize git; do
  command -v "$c" >/dev/null 2>&1 || missing+=("command:$c")
done
for h in gmp.h mpfr.h openssl/sha.h zlib.h; do
  [[ -f /usr/include/$h || -f /usr/include/x86_64-linux-gnu/$h ]] || missing+=("header:$h")
done
[[ -f $EIGEN_SYS/Eigen/Core && -d $EIGEN_SYS/unsupported/Eigen ]] || missing+=("Eigen 3.4 at $EIGEN_SYS")
if (( ${#missing[@]} )); then
  die "missing prerequisites: ${missing[*]} -- on Debian/Ubuntu: apt-get install -y $APT_PKGS"
fi
if command -v dpkg-query >/dev/null 2>&1; then
  ev=$(dpkg-query -W -f='${Version}' libeigen3-dev 2>/dev/null || true)
  [[ -z $ev || $ev == 3.4* ]] || die "libeigen3-dev is $ev, Grid expects Eigen 3.4"
fi

if [[ -z ${GRID_SIMD:-} ]]; then
  if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && grep -qw f16c /proc/cpuinfo; then
    GRID_SIMD=AVX2
  else
    GRID_SIMD=GEN
    log "CPU lacks avx2/fma/f16c: using --enable-simd=GEN (portable, slower)"
  fi
fi

log "GRID_SRC=$GRID_SRC ($(git -C "$GRID_SRC" rev-parse HEAD 2>/dev/null || echo 'not a git tree'))"
log "LIME_SRC=$LIME_SRC ($(git -C "$LIME_SRC" rev-parse HEAD 2>/dev/null || echo 'not a git tree'))"
log "PREFIX=$PREFIX BUILD_DIR=$BUILD_DIR JOBS=$JOBS SIMD=$GRID_SIMD"
mkdir -p "$BUILD_DIR"

# ---------------------------------------------------------------- c-lime
lime_build() {
  cmake -S "$LIME_SRC" -B "$BUILD_DIR/c-lime" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib \
        -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_TESTING=OFF >/dev/null &&
  cmake --build "$BUILD_DIR/c-lime" -j "$JOBS" >/dev/null &&
  cmake --install "$BUILD_DIR/c-lime" >/dev/null
}
if [[ -f $PREFIX/lib/liblime.a && -f $PREFIX/include/lime.h ]]; then
  log "c-lime already installed in $PREFIX, skipping"
else
  step c-lime lime_build
fi

# ---------------------------------------------------------------- Eigen (what Grid's bootstrap.sh/update_eigen.sh do, from the system copy)
eigen_setup() {
  cd "$GRID_SRC"
  rm -f Grid/Eigen
  rm -rf Eigen
  mkdir Eigen
  cp -r "$EIGEN_SYS/Eigen" "$EIGEN_SYS/unsupported" Eigen/
  ln -s ../Eigen/Eigen Grid/Eigen                       # Grid/Eigen -> Eigen/Eigen
  ln -s ../unsupported/Eigen Eigen/Eigen/unsupported    # Grid/Eigen/unsupported -> Eigen/unsupported/Eigen
  cd Grid
  { echo 'eigen_files =\'; find -L Eigen -type f -print | sed 's/^/  /;$q;s/$/ \\/'; } > Eigen.inc
}
if [[ -f $GRID_SRC/Grid/Eigen/Core && -f $GRID_SRC/Grid/Eigen/unsupported/CXX11/Tensor && -s $GRID_SRC/Grid/Eigen.inc ]]; then
  log "Eigen already set up in $GRID_SRC, skipping"
else
  step eigen eigen_setup
fi

# ---------------------------------------------------------------- bootstrap (filelist + autoreconf)
bootstrap() { cd "$GRID_SRC" && ./scripts/filelist && autoreconf -fvi >"$BUILD_DIR/autoreconf.log" 2>&1; }
if [[ -x $GRID_SRC/configure && $GRID_SRC/configure -nt $GRID_SRC/configure.ac && -f $GRID_SRC/Grid/Make.inc ]]; then
  log "Grid configure script up to date, skipping bootstrap"
else
  step bootstrap bootstrap
fi

# ---------------------------------------------------------------- configure (out of tree)
CONF_FLAGS=(
  --prefix="$PREFIX"
  --enable-simd="$GRID_SIMD"
  --enable-comms=none
  --enable-fermion-reps=no
  --enable-gparity=no
  --enable-zmobius=no
  --disable-unified
  --with-lime="$PREFIX"
)
# shellcheck disable=SC2206
[[ -n ${GRID_EXTRA_CONFIGURE:-} ]] && CONF_FLAGS+=($GRID_EXTRA_CONFIGURE)
GB=$BUILD_DIR/grid
mkdir -p "$GB"
stamp="$GB/.configure-flags"
GRID_CXXFLAGS=${GRID_CXXFLAGS--fPIC}
STAMP_LINES=("${CONF_FLAGS[@]}")
[[ -n $GRID_CXXFLAGS ]] && STAMP_LINES+=("CXXFLAGS=$GRID_CXXFLAGS")
configure_grid() {
  cd "$GB" && CXX=${CXX:-g++} CXXFLAGS="$GRID_CXXFLAGS" "$GRID_SRC/configure" "${CONF_FLAGS[@]}" >"$GB/configure.log" 2>&1 &&
  printf '%s\n' "${STAMP_LINES[@]}" >"$stamp"
}
if [[ -f $GB/config.status && -f $stamp ]] && [[ "$(cat "$stamp")" == "$(printf '%s\n' "${STAMP_LINES[@]}")" ]]; then
  log "Grid already configured with the same flags, skipping configure"
else
  step configure configure_grid
fi
grep -q '^#define HAVE_LIME 1' "$GB/Grid/Config.h" || die "Grid configure did not find c-lime in $PREFIX (see $GB/config.log)"

# ---------------------------------------------------------------- make (library only) and install
step "make libGrid (-j$JOBS)" make -C "$GB/Grid" -j "$JOBS"
install_grid() { make -C "$GB/Grid" install >/dev/null && make -C "$GB" install-binSCRIPTS >/dev/null; }
step install install_grid
[[ -x $PREFIX/bin/grid-config && -f $PREFIX/lib/libGrid.a && -f $PREFIX/include/Grid/Grid.h ]] || die "install incomplete in $PREFIX"

# ---------------------------------------------------------------- link check
if [[ $GRID_TEST == 1 ]]; then
  step "link Test_hmc_WilsonGauge" make -C "$GB/tests/hmc" -j "$JOBS" Test_hmc_WilsonGauge
  log "test binary: $GB/tests/hmc/Test_hmc_WilsonGauge"
fi

log "done: $PREFIX/bin/grid-config --cxxflags = $("$PREFIX/bin/grid-config" --cxxflags)"
