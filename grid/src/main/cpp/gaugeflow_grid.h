/*
 * gaugeflow_grid.h -- C ABI of the gaugeflow Grid bridge: a thin shim over Grid (github:paboyle/Grid),
 * compiled against an installed Grid and loaded into the JVM through JavaCPP
 * (org.gaugeflow.grid.GridBridge maps each function one to one). It follows the style of the native
 * engine's ABI (bindings/src/main/cpp/gaugeflow_engine.h): status codes, no exceptions across the
 * boundary, caller-owned memory, an ABI version.
 *
 * WHAT GRID ALLOWS: Grid's QCD layer is compiled for Nd = 4 and Nc = 3 (LatticeGaugeField is
 *   iVector<iScalar<iMatrix<vComplexD, 3>>, 4>), so the bridge handles SU(3) in 4D only: nd must be 4.
 *   The extents must split into Grid's SIMD layout (GridDefaultSimd(4, vComplexD::Nsimd()), e.g.
 *   1.1.1.2 for AVX2): each extent divided by its SIMD factor must be >= 2 (gg_check_geometry).
 *
 * FIELD LAYOUT (u, p, f): exactly that of gaugeflow_engine.h with nc = 3, nd = 4: one configuration is
 *     double[4][V][3][3][2]     (mu, site rank x-fastest, row, column, re/im)
 *   i.e. the memory of one configuration of the batched complex128 tensor [B, 4, L3, L2, L1, L0, 3, 3].
 *   Grid's site order (Lexicographic, x fastest), its direction order (mu = 0 is x) and its matrix
 *   layout (iMatrix(i, j), row i) are the same as ours; the shim converts between this layout and
 *   Grid's SIMD-vectorized LatticeGaugeField with vectorizeFromLexOrdArray / unvectorizeToLexOrdArray
 *   (Grid's own routines), so a field crosses unchanged, bit for bit (gg_round_trip).
 *
 * CONVENTIONS (ours: docs/conventions.md "HMC"; Grid's: Grid/qcd/action/gauge/GaugeImplTypes.h,
 *   Grid/qcd/hmc/integrators/Integrator.h with CPS_MD_TIME, HMC_MOMENTUM_DENOMINATOR = 2):
 *   ours:  P Hermitian traceless, K = Tr P^2 per link, U <- exp(i eps P) U, dP/dt = F;
 *   Grid:  P_G anti-Hermitian traceless, K = -Tr P_G^2 / 2, U <- exp(eps_G P_G) U,
 *          dP_G/dt_G = -2 Ta(dS/dU), with momenta drawn as P_G = i sqrt(2) sum_a c_a T_a, c_a ~ N(0, 1).
 *   The map that makes the two dynamics identical:
 *          P_G = i sqrt(2) P,    t_G = t / sqrt(2)  (tau_G = tau / sqrt 2, the same number of steps),
 *          F   = i Ta(U A) beta/(2N)  (Grid's projected force, times i),   K_G = K.
 *   The shim applies it at the boundary: every momentum, force, tau and energy in this ABI is in OUR
 *   convention. The action is ours, S = -(beta/3) sum_x sum_{mu<nu} Re Tr P_munu (Grid's
 *   WilsonGaugeAction::S is beta (1 - plaq) 6 V, larger by the constant beta 6 V).
 *
 * INTEGRATORS: Grid's own, one level, the Wilson action only, no smearing:
 *   GG_LEAPFROG = LeapFrog (PQP), GG_OMELYAN = MinimumNorm2 (2MN, lambda = 0.1931833275037836),
 *   GG_FORCE_GRADIENT = ForceGradient (lambda = 1/6, chi = 1/72). Grid projects the links onto SU(3)
 *   after every exponential and once more at the end of a trajectory.
 *
 * RANDOM NUMBERS: gg_random_momenta and gg_md_trajectory seed Grid's parallel and serial generators
 *   (sitmo) with SeedFixedIntegers({seed & 0xffffffff, seed >> 32, stream & 0xffffffff, stream >> 32}):
 *   a (seed, stream) pair gives the same momenta for any thread count.
 *
 * INITIALIZATION: gg_init calls Grid_init once per process with argv
 *   {"gaugeflow", "--threads", N, "--shm", MB, "--log", "Error"} (Grid's start banner is discarded);
 *   Grid is never finalized (it lives until the process exits). Every other call needs gg_init first
 *   (GG_ERR_INIT otherwise). Calls are serialized by one lock; each runs Grid's OpenMP loops with the
 *   thread count given to gg_init / gg_set_threads and restores the caller's OpenMP setting.
 *
 * ERRORS: no C++ exception crosses this ABI (the guard GG_GUARD in gaugeflow_grid.cc, as GF_GUARD in
 *   the engine): status functions return GG_OK or a GG_ERR_* code (gg_error_string explains it),
 *   double-valued ones NaN, counts 0. LIMIT: Grid itself stops the process (assert/exit) on some
 *   failures it detects (a corrupt file in its ILDG or NERSC reader, a checksum mismatch); the shim
 *   checks what it can before calling Grid (geometry, that a file can be opened), but the file readers
 *   are meant for files that gaugeflow's own readers have accepted (the cross-checks of docs/grid.md).
 * MEMORY: all arrays belong to the caller; the shim keeps no pointer after a call returns. It caches
 *   Grid's grid objects (one per lattice) and its integrators (per lattice, beta and integrator).
 * ABI VERSION: gg_abi_version() returns GG_ABI_VERSION of the header the library was built from;
 *   org.gaugeflow.grid.GridBridge uses the library only when it matches the version it was written for.
 */
