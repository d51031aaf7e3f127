"""The minibatches of an epoch (training.batches): every row once, in the seeded order."""

import numpy as np
import pytest
import scipy.sparse as sp

from ffnn.training import batches


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("block_bytes", [1, 200, 2**18])
def test_batches_visit_every_row_once_in_the_seeded_order(monkeypatch, weighted, shuffle,
                                                          block_bytes):
    """Whatever the block size, the batches of an epoch are consecutive slices of
    default_rng(seed).permutation(n) (or of 0 … n−1), with the rows' weights."""
    monkeypatch.setattr(batches, "BLOCK_BYTES", block_bytes)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(23, 4)), rng.normal(size=(23, 3))
    w = rng.uniform(0.5, 2.0, size=23) if weighted else None
    epochs = batches.Batches(X, Y, w, 5, shuffle, np.random.default_rng(7))
    expected_rng = np.random.default_rng(7)
    for _ in range(2):
        order = expected_rng.permutation(23) if shuffle else np.arange(23)
        seen = [(X_B.copy(), Y_B.copy(), None if w_B is None else w_B.copy())
                for X_B, Y_B, w_B in epochs]
        assert [len(x) for x, _, _ in seen] == [5, 5, 5, 5, 3]
        np.testing.assert_array_equal(np.concatenate([x for x, _, _ in seen]), X[order])
        np.testing.assert_array_equal(np.concatenate([y for _, y, _ in seen]), Y[order])
        if w is None:
            assert all(v is None for _, _, v in seen)
        else:
            np.testing.assert_array_equal(np.concatenate([v for _, _, v in seen]), w[order])


@pytest.mark.parametrize("shuffle", [False, True])
def test_sparse_rows_and_a_batch_larger_than_the_data(shuffle):
    rng = np.random.default_rng(3)
    X = sp.random(11, 6, density=0.4, format="csr", random_state=3)
    Y = rng.normal(size=(11, 2))
    epoch = batches.Batches(X, Y, None, 4, shuffle, np.random.default_rng(5))
    order = np.random.default_rng(5).permutation(11) if shuffle else np.arange(11)
    seen = list(epoch)
    assert [x.shape[0] for x, _, _ in seen] == [4, 4, 3]
    assert all(sp.issparse(x) and w is None for x, _, w in seen)
    np.testing.assert_array_equal(sp.vstack([x for x, _, _ in seen]).toarray(),
                                  X.toarray()[order])
    np.testing.assert_array_equal(np.concatenate([y for _, y, _ in seen]), Y[order])
    whole = list(batches.Batches(X.toarray(), Y, None, 50, shuffle, np.random.default_rng(5)))
    assert len(whole) == 1 and whole[0][0].shape == (11, 6)


def test_blocks_hold_whole_batches_of_about_block_bytes():
    X, Y = np.zeros((1000, 8)), np.zeros((1000, 1))
    # A batch of 10 rows of 8 float64 is 640 bytes: a 2**18-byte block holds 409 batches, but
    # never more rows than the data.
    assert batches.Batches(X, Y, None, 10, True, np.random.default_rng(0)).block == 1000
    big = batches.Batches(np.zeros((100_000, 8)), np.zeros((100_000, 1)), None, 10, True,
                          np.random.default_rng(0))
    assert big.block == 10 * (2**18 // 640) and big.X_rows.shape == (big.block, 8)
    # A batch larger than a block still fits: the block is at least one batch.
    wide = batches.Batches(np.zeros((5000, 4000)), np.zeros((5000, 1)), None, 100, True,
                           np.random.default_rng(0))
    assert wide.block == 100
    assert batches.Batches(X, Y, None, 10, False, np.random.default_rng(0)).order is None


@pytest.mark.parametrize("shuffle", [False, True])
def test_batches_keep_the_dtypes_of_the_data(shuffle):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(10, 3)).astype(np.float32), rng.normal(size=(10, 2)).astype(np.float32)
    w = rng.uniform(0.5, 2.0, size=10).astype(np.float32)
    for X_B, Y_B, w_B in batches.Batches(X, Y, w, 4, shuffle, np.random.default_rng(1)):
        assert X_B.dtype == Y_B.dtype == w_B.dtype == np.float32


def test_an_order_drawn_ahead_is_the_order_drawing_it_later_gives():
    X, Y = np.zeros((1000, 2)), np.zeros((1000, 1))

    def orders(ahead, interfere=False):
        b = batches.Batches(X, Y, None, 10, True, np.random.default_rng(3))
        drawn = []
        for epoch in range(4):
            drawn.append(b.next_order().copy())
            if ahead:
                b.draw_ahead()
            if interfere and epoch == 1:
                b.rng.integers(10)  # someone else draws: the order drawn ahead is stale
        return drawn, b.rng.integers(2**62)

    plain, after_plain = orders(False)
    early, after_early = orders(True)
    assert all(np.array_equal(a, b) for a, b in zip(plain, early))
    assert after_plain == after_early  # the generator ends where it would have
    assert sorted(plain[0]) == list(range(1000)) and not np.array_equal(plain[0], plain[1])

    reference, _ = orders(False)
    with_interference, _ = orders(True, interfere=True)
    rng = np.random.default_rng(3)
    expected = []
    for epoch in range(4):
        expected.append(rng.permutation(1000))
        if epoch == 1:
            rng.integers(10)
    assert all(np.array_equal(a, b) for a, b in zip(with_interference, expected))
    assert all(np.array_equal(a, b) for a, b in zip(reference[:2], expected[:2]))
