"""The ``Optimizer`` base: arguments, variables, learning rate, ``apply`` semantics, config, ``get`` and tracing."""
import warnings

import numpy as np
import pytest

import ndflow as tf
from ndflow import keras
from ndflow.keras.layers import KerasVariable

optimizers = keras.optimizers


def dense_weights():
    kernel = KerasVariable(np.ones((2, 3), np.float32), name="kernel", path="dense/kernel")
    bias = KerasVariable(np.zeros(3, np.float32), name="bias", path="dense/bias")
    return [kernel, bias]


def ones_like(variables, scale=1.0):
    return [tf.constant(np.full(tuple(v.shape), scale, np.float32)) for v in variables]


# -- arguments ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{"clipnorm": 1.0, "clipvalue": 1.0}, {"clipnorm": 1.0, "global_clipnorm": 1.0},
                                    {"clipvalue": 1.0, "global_clipnorm": 2.0}])
def test_only_one_clipping_argument(kwargs):
    with pytest.raises(ValueError, match="Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set"):
        optimizers.SGD(**kwargs)


def test_unknown_keyword_argument():
    with pytest.raises(ValueError, match=r"Argument\(s\) not recognized: \{'lr': 0.1\}"):
        optimizers.Adam(lr=0.1)


def test_decay_argument_warns():
    with pytest.warns(UserWarning, match="Argument `decay` is no longer supported"):
        optimizers.SGD(decay=0.1)


@pytest.mark.parametrize("rate", [1, "0.1", np.float32(0.1)])
def test_learning_rate_must_be_float_schedule_or_callable(rate):
    with pytest.raises(ValueError, match="Argument `learning_rate` should be float"):
        optimizers.SGD(learning_rate=rate)


@pytest.mark.parametrize("kwargs,message", [
    ({"use_ema": True, "ema_momentum": 1.5}, "`ema_momentum` must be in the range \\[0, 1\\]"),
    ({"use_ema": True, "ema_overwrite_frequency": 0.5}, "`ema_overwrite_frequency` must be an integer >= 1"),
    ({"gradient_accumulation_steps": 1}, "`gradient_accumulation_steps` must be an integer >= 2")])
def test_argument_ranges(kwargs, message):
    with pytest.raises(ValueError, match=message):
        optimizers.Adam(**kwargs)


def test_subclass_must_call_super_init_first():
    class Broken(optimizers.Optimizer):
        def __init__(self):
            self.momentum = 0.5
            super().__init__(learning_rate=0.1)

    with pytest.raises(RuntimeError, match="you forgot to call `super\\(\\).__init__\\(\\)`"):
        Broken()


def test_default_names_are_snake_case_and_unique():
    class MyFancyOptimizer(optimizers.SGD):
        pass

    assert MyFancyOptimizer().name == "my_fancy_optimizer"
    assert MyFancyOptimizer().name == "my_fancy_optimizer_1"
    assert optimizers.SGD(name="custom").name == "custom"


# -- variables ------------------------------------------------------------------------------------------------
def test_variables_order_names_and_paths():
    optimizer = optimizers.Adam(name="opt", amsgrad=True)
    optimizer.build(dense_weights())
    assert [v.path for v in optimizer.variables] == [
        "opt/iteration", "opt/learning_rate", "opt/dense_kernel_momentum", "opt/dense_kernel_velocity",
        "opt/dense_bias_momentum", "opt/dense_bias_velocity", "opt/dense_kernel_velocity_hat",
        "opt/dense_bias_velocity_hat"]
    assert optimizer.variables[2].name == "dense_kernel_momentum"
    assert all(not v.trainable for v in optimizer.variables)
    assert optimizer.iterations.dtype == tf.int64 and optimizer.iterations.numpy() == 0
    assert tuple(optimizer.variables[2].shape) == (2, 3)


def test_ema_averages_come_before_the_slots():
    optimizer = optimizers.SGD(name="opt", momentum=0.5, use_ema=True)
    optimizer.build(dense_weights())
    assert [v.name for v in optimizer.variables[2:]] == [
        "dense_kernel_average", "dense_bias_average", "dense_kernel_momentum", "dense_bias_momentum"]


