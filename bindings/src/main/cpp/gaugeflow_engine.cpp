/*
 * gaugeflow_engine.cpp -- implementation of the C ABI declared in gaugeflow_engine.h.
 * C++17 + OpenMP. Every convention (layout, action, force, momenta, integrators) is stated in the
 * header; this file cites it by name. Matrices are N x N complex, row-major, (re, im) interleaved.
 */
#include "gaugeflow_engine.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace gf {

/* ---------------------------------------------------------------- threads */

static std::atomic<int> g_threads{0};

static int threads() {
    int n = g_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : omp_get_max_threads();
}

/* Work below these sizes runs on one thread: a parallel region costs more than it saves there
 * (and far more on an oversubscribed machine). */
constexpr int64_t kParallelLinks = 1024;      /* per-link kernels (force, exp map, RNG) */
constexpr int64_t kParallelDoubles = 1 << 16; /* streaming kernels (kick, copy, sums) */

/* ---------------------------------------------------------------- memory */

/* Physical memory in bytes, 0 when the platform does not say. */
static int64_t physical_bytes() {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) return (int64_t)pages * (int64_t)page;
#endif
    return 0;
}

/* Throws std::bad_alloc (GF_ERR_ALLOC, or NaN, at the C ABI) when the engine's own memory for one
 * call exceeds physical memory. Such a request cannot succeed usefully, and with memory overcommit
 * it would not fail at allocation but later, in the kernel's OOM killer, taking the caller along. */
static void require_memory(int64_t bytes) {
    static const int64_t phys = physical_bytes();
    if (phys > 0 && bytes > phys) throw std::bad_alloc();
}

/* ---------------------------------------------------------------- geometry */

/* Periodic lattice with site rank r = x0 + L0 (x1 + L1 (x2 + L2 x3)) and neighbour tables.
 * work_bytes: the other memory the calling entry point will allocate; the tables and that memory
 * together pass require_memory before anything is allocated. */
struct Geometry {
    int nd = 0;
    int L[4] = {1, 1, 1, 1};
    int64_t V = 0;
    std::vector<int32_t> up;   /* up[mu * V + r] = rank of x + mu */
    std::vector<int32_t> dn;   /* dn[mu * V + r] = rank of x - mu */

    Geometry(int nd_, const int* dims, int64_t work_bytes = 0) : nd(nd_) {
        V = 1;
        for (int mu = 0; mu < nd; ++mu) { L[mu] = dims[mu]; V *= dims[mu]; }
        require_memory(2 * (int64_t)sizeof(int32_t) * nd * V + work_bytes);
        up.resize((size_t)nd * V);
        dn.resize((size_t)nd * V);
        int64_t stride = 1;
        for (int mu = 0; mu < nd; ++mu) {
            const int64_t Lm = L[mu];
            for (int64_t r = 0; r < V; ++r) {
                const int64_t xm = (r / stride) % Lm;
                up[mu * V + r] = (int32_t)(r + (xm == Lm - 1 ? -(Lm - 1) * stride : stride));
                dn[mu * V + r] = (int32_t)(r + (xm == 0 ? (Lm - 1) * stride : -stride));
            }
            stride *= Lm;
        }
    }
    int64_t links() const { return (int64_t)nd * V; }
};

static int check_geometry(int nc, int nd, const int* dims) {
    if (nc < 1 || nc > 3) return GF_ERR_GROUP;
    if (nd < 2 || nd > 4) return GF_ERR_DIM;
    if (dims == nullptr) return GF_ERR_ARG;
    int64_t V = 1;
    for (int mu = 0; mu < nd; ++mu) {
        if (dims[mu] < 2) return GF_ERR_EXTENT;
        V *= dims[mu];
        if (V > (int64_t)1 << 30) return GF_ERR_EXTENT;
    }
    return GF_OK;
}

/* Sum of f(i), i in [0, n), in a fixed order (fixed blocks, then blocks in order): the result does
 * not depend on the number of threads. */
template <class F>
static double ordered_sum(int64_t n, F f) {
    const int64_t nb = std::min<int64_t>(n, 512);
    std::vector<double> part((size_t)nb, 0.0);
#pragma omp parallel for schedule(static) num_threads(threads()) if (n >= kParallelLinks)
    for (int64_t b = 0; b < nb; ++b) {
        const int64_t lo = n * b / nb, hi = n * (b + 1) / nb;
        double s = 0.0;
        for (int64_t i = lo; i < hi; ++i) s += f(i);
        part[(size_t)b] = s;
    }
    double s = 0.0;
    for (int64_t b = 0; b < nb; ++b) s += part[(size_t)b];
    return s;
}

/* ---------------------------------------------------------------- N x N complex matrices */

template <int N> constexpr int kSize = 2 * N * N;   /* doubles per matrix */
template <int N> constexpr int at(int i, int j) { return 2 * (i * N + j); }

