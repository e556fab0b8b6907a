"""The autograde kernel (kernelspec hello-tensorflow-contained, the kit's provisioner): it
starts and talks to jupyter_client over ipc sockets, sees only the Python environment, the
public selfcheck package and a throwaway copy of its folder, cannot import the grader, and
ends with every process it started when it is shut down or a cell runs past its time."""

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from graders.instructor.execute import ContainedExecute, ContainedKernelManager
from graders.instructor.provisioner import KERNEL_NAME

pytestmark = pytest.mark.slow

# What the kernel can see and do, as one JSON line.
PROBE = r"""
import ctypes, json, os, socket, sys
facts = {"uid": os.getuid(), "pid": os.getpid(), "cwd": os.getcwd(), "root": sorted(os.listdir("/")),
         "files": sorted(os.listdir(".")), "tmp": sorted(os.listdir("/tmp")),
         "pids": sorted(p for p in os.listdir("/proc") if p.isdigit()),
         "caps": [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0],
         "visible": [p for p in SECRETS if os.path.exists(p)],
         "ipc": os.readlink("/proc/self/ns/ipc"), "shm": os.listdir("/dev/shm")}
try:
    import graders
    facts["graders"] = repr(graders)
except ImportError as error:
    facts["graders"] = f"{type(error).__name__}: {error}"
import selfcheck
facts["selfcheck"] = selfcheck.__file__
try:
    socket.create_connection(("127.0.0.1", 22), timeout=2)
    facts["network"] = "connected"
except OSError as error:
    facts["network"] = str(error)
try:
    os.makedirs("/tmp/out", exist_ok=True); os.chroot("/tmp/out")
    facts["chroot"] = "allowed"
except OSError as error:
    facts["chroot"] = str(error)
for name, path in (("write_usr", "/usr/evil"), ("write_shm", "/dev/shm/evil")):
    try:
        open(path, "w").write("x")
        facts[name] = "written"
    except OSError as error:
        facts[name] = type(error).__name__
open("written_by_kernel.txt", "w").write("throwaway")
print("FACTS" + json.dumps(facts))
"""


def _course(tmp_path: Path) -> tuple[Path, list[str]]:
    """A course folder with a submission to run in, and what the kernel must not see."""
    course = tmp_path / "course"
    folder = course / "autograded" / "mallory" / "05_loss"
    folder.mkdir(parents=True)
    (folder / "data.txt").write_text("mine")
    (folder / "sub").mkdir()
    (folder / "sub" / "more.txt").write_text("mine too")
    (folder / "answers.py").symlink_to(ROOT / "solutions" / "loss.py")
    (folder / "answers_dir").symlink_to(ROOT / "solutions")
    for name in ("source/05_loss", "release/05_loss", "submitted/alice/05_loss", "feedback/alice/05_loss"):
        (course / name).mkdir(parents=True)
    (course / "gradebook.db").write_text("grades")
    secrets = [str(course / n) for n in ("gradebook.db", "source", "submitted", "feedback", "release")]
    secrets += [
        str(folder),
        str(ROOT / "solutions"),
        str(ROOT / "graders"),
        str(ROOT / "tests"),
        str(ROOT / "source"),
        str(ROOT / "graders" / "checks"),
    ]
    return folder, secrets


async def _run(folder: Path, code: str, timeout: float = 120) -> tuple[str, ContainedKernelManager]:
    km = ContainedKernelManager(kernel_name=KERNEL_NAME)
    await km.start_kernel(cwd=str(folder))
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=timeout)
        printed = []

        def keep(msg):
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        await kc.execute_interactive(code, timeout=timeout, output_hook=keep)
        return "".join(printed), km
    finally:
        kc.stop_channels()


def _facts(printed: str) -> dict:
    line = next(line for line in printed.splitlines() if line.startswith("FACTS"))
    return json.loads(line[len("FACTS") :])


def _alive(marker: str) -> list[int]:
    """Host processes whose command line holds `marker`."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


def test_kernel_talks_over_ipc_and_sees_only_what_it_should(tmp_path):
    folder, secrets = _course(tmp_path)
    before = sorted(p.name for p in folder.iterdir())

    async def scenario():
        printed, km = await _run(folder, f"SECRETS = {secrets!r}\n{PROBE}")
        info = km.get_connection_info()
        how = km.provisioner.how
        await km.shutdown_kernel()
        return printed, info, how

    printed, info, how = asyncio.run(scenario())
    facts = _facts(printed)
    assert info["transport"] == "ipc" and len(f"{info['ip']}-{info['hb_port']}") < 108
    assert "namespaces" in how, how
    assert facts["visible"] == []  # no course, no kit but selfcheck
    assert facts["graders"].startswith("ModuleNotFoundError")
    assert Path(facts["selfcheck"]).parent == ROOT / "exercises" / "selfcheck"
    assert facts["cwd"] == "/tmp/job" and facts["files"] == ["data.txt", "sub"]  # no links copied
    kit_tops = {ROOT.parts[1], Path(sys.prefix).resolve().parts[1]}  # the kit and its venv are bound in
    assert set(facts["root"]) - kit_tops <= {
        "bin",
        "dev",
        "etc",
        "lib",
        "lib32",
        "lib64",
        "proc",
        "sbin",
        "sys",
        "tmp",
        "usr",
        "root",
        "work",
        "opt",
        "home",
    }
    assert facts["pid"] == 2 and facts["pids"] == ["1", "2"]  # its own PID namespace
    assert facts["caps"] == "0000000000000000" and "not permitted" in facts["chroot"]
    assert "unreachable" in facts["network"] or "refused" not in facts["network"]
    assert facts["write_usr"] != "written" and facts["write_shm"] != "written" and facts["shm"] == []
    assert facts["ipc"] != os.readlink("/proc/self/ns/ipc") and "IPC" in how
    if os.geteuid() == 0:
        assert facts["uid"] >= 63000 and "uid" in how
    assert sorted(p.name for p in folder.iterdir()) == before  # writes went to the throwaway copy


SPAWN = r"""
import os, subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", "MARKER"], start_new_session=True)
if os.fork() == 0:          # a daemon that left the kernel's session
    os.setsid()
    if os.fork() == 0:
        stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
        os.execv(sys.executable, [sys.executable, "-c", stubborn, "MARKER"])
    os._exit(0)
