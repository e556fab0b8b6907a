"""A student's own environment needs only selfcheck, and cannot import the grader: in a
JupyterLab-style kernel on the released notebook's folder, and in the student folder's
pytest run.

A student's machine has TensorFlow, Jupyter and pytest but not the kit: the stand-in here is
this environment's interpreter started with `-S` (no site processing, so no `.pth` file and
no editable install of the kit) and the third-party site-packages folder on PYTHONPATH. The
contained autograde kernel is covered in test_contained_kernel.py."""

import asyncio
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import ROOT
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from graders.instructor.build import COPY_IGNORE
from selfcheck import public_checks

pytestmark = pytest.mark.slow

SITE_PACKAGES = sysconfig.get_paths()["purelib"]
STUDENT_ENV = {"PYTHONPATH": SITE_PACKAGES, "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": os.environ.get("PATH", "")}

IN_THE_KERNEL = r"""
import json, sys
facts = {}
try:
    import graders
    facts["graders"] = repr(graders)
except ImportError as error:
    facts["graders"] = f"{type(error).__name__}: {error}"
from selfcheck import check
import selfcheck
facts["selfcheck"] = selfcheck.__file__
import tensorflow as tf
def predict(x, w, b):
    return tf.convert_to_tensor(x) @ tf.convert_to_tensor(w) + tf.convert_to_tensor(b)
check("05_loss", "predict", predict)
print("FACTS" + json.dumps(facts))
"""


def test_a_students_jupyter_kernel_cannot_import_the_grader(tmp_path):
    folder = tmp_path / "05_loss"  # what the student fetched: the release notebook and selfcheck/
    shutil.copytree(ROOT / "exercises" / "selfcheck", folder / "selfcheck")
    spec = tmp_path / "kernels" / "student"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-S", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "student",
                "language": "python",
                "env": STUDENT_ENV,
            }
        )
    )

    async def scenario():
        specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
        km = AsyncKernelManager(kernel_name="student", kernel_spec_manager=specs)
        await km.start_kernel(cwd=str(folder))
        kc = km.client()
        kc.start_channels()
        printed = []
        try:
            await kc.wait_for_ready(timeout=120)
            await kc.execute_interactive(
                IN_THE_KERNEL,
                timeout=120,
                output_hook=lambda m: printed.append(
                    m["content"].get("text", "") + "\n".join(m["content"].get("traceback", []))
                ),
            )
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
        return "".join(printed)

    printed = asyncio.run(scenario())
    line = next((line for line in printed.splitlines() if line.startswith("FACTS")), "FACTS{}")
    facts = json.loads(line[len("FACTS") :])
    assert facts, printed[-3000:]
    assert facts["graders"] == "ModuleNotFoundError: No module named 'graders'"
    assert Path(facts["selfcheck"]).parent == folder / "selfcheck"
    assert "passed" in printed


NO_GRADER = """import pytest


def test_the_grader_is_not_importable():
    with pytest.raises(ModuleNotFoundError):
        import graders  # noqa: F401
"""


def test_the_student_folders_pytest_run_cannot_import_the_grader(tmp_path):
    folder = tmp_path / "student"  # what write_student_folder hands out: exercises/
    shutil.copytree(ROOT / "exercises", folder, ignore=COPY_IGNORE)
    shutil.copy(ROOT / "solutions" / "loss.py", folder / "loss.py")
    (folder / "test_no_grader.py").write_text(NO_GRADER)
    done = subprocess.run(
        [
            sys.executable,
            "-S",
            "-m",
            "pytest",
            "-v",
            "-p",
            "no:cacheprovider",
            "test_loss.py",
            "test_no_grader.py",
        ],
        cwd=folder,
        env=STUDENT_ENV,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert f"{len(public_checks('05_loss')) + 1} passed" in done.stdout, done.stdout[-2000:]