def test_slot_names_of_plain_variables_use_their_name():
    optimizer = optimizers.SGD(momentum=0.9)
    optimizer.build([tf.Variable([1.0], name="w")])
    assert optimizer.variables[-1].name == "w_0_momentum"


def test_add_variable_and_initializers():
    optimizer = optimizers.SGD()
    ones = optimizer.add_variable((2,), initializer="ones", name="extra")
    custom = optimizer.add_variable((3,), initializer=lambda shape, dtype=None: np.full(shape, 7.0), dtype="float64")
    np.testing.assert_array_equal(ones.numpy(), [1.0, 1.0])
    assert custom.dtype == tf.float64 and custom.name == "variable"
    np.testing.assert_array_equal(custom.numpy(), [7.0, 7.0, 7.0])
    assert optimizer.variables[-2:] == [ones, custom]


def test_attribute_variables_are_tracked():
    optimizer = optimizers.SGD()
    optimizer.extra = tf.Variable(3.0)
    assert optimizer.variables[-1] is optimizer.extra


# -- learning rate --------------------------------------------------------------------------------------------
def test_learning_rate_variable_is_settable():
    optimizer = optimizers.Adam(0.1)
    assert isinstance(optimizer.learning_rate, tf.Variable)
    assert float(optimizer.learning_rate.numpy()) == pytest.approx(0.1)
    optimizer.learning_rate = 0.5
    assert optimizer.learning_rate.numpy() == 0.5
    optimizer.learning_rate.assign(0.25)
    assert optimizer.get_config()["learning_rate"] == 0.25


