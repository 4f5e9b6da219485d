"""What the user typed, made into grammar before any template sees it.

People type fragments: "projects.", "that I led the migration", "to send two writing samples",
"about how their team migrated", "Acme, Inc.". Each field has one function here that returns the
words a sentence can take as they are, or says which field to rephrase (`Fragment.problem`) when
no rule can make it read well; a draft then leaves that sentence out and says so.

Rules, field by field (every rule is table-tested in tests/test_fragments.py):
- everything: spaces collapsed, surrounding quotes removed;
- a phrase used inside a sentence (topic, role, promise, news): no trailing punctuation, except the
  full stop of an abbreviation ("Acme Inc.", "N.A."), which a sentence does not double; a first
  word that is capitalised only because it was typed first ("The launch", "Our roadmap") is lower
  case; a leading "about"/"discussing" is dropped;
- a topic that is a clause ("they migrated to Kubernetes") reads as "how they migrated ...";
  one that starts with "I" or holds two sentences cannot be made into a phrase: rephrase it;
- in a note to the person a topic or piece of news belongs to, words pointing at that person point
  at the reader: "their team" is "your team", "how she built" is "how you built", "he was" is
  "you were";
- a promise ("my portfolio", "to send two writing samples", "a case study") is the thing to attach:
  "send"/"share"/"forward" and a leading "to" are dropped, an article or "my" becomes "the" for
  "the ... I mentioned", and inflect tells "it" from "they"; a promise that is an action, not a
  thing ("to call next week"), cannot be attached: rephrase it;
- a point is a sentence: a leading "that" (or "to add that") is dropped, it starts with a capital
  and ends with a full stop, a lone "i" is "I";
- a company keeps its name but not its legal form in running text: "Acme, Inc." reads "Acme",
  "JPMorgan Chase Bank, N.A." reads "JPMorgan Chase Bank"; a name typed all in lower case is
  capitalised;
- a role has no article and no trailing "role"/"position" ("the Data Analyst position" reads
  "Data Analyst", so "the Data Analyst role" never doubles); typed all in lower case, it is
  capitalised like a job title ("senior ux designer" is "Senior UX Designer").

A fragment can name its person: "Jane: my portfolio", "to Jane: ...", "my portfolio (for Jane)" or
"my portfolio for Jane" give the promise (or point, or news) to that person's note only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import inflect

from bot.domain import Interviewer
from bot.drafts.names import find_person

_ENGINE = inflect.engine()

_ABBREVIATIONS = frozenset(
    {"inc", "ltd", "co", "corp", "llc", "plc", "jr", "sr", "st", "dr", "mr", "ms", "mrs", "prof", "etc", "vs", "no"}
)
_LEGAL_FORMS = re.compile(
    r"(?:,?\s+(?:Inc\.?|Incorporated|LLC|L\.L\.C\.|Ltd\.?|Limited|Corp\.?|GmbH|AG|plc|PLC|LLP|L\.P\.|LP"
    r"|N\.\s?A\.|S\.A\.?|SA|B\.V\.?|BV|Pty\.?(?:\s+Ltd\.?)?|S\.?A\.?S\.?|S\.r\.l\.|Oy|AB|A/S|K\.K\.))+$",
    re.IGNORECASE,
)
_FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "our", "their", "your", "my", "his", "her", "its", "how", "what", "why", "when", "where",
     "which", "this", "that", "these", "those", "some", "new", "upcoming", "building", "working"}
)  # fmt: skip
_ROLE_SMALL_WORDS = frozenset({"of", "and", "for", "the", "in", "to", "on", "at", "a", "an", "with", "&"})
_ACRONYMS = frozenset(
    {"ux", "ui", "qa", "hr", "it", "ai", "ml", "seo", "sem", "cfo", "cto", "ceo", "coo", "vp", "svp", "evp", "avp",
     "sre", "bi", "crm", "erp", "pr", "r&d", "gis", "sql", "ios", "api", "devops", "nlp", "esg", "cpa", "rn", "ehs"}
)  # fmt: skip
_SEND_VERBS = re.compile(
    r"^(?:(?:i\s+(?:will|would|'ll|can|could)\s+|i'll\s+|i\s+promised\s+to\s+|promised\s+to\s+|to\s+)?"
    r"(?:send(?:\s+(?:over|along|you|them|him|her))?|share|forward|e-?mail|provide|attach|pass\s+along"
    r"|get\s+(?:you|them|him|her)|follow\s+up\s+with|include)\s+)",
    re.IGNORECASE,
)
_DETERMINERS = re.compile(
    r"^(?:the|a|an|my|our|some|this|these|those|that|one|two|three|four|five|six|several|a\s+few|a\s+couple\s+of|\d+)\s",
    re.IGNORECASE,
)
_HEAD_NOUN_STOP = re.compile(r"\s(?:of|from|for|on|about|that|which|with|in|to|showing|covering)\s", re.IGNORECASE)
_SUBJECT_START = re.compile(r"^(?:they|he|she|we|you|the\s+team|their\s+team|his\s+team|her\s+team)\b(?=\s+\w)",
                            re.IGNORECASE)  # a clause: its subject and more ("their team migrated")
_I_START = re.compile(r"^(?:i|i'm|i've|i'd|i'll|me|my\s+answer)\b", re.IGNORECASE)
_TOPIC_LEAD = re.compile(
    r"^(?:about|regarding|re:|discussing|discussed|we\s+discussed|we\s+talked\s+about|talked\s+about|on\s+the\s+topic\s+of)\s+",
    re.IGNORECASE,
)
_POINT_LEAD = re.compile(
    r"^(?:(?:i\s+(?:also\s+)?(?:wanted|want|meant|forgot)\s+to\s+(?:add|say|mention)|to\s+add|also|add)\s*(?:that\b|:)?\s*"
    r"|that\s+|:\s*)",
    re.IGNORECASE,
)


_PAST = re.compile(
    r"\w+ed|won|led|began|got|made|wrote|spoke|gave|became|took|ran|built|opened|raised|shipped|hit|grew|cut|"
    r"brought|taught|sold|drew|set|kept|found|went|did|saw|had|was|were|is|are|has|have|moved|joined"
)
_VAGUE = frozenset({"to", "it", "them", "something", "stuff", "things", "more", "info", "information", "details"})
_AUXILIARIES = frozenset({"did", "was", "were", "is", "are", "has", "have", "had"})
_ACHIEVEMENTS = re.compile(
    r"promotion|award|launch|release|funding|round|anniversary|milestone|acquisition|expansion|win|prize|"
    r"new\s+role|new\s+job|ipo|recognition|honou?r|appointment|grant",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fragment:
    """Words ready for a sentence (`text`), or `problem`: which field to rephrase, and why."""

    text: str = ""
    problem: str = ""

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Promise:
    """Something the user offered to send: `thing` ("the writing samples"), as typed ("two writing
    samples"), and whether it is plural (for "it"/"they")."""

    thing: str = ""
    typed: str = ""
    plural: bool = False
    problem: str = ""


# ------------------------------------------------------------------------------------ basics


def squash(text: str | None) -> str:
    """Spaces collapsed and surrounding quotes removed."""
    clean = " ".join((text or "").split())
    while len(clean) >= 2 and clean[0] in "\"'“‘" and clean[-1] in "\"'”’":
        clean = clean[1:-1].strip()
    return clean


def _ends_with_abbreviation(text: str) -> bool:
    if not text.endswith("."):
        return False
    last = text.split()[-1] if text.split() else ""
    if re.fullmatch(r"(?:[A-Za-z]\.){2,}", last):  # N.A., U.S., e.g.
        return True
    return last[:-1].lower().lstrip("(") in _ABBREVIATIONS


def strip_end(text: str) -> str:
    """No trailing punctuation, except an abbreviation's full stop ("Acme Inc.")."""
    clean = text.rstrip()
    while clean and clean[-1] in ".,;:!?-–—…" and not _ends_with_abbreviation(clean):
        clean = clean[:-1].rstrip()
    return clean


def _lower_first_function_word(text: str) -> str:
    words = text.split(" ", 1)
    if words and words[0][:1].isupper() and words[0].lower() in _FUNCTION_WORDS and not words[0].isupper():
        words[0] = words[0].lower()
    return " ".join(words)


def phrase(text: str | None) -> str:
    """A phrase for the middle of a sentence: squashed, no trailing punctuation, first word in the
    case it has inside a sentence."""
    return _lower_first_function_word(strip_end(squash(text)))


def _two_sentences(text: str) -> bool:
    for m in re.finditer(r"[.!?]\s+(?=[A-Za-z])", text):
        if not _ends_with_abbreviation(text[: m.start() + 1]):
            return True
    return False


# ------------------------------------------------------------------------------- addressee


_PRONOUNS = {
    "their": "your",
    "theirs": "yours",
    "them": "you",
    "themselves": "yourself",
    "themself": "yourself",
    "his": "your",
    "him": "you",
    "himself": "yourself",
    "hers": "yours",
    "herself": "yourself",
}
_SUBJECTS = frozenset({"they", "he", "she"})
_CONTRACTIONS = {"they're": "you're", "they've": "you've", "they'd": "you'd", "they'll": "you'll",
                 "he'd": "you'd", "she'd": "you'd", "he'll": "you'll", "she'll": "you'll"}  # fmt: skip
_AGREE = {"is": "are", "was": "were", "has": "have", "does": "do", "isn't": "aren't", "wasn't": "weren't",
          "hasn't": "haven't", "doesn't": "don't"}  # fmt: skip
# "her" followed by one of these is "you" ("asked her about"); otherwise it is "your" ("her team").
_AFTER_OBJECT = frozenset(
    {"about", "to", "for", "with", "on", "in", "at", "and", "or", "how", "what", "why", "that", "if", "when", "as",
     "from", "by", "into", "through", "over", "again", "so", "more", "",}
)  # fmt: skip


def _match_case(word: str, like: str) -> str:
    if len(like) > 1 and like.isupper():  # "HER" -> "YOUR", "HE'S" -> "YOU'RE"
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


# "he's"/"she's" before a participle is "has" ("she's led" -> "you've led"), before one of these
# words that read as adjectives it is "is" ("she's excited about" -> "you're excited about").
_STATE_WORDS = frozenset(
    {"excited", "interested", "based", "focused", "involved", "invested", "motivated", "dedicated", "committed",
     "qualified", "experienced", "skilled", "located", "pleased", "thrilled", "concerned", "worried", "known",
     "passionate", "responsible", "tired", "married", "engaged", "retired", "licensed", "certified", "named",
     "supposed", "used", "hired", "promoted", "stationed", "positioned", "invited", "scheduled", "expected",
     "driven", "given", "seen"}
)  # fmt: skip


def _has_or_is(following: str) -> str:
    """"you've" or "you're" for "he's"/"she's" before `following`."""
    if following in _STATE_WORDS:
        return "you're"
    return "you've" if following.endswith(("ed", "en", "ilt", "ught", "one", "own", "ung", "ead")) else "you're"


def _agree(verb: str) -> str:
    """A third-person verb after "he"/"she", for "you": "leads" -> "lead", "is" -> "are"."""
    low = verb.lower()
    if low in _AGREE:
        return _match_case(_AGREE[low], verb)
    if low.endswith("ly") or len(low) < 4 or not low.endswith("s") or low.endswith("ss"):
        return verb  # an adverb, a past tense or not a verb at all
    if re.search(r"(?:ch|sh|x|z|ss|o)es$", low):
        return verb[:-2]
    if low.endswith("ies"):
        return verb[:-3] + "y"
    plural = _ENGINE.plural_verb(low)
    return _match_case(plural, verb) if plural and plural != low else verb[:-1]


def _agree_first(text: str) -> str:
    head, _, rest = text.partition(" ")
    return " ".join(w for w in (_agree(head), rest) if w)


def to_addressee(text: str) -> str:
    """Words pointing at the person a note is written to, pointing at the reader instead."""
    tokens = re.split(r"(\s+)", text)
    out: list[str] = []
    words = [t for t in tokens if t and not t.isspace()]
    index = 0
    agree_next = False
    shifted = False  # a "he"/"she" of this fragment became "you": its later "and is" agree too
    previous = ""
    for token in tokens:
        if not token or token.isspace():
            out.append(token)
            continue
        core = token.rstrip(".,;:!?)")
        tail = token[len(core) :]
        low = core.lower()
        following = words[index + 1].lower().strip(".,;:!?") if index + 1 < len(words) else ""
        index += 1
        before, previous = previous, low
        if shifted and before == "and" and low in _AGREE:
            out.append(_match_case(_AGREE[low], core) + tail)
            continue
        if agree_next and low and not tail:
            new = _agree(core)
            agree_next = new == core and low.endswith("ly")  # "she recently leads": agree the verb after
            out.append(new + tail)
            continue
        agree_next = False
        if low in _SUBJECTS:
            out.append(_match_case("you", core) + tail)
            agree_next = low in ("he", "she") and not tail
            shifted = shifted or agree_next
            continue
        if low in ("he's", "she's"):
            out.append(_match_case(_has_or_is(following), core) + tail)
            continue
        if low in _CONTRACTIONS:
            out.append(_match_case(_CONTRACTIONS[low], core) + tail)
            continue
        if low == "her":
            out.append(_match_case("you" if tail or following in _AFTER_OBJECT else "your", core) + tail)
            continue
        if low in _PRONOUNS:
            out.append(_match_case(_PRONOUNS[low], core) + tail)
            continue
        out.append(token)
    return "".join(out)


# ------------------------------------------------------------------------------- owners


def owner_and_text(text: str | None, people: Sequence[Interviewer]) -> tuple[Interviewer | None, str]:
    """"Jane: my portfolio", "to Jane: ...", "my portfolio (for Jane)", "my portfolio for Jane"
    -> (Jane, "my portfolio") when Jane is one of `people`; otherwise (None, the text)."""
    clean = squash(text)
    if not clean or not people:
        return None, clean
    m = re.match(r"^(?:(?:to|for|with)\s+)?([^:]{1,60}):\s*(.+)$", clean, re.IGNORECASE)
    if m and (person := find_person(people, m.group(1))) is not None:
        return person, m.group(2).strip()
    m = re.match(r"^(.+?)\s*\((?:for|to|with)?\s*([^()]{1,60})\)\s*[.]?$", clean, re.IGNORECASE)
    if m and (person := find_person(people, m.group(2))) is not None:
        return person, m.group(1).strip()
    m = re.match(r"^(.+?)\s+(?:for|to)\s+([^\s].{0,59}?)\s*[.]?$", clean, re.IGNORECASE)
    if m and (person := find_person(people, m.group(2))) is not None:
        return person, m.group(1).strip()
    return None, clean


# ------------------------------------------------------------------------------- fields


def topic(text: str | None, *, to_owner: bool = False) -> Fragment:
    """A topic for "learning about ___" (see the module docstring)."""
    clean = _TOPIC_LEAD.sub("", squash(text))
    if not clean:
        return Fragment()
    if _two_sentences(clean):
        return Fragment(problem="make the topic one phrase, not sentences (e.g. about the data platform migration)")
    clean = phrase(clean)
    if _I_START.match(clean):
        return Fragment(problem="make the topic what was discussed, not what you did (e.g. about the launch plan)")
    if _SUBJECT_START.match(clean):
        clean = "how " + clean[0].lower() + clean[1:]
    if to_owner:
        clean = to_addressee(clean)
    return Fragment(clean)


def role(text: str | None) -> str:
    """A role as "the ___ role" takes it (see the module docstring)."""
    clean = strip_end(squash(text))
    clean = re.sub(r"^(?:the|a|an)\s+", "", clean, flags=re.IGNORECASE)
    clean = re.sub(r"\s+(?:role|position|job|opening|opportunity|post)$", "", clean, flags=re.IGNORECASE)
    if clean and clean == clean.lower():
        words = clean.split()
        clean = " ".join(
            w.upper() if w in _ACRONYMS else w if (i and w in _ROLE_SMALL_WORDS) else w[:1].upper() + w[1:]
            for i, w in enumerate(words)
        )
    return clean


def company(text: str | None) -> str:
    """A company as running text names it: "Acme, Inc." -> "Acme" (see the module docstring)."""
    clean = squash(text)
    short = _LEGAL_FORMS.sub("", clean).strip().rstrip(",").strip() or clean
    short = strip_end(short) if not _ends_with_abbreviation(short) else short
    if short and short == short.lower():
        short = " ".join(w[:1].upper() + w[1:] for w in short.split())
    return short


def _head_noun(thing: str) -> str:
    head = _HEAD_NOUN_STOP.split(" " + thing + " ", maxsplit=1)[0].strip()
    return head.split()[-1] if head.split() else ""


def _is_plural(thing: str) -> bool:
    m = re.match(r"^(?:two|three|four|five|six|several|a\s+few|a\s+couple\s+of|some|these|those|\d+)\s", thing, re.I)
    if m and not thing.lower().startswith(("1 ", "one ")):
        return not thing.lower().startswith("some ") or _is_plural(thing[5:])
    noun = _head_noun(thing).lower()
    if not noun or not noun.endswith("s") or noun.endswith(("ss", "us", "is", "ics")):
        return False
    return bool(_ENGINE.singular_noun(noun))


@lru_cache(maxsize=256)
def promise(text: str | None) -> Promise:
    """What the user offered to send, as "I've attached ___ I mentioned" takes it."""
    clean = strip_end(squash(text))
    if not clean:
        return Promise()
    typed = _SEND_VERBS.sub("", clean)
    typed = re.sub(r"\s+(?:i|we)\s+(?:mentioned|discussed|promised|talked\s+about)$", "", typed, flags=re.IGNORECASE)
    typed = re.sub(r"\s+(?:to\s+(?:you|them|him|her)|over|along)$", "", typed, flags=re.IGNORECASE)
    vague = all(w.lower() in _FUNCTION_WORDS | _VAGUE for w in typed.split())
    if vague or re.match(r"^to\s", typed, re.IGNORECASE) or _I_START.match(typed) or _two_sentences(typed):
        return Promise(problem="make the promise the thing you will attach (e.g. promised: my portfolio)")
    typed = _lower_first_function_word(typed)
    words = typed.split()
    first = words[0].lower() if words else ""
    if first in ("my", "our", "a", "an", "this", "that", "one"):
        thing = "the " + " ".join(words[1:])
    elif first in ("some",):
        thing = "the " + " ".join(words[1:])
    elif _DETERMINERS.match(typed):
        thing = typed if first == "the" else "the " + typed
    else:
        thing = "the " + typed
    if len(thing.split()) < 2:
        return Promise(problem="make the promise the thing you will attach (e.g. promised: my portfolio)")
    return Promise(thing=thing, typed=typed, plural=_is_plural(typed))


@lru_cache(maxsize=256)
def point(text: str | None) -> Fragment:
    """An extra point to an answer, as a sentence (see the module docstring)."""
    clean = squash(text)
    for _ in range(2):
        clean = _POINT_LEAD.sub("", clean).strip()
    if not clean:
        return Fragment()
    clean = re.sub(r"(?<![\w'])i(?=(?:'m|'ve|'d|'ll)?(?![\w']))", "I", clean)
    lead = clean.split()[0].lower()
    if _PAST.fullmatch(lead) and lead not in _AUXILIARIES:
        clean = "I " + clean[0].lower() + clean[1:]
    clean = clean[0].upper() + clean[1:]
    if clean[-1] not in ".!?":
        clean = strip_end(clean)
        if not clean.endswith("."):
            clean += "."
    if len(clean.split()) < 3:
        return Fragment(problem="make the point a whole thought (e.g. point: I led a campaign that doubled sign-ups)")
    return Fragment(clean)


def news(text: str | None, *, to_owner: bool = False) -> Fragment:
    """Something new about the person or the company ("launched the mobile app", "her promotion to
    VP", "an article on fraud models", "Acme raised a Series B"), as the object of "I saw ___":
    a clause is "that ..." (a bare past-tense verb gets "your team" as its subject: every reader
    works there), an achievement is "the news of ...", another thing is itself with "the" (or
    "your" in its person's note)."""
    clean = phrase(text)
    if not clean:
        return Fragment()
    if _two_sentences(clean) or _I_START.match(clean):
        return Fragment(problem="make the news one phrase (e.g. news: launched the mobile app)")
    words = clean.split()
    first = words[0].lower()
    if _PAST.fullmatch(first):
        body = "that " + ("you " + _agree_first(clean) if to_owner else "your team " + clean)
    elif _SUBJECT_START.match(clean) or any(_PAST.fullmatch(w.lower()) for w in words[1:3]):
        body = "that " + clean
    else:
        if first in ("a", "an", "the", "some", "my", "our"):
            clean = " ".join(words[1:])
            first = "the"
        possessive = first in ("your", "their", "his", "her", "its")
        thing = clean if possessive else ("your " if to_owner else "the ") + clean
        body = ("the news of " + thing) if _ACHIEVEMENTS.search(clean) else thing
    if to_owner:
        body = to_addressee(body)
    return Fragment(body)


_MODAL = re.compile(
    r"^(?:(?:they|he|she|we)['’](?:ll|d)\s+|(?:(?:they|he|she|the\s+team|the\s+recruiter|[A-Z][\w'-]*)\s+)?"
    r"(?:will|'ll|would|should|said\s+(?:they|he|she)\s+(?:would|will|'d)|are\s+going\s+to|is\s+going\s+to"
    r"|plans?\s+to|promised\s+to|to)\s+)",
    re.IGNORECASE,
)
_PROMISE_VERBS = frozenset(
    {"send", "share", "get", "let", "call", "email", "e-mail", "reach", "follow", "decide", "come", "make",
     "schedule", "update", "circle", "contact", "reply", "respond", "confirm", "finalize", "finalise", "provide",
     "set", "give", "introduce", "connect", "forward", "check", "arrange", "book", "review", "post", "talk"}
)  # fmt: skip


def their_promise(text: str | None) -> Fragment:
    """What the employer said they would do, as "you mentioned that you would ___" takes it:
    "they will send the schedule by Friday" and "send the schedule by Friday" both read "send the
    schedule by Friday"; a thing ("feedback by Friday") reads "share feedback by Friday"; words
    pointing at them point at the reader ("their decision" is "your decision")."""
    clean = phrase(text)
    if not clean:
        return Fragment()
    if _two_sentences(clean) or _I_START.match(clean):
        return Fragment(problem="make what they promised one phrase (e.g. they-promised: send the schedule by Friday)")
    stripped = _MODAL.sub("", clean, count=1)
    first = stripped.split()[0].lower() if stripped.split() else ""
    if stripped == clean and first not in _PROMISE_VERBS:
        stripped = "share " + stripped
    return Fragment(to_addressee(stripped[0].lower() + stripped[1:]))


def article(noun_phrase: str) -> str:
    """"an informational interview", "a UX role": inflect's article, with the letter sound of an
    all-capital first word."""
    first = noun_phrase.split()[0] if noun_phrase.split() else ""
    if first.isupper() and len(first) > 1:
        return ("an " if first[0] in "AEFHILMNORSX" else "a ") + noun_phrase
    return _ENGINE.a(noun_phrase)
