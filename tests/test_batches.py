"""The minibatches of an epoch (training.batches): every row once, in the seeded order."""

import re

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


@pytest.mark.parametrize("bits", [np.random.PCG64, np.random.MT19937, np.random.Philox,
                                  np.random.SFC64])
def test_an_order_drawn_ahead_is_the_order_drawing_it_later_gives(bits):
    X, Y = np.zeros((1000, 2)), np.zeros((1000, 1))

    def generator():
        return np.random.Generator(bits(3))

    def orders(ahead, interfere=False):
        b = batches.Batches(X, Y, None, 10, True, generator())
        drawn, used = [], 0
        for epoch in range(4):
            waiting = b.ahead[1] if b.ahead is not None else None
            order = b.next_order()
            used += order is waiting  # the order drawn ahead, not one drawn again
            drawn.append(order.copy())
            if ahead:
                b.draw_ahead()
            if interfere and epoch == 1:
                b.rng.integers(10)  # someone else draws: the order drawn ahead is stale
        assert used == (0 if not ahead else 2 if interfere else 3)
        return drawn, b.rng.integers(2**62)

    plain, after_plain = orders(False)
    early, after_early = orders(True)
    assert all(np.array_equal(a, b) for a, b in zip(plain, early))
    assert after_plain == after_early  # the generator ends where it would have
    assert sorted(plain[0]) == list(range(1000)) and not np.array_equal(plain[0], plain[1])

    reference, _ = orders(False)
    with_interference, _ = orders(True, interfere=True)
    rng = generator()
    expected = []
    for epoch in range(4):
        expected.append(rng.permutation(1000))
        if epoch == 1:
            rng.integers(10)
    assert all(np.array_equal(a, b) for a, b in zip(with_interference, expected))
    assert all(np.array_equal(a, b) for a, b in zip(reference[:2], expected[:2]))


def test_a_partition_plan_is_drawn_from_the_generator_or_is_the_identity():
    order, seeds = batches.partition_plan(np.random.default_rng(7), 4, shuffle=False)
    assert order.tolist() == [0, 1, 2, 3] and seeds == [None] * 4
    twin = np.random.default_rng(7)
    order, seeds = batches.partition_plan(np.random.default_rng(7), 4, shuffle=True)
    assert order.tolist() == twin.permutation(4).tolist()
    assert seeds == twin.integers(2**63, size=4).tolist()


@pytest.mark.parametrize("shuffle", [True, False])
def test_partitioned_batches_take_partitions_and_their_rows_in_the_drawn_orders(shuffle):
    sizes = [9, 1, 6]  # batches of 4 rows, more than X's 2 columns
    X = np.arange(16.0)[:, None] * [1.0, 10.0]
    Y, w = np.arange(16.0)[:, None], np.arange(16.0) / 10
    got = list(batches.PartitionedBatches(X, Y, w, 4, shuffle, np.random.default_rng(1), sizes))
    order, seeds = batches.partition_plan(np.random.default_rng(1), 3, shuffle)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    expected_rows, expected_sizes = [], []
    for p, seed in zip(order, seeds):
        m = sizes[p]
        rows = np.random.default_rng(seed).permutation(m) if shuffle else np.arange(m)
        expected_rows += (starts[p] + rows).tolist()
        expected_sizes += [min(4, m - k) for k in range(0, m, 4)]  # no batch spans two partitions
    assert [len(Y_B) for _, Y_B, _ in got] == expected_sizes
    rows = np.concatenate([Y_B[:, 0] for _, Y_B, _ in got]).astype(int)
    assert rows.tolist() == expected_rows
    for X_B, Y_B, w_B in got:
        np.testing.assert_array_equal(X_B, X[Y_B[:, 0].astype(int)])
        np.testing.assert_array_equal(w_B, w[Y_B[:, 0].astype(int)])
    unweighted = batches.PartitionedBatches(X, Y, None, 4, shuffle, np.random.default_rng(1),
                                            sizes)
    for (X_B, Y_B, w_B), (X_A, Y_A, _) in zip(unweighted, got, strict=True):
        assert w_B is None
        np.testing.assert_array_equal(X_B, X_A)
    for wrong in ([9, 1, 5], [17, -1], [16, 0]):
        message = re.escape(f"partitions of {wrong} rows do not cover 16 rows")
        with pytest.raises(ValueError, match=message):
            batches.PartitionedBatches(X, Y, w, 4, shuffle, np.random.default_rng(1), wrong)


