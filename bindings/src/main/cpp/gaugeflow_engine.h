/*
 * gaugeflow_engine.h -- C ABI of the gaugeflow native HMC engine (pure-gauge Wilson action).
 *
 * This header is the contract between the engine and its callers (the Java bridge
 * org.gaugeflow.bindings.NativeEngine, and later Grid / QUDA adapters that sit behind the same
 * Java interface). Conventions follow docs/conventions.md exactly; they are repeated here so a
 * C caller needs nothing else.
 *
 * GROUPS: nc = 1 is U(1); nc = 2, 3 is SU(2), SU(3). Dimension nd = 2..4, extents dims[mu] >= 2
 *   (dims[0] is x, the fastest-running direction), periodic boundary conditions.
 *
 * FIELD LAYOUT (links u, momenta p, forces f): one configuration is the contiguous block
 *     double[nd][V][nc][nc][2]                       (complex128, (re, im) interleaved)
 *   V = prod dims, site rank r = x0 + L0 (x1 + L1 (x2 + L2 x3)) (x fastest, as in ILDG), matrices
 *   row-major. This is exactly the memory of one configuration of the batched tensor
 *   links[B, d, L_{d-1}, ..., L_0, N, N] (complex128, contiguous) of org.gaugeflow.field.GaugeField,
 *   so the engine works on tensor memory without copying. U_mu(x) points from x to x + mu.
 *   U(1) uses the same layout with nc = 1 (|U| = 1).
 *
 * MOMENTA live in the algebra, stored as Hermitian matrices in the same layout:
 *   SU(N): P = sum_a pi_a T_a, traceless, Tr T_a T_b = delta_ab / 2 (generalized Gell-Mann / 2);
 *   U(1):  P = pi, real (imaginary part 0).
 *   Hamiltonian H = K + S with K = sum_links Tr P^2 = (1/2) sum pi_a^2 for SU(N) and
 *   K = (1/2) sum_links P^2 for U(1); refreshed momenta have pi_a ~ N(0, 1).
 *
 * ACTION  S = -(beta/N) sum_x sum_{mu<nu} Re Tr P_munu(x),
 *   P_munu(x) = U_mu(x) U_nu(x+mu) U_mu(x+nu)^dag U_nu(x)^dag; for U(1) S = -beta sum cos(theta_P).
 *   Plaquette observable: (1/N) Re Tr P averaged over sites and the nd(nd-1)/2 planes.
 *
 * FORCE F = dP/dt, with the staple sum A_mu(x) such that the plaquettes holding U_mu(x) are
 *   Re Tr[U_mu(x) A_mu(x)] and W = U_mu(x) A_mu(x):
 *   SU(N): F = -(beta/(2N)) [B - (Tr B / N) 1],  B = (W - W^dag) / (2i);   U(1): F = -beta Im W.
 *
 * MD UPDATE  U <- exp(i eps P) U followed by reunitarization (projection onto the group). The
 *   exponential is evaluated to machine precision (U(1): cos + i sin; SU(N): scaling and squaring
 *   to |X|_F <= 1/4 and the degree-12 Taylor polynomial, whose truncation error is below 2^-56).
 *   Reunitarization: SU(2): row 0 normalized to (a, b), row 1 = (-conj(b), conj(a));
 *   SU(3): Gram-Schmidt on rows 0 and 1, row 2 = conj(row0 x row1); U(1): U / |U|.
 *
 * INTEGRATORS (eps = tau / steps; consecutive momentum kicks with the same field are merged,
 *   which is the same map up to rounding):
 *   GF_LEAPFROG (PQP):  P += (eps/2) F; U <- exp(i eps P) U; P += (eps/2) F.      (steps + 1 forces)
 *   GF_OMELYAN  (2MN, PQPQP), lambda = 0.1931833275037836:
 *     P += lambda eps F; U <- exp(i eps/2 P) U; P += (1 - 2 lambda) eps F;
 *     U <- exp(i eps/2 P) U; P += lambda eps F.                                    (2 steps + 1 forces)
 *
 * RANDOM NUMBERS are counter based (Philox4x32-10, Salmon et al. SC'11) keyed by (seed) and indexed
 *   by (stream, purpose, link, component): results do not depend on the number of OpenMP threads,
 *   and trajectory k of a chain with seed s uses stream k. All sums (action, plaquette, kinetic
 *   energy) are reduced in a fixed order, so runs are bitwise reproducible for any thread count.
 *
 * THREADS: OpenMP over sites; gf_set_threads sets the engine's thread count.
 * ERRORS: no C++ exception ever crosses this ABI. Every entry point runs entirely inside one guard
 *   (GF_GUARD in gaugeflow_engine.cpp) that turns std::bad_alloc and any other exception into the
 *   function's error value:
 *   - status functions (int, all but gf_abi_version and gf_max_threads) return GF_OK (0) or a
 *     GF_ERR_* code, which gf_error_string explains; GF_ERR_ALLOC when work memory could not be had,
 *     GF_ERR_INTERNAL for any other exception;
 *   - functions returning double return NaN on invalid arguments and on any failure;
 *   - gf_field_doubles, gf_max_threads and gf_abi_version return 0 on failure (never a valid value);
 *   - gf_error_string never returns NULL; gf_set_threads and gf_copy simply do nothing on failure
 *     (gf_copy also does nothing for NULL pointers or n <= 0).
 *   The engine refuses up front (as an allocation failure) a call whose own work memory would
 *   exceed physical memory, instead of leaving it to the operating system's OOM killer.
 * MEMORY: every array is owned by the caller; the engine keeps no pointer after a call returns and
 *   frees its own work buffers before returning. Pointers must not alias unless stated.
 * ABI VERSION: gf_abi_version() returns GF_ABI_VERSION of the header the library was built from;
 *   it changes with every incompatible change (signature, layout, meaning of a value, a new status
 *   code). Callers compare it with the version they were written for before any other call
 *   (NativeEngine.available() is false on a mismatch). Version 2 added GF_ERR_INTERNAL and the
 *   failure values above.
 */
