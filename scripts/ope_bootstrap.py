"""The reference for `npm run bench ope`: the straightforward numpy bootstrap of off-policy
estimates, resampling the rows (integers(0, n, n) per resample) and computing IPS and SNIPS on
each resample, on logs shaped like Aisle's measure (n rows, 50 actions, 3 contexts, uniform
propensities 1/50, clicks at 1 %, the target always showing action 3). Prints resamples per second.

    python3 scripts/ope_bootstrap.py <rows> <resamples>
"""
import sys
import time

import numpy as np


def main() -> None:
    n, resamples = int(sys.argv[1]), int(sys.argv[2])
    actions = 50
    rng = np.random.default_rng(1)
    a = rng.integers(0, actions, n)
    r = (rng.random(n) < 0.01).astype(np.float64)
    p = np.full(n, 1.0 / actions)
    w = np.where(a == 3, 1.0, 0.0) / p
    ips = np.empty(resamples)
    snips = np.empty(resamples)
    start = time.perf_counter()
    for b in range(resamples):
        idx = rng.integers(0, n, n)
        wi = w[idx]
        s = float((wi * r[idx]).sum())
        ips[b] = s / n
        snips[b] = s / float(wi.sum())
    elapsed = time.perf_counter() - start
    lo, hi = np.percentile(ips, [2.5, 97.5])
    print(f"resamples_per_s={resamples / elapsed:.3f} ips_ci={lo:.5f},{hi:.5f}")


if __name__ == "__main__":
    main()
