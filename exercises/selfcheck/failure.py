"""What a failing public check says: one block of text, the same in pytest and in a notebook.

The block names the check, then each failing case (its label and the kind, dtype and shape
of every input) with what differs, then the hint all failing cases agree on. It carries no
traceback: the code that ran the check is not the student's, and its frames would only push
the message out of sight.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .model import As, Case, Check

# Protocols that pass a case's arguments to the function as they are: inputs can be named
# after the function's parameters.
DIRECT_PROTOCOLS = ("call", "call_in_tf_function")
KINDS = {"tensor": "tensor", "variable": "tf.Variable", "numpy": "NumPy array"}


class CheckFailed(AssertionError):
    """A public check failed; the message is the whole report."""

    def _render_traceback_(self) -> list[str]:
        """What IPython (a notebook cell) shows instead of a traceback: the message alone."""
        return [f"{type(self).__name__}: {self}"]


def failure_text(
    check: Check, failures: list[tuple[int, Case, str]], hint: str | None, parameters: tuple[str, ...] = ()
) -> str:
    """The block for a check whose cases in `failures` (index, case, problem) went wrong."""
    lines = [f"{check.id} failed: {check.description}"]
    # Other protocols build the function's arguments from the case: its label says what they are.
    direct = check.protocol in DIRECT_PROTOCOLS
    for index, case, problem in failures:
        label = f" ({case.label})" if case.label else ""
        inputs = describe_inputs(case, parameters) if direct or not case.label else ""
        lines.append(f"  case {index + 1} of {len(check.cases)}{label}" + (f": {inputs}" if inputs else ""))
        lines.append(f"    {problem}")
    if hint:
        lines.append(f"  Hint: {hint}")
    return "\n".join(lines)


def describe_inputs(case: Case, parameters: tuple[str, ...] = ()) -> str:
    """The kind, dtype and shape of every argument of a case, named after `parameters`.

    Named arrays of one kind and dtype are grouped, the other arguments follow:
    "float32 tensors x (3, 2), w (2, 1); activation 'relu'"."""
    names = list(parameters[: len(case.args)]) if len(case.args) <= len(parameters) else []
    named = [(names[i] if names else "", value) for i, value in enumerate(case.args)]
    named += list(case.kwargs.items())
    grouped = [(name, _array_parts(value)) for name, value in named if _array_parts(value)]
    if len(grouped) > 1 and len({parts[0] for _, parts in grouped}) == 1 and all(name for name, _ in named):
        shapes = ", ".join(f"{name} {parts[2]}" for name, parts in grouped)
        rest = [_join(name, describe_value(value)) for name, value in named if not _array_parts(value)]
        return f"{grouped[0][1][1]} {shapes}" + (f"; {', '.join(rest)}" if rest else "")
    return ", ".join(_join(name, describe_value(value)) for name, value in named)


def describe_value(value: Any) -> str:
    """A short description of one input: "float64 NumPy array (2, 1)", "0.1", "a function"."""
    parts = _array_parts(value)
    if parts:
        kind, _, shape = parts
        return f"{kind} {shape}"
    if value is None or isinstance(value, (bool, int, float, np.generic)):
        return repr(value.item() if isinstance(value, np.generic) else value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 30 else f"a string of {len(value)} characters"
    if isinstance(value, (list, tuple)):
        if all(v is None or isinstance(v, (bool, int, float, str)) for v in value) and len(repr(value)) <= 30:
            return repr(value)
        items = [_array_parts(v) for v in value]
        if value and all(items) and len({kind for kind, _, _ in items}) == 1:
            shapes = list(dict.fromkeys(shape for _, _, shape in items))
            return f"a {type(value).__name__} of {len(value)} {items[0][1]} {', '.join(shapes)}"
        return f"a {type(value).__name__} of {len(value)}"
    if callable(value):
        return "a function"
    return f"a {type(value).__name__}"


def _array_parts(value: Any) -> tuple[str, str, str] | None:
    """(kind, kind in the plural, shape) of an array input, e.g. ("float32 tensor",
    "float32 tensors", "(3, 2)"); None for anything else."""
    if isinstance(value, As):
        kind, data = value.kind, value.data
    elif isinstance(value, np.ndarray):
        kind, data = "numpy", value
    else:
        return None
    shape = str(tuple(data.shape))
    if kind == "list":  # nested Python lists: Python numbers, whatever the NumPy dtype was
        item = {"b": "bools", "i": "ints", "u": "ints", "f": "floats"}.get(data.dtype.kind, "values")
        return f"list of {item}", f"lists of {item}", shape
    noun = KINDS[kind]
    return f"{data.dtype.name} {noun}", f"{data.dtype.name} {noun}s", shape


def _join(name: str, text: str) -> str:
    return f"{name} {text}" if name else text