import time; time.sleep(1)
print("spawned")
"""


def test_shutdown_ends_every_process_the_kernel_started(tmp_path):
    folder, _ = _course(tmp_path)
    marker = f"marker-{uuid.uuid4().hex}"

    async def scenario():
        printed, km = await _run(folder, SPAWN.replace("MARKER", marker))
        assert "spawned" in printed
        assert len(_alive(marker)) == 2
        await km.shutdown_kernel()
        return km

    asyncio.run(scenario())
    deadline = time.monotonic() + 10
    while _alive(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(marker) == []


def _cell(source):
    return nbformat.v4.new_code_cell(source)


def test_a_cell_past_its_time_limit_ends_the_kernel_and_all_it_started(tmp_path):
    folder, _ = _course(tmp_path)
    marker = f"marker-{uuid.uuid4().hex}"
    nb = nbformat.v4.new_notebook(
        cells=[
            _cell('print("x" * (12 << 20))'),  # an output flood
            _cell(SPAWN.replace("MARKER", marker)),
            _cell("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
            _cell('print("after")'),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    started = time.monotonic()
    executed, _ = ContainedExecute(timeout=5).preprocess(nb, {"metadata": {"path": str(folder)}})
    elapsed = time.monotonic() - started
    flood = "".join(o.get("text", "") for o in executed.cells[0].outputs)
    assert len(flood) < (5 << 20) and "output truncated" in flood
    assert "spawned" in executed.cells[1].outputs[0]["text"]
    assert executed.cells[2].outputs[-1]["ename"] == "CellTimeoutError"
    assert executed.cells[3].outputs[0]["ename"] == "NotRun"
    deadline = time.monotonic() + 10
    while _alive(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(marker) == []
    assert elapsed < 60, elapsed


UNPRIVILEGED = r"""
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
from test_contained_kernel import _course, _run, _facts, PROBE
from pathlib import Path
async def main():
    folder, secrets = _course(Path(sys.argv[2]))
    printed, km = await _run(folder, f"SECRETS = {secrets!r}\n{PROBE}")
    how = km.provisioner.how
    await km.shutdown_kernel()
    print("RESULT" + json.dumps({"how": how, **_facts(printed)}))
asyncio.run(main())
"""


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"), reason="needs root to switch user")
def test_an_unprivileged_instructor_gets_the_same_inside_a_user_namespace(tmp_path):
    """nbgrader run by an ordinary user (uid 1000, no capabilities, in a user namespace of
    its own because this machine keeps the Python installation in root's home)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    done = subprocess.run(
        [
            "unshare",
            "--user",
            "--map-user=1000",
            "--map-group=1000",
            sys.executable,
            "-c",
            UNPRIVILEGED,
            str(ROOT / "tests"),
            str(tmp_path),
        ],
        env=env,
        cwd=tmp_path,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=600,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT")), None)
    assert line, done.stdout[-3000:]
    facts = json.loads(line[len("RESULT") :])
    assert facts["uid"] == 1000 and "uid" not in facts["how"] and "namespaces" in facts["how"]
    assert facts["visible"] == [] and facts["graders"].startswith("ModuleNotFoundError")
    assert facts["caps"] == "0000000000000000" and "not permitted" in facts["chroot"]
    assert facts["pids"] == ["1", "2"] and facts["files"] == ["data.txt", "sub"]
    assert facts["write_shm"] != "written" and facts["ipc"] != os.readlink("/proc/self/ns/ipc")


KILLED = r"""
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from test_contained_kernel import _course, _run, SPAWN
from pathlib import Path
async def main():
    folder, _ = _course(Path(sys.argv[2]))
    printed, km = await _run(folder, SPAWN.replace("MARKER", sys.argv[3]))
    print("READY" if "spawned" in printed else "FAILED " + printed, flush=True)
    await asyncio.sleep(600)
asyncio.run(main())
"""


def test_a_killed_nbgrader_leaves_no_kernel_and_nothing_it_started(tmp_path):
    """The process that asked for the kernel (nbgrader) is SIGKILLed: the kernel server, the
    kernel and every process the kernel started, including a daemon that ignores SIGTERM and
    runs under a user id of its own, end with it."""
    import psutil

    marker = f"marker-{uuid.uuid4().hex}"
    starter = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(ROOT / "tests"), str(tmp_path), marker],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert starter.stdout.readline().strip() == "READY"
        descendants = psutil.Process(starter.pid).children(recursive=True)
        spawned = [pid for pid in _alive(marker) if pid != starter.pid]
        assert len(spawned) == 2 and len(descendants) >= 4  # server, keeper, kernel, what it started
        starter.kill()
        starter.wait(timeout=30)
        deadline = time.monotonic() + 10
        left = descendants
        while left and time.monotonic() < deadline:
            left = [p for p in descendants if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
            time.sleep(0.2)
        assert left == [] and _alive(marker) == []
    finally:
        starter.kill()
