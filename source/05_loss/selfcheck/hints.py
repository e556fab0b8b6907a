"""Recognise common mistakes from a wrong result, and say so.

`hint(actual, expected, case)` looks at the first part of a result that differs from the
expected one and, when it matches a known mistake (a sum where a mean belongs, a flipped
sign, (N,) and (N, 1) broadcast into (N, N), float64 from NumPy, ...), returns a sentence
that names the likely cause. Hints speak of shapes, dtypes and ratios only: never of the
values of the inputs or of the expected result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .compare import compare
from .model import As, Case
from .values import Array, Raised

_RTOL = 1e-3  # how closely a pattern must hold to be recognised


def hint(actual: Any, expected: Any, case: Case | None = None) -> str | None:
    """A sentence naming the likely mistake behind a wrong result, or None."""
    if isinstance(actual, Raised) or isinstance(expected, Raised):
        return None
    if actual is None and expected is not None:
        return "it returned None: did you forget the `return`?"
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected:
            if key in actual and compare(actual[key], expected[key]):
                return hint(actual[key], expected[key], case)
        return None
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        sequence = _sequence_hint(actual, expected)
        if sequence:
            return sequence
        if len(actual) == len(expected):
            if len(expected) == 2 and not compare(actual[0], expected[1]) and not compare(actual[1], expected[0]):
                return "the two parts of the result are in the wrong order"
            for a, e in zip(actual, expected):
                if compare(a, e):
                    return hint(a, e, case)
        return None
    if isinstance(expected, Array):
        return _array_hint(actual, expected, case)
    if isinstance(expected, float):
        if isinstance(actual, Array) and actual.shape == ():
            return "it returned a tensor: the contract asks for a Python float (use float(...))"
        if isinstance(actual, float):
            return _value_hint(np.asarray(actual), np.asarray(expected), case)
    return None


def _array_hint(actual: Any, expected: Array, case: Case | None) -> str | None:
    if isinstance(actual, float) or isinstance(actual, int):
        return "it returned a Python number: the contract asks for a tf.Tensor"
    if not isinstance(actual, Array):
        return None
    if expected.kind == "variable" and actual.kind != "variable":
        return "it returned a tensor: the contract asks for the tf.Variable itself"
    if expected.kind == "tensor" and actual.kind in ("ndarray", "numpy-scalar"):
        return "it returned a NumPy value: convert the result with tf.convert_to_tensor (or stay in TensorFlow)"
    a_shape, e_shape = actual.shape, expected.shape
    if a_shape != e_shape:
        n = max(e_shape or (0,))
        if len(a_shape) == 2 and a_shape[0] == a_shape[1] == n and n > 1 and len(e_shape) <= 2 and 1 in (e_shape + (1,))[:2]:
            return (f"your result has shape {a_shape}: a ({n},) and a ({n}, 1) array were broadcast together; "
                    "make the shapes equal first (reshape)")
        if len(a_shape) == 2 and a_shape == e_shape[::-1]:
            return f"your result is transposed: shape {a_shape} instead of {e_shape}"
        if int(np.prod(a_shape)) == int(np.prod(e_shape)):
            return f"the right number of elements in the wrong shape {a_shape}: reshape to {e_shape}"
        if a_shape[1:] == e_shape[1:] and len(a_shape) > 0 and abs(a_shape[0] - e_shape[0]) == 1:
            return "one element too many or too few: a range() bound, a slice, or the wrong axis?"
        return None
    if actual.dtype != expected.dtype:
        if actual.dtype == "float64" and expected.dtype == "float32":
            return "float64 instead of float32: keep the inputs' dtype (NumPy computes in float64; cast back)"
        if actual.dtype == "float32" and expected.dtype == "float64":
            return "float32 instead of float64: do not cast to tf.float32, keep the inputs' dtype"
        if actual.data.dtype.kind in "iu" and expected.data.dtype.kind == "f":
            return "an integer dtype: the values were truncated; cast to a float dtype before dividing or averaging"
        return None
    return _value_hint(actual.data, expected.data, case)


def _value_hint(a: np.ndarray, e: np.ndarray, case: Case | None) -> str | None:
    if e.dtype.kind not in "fc" and a.dtype.kind not in "fc":
        return None
    a, e = a.astype(np.float64), e.astype(np.float64)
    if np.isnan(a).any() and not np.isnan(e).any():
        return "your result holds NaN: a division by zero, or the log or square root of a negative number?"
    if not np.isfinite(a).all() or not np.isfinite(e).all():
        return None
    if not a.any() and e.any():
        return "your result is all zeros: is something never computed, never updated, or multiplied by 0?"
    if case is not None and _equals_an_input(a, case):
        return "your result equals one of the inputs unchanged: was it ever updated?"
    if a.size == 1 and e.size == 1 and 0 <= e.item() <= 1 and np.isclose(a.item(), 1 - e.item(), atol=1e-9):
        return "your result is 1 minus the expected one: counting the misses, or labels swapped?"
    mask = np.abs(e) > 1e-9
    if mask.sum() >= 1 and np.all(np.abs(a[~mask]) < 1e-6):
        ratios = a[mask] / e[mask]
        ratio = float(np.median(ratios))
        if np.allclose(ratios, ratio, rtol=_RTOL, atol=1e-9):
            if np.isclose(ratio, -1, rtol=_RTOL):
                return "your result has the opposite sign: a sign is flipped (prediction - y or y - prediction?)"
            if np.isclose(ratio, 2, rtol=_RTOL):
                return "your result is twice the expected one: a factor 2 too many (applied twice?)"
            if np.isclose(ratio, 0.5, rtol=_RTOL):
                return "your result is half the expected one: a factor 2 is missing (the 2 in 2/N?)"
            if 2.5 < ratio <= 1e4 and np.isclose(ratio, round(ratio), rtol=_RTOL):
                return (f"your result is {round(ratio)} times the expected one: did you sum where the mean "
                        "(or divide by the count) belongs?")
            if 1e-4 <= ratio < 0.45 and np.isclose(1 / ratio, round(1 / ratio), rtol=_RTOL):
                return f"your result is 1/{round(1 / ratio)} of the expected one: did you divide by the count twice?"
            for r in (ratio, 1 / ratio if ratio else 0):
                if 1 < r < 1.5 and mask.sum() >= 2:
                    n = r * r / (r * r - 1)
                    if 2 <= n <= 500 and abs(n - round(n)) < 0.02:
                        return ("off by a factor sqrt(N/(N-1)): population standard deviation (ddof=0) and "
                                "sample standard deviation (ddof=1) mixed up?")
    if np.all(e >= 0) and np.allclose(a, np.sqrt(e), rtol=_RTOL, atol=1e-9):
        return "your result is the square root of the expected one: a root where none belongs (RMSE instead of MSE?)"
    if np.allclose(a, e * e, rtol=_RTOL, atol=1e-9):
        return "your result is the square of the expected one: squared twice?"
    diff = a - e
    if a.size > 1 and np.allclose(diff, diff.flat[0], rtol=0, atol=1e-6 + 1e-4 * np.abs(e).max()):
        return "off by the same constant everywhere: check the bias (or intercept) term"
    if a.size > 1 and np.allclose(np.sort(a, axis=None), np.sort(e, axis=None), rtol=1e-5, atol=1e-6):
        return "the right values in the wrong order: rows or columns swapped, or the wrong axis?"
    return None


def _sequence_hint(actual, expected) -> str | None:
    """Losses shifted by one step: the loss returned after the update."""
    values = [x for x in (actual, expected)]
    if not all(len(v) >= 2 for v in values) or len(actual) != len(expected):
        return None
    if not all(isinstance(x, Array) and x.shape == () for v in values for x in v):
        return None
    a = np.array([float(x.data) for x in actual])
    e = np.array([float(x.data) for x in expected])
    if np.allclose(a[:-1], e[1:], rtol=1e-4, atol=1e-7) and not np.allclose(a, e, rtol=1e-4):
        return "your losses are one step ahead: return the loss computed before the update"
    return None


def _equals_an_input(a: np.ndarray, case: Case) -> bool:
    for arg in case.args:
        data = arg.data if isinstance(arg, As) else arg
        if isinstance(data, np.ndarray) and data.shape == a.shape and data.size > 0 and data.any():
            if np.allclose(data.astype(np.float64), a, rtol=1e-6, atol=1e-9):
                return True
    return False
