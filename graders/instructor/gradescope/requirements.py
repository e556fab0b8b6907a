"""The part of requirements.lock the Gradescope container needs.

The container runs only the grader: the fork server imports TensorFlow (Keras and NumPy
come with it) and matplotlib (a submission may plot). So setup.sh installs the closure of
those two under requirements.lock's pins, about a quarter of the lock: no JupyterLab,
nbgrader, Dask or browser, which makes the image smaller, its build faster and the
container hold less that a submission could use. The closure is read from the installed
packages' metadata; a package of it that the lock does not pin (pip's own setuptools) is
pinned to the version installed here.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

GRADER_NEEDS = ("tensorflow", "matplotlib")


def lock_pins(lock: Path) -> dict[str, str]:
    """Normalised name -> its `name==version` line."""
    pins = {}
    for line in lock.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pins[canonicalize_name(Requirement(line).name)] = line
    return pins


def closure(roots: tuple[str, ...] = GRADER_NEEDS) -> set[str]:
    """The installed distributions `roots` need, themselves included (no extras)."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def grader_requirements(lock: Path) -> str:
    """requirements.txt for the container: the lock's pins of what the grader needs."""
    pins = lock_pins(lock)
    needed = closure()
    lines = ["# The grader's share of requirements.lock (see graders/instructor/gradescope/requirements.py)."]
    lines += [pins[name] for name in sorted(needed) if name in pins]
    unpinned = sorted(needed - set(pins))
    if unpinned:
        lines.append("# Not in requirements.lock: pinned to the versions the kit runs with.")
        lines += [f"{name}=={metadata.version(name)}" for name in unpinned]
    return "\n".join(lines) + "\n"
