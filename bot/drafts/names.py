"""People's names as drafts use them: parsed with nameparser, greeted by one documented rule.

What a name is made of (`parse_name`):
- the honorific given with the name or in front of it (Mr., Ms., Mrs., Mx., Dr., Prof., Sir, ...);
- the given name, the surname with its particles ("van der Berg", "Ní Bhriain", "de la Cruz"),
  a generational suffix (Jr., Sr., III) and credentials (PhD, MD, MBA), which no greeting uses;
- a role in parentheses ("Tom Alvarez (recruiter)": the name is Tom Alvarez, the role recruiter).

A name typed all in lower (or upper) case is capitalised the way names are written: "maria lopez"
is Maria Lopez, "james o'connor" James O'Connor, "mcdonald" McDonald, "ana de la cruz" Ana de la Cruz.
A name typed with capitals is kept as typed.

Spanish and Portuguese names carry two surnames. When a name looks Iberian (an accent such as
á, é, ñ, ç, or a surname ending in -ez) and has three words or more, its last two words are the
surname ("Ms. María José García López" is Ms. García López), unless the middle of a three-word name
is a common second given name ("Juan Carlos Pérez" is Mr. Pérez). Writing "Surname, Given names"
("García López, María José") says which is which without any guess.

Greetings (`greeting`), the same on every platform:
- formal, with an honorific and a surname: "Dear Ms. García López", "Dear Mr. O'Connor";
- formal, with a doctorate as credential and no honorific: "Dear Dr. Smith" (Jane Smith, PhD);
- formal, no honorific: "Dear First Last", the name as given without suffix or credentials
  ("Dear Robert Hale", "Dear Tom Alvarez");
- casual: "Hi" and the given name ("Hi María José", "Hi Robert");
- one name only, with an honorific: that honorific and name in both tones ("Dear Dr. Sarah",
  "Hi Ms. Novak"): one word cannot tell a given name from a surname, and the user wrote it so.

`to:` finds a person by any part of their name (`match_people`, `find_person`): "Hale", "Robert",
"Robert Hale", "Hale Jr.", "Mr. Hale" and "garcia" all find their person; accents and case are
ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from nameparser import HumanName
from nameparser.config import CONSTANTS

from bot.domain import Interviewer, Tone

# Honorifics as a greeting writes them (nameparser's titles, read case-insensitively).
_HONORIFIC_FORMS = {
    "mr": "Mr.",
    "mister": "Mr.",
    "ms": "Ms.",
    "mrs": "Mrs.",
    "miss": "Miss",
    "mx": "Mx.",
    "dr": "Dr.",
    "doctor": "Dr.",
    "prof": "Prof.",
    "professor": "Prof.",
    "sir": "Sir",
    "dame": "Dame",
    "rev": "Rev.",
    "reverend": "Rev.",
    "fr": "Fr.",
    "hon": "Hon.",
    "judge": "Judge",
    "sen": "Senator",
    "senator": "Senator",
    "rep": "Representative",
    "capt": "Captain",
    "captain": "Captain",
    "col": "Colonel",
    "gen": "General",
    "lt": "Lieutenant",
    "sgt": "Sergeant",
    "rabbi": "Rabbi",
    "imam": "Imam",
    "sr": "Sr.",
    "sra": "Sra.",
    "srta": "Srta.",
    "herr": "Herr",
    "frau": "Frau",
    "mme": "Mme",
    "mlle": "Mlle",
    "m": "M.",
}
# A credential that makes the formal greeting "Dear Dr. Surname".
_DOCTORATES = frozenset({"phd", "md", "dphil", "edd", "psyd", "dds", "dmd", "dvm", "dnp", "pharmd"})
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "2nd", "3rd", "4th"})
_IBERIAN_MARKS = re.compile(r"[áéíóúñãõçÁÉÍÓÚÑÃÕÇ]")
_SECOND_GIVEN = frozenset(
    {
        "jose", "maria", "luis", "carlos", "antonio", "manuel", "angel", "miguel", "juan", "carmen",
        "jesus", "pablo", "javier", "eduardo", "alberto", "fernando", "francisco", "ignacio",
        "isabel", "elena", "teresa", "pilar", "dolores", "rosa", "eugenia", "fernanda", "paula",
        "andres", "alejandro", "ramon", "jorge", "joao", "pedro", "paulo", "ana", "luisa", "victoria",
    }
)  # fmt: skip


@dataclass(frozen=True)
class PersonName:
    """A parsed name: what greetings and "please extend my thanks to ..." use."""

    honorific: str  # "Ms.", "" when none was given
    given: str  # "María José"
    surname: str  # "García López", "van der Berg"
    suffix: str  # "Jr.", "III" ("" when none)
    credentials: str  # "PhD", "MBA" ("" when none)
    role: str  # what was in parentheses after the name ("recruiter"), "" when none

    @property
    def full(self) -> str:
        """The name as it is written in a sentence: "James O'Connor Jr." (no honorific, no credentials)."""
        return " ".join(part for part in (self.given, self.surname, self.suffix) if part)

    @property
    def plain(self) -> str:
        """Given name and surname only: "James O'Connor"."""
        return " ".join(part for part in (self.given, self.surname) if part)

    @property
    def first(self) -> str:
        return self.given or self.surname

    @property
    def last(self) -> str:
        return self.surname or self.given

    @property
    def is_doctor(self) -> bool:
        return any(_key(c) in _DOCTORATES for c in self.credentials.split())

    def greeting(self, tone: Tone | str) -> str:
        """The greeting line without its comma, by the rule in the module docstring."""
        single = not (self.given and self.surname)
        honorific = self.honorific or ("Dr." if self.is_doctor else "")
        if Tone(tone) is Tone.CASUAL:
            if single and honorific:
                return f"Hi {honorific} {self.first}"
            return f"Hi {self.first}"
        if honorific:
            return f"Dear {honorific} {self.last}"
        return f"Dear {self.plain}"


def _key(word: str) -> str:
    """A word compared the way people type it: no accents, no dots or apostrophes, lower case."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[.'’`]", "", plain).casefold()


