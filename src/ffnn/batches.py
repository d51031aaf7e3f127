"""Minibatches: each epoch visits the rows in a fresh seeded random order (or in their order),
B at a time.

With shuffling, the rows of several consecutive batches are gathered at once into a block buffer
allocated once, and the batches are slices of it: one large gather lets the memory system fetch
many scattered rows in parallel, and costs about half as much per row as gathering each small
batch alone. The block holds about BLOCK_BYTES of X, and at least one batch.

Each batch comes with its per-row weights w̃_n / |B| (w̃ scaled to mean 1, or all 1), so that the
summed weighted loss of a batch is the batch's mean loss, the J_B of `training`.
"""

import numpy as np
import scipy.sparse as sp

BLOCK_BYTES = 2**18


class Batches:
    """Iterate over (X_B, Y_B, w_B, workspace) for one epoch at a time; the workspace holds a
    chunk of up to `net.chunk_rows()` rows, and a larger batch is done chunk by chunk."""

    def __init__(self, net, X, Y, w_tilde, batch_size, shuffle, rng):
        self.X, self.Y, self.w_tilde, self.B, self.rng = X, Y, w_tilde, batch_size, rng
        n, dtype = X.shape[0], net.dtype
        self.n = n
        self.workspace = net.workspace(batch_size)
        self.sparse = sp.issparse(X)
        if shuffle:
            batch_bytes = batch_size * X.shape[1] * dtype.itemsize
            self.block = min(n, batch_size * max(1, BLOCK_BYTES // batch_bytes))
            self.X_rows = None if self.sparse else np.empty((self.block, X.shape[1]), dtype)
            self.Y_rows = np.empty((self.block, Y.shape[1]), dtype)
            self.w_rows = None if w_tilde is None else np.empty(self.block, dtype)
        self.w_batch = None if w_tilde is None else np.empty(batch_size, dtype)
        self.uniform = {}  # batch size -> the constant weights 1/b
        # Generator.shuffle of 0 … n−1 gives exactly Generator.permutation(n), without a new
        # array each epoch.
        self.order = np.empty(n, dtype=np.int64) if shuffle else None
        self.identity = np.arange(n, dtype=np.int64) if shuffle else None

    def __iter__(self):
        if self.order is None:
            yield from self._batches(self.X, self.Y, self.w_tilde)
            return
        order = self.order
        np.copyto(order, self.identity)
        self.rng.shuffle(order)
        for start in range(0, self.n, self.block):
            rows = order[start:start + self.block]
            m = rows.shape[0]
            if self.sparse:
                X_block = self.X[rows]
            else:
                X_block = np.take(self.X, rows, axis=0, out=self.X_rows[:m], mode="clip")
            Y_block = np.take(self.Y, rows, axis=0, out=self.Y_rows[:m], mode="clip")
            w_block = None
            if self.w_tilde is not None:
                w_block = np.take(self.w_tilde, rows, out=self.w_rows[:m], mode="clip")
            yield from self._batches(X_block, Y_block, w_block)

    def _batches(self, X, Y, w):
        """Consecutive batches of B rows of X, Y (and w), with each batch's weights w / b."""
        n = X.shape[0]
        for start in range(0, n, self.B):
            stop = min(start + self.B, n)
            b = stop - start
            if w is None:
                if b not in self.uniform:
                    self.uniform[b] = np.full(b, 1.0 / b, self.workspace.ones.dtype)
                w_B = self.uniform[b]
            else:
                w_B = np.multiply(w[start:stop], 1.0 / b, out=self.w_batch[:b])
            yield X[start:stop], Y[start:stop], w_B, self.workspace
