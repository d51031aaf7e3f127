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


def test_rows_held_in_parts_give_the_digest_of_the_rows_held_together():
    """A cluster's digest: its partitions' digests combined give the in-memory digest of the
    same rows, however they are parted and ordered."""
    from ffnn.estimators._row_digest import of_parts

    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((200, 3)), rng.standard_normal((200, 2))
    order = rng.permutation(200)
    parts = np.split(order, [0, 7, 7, 120])  # an empty part among them
    combined = of_parts(row_set(sp.csr_matrix(X[p]), Y[p]) for p in parts)
    assert combined == row_set(X, Y) and 0 <= combined < 1 << 64
    assert of_parts(row_set(X[p], Y[p]) for p in parts[2:]) != row_set(X, Y)


def test_a_split_recorded_without_a_digest_is_taken_for_one_of_the_same_rows():
    """A model pickled before splits had a digest records them by their layout alone: rows of
    that number held otherwise are taken for those rows, as they were; rows of a known digest
    are told apart."""
    from ffnn.estimators._validation import other_split

    now = ("partitions", (20, 20))
    assert other_split((("memory", 40),), now, digest=5)
    assert other_split(((("memory", 40), 5),), now, digest=5)
    assert other_split(((("memory", 40), 4),), now, digest=5) is None
    assert other_split(((("memory", 40), 4),), now, digest=None)


def test_rows_differing_by_the_signs_of_two_numbers_give_another_digest():
    # A sign is a number's top bit: two of them flipped in one row changed that row's sum of
    # bits times odd column keys by a multiple of 2⁶⁴, that is, not at all.
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((200, 4)), rng.standard_normal((200, 1))
    digest = row_set(X, Y)
    assert row_set(-X, Y) != digest
    flipped = X.copy()
    flipped[5, [0, 1]] *= -1
    assert row_set(flipped, Y) != digest
    ones = np.ones((2, 1))
    assert row_set(np.array([[1.0, -1.0], [1, 1]]), ones) != \
        row_set(np.array([[-1.0, 1.0], [1, 1]]), ones)
    assert row_set(2 * X, Y) != digest != row_set(X, Y + 1)


def test_minus_zero_is_the_same_number_as_zero():
    X, Y = np.zeros((3, 2)), np.ones((3, 1))
    digest = row_set(X, Y)
    assert row_set(-X, Y) == digest == row_set(X, Y * np.array([[-0.0 + 1]]))
    assert row_set(sp.csr_matrix(-X), -Y + 2) == digest
    explicit = sp.csr_matrix((np.array([-0.0]), np.array([1]), np.array([0, 1, 1, 1])), shape=(3, 2))
    assert explicit.nnz == 1 and row_set(explicit, Y) == digest


def test_many_partial_fits_on_new_rows_keep_a_bounded_record_and_still_warn():
    """partial_fit over a stream of batches of one size: each batch's digest was kept, so the
    model (and its pickle) grew by one record a call and every call searched them all. Beyond a
    few digests of one number of rows, rows of that number are taken for rows trained on."""
    import warnings

    from ffnn import FFNNRegressor

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    model = FFNNRegressor(hidden_layer_sizes=(3,), random_state=0)
    for i in range(60):
        model.partial_fit(X + i, X.sum(axis=1))
    assert len(model._unsplit_rows) <= 8, len(model._unsplit_rows)
    model.set_params(warm_start=True, early_stopping=True, max_iter=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, X.sum(axis=1))  # the first batch, trained on
    assert any("may hold out rows this network was trained on" in str(w.message) for w in caught)


def test_many_warm_starts_with_early_stopping_on_new_rows_keep_a_bounded_record_and_still_warn():
    """fit with warm_start and early_stopping over a stream of chunks of one size (partial_fit
    refuses early_stopping): each chunk's digest was kept with the rows its split held out."""
    import warnings

    from ffnn import FFNNRegressor

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    model = FFNNRegressor(hidden_layer_sizes=(3,), random_state=0, max_iter=1, warm_start=True,
                          early_stopping=True, validation_fraction=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(30):
            model.fit(X + i, X.sum(axis=1))
    assert len(model._split_held) <= 8, len(model._split_held)
    assert len(model._split_layouts) <= 8, len(model._split_layouts)
    model.set_params(validation_fraction=0.3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, X.sum(axis=1))  # the first chunk, 2 of its rows held out then
    assert any("holds out other rows" in str(w.message) for w in caught)


def test_new_rows_beyond_the_digests_kept_are_not_warned_of_and_rows_split_before_are():
    import warnings

    from ffnn import FFNNRegressor

    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    model = FFNNRegressor(hidden_layer_sizes=(3,), random_state=0, max_iter=1, warm_start=True,
                          early_stopping=True, validation_fraction=0.1)

    def said(rows):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(rows, rows.sum(axis=1))
        return any("holds out other rows" in str(w.message) for w in caught)

    assert not any([said(X + i) for i in range(8)])
    model.set_params(validation_fraction=0.3)
    assert not said(X + 8)  # new rows, a ninth digest of 20 rows
    assert said(X)  # 6 held out of rows that a split holding out 2 trained on
