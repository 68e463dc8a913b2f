import os
import subprocess
import sys
from pathlib import Path

import pytest

from bantuan_iuran import processes
from bantuan_iuran.processes import Shared, map_shared

TESTS = Path(__file__).parent


def square_and_pid(number: int) -> tuple[int, int]:
    """Run by helpers too: they import this module through PYTHONPATH (see `two_cores`)."""
    return number * number, os.getpid()


def fail_on_three(number: int) -> int:
    if number == 3:
        raise ValueError("three")
    return number


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes, "_cores", lambda: 2)
    monkeypatch.setattr(processes, "MIN_SHARE", 4)
    monkeypatch.setenv("PYTHONPATH", str(TESTS))


def test_a_helper_answers_its_share_in_order(two_cores: None) -> None:
    done: list[int] = []
    answers = map_shared(
        square_and_pid, list(range(10)), weights=list(range(10)), on_result=done.append
    )
    assert [square for square, _ in answers] == [n * n for n in range(10)]
    here = [n for n, (_, pid) in enumerate(answers) if pid == os.getpid()]
    # One helper took a share; the shares were balanced by weight, not by count.
    assert 0 < len(here) < 10
    assert sum(here) in range(20, 26)
    assert sorted(done) == list(range(10))


def test_a_failed_helper_s_share_is_done_here(
    two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(processes, "_HELPER", "raise SystemExit(3)")
    answers = map_shared(square_and_pid, list(range(10)))
    assert answers == [(n * n, os.getpid()) for n in range(10)]


def test_an_error_in_the_work_is_raised_here_as_itself(two_cores: None) -> None:
    """The helper that meets it dies; redoing its share here raises the real error."""
    with pytest.raises(ValueError, match="three"):
        map_shared(fail_on_three, list(range(10)))


def test_few_items_stay_in_this_process(two_cores: None) -> None:
    assert map_shared(square_and_pid, [1, 2, 3]) == [(n * n, os.getpid()) for n in (1, 2, 3)]


def test_helpers_start_without_pandas() -> None:
    """A helper loads the modules of the shared work only: pandas there would cost more than
    the helper saves."""
    check = (
        "import sys, bantuan_iuran.processes, bantuan_iuran.excel, bantuan_iuran.corrections, "
        "bantuan_iuran.ingest; "
        "sys.exit('pandas' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", check], check=False).returncode == 0


def test_an_error_here_leaves_no_helper_running(two_cores: None) -> None:
    """The error is in this process's own share (items come in order); the helper is stopped."""
    before = _children()
    with pytest.raises(ValueError, match="three"):
        map_shared(fail_on_three, list(range(3, 13)), weights=[100] + [1] * 9)
    assert _children() == before


def _children() -> set[str]:
    tasks = Path(f"/proc/{os.getpid()}/task")
    if not tasks.exists():
        pytest.skip("needs /proc")
    return {c for t in tasks.iterdir() for c in _task_children(t)}


def _task_children(task: Path) -> list[str]:
    """A thread's child processes; a thread that ended while being listed has none."""
    try:
        return (task / "children").read_text().split()
    except FileNotFoundError:
        return []


def test_without_an_interpreter_to_start_the_work_is_done_here(
    two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(TESTS / "no-such-python"))
    assert map_shared(square_and_pid, list(range(10))) == [(n * n, os.getpid()) for n in range(10)]


def test_work_in_the_background_is_all_the_helpers(two_cores: None) -> None:
    shared = Shared(square_and_pid, [1, 2, 3], in_background=True)
    answers = shared.results()
    assert [square for square, _ in answers] == [1, 4, 9]
    assert os.getpid() not in {pid for _, pid in answers}


def test_stopped_background_work_leaves_no_helper(two_cores: None) -> None:
    before = _children()
    Shared(square_and_pid, list(range(10)), in_background=True).stop()
    assert _children() == before


def abort_on_three(number: int) -> int:
    if number == 3:
        os.abort()  # what a native reader does when it cannot allocate
    return number


def allocate_on_three(number: int) -> int:
    if number == 3:
        return len(bytearray(8 * 2**30))  # beyond the isolated helpers' limit
    return number


@pytest.mark.parametrize("work", [abort_on_three, allocate_on_three])
def test_isolated_work_survives_an_item_that_kills_its_helper(two_cores: None, work) -> None:
    answers = map_shared(work, list(range(10)), crashed=lambda number: -number)
    assert answers == [0, 1, 2, -3, 4, 5, 6, 7, 8, 9]


def test_isolated_work_is_never_done_here(two_cores: None) -> None:
    answers = map_shared(square_and_pid, list(range(10)), crashed=lambda number: None)
    assert [square for square, _ in answers] == [n * n for n in range(10)]
    assert os.getpid() not in {pid for _, pid in answers}


def test_isolated_work_is_done_here_when_no_helper_can_start(
    two_cores: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(processes, "_HELPER", "raise SystemExit(3)")
    answers = map_shared(square_and_pid, list(range(10)), crashed=lambda number: None)
    assert answers == [(n * n, os.getpid()) for n in range(10)]


def test_a_few_heavy_tasks_are_shared_with_a_helper_by_weight(two_cores: None) -> None:
    """Five documents are too few for MIN_SHARE but each is seconds of work: one helper takes
    the share the weights give it, and the answers come back in the tasks' order."""
    from bantuan_iuran.processes import Task, share_tasks

    weights = [12, 10, 9, 11, 11]
    answers = share_tasks([Task(square_and_pid, (n,), w) for n, w in enumerate(weights)]).results()
    assert [square for square, _ in answers] == [n * n for n in range(5)]
    here = {n for n, (_, pid) in enumerate(answers) if pid == os.getpid()}
    assert here and len(here) < 5
    mine = sum(weights[n] for n in here)
    assert abs(mine - (sum(weights) - mine)) <= max(weights)  # balanced, not all on one side
