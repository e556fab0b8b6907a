"""Property-based tests of everything that judges a submission's values.

Generated actual and expected values of every kind a submission can return (tensors,
arrays, Variables, lists, nested tuples and dicts, Python scalars, None, strings, other
objects), every shape from () to ragged and 0-sized, every dtype from bool to complex and
bfloat16, with NaN, infinities and huge values. The properties:
- comparison, hints, `case_problem`, the judges and the wire format never raise;
- equal values always pass, and what crosses the wire comes back equal;
- a message never contains an expected value;
- every hint that fires is true of that case (checked here independently of the hint code).

Failures hypothesis finds are kept in tests/hypothesis-db (replayed first on every run), and
each crash found so far is pinned below with @example.
"""

from __future__ import annotations

import copy
import json
import math
import os
from typing import Any

import ml_dtypes
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_grader_faults import CIRCLES_CASE, _rings

from graders.engine import wire
from selfcheck.compare import GPU_TOLERANCES, compare
from selfcheck.hints import BIAS_PARAMETERS, Context, agreed, diagnose
from selfcheck.local import case_problem
from selfcheck.model import Case, Check
from selfcheck.values import ARRAY_KINDS, Array, Opaque, Raised, normalize, raised

EXAMPLES: dict[str, int] = {}  # property -> examples run, for the total asserted at the end
# The whole suite runs 1,350 examples of most properties (about 10,500 in all, for the floor of
# 10,000 below); `./kit test --fast` a tenth of them.
FAST = os.environ.get("KIT_FAST") == "1"
MANY = settings(
    max_examples=135 if FAST else 1350,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

DTYPES = [
    "bool",
    "int8",
    "int32",
    "int64",
    "uint8",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
]
SPECIAL = [0.0, -0.0, 1.0, -1.0, math.nan, math.inf, -math.inf, 1e300, -1e300, 1e-300, 65504.0, 3.4e38]


def counted(name: str) -> None:
    EXAMPLES[name] = EXAMPLES.get(name, 0) + 1


@st.composite
def shapes(draw) -> tuple[int, ...]:
    n, k = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    return draw(st.sampled_from([(), (1,), (n,), (n, 1), (1, n), (n, k), (0,), (0, k), (n, 0), (2, n, k)]))


@st.composite
def arrays(draw, dtype: str | None = None, shape: tuple[int, ...] | None = None) -> np.ndarray:
    dtype = dtype or draw(st.sampled_from(DTYPES))
    shape = draw(shapes()) if shape is None else shape
    size = int(np.prod(shape))
    if dtype == "bool":
        values = draw(st.lists(st.booleans(), min_size=size, max_size=size))
        return np.array(values, dtype=bool).reshape(shape)
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        values = draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=size, max_size=size))
        return np.array(values, dtype=dtype).reshape(shape)
    floats = st.one_of(
        st.floats(allow_nan=True, allow_infinity=True, width=64), st.sampled_from(SPECIAL), st.floats(-10, 10)
    )
    values = draw(st.lists(floats, min_size=size, max_size=size))
    with np.errstate(all="ignore"):
        real = np.array(values, dtype=np.float64).reshape(shape)
        if dtype.startswith("complex"):
            imaginary = np.array(draw(st.lists(floats, min_size=size, max_size=size)), dtype=np.float64)
            return (real + 1j * imaginary.reshape(shape)).astype(dtype)
        if dtype == "bfloat16":
            return real.astype(ml_dtypes.bfloat16)
        return real.astype(dtype)


def array_values(dtype: str | None = None) -> st.SearchStrategy:
    return st.builds(Array, st.sampled_from(ARRAY_KINDS), arrays(dtype))


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(SPECIAL),
    st.text(max_size=8),
    st.builds(Opaque, st.sampled_from(["function", "generator", "set", "object"])),
    st.builds(
        Raised,
        st.sampled_from(
            [
                ("ValueError", "Exception"),
                ("NotImplementedError", "RuntimeError"),
                ("CaseTimeout",),
                ("MissingFunction",),
            ]
        ),
        st.text(max_size=20),
    ),
    array_values(),
    st.builds(
        Array,
        st.sampled_from(ARRAY_KINDS),
        st.lists(st.text(max_size=3), min_size=1, max_size=3).map(np.array),
    ),
)
plain_values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.sampled_from(["w", "b", "losses", "values", "x"]), children, max_size=3),
    ),
    max_leaves=8,
)
# What an actual result can be besides plain values: ragged lists and objects of other types.
ragged = st.lists(array_values(), min_size=2, max_size=3)
bytes_arrays = st.builds(
    Array, st.sampled_from(ARRAY_KINDS), st.lists(st.binary(max_size=3), min_size=1, max_size=4).map(np.array)
)  # what a tf.string tensor becomes
anything = st.one_of(
    plain_values,
    ragged,
    bytes_arrays,
    st.builds(object),
    st.sets(st.integers(), max_size=3),
    st.binary(max_size=4),
    st.just(print),
)
tables = st.sampled_from([None, GPU_TOLERANCES])


