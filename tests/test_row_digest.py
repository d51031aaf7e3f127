"""The digest by which early stopping tells the rows of an earlier fit from new rows."""

import numpy as np
import scipy.sparse as sp

from ffnn.estimators._row_digest import row_set


def test_the_same_rows_in_any_order_and_any_storage_give_one_digest_and_others_another():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((300, 4)), rng.standard_normal((300, 1))
    X[X < 0] = 0
    order = rng.permutation(300)
    digest = row_set(X, Y)
    assert digest == row_set(X[order], Y[order])
    assert digest == row_set(sp.csr_matrix(X), Y) == row_set(sp.csc_matrix(X[order]), Y[order])
    assert digest == row_set(np.asfortranarray(X), Y)
    changed = X.copy()
    changed[7, 2] = np.nextafter(changed[7, 2], 1)
    assert row_set(changed, Y) != digest
    assert row_set(X, -Y) != digest
    swapped = Y.copy()
    swapped[[0, 1]] = swapped[[1, 0]]  # the same values in each column, in other rows
    assert not np.array_equal(X[0], X[1]) and row_set(X, swapped) != digest
    assert row_set(X[:299], Y[:299]) != digest
