"""Training on a Dask cluster, measured on this machine against the same work in memory.

    python benchmarks/dask_scaling.py                  # (a), (b) and (c): about ten minutes
    python benchmarks/dask_scaling.py --case a         # one of them
    python benchmarks/dask_scaling.py --quick          # smaller sizes, a minute: a smoke run
    python benchmarks/dask_scaling.py --quiet-monitors # Dask's own sampling slowed (see QUIET)

(a) Full batch: the time of one evaluation of J and ∇J (what gd takes per epoch and L-BFGS per
    function call) for N = 10⁶ rows, D = 50, hidden (128, 128), float64, on 1 worker process and
    on 2 (one thread each, and one BLAS thread each: Dask's nanny sets OMP_NUM_THREADS=1 and the
    like), against the in-memory objective with 1 and 2 BLAS threads and against 2 plain
    processes (no Dask) evaluating half the rows each at the same time: what this machine's two
    cores give two processes. The data is made on the workers and kept there; the medians of
    rounds that time every way once, in turn, after a first call of each.
(b) Out of core: a Parquet data set whose float32 rows take over twice the workers' total
    memory_limit trains with Adam, streamed from the files for every epoch (see
    training.dask_engine), and its loss curve is compared with the in-memory fit over the same
    partitions in the same order (this machine can hold the data in one process).
(c) The cost of a hop: minibatch training sends θ and the update rule from partition to
    partition; an epoch over many small partitions on the cluster against the same steps in
    memory gives the cost per hop.
"""

import argparse
import contextlib
import dataclasses
import multiprocessing
import os
import statistics
import tempfile
import time
import warnings

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster
from threadpoolctl import threadpool_limits

from ffnn import FFNNRegressor, Network
from ffnn.training import Objective
from ffnn.training.dask_engine import RESIDENT_SHARE, FullObjective, Partitions, workers

# Dask's own monitoring, as --quiet-monitors sets it for the clusters this script starts: the
# workers' statistical profiler (every 10 ms by default), the system monitor (every 500 ms,
# with disk counters) and the memory monitor (every 100 ms). Idle, a LocalCluster of two
# workers took 5.5% of a core in each worker process and 7-8% in the process holding the
# scheduler and the nannies, which on two cores is time taken from the workers' products.
QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


def _cluster(workers, processes=True, memory_limit="auto"):
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                        memory_limit=memory_limit, dashboard_address=":0")


def _median_time(function, repeats):
    function()  # the first call sets up (workspaces, imports on the workers)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _pair(X, Y):
    return X, Y, None


def _network(D, hidden):
    return Network([D, *hidden, 1], ["relu"] * len(hidden) + ["linear"], "squared_error",
                   random_state=0, dtype="float64")


def _plain_process(rows, D, hidden, N, seed, commands, times):
    """The same work without Dask: the objective over `rows` rows, timed at every command."""
    with threadpool_limits(1):
        rng = np.random.default_rng(seed)
        X, Y = rng.standard_normal((rows, D)), rng.standard_normal((rows, 1))
        objective = Objective(_network(D, hidden), 1e-4, N)
        objective(X, Y)
        times.put(None)  # ready
        while commands.get():
            started = time.perf_counter()
            objective(X, Y)
            times.put(time.perf_counter() - started)


