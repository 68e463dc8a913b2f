"""The work folder's ledger (ledger.sqlite): every decision that shapes who is paid, recorded
once with where it came from, kept across runs.

A decision is an answer to one field of one row (from a returned form, with its file, sheet,
row, cell, the round it answers and when it was received), a withdrawal, a suggestion the
analyst accepted, a new applicant written under a form's table, a list that replaces another,
or a village dropped from the batch. The work folder's facts (programme year, batch, round)
and the batch's villages and sources sit beside them. Each stage writes in one transaction
(`Ledger.stage`), so a crash leaves the last good state; rows are never updated, only added,
and a later receipt supersedes an earlier one when the decisions are applied (decisions.py).
SQLite from the standard library: one file, transactions, no server, nothing to install.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from bantuan_iuran.manifest import now

LEDGER = "ledger.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, source TEXT NOT NULL, recorded TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL, row_key TEXT NOT NULL, kode_desa TEXT NOT NULL,
    field TEXT NOT NULL, value TEXT NOT NULL, how TEXT NOT NULL,
    file TEXT NOT NULL, sheet TEXT NOT NULL, row INTEGER NOT NULL, cell TEXT NOT NULL,
    receipt TEXT NOT NULL, received TEXT NOT NULL, round INTEGER NOT NULL,
    recorded TEXT NOT NULL,
    UNIQUE (kind, row_key, field, value, receipt, sheet, row));
CREATE TABLE IF NOT EXISTS villages (
    kode_desa TEXT PRIMARY KEY, first_file TEXT NOT NULL, recorded TEXT NOT NULL,
    dropped TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS register (
    id INTEGER PRIMARY KEY,
    nik TEXT NOT NULL, event TEXT NOT NULL, value TEXT NOT NULL, detail TEXT NOT NULL,
    file TEXT NOT NULL, sheet TEXT NOT NULL, row INTEGER NOT NULL,
    receipt TEXT NOT NULL, received TEXT NOT NULL, round INTEGER NOT NULL,
    recorded TEXT NOT NULL,
    UNIQUE (nik, event, value, receipt, sheet, row));
CREATE TABLE IF NOT EXISTS payments (
    month TEXT NOT NULL, event TEXT NOT NULL, amount INTEGER NOT NULL, on_date TEXT NOT NULL,
    file TEXT NOT NULL, receipt TEXT NOT NULL, recorded TEXT NOT NULL,
    UNIQUE (month, event, receipt, on_date));
CREATE TABLE IF NOT EXISTS sources (
    file TEXT NOT NULL, sha256 TEXT NOT NULL, recorded TEXT NOT NULL,
    PRIMARY KEY (file, sha256));
"""


@dataclass(frozen=True)
class Decision:
    """One decision as recorded; `row_key` is the digest of the row as the village sent it
    (corrections.row_digest), so it ties to the row wherever the row now sits."""

    kind: str  # answer | acceptance | new_row | revision | drop_village
    row_key: str
    kode_desa: str
    field: str  # nik, name, birth_date, action, note; 'row' for new rows; 'file' for revisions
    value: str
    how: str  # in words: 'kolom NIK yang benar', 'diketik di atas NIK dari desa', ...
    file: str
    sheet: str
    row: int
    cell: str
    receipt: str  # SHA-256 of the file it came from ('' for the analyst's own decisions)
    received: str  # ISO time the file was received (its modification time, or as stated)
    round: int

    @property
    def source(self) -> str:
        where = f"{self.file} {self.sheet} baris {self.row}".strip()
        return f"{where} (putaran {self.round})"


DECISION_COLUMNS = [f.name for f in fields(Decision)]


@dataclass(frozen=True)
class RegisterEvent:
    """A step in a person's registration with the BPJS branch, keyed by NIK: handed over (in
    hand-over `value`, from `detail`, the month cover is asked to start), registered (`value`
    the membership number KPJ, `detail` the date cover starts), rejected (`value` the
    branch's reason) or left during the year (`value` the reason code, `detail` the day it
    happened), with the file and row it is written in and that file's SHA-256."""

    nik: str
    event: str  # handed_over | registered | rejected | left
    value: str
    detail: str
    file: str
    sheet: str
    row: int
    receipt: str
    received: str
    round: int


REGISTER_COLUMNS = [f.name for f in fields(RegisterEvent)]


@dataclass(frozen=True)
class Payment:
    """A month's bill as reconciled (`billed`: the amount to pay, the bill's file and digest)
    or its payment (`paid`: the amount and the day the treasury paid it)."""

    month: str  # YYYY-MM
    event: str  # billed | paid
    amount: int
    on_date: str  # ISO: the day it was paid, or the bill was received
    file: str
    receipt: str


PAYMENT_COLUMNS = [f.name for f in fields(Payment)]


