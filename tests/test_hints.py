"""Targeted hints: each known mistake is recognised where its relation holds, and stays
silent where it does not; a check's failing cases must agree on a hint before it is shown."""

import re

import numpy as np
import pytest

from selfcheck.hints import Context, agreed, diagnose, hint
from selfcheck.model import As, Case
from selfcheck.values import Array


def t(values, dtype="float32", kind="tensor"):
    return Array(kind, np.asarray(values, dtype=dtype))


E = t([[1.5], [-2.0], [0.25], [3.0]])
BIAS = Context(("x", "w", "b"))
NO_BIAS = Context(("f", "w", "eps"))
NOISE = t([[1.5], [-2.0], [7.0], [3.1]])  # wrong in no recognisable way
TABLE = Case(args=(np.ones((3, 5), np.float32),))  # a 3 x 5 input: reductions run over 3 or 5
FOUR = Case(args=(np.ones((4, 1), np.float32), np.ones((4, 1), np.float32)))  # N = 4

# (name, actual, expected, case, context, words it must say); each is also checked silent on
# a near miss below.
FIRES = [
    ("broadcast", t(np.ones((4, 4))), t(np.ones(4)), None, None, "were broadcast together"),
    ("array-for-scalar", t(np.ones(4)), t(2.0), None, None, "not a scalar"),
    ("scalar-for-array", t(2.0), t(np.ones(4)), None, None, "single number"),
    ("wrong-axis", t(np.ones(3)), t(np.ones(5)), TABLE, None, "wrong axis"),
    ("transposed", t(np.ones((1, 3))), t(np.ones((3, 1))), None, None, "transposed"),
    ("reshaped", t([1.5, -2.0, 0.25, 3.0]), E, None, None, "wrong shape"),
    ("one-off", t(np.ones((5, 1))), E, None, None, "one element too many"),
    ("float64", t(E.data, "float64"), E, None, None, "float64 instead of float32"),
    ("float32", t(E.data, "float32"), t(E.data, "float64"), None, None, "float32 instead of float64"),
    ("truncated", t([[1], [-2], [0], [3]], "int32"), E, None, None, "truncated"),
    ("dtype", t(E.data, "float16"), E, None, None, "float16 instead of float32"),
    ("numpy-for-tensor", t(E.data, kind="ndarray"), E, None, None, "NumPy"),
    ("tensor-for-variable", E, t(E.data, kind="variable"), None, None, "tf.Variable itself"),
    ("tensor-for-float", t(0.5, "float64"), 0.5, None, None, "Python float"),
    ("sign", t(-E.data), E, None, None, "opposite sign"),
    ("sum-for-mean", t(E.data * 4), E, FOUR, None, "4 times the expected one: a sum where the mean"),
    ("times-2", t(E.data * 2), E, None, None, "twice"),
    ("half", t(E.data / 2), E, None, None, "half"),
    ("mean-twice", t(E.data / 4), E, FOUR, None, "divided by the count twice"),
    ("root", t(np.sqrt([4.0, 9.0])), t([4.0, 9.0]), None, None, "square root"),
    ("square", t([16.0, 81.0]), t([4.0, 9.0]), None, None, "squared twice"),
    ("offset", t(E.data + 0.75), E, None, BIAS, "same constant"),
    ("order", t(E.data[::-1]), E, None, None, "wrong order"),
    ("nan", t([[np.nan], [1], [1], [1]]), E, None, None, "NaN"),
    ("zeros", t(np.zeros((4, 1))), E, None, None, "all zeros"),
    ("complement", 0.25, 0.75, None, None, "1 minus"),
    (
        "ddof",
        t(np.array([1.0, 2.0, 3.0]) * np.sqrt(10 / 9)),
        t([1.0, 2.0, 3.0]),
        Case(args=(np.ones((10, 3)),)),
        None,
        "ddof",
    ),
    ("none", None, E, None, None, "forget the `return`"),
    ("swapped-pair", (t([1.0]), t([[2.0], [3.0]])), (t([[2.0], [3.0]]), t([1.0])), None, None, "wrong order"),
    ("losses-ahead", [t(1.06), t(0.17), t(0.05)], [t(10.0), t(1.06), t(0.17)], None, None, "one step ahead"),
    ("never-updated", [t(10.0), t(10.0), t(10.0)], [t(10.0), t(1.06), t(0.17)], None, None, "assign_sub"),
]

