"""``Optimizer``: the base class of Keras 3's optimizers.

An optimizer owns an ``iterations`` counter, its learning rate (a variable, a schedule or a callable) and one or
more slot variables per model variable, created by ``build``. ``apply`` runs, in Keras's order: drop missing
gradients, unscale, clip, weight decay, each subclass's ``update_step``, the EMA of the weights, constraints,
then ``iterations += 1``. All updates are ndflow ops plus ``Variable.assign*``, so ``apply`` can be traced by
``ndflow.function``; inside a trace every variable is read with ``read_value()`` so that each read follows the
assignments made before it.
"""
from __future__ import annotations

import re
import warnings
from typing import Any, Callable

import numpy as np

import ndflow as tf

from ..._core.variable import Variable
from ..layers.layer import KerasVariable, _snake_case, unique_name
from . import _serialization
from .schedules.learning_rate_schedule import LearningRateSchedule
from .schedules.learning_rate_schedule import deserialize as deserialize_schedule
from .schedules.learning_rate_schedule import serialize as serialize_schedule

__all__ = ["Optimizer"]

_FLOATX = "float32"


def constant_initializer(value: float) -> Callable:
    """An initializer ``(shape, dtype) -> array`` filled with ``value`` (for slots such as accumulators)."""

    def initializer(shape: tuple, dtype: Any = None) -> np.ndarray:
        return np.full(shape, value, dtype=tf.as_dtype(dtype).as_numpy_dtype)

    return initializer


_INITIALIZERS = {"zeros": constant_initializer(0.0), "ones": constant_initializer(1.0)}


def _get_initializer(initializer: Any) -> Callable:
    if isinstance(initializer, str) and initializer in _INITIALIZERS:
        return _INITIALIZERS[initializer]
    if callable(initializer):
        return initializer
    from .. import initializers

    return initializers.get(initializer)


