"""Hidden checks of 02_flow: the submission against the reference on fresh inputs, fresh
TensorSpecs and fresh call lists, with the functions of selfcheck.protocols.flow."""

from __future__ import annotations

import numpy as np

from graders.checks.define import hidden_checks_of
from graders.checks.draw import FLOATS, form, label, normal
from selfcheck.model import As, Case

A = "02_flow"
DTYPES = ("float32", "float64")


def _dims(rng, low=1, high=6):
    return int(rng.integers(low, high))


# --- affine --------------------------------------------------------------------------------


def _affine_arrays(rng, dtype):
    n, d, k = _dims(rng, 1, 9), _dims(rng), _dims(rng, 1, 5)
    return normal(rng, (n, d), dtype), normal(rng, (d, k), dtype), normal(rng, (k,), dtype), (n, d, k)


def affine_values(rng):
    cases = []
    for dtype in FLOATS * 3:
        x, w, b, (n, d, k) = _affine_arrays(rng, dtype)
        cases.append(
            Case(args=(form(rng, x), form(rng, w), form(rng, b)), label=label(dtype, x=(n, d), w=(d, k)))
        )
    return cases


def affine_forms(rng):
    cases = []
    x, w, b, (n, d, k) = _affine_arrays(rng, np.float32)
    cases.append(
        Case(
            args=(As("list", x), As("list", w), As("list", b)), label=f"Python lists, x {(n, d)}, w {(d, k)}"
        )
    )
    x, w, b, (n, d, k) = _affine_arrays(rng, np.float64)
    cases.append(
        Case(
            args=(As("tensor", x), As("list", w), As("list", b)),
            label=f"float64 tensor x {(n, d)}, lists w {(d, k)} and b",
        )
    )
    for dtype in FLOATS:
        x, w, b, (n, d, k) = _affine_arrays(rng, dtype)
        cases.append(
            Case(
                args=(As("variable", x), As("variable", w), As("variable", b)),
                label=f"{np.dtype(dtype).name} variables, x {(n, d)}, w {(d, k)}",
            )
        )
    x, w, b, (n, d, k) = _affine_arrays(rng, np.float64)
    cases.append(
        Case(
            args=(As("numpy", x), As("tensor", w), As("tensor", b)),
            label=f"float64 NumPy x {(n, d)} with tensors w {(d, k)} and b",
        )
    )
    return cases


def affine_graph(rng):
    cases = []
    for dtype in FLOATS:
        x, w, b, (n, d, k) = _affine_arrays(rng, dtype)
        cases.append(
            Case(
                args=(As("tensor", x), As("tensor", w), As("tensor", b)),
                label=label(dtype, x=(n, d), w=(d, k)),
            )
        )
    return cases


# --- to_graph ------------------------------------------------------------------------------


def _call_of(rng, name, dtype, long=True):
    """Arguments for one call of the protocol function `name`, and a label."""
    n, d, k = _dims(rng, 1, 6), _dims(rng), _dims(rng, 1, 4)
    dt = np.dtype(dtype).name
    if name in ("affine_like", "relu_layer"):
        args = (normal(rng, (n, d), dtype), normal(rng, (d, k), dtype), normal(rng, (k,), dtype))
        return tuple(As("tensor", a) for a in args), f"{name}, {dt} x {(n, d)}, w {(d, k)}"
    if name == "sum_and_product":
        return (
            As("tensor", normal(rng, (n, d), dtype)),
            As("tensor", normal(rng, (n, d), dtype)),
        ), f"{name}, {dt} {(n, d)}"
    if name == "scale":
        return (
            As("tensor", normal(rng, (n,), dtype)),
            As("tensor", normal(rng, (), dtype)),
        ), f"{name}, {dt} x {(n,)}"
    if name in ("clip_to_unit_length", "halve_until_small"):
        # long inputs make the branch or the loop run, short ones do not
        size = 3.0 if long else 0.2
        return (As("tensor", normal(rng, (n, d), dtype, size / np.sqrt(n * d))),), f"{name}, {dt} {(n, d)}"
    return (As("tensor", normal(rng, (n, d), dtype)),), f"{name}, {dt} {(n, d)}"


