"""Hidden checks of 01_tensors: the submission against the reference on fresh inputs of
many shapes, dtypes and forms (tensors, variables, NumPy arrays, lists)."""

from __future__ import annotations

import numpy as np

from graders.checks.define import hidden_checks_of
from graders.checks.draw import form
from selfcheck.model import As, Case

A = "01_tensors"

ALL = (np.int32, np.int64, np.uint8, np.float32, np.float64)


def numbers(rng, shape, dtype, positive=False):
    """Values of a dtype: whole numbers 0..99 (0..255 for uint8), or floats (positive ones
    when asked, so that means cannot cancel out)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        values = rng.integers(0, 256 if dtype == np.uint8 else 100, size=shape)
    elif dtype.kind == "b":
        values = rng.integers(0, 2, size=shape)
    elif positive:
        values = rng.uniform(0, 100, size=shape)
    else:
        values = rng.standard_normal(shape) * 10
    return np.asarray(values, dtype=dtype)  # an array even for shape ()


def pixels(rng, shape, dark=False):
    """uint8 pixels; a dark batch never reaches 255 (dividing by the batch's maximum
    instead of 255 then gives other values)."""
    return rng.integers(0, 200 if dark else 256, size=shape).astype(np.uint8)


def text(dtype, shape, kind="") -> str:
    return f"{np.dtype(dtype).name} {kind + ' ' if kind else ''}{tuple(shape)}"


# --- table ---------------------------------------------------------------------------


def table_cases(rng):
    return [Case(label="no arguments")]


# --- describe ----------------------------------------------------------------------------


def describe_tensors(rng):
    cases = []
    shapes = [
        (),
        (int(rng.integers(1, 7)),),
        (int(rng.integers(1, 5)), int(rng.integers(1, 5))),
        (2, int(rng.integers(1, 4)), int(rng.integers(1, 4))),
        (1, 2, 1, int(rng.integers(2, 4))),
        (0, int(rng.integers(1, 4))),
        (int(rng.integers(2, 4)), 0, 2),
    ]
    dtypes = [np.float32, np.int32, np.float64, np.uint8, np.int64, np.float16, np.bool_]
    for i, shape in enumerate(shapes):
        dtype = dtypes[i % len(dtypes)]
        cases.append(
            Case(args=(As("tensor", numbers(rng, shape, dtype)),), label=text(dtype, shape, "tensor"))
        )
    return cases


def describe_variables(rng):
    cases = []
    for shape, dtype in (
        ((int(rng.integers(1, 5)), 1), np.float32),
        ((3,), np.float64),
        ((), np.int32),
        ((2, 2, int(rng.integers(1, 4))), np.float32),
    ):
        cases.append(
            Case(args=(As("variable", numbers(rng, shape, dtype)),), label=text(dtype, shape, "variable"))
        )
    return cases


def describe_forms(rng):
    cases = []
    for shape, dtype in (
        ((int(rng.integers(1, 5)), 3), np.float64),
        ((2, 2, 2), np.uint8),
        ((5,), np.int64),
        ((), np.float32),
    ):
        cases.append(Case(args=(numbers(rng, shape, dtype),), label=text(dtype, shape, "NumPy array")))
    rows = int(rng.integers(1, 4))
    cases.append(
        Case(
            args=(As("list", numbers(rng, (rows, 4), np.int32)),), label=f"list of lists of ints {(rows, 4)}"
        )
    )
    cases.append(Case(args=(As("list", numbers(rng, (3,), np.float64)),), label="list of floats (3,)"))
    return cases


# --- pick and column ---------------------------------------------------------------------


def _matrix(rng, dtype):
    rows, cols = int(rng.integers(2, 7)), int(rng.integers(2, 7))
    while cols == rows:
        cols = int(rng.integers(2, 7))
    return numbers(rng, (rows, cols), dtype)


def pick_values(rng):
    cases = []
    for dtype in ALL + (np.float32, np.int32):
        t = _matrix(rng, dtype)
        row, col = int(rng.integers(0, t.shape[0])), int(rng.integers(0, t.shape[1]))
        kind = str(rng.choice(("tensor", "numpy", "variable")))
        cases.append(Case(args=(As(kind, t), row, col), label=text(dtype, t.shape, kind)))
    return cases


def pick_negative(rng):
    cases = []
    for dtype in (np.int32, np.float32, np.float64, np.int32):
        t = _matrix(rng, dtype)
        row = int(rng.integers(-t.shape[0], 0))
        col = int(rng.integers(-t.shape[1], t.shape[1]))
        cases.append(Case(args=(form(rng, t), row, col), label=f"{text(dtype, t.shape)}, negative row"))
        col = int(rng.integers(-t.shape[1], 0))
        row = int(rng.integers(0, t.shape[0]))
        cases.append(Case(args=(form(rng, t), row, col), label=f"{text(dtype, t.shape)}, negative col"))
    return cases


def pick_graph(rng):
    cases = []
    for dtype in (np.float32, np.int32):
        t = _matrix(rng, dtype)
        cases.append(
            Case(args=(As("tensor", t), int(rng.integers(0, t.shape[0])), -1), label=text(dtype, t.shape))
        )
    return cases


def column_values(rng):
    cases = []
    for dtype in ALL + (np.float32, np.int32):
        t = _matrix(rng, dtype)
        kind = str(rng.choice(("tensor", "numpy", "variable")))
        cases.append(
            Case(args=(As(kind, t), int(rng.integers(0, t.shape[1]))), label=text(dtype, t.shape, kind))
        )
    t = numbers(rng, (1, 4), np.float32)
    cases.append(
        Case(args=(As("tensor", t), int(rng.integers(0, 4))), label=text(np.float32, t.shape, "tensor"))
    )
    return cases


def column_negative(rng):
    cases = []
    for dtype in (np.int32, np.float32, np.float64):
        t = _matrix(rng, dtype)
        cases.append(Case(args=(form(rng, t), -1), label=f"{text(dtype, t.shape)}, j = -1"))
        cases.append(
            Case(
                args=(form(rng, t), int(rng.integers(-t.shape[1], 0))),
                label=f"{text(dtype, t.shape)}, negative j",
            )
        )
    return cases


def column_graph(rng):
    cases = []
    for dtype in (np.float32, np.int64):
        t = _matrix(rng, dtype)
        cases.append(
            Case(
                args=(As("tensor", t), int(rng.integers(-t.shape[1], t.shape[1]))), label=text(dtype, t.shape)
            )
        )
    return cases


# --- images ------------------------------------------------------------------------------


def _batch_shape(rng):
    n, h = int(rng.integers(2, 6)), int(rng.integers(2, 8))
    w = int(rng.integers(2, 8))
    while w == h:
        w = int(rng.integers(2, 8))
    return n, h, w


def image_batches(rng, forms=("tensor", "numpy", "variable")):
    cases = []
    for dtype in (np.uint8, np.float32, np.uint8, np.int32, np.float64):
        shape = _batch_shape(rng)
        kind = str(rng.choice(forms))
        data = pixels(rng, shape) if dtype == np.uint8 else numbers(rng, shape, dtype)
        cases.append(Case(args=(As(kind, data),), label=text(dtype, shape, kind)))
    square = (int(rng.integers(2, 5)), 28, 28)
    cases.append(Case(args=(As("tensor", pixels(rng, square)),), label=text(np.uint8, square, "tensor")))
    return cases


def image_graph(rng):
    cases = []
    for dtype in (np.uint8, np.float32):
        shape = _batch_shape(rng)
        data = pixels(rng, shape) if dtype == np.uint8 else numbers(rng, shape, dtype)
        cases.append(Case(args=(As("tensor", data),), label=text(dtype, shape)))
    return cases


def scale_values(rng):
    cases = []
    n, h, w = _batch_shape(rng)
    shapes = [(n, h, w), (h, w), (n, h, w, 3), (int(rng.integers(1, 9)),), (2, 28, 28)]
    for i, shape in enumerate(shapes):
        kind = ("tensor", "numpy", "variable")[i % 3]
        dark = i % 2 == 1
        cases.append(Case(args=(As(kind, pixels(rng, shape, dark)),), label=text(np.uint8, shape, kind)))
    return cases


def scale_graph(rng):
    shape = _batch_shape(rng)
    return [Case(args=(As("tensor", pixels(rng, shape, dark=True)),), label=text(np.uint8, shape))]


# --- column_means ------------------------------------------------------------------------


def means_values(rng):
    cases = []
    for dtype in (np.int32, np.uint8, np.int64, np.float32, np.float64, np.int32, np.float16):
        rows, cols = int(rng.integers(1, 9)), int(rng.integers(1, 7))
        kind = str(rng.choice(("tensor", "numpy", "variable")))
        cases.append(
            Case(
                args=(As(kind, numbers(rng, (rows, cols), dtype, positive=True)),),
                label=text(dtype, (rows, cols), kind),
            )
        )
    rows = int(rng.integers(2, 6))
    cases.append(
        Case(
            args=(As("list", numbers(rng, (rows, 3), np.int32)),), label=f"list of lists of ints {(rows, 3)}"
        )
    )
    return cases


def means_graph(rng):
    cases = []
    for dtype in (np.int32, np.float64):
        rows, cols = int(rng.integers(2, 9)), int(rng.integers(1, 7))
        cases.append(
            Case(
                args=(As("tensor", numbers(rng, (rows, cols), dtype, positive=True)),),
                label=text(dtype, (rows, cols)),
            )
        )
    return cases


# --- stack -------------------------------------------------------------------------------


def _matrices(rng, dtype, kinds):
    k, rows, cols = int(rng.integers(1, 6)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
    return [As(str(rng.choice(kinds)), numbers(rng, (rows, cols), dtype)) for _ in range(k)], (k, rows, cols)


def stack_values(rng):
    cases = []
    for dtype in (np.float32, np.int32, np.float64, np.uint8, np.float32):
        matrices, (k, rows, cols) = _matrices(rng, dtype, ("tensor",))
        cases.append(Case(args=(matrices,), label=f"{k} {np.dtype(dtype).name} tensors {(rows, cols)}"))
    return cases


def stack_forms(rng):
    cases = []
    for dtype, kinds, name in (
        (np.float64, ("numpy",), "NumPy arrays"),
        (np.float32, ("variable",), "variables"),
        (np.int32, ("tensor", "numpy", "variable"), "tensors, arrays and variables"),
    ):
        matrices, (k, rows, cols) = _matrices(rng, dtype, kinds)
        cases.append(Case(args=(matrices,), label=f"{k} {np.dtype(dtype).name} {name} {(rows, cols)}"))
    rows, cols = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    lists = [As("list", numbers(rng, (rows, cols), np.int32)) for _ in range(3)]
    cases.append(Case(args=(lists,), label=f"3 lists of lists of ints {(rows, cols)}"))
    return cases


def stack_graph(rng):
    cases = []
    for dtype in (np.float32, np.int32):
        matrices, (k, rows, cols) = _matrices(rng, dtype, ("tensor",))
        cases.append(Case(args=(matrices,), label=f"{k} {np.dtype(dtype).name} tensors {(rows, cols)}"))
    return cases


_hidden = hidden_checks_of(A)


VALUES = {"protocol": "call_with_values", "part": "values"}
RESULT = {"protocol": "call_with_values", "part": "result"}
GRAPH = {"protocol": "call_in_tf_function"}

CHECKS = (
    _hidden(
        "table.values",
        "table",
        2,
        "the 15 numbers of the deck's table in shape (3, 5), any dtype",
        table_cases,
        **VALUES,
    ),
    _hidden("table.dtype", "table", 1, "a tf.Tensor of dtype int32", table_cases, **RESULT),
    _hidden(
        "describe.tensors",
        "describe",
        2,
        "shape, rank, size and dtype of tensors of rank 0 to 4 and many dtypes, empty ones included",
        describe_tensors,
    ),
    _hidden("describe.variables", "describe", 1, "works on tf.Variables", describe_variables),
    _hidden(
        "describe.forms",
        "describe",
        1,
        "works on NumPy arrays and lists (with the dtype TensorFlow gives them)",
        describe_forms,
    ),
    _hidden(
        "pick.values",
        "pick",
        2,
        "elements at non-negative indices, many shapes, dtypes and forms",
        pick_values,
    ),
    _hidden("pick.negative", "pick", 1, "negative indices count from the end", pick_negative),
    _hidden("pick.tf_function", "pick", 1, "works inside tf.function", pick_graph, **GRAPH),
    _hidden(
        "column.values",
        "column",
        2,
        "columns at non-negative indices, many shapes, dtypes and forms",
        column_values,
    ),
    _hidden("column.negative", "column", 1, "negative j counts from the end", column_negative),
    _hidden("column.tf_function", "column", 1, "works inside tf.function", column_graph, **GRAPH),
    _hidden(
        "first_image.values",
        "first_image",
        2,
        "images[0] for batches of several shapes, dtypes and forms",
        image_batches,
    ),
    _hidden("first_image.tf_function", "first_image", 1, "works inside tf.function", image_graph, **GRAPH),
    _hidden(
        "flatten_images.values",
        "flatten_images",
        2,
        "(N, H, W) -> (N, H*W), read row by row",
        image_batches,
        **VALUES,
    ),
    _hidden(
        "flatten_images.dtype",
        "flatten_images",
        1,
        "a tf.Tensor in the dtype of the images",
        image_batches,
        **RESULT,
    ),
    _hidden(
        "flatten_images.tf_function", "flatten_images", 1, "works inside tf.function", image_graph, **GRAPH
    ),
    _hidden(
        "scale_pixels.values",
        "scale_pixels",
        2,
        "pixels / 255 for uint8 inputs of several shapes",
        scale_values,
        tolerance_scale=100.0,
        **VALUES,
    ),
    _hidden("scale_pixels.dtype", "scale_pixels", 1, "a float32 tf.Tensor", scale_values, **RESULT),
    _hidden("scale_pixels.tf_function", "scale_pixels", 1, "works inside tf.function", scale_graph, **GRAPH),
    _hidden(
        "column_means.values",
        "column_means",
        2,
        "the mean of every column for integer and float inputs of several shapes and forms",
        means_values,
        tolerance_scale=100.0,
        **VALUES,
    ),
    _hidden(
        "column_means.dtype",
        "column_means",
        1,
        "a float32 tf.Tensor whatever the input dtype",
        means_values,
        **RESULT,
    ),
    _hidden("column_means.tf_function", "column_means", 1, "works inside tf.function", means_graph, **GRAPH),
    _hidden(
        "stack.values",
        "stack",
        2,
        "K tensors (R, C) -> (K, R, C) for several K, shapes and dtypes",
        stack_values,
    ),
    _hidden(
        "stack.forms", "stack", 1, "works on lists of NumPy arrays, variables and nested lists", stack_forms
    ),
    _hidden("stack.tf_function", "stack", 1, "works inside tf.function", stack_graph, **GRAPH),
)
