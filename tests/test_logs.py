"""The processes' logs, as an operator's log collector receives them: one JSON object per line when
asked, no e-mail address, phone number, token, response URL or SQL parameter at INFO and above, and a
flood of one error cut down to a line a minute that says how many were held back."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine
from sqlalchemy.exc import IntegrityError

from bot.logs import MAX_MESSAGE, PersonalDataFilter, RepeatFilter, configure_logging, redact


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    out = io.StringIO()
    configure_logging("DEBUG", "json", stream=out)
    try:
        yield out
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_lines_carry_time_level_logger_and_message(captured: io.StringIO) -> None:
    logging.getLogger("bot.reminders").info("reminder %s delivered", 42)
    logging.getLogger("adapters.slack").warning("two\nlines")
    first, second = lines(captured)
    assert first["level"] == "INFO" and first["logger"] == "bot.reminders"
    assert first["message"] == "reminder 42 delivered" and str(first["time"]).endswith("+00:00")
    assert second["message"] == "two\nlines"  # still one line of JSON


def test_personal_data_and_secrets_are_withheld_at_info_and_above(captured: io.StringIO) -> None:
    log = logging.getLogger("adapters.slack")
    log.info("DM for jane.doe+jobs@horizon.example, phone +1 (555) 123-4567, token %s", "xoxb-1234-5678-abcdEFGH")
    log.warning("posting to https://hooks.slack.com/actions/T1/123/abcdef failed; db postgresql://app:s3cret@db/x")
    log.debug("draft for jane@horizon.example with %s", "xoxb-1234-5678-abcdEFGH")  # DEBUG: no secret either
    info, warning, debug = (str(entry["message"]) for entry in lines(captured))
    for secret in ("jane.doe+jobs@horizon.example", "555", "xoxb-1234", "hooks.slack.com/actions", "s3cret"):
        assert secret not in info + warning
    assert "[e-mail]" in info and "[phone]" in info and "[token]" in info
    assert "jane@horizon.example" in debug and "xoxb-1234" not in debug


def test_interview_numbers_dates_and_ids_are_not_taken_for_phone_numbers() -> None:
    text = ("reminder 1234567 for #12 due 2026-12-02T15:00:00+01:00 in guild 112233445566778899, "
            "retry in 12.5 s, claim 7f3c2a9e-55aa-4b1c-9d0e-1234567890ab")
    assert redact(text) == text


ROWS = [{"id": 1, "email": "Jane Doe <jane@horizon.example>"}, {"id": 1, "email": "Omar Haddad <omar@horizon.example>"}]


def test_a_database_error_logs_no_sql_parameters(captured: io.StringIO) -> None:
    engine = create_engine("sqlite://")
    people = Table("people", MetaData(), Column("id", Integer, primary_key=True), Column("email", String))
    people.create(engine)
    try:
        with engine.begin() as conn:
            for row in ROWS:  # (a traceback shows this line, never the values)
                conn.execute(people.insert(), row)
    except IntegrityError:
        logging.getLogger("storage").exception("saving failed")
    finally:
        engine.dispose()
    (entry,) = lines(captured)
    text = json.dumps(entry)
    assert "IntegrityError" in text and "parameters withheld" in text
    assert "Omar" not in text and "horizon.example" not in text


def test_a_flood_of_one_error_is_one_line_a_minute_with_a_count() -> None:
    now = [0.0]
    repeat = RepeatFilter(window=60.0, now=lambda: now[0])
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(repeat)
    handler.addFilter(PersonalDataFilter())
    log = logging.getLogger("test.flood")
    log.addHandler(handler)
    log.propagate = False
    try:
        body = "x" * 1_000_000
        for _ in range(1000):  # e.g. 1,000 unsigned requests of 1 MB each
            log.warning("refused a request: %s", body)
            now[0] += 0.01
        log.warning("refused a request: %s", "short")  # still within the minute: held back
        now[0] += 60
        log.warning("refused a request: %s", "again")
        log.error("another problem")  # a different error is not held back by the first
    finally:
        log.removeHandler(handler)
        log.propagate = True
    written = out.getvalue().splitlines()
    assert len(written) == 3
    assert len(written[0]) < MAX_MESSAGE + 100  # a huge message is cut
    assert written[1].startswith("refused a request: again") and "1000 more like it" in written[1]
    assert written[2] == "another problem"
    assert len(out.getvalue()) < 10_000
