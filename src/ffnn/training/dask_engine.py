"""Training on a Dask cluster, where each partition of the data stays on the worker holding it.

J and ∇J over the data set are sums over its rows (MATH.md §5; the chapter's section 3), so they
are sums over partitions. The full-batch solvers (gd, lbfgs) send θ to every worker once per
evaluation (a broadcast), and, where the data is kept on the workers, one task per worker
thread takes the partitions that worker holds (`thread_groups`; streamed data, below, is one
task per partition, each reading its files); each partition's term of J and of ∇J is
computed by the network's own `loss_and_gradient` with the row factors an in-memory evaluation
gives those rows (`row_factors`; what the workers run is in `dask_tasks`), and the client adds
the terms in partition order, wherever they were computed, and then the penalty, once. The
result is the in-memory objective up to the order of the additions.

A minibatch step needs all of its batch, and batches follow one another, so the minibatch
solvers (sgd, adam) cannot be split across workers: an epoch visits the partitions one after
another, in an order drawn from the trainer's Generator (`batches.partition_plan`). θ and the
update rule's state travel to the worker holding each partition (a "hop"), which runs that
partition's minibatches and sends them on; the data never moves. This is the in-memory training
of `batches.PartitionedBatches`, step for step. Its cost: the workers take turns, so a cluster
adds memory, not speed, to minibatch training, and each hop costs a round of messages (measured
in benchmarks/dask_scaling.py).

Data that fits in half the workers' memory is computed once and kept on them ("resident"),
spread over the workers in proportion to their threads so that none waits on another at every
evaluation (`balance`); larger data is recomputed from its source (a Parquet file, say) for
every pass, a partition or two ahead of the training that consumes it ("streamed").
"""

import collections
import inspect

import dask
from distributed import wait

from .batches import partition_plan
from .dask_tasks import (
    hop,
    network_spec,
    on_partition,
    on_partitions,
    partition_loss_at_zero,
    partition_objective,
    partition_weight_sum,
)
from .epochs import HostEpochs

RESIDENT_SHARE = 0.5  # of the workers' total memory limit, the most that resident data may take
LOOK_AHEAD = 2  # partitions read ahead of the minibatch hops when the data is streamed


def _same(value):
    return value


def _wait(client, futures):
    """Until `futures` are computed, on `client` even where it is not the default client."""
    with client.as_current():
        wait(futures)


def balance(client, parts, rows, threads):
    """(`parts` (Futures of `rows` rows each), with partitions moved from the workers holding the
    most rows per thread (`threads`: {worker: its threads}) to those holding the fewest while a
    move lowers the larger of the two; the worker that holds each, or None where that is not
    known).

    A full-batch evaluation waits for its slowest worker, and the scheduler places computed
    data where it ran: 9 of 16 equal partitions on one of two workers makes every evaluation
    take 9/8 of the time that 8 and 8 take. Only the excess moves, once."""
    holders = client.who_has(parts)
    where = [next((w for w in holders[part.key] if w in threads), None) for part in parts]
    if len(threads) < 2 or None in where:
        return parts, where
    held = {worker: [] for worker in threads}  # each worker's partitions, as indices
    for i, worker in enumerate(where):
        held[worker].append(i)

    def load(worker):
        return sum(rows[i] for i in held[worker]) / threads[worker]

    moves = {}
    while True:
        source, target = max(held, key=load), min(held, key=load)
        # the largest partition whose move leaves the target below the source's load now
        fits = [i for i in held[source] if load(target) + rows[i] / threads[target] <
                load(source)]
        if not fits:
            break
        # The loads sorted from the largest fall lexicographically at every move (the source
        # and the target both end below the source's load now): the loop ends.
        i = max(fits, key=lambda i: rows[i])
        held[source].remove(i)
        held[target].append(i)
        moves[i] = target
    parts = list(parts)
    for i, worker in moves.items():
        if worker != where[i]:
            parts[i] = client.submit(_same, parts[i], workers=[worker],
                                     allow_other_workers=False, pure=False)
            where[i] = worker
    _wait(client, parts)
    return parts, where