/* c = a b */
template <int N>
static inline void mul(const double* __restrict a, const double* __restrict b, double* __restrict c) {
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            double re = 0.0, im = 0.0;
            for (int k = 0; k < N; ++k) {
                const double ar = a[at<N>(i, k)], ai = a[at<N>(i, k) + 1];
                const double br = b[at<N>(k, j)], bi = b[at<N>(k, j) + 1];
                re += ar * br - ai * bi;
                im += ar * bi + ai * br;
            }
            c[at<N>(i, j)] = re;
            c[at<N>(i, j) + 1] = im;
        }
}

/* c = a b^dag */
template <int N>
static inline void mul_adj(const double* __restrict a, const double* __restrict b, double* __restrict c) {
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            double re = 0.0, im = 0.0;
            for (int k = 0; k < N; ++k) {
                const double ar = a[at<N>(i, k)], ai = a[at<N>(i, k) + 1];
                const double br = b[at<N>(j, k)], bi = b[at<N>(j, k) + 1];
                re += ar * br + ai * bi;
                im += ai * br - ar * bi;
            }
            c[at<N>(i, j)] = re;
            c[at<N>(i, j) + 1] = im;
        }
}

/* c += a^dag b */
template <int N>
static inline void add_adj_mul(const double* __restrict a, const double* __restrict b, double* __restrict c) {
    for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
            double re = 0.0, im = 0.0;
            for (int k = 0; k < N; ++k) {
                const double ar = a[at<N>(k, i)], ai = a[at<N>(k, i) + 1];
                const double br = b[at<N>(k, j)], bi = b[at<N>(k, j) + 1];
                re += ar * br + ai * bi;
                im += ar * bi - ai * br;
            }
            c[at<N>(i, j)] += re;
            c[at<N>(i, j) + 1] += im;
        }
}

/* c += a b^dag */
template <int N>
static inline void add_mul_adj(const double* __restrict a, const double* __restrict b, double* __restrict c) {
    double t[kSize<N>];
    mul_adj<N>(a, b, t);
    for (int k = 0; k < kSize<N>; ++k) c[k] += t[k];
}

/* Re Tr (a b^dag) */
template <int N>
static inline double re_tr_mul_adj(const double* a, const double* b) {
    double s = 0.0;
    for (int k = 0; k < kSize<N>; ++k) s += a[k] * b[k];
    return s;
}

template <int N>
static inline double frob2(const double* a) {
    double s = 0.0;
    for (int k = 0; k < kSize<N>; ++k) s += a[k] * a[k];
    return s;
}

/* Projection onto the group (header: "Reunitarization"). */
template <int N> static inline void reunitarize(double* u);

template <>
inline void reunitarize<1>(double* u) {
    const double n = std::hypot(u[0], u[1]);
    u[0] /= n;
    u[1] /= n;
}

template <>
inline void reunitarize<2>(double* u) {
    const double n = std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2] + u[3] * u[3]);
    const double ar = u[0] / n, ai = u[1] / n, br = u[2] / n, bi = u[3] / n;
    u[0] = ar; u[1] = ai; u[2] = br; u[3] = bi;
    u[4] = -br; u[5] = bi;    /* -conj(b) */
    u[6] = ar;  u[7] = -ai;   /*  conj(a) */
}

template <>
inline void reunitarize<3>(double* u) {
    double* r0 = u;
    double* r1 = u + 6;
    double* r2 = u + 12;
    double n0 = 0.0;
    for (int k = 0; k < 6; ++k) n0 += r0[k] * r0[k];
    n0 = 1.0 / std::sqrt(n0);
    for (int k = 0; k < 6; ++k) r0[k] *= n0;
    /* r1 -= <r0, r1> r0, <a, b> = sum conj(a_k) b_k */
    double pr = 0.0, pi = 0.0;
    for (int k = 0; k < 3; ++k) {
        pr += r0[2 * k] * r1[2 * k] + r0[2 * k + 1] * r1[2 * k + 1];
        pi += r0[2 * k] * r1[2 * k + 1] - r0[2 * k + 1] * r1[2 * k];
    }
    for (int k = 0; k < 3; ++k) {
        const double ar = r0[2 * k], ai = r0[2 * k + 1];
        r1[2 * k] -= pr * ar - pi * ai;
        r1[2 * k + 1] -= pr * ai + pi * ar;
    }
    double n1 = 0.0;
    for (int k = 0; k < 6; ++k) n1 += r1[k] * r1[k];
    n1 = 1.0 / std::sqrt(n1);
    for (int k = 0; k < 6; ++k) r1[k] *= n1;
    /* r2 = conj(r0 x r1) */
    for (int k = 0; k < 3; ++k) {
        const int a = (k + 1) % 3, b = (k + 2) % 3;
        const double re = r0[2 * a] * r1[2 * b] - r0[2 * a + 1] * r1[2 * b + 1]
                        - (r0[2 * b] * r1[2 * a] - r0[2 * b + 1] * r1[2 * a + 1]);
        const double im = r0[2 * a] * r1[2 * b + 1] + r0[2 * a + 1] * r1[2 * b]
                        - (r0[2 * b] * r1[2 * a + 1] + r0[2 * b + 1] * r1[2 * a]);
        r2[2 * k] = re;
        r2[2 * k + 1] = -im;
    }
}

