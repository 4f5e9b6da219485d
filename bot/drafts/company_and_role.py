"""The employer's name and the role, as running text names them.

- a company keeps its name but not its legal form in running text: "Acme, Inc." reads "Acme",
  "JPMorgan Chase Bank, N.A." reads "JPMorgan Chase Bank"; a name typed all in lower case is
  capitalised;
- a role has no article and no trailing "role"/"position" ("the Data Analyst position" reads
  "Data Analyst", so "the Data Analyst role" never doubles); typed all in lower case, it is
  capitalised like a job title ("senior ux designer" is "Senior UX Designer").
"""

from __future__ import annotations

import re

from bot.drafts.fragments import ends_with_abbreviation, squash, strip_end

_LEGAL_FORMS = re.compile(
    r"(?:,?\s+(?:Inc\.?|Incorporated|LLC|L\.L\.C\.|Ltd\.?|Limited|Corp\.?|GmbH|AG|plc|PLC|LLP|L\.P\.|LP"
    r"|N\.\s?A\.|S\.A\.?|SA|B\.V\.?|BV|Pty\.?(?:\s+Ltd\.?)?|S\.?A\.?S\.?|S\.r\.l\.|Oy|AB|A/S|K\.K\.))+$",
    re.IGNORECASE,
)
_ROLE_SMALL_WORDS = frozenset({"of", "and", "for", "the", "in", "to", "on", "at", "a", "an", "with", "&"})
_ACRONYMS = frozenset(
    {"ux", "ui", "qa", "hr", "it", "ai", "ml", "seo", "sem", "cfo", "cto", "ceo", "coo", "vp", "svp", "evp", "avp",
     "sre", "bi", "crm", "erp", "pr", "r&d", "gis", "sql", "ios", "api", "devops", "nlp", "esg", "cpa", "rn", "ehs"}
)  # fmt: skip


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
    short = strip_end(short) if not ends_with_abbreviation(short) else short
    if short and short == short.lower():
        short = " ".join(w[:1].upper() + w[1:] for w in short.split())
    return short
