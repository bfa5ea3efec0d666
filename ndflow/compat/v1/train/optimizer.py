"""TF1 optimizers: ``minimize`` = ``compute_gradients`` + ``apply_gradients``, in graphs and eagerly.

Update rules are written with ndflow ops and variable assignments, so the same code adds assign ops to a
graph (run by a session) or updates variables immediately when executing eagerly.
"""
from __future__ import annotations

from typing import Any, Callable

from ...._core.context import state
from ...._core.gradients_impl import gradients
from ...._core.graph import get_default_graph
from ...._core.logging_ops import group
from ...._core.ops import array_ops, math_ops
from ...._core.tape import GradientTape
from ...._core.tensor import convert_to_tensor
from ...._core.variable import Variable

__all__ = ["Optimizer", "GradientDescentOptimizer", "MomentumOptimizer", "AdagradOptimizer",
           "AdadeltaOptimizer", "RMSPropOptimizer", "AdamOptimizer"]


class Optimizer:
    """Base class: subclasses define ``_create_slots`` and ``_apply_dense(grad, var)``."""

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking: bool, name: str) -> None:
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots: dict[str, dict[int, Variable]] = {}
        self._non_slot: dict[str, Variable] = {}

    def get_name(self) -> str:
        return self._name

    # -- gradients ---------------------------------------------------------------------------------------
    def compute_gradients(self, loss: Any, var_list: Any = None, gate_gradients: int = GATE_OP,
                          aggregation_method: Any = None, colocate_gradients_with_ops: bool = False,
                          grad_loss: Any = None) -> list:
        """``[(gradient, variable), ...]`` for ``loss`` (a tensor, or a callable when executing eagerly).

        Raises:
            ValueError: no variables to optimise.
            RuntimeError: a non-callable loss while executing eagerly.
        """
        if callable(loss):
            with GradientTape() as tape:
                value = loss()
            variables = list(var_list) if var_list is not None else list(tape.watched_variables())
            if not variables:
                raise ValueError("No variables to optimize.")
            grads = tape.gradient(value, variables, output_gradients=grad_loss)
            return list(zip(grads, variables))
        if state.graph is None:
            raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a function when eager "
                               "execution is enabled.")
        variables = list(var_list) if var_list is not None else _trainable_variables()
        if not variables:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, variables, grad_ys=grad_loss)
        return list(zip(grads, variables))

    def apply_gradients(self, grads_and_vars: Any, global_step: Variable | None = None,
                        name: str | None = None) -> Any:
        """Applies the update rule to each ``(gradient, variable)`` pair; increments ``global_step``.

        Returns:
            In a graph, the op that runs every update; eagerly, None (the updates happened).

        Raises:
            ValueError: no gradient at all.
        """
        pairs = [(g, v) for g, v in grads_and_vars]
        if not any(g is not None for g, _ in pairs):
            names = [v.name for _, v in pairs]
            raise ValueError(f"No gradients provided for any variable, check your graph for ops that do not "
                             f"support gradients, between variables {names} and loss.")
        self._create_slots([v for g, v in pairs if g is not None])
        self._prepare()
        updates = [self._apply_dense(convert_to_tensor(g), v) for g, v in pairs if g is not None]
        updates += self._finish()
        if global_step is not None:
            updates.append(global_step.assign_add(1))
        if state.graph is not None:
            return group(*updates, name=name or self._name)
        return None

    def minimize(self, loss: Any, global_step: Variable | None = None, var_list: Any = None,
                 gate_gradients: int = GATE_OP, aggregation_method: Any = None,
                 colocate_gradients_with_ops: bool = False, name: str | None = None,
                 grad_loss: Any = None) -> Any:
        """``apply_gradients(compute_gradients(loss, var_list), global_step)``."""
        grads_and_vars = self.compute_gradients(loss, var_list, grad_loss=grad_loss)
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    # -- slots -------------------------------------------------------------------------------------------
    def _slot(self, var: Variable, slot_name: str, initial: Callable[[Variable], Any]) -> Variable:
        table = self._slots.setdefault(slot_name, {})
        key = id(var)
        if key not in table:
            base = var.name[:-2] if var.name.endswith(":0") else var.name
            table[key] = Variable(initial(var), trainable=False, name=f"{base}/{self._name}")
        return table[key]

    def _non_slot_variable(self, name: str, value: Any) -> Variable:
        if name not in self._non_slot:
            self._non_slot[name] = Variable(value, trainable=False, name=name)
        return self._non_slot[name]

    def get_slot(self, var: Variable, name: str) -> Variable | None:
        return self._slots.get(name, {}).get(id(var))

    def get_slot_names(self) -> list[str]:
        return sorted(self._slots)

    def variables(self) -> list[Variable]:
        slots = [v for table in self._slots.values() for v in table.values()]
        return list(self._non_slot.values()) + slots

    def _create_slots(self, var_list: list) -> None:
        pass

    def _prepare(self) -> None:
        pass

    def _finish(self) -> list:
        return []

    def _apply_dense(self, grad: Any, var: Variable) -> Any:
        raise NotImplementedError

    def _lr(self, var: Variable) -> Any:
        lr = self._learning_rate() if callable(self._learning_rate) else self._learning_rate
        return math_ops.cast(lr, var.dtype) if hasattr(lr, "dtype") else lr


