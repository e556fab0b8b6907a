"""What runs inside a submission's process (a child of the fork server).

It reads the job folder's request.json (the submission's files and the cases to run),
loads the submission, runs each case on each device through the same protocol the
reference uses, and appends one JSON line per result to results.jsonl as it goes, so
that whatever finished before a crash or a kill is kept. It never scores anything: the
grader judges the raw results.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from graders.engine import devices as device_setup
from graders.engine import wire
from graders.engine.sources import Source, load
from selfcheck.assignments import assignment
from selfcheck.protocols import run
from selfcheck.values import Array, Raised, raised


class CaseTimeout(BaseException):
    """A case ran past its time limit (a BaseException, so `except Exception` in the
    submission does not swallow it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise CaseTimeout()


def open_results(work: Path) -> TextIO:
    """The results file, created readable and writable by its creator only."""
    fd = os.open(work / "results.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    return os.fdopen(fd, "a", encoding="utf-8")


def run_job(work: Path, out: TextIO, containment: str = "") -> int:
    """Run the request in `work`, writing results to `out`."""
    request = json.loads((work / "request.json").read_text())
    device_setup.configure()
    device_list = request["devices"] or device_setup.devices()
    signal.signal(signal.SIGALRM, _on_alarm)
    _emit(out, {"containment": containment, "devices": device_list})
    with out:
        sources = [{**entry, "path": str(work / entry["path"])} for entry in request["sources"]]
        modules = _load_sources(sources, out)
        folders = {entry["assignment"]: str(Path(entry["path"]).parent) for entry in sources}
        timed_out: set[tuple[str, str]] = set()
        for task in request["tasks"]:
            if task["assignment"] in folders:
                os.chdir(folders[task["assignment"]])  # relative paths in the submission work
            module = modules.get(task["assignment"])
            function = getattr(module, task["function"], None) if module is not None else None
            case = wire.decode(task["case"])
            for device in device_list:
                if module is None:
                    break  # the load error was reported once for the whole assignment
                if not callable(function):
                    value: Any = Raised(("MissingFunction",), f"defines no function named {task['function']}")
                elif (task["assignment"], task["function"]) in timed_out:
                    value = Raised(
                        ("CaseTimeout",), "was not run again after an earlier case ran past its time limit"
                    )
                else:
                    value = _run_case(task, function, case, device)
                    if isinstance(value, Raised) and "CaseTimeout" in value.types:
                        timed_out.add((task["assignment"], task["function"]))
                _emit(out, {"task": task["key"], "device": device, "value": wire.encode(value)})
    return 0


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

    device_setup.seed_everything(task["seed"])
    signal.setitimer(signal.ITIMER_REAL, float(task["timeout"]))
    try:
        with tf.device(device):
            value = run(task["protocol"], function, case)
        noise = device_setup.perturbation(device)
        return _perturb(value, noise, np.random.default_rng(task["seed"])) if noise else value
    except CaseTimeout:
        return Raised(("CaseTimeout",), f"took longer than {task['timeout']:g} s")
    except BaseException as error:  # the submission may raise anything, SystemExit too
        return raised(error)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _perturb(value: Any, noise: dict[str, float], rng: Any) -> Any:
    """`value` with relative noise added to its float arrays (a GPU-like test device)."""
    if isinstance(value, Array) and value.dtype in noise:
        factor = 1 + noise[value.dtype] * rng.uniform(-1, 1, size=value.data.shape)
        return Array(value.kind, (value.data * factor).astype(value.data.dtype))
    if isinstance(value, (list, tuple)):
        items = [_perturb(v, noise, rng) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {k: _perturb(v, noise, rng) for k, v in value.items()}
    return value


def _describe(error: BaseException) -> str:
    if isinstance(error, SyntaxError):
        return f"SyntaxError: {error.msg} (line {error.lineno})"
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:200]}" if lines else type(error).__name__


def _emit(out: TextIO, record: dict) -> None:
    out.write(json.dumps(record) + "\n")
    out.flush()
    os.fsync(out.fileno())