#ifndef GAUGEFLOW_GRID_H
#define GAUGEFLOW_GRID_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GG_ABI_VERSION 1

enum {
    GG_OK = 0,
    GG_ERR_INIT = 1,      /* Grid is not initialized (call gg_init first), or its initialization failed */
    GG_ERR_GEOMETRY = 2,  /* nd is not 4, or an extent does not fit Grid's SIMD layout (extent / simd >= 2) */
    GG_ERR_ARG = 3,       /* null pointer, steps < 1, unknown integrator, non-finite beta or tau, reps < 1 */
    GG_ERR_NONFINITE = 4, /* the molecular dynamics produced a non-finite field, momentum or energy */
    GG_ERR_ALLOC = 5,     /* out of memory (or the work fields would exceed physical memory) */
    GG_ERR_IO = 6,        /* the file cannot be opened for reading / created for writing */
    GG_ERR_INTERNAL = 7   /* the shim caught an unexpected C++ exception (a bug: please report) */
};

enum { GG_LEAPFROG = 0, GG_OMELYAN = 1, GG_FORCE_GRADIENT = 2 };

/* Result slots of gg_md_trajectory. */
enum {
    GG_RES_DH = 0,        /* H1 - H0 */
    GG_RES_H0 = 1,        /* H = K + S at the start (our normalization) */
    GG_RES_H1 = 2,        /* H at the end of the molecular dynamics */
    GG_RES_PLAQUETTE = 3, /* plaquette of the field at the end of the molecular dynamics */
    GG_RES_COUNT = 4
};

/* GG_ABI_VERSION of the library's build. */
int gg_abi_version(void);
/* A static, never NULL, one-line text for a status code. */
const char* gg_error_string(int code);
/* A static one-line description of the Grid build the shim was compiled against (SIMD, lanes, Nc, Nd). */
const char* gg_build_info(void);

/* Initializes Grid once per process (see INITIALIZATION): threads >= 1, shm_mb >= 1 (Grid's --shm),
 * verbose = 1 keeps Grid's banner and its Message/Warning logs. A second call only sets the threads. */
