"""What runs inside a submission's process (a child of the fork server).

It reads the job folder's request.json (the submission's files and the cases to run),
loads the submission, runs each case on each device through the same protocol the
reference uses, and appends one JSON line per result to results.jsonl as it goes, so
that whatever finished before a crash or a kill is kept. It never scores anything: the
grader judges the raw results.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import resource
import signal
import traceback
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from graders.engine import devices as device_setup
from graders.engine import wire
from graders.engine.sources import Source, load
from selfcheck.assignments import assignment
from selfcheck.protocols import run
from selfcheck.values import Array, Opaque, Raised, kind_label, raised

CRASH_LIMIT = 4000  # characters of a crash's traceback kept
ARRAY_LIMIT = 8 << 20  # bytes of one returned array sent back; a larger one is described instead
RESERVE = 1 << 20  # room in the results file kept for the records after a large one


class CaseTimeout(BaseException):
    """A case ran past its time limit (a BaseException, so `except Exception` in the
    submission does not swallow it)."""


class CpuLimit(CaseTimeout):
    """A case used more CPU time than its check allows."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise CaseTimeout()


def _on_cpu_limit(signum: int, frame: Any) -> None:
    raise CpuLimit()


def open_results(work: Path) -> TextIO:
    """The results file, created readable and writable by its creator only."""
    fd = os.open(work / "results.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8")


def run_job(work: Path, out: TextIO, containment: str = "") -> int:
    """Run the request in `work`, writing results to `out`. Should anything escape (a fault of
    this module, or a submission that broke the process around it), its traceback is the last
    record, for the instructor's notes, and the status is 70."""
    with out:
        try:
            _run_request(work, out, containment)
        except BaseException:  # the results so far are kept; say why the rest is missing
            with contextlib.suppress(BaseException):
                _emit(out, {"crash": traceback.format_exc(limit=12)[-CRASH_LIMIT:]})
            return 70
    return 0


def _run_request(work: Path, out: TextIO, containment: str) -> None:
    request = json.loads((work / "request.json").read_text())
    device_setup.configure()
    device_list = request["devices"] or device_setup.devices()
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGPROF, _on_cpu_limit)
    _emit(out, {"containment": containment, "devices": device_list})
    sources = [{**entry, "path": str(work / entry["path"])} for entry in request["sources"]]
    modules = _load_sources(sources, out)
    folders = {entry["assignment"]: str(Path(entry["path"]).parent) for entry in sources}
    timed_out: set[tuple[str, str]] = set()
    for task in request["tasks"]:
        if task["assignment"] in folders:
            os.chdir(folders[task["assignment"]])  # relative paths in the submission work
        module = modules.get(task["assignment"])
        function = _lookup(module, task["function"])
        case = wire.decode(task["case"])
        for device in device_list:
            if module is None:
                break  # the load error was reported once for the whole assignment
            if isinstance(function, Raised):  # looking it up ran the submission's code, which raised
                value: Any = function
            elif not callable(function):
                value = Raised(("MissingFunction",), f"defines no function named {task['function']}")
            elif (task["assignment"], task["function"]) in timed_out:
                value = Raised(
                    ("CaseTimeout",), "was not run again after an earlier case ran past its time limit"
                )
            else:
                value = _run_case(task, function, case, device)
                if isinstance(value, Raised) and "CaseTimeout" in value.types:
                    timed_out.add((task["assignment"], task["function"]))
            _emit_value(out, task["key"], device, value)


def _lookup(module: Any, name: str) -> Any:
    """The module's attribute `name`, None if absent, or what a module `__getattr__` raised."""
    if module is None:
        return None
    try:
        return getattr(module, name, None)
    except BaseException as error:
        return raised(error)