class Optimizer:
    """Base class of Keras optimizers; subclasses define ``build`` (slot variables), ``update_step`` and
    ``get_config``.

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` (called with the step count) or a callable
            without arguments.
        weight_decay: if set, every variable is decayed by ``variable * weight_decay * learning_rate`` before
            its update (see ``exclude_from_weight_decay``).
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient elementwise to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.
        use_ema: keep an exponential moving average of the variables.
        ema_momentum: the EMA's momentum, in [0, 1].
        ema_overwrite_frequency: overwrite the variables with their EMA every this many steps (None: only in
            ``finalize_variable_values``).
        loss_scale_factor: ``scale_loss`` multiplies the loss by it and ``apply`` divides the gradients by it.
        gradient_accumulation_steps: update only every this many steps, with the mean of the gradients since the
            last update (an int >= 2).
        name: the optimizer's name; default the class name in snake case, made unique.

    Raises:
        ValueError: unknown keyword arguments, a learning rate of another type, more than one clipping argument,
            or an out-of-range EMA/accumulation argument.
    """

    def __init__(self, learning_rate: Any, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs: Any) -> None:
        self._lock = False
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=2)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        self.name = name if name is not None else unique_name(_snake_case(type(self).__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                             f"gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                                 f"ema_overwrite_frequency={ema_overwrite_frequency}")
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                             f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        self.built = False
        self._variables: list = []
        self._tracked: set[int] = set()
        self._trainable_variables: list = []
        self._trainable_variables_indices: dict[int, int] = {}
        self._apply_cache: dict | None = None
        self.exclude_from_weight_decay()
        self._iterations = self._new_variable(0, "iteration", "int64")
        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if not isinstance(learning_rate, float):
                raise ValueError("Argument `learning_rate` should be float, or an instance of LearningRateSchedule, "
                                 "or a callable (that takes in the current iteration value and returns the "
                                 f"corresponding learning rate value). Received instead: learning_rate={learning_rate}")
            self._learning_rate = self._new_variable(learning_rate, "learning_rate", _FLOATX)

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "_lock" and "_lock" not in self.__dict__:
            raise RuntimeError(f"In optimizer '{type(self).__name__}', you forgot to call `super().__init__()` as "
                               "the first statement in the `__init__()` method. Go add it!")
        if isinstance(value, Variable) and "_tracked" in self.__dict__:
            self._track_variable(value)
        object.__setattr__(self, name, value)

    # -- variables ----------------------------------------------------------------------------------------
    def _new_variable(self, initial_value: Any, name: str, dtype: Any) -> KerasVariable:
        variable = KerasVariable(initial_value, name=name, path=f"{self.name}/{name}", trainable=False, dtype=dtype)
        self._track_variable(variable)
        return variable

    def _track_variable(self, variable: Any) -> None:
        if id(variable) not in self._tracked:
            self._tracked.add(id(variable))
            self._variables.append(variable)

    def _untrack_variable(self, variable: Any) -> None:
        self._tracked.discard(id(variable))
        self._variables = [v for v in self._variables if v is not variable]

    @property
    def variables(self) -> list:
        """Every optimizer variable: ``iteration``, ``learning_rate`` (for a float rate), then the slots in the
        order ``build`` created them (the order Keras saves them in)."""
        return self._variables[:]

    @property
    def iterations(self) -> Any:
        """The step counter (an int64 variable); with gradient accumulation, the number of real updates."""
        if self.gradient_accumulation_steps:
            return tf.math.floordiv(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    def add_variable(self, shape: Any, initializer: Any = "zeros", dtype: Any = None, aggregation: str = "none",
                     layout: Any = None, name: str | None = None) -> KerasVariable:
        """Creates a non-trainable optimizer variable, named ``<optimizer name>/<name>``.

        Args:
            shape: the variable's shape.
            initializer: an initializer, its name or a callable ``(shape, dtype) -> value``.
            dtype: default ``float32``.
            aggregation: kept for Keras compatibility.
            layout: kept for Keras compatibility.
            name: the variable's name (default ``variable``).

        Returns:
            The new variable (tracked in ``variables``).
        """
        dtype = tf.as_dtype(dtype or _FLOATX)
        init = _get_initializer(initializer)
        shape = tuple(int(d) for d in shape)
        return self._new_variable(lambda: init(shape, dtype=dtype), name or "variable", dtype)

    def add_variable_from_reference(self, reference_variable: Any, name: str | None = None,
                                    initializer: Any = "zeros") -> KerasVariable:
        """A slot with the shape and dtype of ``reference_variable``, named ``<its path with _>_<name>``
        (``dense_kernel_momentum``)."""
        name = name or "var"
        reference = getattr(reference_variable, "path", None)
        if reference is None:
            reference = str(reference_variable.name).replace(":", "_")
        return self.add_variable(reference_variable.shape, initializer=initializer, dtype=reference_variable.dtype,
                                 name=f"{reference.replace('/', '_')}_{name}")

    def add_optimizer_variables(self, trainable_variables: list, name: str | list,
                                initializer: Any = "zeros") -> list | tuple:
        """One slot per variable for each name in ``name`` (interleaved per variable, like Keras).

        Returns:
            A list of slots for a single name, else a tuple of lists; variables with
            ``overwrite_with_gradient`` get None.

        Raises:
            ValueError: different numbers of names and initializers.
        """
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(name, str) or isinstance(initializer, str) or not isinstance(initializer, (list, tuple)):
            initializers = [initializer] * len(names)
        else:
            initializers = list(initializer)
        if len(names) != len(initializers):
            raise ValueError("The number of provided names must match the number of provided initializers.  "
                             f"Received name='{name}', initializer='{initializer}'")
        slots: tuple[list, ...] = tuple([] for _ in names)
        for variable in trainable_variables:
            overwrite = getattr(variable, "overwrite_with_gradient", False)
            for i, (slot_name, init) in enumerate(zip(names, initializers)):
                slots[i].append(None if overwrite else self.add_variable_from_reference(variable, slot_name, init))
        return slots[0] if isinstance(name, str) else slots

    def build(self, variables: list) -> None:
        """Creates the optimizer's variables for ``variables`` (subclasses add their slots after calling this)."""
        variables = list(variables)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(variables, "gradient_accumulator")
        self._trainable_variables_indices = {id(v): i for i, v in enumerate(variables)}
        self._trainable_variables = variables
        self.built = True

    def _get_variable_index(self, variable: Any) -> int:
        return self._trainable_variables_indices[id(variable)]

    def set_weights(self, weights: list) -> None:
        """Assigns ``weights`` (arrays, in ``variables`` order).

        Raises:
            ValueError: the optimizer is not built, or a shape differs.
        """
        if not self.built:
            raise ValueError("You are calling `set_weights()` on an optimizer that has not yet been built. Please "
                             "call `optimizer.build(trainable_variables)` to create the optimizer weights before "
                             "calling `set_weights()`.")
        for variable, weight in zip(self._variables, weights):
            weight = np.asarray(weight)
            if tuple(variable.shape) != weight.shape:
                raise ValueError(f"Optimizer variable {id(variable)} has shape {tuple(variable.shape)} not "
                                 f"compatible with provided weight shape {weight.shape}.")
            variable.assign(weight.astype(variable.dtype.as_numpy_dtype, copy=False))

    def get_weights(self) -> list:
        """The values of ``variables`` as NumPy arrays."""
        return [np.asarray(v.numpy()) for v in self._variables]

    def save_own_variables(self, store: dict) -> None:
        """Writes ``variables`` into ``store`` under the keys ``"0"``, ``"1"`` … (Keras's saving format)."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store: dict) -> None:
        """Reads ``variables`` back from a ``save_own_variables`` store (warns and skips when counts differ)."""
        if len(store.keys()) != len(self._variables):
            message = (f"Skipping variable loading for optimizer '{self.name}', because it has "
                       f"{len(self._variables)} variables whereas the saved optimizer has {len(store.keys())} "
                       "variables. ")
            if not self._variables:
                message += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(message, stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(np.asarray(store[str(i)]).astype(variable.dtype.as_numpy_dtype, copy=False))

    # -- learning rate -------------------------------------------------------------------------------------
    @property
    def learning_rate(self) -> Any:
        """The learning rate: its variable, or the schedule's (or callable's) current value."""
        if isinstance(self._learning_rate, LearningRateSchedule):
            return self._learning_rate(self._iterations.read_value())
        if isinstance(self._learning_rate, Variable) or not callable(self._learning_rate):
            return self._learning_rate
        return self._learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        previous = self._learning_rate if isinstance(self._learning_rate, Variable) else None
        if isinstance(learning_rate, LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if isinstance(self._learning_rate, LearningRateSchedule):
                raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its "
                                "`learning_rate` constructor argument, hence its learning rate is not settable. If "
                                "you need the learning rate to be settable, you should instantiate the optimizer "
                                "with a float `learning_rate` argument.")
            self._learning_rate.assign(tf.cast(learning_rate, self._learning_rate.dtype))
        if previous is not None and self._learning_rate is not previous:
            self._untrack_variable(previous)

    def _current_learning_rate(self) -> Any:
        """The learning rate as a tensor read now (a fresh read of the variable inside traces)."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate.read_value()
        return self.learning_rate

    def _iterations_value(self) -> Any:
        """``iterations`` as a tensor read now."""
        value = self._iterations.read_value()
        if self.gradient_accumulation_steps:
            return tf.math.floordiv(value, self.gradient_accumulation_steps)
        return value

    # -- applying gradients ----------------------------------------------------------------------------------
    def assign(self, variable: Any, value: Any) -> None:
        """``variable.assign(value)``, casting ``value`` to the variable's dtype."""
        variable.assign(tf.cast(value, variable.dtype))

    def assign_add(self, variable: Any, value: Any) -> None:
        """``variable.assign_add(value)``, casting ``value`` to the variable's dtype."""
        variable.assign_add(tf.cast(value, variable.dtype))

    def assign_sub(self, variable: Any, value: Any) -> None:
        """``variable.assign_sub(value)``, casting ``value`` to the variable's dtype."""
        variable.assign_sub(tf.cast(value, variable.dtype))

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """Updates ``variable`` (and its slots) from ``gradient``; defined by each optimizer."""
        raise NotImplementedError

    def scale_loss(self, loss: Any) -> Any:
        """``loss * loss_scale_factor`` (the loss itself when no factor is set)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def apply_gradients(self, grads_and_vars: Any) -> KerasVariable:
        """``apply`` on ``(gradient, variable)`` pairs; returns ``iterations`` (like tf.keras)."""
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads: Any, trainable_variables: Any = None) -> None:
        """Updates ``trainable_variables`` (default: those the optimizer was built with) from ``grads``.

        The first call builds the optimizer's slots. None gradients are skipped with a warning.

        Raises:
            ValueError: no variables given to an unbuilt optimizer, a gradient count that does not match, a
                variable the optimizer was not built with, or only None gradients.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer must already be built on "
                                 "a list of variables. Call `optimizer.build(trainable_variables)` first. ")
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError("When passing `grads` as a list of gradient tensors, the gradients must match "
                                 f"`optimizer.variables` one-to-on. Received a list of {len(grads)} gradients, but "
                                 f"the optimizer is tracking {len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
            self._check_variables_are_known(trainable_variables)
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        grads, trainable_variables = self._overwrite_variables_with_gradients(grads, trainable_variables)
        if grads:
            if self.loss_scale_factor is not None:
                grads = [g / self.loss_scale_factor for g in grads]
            self._apply_updates(grads, trainable_variables)
            for variable in trainable_variables:
                if variable.constraint is not None:
                    variable.assign(variable.constraint(variable.read_value()))
        self._iterations.assign_add(1)

    def _check_variables_are_known(self, variables: list) -> None:
        known = self._trainable_variables_indices
        for v in variables:
            if id(v) not in known:
                raise ValueError(f"Unknown variable: {v}. This optimizer can only be called for the variables it "
                                 "was originally built with. When working with a new set of variables, you should "
                                 "recreate a new optimizer instance.")

    @staticmethod
    def _filter_empty_gradients(grads: list, variables: list) -> tuple[list, list]:
        if all(g is not None for g in grads):
            return grads, variables
        missing = [getattr(v, "path", v.name) for g, v in zip(grads, variables) if g is None]
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss. If using "
                      "`model.compile()`, did you forget to provide a `loss` argument?", stacklevel=3)
        return [g for g, _ in kept], [v for _, v in kept]

    def _overwrite_variables_with_gradients(self, grads: list, variables: list) -> tuple[list, list]:
        """Variables marked ``overwrite_with_gradient`` take their gradient as their new value."""
        if not any(getattr(v, "overwrite_with_gradient", False) for v in variables):
            return grads, variables
        if self.gradient_accumulation_steps:
            raise NotImplementedError("overwrite_with_gradient with gradient_accumulation_steps is not supported "
                                      "yet")
        kept_grads, kept_variables = [], []
        for g, v in zip(grads, variables):
            if getattr(v, "overwrite_with_gradient", False):
                v.assign(tf.cast(g, v.dtype))
            else:
                kept_grads.append(g)
                kept_variables.append(v)
        return kept_grads, kept_variables

    def _apply_updates(self, grads: list, variables: list) -> None:
        if self.gradient_accumulation_steps:
            self._accumulate_or_update(grads, variables)
        else:
            self._clip_decay_and_update(self._clip_gradients(grads), variables)
        if self.use_ema:
            self._update_moving_averages()
            if self.ema_overwrite_frequency:
                due = tf.equal((self._iterations_value() + 1) % self.ema_overwrite_frequency, 0)
                _run_if(due, lambda: self._overwrite_model_variables_with_average_value(self._trainable_variables))

    def _clip_decay_and_update(self, grads: list, variables: list) -> None:
        self._apply_cache = {}
        try:
            self._apply_weight_decay(variables)
            self._backend_update_step(grads, variables, self._current_learning_rate())
        finally:
            self._apply_cache = None

    def _shared(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, evaluated once per update for each ``key``: the values every variable of a step shares
        (the learning rate cast to a dtype, bias corrections …)."""
        cache = self._apply_cache
        if cache is None:
            return compute()
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def _learning_rate_as(self, learning_rate: Any, dtype: Any) -> Any:
        """``learning_rate`` cast to ``dtype`` (once per update)."""
        return self._shared(("learning_rate", dtype), lambda: tf.cast(learning_rate, dtype))

    def _cast_once(self, value: float, dtype: Any) -> Any:
        """A Python number as a ``dtype`` tensor (once per update)."""
        return self._shared((value, dtype), lambda: tf.cast(value, dtype))

    def _local_step(self, dtype: Any) -> Any:
        """``iterations + 1`` as ``dtype`` (once per update): the step number of bias corrections."""
        return self._shared(("local_step", dtype), lambda: tf.cast(self._iterations_value() + 1, dtype))

    def _backend_update_step(self, grads: list, variables: list, learning_rate: Any) -> None:
        """Calls ``update_step`` for each pair (optimizers with per-step shared state override it)."""
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def _accumulate_or_update(self, grads: list, variables: list) -> None:
        steps = self.gradient_accumulation_steps
        accumulators = [self._accumulated_gradients[self._get_variable_index(v)] for v in variables]

        def update() -> None:
            totals = [(g + a.read_value()) / steps for g, a in zip(grads, accumulators)]
            self._clip_decay_and_update(self._clip_gradients(totals), variables)
            for a in self._accumulated_gradients:
                if a is not None:
                    a.assign(tf.zeros(a.shape, dtype=a.dtype))

        def accumulate() -> None:
            for g, a in zip(grads, accumulators):
                a.assign(tf.cast(g + a.read_value(), a.dtype))

        due = tf.equal((self._iterations.read_value() + 1) % steps, 0)
        _run_if(due, update, accumulate)

    # -- clipping and weight decay ---------------------------------------------------------------------------
    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm and self.clipnorm > 0:
            return [tf.clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return _clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [tf.clip_by_value(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def exclude_from_weight_decay(self, var_list: list | None = None, var_names: list | None = None) -> None:
        """Exempts variables from weight decay: those in ``var_list``, and those whose name contains any of
        ``var_names`` (e.g. ``["bias"]``). Call it before the optimizer is built."""
        self._excluded_ids = {id(v) for v in var_list} if var_list else set()
        self._excluded_pattern = re.compile("|".join(set(var_names))) if var_names else None
        self._decay_cache: dict[int, bool] = {}

    def _use_weight_decay(self, variable: Any) -> bool:
        key = id(variable)
        if key not in self._decay_cache:
            excluded = key in self._excluded_ids
            if not excluded and self._excluded_pattern is not None:
                excluded = self._excluded_pattern.search(variable.name) is not None
            self._decay_cache[key] = not excluded
        return self._decay_cache[key]

    def _apply_weight_decay(self, variables: list) -> None:
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                wd, lr = self._weight_decay_factors(variable.dtype)
                variable.assign_sub(variable.read_value() * wd * lr)

    def _weight_decay_factors(self, dtype: Any) -> tuple:
        return self._shared(("weight_decay", dtype), lambda: (
            tf.cast(self.weight_decay, dtype), tf.cast(self._current_learning_rate(), dtype)))

    # -- exponential moving average ----------------------------------------------------------------------
    def _update_moving_averages(self) -> None:
        started = tf.not_equal(self._iterations_value(), 0)
        for variable, average in zip(self._trainable_variables, self._model_variables_moving_average):
            if average is None:
                continue
            momentum = tf.cast(started, variable.dtype) * self.ema_momentum
            average.assign(momentum * average.read_value() + (1 - momentum) * variable.read_value())

    def _overwrite_model_variables_with_average_value(self, trainable_variables: list) -> None:
        if len(trainable_variables) != len(self._model_variables_moving_average):
            raise ValueError(f"The length of model variables ({len(trainable_variables)}) to override does not "
                             "match the length of model variables stored in the optimizer "
                             f"({len(self._model_variables_moving_average)}). Please check if the optimizer was "
                             "called on your model.")
        for variable, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is not None:
                variable.assign(average.read_value())

    def finalize_variable_values(self, var_list: list) -> None:
        """With ``use_ema``, overwrites ``var_list`` with their moving averages (``fit`` calls it at the end)."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # -- TF 2 conveniences --------------------------------------------------------------------------------
    def minimize(self, loss: Any, var_list: Any, tape: Any = None) -> KerasVariable:
        """Computes the gradients of ``loss`` for ``var_list`` and applies them (tf.keras's ``minimize``).

        Args:
            loss: a callable without arguments returning the loss, or a loss tensor recorded by ``tape``.
            var_list: the variables, or a callable returning them.
            tape: the ``GradientTape`` that recorded a tensor ``loss``.

        Returns:
            ``iterations``.

        Raises:
            ValueError: a tensor ``loss`` without ``tape``.
        """
        if callable(loss):
            with tf.GradientTape() as tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
        elif tape is None:
            raise ValueError(f"`tape` is required when a `Tensor` loss is passed. Received: loss={loss}, "
                             f"tape={tape}.")
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def stateless_apply(self, optimizer_variables: list, grads: list, trainable_variables: list) -> Any:
        """Not available with the TensorFlow backend (Keras raises the same error)."""
        raise ValueError("stateless_apply is not supported with the TensorFlow backend (as it is incompatible "
                         "with tf.distribute).")

    # -- config ---------------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments (the learning rate as a float or a serialized schedule)."""
        rate = self._learning_rate
        if isinstance(rate, LearningRateSchedule):
            learning_rate = serialize_schedule(rate)
        elif isinstance(rate, Variable):
            learning_rate = float(rate.numpy())
        else:
            learning_rate = _serialization.serialize_function(rate)
        return {"name": self.name, "learning_rate": learning_rate, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency, "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Optimizer:
        """A new optimizer from ``get_config``'s dict (without its variables' state)."""
        config = dict(config)
        learning_rate = config.get("learning_rate")
        if isinstance(learning_rate, dict):
            if learning_rate.get("class_name") == "function":
                config["learning_rate"] = _serialization.find_function(learning_rate, custom_objects)
            else:
                config["learning_rate"] = deserialize_schedule(learning_rate, custom_objects=custom_objects)
        return cls(**config)


def _run_if(pred: Any, true_fn: Callable, false_fn: Callable | None = None) -> None:
    """Runs ``true_fn`` or ``false_fn`` for their side effects: Python branching eagerly, ``cond`` in a trace."""
    def branch(fn: Callable | None) -> Callable:
        def run() -> Any:
            if fn is not None:
                fn()
            return tf.constant(0)  # graph branches must return a tensor

        return run

    tf.cond(pred, branch(true_fn), branch(false_fn))


def per_slice(fn: Callable, gradient: Any) -> Any:
    """``fn(gradient)`` as a dense tensor; for ``IndexedSlices``, ``fn`` of each slice, then densified (repeated rows
    are summed after ``fn``), which is what Keras' TensorFlow backend computes for sparse gradients."""
    if isinstance(gradient, tf.IndexedSlices):
        return tf.convert_to_tensor(tf.IndexedSlices(fn(gradient.values), gradient.indices, gradient.dense_shape))
    return fn(gradient)


def _clip_by_global_norm(grads: list, clip_norm: float) -> list:
    """Keras's global-norm clipping (its rounding: ``1 / clip_norm`` is taken in double precision)."""
    values = [g.values if isinstance(g, tf.IndexedSlices) else g for g in grads]
    norm = tf.sqrt(tf.reduce_sum(tf.stack([tf.reduce_sum(tf.square(v)) for v in values])))
    scale = clip_norm * tf.minimum(1.0 / norm, 1.0 / clip_norm)
    scale = scale + (norm - norm)  # NaN unless the norm is finite
    return [tf.convert_to_tensor(g) * scale for g in grads]  # like Keras, scaling densifies IndexedSlices
