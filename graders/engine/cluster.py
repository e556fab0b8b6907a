"""Grade a class on a Dask distributed cluster: `python -m graders batch ... --scheduler tcp://HOST:PORT`.

Each worker keeps one `Grader` (its fork server, TensorFlow imported once, and the reference
results) for the whole run, through `GraderPlugin`, a Dask `WorkerPlugin`: set up when the
run registers it, torn down (fork server and submissions ended) when the run unregisters it
or the worker closes. Each (student, assignment) is one task. The submission's files travel
with the task as bytes, within the grader's own size budget, so workers need not share the
client's filesystem. Results stream back as tasks finish; the caller writes each one
(see batch.grade_class), at most once.

A worker that dies mid-task (killed, lost) has its task rescheduled by the scheduler on
another worker (up to `distributed.scheduler.allowed-failures` times); a task that raises is
retried (`retries`). Whatever still fails is reported, not written, so running the batch
again grades it. A worker killed outright takes its fork server with it: the server was
started from the worker's main thread with PR_SET_PDEATHSIG, and exits anyway when its
control pipe closes; each submission's process dies with the server.

A batch client killed outright (`kill -9`) cannot unregister the plugin, and the workers
outlive it. So the run holds one task of its own (its "alive" key) for as long as it lasts:
the scheduler forgets that key when the client's connection goes, and each worker's plugin,
which asks for it every few seconds, then ends its grader on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from distributed import Client, WorkerPlugin, as_completed, get_worker
from distributed.comm import get_address_host_port

from graders.engine.forkserver_client import MAX_SUBMISSION_BYTES
from graders.engine.references import ReferenceCache
from graders.engine.sources import Source

RETRIES = 2  # a task that raised runs again, on any worker, this many times
CLIENT_CHECK_SECONDS = 2.0  # how often a worker's grader asks whether its run's client is still there
CLIENT_GONE = "the batch client that started this grader is gone"

logger = logging.getLogger(__name__)


class ClusterError(Exception):
    """The cluster cannot be used: the scheduler is unreachable, or a worker cannot grade."""


def submission_files(folder: Path) -> dict[str, bytes]:
    """The files a submission's process gets: those of its folder (not subfolders), in name
    order while they fit the size budget, exactly as the fork server copies them locally."""
    files, budget = {}, MAX_SUBMISSION_BYTES
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink():
            size = path.stat().st_size
            if size <= budget:
                files[path.name] = path.read_bytes()
                budget -= size
    return files


class GraderPlugin(WorkerPlugin):
    """One Grader per worker: a fork server with as many submissions at once as the worker
    has threads, and the reference results shared by every task the worker runs."""

    def __init__(self, base_seed: int, hidden: list[str], alive_key: str):
        self.base_seed = base_seed
        self.hidden = hidden  # the client's class and output folders, in case workers share its disk
        self.alive_key = alive_key  # the run's own task: the scheduler forgets it when the client goes
        self.grader: Any = None
        self.environment: dict[str, Any] = {}
        self.problem = "the grader is still starting"
        self.watcher: asyncio.Task | None = None

    async def setup(self, worker: Any) -> None:
        if not await self.client_is_there(worker):  # a worker joining after the run's client died
            self.problem = CLIENT_GONE
            return
        # TensorFlow's import takes seconds (when the reference cache cannot spare it): in a
        # thread, so the worker keeps answering the scheduler. The fork server then starts from the
        # event loop's thread, the worker's main thread, so that it dies with the worker even when
        # the worker is SIGKILLed.
        self.lock = threading.Lock()
        self.staging = Path(tempfile.mkdtemp(prefix="graders-staging-"))
        try:
            cache = ReferenceCache.configured()
            if cache is None or cache.machine() is None:  # else this process needs no TensorFlow
                await asyncio.get_running_loop().run_in_executor(None, _preload)
            from graders.engine.grading import Grader

            self.grader = Grader(
                self.base_seed,
                workers=max(1, worker.state.nthreads),
                hidden=[Path(p) for p in self.hidden] + [self.staging],
            )
            self.grader.start_server()  # from the worker's main thread (see above)
            self.environment = self.grader.environment()
        except BaseException as error:
            self.teardown(worker)
            self.problem = f"the grader could not start on this worker: {type(error).__name__}: {error}"
            shutil.rmtree(self.staging, ignore_errors=True)
            raise
        self.watcher = asyncio.ensure_future(self.watch_client(worker))

    async def client_is_there(self, worker: Any) -> bool:
        """Whether the scheduler still holds the run's alive key (an unreachable scheduler is no
        answer: the worker itself closes if it stays away)."""
        try:
            status = await worker.scheduler.get_task_status(keys=[self.alive_key])
        except Exception:
            return True
        return status.get(self.alive_key) is not None

    async def watch_client(self, worker: Any) -> None:
        """End this worker's grader once the run's client is gone without unregistering it."""
        while self.grader is not None:
            await asyncio.sleep(CLIENT_CHECK_SECONDS)
            if self.grader is not None and not await self.client_is_there(worker):
                logger.warning("the batch client is gone: ending this worker's grader")
                self.watcher = None  # this task ends here; teardown need not cancel it
                self.teardown(worker)
                self.problem = CLIENT_GONE

    def teardown(self, worker: Any) -> None:
        if self.watcher is not None:
            watcher, self.watcher = self.watcher, None
            with contextlib.suppress(RuntimeError):  # its loop already closed
                watcher.cancel()
        if self.grader is not None:
            grader, self.grader = self.grader, None
            self.problem = "the grader on this worker was closed"
            grader.close()  # ends the fork server and every submission it runs
            shutil.rmtree(self.staging, ignore_errors=True)

    def grade(
        self, assignment_id: str, filename: str, files: dict[str, bytes], timeout: float | None
    ) -> dict[str, Any]:
        """Grade one (student, assignment) from its files; the assignment's JSON result."""
        from selfcheck.assignments import assignment

        grader = self.grader
        if grader is None:
            raise RuntimeError(self.problem)
        folder = Path(tempfile.mkdtemp(dir=self.staging))
        try:
            _unpack(files, filename, folder)
            source = Source(assignment(assignment_id), folder / filename)
            # The fork server's queue and the caches are not for several threads at once;
            # the submission runs, and is waited for, outside the lock.
            with self.lock:
                started = grader.start([source], timeout)
            ((_, outcome),) = grader.collect(started)
            with self.lock:
                return grader.judge(source, outcome).to_json()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _run_is_alive() -> None:
    """The task a run holds while it lasts (see GraderPlugin.watch_client)."""


