"""Time-zone abbreviations people type after a time ("2pm EST", "10:00 CET"), and the IANA zone
each one means.

An abbreviation names a region's clock, not a fixed offset: "EST" typed in July means New York's
time, which is then on summer time (EDT). So each maps to the zone of the region most people mean,
and the answer says that zone back. Where one abbreviation is used by several regions, the most
common reading is taken: IST is India, CST is the central United States, BST is British summer time.
"""

from __future__ import annotations

import re

ABBREVIATIONS: dict[str, str] = {
    # North America
    "et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
    "mt": "America/Denver", "mst": "America/Denver", "mdt": "America/Denver",
    "pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "akst": "America/Anchorage", "akdt": "America/Anchorage", "hst": "Pacific/Honolulu",
    "ast": "America/Halifax", "adt": "America/Halifax", "nst": "America/St_Johns", "ndt": "America/St_Johns",
    # Europe
    "utc": "UTC", "gmt": "Europe/London", "bst": "Europe/London", "wet": "Europe/Lisbon",
    "west": "Europe/Lisbon", "cet": "Europe/Berlin", "cest": "Europe/Berlin", "eet": "Europe/Athens",
    "eest": "Europe/Athens", "msk": "Europe/Moscow",
    # Elsewhere
    "ist": "Asia/Kolkata", "pkt": "Asia/Karachi", "sgt": "Asia/Singapore", "hkt": "Asia/Hong_Kong",
    "jst": "Asia/Tokyo", "kst": "Asia/Seoul", "awst": "Australia/Perth", "acst": "Australia/Adelaide",
    "acdt": "Australia/Adelaide", "aest": "Australia/Sydney", "aedt": "Australia/Sydney",
    "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland", "brt": "America/Sao_Paulo",
    "sast": "Africa/Johannesburg", "wat": "Africa/Lagos", "eat": "Africa/Nairobi",
}  # fmt: skip

# Two-letter forms ("ET", "PT") are read only in capitals: in lower case they are ordinary words.
_LONG = "|".join(sorted((a for a in ABBREVIATIONS if len(a) > 2), key=len, reverse=True))
_SHORT = "|".join(a.upper() for a in ABBREVIATIONS if len(a) == 2)
_FOUND = re.compile(rf"(?<![\w/])(?:(?i:{_LONG})|{_SHORT})(?![\w/])")


def take_zone(text: str) -> tuple[str | None, str]:
    """The IANA zone an abbreviation in `text` names, and the text without it; (None, text) when
    there is none. A text naming two zones keeps both (and is not read)."""
    found = list(_FOUND.finditer(text))
    if len(found) != 1:
        return None, text
    match = found[0]
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    return ABBREVIATIONS[match.group(0).lower()], " ".join(rest.split())
