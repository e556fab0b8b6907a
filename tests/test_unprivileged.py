"""The grader run by an ordinary user: its submissions are contained in a user namespace.

This machine's Python lives where only root may read, so the stand-in for an ordinary user
is a user namespace that maps the caller to uid 1000 with no capabilities on the host's side
(`unshare --user --map-user=1000`): the kit takes exactly its non-root path. A submission
that tries to leave its chroot (a process holding its namespace's capabilities could) and
hand in the reference solution must earn nothing, and an honest one full marks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.geteuid() != 0 or not shutil.which("unshare"),
        reason="needs root to make the stand-in user namespace",
    ),
]


def test_an_ordinary_user_keeps_submissions_in_their_namespace(tmp_path):
    klass, out = tmp_path / "class", tmp_path / "out"
    shutil.copytree(ROOT / "tests" / "hostile" / "escape_the_chroot", klass / "escaper")
    (klass / "honest").mkdir()
    shutil.copy(ROOT / "solutions" / "loss.py", klass / "honest" / "loss.py")
    done = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-user=1000",
            "--map-group=1000",
            sys.executable,
            "-m",
            "graders",
            "batch",
            str(klass),
            "--out",
            str(out),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout
    escaper = json.loads((out / "results" / "escaper" / "05_loss.json").read_text())
    honest = json.loads((out / "results" / "honest" / "05_loss.json").read_text())
    assert "user namespace" in escaper["environment"]["sandbox"]
    assert escaper["assignment"]["score"] == 0, [
        c["id"] for c in escaper["assignment"]["checks"] if c["score"]
    ]
    assert honest["assignment"]["score"] == honest["assignment"]["max_score"] > 0
