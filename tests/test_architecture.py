"""The shape of the code: imports only point down (cli -> instructor -> engine -> checks ->
selfcheck, and only the engine's facade from outside it), and the code keeps to the lint
and format rules in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=300)


def test_imports_only_point_down():
    done = run(str(BIN / "lint-imports"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout and done.stdout.count("KEPT") == 2


def test_an_upward_import_would_be_caught(tmp_path):
    """The contracts can fail: a checks module that imports the engine breaks them."""
    copy = tmp_path / "kit"
    for name in ("graders", "exercises"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    draw = copy / "graders" / "checks" / "draw.py"
    draw.write_text(draw.read_text() + "\nfrom graders.engine import grading  # upward\n")
    done = subprocess.run(
        [str(BIN / "lint-imports")],
        cwd=copy,
        text=True,
        capture_output=True,
        env={"PYTHONPATH": f"{copy}:{copy / 'exercises'}", "PATH": str(BIN)},
        timeout=300,
    )
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout + done.stderr


# exercises/conftest.py is written by hand, unlike the rest of exercises/*.py (excluded as generated)
@pytest.mark.parametrize(
    "command",
    [("check", ".", "exercises/conftest.py"), ("format", "--check", ".", "exercises/conftest.py")],
    ids=["lint", "format"],
)
def test_ruff(command):
    done = run(str(BIN / "ruff"), *command)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_installed_package_holds_every_file_of_the_kit(tmp_path):
    """The wheel pip builds from pyproject.toml carries every module and data file of graders/
    and selfcheck/ (templates, the kernel spec): a package or file left out of the list would
    only fail on an installed kit."""
    import zipfile

    copy = tmp_path / "kit"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "graders", copy / "graders", ignore=ignore)
    shutil.copytree(ROOT / "exercises" / "selfcheck", copy / "exercises" / "selfcheck", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, copy / name)
    done = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(tmp_path),
        str(copy),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = tmp_path.glob("*.whl")
    packed = {name for name in zipfile.ZipFile(wheel).namelist() if ".dist-info/" not in name}
    expected = {
        f"graders/{p.relative_to(copy / 'graders')}" for p in (copy / "graders").rglob("*") if p.is_file()
    }
    expected |= {
        f"selfcheck/{p.relative_to(copy / 'exercises' / 'selfcheck')}"
        for p in (copy / "exercises" / "selfcheck").rglob("*")
        if p.is_file()
    }
    assert expected - packed == set()


def test_the_suites_longest_units_are_its_own():
    """The units conftest starts first are units of this suite (a renamed module would
    silently start among the last)."""
    from conftest import LONGEST_UNITS, uses_sample_class

    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").glob("test_*.py")}
    assert "sample-class" in LONGEST_UNITS and any(uses_sample_class(m) for m in modules)
    unknown = [u for u in LONGEST_UNITS if u != "sample-class" and u not in modules]
    assert not unknown, unknown
    assert not [u for u in LONGEST_UNITS if u in modules and uses_sample_class(u)]
