"""Targeted hints: common mistakes are recognised from the results alone."""

import numpy as np
import pytest

from selfcheck.hints import hint
from selfcheck.model import As, Case
from selfcheck.values import Array


def t(values, dtype="float32", kind="tensor"):
    return Array(kind, np.asarray(values, dtype=dtype))


E = t([[1.5], [-2.0], [0.25], [3.0]])
CASES = [
    ("broadcast", t(np.ones((4, 4))), t(np.ones(4)), "were broadcast together"),
    ("transposed", t(np.ones((1, 3))), t(np.ones((3, 1))), "transposed"),
    ("reshaped", t([1.5, -2.0, 0.25, 3.0]), E, "wrong shape"),
    ("one too many", t(np.ones((5, 1))), E, "one element too many"),
    ("float64", t(E.data, "float64"), E, "float64 instead of float32"),
    ("float32", t(E.data, "float32"), t(E.data, "float64"), "float32 instead of float64"),
    ("int", t([[1], [-2], [0], [3]], "int32"), E, "truncated"),
    ("numpy", t(E.data, kind="ndarray"), E, "NumPy"),
    ("variable", E, t(E.data, kind="variable"), "tf.Variable itself"),
    ("python float", t(0.5, "float64"), 0.5, "Python float"),
    ("sign", t(-E.data), E, "opposite sign"),
    ("sum", t(E.data * 4), E, "4 times the expected"),
    ("twice", t(E.data * 2), E, "twice"),
    ("half", t(E.data / 2), E, "half"),
    ("rmse", t(np.sqrt([4.0, 9.0])), t([4.0, 9.0]), "square root"),
    ("squared twice", t([16.0, 81.0]), t([4.0, 9.0]), "squared twice"),
    ("offset", t(E.data + 0.75), E, "same constant"),
    ("order", t(E.data[::-1]), E, "wrong order"),
    ("nan", t([[np.nan], [1], [1], [1]]), E, "NaN"),
    ("zeros", t(np.zeros((4, 1))), E, "all zeros"),
    ("complement", 0.25, 0.75, "1 minus"),
    ("ddof", t(np.array([1.0, 2.0, 3.0]) * np.sqrt(10 / 9)), t([1.0, 2.0, 3.0]), "ddof"),
    ("none", None, E, "forget the `return`"),
    ("swapped pair", (t([1.0]), t([[2.0], [3.0]])), (t([[2.0], [3.0]]), t([1.0])), "wrong order"),
]


@pytest.mark.parametrize("name, actual, expected, words", CASES, ids=[c[0] for c in CASES])
def test_mistake_is_recognised(name, actual, expected, words):
    assert words in (hint(actual, expected) or "")


def test_losses_one_step_ahead():
    expected = [t(10.0), t(1.06), t(0.17)]
    actual = [t(1.06), t(0.17), t(0.05)]
    assert "one step ahead" in hint(actual, expected)


def test_result_equal_to_an_unchanged_input():
    b0 = np.asarray([0.3], np.float32)
    case = Case(args=(np.ones((2, 1)), np.ones((2, 1)), np.ones((1, 1)), As("variable", b0), 0.1))
    assert "unchanged" in hint(t(b0), t([0.7]), case)


def test_no_hint_for_an_unrecognised_mistake():
    assert hint(t([[1.0], [2.0], [7.0], [3.0]]), E) is None


def test_at_least_fifteen_mistakes_are_recognised():
    assert len(CASES) + 2 >= 15
