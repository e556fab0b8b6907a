"""GPU-like numerics without a GPU: a logical CPU device graded as a GPU, whose results the
submission's process perturbs as TF32 and reduction order would. Correct answers still
pass there; perturbations beyond the GPU tolerances fail there, and only there."""

import shutil

import pytest
from conftest import ROOT, grade_json

pytestmark = pytest.mark.slow

GPU_LIKE = {"GRADERS_LOGICAL_CPUS": "2", "GRADERS_GPU_LIKE": "CPU:1"}
MODULES = ("loss.py", "gradient_tape.py", "deep.py")  # losses, gradients, training: the float-heavy ones


def _submission(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    for name in MODULES:
        shutil.copy(ROOT / "solutions" / name, folder / name)
    return folder


def test_correct_answers_pass_under_gpu_sized_differences(tmp_path):
    result = grade_json(_submission(tmp_path), tmp_path, env={**GPU_LIKE, "GRADERS_PERTURB": "gpu"})
    assert result["score"] == result["max_score"]
    devices = {d for a in result["assignments"] for c in a["checks"] for d in c["devices"]}
    assert {"CPU:0", "CPU:1"} <= devices


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