@MANY
@given(actual=anything, expected=plain_values, scale=st.sampled_from([1.0, 10.0]), table=tables)
@example(
    actual=Array("tensor", np.zeros(3, np.float32)),
    expected=Array("tensor", np.zeros((), np.float32)),
    scale=1.0,
    table=None,
)
def test_comparison_and_hints_never_raise(actual, expected, scale, table):
    counted("never raise")
    message = compare(actual, expected, scale, table=table)
    assert message is None or isinstance(message, str)
    for context in (None, Context(("x", "w", "b"))):
        found = diagnose(actual, expected, None, context)
        assert isinstance(agreed([found]) or "", str)


@MANY
@given(value=plain_values, table=tables)
@example(value=Array("tensor", np.array([1.27e308 + 1.27e308j])), table=None)  # found: |e| overflowed to inf
def test_equal_values_always_pass(value, table):
    counted("equal")
    assert compare(copy.deepcopy(value), value, table=table) is None


@MANY
@given(value=plain_values)
def test_values_cross_the_wire_unchanged(value):
    counted("wire round trip")
    back = wire.loads(wire.dumps(value))
    assert compare(back, value) is None
    assert type(back) is type(value)


# What a submission's function can return, before it is reduced to a plain value.
raw_leaves = st.one_of(
    leaves.filter(lambda v: not isinstance(v, (Array, Opaque, Raised))),
    arrays(),
    arrays(shape=()).map(lambda a: a[()]),  # a NumPy scalar
    st.lists(
        st.one_of(st.binary(max_size=3), st.text(max_size=3), st.integers(), st.builds(object)), max_size=4
    ).map(
        lambda items: np.array(items + [None], dtype=object)[:-1]  # an array of Python objects
    ),
    st.lists(st.binary(max_size=3), max_size=4).map(lambda items: np.array(items, dtype=object)),
    st.lists(st.text(max_size=3), min_size=1, max_size=4).map(np.array),
    st.sampled_from(
        [
            np.zeros(2, dtype=[("a", "i4"), ("b", "f8")]),
            np.zeros(2, dtype=[("a", "O")]),
            np.array(["2026-12-01"], dtype="M8[D]"),
            np.array([1, 2], dtype="m8[s]"),
        ]
    ),
    st.builds(object),
    st.sets(st.integers(), max_size=3),
)
raw_values = st.recursive(
    raw_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers(), st.none()), children, max_size=3),
    ),
    max_leaves=6,
)


@settings(
    max_examples=50 if FAST else 500, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(value=raw_values)
@example(value=np.array([object()], dtype=object))  # found: the worker's process exited (status 70)
def test_anything_a_function_returns_crosses_the_wire(value):
    counted("raw round trip")
    plain = normalize(value)
    back = wire.loads(wire.dumps(plain))
    assert type(back) is type(plain)


class Unreadable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no message")


@pytest.mark.parametrize("error", [Unreadable(), Unreadable("x"), SystemExit(3), KeyboardInterrupt()])
def test_any_exception_has_a_plain_form(error):
    back = wire.loads(wire.dumps(raised(error)))
    assert back.type == type(error).__name__ and isinstance(back.message, str)


json_nodes = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6)),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "$array",
                    "$tuple",
                    "$dict",
                    "$raised",
                    "$float",
                    "$opaque",
                    "$case",
                    "$as",
                    "kind",
                    "dtype",
                    "message",
                    "x",
                ]
            ),
            children,
            max_size=3,
        ),
    ),
    max_leaves=10,
)


@MANY
@given(node=json_nodes)
@example(node={"$case": {}})  # found by hypothesis: KeyError
def test_decoding_any_json_raises_nothing_but_wire_errors(node):
    counted("wire decode")
    try:
        wire.decode(json.loads(json.dumps(node)))
    except wire.WireError:
        pass


