# The peer of `vigil drift test`'s MMD in bench/drift.bench.ts (case cli-1000): numpy's batched form
# of the same test — pooled squared distances by one GEMM, the median heuristic on the reference
# pairs, the RBF kernel, and all B permutation sums at once as K·Lᵀ with the 0/1 label matrix L
# (unbiased MMD², p = (1 + #{permuted ≥ observed}) / (1 + B)). Usage: python3 bench/drift-mmd-numpy.py REF.csv CUR.csv [B]
# Prints the test's wall and CPU time (file reading excluded, as timingsMs.mmd excludes it) and the p-value.
import sys, time, numpy as np
ref = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1); cur = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
t0 = time.perf_counter(); c0 = time.process_time()
n, m = len(ref), len(cur); N = n + m; B = int(sys.argv[3]) if len(sys.argv) > 3 else 100
Z = np.vstack([ref, cur]); sq = (Z * Z).sum(1)
D = np.maximum(sq[:, None] + sq[None, :] - 2 * Z @ Z.T, 0)
iu = np.triu_indices(n, 1); med = np.partition(D[:n, :n][iu], (len(iu[0]) + 1) // 2 - 1)[(len(iu[0]) + 1) // 2 - 1]
K = np.exp(-D / med); np.fill_diagonal(K, 0)   # sigma = sqrt(med/2): gamma = 1/med
rng = np.random.default_rng(0)
L = np.zeros((B, N)); 
for b in range(B): L[b, rng.choice(N, m, replace=False)] = 1
r = K.sum(1); T = K.sum() / 2
sYY = 0.5 * np.einsum('bn,nb->b', L, K @ L.T); sXY = L @ r - 2 * sYY; sXX = T - sYY - sXY
perm = 2 * sXX / (n * (n - 1)) + 2 * sYY / (m * (m - 1)) - 2 * sXY / (n * m)
obs = 2 * K[:n, :n].sum() / 2 / (n * (n - 1)) + K[n:, n:].sum() / (m * (m - 1)) - 2 * K[:n, n:].sum() / (n * m)
p = (1 + (perm >= obs).sum()) / (1 + B)
print(f"numpy mmd wall {1000*(time.perf_counter()-t0):.1f} ms cpu {1000*(time.process_time()-c0):.1f} ms p={p:.3f}")
