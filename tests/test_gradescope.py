"""The Gradescope door, end to end: `python -m graders gradescope 05_loss` builds the real zip;
each test unpacks it into a temporary root that stands in for /autograder (only
GRADERS_AUTOGRADER_ROOT differs, and venv/ is this environment instead of setup.sh's) and runs
its real run_autograder. The reference notebook gets full marks, the stub zero, a wrong answer
part of the points and a hint; a submission that tries to read the solutions and hidden checks
and to write results.json gets neither, with the kit's namespaces and without them (file
permissions and a user id of its own); a submission with nothing to grade, a broken bundle and
a missing Python environment still get a results.json with score 0 and a clear output. Every
results.json is validated against Gradescope's spec (tests/schemas/)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, run_kit

from graders.instructor.gradescope import trial
from graders.instructor.gradescope.requirements import closure, lock_pins

pytestmark = pytest.mark.slow

SCHEMA = json.loads((ROOT / "tests" / "schemas" / "gradescope_results.schema.json").read_text())
ATTACK = ROOT / "tests" / "gradescope" / "steal_and_forge"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    done = run_kit("gradescope", "05_loss", "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "05_loss" in done.stdout and out.exists()
    return out


def grade(bundle: Path, submission: Path, namespaces: bool = True, damage=None) -> tuple[str, dict]:
    """Run the bundle's run_autograder on `submission`; (its output, the valid results.json)."""
    layout = trial.prepare(bundle, submission)
    try:
        if damage:
            damage(layout)
        done, content = trial.run(layout, namespaces=namespaces)
    finally:
        shutil.rmtree(layout.root, ignore_errors=True)
    assert done.returncode == 0, done.stdout
    assert content is not None, done.stdout
    jsonschema.validate(content, SCHEMA, cls=jsonschema.Draft202012Validator)
    return done.stdout, content


def folder_with(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / name).write_text(text)
    return folder


def total(content: dict) -> float:
    return sum(t["max_score"] for t in content["tests"])


def test_the_zip_holds_gradescopes_layout_and_only_the_chosen_assignment(bundle):
    with zipfile.ZipFile(bundle) as archive:
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
    assert {"setup.sh", "run_autograder", "requirements.txt", "requirements.lock"} <= set(modes)
    assert modes["run_autograder"] == modes["setup.sh"] == 0o755
    assert {
        "kit/solutions/loss.py",
        "kit/graders/checks/loss.py",
        "kit/reference/05_loss.json",
        "kit/bundle.json",
        "kit/exercises/selfcheck/__init__.py",
    } <= set(modes)
    assert not [
        n
        for n in modes
        if n.startswith(("kit/solutions/", "kit/graders/checks/"))
        and n.rsplit("/", 1)[1] not in ("loss.py", "__init__.py", "draw.py", "define.py", "reference.py")
    ]
    assert not [n for n in modes if "__pycache__" in n or n.startswith(("kit/tests/", "kit/source/"))]