def test_schedule_learning_rate_follows_iterations_and_is_not_settable():
    schedule = optimizers.schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    optimizer = optimizers.SGD(schedule)
    assert len(optimizer.variables) == 1
    variable = tf.Variable([0.0])
    for _ in range(2):
        optimizer.apply([tf.constant([1.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [-1.5])
    np.testing.assert_allclose(optimizer.learning_rate.numpy(), 0.25)
    with pytest.raises(TypeError, match="hence its learning rate is not settable"):
        optimizer.learning_rate = 0.1


def test_setting_a_schedule_untracks_the_learning_rate_variable():
    optimizer = optimizers.SGD(0.1)
    optimizer.learning_rate = optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
    assert [v.name for v in optimizer.variables] == ["iteration"]


def test_callable_learning_rate():
    optimizer = optimizers.SGD(lambda: 0.5)
    assert optimizer.learning_rate == 0.5
    variable = tf.Variable([1.0])
    optimizer.apply([tf.constant([1.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [0.5])


# -- apply ----------------------------------------------------------------------------------------------------
def test_apply_builds_then_uses_the_built_variables():
    optimizer = optimizers.SGD(0.5)
    weights = dense_weights()
    optimizer.apply(ones_like(weights), weights)
    optimizer.apply(ones_like(weights))
    np.testing.assert_allclose(weights[0].numpy(), np.zeros((2, 3)))
    np.testing.assert_allclose(weights[1].numpy(), -np.ones(3))
    assert optimizer.iterations.numpy() == 2


def test_apply_gradients_returns_iterations():
    optimizer = optimizers.SGD()
    variable = tf.Variable([1.0])
    assert optimizer.apply_gradients([(tf.constant([1.0]), variable)]) is optimizer.iterations


def test_apply_errors():
    optimizer = optimizers.SGD()
    with pytest.raises(ValueError, match="the optimizer must already be built"):
        optimizer.apply([tf.constant(1.0)])
    variable = tf.Variable([1.0])
    optimizer.apply([tf.constant([1.0])], [variable])
    with pytest.raises(ValueError, match="Received a list of 2 gradients, but the optimizer is tracking 1"):
        optimizer.apply([tf.constant([1.0])] * 2)
    with pytest.raises(ValueError, match="Unknown variable: .* This optimizer can only be called for the variables"):
        optimizer.apply([tf.constant([1.0])], [tf.Variable([2.0])])
    optimizer.apply([], [])
    assert optimizer.iterations.numpy() == 1


def test_none_gradients_are_skipped_with_a_warning():
    optimizer = optimizers.SGD(1.0)
    skipped, updated = tf.Variable([1.0], name="skipped"), tf.Variable([1.0])
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['skipped:0'\] when minimizing"):
        optimizer.apply_gradients([(None, skipped), (tf.constant([1.0]), updated)])
    assert skipped.numpy()[0] == 1.0 and updated.numpy()[0] == 0.0
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        optimizer.apply_gradients([(None, skipped), (None, updated)])
    assert optimizer.iterations.numpy() == 1


def test_constraints_are_applied_after_the_update():
    variable = tf.Variable([1.0, -1.0], constraint=lambda w: tf.maximum(w, 0.0))
    optimizers.SGD(1.0).apply([tf.constant([0.5, 0.5])], [variable])
    np.testing.assert_allclose(variable.numpy(), [0.5, 0.0])


def test_non_trainable_variables_passed_explicitly_are_updated_like_keras():
    variable = tf.Variable([1.0], trainable=False)
    optimizers.SGD(0.5).apply([tf.constant([1.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [0.5])


def test_weight_decay_and_exclusions():
    optimizer = optimizers.SGD(0.5, weight_decay=0.2)
    weights = dense_weights()
    free = tf.Variable([2.0])
    optimizer.exclude_from_weight_decay(var_list=[free], var_names=["bias"])
    weights[1].assign(np.ones(3, np.float32))
    optimizer.apply([tf.zeros((2, 3)), tf.zeros(3), tf.zeros(1)], weights + [free])
    np.testing.assert_allclose(weights[0].numpy(), np.full((2, 3), 0.9))
    np.testing.assert_allclose(weights[1].numpy(), np.ones(3))
    np.testing.assert_allclose(free.numpy(), [2.0])


@pytest.mark.parametrize("kwargs,expected", [
    ({"clipvalue": 0.5}, [0.5, -0.5, 0.2]),
    ({"clipnorm": 1.0}, np.array([3.0, -4.0, 0.2]) / np.linalg.norm([3.0, -4.0, 0.2])),
    ({"global_clipnorm": 1.0}, np.array([3.0, -4.0, 0.2]) / np.linalg.norm([3.0, -4.0, 0.2]))])
def test_gradient_clipping(kwargs, expected):
    variable = tf.Variable([0.0, 0.0, 0.0])
    optimizers.SGD(1.0, **kwargs).apply([tf.constant([3.0, -4.0, 0.2])], [variable])
    np.testing.assert_allclose(-variable.numpy(), expected, rtol=1e-6)


def test_global_clipnorm_scales_all_gradients_together():
    a, b = tf.Variable([0.0]), tf.Variable([0.0])
    optimizers.SGD(1.0, global_clipnorm=1.0).apply([tf.constant([3.0]), tf.constant([4.0])], [a, b])
    np.testing.assert_allclose([a.numpy()[0], b.numpy()[0]], [-0.6, -0.8], rtol=1e-6)


def test_loss_scale_factor():
    optimizer = optimizers.SGD(1.0, loss_scale_factor=4.0)
    assert optimizer.scale_loss(tf.constant(2.0)).numpy() == 8.0
    variable = tf.Variable([0.0])
    optimizer.apply([tf.constant([8.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [-2.0])


def test_gradient_accumulation_updates_every_n_steps_with_the_mean():
    optimizer = optimizers.SGD(1.0, gradient_accumulation_steps=2)
    variable = tf.Variable([0.0])
    optimizer.apply([tf.constant([1.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [0.0])
    assert optimizer.iterations.numpy() == 0
    optimizer.apply([tf.constant([3.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [-2.0])
    assert optimizer.iterations.numpy() == 1
    np.testing.assert_allclose(optimizer.variables[-1].numpy(), [0.0])


def test_ema_and_finalize_variable_values():
    optimizer = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    variable = tf.Variable([0.0])
    for _ in range(3):
        optimizer.apply([tf.constant([1.0])], [variable])
    # averages: step 1 copies -1, then 0.5 * avg + 0.5 * w with w = -2, -3
    average = optimizer.variables[2]
    np.testing.assert_allclose(average.numpy(), [-2.25])
    optimizer.finalize_variable_values([variable])
    np.testing.assert_allclose(variable.numpy(), [-2.25])


def test_ema_overwrite_frequency():
    optimizer = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    variable = tf.Variable([0.0])
    optimizer.apply([tf.constant([1.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [-1.0])
    optimizer.apply([tf.constant([1.0])], [variable])
    np.testing.assert_allclose(variable.numpy(), [-1.5])


# -- state ----------------------------------------------------------------------------------------------------
def test_get_and_set_weights():
    optimizer = optimizers.SGD(momentum=0.5)
    with pytest.raises(ValueError, match="on an optimizer that has not yet been built"):
        optimizer.set_weights([])
    optimizer.build([tf.Variable([1.0, 2.0])])
    optimizer.set_weights([np.int64(3), np.float32(0.5), np.array([1.0, 2.0], np.float32)])
    assert [np.asarray(w).tolist() for w in optimizer.get_weights()] == [3, 0.5, [1.0, 2.0]]
    with pytest.raises(ValueError, match=r"has shape \(2,\) not compatible with provided weight shape \(3,\)"):
        optimizer.set_weights([3, 0.5, np.zeros(3)])


def test_save_and_load_own_variables():
    source, target = optimizers.Adam(0.3), optimizers.Adam()
    weights = [tf.Variable([1.0, 2.0])]
    source.apply([tf.constant([1.0, 1.0])], weights)
    store = {}
    source.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2", "3"]
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        target.load_own_variables(store)
    target.build([tf.Variable([0.0, 0.0])])
    target.load_own_variables(store)
    for a, b in zip(source.variables, target.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


# -- TF 2 conveniences ----------------------------------------------------------------------------------------
def test_minimize_with_a_callable_loss():
    variable = tf.Variable([1.0, -2.0])
    optimizer = optimizers.SGD(0.25)
    optimizer.minimize(lambda: tf.reduce_sum(variable ** 2), [variable])
    np.testing.assert_allclose(variable.numpy(), [0.5, -1.0])


def test_minimize_with_a_tensor_loss_needs_the_tape():
    variable = tf.Variable([1.0])
    optimizer = optimizers.SGD(0.25)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(variable ** 2)
    with pytest.raises(ValueError, match="`tape` is required when a `Tensor` loss is passed"):
        optimizer.minimize(loss, [variable])
    assert optimizer.minimize(loss, lambda: [variable], tape=tape).numpy() == 1
    np.testing.assert_allclose(variable.numpy(), [0.5])


def test_stateless_apply_is_not_supported():
    with pytest.raises(ValueError, match="stateless_apply is not supported with the TensorFlow backend"):
        optimizers.SGD().stateless_apply([], [], [])


# -- custom optimizers (Keras's documented recipe) ------------------------------------------------------------
class SignSGD(optimizers.Optimizer):
    def __init__(self, learning_rate=0.1, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.counts = [self.add_variable_from_reference(v, name="count") for v in variables]

    def update_step(self, gradient, variable, learning_rate):
        count = self.counts[self._get_variable_index(variable)]
        self.assign_add(count, tf.ones_like(gradient))
        self.assign_sub(variable, tf.sign(gradient) * tf.cast(learning_rate, variable.dtype))


def test_custom_optimizer_subclass():
    optimizer = SignSGD(0.5)
    variable = tf.Variable([1.0, 1.0])
    optimizer.apply([tf.constant([3.0, -0.1])], [variable])
    np.testing.assert_allclose(variable.numpy(), [0.5, 1.5])
    np.testing.assert_allclose(optimizer.variables[-1].numpy(), [1.0, 1.0])
    restored = optimizers.deserialize(optimizers.serialize(optimizer), custom_objects={"SignSGD": SignSGD})
    assert isinstance(restored, SignSGD) and restored.get_config() == optimizer.get_config()


# -- config, get, serialize -----------------------------------------------------------------------------------
ALL = [optimizers.SGD(momentum=0.5, nesterov=True), optimizers.Adam(0.01, amsgrad=True, clipnorm=1.0),
       optimizers.AdamW(weight_decay=0.01), optimizers.Adagrad(initial_accumulator_value=0.2),
       optimizers.Adadelta(rho=0.9), optimizers.RMSprop(momentum=0.1, centered=True, use_ema=True),
       optimizers.Adamax(beta_2=0.99), optimizers.Nadam(epsilon=1e-6), optimizers.Ftrl(beta=0.1),
       optimizers.Lion(beta_2=0.9, global_clipnorm=2.0)]


@pytest.mark.parametrize("optimizer", ALL, ids=lambda o: type(o).__name__)
def test_config_round_trip(optimizer):
    config = optimizer.get_config()
    clone = type(optimizer).from_config(config)
    assert type(clone) is type(optimizer) and clone.get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(optimizer))
    assert restored.get_config() == config


def test_config_with_a_schedule():
    schedule = optimizers.schedules.CosineDecay(0.1, 100)
    config = optimizers.Adam(schedule).get_config()
    assert config["learning_rate"] == {"module": "keras.optimizers.schedules", "class_name": "CosineDecay",
                                       "config": schedule.get_config(), "registered_name": None}
    clone = optimizers.Adam.from_config(config)
    assert isinstance(clone._learning_rate, optimizers.schedules.CosineDecay)


def test_serialize_format():
    config = optimizers.serialize(optimizers.SGD(name="s"))
    assert config["module"] == "keras.optimizers" and config["class_name"] == "SGD"
    assert config["registered_name"] is None and config["config"]["name"] == "s"


@pytest.mark.parametrize("name,cls", [("adam", "Adam"), ("SGD", "SGD"), ("RMSprop", "RMSprop"),
                                      ("rmsprop", "RMSprop"), ("Adamw", "AdamW"), ("NADAM", "Nadam"),
                                      ("adagrad", "Adagrad"), ("adadelta", "Adadelta"), ("adamax", "Adamax"),
                                      ("ftrl", "Ftrl"), ("lion", "Lion")])
def test_get_by_name(name, cls):
    assert type(optimizers.get(name)).__name__ == cls


def test_get_other_identifiers():
    optimizer = optimizers.SGD()
    assert optimizers.get(optimizer) is optimizer
    assert optimizers.get(None) is None
    from_dict = optimizers.get({"class_name": "adam", "config": {"learning_rate": 0.5}})
    assert isinstance(from_dict, optimizers.Adam) and from_dict.learning_rate.numpy() == 0.5
    for bad in ["nope", 3, {"class_name": "Nope", "config": {}}]:
        with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
            optimizers.get(bad)


def test_legacy_names_are_the_current_classes():
    assert optimizers.legacy.SGD is optimizers.SGD
    assert optimizers.legacy.Adam is optimizers.Adam
    assert optimizers.legacy.RMSprop is optimizers.RMSprop
    assert optimizers.legacy.Adagrad is optimizers.Adagrad
    assert tf.keras.optimizers.legacy.Adam is optimizers.Adam


# -- tracing --------------------------------------------------------------------------------------------------
def _regression_step(weights, optimizer, x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, weights[0]) + weights[1] - y))
    optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    return loss


@pytest.mark.parametrize("make", [lambda: optimizers.Adam(0.05),
                                  lambda: optimizers.Adam(0.05, amsgrad=True, weight_decay=0.1, use_ema=True,
                                                          ema_overwrite_frequency=2),
                                  lambda: optimizers.SGD(0.1, gradient_accumulation_steps=2),
                                  lambda: optimizers.Nadam(0.05, global_clipnorm=0.5)],
                         ids=["adam", "adam-options", "accumulation", "nadam"])
def test_traced_step_matches_eager(make):
    rng = np.random.default_rng(1)
    x = tf.constant(rng.normal(size=(8, 3)).astype(np.float32))
    y = tf.constant(rng.normal(size=(8, 1)).astype(np.float32))
    start = [rng.normal(size=(3, 1)).astype(np.float32), np.zeros(1, np.float32)]
    eager_weights, traced_weights = [tf.Variable(w) for w in start], [tf.Variable(w) for w in start]
    eager_optimizer, traced_optimizer = make(), make()
    traced = tf.function(lambda: _regression_step(traced_weights, traced_optimizer, x, y))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(5):
            _regression_step(eager_weights, eager_optimizer, x, y)
            traced()
    for a, b in zip(eager_weights + eager_optimizer.variables, traced_weights + traced_optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))
    assert traced_optimizer.iterations.numpy() == eager_optimizer.iterations.numpy()
