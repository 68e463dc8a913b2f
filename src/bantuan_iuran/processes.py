"""Pure-Python work shared out among processes, one per core: reading village files and writing
workbooks hold the interpreter's lock, so threads would not help.

A helper is a fresh interpreter started with `python -c`, fed (function, items) through a pipe
and answering through a pipe: nothing re-runs the caller's script (as multiprocessing's spawn
does), no personal data rests in a temporary file, and the share of a helper that failed is
done here instead, so a helper can make a run faster but never break it. The function's module
must import without pandas: loading it in every helper would cost more than the helper saves.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items per helper, starting one costs more than it saves.
MIN_SHARE = 16
_HELPER = "from bantuan_iuran.processes import serve; serve()"


def map_shared(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    weights: Sequence[int] | None = None,
    on_result: Callable[[Item], None] | None = None,
) -> list[Result]:
    """`[function(item) for item in items]`, with shares balanced by `weights` done by helper
    processes on the spare cores; `on_result(item)` as each result arrives here."""
    return Shared(function, items, weights).results(on_result)


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
    ) -> None:
        self.function, self.items = function, items
        spare = _cores() - 1
        helpers = min(spare, len(items) // MIN_SHARE)
        if in_background and spare and items:
            helpers = max(helpers, 1)
        mine = 0 if in_background and helpers else 1
        shares = _shares(weights or [1] * len(items), mine + helpers)
        self.own_share = shares[0] if mine else []
        self.helpers = [
            (_Helper(function, [items[i] for i in share]), share) for share in shares[mine:]
        ]

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
                answers = helper.answers()
                if answers is None or len(answers) != len(share):
                    answers = [self.function(self.items[i]) for i in share]
                collect(share, answers)
        finally:
            self.stop()
        return [results[i] for i in range(len(self.items))]

    def stop(self) -> None:
        """No helper is left running or waiting to be read (after an error, say)."""
        for helper, _ in self.helpers:
            helper.stop()


def batch_collector() -> None:
    """A batch run makes hundreds of thousands of small objects (cells, rows) that live until
    it ends; at Python's default threshold the collector scans them over and over, about a
    tenth of a regency run. Collect less often (for the command line and helpers only: a
    library's caller keeps its own settings)."""
    gc.set_threshold(50_000, 10, 10)


def serve() -> None:
    """A helper's whole life: read its share, answer it, exit 0."""
    batch_collector()
    answers_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing the work prints may corrupt the answers
    function, items = pickle.load(sys.stdin.buffer)
    answers = [function(item) for item in items]
    pickle.dump(answers, answers_out, protocol=pickle.HIGHEST_PROTOCOL)
    answers_out.flush()


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _shares(weights: Sequence[int], count: int) -> list[list[int]]:
    """Item positions in `count` shares: the heaviest item first to the lightest share, so the
    shares end close together; each share keeps its items in their order."""
    shares: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for index in sorted(range(len(weights)), key=lambda i: -weights[i]):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += weights[index]
    return [sorted(share) for share in shares]


class _Helper:
    def __init__(self, function: Callable[..., Any], items: list[Any]) -> None:
        package_root = str(Path(__file__).resolve().parents[1])
        path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-c", _HELPER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )
        except (OSError, ValueError):  # no interpreter to start (an embedded Python, say)
            self.process = None
            return
        # Fed from a thread: the pipe fills long before the helper has started to read.
        self.feeder = threading.Thread(
            target=_feed, args=(self.process.stdin, (function, items)), daemon=True
        )
        self.feeder.start()

    def answers(self) -> list[Any] | None:
        """The helper's answers, or None when it failed (its exit code or its output says so)."""
        if self.process is None:
            return None
        try:
            answers = pickle.load(self.process.stdout)
        except Exception:  # an unreadable answer from a helper that died: redo its share
            answers = None
        self.feeder.join()
        self.process.stdout.close()
        return answers if self.process.wait() == 0 else None

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
