"""Plain values: what a function returned, reduced to data that can be compared and sent
between processes.

Every result is normalised into a tree of Python scalars, strings, None, tuples, lists,
dicts with string keys, ``Array`` (a NumPy array plus the kind of object it came from),
``Raised`` (the function raised) and ``Opaque`` (an object of another type). Nothing in
the tree refers back to the code that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

ARRAY_KINDS = ("tensor", "variable", "ndarray", "numpy-scalar")


@dataclass(frozen=True)
class Array:
    """An array-valued result: `kind` says what the function returned (a tf.Tensor, a
    tf.Variable, a NumPy array or a NumPy scalar), `data` holds its values."""

    kind: str
    data: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.data.shape)

    @property
    def dtype(self) -> str:
        return dtype_name(self.data.dtype)

    @property
    def real(self) -> bool:
        """Whether its values are real numbers (not complex, not strings), as a judge that
        computes with them needs."""
        return self.data.dtype.kind in "biuf" or self.dtype == "bfloat16"


@dataclass(frozen=True)
class Raised:
    """The call raised: `types` is the exception's class and its bases, most specific
    first (e.g. ("ValueError", "Exception", "BaseException"))."""

    types: tuple[str, ...]
    message: str

    @property
    def type(self) -> str:
        return self.types[0]


@dataclass(frozen=True)
class Opaque:
    """A result of a type that has no plain form (a function, a generator, ...)."""

    type: str


def dtype_name(dtype: Any) -> str:
    """The TensorFlow-style name of a NumPy dtype ("float32", "bfloat16", "bool", "string", ...)."""
    dtype = np.dtype(dtype)
    return "string" if dtype.kind in "SU" else dtype.name


def type_label(value: Any) -> str:
    """A short human name for the kind of a plain value, for messages."""
    if isinstance(value, Array):
        return {
            "tensor": "a tf.Tensor",
            "variable": "a tf.Variable",
            "ndarray": "a NumPy array",
            "numpy-scalar": "a NumPy scalar",
        }[value.kind]
    if isinstance(value, Raised):
        return f"an exception ({value.type})"
    if isinstance(value, Opaque):
        return f"an object of type {value.type}"
    if value is None:
        return "None"
    return f"a Python {type(value).__name__}"


def kind_label(value: Any) -> str:
    """`type_label` without its article ("tf.Tensor", "Python list"), to name a kind in a phrase."""
    label = type_label(value)
    return label.split(" ", 1)[1] if label.startswith(("a ", "an ")) else label


def raised(error: BaseException) -> Raised:
    """The plain form of an exception: its class names and first message line (shortened,
    so that a message built from the inputs cannot carry them out whole)."""
    types = tuple(cls.__name__ for cls in type(error).__mro__ if cls is not object)
    try:
        lines = str(error).strip().splitlines()
    except Exception:  # an exception whose message cannot be read is still an exception
        lines = ["(its message could not be read)"]
    message = lines[0] if lines else ""
    if len(message) > 200:
        message = message[:197] + "..."
    return Raised(types, message)


def normalize(value: Any, _depth: int = 0) -> Any:
    """Reduce a function's result to a plain value tree (see the module docstring)."""
    if _depth > 20:
        return Opaque("nested too deeply")
    if value is None or isinstance(value, (bool, int, float, str)):
        # np.float64 is a float subclass: keep it a Python float.
        return float(value) if isinstance(value, np.floating) else value
    if isinstance(value, np.ndarray):
        return _array("ndarray", value.copy())
    if isinstance(value, np.generic):
        return _array("numpy-scalar", np.asarray(value))
    if isinstance(value, (tuple, list)):
        items = [normalize(item, _depth + 1) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {str(key): normalize(item, _depth + 1) for key, item in value.items()}
    tensor_kind = _tensor_kind(value)
    if tensor_kind is not None:
        return _array(tensor_kind, np.array(value.numpy()))
    return Opaque(type(value).__name__)


def _array(kind: str, data: np.ndarray) -> Array | Opaque:
    """An array whose values have a plain form (numbers, booleans, strings, bfloat16), else a
    description of it. A tf.string tensor's bytes become a bytes array."""
    if data.dtype == object and all(isinstance(item, bytes) for item in data.flat):
        data = data.astype(np.bytes_)
    if data.dtype.kind in "biufcSU" or data.dtype.name == "bfloat16":
        return Array(kind, data)
    return Opaque(f"{kind_label(Array(kind, np.zeros(0)))} of dtype {data.dtype}")


def _tensor_kind(value: Any) -> str | None:
    """ "variable" or "tensor" for TensorFlow values, None for anything else.

    TensorFlow is only looked up if the caller already imported it, so plain NumPy code
    can use this module without paying for the import."""
    import sys

    tf = sys.modules.get("tensorflow")
    if tf is None:
        return None
    if isinstance(value, tf.Variable):
        return "variable"
    if isinstance(value, tf.Tensor) and hasattr(value, "numpy"):
        return "tensor"
    return None
