"""Protocols of 03_rules_vs_learning: rule_accuracy is given a rule to measure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..model import Case
from ..values import normalize
from .core import materialize, protocol


def _below(at: float) -> Callable:
    """WALKING (0) below `at`, RUNNING (1) from `at` on: an int32 tensor."""
    import tensorflow as tf

    def rule(speeds: Any) -> Any:
        speeds = tf.convert_to_tensor(speeds)
        return tf.where(speeds < tf.cast(at, speeds.dtype), 0, 1)

    return rule


def _bands(at: tuple) -> Callable:
    """WALKING (0) below at[0], RUNNING (1) up to at[1], BIKING (2) from there: int32 tensor."""
    import tensorflow as tf

    def rule(speeds: Any) -> Any:
        speeds = tf.convert_to_tensor(speeds)
        t1, t2 = tf.cast(at[0], speeds.dtype), tf.cast(at[1], speeds.dtype)
        return tf.where(speeds < t1, 0, tf.where(speeds < t2, 1, 2))

    return rule


def _numpy_bands(at: tuple) -> Callable:
    """The same three bands written with NumPy: returns an int64 NumPy array."""

    def rule(speeds: Any) -> Any:
        speeds = np.asarray(speeds)
        return np.where(speeds < at[0], 0, np.where(speeds < at[1], 1, 2)).astype(np.int64)

    return rule


RULES = {"below": _below, "bands": _bands, "numpy_bands": _numpy_bands}


@protocol
def accuracy_of_rule(fn: Callable, case: Case) -> Any:
    """fn(speeds, labels, rule) with the rule named by options["rule"], cut at options["at"]
    ("below": one threshold; "bands" and "numpy_bands": two, for three activities)."""
    speeds, labels = materialize(case.args)
    rule = RULES[case.options["rule"]](case.options["at"])
    return normalize(fn(speeds, labels, rule))
