"""nbgrader's Execute step for the kit's autograde: the notebook runs in the contained kernel.

`ContainedExecute` replaces nbgrader's `Execute` in the autograde preprocessors (the kit's
nbgrader_config.py does it; `nbgrader validate` keeps nbgrader's own Execute and an ordinary
kernel). It differs from it in four ways:
- the kernel is the kit's contained one (kernelspec `hello-tensorflow-contained` in
  `kernels/`, launched by `graders.instructor.provisioner`);
- a cell that runs past the time limit ends the kernel and every process it started, at
  once; the cells after it are not run, and each gets an error output saying so (a kernel
  that dies is treated the same way), so that one notebook never stops the run;
- what a cell prints is kept up to a budget (`output_limit`, bytes); the rest is dropped,
  so a flood of output cannot exhaust nbgrader's memory;
- no single message from the kernel may exceed `message_limit` bytes (ZeroMQ drops it).
The kit's check cells are graded outside the kernel afterwards (`autograde.ContainedGrades`).
"""

from __future__ import annotations

import typing as t

import nbformat
import zmq
import zmq.asyncio
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbgrader.preprocessors import Execute
from traitlets import Integer, Unicode

from graders.instructor.autograde import ContainedGrades, start_grading
from graders.instructor.provisioner import KERNEL_NAME, KERNELS


class ContainedKernelManager(AsyncKernelManager):
    """A kernel manager that also finds the kit's kernelspecs, and whose clients refuse
    oversized messages."""

    message_limit = Integer(32 << 20, config=True, help="largest message taken from the kernel, in bytes")

    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        manager = KernelSpecManager(data_dir=self.data_dir)
        manager.kernel_dirs = [str(KERNELS), *manager.kernel_dirs]
        return manager

    def client(self, **kwargs: t.Any):
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, self.message_limit)
        client = super().client(context=context, **kwargs)
        client._created_context = True  # destroyed with the client's channels
        return client


class ContainedExecute(Execute):
    """nbgrader's Execute in the contained kernel, stopping it at a cell's time limit."""

    kernel_name = Unicode(KERNEL_NAME, config=True, help="the kernelspec autograde runs notebooks in")
    output_limit = Integer(4 << 20, config=True, help="bytes of output kept per cell")

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        kwargs.setdefault("kernel_manager_class", ContainedKernelManager)
        super().__init__(*args, **kwargs)
        self._stopped: str | None = None
        self._kept = 0

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict | None = None, km=None):
        # the contained grader works while the kernel runs
        start_grading(nb, resources or {}, ContainedGrades(config=self.config).timeout)
        self._stopped, self._kept = None, 0
        return super().preprocess(nb, resources, km)

    async def async_execute_cell(
        self,
        cell: nbformat.NotebookNode,
        cell_index: int,
        execution_count: int | None = None,
        store_history: bool = True,
    ):
        if cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if self._stopped is not None:
            cell.outputs = [_error("NotRun", f"this cell was not run: {self._stopped}")]
            return cell
        self._kept = 0
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except (CellTimeoutError, DeadKernelError) as error:
            if isinstance(error, CellTimeoutError):
                self._stopped = f"an earlier cell ran longer than {self.timeout} s"
                message = (
                    f"the cell ran longer than {self.timeout} s: the kernel and every process "
                    "it started were stopped"
                )
            else:
                self._stopped = "the kernel had died"
                message = "the kernel died while running this cell"
            await self._stop_kernel()
            cell.outputs.append(_error(type(error).__name__, message))
            return cell

    execute_cell = run_sync(async_execute_cell)  # nbclient binds its own at class level

    async def _async_handle_timeout(self, timeout: int, cell: nbformat.NotebookNode | None = None):
        """No interrupt, no waiting: the cell's time is up."""
        raise CellTimeoutError.error_from_timeout_and_cell("Cell execution timed out", timeout, cell)

    async def _stop_kernel(self) -> None:
        if self.km is not None and self.km.has_kernel:
            await self.km.provisioner.kill()

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int):
        size = _size(msg.get("content", {}))
        if self._kept + size > self.output_limit:
            if self._kept <= self.output_limit:
                self._kept = self.output_limit + 1
                note = f"\n[output truncated: this cell printed more than {self.output_limit >> 20} MiB]\n"
                outs.append(nbformat.v4.new_output("stream", name="stdout", text=note))
            return None
        self._kept += size
        return super().output(outs, msg, display_id, cell_index)


def _size(content: dict) -> int:
    """Roughly how many bytes an output message carries."""
    total = len(content.get("text", "")) + sum(len(str(v)) for v in (content.get("data") or {}).values())
    return total + sum(len(line) for line in content.get("traceback") or [])


def _error(name: str, message: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])
