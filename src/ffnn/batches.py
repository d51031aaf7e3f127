"""Minibatches: each epoch visits the rows in a fresh seeded random order (or in their order),
B at a time, copied into buffers that are allocated once.

Each batch comes with its per-row weights w̃_n / |B| (w̃ scaled to mean 1, or all 1), so that the
summed weighted loss of a batch is the batch's mean loss, the J_B of `training`.
"""

import numpy as np
import scipy.sparse as sp


class Batches:
    """Iterate over (X_B, Y_B, w_B, workspace) for one epoch at a time; the workspace holds a
    chunk of up to `net.chunk_rows()` rows, and a larger batch is done chunk by chunk."""

    def __init__(self, net, X, Y, w_tilde, batch_size, shuffle, rng):
        self.X, self.Y, self.w_tilde, self.B, self.rng = X, Y, w_tilde, batch_size, rng
        n, dtype = X.shape[0], net.dtype
        self.n = n
        self.workspace = net.workspace(batch_size)
        self.sparse = sp.issparse(X)
        self.X_rows = None if self.sparse else np.empty((batch_size, X.shape[1]), dtype)
        self.Y_rows = np.empty((batch_size, Y.shape[1]), dtype)
        self.w_rows = np.empty(batch_size, dtype)
        self.uniform = {}  # batch size -> the constant weights 1/b
        # Generator.shuffle of 0 … n−1 gives exactly Generator.permutation(n), without a new
        # array each epoch.
        self.order = np.empty(n, dtype=np.int64) if shuffle else None
        self.identity = np.arange(n, dtype=np.int64) if shuffle else None

    def __iter__(self):
        order = self.order
        if order is not None:
            np.copyto(order, self.identity)
            self.rng.shuffle(order)
        for start in range(0, self.n, self.B):
            stop = min(start + self.B, self.n)
            b = stop - start
            if order is None:
                rows = slice(start, stop)
                X_B, Y_B = self.X[rows], self.Y[rows]
            else:
                rows = order[start:stop]
                if self.sparse:
                    X_B = self.X[rows]
                else:
                    X_B = np.take(self.X, rows, axis=0, out=self.X_rows[:b], mode="clip")
                Y_B = np.take(self.Y, rows, axis=0, out=self.Y_rows[:b], mode="clip")
            yield X_B, Y_B, self._weights(rows, b), self.workspace

    def _weights(self, rows, b):
        if self.w_tilde is None:
            if b not in self.uniform:
                self.uniform[b] = np.full(b, 1.0 / b, self.w_rows.dtype)
            return self.uniform[b]
        w_B = np.take(self.w_tilde, rows, out=self.w_rows[:b], mode="clip")
        w_B *= 1.0 / b
        return w_B