def _wrap_cases(rng, names):
    cases = []
    for i, name in enumerate(names):
        args, text = _call_of(rng, name, FLOATS[i % 2], long=i % 4 < 2)
        cases.append(Case(args=args, options={"fn": name}, label=text))
    return cases


def to_graph_plain(rng):
    return _wrap_cases(rng, ("affine_like", "relu_layer", "sum_and_product", "scale"))


def to_graph_kind(rng):
    return _wrap_cases(rng, ("affine_like", "sum_and_product", "scale"))


def to_graph_autograph(rng):
    return _wrap_cases(rng, ("clip_to_unit_length", "halve_until_small", "clip_to_unit_length"))


# --- graph_op_types and graph_edges --------------------------------------------------------

PARAMETERS = {
    "affine_like": ("x", "w", "b"),
    "relu_layer": ("x", "w", "b"),
    "scale_and_shift": ("x",),
    "centered_square": ("x",),
    "sum_and_product": ("x", "y"),
    "row_norms": ("x",),
    "total_as_float32": ("x",),
    "flatten_if_matrix": ("x",),
    "count_calls": ("x",),
    "scaled_by_variable": ("x",),
    "logged_square": ("x",),
}
# Functions with state (a Variable updated or read, a print): traced, they hold control edges
# that tie the side effects to the outputs; the contract's edges are the data edges only.
STATEFUL = ("count_calls", "scaled_by_variable", "logged_square")
OTHER_NAMES = ("features", "weights", "bias", "inputs", "kernel", "offset", "a", "z")


def _shapes(rng, name, unknown_batch):
    n = None if unknown_batch else _dims(rng, 1, 9)
    d, k = _dims(rng), _dims(rng, 1, 5)
    if name in ("affine_like", "relu_layer"):
        return [(n, d), (d, k), (k,)]
    if name == "sum_and_product":
        return [(n, d), (n, d)]
    if name == "scale_and_shift":
        return [(d,)] if rng.integers(0, 2) else [(n, d)]
    return [(n, d)]


def _specs(shapes, dtype, names):
    return tuple((tuple(s), dtype, nm) for s, nm in zip(shapes, names))


def _describe(name, specs) -> str:
    parts = [f"{nm or 'unnamed'} {s} {dt}" for s, dt, nm in specs]
    return f"{name}, specs " + ", ".join(parts)


def _trace_case(rng, name, dtype, names=None, unknown_batch=None):
    if unknown_batch is None:
        unknown_batch = bool(rng.integers(0, 2))
    shapes = _shapes(rng, name, unknown_batch)
    names = names if names is not None else PARAMETERS[name][: len(shapes)]
    specs = _specs(shapes, dtype, names)
    return Case(options={"fn": name, "specs": specs}, label=_describe(name, specs))


def trace_affine(rng):
    return [
        _trace_case(rng, "affine_like", dtype, unknown_batch=unknown)
        for dtype, unknown in (("float32", True), ("float64", False), ("float64", True))
    ]


def trace_functions(rng):
    cases = []
    for i, name in enumerate(
        (
            "relu_layer",
            "scale_and_shift",
            "centered_square",
            "sum_and_product",
            "row_norms",
            "scale_and_shift",
            "relu_layer",
            *STATEFUL,
        )
    ):
        cases.append(_trace_case(rng, name, DTYPES[i % 2]))
    return cases


def trace_spec_dependent(rng):
    """Functions whose graph depends on the specs' dtype or rank."""
    cases = []
    for dtype in ("float32", "float64", "int32"):
        shape = ((None, _dims(rng)),)
        specs = _specs(shape, dtype, ("x",))
        cases.append(
            Case(
                options={"fn": "total_as_float32", "specs": specs}, label=_describe("total_as_float32", specs)
            )
        )
    for shape in ((_dims(rng, 2, 7),), (2, _dims(rng), 3)):
        specs = _specs((shape,), "float32", ("x",))
        cases.append(
            Case(
                options={"fn": "flatten_if_matrix", "specs": specs},
                label=_describe("flatten_if_matrix", specs),
            )
        )
    return cases


