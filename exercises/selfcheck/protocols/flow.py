"""Protocols of 02_flow: the functions under test take a Python function (and TensorSpecs,
or a list of calls), so the checks name one of the plain Python functions below and
describe the specs and calls as data.

The functions are written the way a student would write them; `affine_like` is the
contract's reference affine (the @ and + operators). TensorFlow is imported inside them,
so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Case
from ..values import normalize
from .core import HANDED_OVER, materialize, protocol


def affine_like(x, w, b):
    """y = x @ w + b, written with the operators (ops named 'matmul' and 'add')."""
    return x @ w + b


def relu_layer(x, w, b):
    """A dense layer with a ReLU: relu(matmul(x, w) + b)."""
    import tensorflow as tf

    return tf.nn.relu(tf.matmul(x, w) + b)


def scale_and_shift(x):
    """2x + 1: two constants enter the graph."""
    return 2.0 * x + 1.0


def centered_square(x):
    """(x - mean(x))^2, with an axis constant for the reduction."""
    import tensorflow as tf

    return tf.square(x - tf.reduce_mean(x))


def sum_and_product(x, y):
    """Two outputs, so two Identity ops at the end of the graph."""
    return x + y, x * y


def row_norms(x):
    """The length of every row of x: a chain of three ops with an axis constant."""
    import tensorflow as tf

    return tf.sqrt(tf.reduce_sum(x * x, axis=1))


def total_as_float32(x):
    """Sum of x in float32: the graph holds a Cast only when x is not float32 already."""
    import tensorflow as tf

    return tf.reduce_sum(tf.cast(x, tf.float32))


def flatten_if_matrix(x):
    """Reshaped to 1-D when x has rank 2 or more: the graph depends on the spec's rank."""
    import tensorflow as tf

    return tf.reshape(x, [-1]) if x.shape.rank > 1 else x


def clip_to_unit_length(x):
    """A Python `if` on a tensor's value: needs AutoGraph inside tf.function."""
    import tensorflow as tf

    length = tf.norm(x)
    if length > 1.0:
        x = x / length
    return x


def halve_until_small(x):
    """A Python `while` on a tensor's value: needs AutoGraph inside tf.function."""
    import tensorflow as tf

    while tf.reduce_max(tf.abs(x)) > 1.0:
        x = x / 2.0
    return x


def scale(x, factor):
    """x times a factor that may be a Python number or a tensor."""
    return x * factor


_VARIABLES: dict[str, Any] = {}


def _variable(name: str, value: float) -> Any:
    """A float32 tf.Variable of this module, made once, outside any graph being traced."""
    import tensorflow as tf

    if name not in _VARIABLES:
        with tf.init_scope():
            _VARIABLES[name] = tf.Variable(value, name=name, dtype=tf.float32)
    return _VARIABLES[name]


def count_calls(x):
    """Adds 1 to a counter Variable, then doubles x: an update no output depends on, kept in
    the graph by a control edge only."""
    _variable("calls", 0.0).assign_add(1.0)
    return 2.0 * x


def scaled_by_variable(x):
    """x times a Variable's value: the read feeds the product (a data edge)."""
    import tensorflow as tf

    return x * tf.cast(_variable("scale", 1.5), x.dtype)


def logged_square(x):
    """Prints the shape of x, then squares it: the print is tied to the output by control
    edges only."""
    import tensorflow as tf

    tf.print("squaring a tensor of shape", tf.shape(x))
    return x * x


FUNCTIONS: dict[str, Callable] = {
    f.__name__: f
    for f in (
        affine_like,
        relu_layer,
        scale_and_shift,
        centered_square,
        sum_and_product,
        row_norms,
        total_as_float32,
        flatten_if_matrix,
        clip_to_unit_length,
        halve_until_small,
        scale,
        count_calls,
        scaled_by_variable,
        logged_square,
    )
}
HANDED_OVER[__name__] = list(FUNCTIONS.values())


def _function(case: Case) -> Callable:
    return FUNCTIONS[case.options["fn"]]


def _specs(case: Case) -> list:
    """options["specs"]: one (shape, dtype, name) triple per argument; shape may hold None."""
    import tensorflow as tf

    return [
        tf.TensorSpec(None if shape is None else list(shape), dtype, name=name)
        for shape, dtype, name in case.options["specs"]
    ]


class _QuietTensorFlow:
    """Silence TensorFlow's Python warnings (retracing, AutoGraph) while a call runs: in a
    notebook they go to stderr, and nbgrader gives 0 to a test cell that writes to stderr."""

    def __enter__(self) -> None:
        import tensorflow as tf

        self._logger = tf.get_logger()
        self._level = self._logger.level
        self._logger.setLevel("ERROR")

    def __exit__(self, *exc: Any) -> None:
        self._logger.setLevel(self._level)


@protocol
def wrap_and_call(fn: Callable, case: Case) -> Any:
    """g = fn(f) for the function f named in options["fn"], then g(*args). Returns whether g
    is a tf.function (tf.types.experimental.PolymorphicFunction) and the values g gave."""
    import tensorflow as tf

    with _QuietTensorFlow():
        graph_fn = fn(_function(case))
        is_tf_function = isinstance(graph_fn, tf.types.experimental.PolymorphicFunction)
        values = graph_fn(*materialize(case.args))
    return {"is_tf_function": is_tf_function, "values": normalize(values)}


@protocol
def trace_with_specs(fn: Callable, case: Case) -> Any:
    """fn(f, *specs) for the function f named in options["fn"] and the TensorSpecs
    described in options["specs"]."""
    with _QuietTensorFlow():
        return normalize(fn(_function(case), *_specs(case)))


def _edge_key(edge: Any) -> str:
    return repr(tuple(edge) if isinstance(edge, (tuple, list)) else edge)


@protocol
def trace_edges_with_specs(fn: Callable, case: Case) -> Any:
    """fn(f, *specs) as in trace_with_specs, for a function that returns a set: the type
    of the result ("set" for a set or frozenset) and its items in sorted order."""
    with _QuietTensorFlow():
        edges = fn(_function(case), *_specs(case))
    kind = "set" if isinstance(edges, (set, frozenset)) else type(edges).__name__
    return {"type": kind, "edges": normalize(sorted(edges, key=_edge_key))}


@protocol
def count_with_calls(fn: Callable, case: Case) -> Any:
    """fn(f, calls) for the function f named in options["fn"]; args[0] lists the calls,
    one tuple of arguments each (arrays become tensors or NumPy arrays, numbers stay
    Python numbers)."""
    calls = [tuple(materialize(arg) for arg in call) for call in case.args[0]]
    with _QuietTensorFlow():
        return normalize(fn(_function(case), calls))