def test_a_held_out_plan_gives_each_partition_its_count_and_seed():
    held, seeds = batches.held_out_plan([10, 10, 5], 0.1, seed=4)
    assert held == batches.held_out_counts([10, 10, 5], 0.1)
    assert seeds == np.random.default_rng(4).integers(2**63, size=3).tolist()
    assert len(set(seeds)) == 3 and batches.held_out_plan([1], 0.5, seed=4)[1] == seeds[:1]


def test_a_numpy_float_fraction_holds_out_what_train_test_split_holds_out():
    """train_test_split rounds up test_size · n in test_size's own type: np.float32(0.2) of 50
    rows is 10, where float64 arithmetic (np.float32(0.2) is 0.2000000029...) gives 11."""
    from sklearn import config_context
    from sklearn.model_selection import train_test_split

    for fraction, rows in ((np.float32(0.2), [25, 25]), (np.float16(0.3), [20, 30])):
        with config_context(skip_parameter_validation=True):  # as the estimators' fit calls it
            _, held = train_test_split(np.arange(50), test_size=fraction, random_state=0)
        assert sum(batches.held_out_counts(rows, fraction)) == len(held)
    assert len(held) == 15 and sum(batches.held_out_counts([25, 25], np.float32(0.2))) == 10


def test_held_out_rows_per_partition_add_up_as_train_test_split_rounds():
    assert batches.held_out_counts([10, 10, 5], 0.1) == [1, 1, 1]  # ceil(2.5) = 3, remainders
    assert batches.held_out_counts([3, 7], 0.25) == [1, 2]  # ceil(2.5) = 3: ties, both up
    assert batches.held_out_counts([4, 6], 0.5) == [2, 3]  # exact shares, nothing to round
    assert batches.held_out_counts([1, 1, 1], 1.0) == [1, 1, 1]
    # Ties of the remainder go to the first partitions (a stable order), however many there are
    rows = [2, 1, 2, 3] * 10  # remainders 0.5, 0.25, 0.5, 0.75 of a quarter
    expected = [1 if k % 4 == 3 or (k % 4 in (0, 2) and k < 20) else 0 for k in range(40)]
    assert batches.held_out_counts(rows, 0.25) == expected
    rng = np.random.default_rng(0)
    for _ in range(50):
        rows = rng.integers(1, 40, size=rng.integers(1, 6))
        fraction = rng.uniform(0.01, 0.99)
        held = np.array(batches.held_out_counts(rows, fraction))
        assert held.sum() == np.ceil(fraction * rows.sum()) and (held <= rows).all()
        assert (np.abs(held - fraction * rows) < 1 + 1e-9).all()  # in proportion to the sizes

    train, held = batches.held_out_rows(60, 20, seed=5)
    order = np.random.default_rng(5).permutation(60)
    assert held.tolist() == sorted(order[:20]) and train.tolist() == sorted(order[20:])


def test_generator_states_compare_by_value_arrays_included():
    for bits in (np.random.PCG64, np.random.MT19937):
        a, b = bits(1).state, bits(1).state
        assert batches._same_state(a, b)
        moved = np.random.Generator(bits(1))
        moved.integers(5)
        assert not batches._same_state(a, moved.bit_generator.state)
    assert not batches._same_state({"x": 1}, {"y": 1}) and not batches._same_state({"x": 1}, 1)
    assert not batches._same_state(np.arange(3), np.arange(4))


def test_without_shuffling_the_order_is_the_rows_order():
    b = batches.Batches(np.zeros((5, 1)), np.zeros((5, 1)), None, 2, False, None)
    assert b.next_order().tolist() == [0, 1, 2, 3, 4]
    b.draw_ahead()  # nothing to draw
    assert b.ahead is None and b.next_order().tolist() == [0, 1, 2, 3, 4]
