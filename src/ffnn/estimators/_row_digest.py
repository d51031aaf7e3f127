"""An order-free digest of a training set's rows, by which early stopping tells a warm start on
the rows of an earlier fit (some of which it would score the network on after training on them)
from one on new rows of the same number (`_validation.split_seed`): in memory, or on a cluster,
where each partition's digest is taken on its worker and the client adds them (`of_parts`)."""

import functools

import numpy as np
import scipy.sparse as sp

_CHUNK = 1 << 16  # rows digested at a time: a temporary of this many rows, not of all


def row_set(X, Y):
    """One integer for the rows (X, Y): the same for the same rows in any order, and almost
    always another for other rows. Each number's bits are mixed and multiplied by a number of its
    column's own, and each row's results summed and mixed, in X and Y apart and then together;
    the rows' results are summed (all modulo 2⁶⁴). −0.0 is read as 0.0, and a sparse X gives what
    its dense array gives (a zero's mixed bits are 0)."""
    pairs = _mixed(_rows(X) * np.uint64(0x9E3779B97F4A7C15) + _rows(Y))  # each row's (x, y)
    return int(np.sum(pairs, dtype=np.uint64))


def of_parts(digests):
    """`row_set` of rows held in parts (a cluster's partitions), from the parts' own: the sum of
    theirs modulo 2⁶⁴, as `row_set` sums its rows', so the same rows give the same digest held
    in any parts, or in memory."""
    return sum(map(int, digests)) % (1 << 64)


def part_row_set(net, X, Y, w):
    """`row_set` of a partition (X_p, Y_p, w_p) as a cluster's worker holds it (`Partitions.map`
    calls it so)."""
    return row_set(X, Y)


def _rows(A):
    """Each row's mixed digest, (N,) of uint64, for a 2-D A."""
    if sp.issparse(A):
        A = A.tocsr()
        bits = _bits(A.data) * _column_keys(A.shape[1])[A.indices]
        sums = np.concatenate((np.zeros(1, np.uint64), np.cumsum(bits, dtype=np.uint64)))
        return _mixed(sums[A.indptr[1:]] - sums[A.indptr[:-1]])
    A = np.asarray(A)
    keys = _column_keys(A.shape[1])
    return np.concatenate([np.zeros(0, np.uint64)] + [
        _mixed(np.sum(_bits(A[start:start + _CHUNK]) * keys, axis=1, dtype=np.uint64))
        for start in range(0, A.shape[0], _CHUNK)])


def _bits(A):
    """The mixed bits of A's numbers as float64 (float32 widened exactly, −0.0 read as 0.0), as
    unsigned integers. Mixed, not taken as they are: a sign is the top bit, so two signs flipped
    in a row would change its sum of bits times odd keys by a multiple of 2⁶⁴, that is, not at
    all."""
    return _mixed((np.asarray(A, dtype=np.float64) + 0.0).view(np.uint64))  # −0.0 + 0.0 = 0.0


@functools.lru_cache(maxsize=16)
def _column_keys(D):
    """D odd 64-bit numbers, the same at every call: column d's bits are multiplied by the d-th.
    Kept once drawn (read-only): drawing them took a fifth of a digest of a small batch, which
    every fit and partial_fit takes."""
    keys = np.random.default_rng(0).integers(0, 1 << 63, D, dtype=np.uint64) * np.uint64(2) + \
        np.uint64(1)
    keys.flags.writeable = False
    return keys


def _mixed(h):
    """h with every bit spread over all others (xor-shifts and odd multipliers), so that the
    sum over rows does not add up the columns' sums, which other rows may share."""
    for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
        h = (h ^ (h >> np.uint64(shift))) * np.uint64(factor)
    return h ^ (h >> np.uint64(31))