PLANTED = [31337.125, -27182.8125, 1414.2135, 0.00017320508]
DIGITS = ["31337", "27182", "14142", "17320"]


@MANY
@given(
    actual=anything,
    shape=shapes(),
    dtype=st.sampled_from(["float32", "float64"]),
    kind=st.sampled_from(["tensor", "variable"]),
    data=st.data(),
)
@example(
    actual=Array("tensor", np.float32(1.0)), shape=(), dtype="float32", kind="tensor", data=None
)  # found by hypothesis: "1/31337 of the expected one" gave the value away
def test_messages_never_contain_an_expected_value(actual, shape, dtype, kind, data):
    counted("no expected value")
    size = int(np.prod(shape))
    chosen = (
        data.draw(st.lists(st.sampled_from(PLANTED), min_size=size, max_size=size))
        if data
        else PLANTED[:1] * size
    )
    planted = np.array(chosen, dtype=dtype)
    expected = Array(kind, planted.reshape(shape))
    check = Check(
        id="x.values",
        assignment="05_loss",
        function="x",
        points=1,
        visibility="hidden",
        description="",
        cases=lambda rng: [],
    )
    ones = Array(kind, np.ones(shape, dtype))
    drawn = data.draw(array_values(dtype)) if data is not None else ones
    for candidate in (actual, drawn, ones, Array(kind, np.zeros(shape, dtype))):
        message = case_problem(check, candidate, expected, Case(), context=Context(("x", "w", "b"))) or ""
        assert not any(d in message.replace(".", "").replace(",", "") for d in DIGITS), message


@MANY
@given(
    actual=anything,
    expected=plain_values,
    part=st.sampled_from([None, "w", "losses"]),
    scale=st.sampled_from([1.0, 10.0]),
)
def test_case_problem_never_raises(actual, expected, part, scale):
    counted("case_problem")
    check = Check(
        id="x.y",
        assignment="05_loss",
        function="x",
        points=1,
        visibility="hidden",
        description="",
        cases=lambda rng: [],
        part=part,
        tolerance_scale=scale,
    )
    if part is not None and not (isinstance(expected, dict) and part in expected):
        expected = {part: expected}
    problem = case_problem(check, actual, expected, Case(args=(np.ones((3, 2)),)))
    assert problem is None or isinstance(problem, str)


# Mistakes applied to a correct result: the hints that fire must be true of the case.
MISTAKES = [
    "times",
    "negate",
    "offset",
    "transpose",
    "reshape",
    "float64",
    "float32",
    "sqrt",
    "square",
    "zeros",
    "reverse",
    "complement",
    "none",
    "noise",
]


def apply(mistake: str, e: np.ndarray, k: int, c: float, rng: np.random.Generator):
    if mistake == "times":
        return e * k
    if mistake == "negate":
        return -e
    if mistake == "offset":
        return e + c
    if mistake == "transpose":
        return e.T
    if mistake == "reshape":
        return e.reshape(-1)
    if mistake in ("float64", "float32"):
        return e.astype(mistake)
    if mistake == "sqrt":
        return np.sqrt(np.abs(e))
    if mistake == "square":
        return e * e
    if mistake == "zeros":
        return np.zeros_like(e)
    if mistake == "reverse":
        return e[::-1]
    if mistake == "complement":
        return 1 - e
    if mistake == "none":
        return None
    return e + rng.standard_normal(e.shape).astype(e.dtype)


