"""The format of everything that crosses between the grader and a submission's process.

JSON only: arrays travel as base64-encoded .npy bytes read back with allow_pickle=False,
so no object the submission made is ever unpickled by the grader. Decoding validates
every node and bounds the sizes, because the submission's process may write anything.
"""

from __future__ import annotations

import base64
import io
import json
import math
from typing import Any

import numpy as np

from selfcheck.model import As, Case
from selfcheck.values import ARRAY_KINDS, Array, Opaque, Raised

MAX_ARRAY_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32


def _extended_dtypes() -> dict[str, tuple[np.dtype, np.dtype]]:
    """Dtypes that .npy cannot describe (TensorFlow's bfloat16): name -> (dtype, the
    unsigned integer dtype of the same width their bits travel as)."""
    try:
        import ml_dtypes
    except ImportError:  # without it, no value of these dtypes exists either
        return {}
    return {"bfloat16": (np.dtype(ml_dtypes.bfloat16), np.dtype(np.uint16))}


EXTENDED = _extended_dtypes()


class WireError(ValueError):
    """What a process sent is not a well-formed message."""


def encode(value: Any) -> Any:
    """A JSON-ready form of a plain value tree, a case or an argument."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, Array):
        data = np.asarray(value.data)
        if data.dtype.name in EXTENDED:
            bits = data.view(EXTENDED[data.dtype.name][1])
            return {"$array": _array_to_text(bits), "kind": value.kind, "dtype": data.dtype.name}
        return {"$array": _array_to_text(data), "kind": value.kind}
    if isinstance(value, As):
        return {"$as": _array_to_text(np.asarray(value.data)), "kind": value.kind}
    if isinstance(value, np.ndarray):
        return {"$ndarray": _array_to_text(value)}
    if isinstance(value, np.generic):
        return encode(value.item())
    if isinstance(value, Raised):
        return {"$raised": list(value.types), "message": value.message}
    if isinstance(value, Opaque):
        return {"$opaque": value.type}
    if isinstance(value, Case):
        return {
            "$case": {
                "args": encode(value.args),
                "kwargs": encode(value.kwargs),
                "options": encode(value.options),
                "label": value.label,
            }
        }
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": {str(k): encode(v) for k, v in value.items()}}
    raise TypeError(f"cannot send a value of type {type(value).__name__}")


def decode(node: Any, _depth: int = 0) -> Any:
    """The value `encode` was given; WireError if `node` is not something it produces."""
    try:
        return _decode(node, _depth)
    except WireError:
        raise
    except (LookupError, TypeError, ValueError, AttributeError, RecursionError) as error:
        raise WireError(f"malformed message ({type(error).__name__})") from None


def _decode(node: Any, _depth: int = 0) -> Any:
    decode = _decode
    if _depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [decode(v, _depth + 1) for v in node]
    if not isinstance(node, dict) or len(node) == 0:
        raise WireError(f"unexpected JSON node of type {type(node).__name__}")
    tag = next(iter(node))
    body = node[tag]
    if tag == "$float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "$array" and node.get("kind") in ARRAY_KINDS and set(node) == {"$array", "kind"}:
        return Array(node["kind"], _text_to_array(body))
    if tag == "$array" and node.get("kind") in ARRAY_KINDS and set(node) == {"$array", "kind", "dtype"}:
        dtype, bits = (
            EXTENDED.get(node["dtype"], (None, None)) if isinstance(node["dtype"], str) else (None, None)
        )
        array = _text_to_array(body)
        if dtype is None or array.dtype != bits:
            raise WireError(f"unexpected array dtype {str(node['dtype'])[:40]!r}")
        return Array(node["kind"], array.view(dtype))
    if tag == "$as" and set(node) == {"$as", "kind"}:
        return As(node["kind"], _text_to_array(body))
    if tag == "$ndarray":
        return _text_to_array(body)
    if tag == "$raised" and isinstance(body, list) and all(isinstance(t, str) for t in body) and body:
        message = node.get("message", "")
        if not isinstance(message, str):
            raise WireError("exception message is not a string")
        return Raised(tuple(body), message[:500])
    if tag == "$opaque" and isinstance(body, str):
        return Opaque(body[:100])
    if tag == "$case" and isinstance(body, dict) and {"args", "kwargs", "options"} <= set(body):
        args, kwargs, options = (decode(body[k], _depth + 1) for k in ("args", "kwargs", "options"))
        if not (isinstance(args, tuple) and isinstance(kwargs, dict) and isinstance(options, dict)):
            raise WireError("malformed case")
        return Case(args=args, kwargs=kwargs, options=options, label=str(body.get("label", "")))
    if tag == "$tuple" and isinstance(body, list):
        return tuple(decode(v, _depth + 1) for v in body)
    if tag == "$dict" and isinstance(body, dict):
        return {str(k): decode(v, _depth + 1) for k, v in body.items()}
    raise WireError(f"unexpected tag {tag!r}")


def dumps(value: Any) -> str:
    return json.dumps(encode(value))


def loads(text: str) -> Any:
    try:
        return decode(json.loads(text))
    except (json.JSONDecodeError, RecursionError) as error:
        raise WireError(f"not valid JSON: {error}") from None


def _array_to_text(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _text_to_array(text: Any) -> np.ndarray:
    if not isinstance(text, str) or len(text) > MAX_ARRAY_BYTES * 4 // 3 + 1024:
        raise WireError("array too large or not text")
    try:
        array = np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except Exception as error:  # a malformed .npy payload
        raise WireError(f"malformed array: {error}") from None
    if array.dtype.kind not in "biufcUS":
        raise WireError(f"arrays of dtype {array.dtype} are not accepted")
    return array
