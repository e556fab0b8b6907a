"""Recognise common mistakes from a wrong result, and say so, but only when it is true.

`diagnose(actual, expected, case, context)` lists every known mistake whose relation holds
between a wrong result and the expected one (a sum where a mean belongs, a flipped sign,
(N,) and (N, 1) broadcast into (N, N), float64 from NumPy, ...). A check fails on several
cases; `agreed(...)` keeps a hint only if every failing case shows it, so two cases can never
give two contradicting diagnoses. Where one result fits two causes that cannot be told apart
(twice the mean: a factor 2, or a sum of two values), the hint names both.

Hints speak of shapes, dtypes and ratios only: never of the values of the inputs or of the
expected result. They never raise: a relation that cannot be computed does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import As, Case
from .values import Array, Raised

_RTOL = 1e-3  # how closely a relation must hold to be recognised
MAX_FACTOR = 10  # the largest factor named that is not a count of the inputs
BIAS_PARAMETERS = ("b", "bias", "params")  # a function taking one of these has a bias term


@dataclass(frozen=True)
class Diagnosis:
    """A relation that holds between a wrong result and the expected one.

    `key` names the likely cause (the same key on every case where it holds); `what` states
    the relation for this case, and `general` (when `what` holds numbers of this case) the
    same relation for any case; `why` names the cause, in words true of every case. Causes
    with the same `what` cannot be told apart by this case."""

    key: str
    what: str
    why: str
    general: str = ""

    @property
    def message(self) -> str:
        return f"{self.what}: {self.why}"


@dataclass(frozen=True)
class Context:
    """What is known about the function under test: its parameter names."""

    parameters: tuple[str, ...] = ()

    @property
    def has_bias(self) -> bool:
        return any(p in BIAS_PARAMETERS for p in self.parameters)


def hint(actual: Any, expected: Any, case: Case | None = None, context: Context | None = None) -> str | None:
    """The hint for one wrong result, or None."""
    return agreed([diagnose(actual, expected, case, context)])


def agreed(per_case: Iterable[list[Diagnosis]]) -> str | None:
    """One hint that holds on every failing case (given in order), or None.

    Of the causes every case shows, the first case's most specific one is named, together
    with the others that this case cannot tell from it. Where the cases state the relation
    with different numbers ("3 times" here, "2 times" there), it is stated in general terms,
    so that the hint is true of every case it is shown with."""
    lists = list(per_case)
    if not lists or not lists[0]:
        return None
    common = set.intersection(*({d.key for d in found} for found in lists))
    chosen = [d for d in lists[0] if d.key in common]
    if not chosen:
        return None
    first = chosen[0]
    stated = {d.what for found in lists for d in found if d.key == first.key}
    what = first.what if len(stated) == 1 else first.general
    if not what:
        return None
    causes = [d.why for d in chosen if d.what == first.what]
    return f"{what}: {' or '.join(dict.fromkeys(causes))}"


def diagnose(
    actual: Any, expected: Any, case: Case | None = None, context: Context | None = None
) -> list[Diagnosis]:
    """Every known mistake whose relation holds here, most specific first; never raises."""
    try:
        with np.errstate(all="ignore"):
            return _diagnose(actual, expected, case, context or Context())
    except Exception:  # a relation that cannot be computed does not hold
        return []


def _diagnose(actual: Any, expected: Any, case: Case | None, context: Context) -> list[Diagnosis]:
    if isinstance(actual, Raised) or isinstance(expected, Raised):
        return []
    if actual is None and expected is not None:
        return [Diagnosis("none", "it returned None", "did you forget the `return`?")]
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected:
            if key in actual and not _same(actual[key], expected[key]):
                return _diagnose(actual[key], expected[key], case, context)
        return []
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        return _sequence(actual, expected, case, context)
    if isinstance(expected, Array):
        return _array(actual, expected, case, context)
    if isinstance(expected, float) and not isinstance(expected, bool):
        if isinstance(actual, Array) and actual.shape == ():
            return [
                Diagnosis(
                    "tensor-for-float",
                    "it returned a tensor",
                    "the contract asks for a Python float (use float(...))",
                )
            ]
        if isinstance(actual, float):
            return _values(np.asarray(actual), np.asarray(expected), case, context)
    return []


def _same(a: Any, e: Any) -> bool:
    from .compare import compare

    try:
        return compare(a, e) is None
    except Exception:
        return False


def _sequence(actual, expected, case: Case | None, context: Context) -> list[Diagnosis]:
    found = []
    if len(actual) == len(expected) >= 2 and all(_scalar(x) for x in (*actual, *expected)):
        a = np.array([float(x.data) for x in actual])
        e = np.array([float(x.data) for x in expected])
        if np.allclose(a[:-1], e[1:], rtol=1e-4, atol=1e-7) and not np.allclose(a, e, rtol=1e-4):
            found.append(
                Diagnosis(
                    "losses-ahead",
                    "your losses are one step ahead",
                    "return the loss computed before the update",
                )
            )
        if np.allclose(a, a[0], rtol=1e-6, atol=0) and not np.allclose(e, e[0], rtol=1e-4, atol=0):
            found.append(
                Diagnosis(
                    "never-updated",
                    "the loss is the same at every step",
                    "the tf.Variables are never updated: `w = w - lr * dw` only rebinds a "
                    "name; update them in place with w.assign_sub(lr * dw)",
                )
            )
        if found:
            return found
    if len(actual) != len(expected):
        return []
    if (
        len(expected) == 2
        and _same(actual[0], expected[1])
        and _same(actual[1], expected[0])
        and not _same(actual[0], expected[0])
    ):
        return [
            Diagnosis(
                "swapped-pair",
                "the two parts of the result are in the wrong order",
                "return them in the order the contract gives",
            )
        ]
    for a, e in zip(actual, expected):
        if not _same(a, e):
            return _diagnose(a, e, case, context)
    return []


def _scalar(x: Any) -> bool:
    return isinstance(x, Array) and x.shape == () and x.data.dtype.kind in "fiu"


def _array(actual: Any, expected: Array, case: Case | None, context: Context) -> list[Diagnosis]:
    if isinstance(actual, (float, int)) and not isinstance(actual, bool):
        return [
            Diagnosis("number-for-tensor", "it returned a Python number", "the contract asks for a tf.Tensor")
        ]
    if not isinstance(actual, Array):
        return []
    if expected.kind == "variable" and actual.kind != "variable":
        return [
            Diagnosis(
                "tensor-for-variable", "it returned a tensor", "the contract asks for the tf.Variable itself"
            )
        ]
    if expected.kind == "tensor" and actual.kind in ("ndarray", "numpy-scalar"):
        return [
            Diagnosis(
                "numpy-for-tensor",
                "it returned a NumPy value",
                "convert the result with tf.convert_to_tensor (or stay in TensorFlow)",
            )
        ]
    if actual.shape != expected.shape:
        return _shape(actual.shape, expected.shape, case)
    a, e = actual.data, expected.data
    if actual.dtype != expected.dtype:
        dtype = _dtype(a, e)
        if dtype:
            return dtype
    return _values(a, e, case, context)


def _shape(a_shape: tuple, e_shape: tuple, case: Case | None) -> list[Diagnosis]:
    size_a, size_e = int(np.prod(a_shape)), int(np.prod(e_shape))
    n = e_shape[0] if len(e_shape) >= 1 else 0
    if len(a_shape) == 2 and n > 1 and a_shape == (n, n) and e_shape in ((n,), (n, 1), (1, n)):
        return [
            Diagnosis(
                "broadcast",
                f"your result has shape {a_shape}",
                "an (N,) and an (N, 1) array were broadcast together; make the shapes equal first (reshape)",
                general="your result has shape (N, N)",
            )
        ]
    if e_shape == () and a_shape != ():
        return [
            Diagnosis(
                "array-for-scalar",
                f"your result has shape {a_shape}, not a scalar",
                "reduce over every element (e.g. tf.reduce_mean without an axis)",
                general="your result is not a scalar",
            )
        ]
    if a_shape == () and e_shape != ():
        return [
            Diagnosis(
                "scalar-for-array",
                f"your result is a single number where shape {e_shape} is expected",
                "a reduction too many, or over every axis instead of one?",
                general="your result is a single number where an array is expected",
            )
        ]
    axis = _wrong_axis(a_shape, e_shape, case)
    if axis:
        return [axis]
    if len(a_shape) == 2 and a_shape == e_shape[::-1]:
        return [
            Diagnosis(
                "transposed",
                f"your result is transposed: shape {a_shape} instead of {e_shape}",
                "swap the operands or transpose",
                general="your result is transposed",
            )
        ]
    if size_a == size_e:
        return [
            Diagnosis(
                "reshaped",
                f"the right number of elements in the wrong shape {a_shape}",
                "reshape to the expected shape",
                general="the right number of elements in the wrong shape",
            )
        ]
    if len(a_shape) == len(e_shape) >= 1 and a_shape[1:] == e_shape[1:] and abs(a_shape[0] - e_shape[0]) == 1:
        return [Diagnosis("one-off", "one element too many or too few", "a range() bound or a slice?")]
    return []


def _wrong_axis(a_shape: tuple, e_shape: tuple, case: Case | None) -> Diagnosis | None:
    """A reduction of a 2-D input over the other axis: (R, C) reduced to (R,) instead of (C,)."""
    if case is None or len(a_shape) != 1 or len(e_shape) != 1:
        return None
    for data in _arrays(case):
        if data.ndim == 2 and data.shape[0] != data.shape[1]:
            rows, columns = data.shape
            if (a_shape, e_shape) in (((rows,), (columns,)), ((columns,), (rows,))):
                return Diagnosis(
                    "wrong-axis",
                    f"your result has shape {a_shape} instead of {e_shape}",
                    "reduced over the wrong axis (axis=0 runs down the columns, axis=1 along the rows)",
                    general="your result has the length of the other axis",
                )
    return None


def _dtype(a: np.ndarray, e: np.ndarray) -> list[Diagnosis]:
    """A hint about the dtype, only when the dtype is the whole difference (or, for integers,
    when the values are the expected ones truncated)."""
    a_name, e_name = np.dtype(a.dtype).name, np.dtype(e.dtype).name
    if a.dtype.kind in "iu" and e.dtype.kind == "f":
        ef = e.astype(np.float64)
        if np.array_equal(a.astype(np.float64), np.trunc(ef)) or np.array_equal(
            a.astype(np.float64), np.floor(ef)
        ):
            return [
                Diagnosis(
                    "truncated",
                    "an integer dtype with the values truncated",
                    "cast to a float dtype before dividing or averaging",
                )
            ]
        return []
    if a.dtype.kind != "f" or e.dtype.kind != "f":
        return []
    from .compare import TOLERANCES

    loose = max(
        (TOLERANCES.get(n) for n in (a_name, e_name) if n in TOLERANCES), key=lambda t: t.rtol, default=None
    )
    if loose is None or not _close(a.astype(np.float64), e.astype(np.float64), loose.rtol, loose.atol):
        return []
    if a_name == "float64" and e_name == "float32":
        return [
            Diagnosis(
                "float64",
                "float64 instead of float32 (the values are right)",
                "keep the inputs' dtype (NumPy computes in float64; cast back)",
            )
        ]
    if a_name == "float32" and e_name == "float64":
        return [
            Diagnosis(
                "float32",
                "float32 instead of float64 (the values are right)",
                "something converts to float32 (a cast, a float32 constant, a Keras function); "
                "keep the inputs' dtype",
            )
        ]
    return [
        Diagnosis("dtype", f"{a_name} instead of {e_name} (the values are right)", "keep the inputs' dtype")
    ]


def _close(a: np.ndarray, e: np.ndarray, rtol: float, atol: float) -> bool:
    return bool(np.all(np.isfinite(a) == np.isfinite(e))) and bool(
        np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    )


def _values(a: np.ndarray, e: np.ndarray, case: Case | None, context: Context) -> list[Diagnosis]:
    if a.shape != e.shape or a.dtype.kind not in "fiu" or e.dtype.kind not in "fiu":
        return []
    if e.dtype.kind not in "f" and a.dtype.kind not in "f":
        return []
    a, e = a.astype(np.float64), e.astype(np.float64)
    if np.isnan(a).any() and not np.isnan(e).any():
        return [
            Diagnosis(
                "nan",
                "your result holds NaN",
                "a division by zero, or the log or square root of a negative number?",
            )
        ]
    if not np.isfinite(a).all() or not np.isfinite(e).all() or a.size == 0:
        return []
    found: list[Diagnosis] = []
    if not a.any() and e.any():
        found.append(
            Diagnosis(
                "zeros",
                "your result is all zeros",
                "is something never computed, never updated, or multiplied by 0?",
            )
        )
    unchanged = _unchanged_input(a, e, case)
    if unchanged:
        found.append(unchanged)
    if (
        a.size == 1
        and 0 <= e.item() <= 1
        and e.item() != 0.5
        and np.isclose(a.item(), 1 - e.item(), atol=1e-9)
    ):
        found.append(
            Diagnosis(
                "complement",
                "your result is 1 minus the expected one",
                "counting the misses, or labels swapped?",
            )
        )
    found += _ratio(a, e, case)
    nonnegative = bool(np.all(e >= 0))
    interesting = bool(np.any((e != 0) & (e != 1)))
    if nonnegative and interesting and np.allclose(a, np.sqrt(e), rtol=_RTOL, atol=1e-9):
        found.append(
            Diagnosis(
                "root",
                "your result is the square root of the expected one",
                "a root where none belongs (RMSE instead of MSE?)",
            )
        )
    if interesting and np.allclose(a, e * e, rtol=_RTOL, atol=1e-9) and not np.allclose(a, e, rtol=_RTOL):
        found.append(Diagnosis("square", "your result is the square of the expected one", "squared twice?"))
    diff = a - e
    if (
        context.has_bias
        and a.size > 1
        and diff.flat[0] != 0
        and np.allclose(diff, diff.flat[0], rtol=0, atol=1e-6 + 1e-4 * np.abs(e).max())
    ):
        found.append(Diagnosis("offset", "off by the same constant everywhere", "check the bias term"))
    if (
        a.size > 1
        and not np.allclose(a, e, rtol=1e-5, atol=1e-6)
        and np.allclose(np.sort(a, axis=None), np.sort(e, axis=None), rtol=1e-5, atol=1e-6)
    ):
        found.append(
            Diagnosis(
                "order", "the right values in the wrong order", "rows or columns swapped, or the wrong axis?"
            )
        )
    return found


def _ratio(a: np.ndarray, e: np.ndarray, case: Case | None) -> list[Diagnosis]:
    """Relations a = r * e with one constant r for every element."""
    mask = np.abs(e) > 1e-9
    if not mask.any() or not np.all(np.abs(a[~mask]) < 1e-6):
        return []
    ratios = a[mask] / e[mask]
    r = float(np.median(ratios))
    if r == 0 or not np.allclose(ratios, r, rtol=_RTOL, atol=1e-9) or np.isclose(r, 1, rtol=_RTOL):
        return []
    counts = _counts(case)
    what = _ratio_text(r)  # the numbers of this case: `general` states the relation for any case
    found = []
    if np.isclose(r, -1, rtol=_RTOL):
        found.append(
            Diagnosis(
                "sign",
                "your result has the opposite sign",
                "a sign is flipped (prediction - y or y - prediction?)",
            )
        )
    if np.isclose(r, 2, rtol=_RTOL):
        found.append(Diagnosis("times-2", what, "a factor 2 too many (applied twice?)"))
    if np.isclose(r, 0.5, rtol=_RTOL):
        found.append(Diagnosis("half", what, "a factor 2 is missing (the 2 in 2/N?)"))
    # A factor that is a count of the inputs (a sum for a mean); any other factor only when
    # small: a large one would give away the expected value to whoever knows the result.
    k = round(r) if r >= 1 else 0
    if k >= 2 and np.isclose(r, k, rtol=_RTOL):
        if k in counts:
            found.append(
                Diagnosis(
                    "sum-for-mean",
                    what,
                    "a sum where the mean (a division by the count) belongs",
                    general="your result is the expected one times the number of values",
                )
            )
        elif 2 < k <= MAX_FACTOR:
            found.append(
                Diagnosis(
                    "scaled",
                    what,
                    "an extra factor in the formula",
                    general="your result is a whole multiple of the expected one",
                )
            )
    inverse = round(1 / r) if 0 < r < 1 else 0
    if inverse >= 2 and np.isclose(1 / r, inverse, rtol=_RTOL):
        if inverse in counts:
            found.append(
                Diagnosis(
                    "mean-twice",
                    what,
                    "divided by the count twice?",
                    general="your result is the expected one divided by the number of values",
                )
            )
        elif 2 < inverse <= MAX_FACTOR:
            found.append(
                Diagnosis(
                    "scaled",
                    what,
                    "a factor missing from the formula",
                    general="your result is a whole fraction of the expected one",
                )
            )
    for n in sorted(counts):
        factor = np.sqrt(n / (n - 1))
        if np.isclose(r, factor, rtol=1e-5) or np.isclose(r, 1 / factor, rtol=1e-5):
            found.append(
                Diagnosis(
                    "ddof",
                    f"off by a factor sqrt({n}/({n}-1))",
                    "population standard deviation (ddof=0) and sample standard deviation (ddof=1) mixed up?",
                    general="off by a factor sqrt(N/(N-1))",
                )
            )
            break
    return found


def _ratio_text(r: float) -> str:
    if np.isclose(r, 2, rtol=_RTOL):
        return "your result is twice the expected one"
    if np.isclose(r, 0.5, rtol=_RTOL):
        return "your result is half the expected one"
    if r >= 1 and np.isclose(r, round(r), rtol=_RTOL):
        return f"your result is {round(r)} times the expected one"
    if 0 < r < 1 and np.isclose(1 / r, round(1 / r), rtol=_RTOL):
        return f"your result is 1/{round(1 / r)} of the expected one"
    return f"your result is {r:.3g} times the expected one"


def _counts(case: Case | None) -> set[int]:
    """Every dimension and size of the case's array inputs: what a sum or mean runs over."""
    counts: set[int] = set()
    for data in _arrays(case):
        counts.update(int(n) for n in data.shape)
        counts.add(int(data.size))
        if data.ndim >= 2:
            counts.add(int(np.prod(data.shape[1:])))
    return {n for n in counts if n >= 2}


def _arrays(case: Case | None) -> list[np.ndarray]:
    if case is None:
        return []
    found = []
    for arg in (*case.args, *case.kwargs.values()):
        data = arg.data if isinstance(arg, As) else arg
        if isinstance(data, np.ndarray) and data.dtype.kind in "fiub":
            found.append(data)
    return found


def _unchanged_input(a: np.ndarray, e: np.ndarray, case: Case | None) -> Diagnosis | None:
    for data in _arrays(case):
        if data.shape == a.shape and data.size > 0 and data.any():
            d = data.astype(np.float64)
            if np.allclose(d, a, rtol=1e-6, atol=1e-9) and not np.allclose(d, e, rtol=1e-6, atol=1e-9):
                return Diagnosis(
                    "unchanged",
                    "your result equals one of the inputs unchanged",
                    "was it ever updated? (`w = w - lr * dw` only rebinds a name; a tf.Variable is "
                    "updated in place with w.assign_sub(lr * dw))",
                )
    return None
