"""Protocols of 01_tensors: the result of a call, and its values on their own, so that a
check can grade the values (whatever the type and dtype) apart from the type and dtype."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..model import Case
from ..values import Array, normalize
from .core import materialize, protocol


def _values(result: Any) -> Any:
    """The numbers of an array-like result as a float64 NumPy array of the same shape;
    anything else is passed on as it is (and will not match an array)."""
    if isinstance(result, Array) and result.data.dtype.kind in "biuf":
        return Array("ndarray", result.data.astype(np.float64))
    return result


def _parts(result: Any) -> dict:
    return {"result": result, "values": _values(result)}


@protocol
def call_with_values(fn: Callable, case: Case) -> Any:
    """fn(*args, **kwargs) eagerly: "result" is what it returned, "values" its numbers
    as float64 (compare "values" to grade the numbers and shape only)."""
    args = materialize(case.args)
    kwargs = {k: materialize(v) for k, v in case.kwargs.items()}
    return _parts(normalize(fn(*args, **kwargs)))