def trace_names(rng):
    """Specs named otherwise than the parameters, and specs without a name."""
    cases = []
    for i, name in enumerate(("affine_like", "sum_and_product", "relu_layer", "row_norms")):
        count = len(PARAMETERS[name])
        chosen = [str(v) for v in rng.choice(OTHER_NAMES, size=count, replace=False)]
        if i % 2:
            chosen[int(rng.integers(0, count))] = None
        cases.append(_trace_case(rng, name, DTYPES[i % 2], names=tuple(chosen)))
    return cases


# --- count_traces --------------------------------------------------------------------------


def _vector(rng, n, dtype="float32", kind="tensor"):
    return As(kind, normal(rng, (n,), np.dtype(dtype)))


def _sequence(rng, pool, length):
    """`length` signatures drawn from `pool` (indices), every one of them at least once."""
    order = list(range(len(pool))) + [int(i) for i in rng.integers(0, len(pool), size=length - len(pool))]
    rng.shuffle(order)
    return order


def traces_same_signature(rng):
    cases = []
    for fn in ("centered_square", "row_norms"):
        n, d = _dims(rng, 2, 6), _dims(rng, 2, 6)
        calls = [(As("tensor", normal(rng, (n, d), np.float32)),) for _ in range(int(rng.integers(3, 6)))]
        cases.append(
            Case(args=(calls,), options={"fn": fn}, label=f"{fn}, {len(calls)} calls, float32 {(n, d)}")
        )
    n = _dims(rng, 2, 6)
    calls = [(_vector(rng, n, kind=str(rng.choice(("tensor", "numpy")))),) for _ in range(4)]
    cases.append(
        Case(
            args=(calls,),
            options={"fn": "centered_square"},
            label=f"centered_square, 4 calls, float32 tensors and NumPy arrays {(n,)}",
        )
    )
    return cases


def traces_shapes(rng):
    cases = []
    for _ in range(2):
        sizes = [int(s) for s in rng.choice(np.arange(1, 9), size=int(rng.integers(2, 4)), replace=False)]
        order = _sequence(rng, sizes, int(rng.integers(4, 7)))
        calls = [(_vector(rng, sizes[i]),) for i in order]
        cases.append(
            Case(
                args=(calls,),
                options={"fn": "centered_square"},
                label=f"centered_square, {len(calls)} calls, float32 vectors of {len(sizes)} lengths",
            )
        )
    shapes = [(2, 3), (3, 2), (2, 3, 1)]
    order = _sequence(rng, shapes, 5)
    calls = [(As("tensor", normal(rng, shapes[i], np.float32)),) for i in order]
    cases.append(
        Case(
            args=(calls,),
            options={"fn": "centered_square"},
            label="centered_square, 5 calls, shapes (2, 3), (3, 2) and (2, 3, 1)",
        )
    )
    return cases


def traces_python_values(rng):
    n = _dims(rng, 2, 6)
    factors = [
        float(f) for f in rng.choice([0.5, 1.0, 1.5, 2.0, 3.0], size=int(rng.integers(2, 4)), replace=False)
    ]
    order = _sequence(rng, factors, int(rng.integers(4, 7)))
    calls = [(_vector(rng, n), factors[i]) for i in order]
    cases = [
        Case(
            args=(calls,),
            options={"fn": "scale"},
            label=f"scale, {len(calls)} calls, float32 {(n,)} and {len(factors)} Python floats",
        )
    ]
    calls = [(_vector(rng, n), As("tensor", normal(rng, (), np.float32))) for _ in range(4)]
    cases.append(
        Case(
            args=(calls,), options={"fn": "scale"}, label=f"scale, 4 calls, float32 {(n,)} and scalar tensors"
        )
    )
    calls = [(_vector(rng, n), int(k)) for k in rng.integers(1, 4, size=4)]
    cases.append(
        Case(args=(calls,), options={"fn": "scale"}, label=f"scale, 4 calls, float32 {(n,)} and Python ints")
    )
    return cases


