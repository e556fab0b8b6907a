"""Hidden checks of 04_data: the submission against the reference on fresh tables, files
and splits, including the kit's own admissions.csv."""

from __future__ import annotations

import numpy as np

from graders.checks.admissions import HEADER, admissions_csv
from graders.checks.define import hidden_checks_of
from graders.checks.draw import FLOATS, label, normal
from selfcheck.model import As, Case

A = "04_data"
ALL_FORMS = ("tensor", "numpy", "list", "variable")
FORM_NAMES = {"tensor": "tensor", "numpy": "NumPy array", "variable": "variable", "list": "Python list"}


def _in_form(kind: str, dtype, **shapes: tuple) -> str:
    """'float64 NumPy array, features (5, 3)'; lists have no dtype (TensorFlow reads float32)."""
    parts = [FORM_NAMES[kind] if kind == "list" else f"{np.dtype(dtype).name} {FORM_NAMES[kind]}"]
    return ", ".join(parts + [f"{name} {tuple(shape)}" for name, shape in shapes.items()])


def _arguments(rng, arrays: tuple, forms=ALL_FORMS, **shapes: tuple) -> tuple[tuple, str]:
    """Every array in one form drawn from `forms` (so that their dtypes agree), and the label."""
    kind = str(rng.choice(forms))
    return tuple(As(kind, a) for a in arrays), _in_form(kind, arrays[0].dtype, **shapes)


# load_table ----------------------------------------------------------------------------


def _csv_text(rng, n: int, decimals: bool, final_newline: bool = True) -> str:
    ages = rng.integers(16, 40, size=n)
    marks = rng.integers(150, 501, size=(n, 2))
    admitted = rng.integers(0, 2, size=n)
    if decimals:
        marks = np.round(rng.uniform(150, 500, size=(n, 2)), 2)
    lines = [HEADER] + [f"{a},{m[0]:g},{m[1]:g},{y}" for a, m, y in zip(ages, marks, admitted)]
    return "\n".join(lines) + ("\n" if final_newline else "")


def load_table_shipped(rng):
    text = admissions_csv()
    rows = text.count("\n") - 1
    return [Case(args=(text,), label=f"the kit's admissions.csv, ({rows}, 4)")]


def load_table_values(rng):
    cases = []
    for decimals, final_newline in ((False, True), (True, True), (False, False), (True, False)):
        n = int(rng.integers(2, 40))
        kind = "decimal" if decimals else "whole-number"
        ending = "" if final_newline else ", no final newline"
        cases.append(
            Case(
                args=(_csv_text(rng, n, decimals, final_newline),),
                label=f"a CSV file ({n}, 4) of {kind} values{ending}",
            )
        )
    return cases


def load_table_one_row(rng):
    return [
        Case(
            args=(_csv_text(rng, 1, decimals, final),),
            label=f"a CSV file (1, 4){'' if final else ', no final newline'}",
        )
        for decimals, final in ((False, True), (True, False))
    ]


# split_features_labels -----------------------------------------------------------------


def split_values(rng):
    cases = []
    for dtype in FLOATS * 2:
        n, c = int(rng.integers(1, 12)), int(rng.integers(2, 7))
        args, text = _arguments(rng, (normal(rng, (n, c), dtype, 10.0),), table=(n, c))
        cases.append(Case(args=args, label=text))
    return cases


def split_graph(rng):
    return [Case(args=(As("tensor", normal(rng, (5, 4), d)),), label=label(d, table=(5, 4))) for d in FLOATS]


# standardize ---------------------------------------------------------------------------


def _features(rng, n: int, f: int, dtype) -> np.ndarray:
    """Columns with their own scale and an offset of up to 10 times it, like ages and marks."""
    scale = rng.uniform(0.5, 60.0, size=f)
    offset = rng.uniform(-10.0, 10.0, size=f) * scale
    return (rng.standard_normal((n, f)) * scale + offset).astype(dtype)