def holds(key: str, a, e: Array, case: Case, context: Context) -> bool:
    """Whether the relation a hint names is true, computed here without the hint code."""
    if key == "none":
        return a is None
    ad, ed = np.asarray(a.data, dtype=np.float64), np.asarray(e.data, dtype=np.float64)
    counts = {n for arg in case.args for n in (*np.shape(arg), np.size(arg)) if n >= 2}
    ratio_is = lambda r: np.allclose(ad, r * ed, rtol=2e-3, atol=1e-6)
    same_shape = ad.shape == ed.shape
    return {
        "transposed": ad.shape == ed.shape[::-1] and ad.shape != ed.shape,
        "reshaped": ad.size == ed.size and ad.shape != ed.shape,
        "broadcast": ad.ndim == 2
        and ad.shape[0] == ad.shape[1]
        and ed.shape in ((ad.shape[0],), (ad.shape[0], 1)),
        "one-off": ad.ndim == ed.ndim
        and ad.shape[1:] == ed.shape[1:]
        and abs(ad.shape[0] - ed.shape[0]) == 1,
        "array-for-scalar": ed.shape == () and ad.shape != (),
        "float64": a.dtype == "float64"
        and e.dtype == "float32"
        and np.allclose(ad, ed, rtol=1e-5, atol=1e-6),
        "float32": a.dtype == "float32"
        and e.dtype == "float64"
        and np.allclose(ad, ed, rtol=1e-5, atol=1e-6),
        "sign": same_shape and ratio_is(-1),
        "times-2": same_shape and ratio_is(2),
        "half": same_shape and ratio_is(0.5),
        "sum-for-mean": same_shape and any(ratio_is(n) for n in counts),
        "mean-twice": same_shape and any(ratio_is(1 / n) for n in counts),
        "scaled": same_shape and any(ratio_is(f) for n in range(3, 11) for f in (n, 1 / n)),
        "root": same_shape and np.allclose(ad, np.sqrt(np.abs(ed)), rtol=2e-3, atol=1e-6) and (ed >= 0).all(),
        "square": same_shape and np.allclose(ad, ed * ed, rtol=2e-3, atol=1e-6),
        "zeros": same_shape and not ad.any() and ed.any(),
        "offset": same_shape
        and context.has_bias
        and np.ptp(ad - ed) <= 1e-5 + 2e-4 * np.abs(ed).max()
        and (ad != ed).any(),
        "order": same_shape
        and np.allclose(np.sort(ad, axis=None), np.sort(ed, axis=None), rtol=1e-5, atol=1e-6),
        "complement": ad.size == 1 and np.isclose(ad.item(), 1 - ed.item(), atol=1e-8),
        "nan": np.isnan(ad).any() and not np.isnan(ed).any(),
        "unchanged": any(np.shape(arg) == ad.shape and np.allclose(arg, ad) for arg in case.args),
        "ddof": same_shape
        and any(ratio_is(np.sqrt(n / (n - 1))) or ratio_is(np.sqrt((n - 1) / n)) for n in counts),
    }.get(key, False)


@MANY
@given(
    dtype=st.sampled_from(["float32", "float64"]),
    rows=st.integers(1, 6),
    columns=st.integers(1, 3),
    mistake=st.sampled_from(MISTAKES),
    k=st.integers(2, 7),
    c=st.floats(-3, 3).filter(lambda v: abs(v) > 0.01),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_every_hint_that_fires_is_true(dtype, rows, columns, mistake, k, c, bias, seed):
    counted("hints true")
    rng = np.random.default_rng(seed)
    e = Array("tensor", rng.standard_normal((rows, columns)).astype(dtype))
    wrong = apply(mistake, e.data, k, c, rng)
    a = None if wrong is None else Array("tensor", np.asarray(wrong))
    case = Case(args=(rng.standard_normal((rows, columns + 1)), np.ones((k, 1))))
    context = Context(("x", "w", "b") if bias else ("x", "w"))
    for d in diagnose(a, e, case, context):
        assert holds(d.key, a, e, case, context), (d.key, mistake, d.message)


def test_bias_hints_need_a_bias_parameter():
    assert set(BIAS_PARAMETERS) >= {"b"}


@settings(max_examples=300, deadline=None)
@given(actual=anything)
@example(
    actual=(Array("tensor", np.array([["a"], ["b"]])), Array("tensor", np.array(["c"])), [1.0])
)  # found: ValueError
def test_judges_never_raise(actual):
    """Every check judged by a function of its own (not by comparison) takes any value."""
    counted("judges")
    for check, case, expected in JUDGED:
        problem = check.judge(actual, expected, case)
        assert problem is None or isinstance(problem, str)


def _judged() -> list[tuple[Check, Case, Any]]:
    """Every judged check, with a case and what its judge receives as expected (circles'
    rings for a judge of its own data; drawing its cases would need TensorFlow)."""
    from graders.checks import checks_for
    from selfcheck.assignments import ASSIGNMENTS

    found = []
    for a in ASSIGNMENTS:
        for check in checks_for(a.id):
            if check.judge is not None and check.judge_data is not None:
                found.append((check, CIRCLES_CASE, _rings()))
            elif check.judge is not None:
                found.append((check, check.draw_cases(np.random.default_rng(0))[0], None))
    return found


JUDGED = _judged()


@pytest.mark.skipif(FAST, reason="the fast tier runs a tenth of the examples")
def test_at_least_ten_thousand_examples_ran():
    """The generated examples of this module, all properties together."""
    assert sum(EXAMPLES.values()) >= 10_000, EXAMPLES
