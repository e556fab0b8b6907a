"""Short ways to write expected values in public checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from .values import Array, Raised


def f32(values: Any) -> np.ndarray:
    """A float32 NumPy array of `values` (the inputs of a worked example)."""
    return np.asarray(values, dtype=np.float32)


def f64(values: Any) -> np.ndarray:
    """A float64 NumPy array of `values`."""
    return np.asarray(values, dtype=np.float64)


def tensor(values: Any, dtype: str) -> Array:
    """A tf.Tensor with these values and dtype is expected."""
    return Array("tensor", np.asarray(values, dtype=dtype))


def variable(values: Any, dtype: str) -> Array:
    """A tf.Variable with these values and dtype is expected."""
    return Array("variable", np.asarray(values, dtype=dtype))


def raises(error_type: str) -> Raised:
    """The call must raise this exception type (or a subclass of it)."""
    return Raised((error_type,), "")
