"""Several dispatcher processes on one database deliver each reminder exactly once, and a
dispatcher killed mid-batch loses nothing. Real processes (bench/dispatch.py's worker), counted by
reminder id in each process's own delivery log."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from sqlalchemy import select

from bench.dispatch import read_ids, run_processes, tally, worker_command, worker_env
from bench.seed import delivery_counts, seed
from storage.engine import create_sync_engine
from storage.models import ReminderRow
from tests.conftest import Databases


def test_four_processes_on_postgresql_deliver_20000_reminders_exactly_once(databases: Databases) -> None:
    with databases.fresh("postgres") as url:
        ids = seed(url, 20_000)

        run = run_processes(url, 4, ids, batch=200, timeout=240)

        assert (run.tally.delivered, run.tally.duplicates, run.tally.lost) == (20_000, 0, 0)
        assert sum(w["delivered"] for w in run.workers) == 20_000
        assert all(w["delivered"] > 0 for w in run.workers)  # the work was shared, not serialised
        assert delivery_counts(url) == {"delivered": 20_000}


def test_two_processes_on_one_sqlite_file_deliver_each_reminder_once(databases: Databases) -> None:
    with databases.fresh("sqlite") as url:
        ids = seed(url, 3_000, steps_per_interview=2)

        run = run_processes(url, 2, ids, batch=100, timeout=120)

        assert (run.tally.delivered, run.tally.duplicates, run.tally.lost) == (3_000, 0, 0)
        assert delivery_counts(url) == {"delivered": 3_000}


def _waiting_ids(url: str) -> set[int]:
    engine = create_sync_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.execute(select(ReminderRow.id).where(ReminderRow.delivery == "waiting")).scalars())
    finally:
        engine.dispose()


def test_a_dispatcher_killed_mid_batch_loses_nothing_and_repeats_only_what_it_had_sent(
    databases: Databases, tmp_path: Path
) -> None:
    with databases.fresh("postgres") as url:
        ids = seed(url, 3_000)
        first, second = str(tmp_path / "killed.ids"), str(tmp_path / "restarted.ids")
        # A slow notifier (2 ms a DM) and a short lease, so the kill lands inside a batch.
        killed = subprocess.Popen(worker_command(url, first, batch=100, lease=2.0, concurrency=4, delay=0.002),
                                  stdout=subprocess.DEVNULL, env=worker_env())
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if os.path.exists(first) and sum(read_ids([first]).values()) >= 500:
                    break
                time.sleep(0.01)
            os.kill(killed.pid, signal.SIGKILL)
        finally:
            killed.wait(timeout=30)
        assert killed.returncode == -signal.SIGKILL

        sent_before_kill = read_ids([first])
        assert 500 <= len(sent_before_kill) < 3_000
        # DMs that went out but whose delivery the killed worker had not yet written down.
        unrecorded = set(sent_before_kill) & _waiting_ids(url)

        restarted = subprocess.run(worker_command(url, second, batch=100, lease=2.0), env=worker_env(),
                                   stdout=subprocess.PIPE, timeout=120, check=True)
        assert restarted.returncode == 0

        result = tally(ids, [first, second])
        assert result.lost == 0 and result.delivered == 3_000
        duplicated = {i for i, n in result.counts.items() if n > 1}
        assert duplicated == unrecorded  # only what had gone out when the kill came, each once more
        assert result.duplicates == len(unrecorded) < 100  # at most the one batch in flight
        print(f"killed after {len(sent_before_kill)} DMs; {result.duplicates} sent twice")
        assert delivery_counts(url) == {"delivered": 3_000}