def _trainable_variables() -> list:
    from ...._core.graph_variables import TRAINABLE_VARIABLES

    return get_default_graph().get_collection(TRAINABLE_VARIABLES)


def _zeros(var: Variable) -> Any:
    return array_ops.zeros(var.shape.as_list(), dtype=var.dtype)


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad``."""

    def __init__(self, learning_rate: Any, use_locking: bool = False, name: str = "GradientDescent") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _apply_dense(self, grad: Any, var: Variable) -> Any:
        return var.assign_sub(self._lr(var) * grad)


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad; var -= lr * accum`` (Nesterov: ``var -= lr * (grad + momentum *
    accum)``)."""

    def __init__(self, learning_rate: Any, momentum: float, use_locking: bool = False, name: str = "Momentum",
                 use_nesterov: bool = False) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list: list) -> None:
        for v in var_list:
            self._slot(v, "momentum", _zeros)

    def _apply_dense(self, grad: Any, var: Variable) -> Any:
        accum = self.get_slot(var, "momentum")
        new_accum = accum.assign(accum * self._momentum + grad)
        lr = self._lr(var)
        if self._use_nesterov:
            return var.assign_sub(lr * grad + lr * self._momentum * new_accum)
        return var.assign_sub(lr * new_accum)


class AdagradOptimizer(Optimizer):
    """``accum += grad²; var -= lr * grad / sqrt(accum)``."""

    def __init__(self, learning_rate: Any, initial_accumulator_value: float = 0.1, use_locking: bool = False,
                 name: str = "Adagrad") -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial = initial_accumulator_value

    def _create_slots(self, var_list: list) -> None:
        for v in var_list:
            self._slot(v, "accumulator", lambda var: array_ops.fill(var.shape.as_list(),
                                                                     convert_to_tensor(self._initial, var.dtype)))

    def _apply_dense(self, grad: Any, var: Variable) -> Any:
        accum = self.get_slot(var, "accumulator")
        new_accum = accum.assign_add(grad * grad)
        return var.assign_sub(self._lr(var) * grad * math_ops.rsqrt(new_accum))