def on(worker):
    """submit's arguments that run a partition's task on the worker holding it (`worker`; None:
    anywhere). Left to itself the scheduler sends a task, and with it its partition (tens of
    megabytes), to a worker idle for the moment: at every evaluation of case (a) of
    benchmarks/dask_scaling.py two partitions moved between the two workers. Other workers
    are allowed where that one is gone (the scheduler then computes the partition again),
    rather than a task waiting for it for ever."""
    return {} if worker is None else {"workers": [worker], "allow_other_workers": True}


def thread_groups(threads, holders, rows):
    """[(worker, [the partitions one task takes])]: each worker's partitions in as many groups
    of about equal rows as it has threads, so that an evaluation sends one task per thread
    rather than one per partition (each task costs the scheduler and the client a round of
    messages: a data set of a thousand partitions made a thousand tasks per evaluation). A
    partition whose holder is not known is a group of its own."""
    groups, held = [], {}
    for i, worker in enumerate(holders):
        if worker is None:
            groups.append((None, [i]))
        else:
            held.setdefault(worker, []).append(i)
    for worker, parts in held.items():
        bins = [[] for _ in range(min(threads.get(worker, 1), len(parts)))]
        load = [0] * len(bins)
        for i in sorted(parts, key=lambda i: -rows[i]):  # the largest first, to the lightest
            j = min(range(len(bins)), key=lambda j: (load[j], len(bins[j])))
            bins[j].append(i)
            load[j] += rows[i]
        groups.extend((worker, sorted(b)) for b in bins)  # none empty: one part each, at least
    return groups


def workers(client):
    """{address: what the scheduler knows of the worker} for every worker of the cluster.
    distributed's scheduler_info() lists only the first five where it has an `n_workers`
    argument that defaults to 5 (releases of 2025 and early 2026): a cluster of twenty workers
    had a quarter of its memory."""
    every = {"n_workers": -1} if "n_workers" in inspect.signature(
        client.scheduler_info).parameters else {}
    return client.scheduler_info(**every)["workers"]


def memory_limit(known):
    """The workers' total memory limit in bytes (None: some worker has none), from what
    `workers` says of them."""
    limits = [w.get("memory_limit") for w in known.values()]
    return None if not limits or not all(limits) else sum(limits)


class Partitions:
    """Rows held on a cluster as partitions, for the Trainer: `parts` are Dask objects (Delayed,
    or Futures) each computing (X_p, Y_p, w_p) in the network's dtype (w_p None without sample
    weights), of `rows` rows each. `distributed` tells the Trainer to train through this object
    rather than on arrays."""

    distributed = True

    def __init__(self, client, net, parts, rows, weighted=False):
        self.client, self.net, self.spec = client, net, network_spec(net)
        self.rows = [int(m) for m in rows]
        self.n = sum(self.rows)
        width = net.D_x + net.D_y + 1
        self.nbytes = self.n * width * net.dtype.itemsize
        known = workers(client)  # one question to the scheduler for both
        limit = memory_limit(known)
        self.resident = limit is None or self.nbytes <= RESIDENT_SHARE * limit
        if self.resident:
            self.parts = client.compute(list(parts))
            _wait(client, self.parts)
            threads = {address: w["nthreads"] for address, w in known.items()}
            self.parts, self.holders = balance(client, self.parts, self.rows, threads)
            self.groups = thread_groups(threads, self.holders, self.rows)  # see `map`
        else:
            self.parts, self.holders = list(parts), [None] * len(parts)
        # Σw, the sum of the partitions' sums (in memory: one sum over all rows, which may
        # differ in the last bit).
        self.sum_weights = float(self.total(partition_weight_sum) if weighted else self.n)

    def __len__(self):
        return len(self.parts)

    def map(self, function, *args):
        """[function(net, X_p, Y_p, w_p, *args) for every partition p], run on the workers
        holding the partitions with the network's current θ, broadcast once."""
        theta = self.client.scatter(self.net.params.copy(), broadcast=True, hash=False)
        if self.resident:
            futures = [self.client.submit(on_partitions, function, self.spec, theta,
                                          [self.parts[i] for i in group], *args, pure=False,
                                          **on(worker))
                       for worker, group in self.groups]
            results = [None] * len(self.parts)
            for (_, group), values in zip(self.groups, self.client.gather(futures)):
                for i, value in zip(group, values):
                    results[i] = value
            return results
        tasks = [dask.delayed(on_partition, pure=False)(function, self.spec, theta, part, *args)
                 for part in self.parts]
        return list(self.client.gather(self.client.compute(tasks)))

    def total(self, function, *args):
        """The sum over partitions of what `function` returns (a number, or a tuple of numbers
        and arrays, added item by item)."""
        results = self.map(function, *args)
        if isinstance(results[0], tuple):
            return tuple(sum(items[1:], items[0]) for items in zip(*results))
        return sum(results[1:], results[0])

    # -- what the Trainer asks of its data ----------------------------------------------------

    def full_objective(self, objective):
        return FullObjective(self, objective)

    def epochs(self, objective, batch_size, shuffle, rng, full_batch=False):
        """The engine of a minibatch solver's epochs: one step on the whole objective per epoch
        (gd), or hops through the partitions, whose batches never span two of them."""
        if full_batch:
            return FullBatchEpochs(self.full_objective(objective))
        return HopEpochs(self, objective, batch_size, shuffle, rng)

    def at_zero(self):
        return self.total(partition_loss_at_zero) / self.sum_weights


