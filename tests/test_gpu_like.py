"""Several devices, and GPU-like numerics without a GPU: two logical CPU devices, the second
graded as a GPU, whose results the submission's process perturbs as TF32 and reduction order
would. Every check runs on both; correct answers still pass there; a result that depends on
the device fails there, and only there; perturbations beyond the GPU tolerances fail there,
and only there."""

import shutil

import pytest
from conftest import ROOT, grade_json

from selfcheck.assignments import ASSIGNMENTS

pytestmark = pytest.mark.slow

GPU_LIKE = {"GRADERS_LOGICAL_CPUS": "2", "GRADERS_GPU_LIKE": "CPU:1"}
MODULES = ("loss.py", "gradient_tape.py", "deep.py")  # losses, gradients, training: the float-heavy ones


def _submission(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    for name in MODULES:
        shutil.copy(ROOT / "solutions" / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def two_devices(tmp_path_factory):
    """All seven solutions graded on a CPU and a GPU-like device with GPU-sized differences,
    05_loss's predict wrong on the second only (a result that depends on the device is wrong)."""
    folder = tmp_path_factory.mktemp("two-devices") / "submission"
    shutil.copytree(ROOT / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
    source = (ROOT / "solutions" / "loss.py").read_text()
    wrong = source.replace(
        "    return x @ w + b\n",
        "    out = x @ w + b\n    return out * 1.01 if 'CPU:1' in out.device else out\n",
        1,
    )
    assert wrong != source
    (folder / "loss.py").write_text(wrong)
    return grade_json(folder, folder.parent, env={**GPU_LIKE, "GRADERS_PERTURB": "gpu"})


def test_every_check_runs_on_both_devices_and_correct_answers_pass(two_devices):
    result = two_devices
    assert result["environment"]["devices"] == ["CPU:0", "CPU:1"]
    others = [e for e in result["assignments"] if e["id"] != "05_loss"]
    short = [
        (
            e["id"],
            e["error"],
            e["notes"],
            [(c["id"], c["devices"], c["message"]) for c in e["checks"] if c["status"] != "passed"],
        )
        for e in others
        if e["score"] != e["max_score"]
    ]
    assert len(others) == len(ASSIGNMENTS) - 1 and not short, short
    for entry in others:
        for check in entry["checks"]:
            if check["devices"] == {"source code": "passed"}:
                continue  # a rule about the source: checked once, on no device
            assert check["devices"] == {"CPU:0": "passed", "CPU:1": "passed"}


def test_a_wrong_answer_on_one_device_fails_the_check(two_devices):
    """The check fails, and names the device; the checks it does not touch pass on both."""
    (loss,) = [e for e in two_devices["assignments"] if e["id"] == "05_loss"]
    checks = {c["id"]: c for c in loss["checks"]}
    values = checks["predict.values"]
    assert values["status"] == "failed" and values["score"] == 0
    assert values["devices"] == {"CPU:0": "passed", "CPU:1": "failed"}
    assert "on CPU:1" in values["message"]
    for check in checks.values():
        if check["function"] in ("mean_squared_error", "numeric_gradient") and check["devices"] != {
            "source code": "passed"
        }:
            assert check["devices"] == {"CPU:0": "passed", "CPU:1": "passed"}, check


def test_differences_beyond_the_tolerance_fail_on_that_device_only(tmp_path):
    result = grade_json(_submission(tmp_path), tmp_path, env={**GPU_LIKE, "GRADERS_PERTURB": "beyond"})
    failed = [c for a in result["assignments"] for c in a["checks"] if c["status"] != "passed"]
    numeric = [c for c in failed if "source code" not in c["devices"]]
    assert len(numeric) >= 10
    for check in numeric:
        assert check["devices"] == {"CPU:0": "passed", "CPU:1": "failed"}, check
        assert "on CPU:1" in check["message"]
    # a rule about how a function is written earns nothing once every other check of it fails
    for check in failed:
        if check not in numeric:
            assert "passes none of its other checks" in check["message"], check
