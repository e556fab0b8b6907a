"""Drawing hidden inputs: random arrays of several shapes, dtypes and forms."""

from __future__ import annotations

import numpy as np

from selfcheck.model import As

FLOATS = (np.float32, np.float64)


def normal(rng: np.random.Generator, shape: tuple[int, ...], dtype, scale: float = 1.0) -> np.ndarray:
    """Standard normal values times `scale`, in `dtype`."""
    return (rng.standard_normal(shape) * scale).astype(dtype)


def form(rng: np.random.Generator, array: np.ndarray, forms: tuple[str, ...] = ("tensor", "numpy")) -> As:
    """`array` as one of `forms`, chosen at random."""
    return As(str(rng.choice(forms)), array)


def label(dtype, **shapes: tuple[int, ...]) -> str:
    """'float32, x (4, 2), w (2, 1)': what a case is, without its values."""
    parts = [np.dtype(dtype).name] + [f"{name} {tuple(shape)}" for name, shape in shapes.items()]
    return ", ".join(parts)


def mentions_shapes(message: str, *shapes: tuple[int, ...]) -> bool:
    """Whether an error message names every one of `shapes` (as (3, 1), [3, 1] or (3,))."""
    compact = message.replace(" ", "")
    for shape in shapes:
        dims = ",".join(str(d) for d in shape)
        spellings = {f"({dims})", f"[{dims}]", f"({dims},)"}
        if not any(s in compact for s in spellings):
            return False
    return True