def traces_dtypes(rng):
    cases = []
    n = _dims(rng, 2, 6)
    order = _sequence(rng, DTYPES, 5)
    calls = [(_vector(rng, n, DTYPES[i]),) for i in order]
    cases.append(
        Case(
            args=(calls,),
            options={"fn": "centered_square"},
            label=f"centered_square, 5 calls, float32 and float64 {(n,)}",
        )
    )
    sizes = (n, n + 1)
    pool = [(s, dt) for s in sizes for dt in DTYPES]
    order = _sequence(rng, pool, 6)
    calls = [
        (_vector(rng, pool[i][0], pool[i][1], kind=str(rng.choice(("tensor", "numpy")))),) for i in order
    ]
    cases.append(
        Case(
            args=(calls,),
            options={"fn": "centered_square"},
            label="centered_square, 6 calls, two lengths, two dtypes, tensors and NumPy arrays",
        )
    )
    return cases


_hidden = hidden_checks_of(A)


CHECKS = (
    _hidden(
        "affine.values",
        "affine",
        2,
        "x @ w + b for many shapes, float32 and float64, tensors and arrays",
        affine_values,
    ),
    _hidden("affine.forms", "affine", 1, "lists, variables and mixed forms, in the dtype of x", affine_forms),
    _hidden(
        "affine.tf_function",
        "affine",
        1,
        "works inside tf.function",
        affine_graph,
        protocol="call_in_tf_function",
    ),
    _hidden(
        "to_graph.type",
        "to_graph",
        1,
        "returns a tf.function (tf.types.experimental.PolymorphicFunction)",
        to_graph_kind,
        protocol="wrap_and_call",
        part="is_tf_function",
    ),
    _hidden(
        "to_graph.values",
        "to_graph",
        2,
        "the tf.function returns the values of the wrapped function",
        to_graph_plain,
        protocol="wrap_and_call",
        part="values",
    ),
    _hidden(
        "to_graph.autograph",
        "to_graph",
        1,
        "functions with a Python if or while on tensor values work (AutoGraph on)",
        to_graph_autograph,
        protocol="wrap_and_call",
        part="values",
    ),
    _hidden(
        "graph_op_types.affine",
        "graph_op_types",
        1,
        "the op types of the affine graph for several specs",
        trace_affine,
        protocol="trace_with_specs",
    ),
    _hidden(
        "graph_op_types.functions",
        "graph_op_types",
        2,
        "op types, in graph order, of functions with other ops, constants, two outputs, Variable updates and "
        "reads, and prints",
        trace_functions,
        protocol="trace_with_specs",
    ),
    _hidden(
        "graph_op_types.specs",
        "graph_op_types",
        1,
        "traced for the given specs (their dtype and rank matter)",
        trace_spec_dependent,
        protocol="trace_with_specs",
    ),
    _hidden(
        "graph_edges.affine",
        "graph_edges",
        1,
        "a set holding the edges of the affine graph for several specs",
        trace_affine,
        protocol="trace_edges_with_specs",
    ),
    _hidden(
        "graph_edges.functions",
        "graph_edges",
        2,
        "the data edges (no control edges) of functions with other ops, constants, two outputs, Variable "
        "updates and reads, and prints",
        trace_functions,
        protocol="trace_edges_with_specs",
        part="edges",
    ),
    _hidden(
        "graph_edges.names",
        "graph_edges",
        1,
        "placeholders take the specs' names (the parameter's name when a spec has none)",
        trace_names,
        protocol="trace_edges_with_specs",
        part="edges",
    ),
    _hidden(
        "count_traces.same_signature",
        "count_traces",
        1,
        "calls with one shape and dtype trace once",
        traces_same_signature,
        protocol="count_with_calls",
    ),
    _hidden(
        "count_traces.shapes",
        "count_traces",
        1,
        "one trace per new shape, none for a shape seen before",
        traces_shapes,
        protocol="count_with_calls",
    ),
    _hidden(
        "count_traces.python_values",
        "count_traces",
        1,
        "one trace per new Python number; scalar tensors do not retrace",
        traces_python_values,
        protocol="count_with_calls",
    ),
    _hidden(
        "count_traces.dtypes",
        "count_traces",
        1,
        "one trace per new dtype and shape, tensors or NumPy arrays",
        traces_dtypes,
        protocol="count_with_calls",
    ),
)