/* E = exp(X) for an anti-Hermitian X (header: "MD UPDATE"): scaling and squaring, X / 2^s with
 * |X / 2^s|_F <= 1/4, and the degree-12 Taylor polynomial evaluated by Paterson-Stockmeyer
 * (B^2, B^3, B^4, then Horner in B^4: 5 matrix products). The first omitted term is below
 * (1/4)^13 / 13! = 2.4e-18 < 2^-56 relative to 1, so exp is exact to rounding. */
template <int N>
static inline void expm(const double* X, double* E) {
    constexpr int S = kSize<N>;
    static constexpr double c[13] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
                                     1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600};
    const double nrm = std::sqrt(frob2<N>(X));
    int s = 0;
    double scale = 1.0;
    while (nrm * scale > 0.25 && s < 1000) { scale *= 0.5; ++s; }
    double B1[S], B2[S], B3[S], B4[S], R[S], T[S];
    for (int k = 0; k < S; ++k) B1[k] = X[k] * scale;
    mul<N>(B1, B1, B2);
    mul<N>(B2, B1, B3);
    mul<N>(B2, B2, B4);
    /* block j: c_{4j} 1 + c_{4j+1} B + c_{4j+2} B^2 + c_{4j+3} B^3 */
    auto add_block = [&](int j, double* acc) {
        for (int k = 0; k < S; ++k) acc[k] += c[4 * j + 1] * B1[k] + c[4 * j + 2] * B2[k] + c[4 * j + 3] * B3[k];
        for (int i = 0; i < N; ++i) acc[at<N>(i, i)] += c[4 * j];
    };
    for (int k = 0; k < S; ++k) R[k] = c[12] * B4[k];   /* B^4 (c_12 1) */
    add_block(2, R);
    mul<N>(B4, R, T);
    add_block(1, T);
    mul<N>(B4, T, R);
    add_block(0, R);
    for (int i = 0; i < s; ++i) {
        mul<N>(R, R, T);
        std::memcpy(R, T, sizeof(T));
    }
    std::memcpy(E, R, sizeof(R));
}

/* ---------------------------------------------------------------- counter-based RNG */

/* Philox4x32-10 (Salmon, Moraes, Dror, Shaw, SC'11). */
struct Philox {
    uint32_t k0, k1;
    explicit Philox(uint64_t seed) : k0((uint32_t)seed), k1((uint32_t)(seed >> 32)) {}
    void operator()(uint32_t c[4]) const {
        uint32_t a = k0, b = k1;
        for (int r = 0; r < 10; ++r) {
            if (r > 0) { a += 0x9E3779B9u; b += 0xBB67AE85u; }
            const uint64_t p0 = (uint64_t)0xD2511F53u * c[0];
            const uint64_t p1 = (uint64_t)0xCD9E8D57u * c[2];
            const uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
            const uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
            const uint32_t n0 = hi1 ^ c[1] ^ a, n2 = hi0 ^ c[3] ^ b;
            c[0] = n0; c[1] = lo1; c[2] = n2; c[3] = lo0;
        }
    }
};

enum Purpose : uint32_t { kMomenta = 1, kMetropolis = 2, kField = 3 };

/* Two uniforms in (0, 1) (53 bits each) for counter (stream, purpose, index). */
static inline void uniforms(const Philox& g, uint64_t stream, uint32_t purpose, uint64_t index,
                            double& u0, double& u1) {
    uint32_t c[4] = {(uint32_t)index, ((uint32_t)(index >> 32) & 0x0FFFFFFFu) | (purpose << 28),
                     (uint32_t)stream, (uint32_t)(stream >> 32)};
    g(c);
    const uint64_t a = (((uint64_t)c[0] << 32) | c[1]) >> 11;
    const uint64_t b = (((uint64_t)c[2] << 32) | c[3]) >> 11;
    const double ulp = std::ldexp(1.0, -53);
    u0 = ((double)a + 0.5) * ulp;
    u1 = ((double)b + 0.5) * ulp;
}

/* count standard normals for item `item` (Box-Muller on pairs of uniforms). */
static inline void gaussians(const Philox& g, uint64_t stream, uint32_t purpose, uint64_t item,
                             int count, double* out) {
    const int pairs = (count + 1) / 2;
    for (int j = 0; j < pairs; ++j) {
        double u0, u1;
        uniforms(g, stream, purpose, item * (uint64_t)pairs + j, u0, u1);
        const double r = std::sqrt(-2.0 * std::log(u0));
        const double t = 2.0 * M_PI * u1;
        out[2 * j] = r * std::cos(t);
        if (2 * j + 1 < count) out[2 * j + 1] = r * std::sin(t);
    }
}

/* ---------------------------------------------------------------- kernels */

template <int N>
static inline const double* link(const double* u, int64_t V, int mu, int64_t x) {
    return u + (size_t)kSize<N> * ((size_t)mu * V + x);
}

