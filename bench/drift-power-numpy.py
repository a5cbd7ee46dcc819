#!/usr/bin/env python3
"""Independent check of the MMD power on issue 4's correlation scenario, written from scratch in
numpy (its own RNG, its own kernel, permutations by plain re-indexing) so vigil's 0.60 for the
median heuristic can be compared with a second implementation of the same test.

    python3 bench/drift-power-numpy.py SEED TRIALS [SCALE]

10 standard-normal features, reference n = 1,000; current n = 1,000 with corr(f0, f1) = 0.5;
sigma = SCALE * sqrt(median of the reference's off-diagonal squared distances / 2); B = 100;
p = (1 + #{permuted >= observed}) / (1 + B); drift when p < 0.05. Prints: trials, power, last sigma.
Needs python3-numpy (Debian); about 2.7 s per trial on one core.
"""
import sys

import numpy as np

seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
trials = int(sys.argv[2]) if len(sys.argv) > 2 else 60
scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
rng = np.random.default_rng(seed)
n, d, B = 1000, 10, 100
cov = np.eye(d)
cov[0, 1] = cov[1, 0] = 0.5
L = np.linalg.cholesky(cov)
hits = 0
sigma = float("nan")
for _ in range(trials):
    x = rng.standard_normal((n, d))
    y = rng.standard_normal((n, d)) @ L.T
    z = np.vstack([x, y])
    sq = (z * z).sum(1)
    D = np.maximum(sq[:, None] + sq[None, :] - 2 * z @ z.T, 0)
    off = D[:n, :n][~np.eye(n, dtype=bool)]
    sigma = np.sqrt(np.median(off) / 2) * scale
    K = np.exp(-D / (2 * sigma**2))

    def mmd2(idx):
        a, b = idx[:n], idx[n:]
        kxx, kyy, kxy = K[np.ix_(a, a)], K[np.ix_(b, b)], K[np.ix_(a, b)]
        return (kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.mean()

    observed = mmd2(np.arange(2 * n))
    at_least = sum(mmd2(rng.permutation(2 * n)) >= observed for _ in range(B))
    hits += (1 + at_least) / (1 + B) < 0.05
print(trials, hits / trials, sigma)
