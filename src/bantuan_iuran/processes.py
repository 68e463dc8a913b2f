"""Pure-Python work shared out among processes, one per core: reading village files and writing
workbooks hold the interpreter's lock, so threads would not help.

A helper is a fresh interpreter started with `python -c`, fed (function, items) through a pipe
and answering item by item through a pipe: nothing re-runs the caller's script (as
multiprocessing's spawn does), no personal data rests in a temporary file, and what a helper
failed to answer is done here instead, so a helper can make a run faster but never break it.
The function's module must import without pandas: loading it in every helper would cost more
than the helper saves.

Isolated work (reading village files) is done by helpers only, under a memory limit: a file
that makes its reader abort or exhaust memory kills one helper, gets the caller's `crashed`
result, and a new helper takes the items after it.
"""

from __future__ import annotations

import gc
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items per helper, starting one costs more than it saves.
MIN_SHARE = 16
_HELPER = "from bantuan_iuran.processes import serve; serve()"
# Address space a helper doing isolated work may use: far above what a village file needs.
ISOLATED_MEMORY = 3 * 2**30
_MEMORY_ENV = "BANTUAN_HELPER_MEMORY"
_READY = "ready"
_END = object()  # after a helper's last answer


def map_shared(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    weights: Sequence[int] | None = None,
    on_result: Callable[[Item], None] | None = None,
    crashed: Callable[[Item], Result] | None = None,
    isolate: Callable[[Item], bool] | None = None,
) -> list[Result]:
    """`[function(item) for item in items]`, with shares balanced by `weights` done by helper
    processes on the spare cores; `on_result(item)` as each result arrives here. With
    `crashed`, the items `isolate` picks (all by default) are done by helpers only (see the
    module's docstring)."""
    return Shared(function, items, weights, crashed=crashed, isolate=isolate).results(on_result)