/* sum_x sum_{mu<nu} Re Tr P_munu(x), P = [U_mu(x) U_nu(x+mu)] [U_nu(x) U_mu(x+nu)]^dag */
template <int N>
static double plaquette_sum(const Geometry& g, const double* u) {
    const int64_t V = g.V;
    return ordered_sum(V, [&](int64_t x) {
        double s = 0.0;
        double a[kSize<N>], b[kSize<N>];
        for (int mu = 0; mu < g.nd; ++mu)
            for (int nu = mu + 1; nu < g.nd; ++nu) {
                mul<N>(link<N>(u, V, mu, x), link<N>(u, V, nu, g.up[mu * V + x]), a);
                mul<N>(link<N>(u, V, nu, x), link<N>(u, V, mu, g.up[nu * V + x]), b);
                s += re_tr_mul_adj<N>(a, b);
            }
        return s;
    });
}

/* K: SU(N) sum Tr P^2 = sum |P_ij|^2; U(1) (1/2) sum P^2 (header: MOMENTA). */
template <int N>
static double kinetic(const Geometry& g, const double* p) {
    const double c = (N == 1) ? 0.5 : 1.0;
    return c * ordered_sum(g.links(), [&](int64_t l) { return frob2<N>(p + (size_t)kSize<N> * l); });
}

/* F = dP/dt (header: FORCE). A_mu(x) = sum_{nu != mu} [U_nu(x+mu) (U_nu(x) U_mu(x+nu))^dag
 *                                                    + (U_mu(x-nu) U_nu(x+mu-nu))^dag U_nu(x-nu)] */
template <int N>
static void force(const Geometry& g, double beta, const double* u, double* f) {
    const int64_t V = g.V;
    const int nd = g.nd;
    const int64_t nl = g.links();
#pragma omp parallel for schedule(static) num_threads(threads()) if (nl >= kParallelLinks)
    for (int64_t l = 0; l < nl; ++l) {
        const int mu = (int)(l / V);
        const int64_t x = l - (int64_t)mu * V;
        const int64_t xpmu = g.up[mu * V + x];
        double A[kSize<N>] = {0.0};
        double t[kSize<N>];
        for (int nu = 0; nu < nd; ++nu) {
            if (nu == mu) continue;
            const int64_t xpnu = g.up[nu * V + x];
            const int64_t xmnu = g.dn[nu * V + x];
            const int64_t xpmumnu = g.dn[nu * V + xpmu];
            mul<N>(link<N>(u, V, nu, x), link<N>(u, V, mu, xpnu), t);
            add_mul_adj<N>(link<N>(u, V, nu, xpmu), t, A);
            mul<N>(link<N>(u, V, mu, xmnu), link<N>(u, V, nu, xpmumnu), t);
            add_adj_mul<N>(t, link<N>(u, V, nu, xmnu), A);
        }
        double W[kSize<N>];
        mul<N>(link<N>(u, V, mu, x), A, W);
        double* F = f + (size_t)kSize<N> * l;
        if (N == 1) {
            F[0] = -beta * W[1];
            F[1] = 0.0;
        } else {
            /* B_ij = (W_ij - conj(W_ji)) / (2i) = [(Im W_ij + Im W_ji) - i (Re W_ij - Re W_ji)] / 2 */
            const double c = -beta / (2.0 * N);
            double trB = 0.0;
            for (int i = 0; i < N; ++i) trB += W[at<N>(i, i) + 1];
            trB /= N;
            for (int i = 0; i < N; ++i)
                for (int j = 0; j < N; ++j) {
                    double br = 0.5 * (W[at<N>(i, j) + 1] + W[at<N>(j, i) + 1]);
                    const double bi = -0.5 * (W[at<N>(i, j)] - W[at<N>(j, i)]);
                    if (i == j) br -= trB;
                    F[at<N>(i, j)] = c * br;
                    F[at<N>(i, j) + 1] = c * bi;
                }
        }
    }
}

/* U <- reunitarize(exp(i eps P) U) on every link (header: MD UPDATE). */
template <int N>
static void update_links(const Geometry& g, double eps, const double* p, double* u) {
    const int64_t nl = g.links();
#pragma omp parallel for schedule(static) num_threads(threads()) if (nl >= kParallelLinks)
    for (int64_t l = 0; l < nl; ++l) {
        const double* P = p + (size_t)kSize<N> * l;
        double* U = u + (size_t)kSize<N> * l;
        if (N == 1) {
            const double th = eps * P[0];
            const double c = std::cos(th), s = std::sin(th);
            const double re = c * U[0] - s * U[1], im = c * U[1] + s * U[0];
            U[0] = re;
            U[1] = im;
            reunitarize<N>(U);
        } else {
            double X[kSize<N>], E[kSize<N>], T[kSize<N>];
            for (int k = 0; k < kSize<N>; k += 2) { X[k] = -eps * P[k + 1]; X[k + 1] = eps * P[k]; }
            expm<N>(X, E);
            mul<N>(E, U, T);
            reunitarize<N>(T);
            std::memcpy(U, T, sizeof(T));
        }
    }
}

