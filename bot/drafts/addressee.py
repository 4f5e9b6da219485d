"""Words pointing at the person a note is written to, pointing at the reader instead.

In a note to the person a topic or piece of news belongs to, "their team" is "your team", "how she
built" is "how you built", "he was" is "you were"; the verb after a "he"/"she" agrees with "you"
("she leads" is "you lead"), and "her" is "you" or "your" by the word after it.
"""

from __future__ import annotations

import re

from bot.drafts.fragments import ENGINE

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
    plural = ENGINE.plural_verb(low)
    return _match_case(plural, verb) if plural and plural != low else verb[:-1]


def agree_first(text: str) -> str:
    """`text` whose first word, a verb after "he"/"she", agrees with "you": "leads the team" -> "lead
    the team"."""
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
