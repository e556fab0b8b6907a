"""Hidden checks of 07_deep: the submission against the reference on fresh inputs, and the
behaviour the contract promises (the network trained with the kit's recipe classifies fresh
circles, where the linear classifier of 06 cannot)."""

from __future__ import annotations

import itertools

import numpy as np

from graders.checks.define import hidden_checks_of
from graders.checks.draw import FLOATS, form, label, normal
from graders.checks.reference import reference_module
from selfcheck.model import As, Case, Rule
from selfcheck.values import Array

A = "07_deep"

# The contract's behaviour: make_circles(1000, 0.1, seed), a [2, 16, 16, 1] network trained
# with the recipe of the notebook (TRAIN_STEPS, LEARNING_RATE, read from the reference), at
# least 95% right on fresh circles of another seed; 06's linear classifier (40 steps,
# learning rate 0.1) at most 70% on the same data.
CIRCLES = (1000, 0.1)
LAYER_SIZES = [2, 16, 16, 1]
DEEP_AT_LEAST = 0.95
LINEAR_AT_MOST = 0.70
# Time: at most 10 s of CPU time for the training run (measured by the protocol in the
# submission's process, so a busy machine does not count against it; the reference needs
# about 2). A far too slow submission is stopped at 12 s of CPU time, or at 30 s on the
# clock, instead of holding up the grading.
CPU_SECONDS = 10.0
FRESH_CIRCLES_KEY = 7_340_213  # with the case's init seed, the seed of the judge's test circles
TRAIN_CPU_LIMIT = 12.0
TRAIN_TIMEOUT = 30.0


def _sizes(rng, inputs=None, outputs=None, hidden=None):
    """A random architecture: [inputs, hidden..., outputs]."""
    inputs = inputs or int(rng.integers(1, 5))
    outputs = outputs or int(rng.integers(1, 3))
    hidden = int(rng.integers(1, 3)) if hidden is None else hidden
    return [inputs, *(int(rng.integers(2, 7)) for _ in range(hidden)), outputs]


def _params(rng, sizes, dtype, forms=("tensor", "variable")):
    """(W, b) pairs for these layer sizes, biases not zero, as tensors or variables."""
    pairs = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        W = normal(rng, (fan_in, fan_out), dtype, 1.0 / np.sqrt(fan_in))
        b = normal(rng, (fan_out,), dtype, 0.5)
        pairs.append((form(rng, W, forms), form(rng, b, forms)))
    return pairs


def _arrays(rng, sizes, dtype):
    return [(W.data, b.data) for W, b in _params(rng, sizes, dtype)]


def _seed(rng) -> int:
    return int(rng.integers(0, 10_000))


# init_params -------------------------------------------------------------------------------


def init_params_values(rng):
    sizes = (
        [2, 16, 16, 1],
        _sizes(rng),
        [int(rng.integers(1, 6)), int(rng.integers(1, 4))],
        [int(rng.integers(1, 4)), 7, 5, 3, 2],
    )
    return [Case(args=(s, _seed(rng)), label=f"layer_sizes {s}") for s in sizes]


# dense -------------------------------------------------------------------------------------


