"""Training and prediction speed of ffnn against scikit-learn's MLP, in one process.

    python benchmarks/speed.py            # every case (a quarter of an hour or more)
    python benchmarks/speed.py --quick    # N = 10,000 and the 128-wide network only (< 2 min)

For each case both libraries train the same architecture with the same solver, batch size,
epochs, dtype and seed on the same synthetic regression data (D = 50). The two libraries take
turns, three fits each (--rounds; one for the 1024-wide network, whose epochs last seconds), and
time per epoch is the median over the epochs of all of a library's fits, leaving out each fit's
first epoch (which includes the set-up); epoch ends are stamped by ffnn's callback and by
scikit-learn's verbose lines. For L-BFGS an "epoch" is
one evaluation of the objective and its gradient over all rows: a fit of a few iterations divided
by the evaluations it made. The final training loss of each is recomputed the same
way, ½·mean((y − ŷ)²), so that a speed-up cannot come from doing less. The table also gives the
machine's matrix-product rate at the wide network's shapes, measured in the same run, and ffnn's
achieved rate, 6·N·parameters per epoch; prediction latency for one row and throughput for
100,000 rows; and, with tracemalloc, the memory an epoch allocates once training is under way.
"""

import argparse
import gc
import platform
import statistics
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

from ffnn import FFNNRegressor


def make_data(N, D=50, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D))
    w = rng.normal(size=(D, 4)) / np.sqrt(D)
    H = np.tanh(X @ w)
    y = H @ np.array([1.0, -2.0, 0.5, 1.5]) + 0.1 * rng.normal(size=N)
    return X, y


def half_mse(model, X, y):
    residual = y - model.predict(X).astype(np.float64)
    return 0.5 * float(np.mean(residual**2))


def common_params(solver, batch, hidden, seed=0):
    params = dict(hidden_layer_sizes=hidden, random_state=seed, tol=0.0, n_iter_no_change=10**9,
                  alpha=1e-4, shuffle=True)
    if solver == "adam":
        params.update(solver="adam", batch_size=batch, learning_rate_init=1e-3)
    elif solver == "sgd":
        params.update(solver="sgd", batch_size=batch, learning_rate_init=1e-3, momentum=0.9)
    return params


def models(solver, batch, hidden, N):
    """(ffnn model, scikit-learn model) configured alike; "gd" is plain full-batch gradient
    descent, which scikit-learn spells as sgd with one batch and no momentum."""
    if solver == "gd":
        ours = FFNNRegressor(solver="gd", hidden_layer_sizes=hidden, random_state=0, tol=0.0,
                             n_iter_no_change=10**9, learning_rate_init=0.05)
        theirs = MLPRegressor(solver="sgd", batch_size=N, momentum=0.0, hidden_layer_sizes=hidden,
                              random_state=0, tol=0.0, n_iter_no_change=10**9,
                              learning_rate_init=0.05, shuffle=False)
        return ours, theirs
    if solver == "lbfgs":
        params = dict(solver="lbfgs", hidden_layer_sizes=hidden, random_state=0, tol=0.0)
        return FFNNRegressor(**params), MLPRegressor(**params)
    params = common_params(solver, batch, hidden)
    return FFNNRegressor(**params), MLPRegressor(**params)


class _EpochClock:
    """Timestamps of epoch ends: called by ffnn's callback, or written to by scikit-learn's
    verbose output ("Iteration k, loss = …"), which stands in for sys.stdout during a fit."""

    def __init__(self):
        self.stamps = [time.perf_counter()]

    def __call__(self, info=None):
        self.stamps.append(time.perf_counter())

    def write(self, text):
        if text.startswith("Iteration"):
            self.stamps.append(time.perf_counter())
        return len(text)

    def flush(self):
        pass

    def epochs(self):
        """Seconds per epoch, leaving out the first (it includes the set-up)."""
        return list(np.diff(self.stamps))[1:]