def _load_sources(sources: list[dict], out: TextIO) -> dict[str, Any]:
    modules = {}
    for entry in sources:
        source = Source(assignment(entry["assignment"]), Path(entry["path"]))
        try:
            os.chdir(source.path.parent)
            module, problems = load(source)
        except BaseException as error:  # SyntaxError, SystemExit, anything at import
            _emit(out, {"load": source.assignment.id, "error": _describe(error)})
            continue
        modules[source.assignment.id] = module
        _emit(out, {"load": source.assignment.id, "error": None, "problems": problems})
    return modules


def _run_case(task: dict, function: Any, case: Any, device: str) -> Any:
    import tensorflow as tf

    try:
        try:
            device_setup.seed_everything(task["seed"])
            signal.setitimer(signal.ITIMER_REAL, float(task["timeout"]))
            if task.get("cpu_limit"):
                signal.setitimer(signal.ITIMER_PROF, float(task["cpu_limit"]))
            with tf.device(device):
                value = run(task["protocol"], function, case)
        finally:  # disarmed before the handlers below run: no alarm can interrupt them
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.setitimer(signal.ITIMER_PROF, 0)
        noise = device_setup.perturbation(device)
        return _perturb(value, noise, np.random.default_rng(task["seed"])) if noise else value
    except CpuLimit:
        return Raised(("CaseTimeout",), f"used more than {task['cpu_limit']:g} s of CPU time")
    except CaseTimeout:
        return Raised(("CaseTimeout",), f"took longer than {task['timeout']:g} s")
    except BaseException as error:  # the submission may raise anything, SystemExit too
        return raised(error)


def _emit_value(out: TextIO, key: str, device: str, value: Any) -> None:
    """Write one result. One that cannot be sent, or would not fit in the room the results
    file has left (its size limit ends the process), is written as a description instead."""
    try:
        line = json.dumps({"task": key, "device": device, "value": wire.encode(_sendable(value))})
    except Exception:
        line = ""
    if not line or len(line) > _room(out):
        what = f"{kind_label(value)} too large to send back" if line else type(value).__name__
        line = json.dumps({"task": key, "device": device, "value": wire.encode(Opaque(what))})
    _write(out, line)


def _sendable(value: Any) -> Any:
    """`value` with each array too large to send back replaced by a description of it."""

    def fit(array: Array) -> Any:
        if array.data.nbytes <= ARRAY_LIMIT:
            return array
        size = f"{array.data.nbytes:,} bytes, too large to send back"
        return Opaque(f"{kind_label(array)} of shape {array.shape} ({size})")

    return _map_arrays(value, fit)


def _map_arrays(value: Any, change: Any) -> Any:
    """`value` with `change` applied to each Array in it (lists, tuples, dicts walked in order)."""
    if isinstance(value, Array):
        return change(value)
    if isinstance(value, (list, tuple)):
        items = [_map_arrays(v, change) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {k: _map_arrays(v, change) for k, v in value.items()}
    return value


def _room(out: TextIO) -> float:
    """Characters the results file can still take, keeping some for the records after this one."""
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return math.inf if limit == resource.RLIM_INFINITY else limit - out.tell() - RESERVE


def _perturb(value: Any, noise: dict[str, float], rng: Any) -> Any:
    """`value` with relative noise added to its float arrays (a GPU-like test device)."""

    def shake(array: Array) -> Array:
        if array.dtype not in noise:
            return array
        factor = 1 + noise[array.dtype] * rng.uniform(-1, 1, size=array.data.shape)
        return Array(array.kind, (array.data * factor).astype(array.data.dtype))

    return _map_arrays(value, shake)


def _describe(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        where = f" (line {error.lineno})" if error.lineno else ""
        return f"SyntaxError: {error.msg}{where}"
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:200]}" if lines else type(error).__name__


def _emit(out: TextIO, record: dict) -> None:
    _write(out, json.dumps(record))


def _write(out: TextIO, line: str) -> None:
    """One record, on disk before the next case runs (a crash keeps what came before)."""
    out.write(line + "\n")
    out.flush()
    os.fsync(out.fileno())
