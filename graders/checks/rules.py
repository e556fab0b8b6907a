"""Hidden checks of 03_rules_vs_learning: the submission against the reference on fresh
labelled speeds, including ties between candidates and data of a single activity."""

from __future__ import annotations

import numpy as np

from graders.checks.define import hidden_checks_of
from graders.checks.draw import FLOATS
from selfcheck.model import As, Case

A = "03_rules_vs_learning"
SPEED_FORMS = ("tensor", "numpy", "list", "variable")
FORM_NAMES = {"tensor": "tensor", "numpy": "NumPy array", "variable": "variable"}
LABEL_FORMS = ("int32 tensor", "int64 tensor", "int64 NumPy array", "list")


def activity_data(n: int, seed: int, classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """make_activity_data's draws, with NumPy only (the grader must not start TensorFlow
    while it draws the cases): float32 speeds, int32 labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, size=n)
    speeds = rng.normal(np.array([3.2, 8.0, 16.0])[labels], np.array([0.8, 2.0, 4.0])[labels])
    return np.clip(np.round(speeds, 1), 0.5, None).astype(np.float32), labels.astype(np.int32)


def _speeds(speeds: np.ndarray, dtype) -> np.ndarray:
    """The speeds in `dtype`; float64 speeds are rounded to 0.1 again, as measured."""
    return np.round(speeds.astype(np.float64), 1).astype(dtype)


def _speed_arg(rng, speeds: np.ndarray, forms=SPEED_FORMS, name: str = "speeds") -> tuple[As, str]:
    """The speeds as one of `forms`, and what that is in words: 'float64 NumPy array,
    speeds (12,)' (TensorFlow reads a list of Python floats as float32)."""
    kind = str(rng.choice(forms))
    if kind == "list":
        return As(kind, speeds), f"Python list, {name} {speeds.shape}"
    return As(kind, speeds), f"{speeds.dtype.name} {FORM_NAMES[kind]}, {name} {speeds.shape}"


def _labels(rng, labels: np.ndarray, kind: str | None = None):
    kind = kind or str(rng.choice(LABEL_FORMS))
    if kind == "int32 tensor":
        return As("tensor", labels.astype(np.int32)), kind
    if kind == "int64 tensor":
        return As("tensor", labels.astype(np.int64)), kind
    if kind == "int64 NumPy array":
        return As("numpy", labels.astype(np.int64)), kind
    return [int(v) for v in labels], kind


def _labelled(
    rng, speeds: np.ndarray, labels: np.ndarray, what: str = "", label_kind: str | None = None
) -> Case:
    speeds_arg, text = _speed_arg(rng, speeds)
    labels_arg, kind = _labels(rng, labels, label_kind)
    return Case(args=(speeds_arg, labels_arg), label=f"{text}, labels as {kind}{what}")


# rule_status ---------------------------------------------------------------------------


def rule_status_values(rng):
    cases = []
    shapes = (
        (int(rng.integers(1, 12)),),
        (int(rng.integers(1, 5)), int(rng.integers(1, 5))),
        (),
        (2, int(rng.integers(1, 4)), 3),
    )
    for dtype in FLOATS:
        for shape in shapes:
            speeds = np.round(rng.uniform(0.0, 25.0, size=shape), 1).astype(dtype)
            forms = ("tensor", "numpy", "variable") if shape == () else SPEED_FORMS
            arg, text = _speed_arg(rng, speeds, forms, name="speed")
            cases.append(Case(args=(arg,), label=text))
    cases.append(Case(args=(float(np.round(rng.uniform(0.0, 8.0), 1)),), label="a Python float"))
    return cases


def rule_status_boundary(rng):
    cases = []
    for dtype in FLOATS:
        four = dtype(4.0)
        near = np.array(
            [four, np.nextafter(four, dtype(0)), np.nextafter(four, dtype(10)), four, 0.0, 40.0], dtype
        )
        rng.shuffle(near)
        cases.append(
            Case(
                args=(As("tensor", near),),
                label=f"{np.dtype(dtype).name} tensor, speed (6,), at the boundary",
            )
        )
    return cases


def rule_status_graph(rng):
    return [
        Case(
            args=(As("tensor", np.round(rng.uniform(0.0, 12.0, size=(7,)), 1).astype(d)),),
            label=f"{np.dtype(d).name} tensor, speed (7,)",
        )
        for d in FLOATS
    ]


# rule_accuracy -------------------------------------------------------------------------


def rule_accuracy_values(rng):
    cases = []
    for dtype in FLOATS * 2:
        n = int(rng.integers(3, 40))
        speeds = np.round(rng.uniform(0.5, 15.0, size=n), 1).astype(dtype)
        at = float(np.round(rng.uniform(2.0, 10.0), 1))
        case = _labelled(rng, speeds, rng.integers(0, 2, size=n), ", a one-threshold rule")
        cases.append(Case(args=case.args, options={"rule": "below", "at": at}, label=case.label))
    return cases


def rule_accuracy_three(rng):
    cases = []
    for rule, dtype in (("bands", np.float32), ("numpy_bands", np.float64), ("bands", np.float64)):
        n = int(rng.integers(5, 40))
        speeds, labels = activity_data(n, int(rng.integers(0, 10_000)), classes=3)
        at = tuple(float(v) for v in np.sort(np.round(rng.uniform(2.0, 20.0, size=2), 1)))
        which = "returning a NumPy int64 array" if rule == "numpy_bands" else "returning an int32 tensor"
        # int64 predictions meet int32 labels, and int32 predictions int64 labels: both need a cast
        case = _labelled(
            rng,
            _speeds(speeds, dtype),
            labels,
            f", a three-activity rule {which}",
            "int32 tensor" if rule == "numpy_bands" else "int64 tensor",
        )
        cases.append(Case(args=case.args, options={"rule": rule, "at": at}, label=case.label))
    return cases


# learn_threshold -----------------------------------------------------------------------


def _overlapping(rng, n: int, classes: int) -> Case:
    """Speeds spread evenly and activities at random: every activity everywhere."""
    speeds = np.round(rng.uniform(0.5, 20.0, size=n), 1)
    return _labelled(rng, speeds, rng.integers(0, classes, size=n), ", activities overlapping everywhere")


def _grid_data(rng, n: int, classes: int, dtype):
    """Few distinct speeds (whole and half km/h), labels at random: many ties."""
    speeds = (rng.integers(2, 16, size=n) / 2.0).astype(dtype)
    return speeds, rng.integers(0, classes, size=n)


def learn_threshold_values(rng):
    cases = []
    for n, dtype in ((12, np.float32), (40, np.float64), (120, np.float32), (70, np.float64)):
        speeds, labels = activity_data(n, int(rng.integers(0, 10_000)))
        cases.append(_labelled(rng, _speeds(speeds, dtype), labels))
    cases.append(_overlapping(rng, 30, 2))
    return cases


def learn_threshold_ties(rng):
    cases = []
    for dtype in FLOATS * 2:
        speeds, labels = _grid_data(rng, int(rng.integers(4, 12)), 2, dtype)
        cases.append(_labelled(rng, speeds, labels, ", repeated speeds and tied candidates"))
    return cases


def learn_threshold_ends(rng):
    cases = []
    for dtype, cls in ((np.float32, 1), (np.float64, 0), (np.float32, 0)):
        n = int(rng.integers(3, 12))
        speeds = np.round(rng.uniform(0.5, 15.0, size=n), 1).astype(dtype)
        cases.append(
            Case(
                args=(As("tensor", speeds), As("tensor", np.full(n, cls, np.int32))),
                label=f"{np.dtype(dtype).name} tensor, speeds ({n},), every point of one activity",
            )
        )
    one = np.round(rng.uniform(0.5, 15.0, size=1), 1).astype(np.float32)
    cases.append(
        Case(
            args=(As("tensor", one), As("tensor", rng.integers(0, 2, size=1).astype(np.int32))),
            label="float32 tensor, speeds (1,), a single point",
        )
    )
    return cases


# learn_two_thresholds ------------------------------------------------------------------


def learn_two_values(rng):
    cases = []
    for n, dtype in ((15, np.float32), (45, np.float64), (60, np.float32)):
        speeds, labels = activity_data(n, int(rng.integers(0, 10_000)), classes=3)
        cases.append(_labelled(rng, _speeds(speeds, dtype), labels))
    cases.append(_overlapping(rng, 30, 3))
    return cases


def learn_two_ties(rng):
    cases = []
    for dtype in FLOATS * 2:
        speeds, labels = _grid_data(rng, int(rng.integers(8, 20)), 3, dtype)
        cases.append(_labelled(rng, speeds, labels, ", repeated speeds and tied pairs"))
    return cases


def learn_two_missing(rng):
    cases = []
    for dtype, present in ((np.float32, (0, 2)), (np.float64, (2,)), (np.float32, (0,)), (np.float64, (1,))):
        n = int(rng.integers(4, 14))
        speeds, _ = activity_data(n, int(rng.integers(0, 10_000)), classes=3)
        labels = rng.choice(present, size=n).astype(np.int32)
        cases.append(
            Case(
                args=(As("tensor", _speeds(speeds, dtype)), As("tensor", labels)),
                label=f"{np.dtype(dtype).name} tensor, speeds ({n},), only {len(present)} of the 3 activities",
            )
        )
    return cases


_hidden = hidden_checks_of(A)


CHECKS = (
    _hidden(
        "rule_status.values",
        "rule_status",
        2,
        "int32 labels for speeds of several shapes, float32 and float64, tensors, arrays, lists, variables",
        rule_status_values,
    ),
    _hidden(
        "rule_status.boundary",
        "rule_status",
        1,
        "exactly 4 km/h is RUNNING, just below it WALKING",
        rule_status_boundary,
    ),
    _hidden(
        "rule_status.tf_function",
        "rule_status",
        1,
        "works inside tf.function",
        rule_status_graph,
        protocol="call_in_tf_function",
    ),
    _hidden(
        "rule_accuracy.values",
        "rule_accuracy",
        2,
        "a Python float for one-threshold rules; labels as tensors, NumPy arrays and lists",
        rule_accuracy_values,
        protocol="accuracy_of_rule",
    ),
    _hidden(
        "rule_accuracy.three_activities",
        "rule_accuracy",
        1,
        "three-activity rules, one written with NumPy; predictions and labels of other integer dtypes",
        rule_accuracy_three,
        protocol="accuracy_of_rule",
    ),
    _hidden(
        "learn_threshold.values",
        "learn_threshold",
        2,
        "the most accurate threshold on walking/running data of several sizes",
        learn_threshold_values,
    ),
    _hidden(
        "learn_threshold.ties",
        "learn_threshold",
        1,
        "repeated speeds and tied candidates: the smallest tied candidate wins",
        learn_threshold_ties,
    ),
    _hidden(
        "learn_threshold.one_activity",
        "learn_threshold",
        1,
        "data of a single activity (min - 1 or max + 1 wins) and a single point",
        learn_threshold_ends,
    ),
    _hidden(
        "learn_two_thresholds.values",
        "learn_two_thresholds",
        2,
        "the most accurate pair on data of three activities",
        learn_two_values,
    ),
    _hidden(
        "learn_two_thresholds.ties",
        "learn_two_thresholds",
        1,
        "repeated speeds and tied pairs: the smallest t1, then the smallest t2",
        learn_two_ties,
    ),
    _hidden(
        "learn_two_thresholds.missing_activity",
        "learn_two_thresholds",
        1,
        "data where some activities never occur (t1 == t2, or candidates at the ends)",
        learn_two_missing,
    ),
)
