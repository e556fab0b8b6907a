"""JupyterLab as a student runs it, for browser tests: the kit's pinned JupyterLab (with
nbgrader's extensions) on one folder, on 127.0.0.1 and a free port, behind a random token,
with a throwaway home and Jupyter configuration so nothing of this machine's setup leaks in.

`running_lab(folder, scratch)` starts it and, when the block ends for any reason, ends the
server and every process it started (kernels, nbgrader's validation kernels);
`no_new_processes()` ends and reports whatever a block left running (a browser, say)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

# User settings of the scratch configuration: no news or update checks (they would reach
# out to the network and put a notification over the notebook), every cell in the page.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}
# nbgrader's Validate runs the whole notebook; its default 30 s per cell is short for a
# TensorFlow import on a busy machine.
NBGRADER_CONFIG = "c = get_config()  # noqa: F821\nc.Execute.timeout = 240\n"


@dataclass
class Lab:
    base_url: str
    token: str
    pid: int
    log: Path

    def url(self, path: str) -> str:
        """The address of a file in the folder, opened in JupyterLab."""
        return f"{self.base_url}/lab/tree/{path}?token={self.token}"


def scratch_environment(scratch: Path) -> dict[str, str]:
    """A minimal environment: the kit's Python first on PATH, every Jupyter folder in `scratch`."""
    home = scratch / "home"
    config = home / ".jupyter"
    for key, values in SETTINGS.items():
        package, plugin = key.rsplit("/", 1)
        target = config / "lab" / "user-settings" / package / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    (config / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(home / ".local" / "share" / "jupyter"),
        "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
        "IPYTHONDIR": str(home / ".ipython"),
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "TMPDIR": str(scratch),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_lab(folder: Path, scratch: Path, timeout: float = 180) -> Iterator[Lab]:
    """JupyterLab serving `folder` until the block ends; then it and its children are gone."""
    scratch.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    log = scratch / "jupyterlab.log"
    command = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folder}",
    ]
    if os.geteuid() == 0:  # CI containers run as root; JupyterLab refuses that unless told
        command.append("--allow-root")
    with open(log, "wb") as out:
        server = subprocess.Popen(
            command,
            cwd=folder,
            env=scratch_environment(scratch),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, server.pid, log)
    try:
        _wait_until_up(lab, server, timeout)
        yield lab
    finally:
        leftovers = stop_tree(server.pid)
        server.wait(timeout=10)
        assert not leftovers, f"processes of JupyterLab still running: {leftovers}"


def _wait_until_up(lab: Lab, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {server.returncode}:\n{lab.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{lab.base_url}/api/status?token={lab.token}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{lab.log.read_text()[-3000:]}")


def stop_tree(pid: int, grace: float = 15) -> list[str]:
    """End a process and all its descendants: SIGTERM to the root first (JupyterLab shuts its
    kernels down), then SIGKILL to whatever is left. Returns what could not be ended."""
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
    with contextlib.suppress(psutil.NoSuchProcess):
        root.send_signal(signal.SIGTERM)
    psutil.wait_procs([root], timeout=grace)
    tree += [child for p in tree if p.is_running() for child in _children(p)]
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    _, alive = psutil.wait_procs(tree, timeout=10)
    return [_describe(p) for p in alive if p.is_running()]


def _describe(process: psutil.Process) -> str:
    try:
        return f"{process.pid} {process.name()}"
    except psutil.Error:
        return str(process.pid)


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return process.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@contextlib.contextmanager
def no_new_processes() -> Iterator[None]:
    """Fail if the block leaves a process of its own running (after ending it)."""
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    try:
        yield
    finally:
        new = [p for p in me.children(recursive=True) if p.pid not in before]
        names = [_describe(p) for p in new if p.is_running()]
        for process in new:
            stop_tree(process.pid, grace=5)
        assert not names, f"still running after the test: {names}"