def test_setup_script_is_valid_bash_and_installs_the_graders_share_of_the_lock(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    setup = (tmp_path / "setup.sh").read_text()
    assert '-r "$source_dir/requirements.txt" -c "$source_dir/requirements.lock"' in setup
    assert "python3.11 -m venv" in setup
    assert (tmp_path / "requirements.lock").read_bytes() == (ROOT / "requirements.lock").read_bytes()
    lock = set((ROOT / "requirements.lock").read_text().split())
    pinned = [
        line
        for line in (tmp_path / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    from_lock = [line for line in pinned if line in lock]
    assert len(from_lock) >= len(pinned) - 2  # setuptools and wheel: not in the lock
    names = {line.split("==")[0].lower().replace("_", "-") for line in pinned}
    assert closure() <= names  # everything TensorFlow and matplotlib need at run time
    assert not names & {"jupyterlab", "nbgrader", "dask", "distributed", "playwright", "pytest"}
    assert len(names) < len(lock_pins(ROOT / "requirements.lock")) / 2


def test_the_bundle_runs_on_its_own_code(bundle, tmp_path):
    """Imported from the unpacked zip alone (the editable install of this checkout switched
    off), every module the container runs resolves inside the zip."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path)
    kit = tmp_path / "kit"
    probe = (
        "import sys\n"
        "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]\n"
        "import graders.instructor.gradescope.run, graders.engine.forkserver, graders.engine.worker\n"
        "import graders.checks.loss, selfcheck.protocols, selfcheck.public\n"
        "from graders.instructor.gradescope import stored\n"
        "stored.load(__import__('pathlib').Path(sys.argv[1]), '05_loss')\n"
        "print('\\n'.join(getattr(m, '__file__', None) or '' for n, m in sys.modules.items()\n"
        "                 if n.split('.')[0] in ('graders', 'selfcheck')))\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{kit}:{kit / 'exercises'}"}
    done = subprocess.run(
        [sys.executable, "-P", "-c", probe, str(kit / "reference")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    files = [f for f in done.stdout.split() if f]
    assert files and all(Path(f).is_relative_to(kit) for f in files), files


def test_reference_notebook_gets_full_marks(bundle, tmp_path):
    submission = tmp_path / "submission"
    submission.mkdir()
    shutil.copy(ROOT / "source" / "05_loss" / "loss.ipynb", submission / "loss.ipynb")
    _, content = grade(bundle, submission)
    assert content["score"] == total(content) == 21
    assert all(t["status"] == "passed" for t in content["tests"])
    visibility = {t["name"]: t["visibility"] for t in content["tests"]}
    assert visibility["05_loss: predict.public"] == "visible"
    assert visibility["05_loss: predict.values"] == "after_published"
    assert set(visibility.values()) == {"visible", "after_published"}
    assert "loss.ipynb" in content["output"]
    environment = content["extra_data"]["environment"]
    assert environment["tensorflow"] and environment["devices"] == ["CPU:0"]
    assert any("namespaces" in how for how in environment["containment"])


def test_stub_scores_zero(bundle, tmp_path):
    _, content = grade(bundle, folder_with(tmp_path, "loss.py", (ROOT / "exercises" / "loss.py").read_text()))
    assert content["score"] == 0 and total(content) == 21
    assert all(t["status"] == "failed" for t in content["tests"])
    assert any("not implemented" in t["output"] for t in content["tests"])


def test_wrong_answer_gets_part_of_the_points_and_a_hint_without_hidden_inputs(bundle, tmp_path):
    reference = (ROOT / "solutions" / "loss.py").read_text()
    mean = "return tf.reduce_mean(tf.square(y_true - y_pred))"
    assert mean in reference
    summed = reference.replace(mean, mean.replace("mean", "sum"))
    _, content = grade(bundle, folder_with(tmp_path, "loss.py", summed))
    assert 0 < content["score"] < total(content)
    failed = {t["name"]: t for t in content["tests"] if t["status"] == "failed"}
    assert "05_loss: mean_squared_error.values" in failed and "05_loss: predict.values" not in failed
    assert any("times the expected" in t["output"] for t in failed.values()), failed
    hidden = [t["output"] for t in content["tests"] if t["visibility"] == "after_published"]
    assert not [t for t in failed if t in content["output"]]  # the visible summary names no failed check
    with zipfile.ZipFile(bundle) as archive:
        stored = json.loads(archive.read("kit/reference/05_loss.json"))
    inputs = _hidden_input_digits(stored)
    assert len(inputs) > 50
    assert not [d for d in inputs if any(d in text for text in hidden)]


def _hidden_input_digits(stored: dict) -> set[str]:
    """Five significant digits of every hidden case's float inputs."""
    import numpy as np

    from graders.engine import wire

    digits = set()
    for entry in stored["checks"]:
        if entry["id"].endswith(".public"):
            continue
        for case in wire.decode(entry["cases"]):
            for arg in case.args:
                data = getattr(arg, "data", arg)
                if isinstance(data, np.ndarray) and data.dtype.kind == "f":
                    digits |= {f"{abs(v):.4e}"[:6] for v in data.flat if abs(v) > 1e-3}
    return {d for d in digits if d[1] == "."}


@pytest.mark.parametrize("namespaces", [True, False], ids=["namespaces", "file-permissions"])
def test_submission_can_neither_read_the_secrets_nor_write_results(bundle, namespaces):
    _out, content = grade(bundle, ATTACK, namespaces=namespaces)
    text = json.dumps(content)
    assert "forged" not in text and content["score"] == 0 and len(content["tests"]) == 16
    message = next(t["output"] for t in content["tests"] if t["name"] == "05_loss: predict.public")
    # the submission's own report of each attempt: refused, the file not even there (namespaces)
    refused = ("PermissionError",) if not namespaces else ("FileNotFoundError", "PermissionError")
    for target in ("results.json", "loss.py", "05_loss.json"):
        assert any(f"{target}: {error}" in message for error in refused), message
    assert "read loss.py" not in text and "read 05_loss.json" not in text
    reference, stub = (
        {line.strip() for line in (ROOT / folder / "loss.py").read_text().splitlines()}
        for folder in ("solutions", "exercises")
    )
    secret_lines = {line for line in reference - stub if len(line) > 20}
    assert len(secret_lines) > 5 and not [line for line in secret_lines if line in text]
    containment = " ".join(content["extra_data"]["environment"]["containment"])
    assert "running as uid" in containment
    assert ("own mount" in containment) == namespaces and ("limits only" in containment) != namespaces


def test_nothing_to_grade_gets_zero_and_says_why(bundle, tmp_path):
    _, content = grade(bundle, folder_with(tmp_path, "Loss.ipynb", "{}"))
    assert content["score"] == 0 and total(content) == 21
    assert "no loss.py or loss.ipynb" in content["output"] and "Loss.ipynb" in content["output"]


def test_a_broken_bundle_still_writes_a_results_json(bundle, tmp_path):
    def damage(layout):
        (layout.kit / "reference" / "05_loss.json").unlink()

    out, content = grade(bundle, folder_with(tmp_path, "loss.py", "x = 1\n"), damage=damage)
    assert content["score"] == 0 and content["tests"] == []
    assert "problem of the autograder" in content["output"]
    assert "05_loss" in out  # the details, for the instructor (stdout is hidden from students)


def test_without_its_python_environment_run_autograder_still_writes_one(bundle, tmp_path):
    def damage(layout):
        (layout.root / "venv").unlink()

    _, content = grade(bundle, folder_with(tmp_path, "loss.py", "x = 1\n"), damage=damage)
    assert content["score"] == 0 and "stopped" in content["output"]


def test_an_unknown_assignment_or_time_limit_is_refused_with_a_message(tmp_path):
    out = tmp_path / "autograder.zip"
    done = run_kit("gradescope", "99_nope", "--out", str(out))
    assert done.returncode == 2 and "no assignment '99_nope'" in done.stderr
    done = run_kit("gradescope", "05_loss", "--time-limit", "60", "--out", str(out))
    assert done.returncode == 2 and "40 minutes" in done.stderr
    assert not out.exists()


def test_a_module_that_ends_its_process_costs_only_its_assignment(tmp_path):
    """A two-assignment bundle: tensors.py ends its process at import, deep.py is right; the
    07_deep tests keep their full marks (its training check judged on the held-out circles
    stored in the bundle)."""
    two = tmp_path / "two.zip"
    done = run_kit("gradescope", "01_tensors", "07_deep", "--out", str(two))
    assert done.returncode == 0, done.stdout + done.stderr
    submission = tmp_path / "submission"
    submission.mkdir()
    shutil.copy(ROOT / "solutions" / "deep.py", submission / "deep.py")
    tensors = (ROOT / "solutions" / "tensors.py").read_text()
    (submission / "tensors.py").write_text("import os\n\nos._exit(0)\n" + tensors)
    output, content = grade(two, submission)
    by_assignment: dict[str, list[dict]] = {}
    for test in content["tests"]:
        by_assignment.setdefault(test["name"].split(":")[0], []).append(test)
    assert set(by_assignment) == {"01_tensors", "07_deep"}
    assert all(t["score"] == t["max_score"] > 0 for t in by_assignment["07_deep"]), output
    assert any("train.circles" in t["name"] for t in by_assignment["07_deep"])
    assert all(t["score"] == 0 for t in by_assignment["01_tensors"])
    assert content["score"] == sum(t["max_score"] for t in by_assignment["07_deep"]) > 0
