"""Dispatcher processes SIGKILLed mid-batch, delivering through the real Slack notifier (slack-sdk)
to the fake Slack: every reminder reaches its member, and none twice, because each DM's metadata is
found in the DM's history before a re-send (bench/dispatch_kill.py, counted on the fake)."""

from __future__ import annotations

from bench.dispatch_kill import run_kills


def test_workers_killed_mid_batch_send_each_slack_reminder_dm_once() -> None:
    run = run_kills(200, processes=2, kills=2, database_spec="sqlite", platform="slack", delay=0.05, timeout=120)
    assert run.kills == 2
    assert (run.tally.delivered, run.tally.duplicates, run.tally.lost) == (200, 0, 0)
    assert run.already_there > 0, "a kill landed between posting and recording, and the history showed nothing"
