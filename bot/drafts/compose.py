"""Ways to send a draft: a `mailto:` link and Gmail and Outlook web compose links, built only when
the recipient's e-mail address is known (never for a LinkedIn note).

Every value is percent-encoded with `%20` for spaces (not `+`, which mail clients would show).
"""

from __future__ import annotations

from urllib.parse import quote

from bot.replies import Draft, Link

GMAIL_COMPOSE = "https://mail.google.com/mail/"
OUTLOOK_COMPOSE = "https://outlook.office.com/mail/deeplink/compose"


def _q(value: str) -> str:
    return quote(value, safe="")


def mailto_link(to: str, subject: str, body: str) -> str:
    """RFC 6068: the address in the path, subject and body percent-encoded, CRLF line breaks."""
    crlf = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to, safe='@')}?subject={_q(subject)}&body={_q(crlf)}"


def gmail_link(to: str, subject: str, body: str) -> str:
    return f"{GMAIL_COMPOSE}?view=cm&fs=1&to={_q(to)}&su={_q(subject)}&body={_q(body)}"


def outlook_link(to: str, subject: str, body: str) -> str:
    return f"{OUTLOOK_COMPOSE}?to={_q(to)}&subject={_q(subject)}&body={_q(body)}"


def compose_links(draft: Draft) -> tuple[Link, ...]:
    """mailto:, Gmail and Outlook links for an e-mail draft whose recipient's address is known."""
    if draft.kind == "linkedin" or not draft.to_email or "@" not in draft.to_email:
        return ()
    to = draft.to_email.strip()
    subject = draft.subject or ""
    qto, qsubject, qbody = _q(to), _q(subject), _q(draft.body)
    crlf = _q(draft.body.replace("\r\n", "\n").replace("\n", "\r\n"))
    return (
        Link("E-mail app", f"mailto:{quote(to, safe='@')}?subject={qsubject}&body={crlf}"),
        Link("Gmail", f"{GMAIL_COMPOSE}?view=cm&fs=1&to={qto}&su={qsubject}&body={qbody}"),
        Link("Outlook", f"{OUTLOOK_COMPOSE}?to={qto}&subject={qsubject}&body={qbody}"),
    )
