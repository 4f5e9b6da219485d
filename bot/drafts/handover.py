"""What you offered to send, and how a note hands it over: a file is attached, a link is included,
and something still to come is promised with a time.

- a file or document (a portfolio PDF, a resume, writing samples, the slides, a case study) is
  attached: "I've attached the writing samples I mentioned";
- a link (a portfolio link, a website, a GitHub or LinkedIn profile, anything typed with http or
  www.) cannot be attached: "Here is the portfolio link I mentioned";
- something that comes later (references, which you check with the people first; your
  availability or schedule; anything typed with "follow up with" or a time, "by Friday", "next
  week") is promised with when: "I'll send my references by Friday", "within the next day or two"
  when no time was given.

The words themselves are made into grammar by promises.py (`promises.promise`); this module only
takes off what that does not read (a time, "get back to you with") and says how the thing travels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.drafts import promises
from bot.drafts.fragments import squash, strip_end

ATTACH = "attach"
LINK = "link"
LATER = "later"

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today|(?:the\s+)?weekend)"
_WHEN = re.compile(
    r"\s+(?P<when>(?:by|before|on|after|until)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:day|week|month)|eo[dw]|"
    + _DAY + r"|(?:next|this)\s+(?:week|month|" + _DAY + r")|(?:early|later)\s+next\s+week"
    r"|[a-z]+\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}/\d{1,2})"
    r"|(?:early\s+|later\s+|sometime\s+)?(?:next|this)\s+(?:week|month|monday|tuesday|wednesday|thursday|friday)"
    r"|later\s+(?:this|today|in\s+the)\s*\w*|tomorrow(?:\s+morning|\s+afternoon)?|tonight|soon|shortly"
    r"|within\s+(?:the\s+next\s+)?(?:\d+|a|one|two|a\s+couple\s+of)\s+(?:hours?|days?|business\s+days?|weeks?)"
    r"|in\s+(?:the\s+next\s+)?(?:a\s+day\s+or\s+two|a\s+few\s+days|\d+\s+days|a\s+couple\s+of\s+days))$",
    re.IGNORECASE,
)
_LATER_LEAD = re.compile(
    r"^(?:(?:i\s+will|i'll|i\s+promised\s+to|promised\s+to|to)\s+)?"
    r"(?:follow\s+up\s+with|get\s+back\s+to\s+(?:you|them|him|her)\s+with|come\s+back\s+to\s+(?:you|them)\s+with"
    r"|circle\s+back\s+with|send\s+(?:over\s+)?later)\s+",
    re.IGNORECASE,
)
_LATER_THINGS = re.compile(r"\b(?:references?|referees?|availability|schedule|calendar|start\s+date|"
                           r"times?\s+(?:that\s+)?work|dates?\s+(?:that\s+)?work|free\s+times?)\b", re.IGNORECASE)
_LINKS = re.compile(r"\b(?:links?|urls?|website|web\s*site|site|web\s*page|github|gitlab|bitbucket|behance|dribbble|"
                    r"linkedin|profile|repo|repos|repository|repositories|blog|substack|medium\s+post|"
                    r"google\s+(?:doc|drive|folder|slides)|notion\s+page|loom|youtube|video\s+link)\b|https?://|www\.",
                    re.IGNORECASE)
_BARE_PROFILE = re.compile(r"the\s+(?:linkedin|github|gitlab|behance|dribbble)", re.IGNORECASE)
_DETERMINER = re.compile(
    r"^(?:the|a|an|my|our|some|this|these|those|one|two|three|four|five|several|a\s+few|a\s+couple\s+of|\d+)\s",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Offer:
    """A promise made ready for a note: the thing (`promises.Promise`), how it travels (ATTACH,
    LINK or LATER), when it comes ("by Friday", "" when not said) and, for one to come, the thing
    as yours ("my references", "my availability")."""

    promise: promises.Promise
    how: str = ATTACH
    when: str = ""
    own: str = ""


def offer(text: str | None) -> Offer:
    """What the user typed for `promised:` (its person already taken off), made ready for a note."""
    clean = strip_end(squash(text))
    when = ""
    match = _WHEN.search(clean)
    if match and match.start() > 0:
        when = " ".join(match.group("when").split())
        clean = clean[: match.start()]
    later_lead = _LATER_LEAD.match(clean)
    if later_lead:
        clean = clean[later_lead.end():]
    promise = promises.promise(clean)
    if promise.problem or not promise.thing:
        return Offer(promise)
    if when or later_lead or _LATER_THINGS.search(promise.typed):
        typed = promise.typed
        own = typed if _DETERMINER.match(typed) else "my " + typed
        return Offer(promise, LATER, when[:1].lower() + when[1:], own)
    if _LINKS.search(promise.typed):
        if _BARE_PROFILE.fullmatch(promise.thing):  # "my LinkedIn" is the LinkedIn profile
            promise = replace(promise, thing=promise.thing + " profile")
        return Offer(promise, LINK)
    return Offer(promise, ATTACH)


__all__ = ["ATTACH", "LATER", "LINK", "Offer", "offer"]
