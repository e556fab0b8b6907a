"""Shared fixtures: the repository root, running the kit's commands, and one run of the
main job (nbgrader workflow + kit grader on the sample class) shared by every test that
needs it, because it takes minutes."""

from __future__ import annotations

import ast
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase

ROOT = Path(__file__).resolve().parents[1]

# Examples hypothesis found failing are kept in the repository and replayed first on every
# run; CI reads them but writes nothing.
_examples = DirectoryBasedExampleDatabase(str(ROOT / "tests" / "hypothesis-db"))
settings.register_profile("kit", database=_examples, deadline=None)
settings.register_profile("ci", database=ReadOnlyDatabase(_examples), deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "kit")


_CACHE = pytest.StashKey[str]()  # the reference cache folder this run made


def pytest_configure(config: pytest.Config) -> None:
    """One reference cache for the whole run, both workers (they inherit the variable): each
    assignment's reference runs once per run, not once per grader. A folder of this run
    only, removed at its end. GRADERS_REFERENCE_CACHE set already (e.g. "off") is kept."""
    if os.environ.get("GRADERS_REFERENCE_CACHE") is None:
        config.stash[_CACHE] = tempfile.mkdtemp(prefix="graders-references-")
        os.environ["GRADERS_REFERENCE_CACHE"] = config.stash[_CACHE]


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop("GRADERS_REFERENCE_CACHE", None)


def run_kit(
    *args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 900
) -> subprocess.CompletedProcess:
    """`python -m graders ARGS` in a fresh process; output captured as text."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "graders", *args],
        cwd=cwd,
        env=full_env,
        text=True,
        capture_output=True,
        timeout=timeout,
    )


def grade_json(path: Path, tmp_path: Path, env: dict | None = None) -> dict:
    """Grade `path` with the command-line grader and return its JSON result."""
    out = tmp_path / "result.json"
    done = run_kit("grade", str(path), "--json", str(out), "--quiet", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


def load_here(path: Path, assignment_id: str):
    """The grader's loader (graders.engine.load) in this process, for submissions that need no
    TensorFlow: (module, problems), with sys.modules and sys.path left as they were."""
    from graders.engine import Source, load
    from selfcheck.assignments import assignment

    a, saved = assignment(assignment_id), list(sys.path)
    try:
        return load(Source(a, path))
    finally:
        sys.modules.pop(a.module, None)
        sys.path[:] = saved


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The main job run once: (rows of the score table, course folder, student folder)."""
    from graders.instructor import demo

    base = tmp_path_factory.mktemp("demo")
    course, students = base / "course", base / "student"
    rows = demo.run(course, students)
    return rows, course, students


@pytest.fixture(scope="session")
def graded_class(demo_run):
    """The main job's course: the sample class released and autograded with nbgrader (its
    gradebook.db), and graded by `python -m graders batch` (course/kit-results/). The input of
    the class report, feedback page and Canvas export tests, which only read it."""
    return demo_run[1]


# `./kit test` runs the suite on pytest-xdist workers. Each test module is one unit of work,
# so that its module fixtures are built once; the modules that use the sample class's course
# are one unit together (one `demo_run`). Units start longest first, so that no long one is
# left for the end: those below (by their time in a run of the whole suite here, longest
# first), then the other slow modules, then the fast ones.
SAMPLE_CLASS_FIXTURES = {"demo_run", "graded_class"}
LONGEST_UNITS = (
    "sample-class",
    "tests/test_hostile_notebooks.py",
    "tests/test_corpus.py",
    "tests/test_browser_student.py",
    "tests/test_gradescope.py",
    "tests/test_isolation.py",
    "tests/test_gpu_like.py",
    "tests/test_cluster.py",
    "tests/test_hostile.py",
    "tests/test_properties.py",
    "tests/test_grading.py",
)


@functools.cache
def uses_sample_class(module_path: str) -> bool:
    """Whether a test module asks for the sample class's course (a fixture parameter)."""
    tree = ast.parse((ROOT / module_path).read_text())
    return any(
        arg.arg in SAMPLE_CLASS_FIXTURES
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for arg in node.args.args
    )


def unit_of_work(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return "sample-class" if uses_sample_class(module) else module


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def start_first(item: pytest.Item) -> int:
        unit = unit_of_work(item.nodeid)
        if unit in LONGEST_UNITS:
            return LONGEST_UNITS.index(unit)
        return len(LONGEST_UNITS) + (0 if item.get_closest_marker("slow") else 1)

    items.sort(key=start_first)  # a stable sort: each module keeps its own order


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """xdist's scheduling by scope, with `unit_of_work` as the scope."""
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of_work(nodeid)

    return UnitScheduling(config, log)
