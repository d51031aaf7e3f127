"""Minibatches: each epoch visits the rows in a fresh seeded random order (or in their order),
B at a time; the order of an epoch is `rng.permutation(n)`.

With shuffling, the rows of several consecutive batches are gathered at once into a block buffer
allocated once, and the batches are slices of it: one large gather lets the memory system fetch
many scattered rows in parallel, and costs about half as much per row as gathering each small
batch alone. The block holds about BLOCK_BYTES of X, and at least one batch.
"""

import copy
import math

import numpy as np
import scipy.sparse as sp

BLOCK_BYTES = 2**18


class Batches:
    """Iterate over (X_B, Y_B, w_B) for one epoch at a time: the rows of each batch and their
    sample weights (None without weights)."""

    def __init__(self, X, Y, weights, batch_size, shuffle, rng):
        self.X, self.Y, self.weights, self.B, self.rng = X, Y, weights, batch_size, rng
        self.n = n = X.shape[0]
        self.sparse = sp.issparse(X)
        if shuffle:
            batch_bytes = batch_size * X.shape[1] * X.dtype.itemsize
            self.block = min(n, batch_size * max(1, BLOCK_BYTES // batch_bytes))
            self.X_rows = None if self.sparse else np.empty((self.block, X.shape[1]), X.dtype)
            self.Y_rows = np.empty((self.block, Y.shape[1]), Y.dtype)
            self.w_rows = None if weights is None else np.empty(self.block, weights.dtype)
        # Generator.shuffle of 0 … n−1 gives exactly Generator.permutation(n), without a new
        # array each epoch.
        self.order = np.empty(n, dtype=np.int64) if shuffle else None
        self.identity = np.arange(n, dtype=np.int64) if shuffle else None
        self.ahead = self.ahead_order = None  # see `draw_ahead`

    def next_order(self):
        """The rows of the next epoch in the order its batches take them: a fresh permutation
        with shuffling, else 0 … n−1. (Iterating calls it; the compiled engine calls it alone.)"""
        if self.order is None:
            return np.arange(self.n)
        ahead, self.ahead = self.ahead, None
        if ahead is not None:
            bits = self.rng.bit_generator
            with bits.lock:  # no other thread's draw between the check and the move
                if _same_state(bits.state, ahead[0]):
                    bits.state = ahead[2]  # exactly as if drawn now
                    self.order, self.ahead_order = ahead[1], self.order
                    return self.order
        np.copyto(self.order, self.identity)
        self.rng.shuffle(self.order)
        return self.order

    def draw_ahead(self):
        """Draw the next epoch's order now, from a copy of the generator, leaving the generator
        untouched: the compiled engine does this while the device runs an epoch (a permutation
        of a million rows takes tens of milliseconds on the host). `next_order` then returns it,
        and moves the generator on as drawing it would have, if the generator is still where
        it was; otherwise (something else drew from it, or no epoch follows) it is dropped."""
        if self.order is None:
            return
        if self.ahead_order is None:
            self.ahead_order = np.empty_like(self.order)
        rng = copy.deepcopy(self.rng)
        np.copyto(self.ahead_order, self.identity)
        rng.shuffle(self.ahead_order)
        self.ahead = (self.rng.bit_generator.state, self.ahead_order,
                      rng.bit_generator.state)

    def __iter__(self):
        if self.order is None:
            yield from self._batches(self.X, self.Y, self.weights)
            return
        order = self.next_order()
        for start in range(0, self.n, self.block):
            rows = order[start:start + self.block]
            m = rows.shape[0]
            if self.sparse:
                X_block = self.X[rows]
            else:
                X_block = np.take(self.X, rows, axis=0, out=self.X_rows[:m], mode="clip")
            Y_block = np.take(self.Y, rows, axis=0, out=self.Y_rows[:m], mode="clip")
            w_block = None
            if self.weights is not None:
                w_block = np.take(self.weights, rows, out=self.w_rows[:m], mode="clip")
            yield from self._batches(X_block, Y_block, w_block)

    def _batches(self, X, Y, w):
        """Consecutive batches of B rows of X, Y (and w)."""
        for start in range(0, X.shape[0], self.B):
            stop = start + self.B
            yield X[start:stop], Y[start:stop], None if w is None else w[start:stop]


def _same_state(a, b):
    """Whether two bit generators' states (dicts, holding arrays for some) are equal."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(
            _same_state(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(a, b)
    return a == b


def partition_plan(rng, n_partitions, shuffle):
    """The order of an epoch over data held in partitions: (the partitions in the order the
    epoch visits them, one seed per partition for the order of its own rows). Drawn from the
    trainer's Generator the same way whether the partitions are on a cluster or in memory, so
    that both train on the same batches."""
    if not shuffle:
        return np.arange(n_partitions), [None] * n_partitions
    order = rng.permutation(n_partitions)
    seeds = rng.integers(2**63, size=n_partitions).tolist()
    return order, seeds


def partition_batches(X, Y, weights, batch_size, seed):
    """The batches of one partition in one epoch: its rows in the order its seed draws (in their
    order for seed None), B at a time, the last batch of the partition possibly smaller."""
    shuffle = seed is not None
    rng = np.random.default_rng(seed) if shuffle else None
    return Batches(X, Y, weights, min(batch_size, X.shape[0]), shuffle, rng)


class PartitionedBatches:
    """Minibatches over rows held as consecutive partitions of the given sizes, as the cluster
    engine visits them (see `partition_plan`): an epoch takes the partitions in a drawn order and
    each partition's rows in a drawn order, and no batch spans two partitions. In memory this
    is the cluster's training exactly, batch for batch."""

    def __init__(self, X, Y, weights, batch_size, shuffle, rng, partitions):
        self.X, self.Y, self.weights, self.B = X, Y, weights, batch_size
        self.shuffle, self.rng = shuffle, rng
        self.n = X.shape[0]
        sizes = np.asarray(partitions, dtype=np.int64)
        if sizes.sum() != self.n or (sizes <= 0).any():
            raise ValueError(f"partitions of {sizes.tolist()} rows do not cover {self.n} rows")
        self.bounds = np.concatenate([[0], np.cumsum(sizes)])

    def __iter__(self):
        order, seeds = partition_plan(self.rng, len(self.bounds) - 1, self.shuffle)
        for p, seed in zip(order, seeds):
            rows = slice(self.bounds[p], self.bounds[p + 1])
            w = None if self.weights is None else self.weights[rows]
            yield from partition_batches(self.X[rows], self.Y[rows], w, self.B, seed)


def held_out_counts(rows, fraction):
    """How many rows of each partition (of `rows` rows) to hold out: ceil(fraction · n) in all,
    as train_test_split rounds, shared in proportion to the partitions' sizes (the largest
    remainders rounded up)."""
    rows = np.asarray(rows, dtype=np.int64)
    # (times a Python int, as train_test_split multiplies: a NumPy float32 fraction stays
    # float32, whose 0.2 · 50 is 10, where an int64 would make it float64, 10.0000001)
    total = math.ceil(fraction * int(rows.sum()))
    share = fraction * rows
    held = np.floor(share).astype(np.int64)
    extra = total - held.sum()
    if extra > 0:
        order = np.argsort(-(share - held), kind="stable")
        held[order[:extra]] += 1
    return np.minimum(held, rows).tolist()


def held_out_plan(rows, fraction, seed):
    """(how many rows of each partition to hold out, the seed each partition draws them from):
    a split of ceil(fraction · n) rows among partitions of `rows` rows (see `held_out_counts`,
    `held_out_rows`), the partitions' seeds drawn from `seed`."""
    seeds = np.random.default_rng(seed).integers(2**63, size=len(rows)).tolist()
    return held_out_counts(rows, fraction), seeds


def held_out_rows(m, held, seed):
    """(training rows, held-out rows) of a partition of m rows: a random `held` of them, drawn
    from the partition's seed."""
    order = np.random.default_rng(seed).permutation(m)
    return np.sort(order[held:]), np.sort(order[:held])
