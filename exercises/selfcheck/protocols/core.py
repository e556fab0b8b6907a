"""The protocols every assignment uses, and the registry they are kept in.

A protocol takes the function and a `Case`, calls the function the way the contract says
it will be used (directly, inside tf.function, under a GradientTape, with tf.Variables it
updates over several steps, ...) and returns what came out as a plain value tree
(`selfcheck.values.normalize`). The same protocol runs the reference solution in the
grader and the submission in its own process, so both are called in exactly the same way.
Exceptions propagate: the caller records them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..model import As, Case
from ..values import normalize

PROTOCOLS: dict[str, Callable[[Callable, Case], Any]] = {}
# Per protocol module: its own functions that its protocols hand to the code under test,
# which may trace them with tf.function. A grader's fork server converts them with AutoGraph
# once, before it forks, instead of every submission's process converting them again.
HANDED_OVER: dict[str, list[Callable]] = {}


def protocol(fn: Callable[[Callable, Case], Any]) -> Callable[[Callable, Case], Any]:
    """Register a protocol under its function name."""
    PROTOCOLS[fn.__name__] = fn
    return fn


def run(name: str, fn: Callable, case: Case) -> Any:
    """Call `fn` on `case` with the protocol called `name`; return the plain result."""
    return PROTOCOLS[name](fn, case)


def materialize(value: Any) -> Any:
    """Turn a case argument into what the function receives."""
    if isinstance(value, As):
        import tensorflow as tf

        if value.kind == "tensor":
            return tf.constant(value.data)
        if value.kind == "variable":
            return tf.Variable(value.data)
        if value.kind == "list":
            return value.data.tolist()
        return value.data.copy()
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(materialize(v) for v in value)
    if isinstance(value, list):
        return [materialize(v) for v in value]
    return value


def _arguments(case: Case) -> tuple[tuple, dict]:
    return materialize(case.args), {k: materialize(v) for k, v in case.kwargs.items()}


@protocol
def call(fn: Callable, case: Case) -> Any:
    """fn(*args, **kwargs), eagerly."""
    args, kwargs = _arguments(case)
    return normalize(fn(*args, **kwargs))


@protocol
def call_in_tf_function(fn: Callable, case: Case) -> Any:
    """fn traced by tf.function and called on tensors: works in graph mode too."""
    import tensorflow as tf

    args, kwargs = _arguments(case)
    graph_fn = tf.function(lambda *a, **k: fn(*a, **k))
    return normalize(graph_fn(*args, **kwargs))


@protocol
def value_and_gradient(fn: Callable, case: Case) -> Any:
    """fn(*args) under a GradientTape, and the gradient of its result with respect to the
    argument at options["wrt"]: the function must be differentiable with TensorFlow."""
    import tensorflow as tf

    args, kwargs = _arguments(case)
    wrt = case.options["wrt"]
    args = list(args)
    args[wrt] = tf.convert_to_tensor(args[wrt])
    with tf.GradientTape() as tape:
        tape.watch(args[wrt])
        value = fn(*args, **kwargs)
    gradient = tape.gradient(value, args[wrt])
    return {"value": normalize(value), "gradient": normalize(gradient)}


@protocol
def numeric_gradient_of_test_function(fn: Callable, case: Case) -> Any:
    """fn(f, w, ...) where f(v) = sum(c * sin(v) + v**3 / 3) with c = args[0]: a smooth
    scalar function whose central and one-sided differences differ measurably."""
    import tensorflow as tf

    coefficients, w = case.args[0], materialize(case.args[1])
    dtype = np.asarray(coefficients).dtype

    def f(v: Any) -> Any:
        v = tf.cast(v, dtype)
        return tf.reduce_sum(tf.constant(coefficients) * tf.sin(v) + v**3 / 3.0)

    kwargs = {k: materialize(v) for k, v in case.kwargs.items()}
    return normalize(fn(f, w, **kwargs))


@protocol
def training_steps(fn: Callable, case: Case) -> Any:
    """fn(x, y, w, b, learning_rate) called options["steps"] times on the same tf.Variables
    w and b (args[2], args[3]); returns every returned loss and the final w and b."""
    import tensorflow as tf

    x, y, w0, b0, learning_rate = case.args
    x, y = materialize(x), materialize(y)
    w = tf.Variable(np.asarray(w0.data if isinstance(w0, As) else w0))
    b = tf.Variable(np.asarray(b0.data if isinstance(b0, As) else b0))
    losses = [normalize(fn(x, y, w, b, learning_rate)) for _ in range(case.options["steps"])]
    return {"losses": losses, "w": normalize(w), "b": normalize(b)}