/* p += c f */
static void kick(int64_t n, double c, const double* f, double* p) {
#pragma omp parallel for schedule(static) num_threads(threads()) if (n >= kParallelDoubles)
    for (int64_t i = 0; i < n; ++i) p[i] += c * f[i];
}

/* SU(N) momentum from pi_a with T_a = lambda_a / 2 (generalized Gell-Mann): off-diagonal pairs
 * j < k: P_jk = (s - i a)/2; diagonal l = 1..N-1: c_l (sum_{m<l} E_mm - l E_ll) / 2,
 * c_l = sqrt(2 / (l (l + 1))). U(1): P = pi. */
template <int N>
static void momentum_from_pi(const double* pi, double* P) {
    for (int k = 0; k < kSize<N>; ++k) P[k] = 0.0;
    if (N == 1) { P[0] = pi[0]; return; }
    int a = 0;
    for (int j = 0; j < N; ++j)
        for (int k = j + 1; k < N; ++k) {
            const double s = pi[a++], t = pi[a++];
            P[at<N>(j, k)] = 0.5 * s;  P[at<N>(j, k) + 1] = -0.5 * t;
            P[at<N>(k, j)] = 0.5 * s;  P[at<N>(k, j) + 1] = 0.5 * t;
        }
    for (int l = 1; l < N; ++l) {
        const double c = 0.5 * std::sqrt(2.0 / (l * (l + 1.0))) * pi[a++];
        for (int m = 0; m < l; ++m) P[at<N>(m, m)] += c;
        P[at<N>(l, l)] -= l * c;
    }
}

template <int N>
static void random_momenta(const Geometry& g, uint64_t seed, uint64_t stream, double* p) {
    const Philox rng(seed);
    const int na = (N == 1) ? 1 : N * N - 1;
    const int64_t nl = g.links();
#pragma omp parallel for schedule(static) num_threads(threads()) if (nl >= kParallelLinks)
    for (int64_t l = 0; l < nl; ++l) {
        double pi[N * N];
        gaussians(rng, stream, kMomenta, (uint64_t)l, na, pi);
        momentum_from_pi<N>(pi, p + (size_t)kSize<N> * l);
    }
}

template <int N>
static void random_field(const Geometry& g, uint64_t seed, uint64_t stream, double* u) {
    const Philox rng(seed);
    const int64_t nl = g.links();
#pragma omp parallel for schedule(static) num_threads(threads()) if (nl >= kParallelLinks)
    for (int64_t l = 0; l < nl; ++l) {
        double* U = u + (size_t)kSize<N> * l;
        gaussians(rng, stream, kField, (uint64_t)l, kSize<N>, U);
        reunitarize<N>(U);
    }
}

template <int N>
static void reunitarize_all(const Geometry& g, double* u) {
    const int64_t nl = g.links();
#pragma omp parallel for schedule(static) num_threads(threads()) if (nl >= kParallelLinks)
    for (int64_t l = 0; l < nl; ++l) reunitarize<N>(u + (size_t)kSize<N> * l);
}

template <int N>
static double det_minus_one(const double* U) {
    if (N == 2) {
        const double re = U[0] * U[6] - U[1] * U[7] - (U[2] * U[4] - U[3] * U[5]);
        const double im = U[0] * U[7] + U[1] * U[6] - (U[2] * U[5] + U[3] * U[4]);
        return std::hypot(re - 1.0, im);
    }
    if (N == 3) {
        /* det = r0 . (r1 x r2) */
        double re = 0.0, im = 0.0;
        for (int k = 0; k < 3; ++k) {
            const int a = (k + 1) % 3, b = (k + 2) % 3;
            const double cr = U[6 + 2 * a] * U[12 + 2 * b] - U[7 + 2 * a] * U[13 + 2 * b]
                            - (U[6 + 2 * b] * U[12 + 2 * a] - U[7 + 2 * b] * U[13 + 2 * a]);
            const double ci = U[6 + 2 * a] * U[13 + 2 * b] + U[7 + 2 * a] * U[12 + 2 * b]
                            - (U[6 + 2 * b] * U[13 + 2 * a] + U[7 + 2 * b] * U[12 + 2 * a]);
            re += U[2 * k] * cr - U[2 * k + 1] * ci;
            im += U[2 * k] * ci + U[2 * k + 1] * cr;
        }
        return std::hypot(re - 1.0, im);
    }
    return 0.0;
}

template <int N>
static double unitarity_violation(const Geometry& g, const double* u) {
    const int64_t nl = g.links();
    double worst = 0.0;
#pragma omp parallel for schedule(static) num_threads(threads()) reduction(max : worst) if (nl >= kParallelLinks)
    for (int64_t l = 0; l < nl; ++l) {
        const double* U = u + (size_t)kSize<N> * l;
        double t[kSize<N>];
        mul_adj<N>(U, U, t);
        double w = 0.0;
        for (int i = 0; i < N; ++i)
            for (int j = 0; j < N; ++j)
                w = std::max(w, std::hypot(t[at<N>(i, j)] - (i == j ? 1.0 : 0.0), t[at<N>(i, j) + 1]));
        w = std::max(w, det_minus_one<N>(U));
        if (!(w == w)) w = std::numeric_limits<double>::infinity();
        worst = std::max(worst, w);
    }
    return worst;
}