class PlainProcesses:
    """k processes holding N/k rows each, started together: what k processes can do on this
    machine with no engine in between (the ceiling of the workers' scaling)."""

    def __init__(self, k, N, D, hidden):
        context = multiprocessing.get_context("spawn")
        self.commands = [context.Queue() for _ in range(k)]
        self.times = context.Queue()
        self.processes = [context.Process(target=_plain_process, args=(
            N // k, D, hidden, N, seed, commands, self.times), daemon=True)
            for seed, commands in enumerate(self.commands)]
        for process in self.processes:
            process.start()
        for _ in self.processes:
            self.times.get()

    def __call__(self):
        for commands in self.commands:
            commands.put(True)
        for _ in self.processes:
            self.times.get()

    def close(self):
        for commands in self.commands:
            commands.put(False)
        for process in self.processes:
            process.join()


def _objective_on_cluster(client, net, N, D, partitions):
    """J and ∇J over N rows made and kept on the cluster's workers, and the rows."""
    rows = N // partitions
    rng = da.random.default_rng(0)
    X = rng.standard_normal((N, D), chunks=(rows, D))
    Y = (da.tanh(X[:, :4]).sum(axis=1, keepdims=True) + 0.1 * rng.standard_normal(
        (N, 1), chunks=(rows, 1)))
    X, Y = client.persist([X, Y])
    parts = [dask.delayed(_pair)(x, y) for x, y in
             zip(X.to_delayed().ravel(), Y.to_delayed().ravel())]
    data = Partitions(client, net, parts, X.chunks[0])
    threads = client.run(lambda: os.environ.get("OMP_NUM_THREADS"))
    print(f"  {len(threads)} worker(s): OMP_NUM_THREADS on the workers: "
          f"{sorted(set(threads.values()))}")
    return FullObjective(data, Objective(net, 1e-4, N)), (X, Y)


def full_batch(N, D, hidden, partitions, repeats):
    """(a): seconds per evaluation on 1 and 2 worker processes, in memory and in 2 plain
    processes. The machine is shared and its speed drifts, so every round times each way once,
    in turn, and each way's median over the rounds is reported."""
    net = _network(D, hidden)
    with contextlib.ExitStack() as stack:
        ways = {}
        for workers in (1, 2):
            cluster = stack.enter_context(_cluster(workers))
            client = stack.enter_context(Client(cluster, set_as_default=False))
            objective, XY = _objective_on_cluster(client, net, N, D, partitions)
            ways[f"Dask, {workers} worker process{'es' if workers > 1 else ''}"] = objective
        X, Y = client.compute(XY, sync=True)
        memory = Objective(net, 1e-4, N)
        for threads in (1, 2):
            def in_memory(threads=threads):
                with threadpool_limits(threads):
                    memory(X, Y)
            ways[f"in memory, {threads} BLAS thread{'s' if threads > 1 else ''}"] = in_memory
        plain = PlainProcesses(2, N, D, hidden)
        stack.callback(plain.close)
        ways["2 plain processes, N/2 rows each"] = plain
        times = {name: [] for name in ways}
        for way in ways.values():  # a first call sets up (workspaces, imports on the workers)
            way()
        for _ in range(repeats):
            for name, way in ways.items():
                started = time.perf_counter()
                way()
                times[name].append(time.perf_counter() - started)
    return {name: statistics.median(seconds) for name, seconds in times.items()}


def _write_parquet(folder, files, rows, D, seed=0):
    rng = np.random.default_rng(seed)
    direction = rng.normal(size=(D, 4)) / np.sqrt(D)
    for i in range(files):
        X = rng.normal(size=(rows, D)).astype(np.float32)
        y = (np.tanh(X @ direction) @ [1.0, -2.0, 0.5, 1.5]).astype(np.float32)
        y += 0.1 * rng.normal(size=rows).astype(np.float32)
        frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(D)]).assign(y=y)
        frame.to_parquet(os.path.join(folder, f"part-{i:04d}.parquet"), index=False)


def out_of_core(files, rows, D, memory_limit, epochs):
    """(b): fit streamed from Parquet on 2 workers whose memory is below the data's size."""
    params = dict(hidden_layer_sizes=(32,), max_iter=epochs, random_state=0, batch_size=200,
                  learning_rate_init=1e-3, tol=0.0)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        _write_parquet(folder, files, rows, D)
        made = time.perf_counter() - started
        n = files * rows
        data_bytes = n * (D + 1) * 4
        limit = 2 * memory_limit
        print(f"  {files} Parquet files, {n:,} rows × {D + 1} float32 columns: "
              f"{data_bytes / 2**30:.2f} GiB in memory ({data_bytes / limit:.1f}× the workers' "
              f"total memory_limit of {limit / 2**30:.2f} GiB), written in {made:.0f} s")
        features = [f"x{j}" for j in range(D)]
        with _cluster(2, memory_limit=memory_limit) as cluster, Client(cluster) as client:
            frame = dd.read_parquet(os.path.join(folder, "*.parquet"))
            partitions = frame[features].optimize().to_dask_array(lengths=True).chunks[0]
            print(f"  {len(partitions)} partitions; "
                  f"{'streamed' if data_bytes > RESIDENT_SHARE * limit else 'resident'} "
                  "(see training.dask_engine.RESIDENT_SHARE)")
            model = FFNNRegressor(**params)
            cluster_epochs = []
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(frame[features], frame["y"],
                          callback=lambda info: cluster_epochs.append(info.seconds))
            streamed = time.perf_counter() - started
            peak = max(w["metrics"]["memory"] for w in workers(client).values())
        table = pd.read_parquet(folder)
        X, y = table[features].to_numpy(), table["y"].to_numpy()
        memory = FFNNRegressor(**params)
        memory._settings = lambda: dataclasses.replace(FFNNRegressor._settings(memory),
                                                       partitions=partitions)
        memory_epochs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            memory.fit(X, y, callback=lambda info: memory_epochs.append(info.seconds))
    same = model.loss_curve_ == memory.loss_curve_
    return {"epochs": len(model.loss_curve_), "cluster fit, s (with the passes before "
            "training)": streamed, "cluster s/epoch": statistics.median(cluster_epochs),
            "in memory s/epoch": statistics.median(memory_epochs),
            "loss curve (cluster)": model.loss_curve_,
            "loss curve (memory)": memory.loss_curve_, "identical": same,
            "worker memory at the end (MiB)": peak / 2**20}


