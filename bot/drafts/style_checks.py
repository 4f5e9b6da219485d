"""The seams a careful reader notices in a draft: a word typed twice, doubled punctuation, a
greeting that is a suffix, an honorific alone or in lower case, sentences in a row that open the
same way, a signature with no way to reply, and the clichés a career coach strikes out. Each
finding is a sentence with what was probably meant ("did you mean ...").
"""

from __future__ import annotations

import re
from collections.abc import Collection

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_DOUBLED_WORD = re.compile(r"\b([^\W\d_]+)(?:[ \t]+|[ \t]*\n[ \t]*)(\1)\b", re.IGNORECASE)
_MAY_DOUBLE = frozenset({"had", "that"})  # "what he had had", "that that is": doubles that can be right
# Two marks where one belongs: "..", ",,", ". .", ",.", ";;", "!!" ... ("..." is an ellipsis).
_DOUBLED_MARKS = re.compile(
    r"(?<![.])\.[ \t]*\.(?![.])|,[ \t]*[,.;:!?]|;[ \t]*[.,;:]|:[ \t]*[.,;:]|[!?][ \t]*[.,;]|!!+|\?\?+|…[ \t]*[.,]"
    r"|\.[ \t]*[,;:](?=\s)"
)
# A full stop that ends an abbreviation may be followed by a comma, semicolon or colon.
_ABBREVIATIONS = frozenset({
    "inc", "co", "corp", "ltd", "llc", "plc", "jr", "sr", "dr", "mr", "mrs", "ms", "mx", "prof", "st", "etc",
    "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "n.a", "no", "vs", "dept", "approx", "est", "assn", "bros",
})  # fmt: skip
_GREETING = re.compile(
    r"^(Dear|Hi|Hello|Hey|Good morning|Good afternoon|Greetings)[ \t]+([^\n,:!]+?)[ \t]*[,:!]?[ \t]*$")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "cpa", "mba", "dds", "rn", "pe",
                       "cfa", "jd", "dvm"})
_HONORIFICS = frozenset({"mr", "ms", "mrs", "mx", "dr", "prof", "miss", "sir", "madam"})
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ten", "ter",
                        "bin", "bint", "al", "el", "dos", "das", "y", "e"})
_GENERIC = frozenset({"there", "all", "everyone", "team", "folks", "hiring", "manager", "committee", "and"})
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_OPENER = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# The "hope this finds you well" family and other lines a career coach strikes out, each with what
# to do instead.
CLICHES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:I\s+)?(?:hope|trust)\s+(?:this|my|the)\s+(?:note|e-?mail|message|letter)?\s*finds\s+you\s+well\b",
                re.IGNORECASE), "open with why you are writing, such as your news"),
    (re.compile(r"\b(?:I\s+)?hope\s+(?:you\s+are|you're|you’re|all\s+is|everything\s+is|you\s+have\s+been)\s+"
                r"(?:doing\s+)?well\b", re.IGNORECASE), "open with why you are writing, such as your news"),
    (re.compile(r"\b(?:I\s+)?hope\s+you(?:'re|’re|\s+are)?\s+(?:keeping\s+)?well\b", re.IGNORECASE),
     "open with why you are writing, such as your news"),
    (re.compile(r"\bjust\s+(?:wanted\s+to\s+)?(?:check(?:ing)?\s+in|follow(?:ing)?\s+up|touch(?:ing)?\s+base)\b",
                re.IGNORECASE), "say what you are following up on, without \"just\""),
    (re.compile(r"\btouch(?:ing)?\s+base\b", re.IGNORECASE), "say what you would like to hear or discuss"),
    (re.compile(r"\bcircl(?:e|ing)\s+back\b", re.IGNORECASE), "say what you are following up on"),
    (re.compile(r"\bper\s+my\s+(?:last|previous)\s+(?:e-?mail|message|note)\b", re.IGNORECASE),
     "refer to your earlier note kindly, e.g. \"as I mentioned on Tuesday\""),
    (re.compile(r"\bto\s+whom\s+it\s+may\s+concern\b", re.IGNORECASE), "address a person, or the hiring team"),
    (re.compile(r"\bthink(?:ing)?\s+outside\s+the\s+box\b", re.IGNORECASE), "give the example itself"),
    (re.compile(r"\b(?:team\s+player|go-getter|self-starter|hard\s+worker)\b", re.IGNORECASE),
     "show it with an example instead"),
    (re.compile(r"\bat\s+the\s+end\s+of\s+the\s+day\b", re.IGNORECASE), "say it directly"),
)


