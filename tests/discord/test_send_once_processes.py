"""Dispatcher processes SIGKILLed mid-batch, delivering through discord.py to the fake Discord:
every reminder reaches its member, and none twice (bench/dispatch_kill.py, counted on the fake)."""

from __future__ import annotations

from bench.dispatch_kill import run_kills


def test_workers_killed_mid_batch_send_each_reminder_dm_once() -> None:
    run = run_kills(300, processes=2, kills=2, database_spec="sqlite", delay=0.05, timeout=180)
    assert run.kills == 2
    assert (run.tally.delivered, run.tally.duplicates, run.tally.lost) == (300, 0, 0)
    assert run.nonce_hits > 0, "a kill landed between sending and recording, and the re-send showed nothing new"