def epoch_times(name, model, X, y, solver, epochs):
    """Per-epoch seconds within one fit of epochs + 1 epochs. L-BFGS has no epochs: its
    "epoch" is one evaluation of the objective and gradient over all rows, and its time is a fit
    of `epochs` iterations divided by the evaluations it made."""
    if solver == "lbfgs":
        model.set_params(max_iter=epochs)
        calls = [0]
        if name == "sklearn":
            owner, attribute = model, "_loss_grad_lbfgs"
        else:  # every L-BFGS evaluation of ffnn is one call of the objective over all rows
            from ffnn.training.objective import Objective as owner
            attribute = "__call__"
        evaluate = getattr(owner, attribute)

        def counted(*args):
            calls[0] += 1
            return evaluate(*args)

        setattr(owner, attribute, counted)
        try:
            started = time.perf_counter()
            model.fit(X, y)
            elapsed = time.perf_counter() - started
        finally:
            if owner is model:
                del model._loss_grad_lbfgs
            else:
                setattr(owner, attribute, evaluate)
        return [elapsed / max(calls[0], 1)]
    model.set_params(max_iter=epochs + 1)
    clock = _EpochClock()
    if name == "ffnn":
        model.fit(X, y, callback=clock)
    else:
        import contextlib

        model.set_params(verbose=True)
        with contextlib.redirect_stdout(clock):
            model.fit(X, y)
    return clock.epochs()


def run_case(N, hidden, solver, dtype, epochs, data, rounds):
    """Median seconds per epoch (from epoch 2 on) and final loss, for both libraries.

    The two libraries take turns, `rounds` fits each, and each one's median is taken over the
    epochs of all its fits: a burst of load on this shared machine then slows a few epochs of
    both rather than the whole of one. Every round starts from the same seed, so the final
    losses are the same in each round.
    """
    X, y = data
    X, y = X.astype(dtype), y.astype(dtype)
    batch = N if solver in ("gd", "lbfgs") else 200
    times = {"ffnn": [], "sklearn": []}
    final = {}
    for _ in range(rounds):
        for name, model in zip(("ffnn", "sklearn"), models(solver, batch, hidden, N)):
            gc.collect()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                times[name] += epoch_times(name, model, X, y, solver, epochs)
            if name not in final:  # the same in every round
                final[name] = half_mse(model, X, y)
    return batch, {name: (statistics.median(times[name]), final[name]) for name in times}


def matmul_rate(N, width, D, dtype, repeats=3):
    """GFLOP/s of the products a wide full-batch epoch does: (width × D)(D × N), (width ×
    width)(width × N), and their backward counterparts, timed with NumPy's BLAS."""
    rng = np.random.default_rng(0)
    A1, A2 = rng.normal(size=(width, D)).astype(dtype), rng.normal(size=(width, width)).astype(dtype)
    Z0, Z1 = rng.normal(size=(D, N)).astype(dtype), rng.normal(size=(width, N)).astype(dtype)
    H = np.empty((width, N), dtype)
    flops = 2 * N * (width * D + width * width)
    best = np.inf
    for _ in range(repeats):
        started = time.perf_counter()
        np.matmul(A1, Z0, out=H)
        np.matmul(A2, Z1, out=H)
        best = min(best, time.perf_counter() - started)
    return flops / best / 1e9