def _dense_inputs(rng, dtype, forms=("tensor", "variable")):
    n, fan_in, fan_out = int(rng.integers(1, 9)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
    x = normal(rng, (n, fan_in), dtype, 2.0)
    W, b = normal(rng, (fan_in, fan_out), dtype), normal(rng, (fan_out,), dtype)
    return (form(rng, x, forms), form(rng, W, forms), form(rng, b, forms)), label(
        dtype, x=(n, fan_in), W=(fan_in, fan_out)
    )


def dense_values(rng):
    cases = []
    for dtype in FLOATS:
        args, text = _dense_inputs(rng, dtype)
        cases.append(Case(args=args, label=f"{text}, no activation given"))
        args, text = _dense_inputs(rng, dtype)
        cases.append(Case(args=args, kwargs={"activation": None}, label=f"{text}, activation None"))
        args, text = _dense_inputs(rng, dtype)
        cases.append(Case(args=(*args, "relu"), label=f"{text}, relu"))
        args, text = _dense_inputs(rng, dtype)
        cases.append(Case(args=args, kwargs={"activation": "sigmoid"}, label=f"{text}, sigmoid"))
    return cases


def dense_forms(rng):
    cases = []
    for activation, forms, name in (
        (None, ("numpy",), "NumPy arrays"),
        ("sigmoid", ("numpy",), "NumPy arrays"),
        ("relu", ("list",), "Python lists"),
        (None, ("list",), "Python lists"),
    ):
        args, text = _dense_inputs(rng, np.float32, forms)
        cases.append(
            Case(args=args, kwargs={"activation": activation}, label=f"{name}, {text}, {activation}")
        )
    return cases


def dense_unknown(rng):
    cases = []
    for activation in ("tanh", "softmax"):
        args, text = _dense_inputs(rng, np.float32)
        cases.append(
            Case(args=args, kwargs={"activation": activation}, label=f"{text}, activation {activation!r}")
        )
    return cases


def dense_graph(rng):
    cases = []
    for dtype, activation in zip(FLOATS, ("relu", "sigmoid")):
        args, text = _dense_inputs(rng, dtype, ("tensor",))
        cases.append(Case(args=args, kwargs={"activation": activation}, label=f"{text}, {activation}"))
    return cases


# forward -----------------------------------------------------------------------------------


def forward_values(rng):
    cases = []
    for dtype in FLOATS:
        for hidden in (1, 2, 3):
            sizes = _sizes(rng, hidden=hidden)
            n = int(rng.integers(1, 10))
            x = normal(rng, (n, sizes[0]), dtype, 2.0)
            forms = ("tensor", "variable", "numpy")
            cases.append(
                Case(
                    args=(form(rng, x, ("tensor", "numpy")), _params(rng, sizes, dtype, forms)),
                    label=f"{label(dtype, x=(n, sizes[0]))}, layer_sizes {sizes}",
                )
            )
    return cases


def forward_one_layer(rng):
    cases = []
    for dtype in FLOATS:
        sizes = _sizes(rng, hidden=0)
        n = int(rng.integers(1, 10))
        x = normal(rng, (n, sizes[0]), dtype, 2.0)
        cases.append(
            Case(
                args=(As("tensor", x), _params(rng, sizes, dtype)),
                label=f"{label(dtype, x=(n, sizes[0]))}, layer_sizes {sizes}",
            )
        )
    return cases


def forward_gradient(rng):
    cases = []
    for dtype in FLOATS:
        sizes = _sizes(rng, hidden=2)
        n = int(rng.integers(2, 8))
        x = normal(rng, (n, sizes[0]), dtype, 2.0)
        cases.append(
            Case(
                args=(As("tensor", x), _params(rng, sizes, dtype, ("tensor",))),
                options={"wrt": 0},
                label=f"{label(dtype, x=(n, sizes[0]))}, layer_sizes {sizes}",
            )
        )
    return cases


# train_step --------------------------------------------------------------------------------


def _step_case(rng, dtype, steps, graph=False):
    sizes = _sizes(rng)
    n = int(rng.integers(3, 12))
    x = normal(rng, (n, sizes[0]), dtype, 2.0)
    y = rng.integers(0, 2, size=(n, sizes[-1])).astype(dtype)
    rate = float(np.round(rng.uniform(0.1, 2.0), 2))
    options = {"steps": steps, "graph": True} if graph else {"steps": steps}
    return Case(
        args=(As("tensor", x), As("tensor", y), _arrays(rng, sizes, dtype), rate),
        options=options,
        label=f"{label(dtype, x=(n, sizes[0]))}, layer_sizes {sizes}, {steps} steps",
    )


def train_step_steps(rng):
    return [_step_case(rng, dtype, 3) for dtype in FLOATS for _ in range(2)]


def train_step_graph(rng):
    return [_step_case(rng, dtype, 2, graph=True) for dtype in FLOATS]


# train -------------------------------------------------------------------------------------


def _train_data(rng, sizes, n):
    x = normal(rng, (n, sizes[0]), np.float32, 1.5)
    y = rng.integers(0, 2, size=(n, sizes[-1])).astype(np.float32)
    return x, y


def train_values(rng):
    cases = []
    for hidden in (1, 2):
        sizes = _sizes(rng, hidden=hidden)
        n, steps = int(rng.integers(4, 16)), int(rng.integers(3, 9))
        x, y = _train_data(rng, sizes, n)
        rate = float(np.round(rng.uniform(0.2, 2.0), 2))
        cases.append(
            Case(
                args=(form(rng, x), form(rng, y), sizes, steps, rate, _seed(rng)),
                label=f"float32, x {x.shape}, layer_sizes {sizes}, {steps} steps",
            )
        )
    return cases


def train_casts(rng):
    sizes = _sizes(rng, hidden=1, outputs=1)
    n, steps = int(rng.integers(4, 16)), int(rng.integers(2, 6))
    x, y = _train_data(rng, sizes, n)
    cases = [
        Case(
            args=(
                As("numpy", x.astype(np.float64)),
                As("numpy", y.astype(np.int32)),
                sizes,
                steps,
                0.5,
                _seed(rng),
            ),
            label=f"float64 x {x.shape} and int32 y NumPy arrays, layer_sizes {sizes}",
        ),
        Case(
            args=(
                As("list", x.astype(np.float64)),
                As("tensor", y.astype(np.float64)),
                sizes,
                steps,
                0.5,
                _seed(rng),
            ),
            label=f"x {x.shape} as a list, float64 y tensor, layer_sizes {sizes}",
        ),
    ]
    return cases


def fresh_circles_seed(init_seed: int) -> int:
    """The seed of the judge's fresh circles, made from the case's init seed and a constant
    kept with the hidden checks. The submission's process reads its cases (request.json), but
    not this module: it cannot draw the circles it is judged on, and fit them."""
    return int(np.random.default_rng([init_seed, FRESH_CIRCLES_KEY]).integers(0, 100_000))


def train_circles(rng):
    """One training run on circles of one seed; the test circles (another seed) are drawn by
    the judge. The linear classifier of 06 must fail on the same data: a promise about
    make_circles that the kit asserts here, on the very data it grades with."""
    deep = reference_module(A)
    init_seed = _seed(rng)
    test_seed = fresh_circles_seed(init_seed)
    train_seed = int(rng.integers(0, 100_000))
    if train_seed == test_seed:  # the judge's circles must be fresh ones
        train_seed = (train_seed + 1) % 100_000
    x, y = (t.numpy() for t in deep.make_circles(*CIRCLES, train_seed))
    x_test, y_test = (t.numpy() for t in deep.make_circles(*CIRCLES, test_seed))
    linear = reference_module("06_gradient_tape")
    w, b, _ = linear.train(x, y, 40, 0.1)
    linear_accuracy = linear.accuracy(y_test, linear.predict(x_test, w, b))
    if linear_accuracy > LINEAR_AT_MOST:
        raise AssertionError(
            f"make_circles is too easy: 06's linear classifier reaches {linear_accuracy:.3f} "
            f"(at most {LINEAR_AT_MOST} promised)"
        )
    return [
        Case(
            args=(
                As("tensor", x),
                As("tensor", y),
                LAYER_SIZES,
                deep.TRAIN_STEPS,
                deep.LEARNING_RATE,
                init_seed,
            ),
            label=f"make_circles{CIRCLES}, layer_sizes {LAYER_SIZES}, {deep.TRAIN_STEPS} steps, "
            f"learning rate {deep.LEARNING_RATE}",
        )
    ]


def held_out_circles(case: Case) -> dict[str, Array]:
    """The judge's circles for a case (its `expected`): drawn where the reference runs, with
    the reference's make_circles, and kept with the reference results."""
    x, y = reference_module(A).make_circles(*CIRCLES, fresh_circles_seed(case.args[5]))
    return {"x": Array("tensor", x.numpy()), "y": Array("tensor", y.numpy())}


def _network_scores(x: np.ndarray, pairs: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The contract's forward pass in NumPy float32 (relu after every layer but the last,
    sigmoid after the last), so that judging needs no TensorFlow."""
    h = x
    for i, (W, b) in enumerate(pairs):
        z = h @ W + b
        h = np.maximum(z, 0) if i < len(pairs) - 1 else 0.5 * (1 + np.tanh(z / 2))  # tanh: no overflow
    return h


def judge_circles(actual, expected, case):
    """The submission's trained parameters, run through the contract's forward pass, must
    classify fresh circles (another seed: `expected`, from held_out_circles) with accuracy
    >= 0.95, and the training must take at most 10 s of CPU time."""
    shapes = [((a, b), (b,)) for a, b in itertools.pairwise(LAYER_SIZES)]
    seconds = actual.get("cpu_seconds") if isinstance(actual, dict) else None
    actual = actual.get("result") if isinstance(actual, dict) else None
    if not (isinstance(actual, (tuple, list)) and len(actual) == 2 and isinstance(actual[0], (tuple, list))):
        return "train must return (params, losses) with params a list of (W, b) pairs"
    params = actual[0]
    if len(params) != len(shapes) or not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in params):
        return f"params must hold {len(shapes)} (W, b) pairs for layer_sizes {LAYER_SIZES}"
    for i, ((W, b), (w_shape, b_shape)) in enumerate(zip(params, shapes)):
        if not (isinstance(W, Array) and isinstance(b, Array) and W.shape == w_shape and b.shape == b_shape):
            return f"layer {i}: expected tensors W {w_shape} and b {b_shape}"
        if not (W.real and b.real):
            return f"layer {i}: W and b must hold real numbers: they have dtypes {W.dtype} and {b.dtype}"
    pairs = [(W.data.astype(np.float32), b.data.astype(np.float32)) for W, b in params]
    with np.errstate(all="ignore"):  # a diverged network's infinities are judged below
        scores = _network_scores(expected["x"].data, pairs)
    if not np.isfinite(scores).all():
        return "the trained network's outputs on fresh circles are not finite (NaN or infinity)"
    accuracy = float(np.mean((scores.reshape(-1) > 0.5) == (expected["y"].data.reshape(-1) > 0.5)))
    if not accuracy >= DEEP_AT_LEAST:
        return (
            f"the trained network classifies only {accuracy:.1%} of fresh circles correctly "
            f"(at least {DEEP_AT_LEAST:.0%} expected)"
        )
    if not (isinstance(seconds, float) and seconds <= CPU_SECONDS):
        shown = f"{seconds:.1f} s" if isinstance(seconds, float) else "an unknown time"
        return f"train took {shown} of CPU time: at most {CPU_SECONDS:g} s allowed"
    return None


# keras_model -------------------------------------------------------------------------------


def _keras_case(rng, sizes):
    pairs = [(W.data, b.data) for W, b in _params(rng, sizes, np.float32)]
    x = normal(rng, (int(rng.integers(2, 9)), sizes[0]), np.float32, 2.0)
    return Case(
        args=(sizes,),
        options={"weights": [a for pair in pairs for a in pair], "x": x},
        label=f"layer_sizes {sizes}",
    )


def keras_cases(rng):
    return [
        _keras_case(rng, sizes)
        for sizes in (
            [2, 16, 16, 1],
            [int(rng.integers(2, 6)), int(rng.integers(2, 6)), 2],
            [int(rng.integers(1, 4)), 1],
            [3, 5, 4, 3, 2],
        )
    ]


USES_TAPE = Rule("the gradients must be computed with tf.GradientTape", require=("tensorflow.GradientTape",))
SOURCE = (Case(label="source code"),)


_hidden = hidden_checks_of(A)


CHECKS = (
    _hidden(
        "init_params.weights",
        "init_params",
        2,
        "every W: tf.random.stateless_uniform with seed [seed, i] and the Glorot limit, float32 tf.Variables",
        init_params_values,
        protocol="layer_params",
        part="weights",
    ),
    _hidden(
        "init_params.biases",
        "init_params",
        1,
        "every b: float32 zeros (fan_out,), tf.Variables",
        init_params_values,
        protocol="layer_params",
        part="biases",
    ),
    _hidden(
        "dense.values",
        "dense",
        2,
        "activation(x @ W + b) for None, relu and sigmoid, float32 and float64",
        dense_values,
    ),
    _hidden("dense.forms", "dense", 1, "NumPy arrays and Python lists in, a tf.Tensor out", dense_forms),
    _hidden("dense.unknown_activation", "dense", 1, "any other activation raises ValueError", dense_unknown),
    _hidden(
        "dense.tf_function",
        "dense",
        1,
        "works inside tf.function",
        dense_graph,
        protocol="call_in_tf_function",
    ),
    _hidden(
        "forward.values",
        "forward",
        2,
        "relu after the hidden layers, sigmoid after the last, for 2 to 4 layers",
        forward_values,
    ),
    _hidden(
        "forward.one_layer", "forward", 1, "a network of one layer: sigmoid(x @ W + b)", forward_one_layer
    ),
    _hidden(
        "forward.gradient",
        "forward",
        1,
        "differentiable with tf.GradientTape with respect to x",
        forward_gradient,
        protocol="value_and_gradient",
    ),
    _hidden(
        "train_step.loss",
        "train_step",
        1,
        "returns the loss computed before the update",
        train_step_steps,
        protocol="network_training_steps",
        part="losses",
    ),
    _hidden(
        "train_step.params",
        "train_step",
        2,
        "updates every W and b in place by learning_rate * gradient",
        train_step_steps,
        protocol="network_training_steps",
        part="params",
    ),
    _hidden(
        "train_step.tf_function",
        "train_step",
        1,
        "works inside tf.function",
        train_step_graph,
        protocol="network_training_steps",
    ),
    _hidden(
        "train_step.uses_tape",
        "train_step",
        1,
        "the gradients come from a tf.GradientTape",
        SOURCE,
        rule=USES_TAPE,
    ),
    _hidden(
        "train.values",
        "train",
        2,
        "the trained (W, b) tf.Variables and the losses match the reference run",
        train_values,
        tolerance_scale=10.0,
    ),
    _hidden(
        "train.casts_inputs",
        "train",
        1,
        "float64 and integer inputs are cast to float32",
        train_casts,
        tolerance_scale=10.0,
    ),
    _hidden(
        "train.circles",
        "train",
        2,
        "the notebook's recipe classifies fresh circles >= 95% (a linear classifier: <= 70%) "
        "within 10 s of CPU time",
        train_circles,
        protocol="call_with_cpu_time",
        judge=judge_circles,
        judge_data=held_out_circles,
        timeout=TRAIN_TIMEOUT,
        cpu_limit=TRAIN_CPU_LIMIT,
    ),
    _hidden(
        "keras_model.structure",
        "keras_model",
        2,
        "input width, then Dense relu layers and a Dense sigmoid output of the given sizes",
        keras_cases,
        protocol="keras_model_with_weights",
        part="structure",
    ),
    _hidden(
        "keras_model.outputs",
        "keras_model",
        2,
        "after set_weights([W0, b0, ...]) it computes forward",
        keras_cases,
        protocol="keras_model_with_weights",
        part="outputs",
    ),
)