def split_partitions(parts, held, seeds, take):
    """([each partition's kept rows], [its held-out rows]) as delayed values, from
    `take(part, held, seed, held_out)` on the partition's worker (see `batches.held_out_plan`)."""
    pick = dask.delayed(take, pure=True)
    return tuple([pick(part, h, s, held_out) for part, h, s in zip(parts, held, seeds)]
                 for held_out in (False, True))


class FullObjective:
    """J and ∇J over every partition, with the in-memory objective's interface: a call
    evaluates at the network's θ, leaves the gradient in `net.grad` and returns (J, ∇J)."""

    def __init__(self, data, objective):
        self.data, self.objective, self.net = data, objective, objective.net

    def __call__(self, X=None, Y=None, weights=None):
        data, net = self.data, self.net
        J, grad = data.total(partition_objective, data.n, data.sum_weights)
        net.grad[...] = grad
        return J + self.objective.add_penalty(), net.grad


class FullBatchEpochs(HostEpochs):
    """gd's epochs: one step on the whole objective, taken on the client."""

    def __init__(self, full_objective):
        super().__init__(full_objective.net)
        self.full = full_objective

    def epoch(self, rule):
        self.remember()
        J, grad = self.full()
        rule.update(self.net.params, grad, self.full.objective.scratch)
        return J, J


class HopEpochs(HostEpochs):
    """The minibatch solvers' epochs: θ and the update rule hop from partition to partition;
    every epoch brings θ and the rule's state home."""

    def __init__(self, data, objective, batch_size, shuffle, rng):
        super().__init__(objective.net)
        self.data, self.objective = data, objective
        self.batch_size, self.shuffle, self.rng = batch_size, shuffle, rng
        self.hops = 0

    def epoch(self, rule):
        """One epoch from the network's θ: (the epoch's mean J_B, its first J_B). θ and the
        rule's state come back to the client at its end."""
        self.remember()
        data, client = self.data, self.data.client
        order, seeds = partition_plan(self.rng, len(data), self.shuffle)
        settings = (data.spec, self.objective.penalty, data.n,
                    data.sum_weights, self.batch_size)
        carry = (self.net.params.copy(), rule, 0.0, None)
        ahead = collections.deque()
        for i, (p, seed) in enumerate(zip(order, seeds)):
            if data.resident:
                part = data.parts[p]
            else:  # read at most LOOK_AHEAD partitions ahead of the hop that needs them
                while len(ahead) < LOOK_AHEAD and i + len(ahead) < len(order):
                    ahead.append(client.compute(data.parts[order[i + len(ahead)]]))
                part = ahead.popleft()
            carry = client.submit(hop, carry, part, *settings, seed, pure=False,
                                  **on(data.holders[p]))
            if not data.resident:
                _wait(client, carry)
            self.hops += 1
        theta, trained, accumulated, first = carry.result()
        self.net.params[...] = theta
        vars(rule).update(vars(trained))
        return accumulated / data.n, first