class Ledger:
    """The ledger of one work folder, opened for a stage."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def fact(self, key: str) -> str | None:
        found = self.connection.execute("SELECT value FROM facts WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None

    def set_fact(self, key: str, value: str, source: str) -> None:
        self.connection.execute(
            "INSERT INTO facts VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
            "value = excluded.value, source = excluded.source, recorded = excluded.recorded",
            (key, value, source, now()),
        )

    def record(self, decisions: Iterable[Decision]) -> int:
        """Adds the decisions not recorded yet; returns how many were new."""
        return self._add("decisions", DECISION_COLUMNS, (astuple(d) for d in decisions))

    def _add(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        """Inserts the rows not in `table` yet, stamped now; returns how many were new."""
        before, stamp = self.connection.total_changes, now()
        self.connection.executemany(
            f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}, recorded) "
            f"VALUES ({', '.join('?' * len(columns))}, ?)",
            [(*row, stamp) for row in rows],
        )
        return self.connection.total_changes - before

    def _all(self, table: str, columns: list[str], order: str) -> list[tuple]:
        """Every row of `table` in `order`; none from a read-only ledger older than it."""
        try:
            return self.connection.execute(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"
            ).fetchall()
        except sqlite3.OperationalError:
            return []

    def decisions(self) -> list[Decision]:
        """Every decision, in the order they were recorded."""
        return [decision for decision, _ in self.history()]

    def history(self) -> list[tuple[Decision, str]]:
        """Every decision with when it was recorded, in that order."""
        rows = self.connection.execute(
            f"SELECT {', '.join(DECISION_COLUMNS)}, recorded FROM decisions ORDER BY id"
        )
        return [(Decision(*row[:-1]), row[-1]) for row in rows]

    def record_register(self, events: Iterable[RegisterEvent]) -> int:
        """Adds the register events not recorded yet; returns how many were new."""
        return self._add("register", REGISTER_COLUMNS, (astuple(e) for e in events))

    def register(self) -> list[RegisterEvent]:
        """Every register event in the order recorded."""
        return [RegisterEvent(*row) for row in self._all("register", REGISTER_COLUMNS, "id")]

    def record_payment(self, payment: Payment) -> int:
        """A month's bill (the amount to pay) or its payment; returns 1 when it was new."""
        return self._add("payments", PAYMENT_COLUMNS, [astuple(payment)])

    def payments(self) -> list[Payment]:
        return [Payment(*row) for row in self._all("payments", PAYMENT_COLUMNS, "rowid")]

    def villages(self) -> dict[str, str]:
        """The batch's villages still in it: code -> the file it first came in."""
        rows = self.connection.execute(
            "SELECT kode_desa, first_file FROM villages WHERE dropped = '' ORDER BY kode_desa"
        )
        return dict(rows.fetchall())

    def add_villages(self, first_files: dict[str, str]) -> None:
        self.connection.executemany(
            "INSERT INTO villages (kode_desa, first_file, recorded) VALUES (?, ?, ?) "
            "ON CONFLICT (kode_desa) DO UPDATE SET dropped = ''",
            [(kode, file, now()) for kode, file in sorted(first_files.items())],
        )

    def drop_villages(self, codes: Iterable[str]) -> None:
        stamp = now()
        self.connection.executemany(
            "UPDATE villages SET dropped = ? WHERE kode_desa = ?", [(stamp, c) for c in codes]
        )

    def known_source(self, file: str) -> list[str]:
        """The SHA-256 digests a source path had in earlier runs."""
        rows = self.connection.execute("SELECT sha256 FROM sources WHERE file = ?", (file,))
        return [row[0] for row in rows]

    def add_sources(self, digests: dict[str, str]) -> None:
        self.connection.executemany(
            "INSERT OR IGNORE INTO sources VALUES (?, ?, ?)",
            [(file, sha, now()) for file, sha in sorted(digests.items())],
        )


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.executescript(_SCHEMA)
    return connection


@contextmanager
def ledger_stage(workdir: Path) -> Iterator[Ledger]:
    """The ledger in one transaction: committed when the stage ends well, rolled back when it
    fails, so the ledger is always at the last good stage."""
    from bantuan_iuran.atomic import ensure_private_dir

    ensure_private_dir(workdir)
    path = workdir / LEDGER
    created = not path.exists()
    with _disk_errors(path):
        connection = _connect(path)
    if created:
        path.chmod(0o600)
    try:
        with _disk_errors(path):
            connection.execute("BEGIN IMMEDIATE")
            yield Ledger(connection)
            connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:  # SQLite has rolled back itself after a full disk
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


@contextmanager
def _disk_errors(path: Path) -> Iterator[None]:
    """A full disk or a read-only folder is the file system's error, naming the ledger, like
    every other file the tool writes."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        words = str(exc)
        if "full" in words:
            raise OSError(errno.ENOSPC, "No space left on device", str(path)) from exc
        if "readonly" in words or "unable to open" in words:
            raise OSError(errno.EACCES, words, str(path)) from exc
        raise


@contextmanager
def reading_ledger(workdir: Path) -> Iterator[Ledger | None]:
    """The ledger for reading only (None when the folder has none yet)."""
    path = workdir / LEDGER
    if not path.exists():
        yield None
        return
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield Ledger(connection)
    finally:
        connection.close()
