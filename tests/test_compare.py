"""The comparison: kind, shape and dtype before values; per-dtype tolerances; NaN."""

import numpy as np
import pytest

from selfcheck.compare import TOLERANCES, compare
from selfcheck.expect import raises
from selfcheck.values import Array, Raised


def tensor(values, dtype):
    return Array("tensor", np.asarray(values, dtype=dtype))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_within_tolerance_passes_and_just_outside_fails(dtype):
    tol = TOLERANCES[dtype]
    expected = np.asarray([1.0, -2.0, 1000.0], dtype=dtype)
    allowed = tol.atol + tol.rtol * np.abs(expected.astype(np.float64))
    inside = (expected.astype(np.float64) + 0.5 * allowed).astype(dtype)
    outside = (expected.astype(np.float64) + 3.0 * allowed).astype(dtype)
    assert compare(tensor(inside, dtype), tensor(expected, dtype)) is None
    message = compare(tensor(outside, dtype), tensor(expected, dtype))
    assert message is not None
    assert "3 / 3 elements (100.0%)" in message
    assert "greatest absolute difference" in message and "greatest relative difference" in message


def test_float64_tolerance_is_tighter_than_float32():
    expected = np.asarray([1.0], dtype=np.float64)
    off = expected * (1 + 1e-6)
    assert compare(tensor(off, "float32"), tensor(expected, "float32")) is None
    assert compare(tensor(off, "float64"), tensor(expected, "float64")) is not None


def test_nan_never_matches_a_number_but_matches_nan():
    expected = tensor([1.0, np.nan], "float32")
    assert compare(tensor([1.0, np.nan], "float32"), expected) is None
    message = compare(tensor([np.nan, np.nan], "float32"), expected)
    assert message is not None and "NaN where a number was expected" in message
    assert compare(tensor([1.0, 2.0], "float32"), expected) is not None


def test_infinities_match_only_the_same_infinity():
    assert compare(tensor([np.inf], "float64"), tensor([np.inf], "float64")) is None
    assert compare(tensor([-np.inf], "float64"), tensor([np.inf], "float64")) is not None
    assert compare(tensor([1e300], "float64"), tensor([np.inf], "float64")) is not None


def test_shape_is_checked_before_values():
    message = compare(tensor(np.zeros((3, 3)), "float32"), tensor(np.zeros(3), "float32"))
    assert message == "the result: shape (3, 3), expected (3,)"


def test_dtype_is_checked_before_values():
    message = compare(tensor([1.0], "float64"), tensor([1.0], "float32"))
    assert message == "the result: dtype float64, expected float32"


def test_kind_of_result_is_checked():
    expected = tensor([1.0], "float32")
    assert "a NumPy array" in compare(Array("ndarray", np.ones(1, np.float32)), expected)
    assert compare(Array("variable", np.ones(1, np.float32)), expected) is None
    assert "expected a tf.Variable" in compare(expected, Array("variable", np.ones(1, np.float32)))
    assert "expected a Python float" in compare(tensor(0.5, "float64"), 0.5)


def test_python_floats_and_exact_types():
    assert compare(0.5 + 1e-9, 0.5) is None
    assert compare(0.51, 0.5) is not None
    assert compare(3, 3) is None
    assert compare(True, 1) is not None  # a bool is not an int answer


def test_structures_name_the_part_that_differs():
    expected = (tensor([1.0], "float32"), tensor([2.0], "float32"))
    message = compare((tensor([1.0], "float32"), tensor([9.0], "float32")), expected)
    assert message.startswith("the result[1]:")
    assert compare((tensor([1.0], "float32"),), expected) == "the result: got 1 items, expected 2"
    assert "missing keys ['b']" in compare({"a": 1}, {"a": 1, "b": 2})


def test_expected_exceptions():
    assert compare(Raised(("ValueError", "Exception"), "shapes differ"), raises("ValueError")) is None
    assert "raised TypeError, expected ValueError" in compare(
        Raised(("TypeError",), ""), raises("ValueError")
    )
    assert "expected it to raise ValueError" in compare(tensor(1.0, "float32"), raises("ValueError"))
    assert "raised KeyError" in compare(Raised(("KeyError",), "x"), tensor(1.0, "float32"))


def test_integers_must_match_exactly():
    message = compare(
        Array("tensor", np.asarray([1, 2, 4], np.int32)), Array("tensor", np.asarray([1, 2, 3], np.int32))
    )
    assert "1 / 3 elements" in message and "exact match" in message


def test_messages_never_contain_values():
    expected = tensor([123.456, 789.125], "float64")
    message = compare(tensor([123.457, 789.0], "float64"), expected)
    for value in ("123.45", "789.1", "789.0", "123.457"):
        assert value not in message
