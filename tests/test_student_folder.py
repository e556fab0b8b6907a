"""The student folder: stubs, public checks and data; `pytest` inside it needs neither
solutions/ nor graders/."""

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from graders.instructor.build import assignments_with_sources, write_student_folder
from selfcheck import public_checks

pytestmark = pytest.mark.slow

PUBLIC = sum(len(public_checks(a.id)) for a in assignments_with_sources())

# Run pytest in the student folder with the kit's own packages made unimportable, so the
# checks can only pass if the folder is self-contained.
PYTEST_ALONE = (
    "import sys; sys.modules['graders'] = None; sys.modules['solutions'] = None;"
    "import pytest, selfcheck; print('selfcheck from', selfcheck.__file__);"
    "sys.exit(pytest.main(['-p', 'no:cacheprovider']))"
)


def _pytest_in(folder):
    return subprocess.run(
        [sys.executable, "-c", PYTEST_ALONE],
        cwd=folder,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=600,
    )


def test_student_folder_with_stubs_fails_the_public_checks(tmp_path):
    folder = tmp_path / "student"
    write_student_folder(folder)
    assert not any(folder.rglob("solutions")) and not (folder / "graders").exists()
    done = _pytest_in(folder)
    assert done.returncode == 1, done.stdout
    assert f"selfcheck from {folder}" in done.stdout
    assert f"{PUBLIC} failed" in done.stdout and "not implemented yet" in done.stdout


def test_student_folder_with_the_reference_code_passes(tmp_path):
    folder = tmp_path / "student"
    write_student_folder(folder)
    for a in assignments_with_sources():
        shutil.copy(ROOT / "solutions" / a.script, folder / a.script)
    done = _pytest_in(folder)
    assert done.returncode == 0, done.stdout
    assert f"{PUBLIC} passed" in done.stdout
