"""Compare a result with the expected one: kind, then shape, then dtype, then values.

Messages say what differs (which part of the result, its shape or dtype, how many elements,
the largest absolute and relative difference and where) but never print a value of the
expected result or of the inputs, so hidden checks can use them safely.

Tolerances depend on the expected dtype (``TOLERANCES``); a check may widen them for a
computation that accumulates rounding error (a training loop, say). Two values a and e are
close when |a - e| <= atol + rtol * |e|; NaN only matches NaN, and an infinity only the
same infinity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .values import Array, Opaque, Raised, type_label


@dataclass(frozen=True)
class Tolerance:
    """Allowed difference: |actual - expected| <= atol + rtol * |expected|."""

    rtol: float
    atol: float


# Keyed by the expected dtype. The float32 and float64 rows cover rounding differences
# between correct implementations (other op order, fused kernels, another device with
# TF32 disabled); see README "Tolerances" for where each number comes from.
TOLERANCES: dict[str, Tolerance] = {
    "float16": Tolerance(rtol=1e-3, atol=1e-5),
    "bfloat16": Tolerance(rtol=1.6e-2, atol=1e-5),
    "float32": Tolerance(rtol=1e-5, atol=1e-6),
    "float64": Tolerance(rtol=1e-7, atol=1e-9),
    # A Python float is usually computed in float32 or float64 and then converted.
    "python-float": Tolerance(rtol=1e-5, atol=1e-8),
}

# On a GPU, float32 matmuls may run in TF32 (10-bit mantissa, about 1e-3 relative error)
# where TF32 cannot be switched off, and reductions may add in another order on every run.
# GPU results are held to this table; the CPU, always graded too, keeps the tight one.
GPU_TOLERANCES: dict[str, Tolerance] = {
    **TOLERANCES,
    "float32": Tolerance(rtol=2e-3, atol=1e-3),
    "float64": Tolerance(rtol=1e-7, atol=1e-9),
}


def tolerance_for(dtype: str, scale: float = 1.0, table: dict[str, Tolerance] | None = None) -> Tolerance:
    """The tolerance for an expected dtype, multiplied by `scale` (1 for most checks)."""
    base = (table or TOLERANCES).get(dtype)
    if base is None:
        return Tolerance(0.0, 0.0)
    return Tolerance(base.rtol * scale, base.atol * scale)


def compare(
    actual: Any,
    expected: Any,
    scale: float = 1.0,
    where: str = "the result",
    table: dict[str, Tolerance] | None = None,
) -> str | None:
    """None when `actual` matches `expected`, else one sentence saying what differs.

    Both are plain value trees (selfcheck.values.normalize). `scale` widens every
    tolerance by that factor; `where` names the part being compared in the message.
    """
    if isinstance(expected, Raised):
        if isinstance(actual, Raised):
            if expected.type in actual.types:
                return None
            return f"{where}: raised {actual.type}, expected {expected.type}"
        return f"{where}: returned {type_label(actual)}, expected it to raise {expected.type}"
    if isinstance(actual, Raised):
        return f"{where}: raised {actual.type}: {actual.message}"
    if isinstance(expected, Array):
        return _compare_arrays(actual, expected, scale, where, table)
    if isinstance(expected, (tuple, list)):
        if not isinstance(actual, (tuple, list)):
            return f"{where}: got {type_label(actual)}, expected a tuple of {len(expected)}"
        if len(actual) != len(expected):
            return f"{where}: got {len(actual)} items, expected {len(expected)}"
        for index, (a, e) in enumerate(zip(actual, expected)):
            problem = compare(a, e, scale, f"{where}[{index}]", table)
            if problem:
                return problem
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: got {type_label(actual)}, expected a dict"
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing keys {missing}")
            if extra:
                parts.append(f"unexpected keys {extra}")
            return f"{where}: " + " and ".join(parts)
        for key in expected:
            problem = compare(actual[key], expected[key], scale, f"{where}[{key!r}]", table)
            if problem:
                return problem
        return None
    if isinstance(expected, float):
        if not isinstance(actual, float):
            return f"{where}: got {type_label(actual)}, expected a Python float"
        return _compare_values(
            np.asarray(actual), np.asarray(expected), tolerance_for("python-float", scale), where
        )
    if isinstance(expected, (bool, int, str)) or expected is None:
        if type(actual) is not type(expected):
            return f"{where}: got {type_label(actual)}, expected {type_label(expected)}"
        if actual != expected:
            return f"{where}: has the wrong value"
        return None
    if isinstance(expected, Opaque):
        return (
            None
            if isinstance(actual, Opaque) and actual.type == expected.type
            else (f"{where}: got {type_label(actual)}, expected {type_label(expected)}")
        )
    raise TypeError(f"cannot compare with an expected value of type {type(expected).__name__}")


def _compare_arrays(
    actual: Any, expected: Array, scale: float, where: str, table: dict[str, Tolerance] | None
) -> str | None:
    if not isinstance(actual, Array) or not _kind_accepted(actual.kind, expected.kind):
        return f"{where}: got {type_label(actual)}, expected {type_label(expected)}"
    if actual.shape != expected.shape:
        return f"{where}: shape {actual.shape}, expected {expected.shape}"
    if actual.dtype != expected.dtype:
        return f"{where}: dtype {actual.dtype}, expected {expected.dtype}"
    return _compare_values(actual.data, expected.data, tolerance_for(expected.dtype, scale, table), where)


def _kind_accepted(actual: str, expected: str) -> bool:
    # A tf.Variable is a tensor too; a tf.Variable is asked for only where it must be one.
    if expected == "tensor":
        return actual in ("tensor", "variable")
    return actual == expected


def _compare_values(actual: np.ndarray, expected: np.ndarray, tol: Tolerance, where: str) -> str | None:
    if expected.dtype.kind in "iub" or expected.dtype.kind in "SU":
        wrong = actual != expected
        if not wrong.any():
            return None
        return f"{where}: {_count(wrong)} wrong (exact match required for {expected.dtype.name})"
    # complex values are compared as complex numbers (the distance is |a - e|), others as float64
    wide = np.complex128 if "c" in (actual.dtype.kind, expected.dtype.kind) else np.float64
    a = actual.astype(wide)
    e = expected.astype(wide)
    both_nan = np.isnan(a) & np.isnan(e)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - e)
        same_inf = np.isinf(a) & np.isinf(e) & (a == e)
        finite = np.isfinite(a) & np.isfinite(e)
        close = (a == e) | (finite & (diff <= tol.atol + tol.rtol * np.abs(e))) | both_nan | same_inf
    wrong = ~close
    if not wrong.any():
        return None
    details = [f"{where}: {_count(wrong)} outside the tolerance"]
    if np.isnan(a[wrong]).any() or np.isnan(e[wrong]).any():
        details.append(f"{int((np.isnan(a) & ~np.isnan(e)).sum())} NaN where a number was expected")
    measurable = wrong & np.isfinite(diff)
    if measurable.any():
        abs_err = np.where(measurable, diff, -1.0)
        i_abs = np.unravel_index(int(np.argmax(abs_err)), a.shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            rel = np.where(measurable, diff / np.abs(e), -1.0)
        i_rel = np.unravel_index(int(np.argmax(rel)), a.shape)
        details.append(
            f"greatest absolute difference {_fmt(abs_err[i_abs])}{_at(i_abs)} "
            f"(up to {_fmt(tol.atol)} allowed), greatest relative difference "
            f"{_fmt(rel[i_rel])}{_at(i_rel)} (up to {_fmt(tol.rtol)} allowed)"
        )
    return "; ".join(details)


def _count(mask: np.ndarray) -> str:
    total = mask.size
    bad = int(mask.sum())
    if total == 1:
        return "the value is" if bad else "no value is"
    return f"{bad} / {total} elements ({100.0 * bad / total:.1f}%) are"


def _at(index: tuple[int, ...]) -> str:
    return f" at index {tuple(int(i) for i in index)}" if index else ""


def _fmt(x: float) -> str:
    return "inf" if np.isinf(x) else f"{x:.3g}"