def standardize_values(rng):
    cases = []
    for dtype in FLOATS * 2:
        n, f = int(rng.integers(2, 30)), int(rng.integers(1, 5))
        args, text = _arguments(rng, (_features(rng, n, f, dtype),), features=(n, f))
        cases.append(Case(args=args, label=text))
    return cases


def standardize_constant(rng):
    cases = []
    for dtype in FLOATS:
        n, f = int(rng.integers(3, 12)), 3
        x = _features(rng, n, f, dtype)
        column = int(rng.integers(0, f))
        x[:, column] = float(rng.integers(15, 25))
        cases.append(
            Case(args=(As("tensor", x),), label=f"{label(dtype, features=(n, f))}, one constant column")
        )
    row = np.round(_features(rng, 1, 3, np.float32))
    cases.append(Case(args=(As("tensor", row),), label="float32, features (1, 3): every column constant"))
    return cases


def standardize_graph(rng):
    cases = []
    for dtype in FLOATS:
        x = _features(rng, 6, 3, dtype)
        x[:, 1] = 18.0
        cases.append(
            Case(args=(As("tensor", x),), label=f"{label(dtype, features=(6, 3))}, one constant column")
        )
    return cases


# apply_standardize ---------------------------------------------------------------------


def _apply_case(rng, dtype, n: int, f: int, forms=ALL_FORMS) -> Case:
    """features, mean and std, all three in the same form."""
    x = _features(rng, n, f, dtype)
    mean = rng.uniform(-50.0, 400.0, size=f).astype(dtype)
    std = rng.uniform(0.5, 60.0, size=f).astype(dtype)
    args, text = _arguments(rng, (x, mean, std), forms, features=(n, f))
    return Case(args=args, label=text)


def apply_values(rng):
    return [
        _apply_case(rng, dtype, int(rng.integers(1, 20)), int(rng.integers(1, 5))) for dtype in FLOATS * 3
    ]


def apply_graph(rng):
    return [_apply_case(rng, d, 5, 3, ("tensor",)) for d in FLOATS]


# train_test_split ----------------------------------------------------------------------


def _split_case(rng, dtype, n: int, f: int, fraction: float, forms=("tensor", "numpy", "list")) -> Case:
    x = normal(rng, (n, f), dtype)
    y = rng.integers(0, 2, size=n).astype(dtype)
    seed = int(rng.integers(0, 100_000))
    (xa, ya), text = _arguments(rng, (x, y), forms, features=(n, f), labels=(n,))
    return Case(args=(xa, ya, fraction, seed), label=text)


def split_train_test_values(rng):
    cases = []
    for dtype, fraction in ((np.float32, 0.25), (np.float64, 0.2), (np.float32, 0.5), (np.float64, 0.3)):
        cases.append(_split_case(rng, dtype, int(rng.integers(6, 40)), int(rng.integers(1, 4)), fraction))
    return cases


def split_train_test_rounding(rng):
    # N * test_fraction just below a whole number (100 * 0.29 = 28.999...), and x.5
    return [
        _split_case(rng, dtype, n, 2, fraction)
        for dtype, n, fraction in ((np.float32, 100, 0.29), (np.float64, 50, 0.58), (np.float32, 10, 0.15))
    ]


def split_train_test_ends(rng):
    return [_split_case(rng, np.float32, int(rng.integers(3, 9)), 2, fraction) for fraction in (0.0, 1.0)]


# make_batches --------------------------------------------------------------------------


def _batches_case(rng, dtype, n: int, f: int, batch_size: int, forms=ALL_FORMS, what: str = "") -> Case:
    x = normal(rng, (n, f), dtype)
    y = rng.integers(0, 2, size=n).astype(dtype)
    (xa, ya), text = _arguments(rng, (x, y), forms, features=(n, f), labels=(n,))
    return Case(args=(xa, ya, batch_size), options={"limit": n + 2}, label=text + what)


def batches_values(rng):
    cases = []
    for dtype in FLOATS * 2:
        n, f, b = int(rng.integers(5, 30)), int(rng.integers(1, 4)), int(rng.integers(2, 7))
        cases.append(_batches_case(rng, dtype, n, f, b))
    return cases