int gg_init(int threads, int shm_mb, int verbose);
/* 1 after a successful gg_init, else 0. */
int gg_initialized(void);
/* Grid's thread count (0 before gg_init). */
int gg_threads(void);
/* Sets Grid's thread count (>= 1; capped by OpenMP's maximum). */
int gg_set_threads(int threads);
/* Complex-double SIMD lanes of this Grid build (vComplexD::Nsimd()), e.g. 2 for AVX2. */
int gg_simd_lanes(void);

/* Validates (nd, dims) for Grid: GG_OK or GG_ERR_GEOMETRY / GG_ERR_ARG. */
int gg_check_geometry(int nd, const int* dims);
/* Doubles of one configuration: 4 * V * 9 * 2 (0 on invalid geometry). */
int64_t gg_field_doubles(int nd, const int* dims);

/* Field exchange: u -> LatticeGaugeField -> out (the two may be the same array). */
int gg_round_trip(int nd, const int* dims, const double* u, double* out);

/* Observables computed by Grid: WilsonLoops<PeriodicGimplR>::avgPlaquette, our action S (from Grid's
 * sumPlaquette), our kinetic energy K of momenta p (from Grid's FieldSquareNorm of P_G). */
double gg_plaquette(int nd, const int* dims, const double* u);
double gg_action(int nd, const int* dims, double beta, const double* u);
double gg_kinetic(int nd, const int* dims, const double* p);

/* f <- the HMC force F = dP/dt in our convention, from Grid's WilsonGaugeAction::deriv and Ta projection. */
int gg_force(int nd, const int* dims, double beta, const double* u, double* f);
/* Times Grid's force (deriv + Ta projection) on a field already in Grid's layout: the best of `reps`
 * evaluations after one warm-up, in seconds, into *best_seconds. */
int gg_force_seconds(int nd, const int* dims, double beta, const double* u, int reps, double* best_seconds);

/* Momenta drawn by Grid (Gimpl::generate_momenta) from (seed, stream), in our convention. */
int gg_random_momenta(int nd, const int* dims, uint64_t seed, uint64_t stream, double* p);

/* Molecular dynamics by Grid's integrator over our time tau with `steps` steps, in place on (u, p) in
 * our convention. On GG_ERR_NONFINITE u and p are left unchanged. */
int gg_integrate(int nd, const int* dims, double beta, int integrator, double tau, int steps,
                 double* u, double* p);

/* The molecular-dynamics part of one HMC trajectory, all in Grid: momentum refresh by the integrator
 * (Grid's generators seeded from (seed, stream): the momenta of gg_random_momenta), H0, integration, H1.
 * u receives the field at the end of the MD (the accept/reject step is the caller's: keep a copy);
 * result[GG_RES_COUNT] receives dH, H0, H1, the final plaquette. On GG_ERR_NONFINITE u is unchanged. */
int gg_md_trajectory(int nd, const int* dims, double beta, int integrator, double tau, int steps,
                     uint64_t seed, uint64_t stream, double* u, double* result);

/* Grid's ILDG writer (IldgWriter::writeConfiguration, 64-bit, with its ildg-data-lfn record) and reader
 * (IldgReader::readConfiguration, which verifies the SciDAC checksum and, when present, plaquette and
 * link trace). u/out are in our layout; dims must be the file's lattice. */
int gg_ildg_write(const char* path, int nd, const int* dims, const double* u, const char* lfn);
int gg_ildg_read(const char* path, int nd, const int* dims, double* out);

/* Grid's NERSC writer (NerscIO::writeConfiguration: IEEE64BIG, 4D_SU3_GAUGE when two_row, else
 * 4D_SU3_GAUGE_3x3) and reader (NerscIO::readConfiguration: checksum, plaquette, link trace). */
int gg_nersc_write(const char* path, int nd, const int* dims, const double* u, int two_row);
int gg_nersc_read(const char* path, int nd, const int* dims, double* out);

#ifdef __cplusplus
}
#endif

#endif /* GAUGEFLOW_GRID_H */