#ifndef GAUGEFLOW_ENGINE_H
#define GAUGEFLOW_ENGINE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GF_ABI_VERSION 2

enum {
    GF_OK = 0,
    GF_ERR_GROUP = 1,     /* nc is not 1, 2 or 3 */
    GF_ERR_DIM = 2,       /* nd is not 2, 3 or 4 */
    GF_ERR_EXTENT = 3,    /* an extent is below 2 (or the volume overflows) */
    GF_ERR_ARG = 4,       /* null pointer, steps < 1, unknown integrator, non-finite beta/tau */
    GF_ERR_NONFINITE = 5, /* the integrator produced a non-finite field, momentum or energy */
    GF_ERR_ALLOC = 6,     /* out of memory for work buffers (or they would exceed physical memory) */
    GF_ERR_INTERNAL = 7   /* the engine caught an unexpected C++ exception (a bug: please report) */
};

enum { GF_LEAPFROG = 0, GF_OMELYAN = 1 };

/* Result slots of gf_trajectory. */
enum {
    GF_RES_DH = 0,        /* Delta H = H(end) - H(start) */
    GF_RES_ACCEPTED = 1,  /* 1.0 if accepted, else 0.0 */
    GF_RES_PLAQUETTE = 2, /* plaquette of the field after accept/reject */
    GF_RES_H0 = 3,        /* H at the start */
    GF_RES_H1 = 4,        /* H at the end of the MD trajectory */
    GF_RES_UNIFORM = 5,   /* the uniform number used for Metropolis */
    GF_RES_COUNT = 6
};

/* GF_ABI_VERSION of the library's build (0 only on an internal failure). */
int gf_abi_version(void);
/* A static, never NULL, one-line text for a status code ("unknown error code" for others). */
const char* gf_error_string(int code);
/* Threads the engine uses (>= 1; 0 only on an internal failure). */
int gf_max_threads(void);
/* nthreads <= 0 restores the OpenMP default. */
void gf_set_threads(int nthreads);

/* Validates (nc, nd, dims); GF_OK or an error code. */
int gf_check_geometry(int nc, int nd, const int* dims);
/* Number of doubles of one configuration: nd * V * nc * nc * 2 (0 on invalid geometry). */
int64_t gf_field_doubles(int nc, int nd, const int* dims);

/* Observables. */
double gf_plaquette(int nc, int nd, const int* dims, const double* u);
double gf_action(int nc, int nd, const int* dims, double beta, const double* u);
double gf_kinetic(int nc, int nd, const int* dims, const double* p);
/* Largest deviation from the group: max over links of |U U^dag - 1|_max, and |det U - 1| for SU(N). */
double gf_unitarity_violation(int nc, int nd, const int* dims, const double* u);

/* f <- F(u) (conventions above). */
int gf_force(int nc, int nd, const int* dims, double beta, const double* u, double* f);
/* Nominal floating-point operations of one gf_force call (complex N x N product = 8N^3 - 2N^2). */
double gf_force_flops(int nc, int nd, const int* dims);

/* Field preparation. */
int gf_unit_field(int nc, int nd, const int* dims, double* u);
/* Haar-random links (Gram-Schmidt of Gaussian rows; U(1): uniform angle). */
int gf_random_field(int nc, int nd, const int* dims, uint64_t seed, uint64_t stream, double* u);
int gf_reunitarize(int nc, int nd, const int* dims, double* u);
/* Gaussian momenta pi_a ~ N(0,1) in the algebra (the draw of trajectory `stream`). */
int gf_random_momenta(int nc, int nd, const int* dims, uint64_t seed, uint64_t stream, double* p);

/* Molecular dynamics: integrates (u, p) in place over time tau with `steps` steps. */
int gf_integrate(int nc, int nd, const int* dims, double beta, int integrator, double tau,
                 int steps, double* u, double* p);

/* One HMC trajectory on u in place: momenta from (seed, stream), MD on a copy, Metropolis with
 * probability min(1, exp(-dH)) using the uniform of (seed, stream). If p_out is not NULL it receives
 * the starting momenta. result[GF_RES_COUNT] receives dH, accepted, plaquette, H0, H1, uniform.
 * On GF_ERR_NONFINITE u is left unchanged (the trajectory is not accepted). */
int gf_trajectory(int nc, int nd, const int* dims, double beta, int integrator, double tau,
                  int steps, uint64_t seed, uint64_t stream, double* u, double* p_out,
                  double* result);

/* Plain parallel copy dst[i] = src[i] (reference for memory bandwidth); nothing for NULL or n <= 0. */
void gf_copy(double* dst, const double* src, int64_t n);

#ifdef __cplusplus
}
#endif

#endif /* GAUGEFLOW_ENGINE_H */
