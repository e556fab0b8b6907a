"""Reference solution for 02_flow: Flow: the directed computational graph.

Generated from source/02_flow/flow.ipynb by `python -m graders build`: edit the
notebook, not this file.
"""

from selfcheck.quiet import quiet_start

with quiet_start():  # TensorFlow's start-up messages stay out of the output
    import tensorflow as tf


def affine(x, w, b):
    """The affine map y = x @ w + b.

    Args:
        x: inputs, shape (N, D).
        w: weights, shape (D, K).
        b: bias, shape (K,).

    Returns:
        A tensor of shape (N, K) in the dtype of `x`.
    """
    x = tf.convert_to_tensor(x)
    w = tf.convert_to_tensor(w, dtype=x.dtype)
    b = tf.convert_to_tensor(b, dtype=x.dtype)
    return x @ w + b


def to_graph(fn):
    """A tf.function wrapping the Python function fn.

    Returns:
        A tf.types.experimental.PolymorphicFunction that returns the same values as fn.
    """
    return tf.function(fn)


def graph_op_types(fn, *specs):
    """The op types of the graph traced from fn for the given TensorSpecs.

    Args:
        fn: a plain Python function (not already a tf.function).
        *specs: one tf.TensorSpec per argument of fn.

    Returns:
        A list of str, in graph order.
    """
    concrete = tf.function(fn).get_concrete_function(*specs)
    return [op.type for op in concrete.graph.get_operations()]


def graph_edges(fn, *specs):
    """The data edges of the graph traced from fn for the given TensorSpecs.

    Args:
        fn: a plain Python function (not already a tf.function).
        *specs: one tf.TensorSpec per argument of fn.

    Returns:
        A set of (producer_op_name, consumer_op_name) pairs of str.
    """
    graph = tf.function(fn).get_concrete_function(*specs).graph
    return {(tensor.op.name, op.name) for op in graph.get_operations() for tensor in op.inputs}


def count_traces(fn, calls):
    """How often a fresh tf.function of fn traces while it is called once per tuple of calls.

    Args:
        fn: a plain Python function.
        calls: a list of argument tuples.

    Returns:
        The number of traces, a Python int.
    """
    traces = 0

    def traced(*args):
        nonlocal traces
        traces += 1
        return fn(*args)

    graph_fn = tf.function(traced)
    for args in calls:
        graph_fn(*args)
    return traces
