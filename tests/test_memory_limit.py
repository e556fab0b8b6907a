"""A submission's address-space limit follows the machine: a quarter of its memory (MemTotal,
or the container's cgroup limit where lower), never below what TensorFlow needs nor above
4 GiB; and the submission's process is the one the kernel's OOM killer picks in a container at
its limit."""

from __future__ import annotations

import pytest
from conftest import ROOT

from graders.engine import SECRET_FOLDERS, ForkServer, Source, containment, plan, tasks
from graders.engine.containment import (
    MEMORY_CEILING_MB,
    MEMORY_FLOOR_MB,
    Limits,
    machine_memory_mb,
    memory_limit_mb,
)
from selfcheck.assignments import assignment
from selfcheck.values import Raised

pytestmark = pytest.mark.slow

MEMINFO = "MemTotal:       24683584 kB\nMemFree:        21461504 kB\n"


@pytest.mark.parametrize(
    "cgroups, expected",
    [
        ({}, 24105),  # no cgroup files
        ({"memory.max": "max"}, 24105),  # cgroup v2, no limit
        ({"memory.max": str(768 << 20)}, 768),  # Gradescope's default container
        ({"memory.limit_in_bytes": "9223372036854771712"}, 24105),  # cgroup v1, no limit
        ({"memory.limit_in_bytes": str(2 << 30), "memory.max": "max"}, 2048),
    ],
)
def test_machine_memory_is_memtotal_or_the_cgroup_limit(tmp_path, cgroups, expected):
    (tmp_path / "meminfo").write_text(MEMINFO)
    for name, text in cgroups.items():
        (tmp_path / name).write_text(text + "\n")
    files = (tmp_path / "memory.max", tmp_path / "memory.limit_in_bytes")
    assert machine_memory_mb(tmp_path / "meminfo", files) == expected


@pytest.mark.parametrize(
    "machine_mb, expected",
    [
        (768, MEMORY_FLOOR_MB),
        (8192, MEMORY_FLOOR_MB),
        (12288, 3072),
        (24105, MEMORY_CEILING_MB),
        (65536, MEMORY_CEILING_MB),
    ],
)
def test_limit_is_a_quarter_of_the_machine_between_floor_and_ceiling(monkeypatch, machine_mb, expected):
    monkeypatch.setattr(containment, "machine_memory_mb", lambda: machine_mb)
    assert memory_limit_mb() == expected
    assert Limits().memory_mb == expected


def test_default_limit_follows_this_machine():
    assert Limits().memory_mb == min(MEMORY_CEILING_MB, max(MEMORY_FLOOR_MB, machine_memory_mb() // 4))


def test_tensorflow_grades_within_the_floor_and_the_oom_killer_prefers_the_submission(tmp_path):
    """A whole assignment's TensorFlow work (tracing, tapes, training) under the smallest
    limit the machine can get; the process reports its own limit and OOM score."""
    a = assignment("06_gradient_tape")
    probe = (
        "import resource as _resource\n"
        "print('oom_score_adj', open('/proc/self/oom_score_adj').read().strip(),\n"
        "      'address space MiB', _resource.getrlimit(_resource.RLIMIT_AS)[0] >> 20)\n"
    )
    (tmp_path / a.script).write_text(probe + (ROOT / "solutions" / a.script).read_text())
    work = tasks(plan(a.id))
    with ForkServer(1, hidden=SECRET_FOLDERS, limits=Limits(memory_mb=MEMORY_FLOOR_MB)) as server:
        outcome = server.wait(server.submit([Source(a, tmp_path / a.script)], work, 600))
    assert outcome.ended_early() is None, outcome.log
    assert f"oom_score_adj 1000 address space MiB {MEMORY_FLOOR_MB}" in outcome.log
    assert len(outcome.values) >= len(work)
    memory_errors = [v for v in outcome.values.values() if isinstance(v, Raised) and "MemoryError" in v.types]
    assert not memory_errors
