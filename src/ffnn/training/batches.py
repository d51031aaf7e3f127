"""Minibatches: each epoch visits the rows in a fresh seeded random order (or in their order),
B at a time; the order of an epoch is `rng.permutation(n)`.

With shuffling, the rows of several consecutive batches are gathered at once into a block buffer
allocated once, and the batches are slices of it: one large gather lets the memory system fetch
many scattered rows in parallel, and costs about half as much per row as gathering each small
batch alone. The block holds about BLOCK_BYTES of X, and at least one batch.
"""

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

    def next_order(self):
        """The rows of the next epoch in the order its batches take them: a fresh permutation
        with shuffling, else 0 … n−1. (Iterating calls it; the compiled engine calls it alone.)"""
        if self.order is None:
            return np.arange(self.n)
        np.copyto(self.order, self.identity)
        self.rng.shuffle(self.order)
        return self.order

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
