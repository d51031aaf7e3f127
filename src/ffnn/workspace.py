"""Where the batched passes put their numbers: the NumPy engine's buffers, allocated once per
batch size and filled in place by every pass, and the compiled engine's stand-in without any."""

import numpy as np

# Entries in one layer's buffer when a large batch is split (see `Network.chunk_rows`): 2 MiB of
# float64, which a core's L2 cache holds, or, for wide layers, 2,048 rows up to 32 MiB (and
# never fewer than 256 rows, which for layers over 16,384 wide take more). Against the
# 32 MiB alone, one evaluation took 0.87-0.95 of the time for hidden (128, 128) (10⁵ rows,
# float64 and float32) and 0.79-0.90 for (64,) (2·10⁵ rows, float32), with one BLAS thread or
# two, while chunks of fewer than 2,048 rows of wide layers (512, 1024) cost two BLAS threads
# up to a quarter of their speed.
CHUNK_ELEMENTS = 2**18
CHUNK_ELEMENTS_MAX = 2**22


class Workspace:
    """Buffers for batches of up to N observations, allocated once and reused by every pass.

    Per layer: Z (H^(ℓ), then Z^(ℓ) = f(H^(ℓ)) in place; in the backward pass, once ∂L/∂W^(ℓ+1)
    is formed and Z^(ℓ) is needed no more, ∂L/∂Z^(ℓ) and then ∇H^(ℓ) in place) and dF (f'(H^(ℓ)),
    kept from the forward pass; None where it is not needed: linear layers, and an output layer
    whose loss gives ∇H^(L) directly); and dH, the output layer's ∇H^(L). Reusing Z for the
    backward pass keeps a training step's memory small enough to stay in cache. Each buffer is
    stored row-major as N × D_ℓ and used through its transpose, the D_ℓ × N matrix of the
    chapter: the same numbers, but BLAS multiplies faster in this memory order when N is a
    minibatch. `rows(n)` gives the same buffers cut to n ≤ N observations.

    `keep` says per layer whether f'(H^(ℓ)) is kept (Network.derivatives_kept).
    """

    def __init__(self, layer_sizes, keep, dtype, N):
        self.N = N
        self.Z = [np.empty((N, D), dtype).T for D in layer_sizes[1:]]
        self.keep = keep
        self.dF = [np.empty((N, D), dtype).T if kept else None
                   for D, kept in zip(layer_sizes[1:], keep)]
        self.dH = np.empty((N, layer_sizes[-1]), dtype).T
        self.scratch = np.empty((N, layer_sizes[-1]), dtype).T
        self.ones = np.ones(N, dtype)
        self.in_place = True
        self._cuts = {}

    def rows(self, n):
        """This workspace's buffers cut to their first n ≤ N observations (views, cached)."""
        if n == self.N:
            return self
        if n not in self._cuts:
            cut = object.__new__(Workspace)
            cut.N, cut._cuts, cut.keep, cut.in_place = n, {}, self.keep, True
            cut.Z = [A[:, :n] for A in self.Z]
            cut.dF = [None if A is None else A[:, :n] for A in self.dF]
            cut.dH, cut.scratch, cut.ones = self.dH[:, :n], self.scratch[:, :n], self.ones[:n]
            self._cuts[n] = cut
        return self._cuts[n]


class Unbuffered:
    """The workspace of an engine whose arrays are immutable (the compiled one): no buffers, so
    every pass returns new arrays; `ones` is the vector 1 of length N; `keep` as Workspace's."""

    def __init__(self, keep, ones):
        L = len(keep)
        self.N, self.ones, self.in_place = ones.shape[0], ones, False
        self.Z, self.dF, self.dH, self.scratch = [None] * L, [None] * L, None, None
        self.keep = keep