def _quoted(text: str) -> str:
    return f"“{text}”"


def _clean(text: str) -> str:
    return _URL.sub(" ", _EMAIL.sub(" ", text))


def doubled_words(text: str, own: Collection[str] = ()) -> list[str]:
    """A word typed twice in a row. `own`: the lowercase words the user typed for the interview; a
    capitalized double of one of them is their own name for something ("Walla Walla")."""
    found: list[str] = []
    for match in _DOUBLED_WORD.finditer(_clean(text)):
        word = match.group(1)
        if word.lower() in _MAY_DOUBLE or (word[:1].isupper() and match.group(2)[:1].isupper() and word.lower() in own):
            continue
        finding = (f"A word is typed twice: {_quoted(match.group(0).replace(chr(10), ' '))} "
                   f"(did you mean {_quoted(word)}?).")
        if finding not in found:
            found.append(finding)
    return found


def _abbreviation_before(text: str, dot: int) -> bool:
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    return text[start:dot].lower().rstrip(".") in _ABBREVIATIONS


def _one_mark(marks: str) -> str:
    """The mark meant by two: "..", ". ." -> "."; ",." -> "."; ".," -> ","; "!." -> "!"."""
    marks = marks.replace(" ", "").replace("\t", "")
    if len(set(marks)) == 1 or marks[0] in "!?…":
        return marks[0]
    if marks[0] in ",;:" and "." in marks:
        return "."
    return marks[-1]


def doubled_punctuation(text: str) -> list[str]:
    clean = _clean(text)
    found: list[str] = []
    for match in _DOUBLED_MARKS.finditer(clean):
        marks = match.group(0)
        if marks[0] == "." and marks.strip(" \t.") and _abbreviation_before(clean, match.start()):
            continue  # "Inc.," and "a.m.;": the full stop is the abbreviation's
        start = max(0, match.start() - 12)
        before = clean[start:match.start()].split()[-1:] or [""]
        finding = (f"Doubled punctuation: {_quoted(before[0] + marks)} "
                   f"(did you mean {_quoted(before[0] + _one_mark(marks))}?).")
        if finding not in found:
            found.append(finding)
    return found


def _proper(word: str) -> str:
    low = word.lower()
    if low in _PARTICLES:
        return low
    if low.startswith("mc") and len(low) > 2:
        return "Mc" + low[2].upper() + low[3:]
    if low.startswith(("o'", "o’")) and len(low) > 2:
        return low[:1].upper() + low[1] + low[2].upper() + low[3:]
    return "-".join(part[:1].upper() + part[1:] for part in low.split("-"))


def _name_without_suffixes(to_name: str | None) -> list[str]:
    parts = [p for p in (to_name or "").replace(",", " ").split() if p.lower().strip(".") not in _SUFFIXES]
    return [p for p in parts if p.lower().strip(".") not in _HONORIFICS]


