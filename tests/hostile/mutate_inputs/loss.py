"""Scribbles over its (NumPy) inputs, then fails."""
import numpy as np
def predict(x, w, b):
    for a in (x, w, b):
        if isinstance(a, np.ndarray):
            a[...] = 0
    raise RuntimeError("inputs overwritten")