def hop_cost(partitions, rows, processes):
    """(c): seconds per hop, from an epoch of one step per partition on 2 workers, against
    the same steps in memory."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(partitions * rows, 10))
    y = X[:, 0] - X[:, 1]
    params = dict(hidden_layer_sizes=(8,), max_iter=3, random_state=0, batch_size=rows,
                  tol=0.0)
    times = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with _cluster(2, processes=processes) as cluster, Client(cluster):
            dX = da.from_array(X, chunks=(rows, 10))
            dy = da.from_array(y, chunks=rows)
            epochs = []
            FFNNRegressor(**params).fit(dX, dy, callback=lambda info: epochs.append(
                info.seconds))
            times["cluster"] = statistics.median(epochs[1:])
        memory = FFNNRegressor(**params)
        memory._settings = lambda: dataclasses.replace(FFNNRegressor._settings(memory),
                                                       partitions=(rows,) * partitions)
        epochs = []
        memory.fit(X, y, callback=lambda info: epochs.append(info.seconds))
        times["memory"] = statistics.median(epochs[1:])
    return (times["cluster"] - times["memory"]) / partitions, times


def run(case, quick):
    if case in ("a", "all"):
        N = 100_000 if quick else 1_000_000
        print(f"(a) one evaluation of J and ∇J, N = {N:,}, D = 50, hidden (128, 128), float64")
        results = full_batch(N, 50, (128, 128), partitions=8 if quick else 16,
                             repeats=3 if quick else 5)
        one, two = results["Dask, 1 worker process"], results["Dask, 2 worker processes"]
        alone = results["in memory, 1 BLAS thread"]
        for name, seconds in results.items():
            print(f"  {name:<34} {seconds:.3f} s")
        print(f"  2 workers against 1: {one / two:.2f}× the throughput (scaling efficiency "
              f"{one / (2 * two):.0%}); 2 plain processes against 1 BLAS thread in memory: "
              f"{alone / results['2 plain processes, N/2 rows each']:.2f}×; 1 worker against "
              f"in memory with 1 BLAS thread: {one / alone:.2f}× the time")
    if case in ("b", "all"):
        files, rows = (8, 50_000) if quick else (160, 126_000)
        # A worker takes about 220 MiB before any data, and a partition read from Parquet
        # passes through Arrow and pandas on its way to NumPy: 768 MiB leaves room for two.
        memory_limit = 768 * 2**20
        print("(b) out of core: Adam, hidden (32,), batch 200, 2 workers")
        result = out_of_core(files, rows, 40, memory_limit, epochs=3)
        for name, value in result.items():
            print(f"  {name}: {value}")
    if case in ("c", "all"):
        partitions = 40 if quick else 200
        for processes in (False, True):
            per_hop, times = hop_cost(partitions, 500, processes)
            kind = "2 worker processes" if processes else "2 workers in this process"
            print(f"(c) {kind}: an epoch of {partitions} hops takes {times['cluster']:.3f} s "
                  f"against {times['memory']:.3f} s in memory: {per_hop * 1e3:.2f} ms per hop")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=["a", "b", "c", "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    parser.add_argument("--quiet-monitors", action="store_true",
                        help="start the clusters with Dask's profiler off and its monitors "
                             "slowed (see QUIET)")
    args = parser.parse_args()
    print("Dask's monitors:", "quiet " + str(QUIET) if args.quiet_monitors else "Dask's defaults")
    # the scheduler and the workers of every cluster started below read these when they start
    with dask.config.set(QUIET if args.quiet_monitors else {}):
        run(args.case, args.quick)

if __name__ == "__main__":
    main()
