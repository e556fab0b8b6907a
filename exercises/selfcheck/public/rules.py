"""Public checks of 03_rules_vs_learning: small worked examples whose answers students can
verify by hand. The hidden checks compare with the reference on many more inputs."""

import numpy as np

from ..expect import f32, f64, tensor
from ..model import As, Case, Check

A = "03_rules_vs_learning"


def i32(values):
    return np.asarray(values, dtype=np.int32)


CHECKS = (
    Check(
        id="rule_status.public",
        assignment=A,
        function="rule_status",
        points=1,
        visibility="public",
        description="WALKING (0) below 4 km/h, RUNNING (1) from 4 km/h on, any shape",
        cases=(
            Case(args=(As("tensor", f32([2.5, 4.0, 3.99, 12.0])),), label="float32 tensor, shape (4,)"),
            Case(args=(f64([[1.0, 5.0], [4.0, 0.5]]),), label="float64 NumPy array, shape (2, 2)"),
            Case(args=(3.0,), label="a Python float"),
        ),
        expected=(tensor([0, 1, 0, 1], "int32"), tensor([[0, 1], [1, 0]], "int32"), tensor(0, "int32")),
    ),
    Check(
        id="rule_accuracy.public",
        assignment=A,
        function="rule_accuracy",
        points=1,
        visibility="public",
        description="the fraction of points where the rule's answer equals the label",
        protocol="accuracy_of_rule",
        cases=(
            Case(
                args=(As("tensor", f32([1, 3, 5, 7])), As("tensor", i32([0, 0, 0, 1]))),
                options={"rule": "below", "at": 4.0},
                label="the rule 'WALKING below 4', 4 points",
            ),
            Case(
                args=(f32([2, 6, 14, 20, 9]), [0, 1, 1, 2, 2]),
                options={"rule": "bands", "at": (4.0, 10.0)},
                label="WALKING below 4, RUNNING below 10, else BIKING; labels as a list",
            ),
        ),
        expected=(0.75, 0.6),
    ),
    Check(
        id="learn_threshold.public",
        assignment=A,
        function="learn_threshold",
        points=1,
        visibility="public",
        description="the most accurate candidate threshold; ties go to the smallest",
        cases=(
            Case(
                args=(As("tensor", f32([1, 2, 6, 3, 8])), As("tensor", i32([0, 0, 1, 1, 1]))),
                label="speeds 1, 2, 6, 3, 8: candidates 0, 1.5, 2.5, 4.5, 7, 9",
            ),
            Case(args=(f64([1, 2, 3, 4]), i32([0, 1, 0, 1])), label="speeds 1, 2, 3, 4: 1.5 and 3.5 tie"),
            Case(args=(f32([5, 5, 7]), i32([1, 1, 1])), label="every point running: min(speeds) - 1"),
        ),
        expected=(2.5, 1.5, 4.0),
    ),
    Check(
        id="learn_two_thresholds.public",
        assignment=A,
        function="learn_two_thresholds",
        points=1,
        visibility="public",
        description="the most accurate pair t1 <= t2; ties go to the smallest t1, then t2",
        cases=(
            Case(
                args=(As("tensor", f32([2, 3, 7, 9, 15, 20])), As("tensor", i32([0, 0, 1, 1, 2, 2]))),
                label="three clean groups",
            ),
            Case(
                args=(f64([1, 2, 3]), i32([0, 2, 1])),
                label="speeds 1, 2, 3: (1.5, 1.5), (1.5, 4) and (2.5, 4) tie",
            ),
        ),
        expected=((5.0, 12.0), (1.5, 1.5)),
    ),
)