def parameters(D, hidden):
    sizes = [D, *hidden, 1]
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def prediction_times(dtype):
    X, y = make_data(10_000)
    X, y = X.astype(dtype), y.astype(dtype)
    out = {}
    for name, cls in (("ffnn", FFNNRegressor), ("sklearn", MLPRegressor)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = cls(hidden_layer_sizes=(128, 128), max_iter=2, random_state=0).fit(X, y)
        one = X[:1].copy()
        for _ in range(50):
            model.predict(one)
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            for _ in range(200):
                model.predict(one)
            samples.append((time.perf_counter() - started) / 200)
        big = np.random.default_rng(1).normal(size=(100_000, 50)).astype(dtype)
        model.predict(big)
        rates = []
        for _ in range(3):
            started = time.perf_counter()
            model.predict(big)
            rates.append(100_000 / (time.perf_counter() - started))
        out[name] = (statistics.median(samples), statistics.median(rates))
    return out


def steady_state_allocation(batch, N=10_000, hidden=(128, 128), dtype=np.float64):
    """Peak bytes allocated during epoch 3 of a fit, over what was live when it began."""
    X, y = make_data(N)
    X, y = X.astype(dtype), y.astype(dtype)
    marks = {}

    def callback(info):
        if info.epoch == 2:
            tracemalloc.start()
            tracemalloc.reset_peak()
            marks["start"] = tracemalloc.get_traced_memory()[0]
        elif info.epoch == 3:
            current, peak = tracemalloc.get_traced_memory()
            marks["peak"] = peak - marks["start"]
            tracemalloc.stop()

    model = FFNNRegressor(hidden_layer_sizes=hidden, max_iter=3, batch_size=batch, random_state=0,
                          tol=0.0, n_iter_no_change=10**9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y, callback=callback)
    return marks["peak"], batch * max(hidden) * np.dtype(dtype).itemsize


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a subset that runs in < 2 minutes")
    parser.add_argument("--epochs", type=int, default=5, help="epochs timed per fit (>= 3)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="fits per library, taking turns, for the 128-wide network")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [10_000, 100_000]
    widths = [(128, 128)] if args.quick else [(128, 128), (1024, 1024)]
    started = time.perf_counter()
    import threadpoolctl

    blas = threadpoolctl.threadpool_info()
    print(f"Machine: {platform.processor() or platform.machine()}, "
          f"{__import__('os').cpu_count()} CPUs; NumPy {np.__version__} with "
          f"{', '.join(sorted({b['internal_api'] for b in blas}))} "
          f"({max(b['num_threads'] for b in blas)} threads)\n")
    print("| N | hidden | solver | batch | dtype | ffnn s/epoch | sklearn s/epoch | ratio | "
          "ffnn loss | sklearn loss | ffnn GFLOP/s | % of matmul rate |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for N in sizes:
        data = make_data(N)
        for hidden in widths:
            for dtype in (np.float64, np.float32):
                rate = matmul_rate(N, hidden[0], 50, dtype)
                for solver in ("adam", "sgd", "gd", "lbfgs"):
                    epochs = 3 if hidden[0] == 1024 and N == 100_000 else max(3, args.epochs)
                    # Wide-network epochs last seconds, long enough to average out the noise.
                    rounds = 1 if hidden[0] == 1024 else args.rounds
                    batch, r = run_case(N, hidden, solver, dtype, epochs, data, rounds)
                    (t_ours, loss_ours), (t_theirs, loss_theirs) = r["ffnn"], r["sklearn"]
                    achieved = 6 * N * parameters(50, hidden) / t_ours / 1e9
                    shown = f"{achieved:.1f} | {100 * achieved / rate:.0f}%"
                    print(f"| {N:,} | {hidden} | {solver} | {batch} | {np.dtype(dtype).name} | "
                          f"{t_ours:.4f} | {t_theirs:.4f} | {t_ours / t_theirs:.2f} | "
                          f"{loss_ours:.5f} | {loss_theirs:.5f} | {shown} |", flush=True)
                print(f"| {N:,} | {hidden} | matmul rate | | {np.dtype(dtype).name} | | | | | | "
                      f"{rate:.1f} | 100% |", flush=True)
    print("\nPrediction, hidden (128, 128):\n")
    print("| dtype | ffnn 1 row | sklearn 1 row | ratio | ffnn rows/s | sklearn rows/s | ratio |")
    print("|---|---|---|---|---|---|---|")
    for dtype in (np.float64, np.float32):
        p = prediction_times(dtype)
        (l_ours, r_ours), (l_theirs, r_theirs) = p["ffnn"], p["sklearn"]
        print(f"| {np.dtype(dtype).name} | {l_ours * 1e6:.1f} µs | {l_theirs * 1e6:.1f} µs | "
              f"{l_ours / l_theirs:.2f} | {r_ours:,.0f} | {r_theirs:,.0f} | "
              f"{r_ours / r_theirs:.2f} |", flush=True)
    print("\nSteady-state allocation (tracemalloc): the peak of new memory during epoch 3 of an "
          "adam fit, hidden (128, 128), float64, N = 10,000, against one array of the batch's "
          "size (batch × 128 float64):\n")
    print("| batch | peak new memory in the epoch | one batch-sized array |")
    print("|---|---|---|")
    for batch in (200, 2000):
        peak, batch_bytes = steady_state_allocation(batch)
        print(f"| {batch} | {peak:,} bytes | {batch_bytes:,} bytes |")
    print("\n(The peak does not grow with the batch: it is NumPy's fixed ufunc buffer, "
          "8,192 elements, used when adding the bias c 1ᵀ by broadcasting.)")
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
