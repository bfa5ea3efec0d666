"""``shuffle`` semantics: the buffer, seeds and reshuffling (element-for-element orders differ from TF's, whose
random generator is not reproduced)."""
import numpy as np
import pytest

import ndflow as tf

D = tf.data.Dataset


def _order(dataset):
    return [int(v) for v in dataset.as_numpy_iterator()]


def test_shuffle_is_a_permutation():
    order = _order(D.range(100).shuffle(30))
    assert sorted(order) == list(range(100)) and order != list(range(100))


def test_buffer_of_one_keeps_order():
    assert _order(D.range(20).shuffle(1)) == list(range(20))


@pytest.mark.parametrize("buffer_size", [2, 5, 17])
def test_small_buffers_only_mix_locally(buffer_size):
    for seed in range(5):
        order = _order(D.range(200).shuffle(buffer_size, seed=seed))
        for position, value in enumerate(order):
            # an element enters the buffer after `value - buffer_size + 1` outputs, so it cannot come out earlier
            assert position >= value - buffer_size + 1
        assert max(order[:buffer_size]) < 2 * buffer_size


def test_full_buffer_spreads_evenly():
    first = [_order(D.range(10).shuffle(10))[0] for _ in range(400)]
    counts = np.bincount(first, minlength=10)
    assert counts.min() > 15


def test_seed_makes_orders_repeat_and_reshuffles_each_iteration():
    a = D.range(50).shuffle(50, seed=3)
    b = D.range(50).shuffle(50, seed=3)
    first, second = _order(a), _order(a)
    assert first == _order(b) and second == _order(b)
    assert first != second
    fixed = D.range(50).shuffle(50, seed=3, reshuffle_each_iteration=False)
    assert _order(fixed) == _order(fixed)
    unseeded = D.range(50).shuffle(50, reshuffle_each_iteration=False)
    assert _order(unseeded) == _order(unseeded)
    assert _order(D.range(50).shuffle(50, seed=4)) != first


def test_global_seed_makes_unseeded_shuffles_repeat():
    tf.random.set_seed(11)
    first = [_order(D.range(30).shuffle(30)) for _ in range(2)]
    tf.random.set_seed(11)
    second = [_order(D.range(30).shuffle(30)) for _ in range(2)]
    tf.random.set_seed(None)
    assert first == second and first[0] != first[1]


def test_shuffle_then_repeat_reshuffles_each_epoch():
    epochs = _order(D.range(20).shuffle(20, seed=1).repeat(2))
    assert sorted(epochs[:20]) == sorted(epochs[20:]) == list(range(20))
    assert epochs[:20] != epochs[20:]


def test_shuffle_keeps_components_together():
    x = np.arange(50)
    for a, b in D.from_tensor_slices((x, x * 10)).shuffle(50).as_numpy_iterator():
        assert b == a * 10


def test_invalid_buffer_size():
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be greater than zero"):
        D.range(3).shuffle(0)
