"""`python -m graders batch --scheduler`: a class graded by the real worker processes of a Dask
LocalCluster on loopback gets the results of the local batch, and a worker SIGKILLed while it
grades is survived: every result is written once, and no grader process is left behind. A batch
client SIGKILLed mid-run leaves no grader running on the workers that outlive it."""

import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest
from conftest import ROOT, run_kit

pytestmark = pytest.mark.slow

STUDENTS = ("student0", "student1", "student2", "student3", "student4")
MODULES = ("loss.py", "gradient_tape.py")
# (file, reference text, the mistake): partial scores, not only all or nothing
MISTAKES = {
    "student2": [
        ("loss.py", "tf.reduce_mean(tf.square(", "tf.reduce_sum(tf.square("),
        ("gradient_tape.py", "\n    b.assign_sub(learning_rate * db)\n", "\n"),
    ],
    "student3": [("loss.py", "e = pred - y", "e = y - pred")],
    # a module that ends its process at import: it costs that assignment only
    "student4": [
        (
            "gradient_tape.py",
            "from selfcheck.quiet import",
            "import os\n\nos._exit(0)\nfrom selfcheck.quiet import",
        )
    ],
}
PROGRESS = re.compile(r"\] (\d+)/(\d+) +\d+ s +(\S+) (\S+): ")
FORK_SERVER = "graders.engine.forkserver"


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """5 students x 2 assignments: the reference, the stubs, two with mistakes and one whose
    second module ends its process."""
    folder = tmp_path_factory.mktemp("cluster-class") / "class"
    for student in STUDENTS:
        (folder / student).mkdir(parents=True)
        origin = ROOT / ("exercises" if student == "student1" else "solutions")
        for module in MODULES:
            shutil.copy(origin / module, folder / student / module)
        for module, old, new in MISTAKES.get(student, []):
            path = folder / student / module
            text = path.read_text()
            assert old in text, f"{old!r} is no longer in solutions/{module}"
            path.write_text(text.replace(old, new, 1))
    return folder


@pytest.fixture(scope="module")
def local_results(klass, tmp_path_factory):
    """The class graded on this machine, without Dask: what the cluster must reproduce."""
    out = tmp_path_factory.mktemp("local") / "out"
    done = run_kit("batch", str(klass), "--out", str(out), "--workers", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    return _results(out)


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes (one thread each) and their nannies, shared by the tests."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as local,
        Client(local) as client,
    ):
        yield local.scheduler_address, client


def _results(out):
    return {
        path.relative_to(out).as_posix(): json.loads(path.read_text())
        for path in sorted(out.glob("results/*/*.json"))
    }