class AdadeltaOptimizer(Optimizer):
    """Adadelta: step sizes from running averages of squared gradients and squared updates."""

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.95, epsilon: float = 1e-8,
                 use_locking: bool = False, name: str = "Adadelta") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._rho = rho
        self._epsilon = epsilon

    def _create_slots(self, var_list: list) -> None:
        for v in var_list:
            self._slot(v, "accum", _zeros)
            self._slot(v, "accum_update", _zeros)

    def _apply_dense(self, grad: Any, var: Variable) -> Any:
        accum = self.get_slot(var, "accum")
        accum_update = self.get_slot(var, "accum_update")
        rho, eps = self._rho, self._epsilon
        new_accum = accum.assign(accum * rho + grad * grad * (1 - rho))
        update = math_ops.sqrt(accum_update + eps) * math_ops.rsqrt(new_accum + eps) * grad
        with_update = accum_update.assign(accum_update * rho + update * update * (1 - rho))
        with _after(with_update):
            return var.assign_sub(self._lr(var) * update)


class RMSPropOptimizer(Optimizer):
    """RMSProp (TF1 semantics: the mean-square slot starts at 1, ``mom = momentum*mom + lr*g/sqrt(ms+eps)``)."""

    def __init__(self, learning_rate: Any, decay: float = 0.9, momentum: float = 0.0, epsilon: float = 1e-10,
                 use_locking: bool = False, centered: bool = False, name: str = "RMSProp") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered

    def _create_slots(self, var_list: list) -> None:
        for v in var_list:
            self._slot(v, "rms", lambda var: array_ops.ones(var.shape.as_list(), dtype=var.dtype))
            self._slot(v, "momentum", _zeros)
            if self._centered:
                self._slot(v, "mg", _zeros)

    def _apply_dense(self, grad: Any, var: Variable) -> Any:
        rms = self.get_slot(var, "rms")
        mom = self.get_slot(var, "momentum")
        d = self._decay
        new_rms = rms.assign(rms * d + grad * grad * (1 - d))
        denom = new_rms
        if self._centered:
            mg = self.get_slot(var, "mg")
            new_mg = mg.assign(mg * d + grad * (1 - d))
            denom = new_rms - new_mg * new_mg
        new_mom = mom.assign(mom * self._momentum + self._lr(var) * grad * math_ops.rsqrt(denom + self._epsilon))
        return var.assign_sub(new_mom)


class AdamOptimizer(Optimizer):
    """Adam with TF1's bias correction folded into the step size."""

    def __init__(self, learning_rate: Any = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 epsilon: float = 1e-8, use_locking: bool = False, name: str = "Adam") -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon

    def _create_slots(self, var_list: list) -> None:
        dtype = var_list[0].dtype
        self._non_slot_variable("beta1_power", convert_to_tensor(self._beta1, dtype))
        self._non_slot_variable("beta2_power", convert_to_tensor(self._beta2, dtype))
        for v in var_list:
            self._slot(v, "m", _zeros)
            self._slot(v, "v", _zeros)

    def _apply_dense(self, grad: Any, var: Variable) -> Any:
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        b1, b2 = self._beta1, self._beta2
        b1_power, b2_power = self._non_slot["beta1_power"], self._non_slot["beta2_power"]
        lr = self._lr(var) * math_ops.sqrt(1 - b2_power) / (1 - b1_power)
        new_m = m.assign(m * b1 + grad * (1 - b1))
        new_v = v.assign(v * b2 + grad * grad * (1 - b2))
        return var.assign_sub(lr * new_m / (math_ops.sqrt(new_v) + self._epsilon))

    def _finish(self) -> list:
        b1_power, b2_power = self._non_slot["beta1_power"], self._non_slot["beta2_power"]
        return [b1_power.assign(b1_power * self._beta1), b2_power.assign(b2_power * self._beta2)]


class _after:
    """``control_dependencies`` on a tensor in graphs; nothing eagerly."""

    def __init__(self, tensor: Any) -> None:
        self._tensor = tensor
        self._ctx = None

    def __enter__(self) -> None:
        graph = state.graph
        if graph is not None:
            self._ctx = graph.control_dependencies([self._tensor])
            self._ctx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        if self._ctx is not None:
            self._ctx.__exit__(*exc)