/* Integrators of the header with merged kicks; one force buffer f. */
template <int N>
static void integrate(const Geometry& g, double beta, int integrator, double tau, int steps,
                      double* u, double* p, double* f) {
    const int64_t n = g.links() * kSize<N>;
    const double eps = tau / steps;
    if (integrator == GF_LEAPFROG) {
        force<N>(g, beta, u, f);
        kick(n, 0.5 * eps, f, p);
        for (int i = 0; i < steps; ++i) {
            update_links<N>(g, eps, p, u);
            force<N>(g, beta, u, f);
            kick(n, (i + 1 < steps ? 1.0 : 0.5) * eps, f, p);
        }
    } else {
        const double lambda = 0.1931833275037836;
        force<N>(g, beta, u, f);
        kick(n, lambda * eps, f, p);
        for (int i = 0; i < steps; ++i) {
            update_links<N>(g, 0.5 * eps, p, u);
            force<N>(g, beta, u, f);
            kick(n, (1.0 - 2.0 * lambda) * eps, f, p);
            update_links<N>(g, 0.5 * eps, p, u);
            force<N>(g, beta, u, f);
            kick(n, (i + 1 < steps ? 2.0 : 1.0) * lambda * eps, f, p);
        }
    }
}

/* dst[i] = src[i], in parallel chunks (gf_copy). */
static void copy(double* dst, const double* src, int64_t n) {
    const int64_t chunk = 1 << 16;
    const int64_t nchunks = (n + chunk - 1) / chunk;
#pragma omp parallel for schedule(static) num_threads(threads()) if (n >= kParallelDoubles)
    for (int64_t c = 0; c < nchunks; ++c) {
        const int64_t lo = c * chunk, hi = std::min(n, lo + chunk);
        std::memcpy(dst + lo, src + lo, sizeof(double) * (size_t)(hi - lo));
    }
}

/* ---------------------------------------------------------------- dispatch on N */

template <class Fn>
static auto dispatch(int nc, Fn&& fn) {
    switch (nc) {
        case 1: return fn(std::integral_constant<int, 1>{});
        case 2: return fn(std::integral_constant<int, 2>{});
        default: return fn(std::integral_constant<int, 3>{});
    }
}

static const double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace gf

/* ================================================================ C ABI */

/* GF_GUARD(on_alloc, on_error, body...) is the whole body of every gf_* entry point: it runs `body`
 * (statements that return the function's value) so that no C++ exception crosses the C ABI.
 * std::bad_alloc makes the function return `on_alloc`, any other exception `on_error`:
 *   status functions   GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL, ...)
 *   double functions   GF_GUARD(gf::kNaN, gf::kNaN, ...)
 *   count functions    GF_GUARD(0, 0, ...)            (gf_abi_version, gf_max_threads, gf_field_doubles)
 *   void functions     GF_GUARD(GF_VOID, GF_VOID, ...) (the call does nothing more)
 * An exception thrown inside an OpenMP parallel region cannot reach this handler (it terminates the
 * process), so the kernels allocate and throw only outside parallel regions. */
#define GF_GUARD(on_alloc, on_error, ...) \
    try {                                 \
        __VA_ARGS__                       \
    } catch (const std::bad_alloc&) {     \
        return on_alloc;                  \
    } catch (...) {                       \
        return on_error;                  \
    }
#define GF_VOID

static int check_md_args(double beta, int integrator, double tau, int steps) {
    if (steps < 1 || !std::isfinite(beta) || !std::isfinite(tau)) return GF_ERR_ARG;
    if (integrator != GF_LEAPFROG && integrator != GF_OMELYAN) return GF_ERR_ARG;
    return GF_OK;
}

extern "C" {

int gf_abi_version(void) {
    GF_GUARD(0, 0, return GF_ABI_VERSION;)
}

const char* gf_error_string(int code) {
    GF_GUARD("unknown error code", "unknown error code",
        switch (code) {
            case GF_OK: return "ok";
            case GF_ERR_GROUP: return "unsupported group: nc must be 1 (U(1)), 2 or 3 (SU(N))";
            case GF_ERR_DIM: return "unsupported dimension: nd must be 2, 3 or 4";
            case GF_ERR_EXTENT: return "lattice extent below 2 or volume above 2^30 sites";
            case GF_ERR_ARG: return "invalid argument (null pointer, steps < 1, unknown integrator, or non-finite beta/tau)";
            case GF_ERR_NONFINITE: return "integrator produced a non-finite field, momentum or energy";
            case GF_ERR_ALLOC: return "out of memory for work buffers (or they would exceed physical memory)";
            case GF_ERR_INTERNAL: return "internal error: the engine caught an unexpected C++ exception";
            default: return "unknown error code";
        }
    )
}

int gf_max_threads(void) {
    GF_GUARD(0, 0, return gf::threads();)
}

void gf_set_threads(int nthreads) {
    GF_GUARD(GF_VOID, GF_VOID, gf::g_threads.store(nthreads > 0 ? nthreads : 0);)
}

int gf_check_geometry(int nc, int nd, const int* dims) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL, return gf::check_geometry(nc, nd, dims);)
}