def greeting_problem(body: str, to_name: str | None) -> str | None:
    """A greeting whose name is a suffix ("Dear Mr. Jr."), an honorific alone ("Dear Ms.,") or a
    person's name in lower case ("Dear maria lopez")."""
    first = next((line.strip() for line in body.split("\n") if line.strip()), "")
    match = _GREETING.match(first)
    if not match:
        return None
    opener, name = match.group(1), match.group(2).strip()
    tokens = name.split()
    bare = [t.lower().strip(".") for t in tokens]
    honorific = [t for t in tokens if t.lower().strip(".") in _HONORIFICS]
    person = _name_without_suffixes(to_name)
    if bare and bare[-1] in _SUFFIXES or all(t in _HONORIFICS for t in bare):
        what = "a suffix" if bare[-1] in _SUFFIXES else "a title with no name"
        if person:
            last = person[-1] if honorific else " ".join(person)
            better = f"{opener} {' '.join(honorific + [_proper(last) if last.islower() else last])}"
            return f"The greeting {_quoted(first)} ends with {what} (did you mean {_quoted(better + ',')}?)."
        return f"The greeting {_quoted(first)} ends with {what}; greet the person by name."
    name_words = {p.lower() for p in (to_name or "").split()}
    lower = [t for t in tokens if t.islower() and t.lower() not in _PARTICLES and t.lower() not in _GENERIC
             and (t.lower() in name_words or not name_words)]
    if lower and (name_words or opener == "Dear"):
        better = f"{opener} {' '.join(_proper(t) if t in lower else t for t in tokens)},"
        return f"The name in the greeting {_quoted(first)} is in lower case (did you mean {_quoted(better)}?)."
    return None


def _sentences(body: str) -> list[str]:
    """The sentences of a paragraph; a full stop after an abbreviation ("Ms.", "Inc.") or an
    initial ("J.") does not end one."""
    out: list[str] = []
    current = ""
    for piece in _SENTENCE.findall(body):
        current += piece
        words = current.rstrip().rstrip(".").split()
        last = words[-1].lower() if words else ""
        if current.rstrip().endswith(".") and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
            continue
        if current.strip():
            out.append(current.strip())
        current = ""
    if current.strip():
        out.append(current.strip())
    return out


def sentence_openers(text: str) -> list[list[str]]:
    """The first two words of each sentence of `text`, in lower case (a full stop after a title or
    an initial does not end a sentence)."""
    return [[w.lower() for w in _OPENER.findall(s)[:2]] for s in _sentences(text)]


def repeated_openers(paragraphs: list[str]) -> list[str]:
    """Three sentences in a row opening with the same word, or two with the same two words, within
    a paragraph or across a paragraph break (a reader does not start over at a blank line: "...was
    a highlight for me.\n\nOur conversation confirmed ..." after "Our conversation about ..." reads
    as a repeat)."""
    return _repeated_openers([s for paragraph in paragraphs for s in _sentences(paragraph)])


def _repeated_openers(sentences: list[str]) -> list[str]:
    found: list[str] = []
    openers = [[w.lower() for w in _OPENER.findall(s)[:2]] for s in sentences]
    for i in range(1, len(openers)):
        same_two = len(openers[i]) == 2 and openers[i] == openers[i - 1]
        same_three = i >= 2 and openers[i][:1] and openers[i][:1] == openers[i - 1][:1] == openers[i - 2][:1]
        if same_two or same_three:
            words = openers[i] if same_two else openers[i][:1]
            shown = " ".join(_OPENER.findall(sentences[i])[: len(words)])
            count = "Two" if same_two else "Three"
            finding = (f"{count} sentences in a row start with {_quoted(shown)}; vary the openings "
                       "(e.g. start one with what you learned or what you will do next).")
            if finding not in found:
                found.append(finding)
    return found


def reply_problem(signature: list[str]) -> str | None:
    """The lines after the sign-off give no e-mail address or phone number."""
    text = "\n".join(signature)
    if _EMAIL.search(text) or _PHONE.search(text):
        return None
    return ("The signature gives no way to reply: add your e-mail or phone under your name "
            "(did you mean to set them with /interview settings email: ...; phone: ...?).")


def cliches(text: str) -> list[str]:
    found: list[str] = []
    for pattern, instead in CLICHES:
        match = pattern.search(text)
        if match:
            phrase = " ".join(match.group(0).split())
            finding = f"{_quoted(phrase[:1].upper() + phrase[1:])} is a cliché: {instead}."
            if finding not in found:
                found.append(finding)
    return found


__all__ = ["CLICHES", "cliches", "doubled_punctuation", "doubled_words", "greeting_problem", "repeated_openers",
           "reply_problem", "sentence_openers"]
