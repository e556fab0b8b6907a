"""Protocols of 07_deep: a network's parameters as a list of (W, b) pairs of tf.Variables,
a training step that updates them in place, and a Keras model to inspect."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..model import As, Case
from ..values import normalize, raised
from .core import materialize, protocol


def _arrays(value: Any) -> np.ndarray:
    return np.asarray(value.data if isinstance(value, As) else value)


@protocol
def layer_params(fn: Callable, case: Case) -> Any:
    """fn(*args) returns one (W, b) pair per layer: the Ws and the bs, apart, so that
    weights and biases are judged separately."""
    args = materialize(case.args)
    kwargs = {k: materialize(v) for k, v in case.kwargs.items()}
    pairs = [tuple(pair) for pair in fn(*args, **kwargs)]
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError(f"each layer must be a (W, b) pair, got {len(pair)} items")
    return {"weights": [normalize(W) for W, _ in pairs], "biases": [normalize(b) for _, b in pairs]}


@protocol
def network_training_steps(fn: Callable, case: Case) -> Any:
    """fn(x, y, params, learning_rate) called options["steps"] times on the same list of
    (W, b) tf.Variable pairs made from args[2] (inside one tf.function if options["graph"]);
    returns every returned loss and the final W and b of every layer."""
    import tensorflow as tf

    x, y, start, learning_rate = case.args
    x, y = materialize(x), materialize(y)
    params = [(tf.Variable(_arrays(W)), tf.Variable(_arrays(b))) for W, b in start]
    step = fn
    if case.options.get("graph"):
        step = tf.function(lambda x, y, params, learning_rate: fn(x, y, params, learning_rate))
    losses = [normalize(step(x, y, params, learning_rate)) for _ in range(case.options["steps"])]
    return {"losses": losses, "params": [(normalize(W), normalize(b)) for W, b in params]}


@protocol
def call_with_cpu_time(fn: Callable, case: Case) -> Any:
    """fn(*args, **kwargs), eagerly, and the CPU time the call took (process time, in
    seconds, all threads): a time limit that does not depend on how busy the machine is."""
    args = materialize(case.args)
    kwargs = {k: materialize(v) for k, v in case.kwargs.items()}
    start = time.process_time()
    result = fn(*args, **kwargs)
    seconds = time.process_time() - start
    return {"result": normalize(result), "cpu_seconds": float(seconds)}


def _input_width(model: Any) -> Any:
    try:
        shape = model.input_shape
    except Exception:  # a model that was never given its input width
        return None
    if isinstance(shape, list) and len(shape) == 1:
        shape = shape[0]
    if not isinstance(shape, tuple) or not shape or shape[-1] is None:
        return None
    return int(shape[-1])


def _layer(layer: Any) -> tuple:
    """(class name, units, activation name) of one Keras layer; None where it has none."""
    units = getattr(layer, "units", None)
    activation = getattr(layer, "activation", None)
    if activation is not None:
        activation = getattr(activation, "__name__", type(activation).__name__)
    return (type(layer).__name__, None if units is None else int(units), activation)


@protocol
def keras_model_with_weights(fn: Callable, case: Case) -> Any:
    """model = fn(*args): its structure (input width; class, units and activation of every
    layer) and its outputs on options["x"] after model.set_weights(options["weights"])."""
    import tensorflow as tf

    args = materialize(case.args)
    model = fn(*args)
    structure = {"input_width": _input_width(model), "layers": [_layer(layer) for layer in model.layers]}
    try:
        model.set_weights([np.asarray(w) for w in case.options["weights"]])
        outputs = normalize(model(tf.constant(case.options["x"])))
    except Exception as error:  # judged by the outputs check only
        outputs = raised(error)
    return {"structure": structure, "outputs": outputs}