int64_t gf_field_doubles(int nc, int nd, const int* dims) {
    GF_GUARD(0, 0,
        if (gf::check_geometry(nc, nd, dims) != GF_OK) return 0;
        int64_t V = 1;
        for (int mu = 0; mu < nd; ++mu) V *= dims[mu];
        return (int64_t)nd * V * nc * nc * 2;
    )
}

double gf_plaquette(int nc, int nd, const int* dims, const double* u) {
    GF_GUARD(gf::kNaN, gf::kNaN,
        if (gf::check_geometry(nc, nd, dims) != GF_OK || u == nullptr) return gf::kNaN;
        const gf::Geometry g(nd, dims);
        const double s = gf::dispatch(nc, [&](auto n) { return gf::plaquette_sum<decltype(n)::value>(g, u); });
        return s / ((double)nc * g.V * (nd * (nd - 1) / 2));
    )
}

double gf_action(int nc, int nd, const int* dims, double beta, const double* u) {
    GF_GUARD(gf::kNaN, gf::kNaN,
        if (gf::check_geometry(nc, nd, dims) != GF_OK || u == nullptr) return gf::kNaN;
        const gf::Geometry g(nd, dims);
        const double s = gf::dispatch(nc, [&](auto n) { return gf::plaquette_sum<decltype(n)::value>(g, u); });
        return -(beta / nc) * s;
    )
}

double gf_kinetic(int nc, int nd, const int* dims, const double* p) {
    GF_GUARD(gf::kNaN, gf::kNaN,
        if (gf::check_geometry(nc, nd, dims) != GF_OK || p == nullptr) return gf::kNaN;
        const gf::Geometry g(nd, dims);
        return gf::dispatch(nc, [&](auto n) { return gf::kinetic<decltype(n)::value>(g, p); });
    )
}

double gf_unitarity_violation(int nc, int nd, const int* dims, const double* u) {
    GF_GUARD(gf::kNaN, gf::kNaN,
        if (gf::check_geometry(nc, nd, dims) != GF_OK || u == nullptr) return gf::kNaN;
        const gf::Geometry g(nd, dims);
        return gf::dispatch(nc, [&](auto n) { return gf::unitarity_violation<decltype(n)::value>(g, u); });
    )
}

int gf_force(int nc, int nd, const int* dims, double beta, const double* u, double* f) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL,
        const int rc = gf::check_geometry(nc, nd, dims);
        if (rc != GF_OK) return rc;
        if (u == nullptr || f == nullptr || !std::isfinite(beta)) return GF_ERR_ARG;
        const gf::Geometry g(nd, dims);
        gf::dispatch(nc, [&](auto n) { gf::force<decltype(n)::value>(g, beta, u, f); return 0; });
        return GF_OK;
    )
}

double gf_force_flops(int nc, int nd, const int* dims) {
    GF_GUARD(gf::kNaN, gf::kNaN,
        if (gf::check_geometry(nc, nd, dims) != GF_OK) return gf::kNaN;
        double V = 1.0;
        for (int mu = 0; mu < nd; ++mu) V *= dims[mu];
        const double N = nc;
        const double matmul = 8.0 * N * N * N - 2.0 * N * N;           /* complex N x N product */
        const double perLink = (4.0 * (nd - 1) + 1.0) * matmul           /* 2 (nd-1) staples + W */
                             + (2.0 * (nd - 1) - 1.0) * 2.0 * N * N      /* staple sum */
                             + 4.0 * N * N;                              /* traceless anti-Hermitian part */
        return perLink * nd * V;
    )
}

int gf_unit_field(int nc, int nd, const int* dims, double* u) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL,
        const int rc = gf::check_geometry(nc, nd, dims);
        if (rc != GF_OK) return rc;
        if (u == nullptr) return GF_ERR_ARG;
        const int64_t n = gf_field_doubles(nc, nd, dims);
        std::memset(u, 0, sizeof(double) * (size_t)n);
        const int64_t nl = n / (2 * nc * nc);
        for (int64_t l = 0; l < nl; ++l)
            for (int i = 0; i < nc; ++i) u[2 * nc * nc * l + 2 * (i * nc + i)] = 1.0;
        return GF_OK;
    )
}

int gf_random_field(int nc, int nd, const int* dims, uint64_t seed, uint64_t stream, double* u) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL,
        const int rc = gf::check_geometry(nc, nd, dims);
        if (rc != GF_OK) return rc;
        if (u == nullptr) return GF_ERR_ARG;
        const gf::Geometry g(nd, dims);
        gf::dispatch(nc, [&](auto n) { gf::random_field<decltype(n)::value>(g, seed, stream, u); return 0; });
        return GF_OK;
    )
}