def _hold_alive_key(client: Client) -> Any:
    """Submit the run's alive task and wait until the scheduler knows it, so that no worker's
    grader, set up next, takes the run's client for gone."""
    alive = client.submit(_run_is_alive, key=f"graders-alive-{uuid.uuid4().hex}", pure=False)
    deadline = time.monotonic() + 20
    while client.sync(client.scheduler.get_task_status, keys=[alive.key]).get(alive.key) is None:
        if time.monotonic() > deadline:
            raise ClusterError("the Dask scheduler did not take the run's first task within 20 s")
        time.sleep(0.05)
    return alive


def _preload() -> None:
    from graders.engine import devices

    devices.configure()  # the import, its start-up lines kept out of the worker's log
    import graders.engine.grading  # noqa: F401


def _unpack(files: dict[str, bytes], filename: str, folder: Path) -> None:
    """Write a task's files, refusing anything but plain names within the size budget."""
    if sum(len(data) for data in files.values()) > MAX_SUBMISSION_BYTES:
        raise ValueError(f"the submission's files exceed {MAX_SUBMISSION_BYTES} bytes")
    for name, data in files.items():
        if name in ("", ".", "..") or Path(name).name != name or "\\" in name:
            raise ValueError(f"refusing a submission file named {name!r}")
        (folder / name).write_bytes(data)
    if filename not in files:
        raise ValueError(f"the submission's file {filename!r} did not come with the task")


def grade_task(
    plugin_name: str, assignment_id: str, filename: str, files: dict[str, bytes], timeout: float | None
) -> dict[str, Any]:
    """The task: runs on a worker, with that worker's grader."""
    started = time.perf_counter()
    worker = get_worker()
    plugin = worker.plugins.get(plugin_name)
    if not isinstance(plugin, GraderPlugin):
        raise RuntimeError(f"no grader on worker {worker.address} (its plugin {plugin_name} is not set up)")
    assignment = plugin.grade(assignment_id, filename, files, timeout)
    return {
        "assignment": assignment,
        "environment": plugin.environment,
        "worker": worker.address,
        "seconds": time.perf_counter() - started,
    }