def _honorific(raw: str) -> str:
    words = raw.split()
    if not words:
        return ""
    return " ".join(_HONORIFIC_FORMS.get(_key(w), w) for w in words)


def _typed_in_one_case(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and (all(ch.islower() for ch in letters) or all(ch.isupper() for ch in letters))


def _cap_piece(piece: str) -> str:
    low = piece.lower()
    if low.startswith("mc") and len(low) > 2:
        return "Mc" + low[2].upper() + piece[3:]
    if len(low) > 2 and low[1] in "'’":
        return low[0].upper() + low[1] + low[2].upper() + piece[3:]
    return piece[:1].upper() + piece[1:]


def _cap_words(text: str) -> str:
    """Words typed in lower case in an otherwise capitalised name ("james O'Connor"), capitalised;
    particles ("van", "de la", "ní") stay as they are."""
    words = text.split()
    out = []
    for index, word in enumerate(words):
        particle = word.lower() in CONSTANTS.prefixes or word in CONSTANTS.conjunctions
        if word[:1].islower() and not (particle and index < len(words) - 1):
            word = "-".join(_cap_piece(p) for p in word.split("-"))
        out.append(word)
    return " ".join(out)


def _split_role(text: str) -> tuple[str, str]:
    roles = [" ".join(m.split()) for m in re.findall(r"\(([^()]*)\)", text)]
    name = re.sub(r"\([^()]*\)", " ", text)
    return " ".join(name.split()), ", ".join(r for r in roles if r)


@lru_cache(maxsize=1024)
def parse_name(name: str, honorific: str | None = None) -> PersonName:
    """`name` as typed (with or without its honorific) -> its parts; see the module docstring."""
    text, role = _split_role(name or "")
    parsed = HumanName(text)
    if _typed_in_one_case(text):
        parsed.capitalize(force=True)
    title = _honorific(honorific or "") or _honorific(parsed.title)
    given = " ".join(p for p in (parsed.first, parsed.middle) if p)
    surname = parsed.last
    suffix_words = parsed.suffix.replace(",", " ").split()
    generational = [s for s in suffix_words if _key(s) in _GENERATIONAL]
    credentials = [s for s in suffix_words if _key(s) not in _GENERATIONAL]
    given, surname = _iberian(given, surname, parsed, text)
    given, surname = _cap_words(given), _cap_words(surname)
    if not given and not surname and parsed.nickname:  # "(Jane)" alone
        given = parsed.nickname
    return PersonName(
        honorific=title,
        given=given,
        surname=surname,
        suffix=" ".join(generational),
        credentials=" ".join(credentials),
        role=role,
    )


def _iberian(given: str, surname: str, parsed: HumanName, text: str) -> tuple[str, str]:
    """Two surnames for a name that looks Spanish or Portuguese (see the module docstring)."""
    if "," in text.split("(")[0] and parsed.last and " " in parsed.last:
        return given, surname  # "García López, María José": the user said which is which
    if " " in surname or not parsed.middle or not surname:
        return given, surname  # particles already found, or only two words
    words = given.split() + [surname]
    looks_iberian = bool(_IBERIAN_MARKS.search(text)) or any(_key(w).endswith("ez") for w in words[-2:])
    if len(words) < 3 or not looks_iberian:
        return given, surname
    if len(words) == 3 and _key(words[1]) in _SECOND_GIVEN:
        return " ".join(words[:2]), words[2]
    return " ".join(words[:-2]), " ".join(words[-2:])


def name_of(person: Interviewer) -> PersonName:
    return parse_name(person.name, person.honorific)


def display_name(name: str) -> str:
    """A person's name as every answer shows it (lists, schedules, reminders, draft headings): the
    name drafts write, capitalised when typed in one case ("maria mcdonald" -> "Maria McDonald"),
    without honorific or credentials; the name as typed when it does not parse into one."""
    return parse_name(name).full or " ".join(name.split())


def greeting_for(person: Interviewer, tone: Tone | str) -> str:
    return name_of(person).greeting(tone)


# ------------------------------------------------------------------------------------------- to:

P = TypeVar("P", bound=Interviewer)


def _words(text: str) -> list[str]:
    return [k for k in (_key(w) for w in re.split(r"[\s,()\-]+", text)) if k]


def _name_words(person: Interviewer) -> set[str]:
    parts = name_of(person)
    words = set(_words(person.name)) | set(_words(parts.full)) | set(_words(parts.honorific))
    words |= set(_words(person.honorific or ""))
    return words


def match_people(people: Sequence[P], query: str) -> list[P]:
    """Everyone `query` can mean: the whole name (any case, accents optional), or any of its parts
    ("Hale", "Robert", "Hale Jr.", "Mr. Hale", "van der Berg"). An exact full-name match wins."""
    wanted = _words(query)
    if not wanted:
        return []
    exact = [p for p in people if _words(name_of(p).full) == wanted or _words(p.name) == wanted]
    if exact:
        return exact
    return [p for p in people if set(wanted) <= _name_words(p)]


def find_person(people: Sequence[P], query: str) -> P | None:
    """The one person `query` names, or None when it names nobody or several people."""
    found = match_people(people, query)
    return found[0] if len(found) == 1 else None


def names_text(people: Iterable[Interviewer]) -> list[str]:
    """The names as sentences write them ("James O'Connor Jr."), for "please extend my thanks to"."""
    return [name_of(p).full for p in people]