# Near misses, one or more for every hint: the relation does not hold (or the function has
# no bias, or the dtype is not the whole difference), so that hint must stay silent.
SILENT = [
    ("broadcast", t(np.ones((4, 3))), t(np.ones(4)), None, None),
    ("array-for-scalar", t(np.ones(4)), t(np.ones(3)), None, None),
    ("scalar-for-array", t(2.0), t(3.0), None, None),
    ("wrong-axis", t(np.ones(4)), t(np.ones(5)), TABLE, None),
    ("transposed", t(np.ones((2, 3))), t(np.ones((3, 1))), None, None),
    ("reshaped", t(np.ones(5)), E, None, None),
    ("one-off", t(np.ones((6, 1))), E, None, None),
    ("float64", t(E.data * 2, "float64"), E, None, None),
    ("float32", t(E.data + 1, "float32"), t(E.data, "float64"), None, None),
    ("truncated", t([[4], [-2], [0], [3]], "int32"), E, None, None),
    ("dtype", t(E.data * 3, "float16"), E, None, None),
    ("numpy-for-tensor", t(E.data, kind="ndarray"), t(E.data, kind="ndarray"), None, None),
    ("tensor-for-variable", t(E.data, kind="variable"), t(E.data * 2, kind="variable"), None, None),
    ("tensor-for-float", 0.4, 0.5, None, None),
    ("sign", t(-E.data * 1.1), E, None, None),
    ("sum-for-mean", t(E.data * 3), E, FOUR, None),
    ("times-2", t(E.data * 2.1), E, None, None),
    ("half", t(E.data / 2.1), E, None, None),
    ("mean-twice", t(E.data / 3), E, FOUR, None),
    ("root", t([2.0, 3.5]), t([4.0, 9.0]), None, None),
    ("square", t([16.0, 80.0]), t([4.0, 9.0]), None, None),
    ("offset", t(E.data + 0.75), E, None, NO_BIAS),
    ("offset", t(E.data + 0.75), E, None, None),
    ("offset", t(E.data + [[0.75], [0.7], [0.75], [0.75]]), E, None, BIAS),
    ("order", t([[3.0], [0.25], [-2.0], [1.6]]), E, None, None),
    ("nan", t([[np.nan], [1], [1], [1]]), t([[np.nan], [1], [1], [2]]), None, None),
    ("zeros", t([[0.0], [0.0], [0.0], [1.0]]), E, None, None),
    ("complement", 0.3, 0.75, None, None),
    (
        "ddof",
        t(np.array([1.0, 2.0, 3.0]) * np.sqrt(10 / 9)),
        t([1.0, 2.0, 3.0]),
        Case(args=(np.ones((7, 3)),)),
        None,
    ),
    ("none", 0.0, 1.0, None, None),
    ("swapped-pair", (t([1.0]), t([[2.0], [4.0]])), (t([[2.0], [3.0]]), t([1.0])), None, None),
    ("losses-ahead", [t(1.0), t(0.17), t(0.05)], [t(10.0), t(1.06), t(0.17)], None, None),
    ("never-updated", [t(10.0), t(9.0), t(10.0)], [t(10.0), t(1.06), t(0.17)], None, None),
    ("unchanged", t([0.31]), t([0.7]), Case(args=(np.asarray([0.3], np.float32),)), None),
    ("scaled", t(E.data * 3.5), E, FOUR, None),
    ("number-for-tensor", E, t(E.data * 2), None, None),
]