int gf_reunitarize(int nc, int nd, const int* dims, double* u) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL,
        const int rc = gf::check_geometry(nc, nd, dims);
        if (rc != GF_OK) return rc;
        if (u == nullptr) return GF_ERR_ARG;
        const gf::Geometry g(nd, dims);
        gf::dispatch(nc, [&](auto n) { gf::reunitarize_all<decltype(n)::value>(g, u); return 0; });
        return GF_OK;
    )
}

int gf_random_momenta(int nc, int nd, const int* dims, uint64_t seed, uint64_t stream, double* p) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL,
        const int rc = gf::check_geometry(nc, nd, dims);
        if (rc != GF_OK) return rc;
        if (p == nullptr) return GF_ERR_ARG;
        const gf::Geometry g(nd, dims);
        gf::dispatch(nc, [&](auto n) { gf::random_momenta<decltype(n)::value>(g, seed, stream, p); return 0; });
        return GF_OK;
    )
}

int gf_integrate(int nc, int nd, const int* dims, double beta, int integrator, double tau,
                 int steps, double* u, double* p) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL,
        int rc = gf::check_geometry(nc, nd, dims);
        if (rc != GF_OK) return rc;
        if (u == nullptr || p == nullptr) return GF_ERR_ARG;
        if ((rc = check_md_args(beta, integrator, tau, steps)) != GF_OK) return rc;
        const int64_t n = gf_field_doubles(nc, nd, dims);
        const gf::Geometry g(nd, dims, n * (int64_t)sizeof(double));   /* + the force buffer */
        std::vector<double> f((size_t)n);
        gf::dispatch(nc, [&](auto nn) {
            gf::integrate<decltype(nn)::value>(g, beta, integrator, tau, steps, u, p, f.data());
            return 0;
        });
        const double k = gf::dispatch(nc, [&](auto nn) { return gf::kinetic<decltype(nn)::value>(g, p); });
        const double s = gf::dispatch(nc, [&](auto nn) { return gf::plaquette_sum<decltype(nn)::value>(g, u); });
        if (!std::isfinite(k) || !std::isfinite(s)) return GF_ERR_NONFINITE;
        return GF_OK;
    )
}

int gf_trajectory(int nc, int nd, const int* dims, double beta, int integrator, double tau,
                  int steps, uint64_t seed, uint64_t stream, double* u, double* p_out,
                  double* result) {
    GF_GUARD(GF_ERR_ALLOC, GF_ERR_INTERNAL,
        int rc = gf::check_geometry(nc, nd, dims);
        if (rc != GF_OK) return rc;
        if (u == nullptr || result == nullptr) return GF_ERR_ARG;
        if ((rc = check_md_args(beta, integrator, tau, steps)) != GF_OK) return rc;
        const size_t n = (size_t)gf_field_doubles(nc, nd, dims);
        const gf::Geometry g(nd, dims, 3 * (int64_t)n * (int64_t)sizeof(double));   /* + p, u1, f */
        std::vector<double> p(n), u1(u, u + n), f(n);
        return gf::dispatch(nc, [&](auto nn) {
            constexpr int N = decltype(nn)::value;
            gf::random_momenta<N>(g, seed, stream, p.data());
            if (p_out != nullptr) std::memcpy(p_out, p.data(), sizeof(double) * n);
            const double h0 = gf::kinetic<N>(g, p.data()) - (beta / N) * gf::plaquette_sum<N>(g, u);
            gf::integrate<N>(g, beta, integrator, tau, steps, u1.data(), p.data(), f.data());
            const double s1 = gf::plaquette_sum<N>(g, u1.data());
            const double h1 = gf::kinetic<N>(g, p.data()) - (beta / N) * s1;
            const double dh = h1 - h0;
            double r0, r1;
            gf::uniforms(gf::Philox(seed), stream, gf::kMetropolis, 0, r0, r1);
            result[GF_RES_DH] = dh;
            result[GF_RES_H0] = h0;
            result[GF_RES_H1] = h1;
            result[GF_RES_UNIFORM] = r0;
            if (!std::isfinite(dh)) {
                result[GF_RES_ACCEPTED] = 0.0;
                result[GF_RES_PLAQUETTE] = gf::plaquette_sum<N>(g, u) / ((double)N * g.V * (nd * (nd - 1) / 2));
                return (int)GF_ERR_NONFINITE;
            }
            /* Metropolis: accept with probability min(1, exp(-dH)). */
            const bool accept = dh <= 0.0 || r0 < std::exp(-dh);
            double s;
            if (accept) {
                std::memcpy(u, u1.data(), sizeof(double) * n);
                s = s1;
            } else {
                s = gf::plaquette_sum<N>(g, u);
            }
            result[GF_RES_ACCEPTED] = accept ? 1.0 : 0.0;
            result[GF_RES_PLAQUETTE] = s / ((double)N * g.V * (nd * (nd - 1) / 2));
            return (int)GF_OK;
        });
    )
}

void gf_copy(double* dst, const double* src, int64_t n) {
    GF_GUARD(GF_VOID, GF_VOID,
        if (dst == nullptr || src == nullptr || n <= 0) return;
        gf::copy(dst, src, n);
    )
}

}  /* extern "C" */
