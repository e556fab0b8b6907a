"""Student exercise for 02_flow: Flow: the directed computational graph.

The same exercises as the notebook flow.ipynb. Write each body marked YOUR CODE HERE,
then check your work with `pytest test_flow.py`.
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
    # YOUR CODE HERE
    raise NotImplementedError()


def to_graph(fn):
    """A tf.function wrapping the Python function fn.

    Returns:
        A tf.types.experimental.PolymorphicFunction that returns the same values as fn.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def graph_op_types(fn, *specs):
    """The op types of the graph traced from fn for the given TensorSpecs.

    Args:
        fn: a plain Python function (not already a tf.function).
        *specs: one tf.TensorSpec per argument of fn.

    Returns:
        A list of str, in graph order.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def graph_edges(fn, *specs):
    """The data edges of the graph traced from fn for the given TensorSpecs.

    Args:
        fn: a plain Python function (not already a tf.function).
        *specs: one tf.TensorSpec per argument of fn.

    Returns:
        A set of (producer_op_name, consumer_op_name) pairs of str.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def count_traces(fn, calls):
    """How often a fresh tf.function of fn traces while it is called once per tuple of calls.

    Args:
        fn: a plain Python function.
        calls: a list of argument tuples.

    Returns:
        The number of traces, a Python int.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