def _keys(actual, expected, case, context):
    return {d.key for d in diagnose(actual, expected, case, context)}


@pytest.mark.parametrize("key, actual, expected, case, context, words", FIRES, ids=[c[0] for c in FIRES])
def test_mistake_is_recognised(key, actual, expected, case, context, words):
    assert key in _keys(actual, expected, case, context)
    assert words in (hint(actual, expected, case, context) or ""), hint(actual, expected, case, context)


@pytest.mark.parametrize("key, actual, expected, case, context", SILENT, ids=[c[0] for c in SILENT])
def test_near_miss_stays_silent(key, actual, expected, case, context):
    assert key not in _keys(actual, expected, case, context), hint(actual, expected, case, context)


def test_no_hint_for_an_unrecognised_mistake():
    assert hint(NOISE, E) is None


def test_every_hint_fires_somewhere_and_stays_silent_somewhere():
    import inspect

    import selfcheck.hints as hints

    every = set(re.findall(r'Diagnosis\(\s*"([a-z0-9-]+)"', inspect.getsource(hints)))
    fired = {key for key, *_ in FIRES} | {"unchanged", "scaled", "number-for-tensor"}
    silent = {key for key, *_ in SILENT}
    assert every - fired == set(), "hints no test makes fire"
    assert every - silent == set(), "hints without a near miss"
    assert len(every) >= 25


def test_an_extra_factor_that_is_no_count_is_named_as_such():
    assert "extra factor" in hint(t(E.data * 3), E, FOUR)


def test_a_python_number_where_a_tensor_belongs():
    assert "Python number" in hint(2.0, t(2.5))


def test_result_equal_to_an_unchanged_input():
    b0 = np.asarray([0.3], np.float32)
    case = Case(args=(np.ones((2, 1)), np.ones((2, 1)), np.ones((1, 1)), As("variable", b0), 0.1))
    assert "assign_sub" in hint(t(b0), t([0.7]), case)
    assert hint(t([0.31]), t([0.7]), case) is None  # not the input: silent


def test_sum_at_n_two_names_both_causes_and_agrees_with_n_three():
    two = Case(args=(np.ones((2, 1), np.float32), np.ones((2, 1), np.float32)))
    three = Case(args=(np.ones((3, 1), np.float32), np.ones((3, 1), np.float32)))
    at_two = diagnose(t(5.0), t(2.5), two)
    alone = agreed([at_two])
    assert "twice" in alone and "factor 2" in alone and "sum where the mean" in alone
    together = agreed([at_two, diagnose(t(9.0), t(3.0), three)])
    assert together == (
        "your result is the expected one times the number of values: a sum where the mean "
        "(a division by the count) belongs"
    )
    assert agreed([diagnose(t(9.0), t(3.0), three), diagnose(t(6.0), t(2.0), three)]).startswith(
        "your result is 3 times the expected one"
    )  # the same numbers on every case: stated as they are


def test_contradicting_cases_give_no_hint():
    assert agreed([diagnose(t(-E.data), E), diagnose(t(E.data * 2), E)]) is None
    assert agreed([diagnose(t(-E.data), E), diagnose(NOISE, E)]) is None
    assert agreed([diagnose(t(-E.data), E), diagnose(t(-E.data * 1.0), E)]) is not None


def test_a_keras_loss_in_float64_gets_no_cast_hint():
    # float32 with float32 rounding against a float64 expected value: the dtype is the whole difference
    expected = t(0.123456789012345, "float64")
    keras_like = t(np.float32(0.123456789012345), "float32")
    assert "something converts to float32" in hint(keras_like, expected)
    assert "do not cast" not in (hint(keras_like, expected) or "")


def test_one_sided_difference_gets_no_bias_hint():
    central = t([[0.5], [1.0], [2.0]], "float64")
    one_sided = t(central.data + 0.0005, "float64")
    assert hint(one_sided, central, None, NO_BIAS) is None