def batches_edges(rng):
    return [
        _batches_case(rng, np.float32, 7, 2, 10, what=", batch_size larger than N"),
        _batches_case(rng, np.float64, 12, 3, 4, what=", N a multiple of batch_size"),
        _batches_case(rng, np.float32, 4, 2, 1, what=", one row per batch"),
        _batches_case(rng, np.float64, 9, 1, 4, what=", a last batch of one row"),
    ]


_hidden = hidden_checks_of(A)


# z-scores subtract a mean computed with rounding error (about |mean| * N * eps) and divide
# by the std; results near 0 are then off by up to |mean| / std * N * eps in absolute terms.
# With |mean| <= 10 std and N < 30 that stays under 10x the float32 row of the table, so
# the standardize checks widen the tolerances 10x: float32 and float64 computations, and
# sums in any order, all pass, while N - 1 against N (a 2% difference or more) still fails.
STANDARDIZE_TOLERANCE = 10.0

CHECKS = (
    _hidden(
        "load_table.shipped",
        "load_table",
        1,
        "the kit's admissions.csv, every row",
        load_table_shipped,
        protocol="load_table_from_text",
    ),
    _hidden(
        "load_table.values",
        "load_table",
        2,
        "CSV files of several sizes, whole and decimal values, with and without a final newline",
        load_table_values,
        protocol="load_table_from_text",
    ),
    _hidden(
        "load_table.one_row",
        "load_table",
        1,
        "a file with a single data row gives shape (1, 4)",
        load_table_one_row,
        protocol="load_table_from_text",
    ),
    _hidden(
        "split_features_labels.values",
        "split_features_labels",
        2,
        "features (N, C - 1) and labels (N,) for several shapes, float32 and float64, all input forms",
        split_values,
    ),
    _hidden(
        "split_features_labels.tf_function",
        "split_features_labels",
        1,
        "works inside tf.function",
        split_graph,
        protocol="call_in_tf_function",
    ),
    _hidden(
        "standardize.values",
        "standardize",
        2,
        "scaled features, mean and population std for several shapes, float32 and float64",
        standardize_values,
        tolerance_scale=STANDARDIZE_TOLERANCE,
    ),
    _hidden(
        "standardize.constant_column",
        "standardize",
        1,
        "a constant column gets std 1.0 and is only centred",
        standardize_constant,
        tolerance_scale=STANDARDIZE_TOLERANCE,
    ),
    _hidden(
        "standardize.tf_function",
        "standardize",
        1,
        "works inside tf.function, constant column included",
        standardize_graph,
        protocol="call_in_tf_function",
        tolerance_scale=STANDARDIZE_TOLERANCE,
    ),
    _hidden(
        "apply_standardize.values",
        "apply_standardize",
        2,
        "(features - mean) / std for several shapes, float32 and float64, all input forms",
        apply_values,
    ),
    _hidden(
        "apply_standardize.tf_function",
        "apply_standardize",
        1,
        "works inside tf.function",
        apply_graph,
        protocol="call_in_tf_function",
    ),
    _hidden(
        "train_test_split.values",
        "train_test_split",
        2,
        "the contract's permutation for several sizes, fractions and seeds",
        split_train_test_values,
    ),
    _hidden(
        "train_test_split.rounding",
        "train_test_split",
        1,
        "n_test = int(N * test_fraction), rounded down",
        split_train_test_rounding,
    ),
    _hidden(
        "train_test_split.empty_part",
        "train_test_split",
        1,
        "test_fraction 0 and 1: one of the two parts is empty",
        split_train_test_ends,
    ),
    _hidden(
        "make_batches.values",
        "make_batches",
        2,
        "(x, y) batches in row order for several sizes, float32 and float64, all input forms",
        batches_values,
        protocol="dataset_batches",
    ),
    _hidden(
        "make_batches.partial_batch",
        "make_batches",
        1,
        "the last smaller batch is kept; batch sizes 1 and larger than N",
        batches_edges,
        protocol="dataset_batches",
    ),
)

# The files this assignment ships next to its notebook and its stub: name -> content.
DATA_FILES = {"admissions.csv": admissions_csv}