def _batch(klass, out, scheduler):
    return subprocess.Popen(
        [sys.executable, "-m", "graders", "batch", str(klass), "--out", str(out), "--scheduler", scheduler],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _written_once(stderr):
    """(student, assignment) of every result the batch wrote, each exactly once."""
    written = [m.group(3, 4) for m in PROGRESS.finditer(stderr)]
    twice = [k for k, n in collections.Counter(written).items() if n > 1]
    assert not twice, f"written more than once: {twice}"
    return set(written)


def _fork_servers():
    """Fork servers among this test's descendants (the cluster's workers run them)."""
    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            if FORK_SERVER in " ".join(process.cmdline()) and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.Error:
            pass
    return found


def _graders_on(client):
    """Each worker's fork server (a grader set up by a run), by worker."""
    found = []
    for pid in client.run(os.getpid).values():
        try:
            found += [c for c in psutil.Process(pid).children() if FORK_SERVER in " ".join(c.cmdline())]
        except psutil.Error:
            pass
    return found


def _gone(processes, seconds=30):
    """The processes among `processes` still running after `seconds` (zombies count as ended)."""
    deadline = time.monotonic() + seconds
    while True:
        alive = []
        for process in processes:
            try:
                if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                    alive.append(process)
            except psutil.Error:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


EXPECTED = {f"results/{s}/{a}.json" for s in STUDENTS for a in ("05_loss", "06_gradient_tape")}


def test_cluster_gives_the_local_results(klass, local_results, cluster, tmp_path):
    scheduler, _ = cluster
    out = tmp_path / "out"
    run = _batch(klass, out, scheduler)
    stdout, stderr = run.communicate(timeout=900)
    assert run.returncode == 0, stdout + stderr
    assert "2 worker(s), 2 thread(s)" in stderr
    assert _written_once(stderr) == {(s, a) for s in STUDENTS for a in ("05_loss", "06_gradient_tape")}
    results = _results(out)
    assert set(results) == set(local_results) == EXPECTED
    for name, record in results.items():
        assert record == local_results[name], name  # scores, messages, hints, source, environment
    scores = {name: r["assignment"]["score"] for name, r in results.items()}
    assert 0 < scores["results/student2/05_loss.json"] < scores["results/student0/05_loss.json"]
    assert scores["results/student1/05_loss.json"] == 0
    assert scores["results/student4/05_loss.json"] == scores["results/student0/05_loss.json"] > 0
    assert scores["results/student4/06_gradient_tape.json"] == 0
    assert results["results/student4/06_gradient_tape.json"]["assignment"]["error"]
    assert (out / "grades.csv").read_text().count("\n") == 1 + len(EXPECTED)
    assert not _gone(_fork_servers(), 10), "a worker's fork server outlived the run"

    again = run_kit("batch", str(klass), "--out", str(out), "--scheduler", scheduler)
    assert again.returncode == 0 and f"({len(EXPECTED)} already graded)" in again.stdout, again.stderr


def test_worker_killed_mid_task(klass, local_results, cluster, tmp_path):
    scheduler, client = cluster
    out = tmp_path / "out"
    run = _batch(klass, out, scheduler)
    deadline = time.monotonic() + 600
    victim = None
    while victim is None:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "no worker started grading within 600 s"
        for server in _graders_on(client):
            try:
                if server.children():  # a submission is being graded
                    victim = server.parent()
                    break
            except psutil.Error:
                continue
        time.sleep(0.2)
    doomed = victim.children(recursive=True)  # its fork server and the submissions it runs
    assert any(FORK_SERVER in " ".join(p.cmdline()) for p in doomed)
    os.kill(victim.pid, signal.SIGKILL)
    assert not _gone(doomed), "the killed worker's fork server or a submission outlived it"

    stdout, stderr = run.communicate(timeout=900)
    assert run.returncode == 0, stdout + stderr
    assert _written_once(stderr) == {(s, a) for s in STUDENTS for a in ("05_loss", "06_gradient_tape")}
    results = _results(out)
    assert set(results) == EXPECTED
    for name, record in results.items():
        assert record["assignment"] == local_results[name]["assignment"], name
    assert not _gone(_fork_servers(), 10), "a worker's fork server outlived the run"


def test_batch_client_killed_ends_the_workers_graders(klass, local_results, cluster, tmp_path):
    """`kill -9` of the batch leaves its graders on workers that outlive it; they end on their
    own, and the same command started again grades what is missing."""
    scheduler, client = cluster
    out = tmp_path / "out"
    run = _batch(klass, out, scheduler)
    deadline = time.monotonic() + 600
    while len(servers := _graders_on(client)) < 2:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the workers' graders did not start within 600 s"
        time.sleep(0.2)
    doomed = [p for server in servers for p in [server, *server.children(recursive=True)]]
    run.kill()
    run.communicate()
    assert not _gone(doomed, 30), "a worker's grader outlived the batch client that started it"
    assert client.run(os.getpid), "the workers themselves go on"

    again = run_kit("batch", str(klass), "--out", str(out), "--scheduler", scheduler)
    assert again.returncode == 0, again.stdout + again.stderr
    results = _results(out)
    assert set(results) == EXPECTED
    for name, record in results.items():
        assert record["assignment"] == local_results[name]["assignment"], name
    assert not _gone(_fork_servers(), 10), "a worker's fork server outlived the run"