def plugin_name(base_seed: int, hidden: list[str]) -> str:
    """The same name for the same settings, so a run started again replaces (tears down) the
    grader that an interrupted run left on the workers, instead of adding one."""
    digest = hashlib.sha256(repr((base_seed, sorted(hidden))).encode()).hexdigest()[:12]
    return f"graders-{digest}"


def connect(scheduler: str) -> Client:
    try:
        get_address_host_port(scheduler)  # before a Client exists: a half-made one hangs at exit
    except ValueError as error:
        raise ClusterError(
            f"{scheduler!r} is not a Dask scheduler's address (tcp://HOST:PORT): {error}"
        ) from None
    try:
        return Client(scheduler, timeout="20s", set_as_default=False, name="graders-batch")
    except (OSError, ValueError, TypeError) as error:
        raise ClusterError(f"could not reach the Dask scheduler at {scheduler}: {error}") from None


def grade_on_cluster(
    scheduler: str,
    todo: list[tuple[str, list[Source]]],
    base_seed: int,
    timeout: float | None,
    hidden: list[Path],
    not_graded: list[str],
    progress: bool = True,
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Grade every (student, source) of `todo` on the cluster; yield (student, environment,
    assignment JSON) once per (student, assignment) as results arrive. What could not be
    graded is appended to `not_graded` ("student assignment: why"). Closing the generator
    cancels what is still running and ends the workers' graders."""
    client = connect(scheduler)
    name = plugin_name(base_seed, [str(p) for p in hidden])
    in_flight: dict[str, tuple[Any, str, Source]] = {}  # task key -> (future, student, source)
    try:
        threads = client.nthreads()
        if progress:
            waiting = "" if threads else "; waiting for workers to join"
            print(
                f"grading on the Dask cluster at {scheduler}: {len(threads)} worker(s), "
                f"{sum(threads.values())} thread(s){waiting}",
                file=sys.stderr,
                flush=True,
            )
        alive = _hold_alive_key(client)  # a local, so it is held for the whole run
        try:
            client.register_plugin(GraderPlugin(base_seed, [str(p) for p in hidden], alive.key), name=name)
        except Exception as error:
            raise ClusterError(
                f"a worker could not set up the grader ({type(error).__name__}: {error}); "
                "every worker needs an environment with the kit installed"
            ) from None
        yield from _stream(client, name, todo, timeout, not_graded, in_flight)
    finally:
        if in_flight:
            client.cancel([future for future, _, _ in in_flight.values()], force=True)
        try:
            client.unregister_worker_plugin(name)  # ends every worker's fork server
        except Exception:
            pass  # a worker that is gone took its grader with it
        client.close()


def _stream(
    client: Client,
    name: str,
    todo: list[tuple[str, list[Source]]],
    timeout: float | None,
    not_graded: list[str],
    in_flight: dict,
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Submit tasks a window at a time (a large class's files are not all held at once);
    yield each result once."""
    work = iter([(student, source) for student, sources in todo for source in sources])
    finished = as_completed(loop=client.loop)
    run = uuid.uuid4().hex[:8]
    delivered: set[tuple[str, str]] = set()
    window, checked = 4, 0.0

    def refill() -> None:
        nonlocal window, checked
        if time.monotonic() - checked > 2:  # workers may join or leave during the run
            window, checked = max(4, 2 * sum(client.nthreads().values())), time.monotonic()
        while len(in_flight) < window:
            item = next(work, None)
            if item is None:
                return
            student, source = item
            try:
                files = submission_files(source.path.parent)
            except OSError as error:
                not_graded.append(f"{student} {source.assignment.id}: could not read {source.path}: {error}")
                continue
            future = client.submit(
                grade_task,
                name,
                source.assignment.id,
                source.path.name,
                files,
                timeout,
                key=f"graders-{student}-{source.assignment.id}-{run}",
                pure=False,
                retries=RETRIES,
            )
            in_flight[future.key] = (future, student, source)
            finished.add(future)

    refill()
    for future in finished:
        entry = in_flight.pop(future.key, None)
        if entry is None:
            continue  # a completion already handled
        _, student, source = entry
        try:
            value = future.result()
        except Exception as error:
            value = None
            not_graded.append(f"{student} {source.assignment.id}: {type(error).__name__}: {error}")
        future.release()
        refill()
        if value is not None and (student, source.assignment.id) not in delivered:
            delivered.add((student, source.assignment.id))
            assignment = dict(value["assignment"], source=str(source.path))  # the client's path, as locally
            yield student, value["environment"], assignment
