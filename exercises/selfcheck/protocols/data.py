"""Protocols of 04_data: load_table reads a file, make_batches returns a tf.data.Dataset."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

from ..model import Case
from ..values import normalize
from .core import materialize, protocol


@protocol
def load_table_from_text(fn: Callable, case: Case) -> Any:
    """Write args[0] (the text of a CSV file) to a new file in the working directory,
    call fn(path) with its path as a str, and remove the file afterwards."""
    handle, path = tempfile.mkstemp(prefix="selfcheck-table-", suffix=".csv", dir=os.getcwd())
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(case.args[0])
        return normalize(fn(path))
    finally:
        try:
            os.remove(path)
        except OSError:
            pass


@protocol
def dataset_batches(fn: Callable, case: Case) -> Any:
    """fn(*args) must return a tf.data.Dataset; it is iterated (at most options["limit"]
    elements, default 1000, so an endless dataset cannot hang) and the list of its
    elements is returned."""
    import tensorflow as tf

    args = materialize(case.args)
    kwargs = {k: materialize(v) for k, v in case.kwargs.items()}
    dataset = fn(*args, **kwargs)
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(f"expected a tf.data.Dataset, got an object of type {type(dataset).__name__}")
    limit = case.options.get("limit", 1000)
    elements = []
    for element in dataset:
        if len(elements) == limit:
            break
        elements.append(normalize(element))
    return elements