class Shared(Generic[Item, Result]):
    """`function` over `items`, shares of it started on helpers at once; `results()` does this
    process's share, collects the helpers' and redoes any share a helper failed on. With
    `in_background`, helpers take every item when there is a spare core, and this process is
    free until it asks for the results."""

    def __init__(
        self,
        function: Callable[[Item], Result],
        items: Sequence[Item],
        weights: Sequence[int] | None = None,
        in_background: bool = False,
        crashed: Callable[[Item], Result] | None = None,
        isolate: Callable[[Item], bool] | None = None,
        min_share: int | None = None,  # items a helper needs at least (MIN_SHARE)
    ) -> None:
        self.function, self.items, self.crashed = function, items, crashed
        self.memory = ISOLATED_MEMORY if crashed else None
        picks = isolate or (lambda item: True)
        isolated = {i for i, item in enumerate(items) if crashed and picks(item)}
        spare = _cores() - 1
        helpers = min(spare, len(items) // (min_share or MIN_SHARE))
        if (in_background and spare and items) or isolated:
            helpers = max(helpers, 1)  # someone other than this process
        mine = 0 if in_background and helpers else 1
        if mine and isolated and len(isolated) == len(items):  # nothing for this process: a
            # helper for every core instead
            helpers, mine = max(helpers, min(spare + 1, len(items) // MIN_SHARE)), 0
        shares = _shares(weights or [1] * len(items), mine + helpers, isolated if mine else set())
        self.own_share = shares[0] if mine else []
        self.helpers = [
            (_Helper(function, [items[i] for i in share], self.memory), share)
            for share in shares[mine:]
        ]
        self.restarted: list[_Helper] = []  # isolated work: helpers after one that died

    def results(self, on_result: Callable[[Item], None] | None = None) -> list[Result]:
        results: dict[int, Result] = {}

        def collect(share: list[int], answers: list[Result]) -> None:
            for index, answer in zip(share, answers, strict=True):
                results[index] = answer
                if on_result:
                    on_result(self.items[index])

        try:
            for index in self.own_share:
                collect([index], [self.function(self.items[index])])
            for helper, share in self.helpers:
                self._collect(helper, share, collect)
        finally:
            self.stop()
        return [results[i] for i in range(len(self.items))]

    def _collect(self, helper: _Helper, share: list[int], collect: Callable) -> None:
        """A helper's answers as they come; what it did not answer is done here, except in
        isolated work, where the item it died on is `crashed` and a new helper goes on."""
        done = 0
        while done < len(share):
            for answer in helper.answers():
                collect([share[done]], [answer])
                done += 1
            rest = share[done:]
            if not rest:
                return
            if not helper.ready or self.crashed is None:
                collect(rest, [self.function(self.items[i]) for i in rest])
                return
            collect(rest[:1], [self.crashed(self.items[rest[0]])])
            done += 1
            helper = _Helper(self.function, [self.items[i] for i in share[done:]], self.memory)
            self.restarted.append(helper)

    def stop(self) -> None:
        """No helper is left running or waiting to be read (after an error, say)."""
        for helper in [*(h for h, _ in self.helpers), *self.restarted]:
            helper.stop()


@dataclass(frozen=True)
class Task:
    """A call another process can make: a module-level function, arguments that travel
    without pandas, and what it costs (`weight`, in any unit shared by the tasks around it)."""

    function: Callable[..., Any]
    args: tuple[Any, ...]
    weight: int = 1


def run_task(task: Task) -> Any:
    return task.function(*task.args)


def share_tasks(tasks: Sequence[Task]) -> Shared:
    """A few heavy tasks (documents of thousands of pages) shared between this process and the
    spare cores by weight, the heaviest first to the lightest share, so that the shares end
    together; `results()` does this process's share and waits for the rest."""
    return Shared(run_task, tasks, [task.weight for task in tasks], min_share=1)


def batch_collector() -> None:
    """A batch run makes hundreds of thousands of small objects (cells, rows) that live until
    it ends; at Python's default threshold the collector scans them over and over, about a
    tenth of a regency run. Collect less often (for the command line and helpers only: a
    library's caller keeps its own settings)."""
    gc.set_threshold(50_000, 10, 10)


def serve() -> None:
    """A helper's whole life: read its share, say it is ready, answer item by item, exit 0."""
    batch_collector()
    _limit_memory(os.environ.get(_MEMORY_ENV))
    answers_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing the work prints may corrupt the answers
    function, items = pickle.load(sys.stdin.buffer)
    pickle.dump(_READY, answers_out)
    for item in items:
        pickle.dump(function(item), answers_out, protocol=pickle.HIGHEST_PROTOCOL)
        answers_out.flush()


def _limit_memory(limit: str | None) -> None:
    """A reader that asks for absurd memory fails here, in this helper, not in the run."""
    if not limit:
        return
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    except (ImportError, ValueError, OSError):
        pass  # no limit on this system: the helper still keeps a crash out of the run


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _shares(weights: Sequence[int], count: int, not_first: Collection[int] = ()) -> list[list[int]]:
    """Item positions in `count` shares: the heaviest item first to the lightest share, so the
    shares end close together; each share keeps its items in their order. Items `not_first`
    never go to the first share (this process's, when it takes one)."""
    shares: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for index in sorted(range(len(weights)), key=lambda i: -weights[i]):
        open_loads = loads[1:] if index in not_first and count > 1 else loads
        lightest = loads.index(min(open_loads), 1 if open_loads is not loads else 0)
        shares[lightest].append(index)
        loads[lightest] += weights[index]
    return [sorted(share) for share in shares]


class _Helper:
    def __init__(
        self, function: Callable[..., Any], items: list[Any], memory: int | None = None
    ) -> None:
        package_root = str(Path(__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path}
        if memory:
            env[_MEMORY_ENV] = str(memory)
        self.ready = False  # it loaded the work: what it leaves unanswered, it died on
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-c", _HELPER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except (OSError, ValueError):  # no interpreter to start (an embedded Python, say)
            self.process = None
            return
        # Fed and read from threads: the pipes fill long before either side gets to them, and
        # a helper whose answers nobody reads would stop working.
        self.feeder = threading.Thread(
            target=_feed, args=(self.process.stdin, (function, items)), daemon=True
        )
        self.received: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.feeder.start()
        self.reader.start()

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        try:
            self.ready = pickle.load(self.process.stdout) == _READY
            while self.ready:
                self.received.put(pickle.load(self.process.stdout))
        except Exception:  # the end of its answers (EOFError), or a garbled one from a crash
            pass
        finally:
            self.received.put(_END)

    def answers(self) -> Iterator[Any]:
        """The helper's answers in order, as they come, until it is done or dies."""
        if self.process is None:
            return
        while (answer := self.received.get()) is not _END:
            yield answer
        self.feeder.join()
        self.process.stdout.close()
        self.process.wait()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def _feed(pipe: IO[bytes], work: tuple[Callable[..., Any], list[Any]]) -> None:
    try:
        with pipe:
            pickle.dump(work, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    except (OSError, pickle.PicklingError, AttributeError, TypeError):
        pass  # the helper died early or the work cannot travel: its share is done here
