"""Build the Gradescope autograder zip: `python -m graders gradescope ID... --out autograder.zip`.

At the zip's root: setup.sh, run_autograder (from templates/), requirements.txt (the
grader's share of the lock) and requirements.lock (the constraints). Under kit/: the code the
grader runs (the engine, the checks of the chosen assignments, this package), the public
checks (selfcheck), the reference solutions of the chosen assignments, their stored cases and
reference results (reference/<id>.json, computed here) and bundle.json. The zip is the same
for the same kit, assignments, seed and time limit (entries sorted, fixed timestamps).
"""

from __future__ import annotations

import ast
import json
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from graders.checks import checks_for
from graders.engine import BASE_SEED
from graders.instructor.gradescope import stored
from graders.instructor.gradescope.layout import KIT, MANIFEST, STORED
from graders.instructor.gradescope.requirements import grader_requirements
from graders.paths import HIDDEN_CHECKS, ROOT
from selfcheck.assignments import ASSIGNMENTS, assignment

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_TIME_LIMIT_MINUTES = 10  # Gradescope's default timeout
STAMP = (1980, 1, 1, 0, 0, 0)
# The code the container runs, besides the chosen assignments' checks and solutions.
CODE = (
    "graders/__init__.py",
    "graders/paths.py",
    "graders/engine/*.py",
    "graders/checks/__init__.py",
    "graders/checks/reference.py",  # the engine's; the helpers of the checks follow their imports
    "graders/instructor/__init__.py",
    *(
        f"graders/instructor/gradescope/{name}.py"
        for name in ("__init__", "layout", "permissions", "results", "run", "stored")
    ),
    "exercises/selfcheck/**/*.py",
)


class BundleRequestError(ValueError):
    """The assignments asked for cannot be bundled."""


@dataclass
class BuiltBundle:
    path: Path
    assignments: list[str]
    files: int
    bytes: int


def build(
    ids: list[str],
    out: Path,
    base_seed: int = BASE_SEED,
    time_limit_minutes: int = DEFAULT_TIME_LIMIT_MINUTES,
) -> BuiltBundle:
    """Compute the reference results of `ids` and write the zip to `out`."""
    ids = _checked(ids)
    if not 3 <= time_limit_minutes <= 40:
        raise BundleRequestError("the time limit must be 3 to 40 minutes (Gradescope allows up to 40)")
    entries: dict[str, tuple[bytes, int]] = {}
    for name in ("setup.sh", "run_autograder"):
        text = (TEMPLATES / name).read_text().replace("@TIME_LIMIT_SECONDS@", str(time_limit_minutes * 60))
        entries[name] = (text.encode(), 0o755)
    entries["requirements.txt"] = (grader_requirements(ROOT / "requirements.lock").encode(), 0o644)
    entries["requirements.lock"] = ((ROOT / "requirements.lock").read_bytes(), 0o644)
    for path in _code_files(ids):
        entries[f"{KIT}/{path.relative_to(ROOT).as_posix()}"] = (path.read_bytes(), 0o644)
    for assignment_id in ids:
        data = json.dumps(stored.compute(assignment_id, base_seed).to_json(), separators=(",", ":"))
        entries[f"{KIT}/{STORED}/{assignment_id}.json"] = (data.encode(), 0o644)
    manifest = {
        "assignments": ids,
        "base_seed": base_seed,
        "time_limit_seconds": time_limit_minutes * 60,
        "built_with": {"tensorflow": metadata.version("tensorflow")},
    }
    entries[f"{KIT}/{MANIFEST}"] = ((json.dumps(manifest, indent=1) + "\n").encode(), 0o644)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".part")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            content, mode = entries[name]
            info = zipfile.ZipInfo(name, STAMP)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    temporary.replace(out)
    return BuiltBundle(out, ids, len(entries), out.stat().st_size)


def _checked(ids: list[str]) -> list[str]:
    if not ids:
        raise BundleRequestError("name at least one assignment (e.g. 05_loss)")
    chosen = []
    for given in ids:
        try:
            found = assignment(given)
        except KeyError as error:
            raise BundleRequestError(error.args[0]) from None
        if not checks_for(found.id):
            raise BundleRequestError(f"{found.id} has no checks yet")
        if not (ROOT / "solutions" / found.script).exists():
            raise BundleRequestError(f"{found.id} has no reference solution (solutions/{found.script})")
        if found.id not in chosen:
            chosen.append(found.id)
    order = [a.id for a in ASSIGNMENTS]
    return sorted(chosen, key=order.index)


def _code_files(ids: list[str]) -> list[Path]:
    files = set()
    for pattern in CODE:
        found = [p for p in ROOT.glob(pattern) if "__pycache__" not in p.parts]
        if not found:
            raise FileNotFoundError(
                f"the bundle's code list names {pattern}, which matches no file of the kit"
            )
        files.update(found)
    for assignment_id in ids:
        module = assignment(assignment_id).module
        files.add(ROOT / "solutions" / f"{module}.py")
        check_module = HIDDEN_CHECKS / f"{module}.py"
        if check_module.exists():
            files.update(_with_helpers(check_module))
    return sorted(files)


def _with_helpers(check_module: Path) -> set[Path]:
    """The check module and the modules of graders.checks it imports, directly or not (only
    the helpers its own assignment needs go into the zip)."""
    found, todo = set(), [check_module]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graders.checks."):
                todo.append(HIDDEN_CHECKS / f"{node.module.rsplit('.', 1)[1]}.py")
    return found
