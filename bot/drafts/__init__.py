"""Ready-to-send drafts: Jinja2 templates (one file per kind in templates/), rendering, proofreading.

    render_drafts(kind, interview, candidate, tone, *, to=None, late=False,
                  template_source=None, tz=None) -> list[Draft]

Who gets a draft: a thank-you, a LinkedIn note and a stay-in-touch note go to each interviewer (or
only to `to`); a check-in, a second check-in, a timeline update and a rejection reply go to the
recruiter or main contact (or `to`). An interview with no interviewers still gets one draft, with a
generic greeting ("Dear Hiring Team" / "Hi there"). Every draft comes back proofread
(`Draft.problems`, see proofread.py) and, when the recipient's address is known, with `mailto:`,
Gmail and Outlook compose links (`Draft.links`). Pass the user's zone as `tz` so the interview's
date is their local one.

Template format
---------------
A template is Jinja2 text rendered in a sandbox (jinja2.sandbox.SandboxedEnvironment) with
StrictUndefined (an unknown variable is an error), autoescape off (plain text), trim_blocks and
lstrip_blocks. Its output is `Subject: ...` on the first line (omitted for a LinkedIn note), a blank
line, then the body: greeting, paragraphs separated by blank lines, sign-off and signature (the
template appends the signature: full name, then phone and e-mail on one line). Blank-line runs and
doubled spaces left by template logic are tidied. The filter `and_join` joins names ("A, B and C").

Variables (every value is a string, bool, int or list of strings, never None; "" when unknown):
    candidate.name, candidate.first_name, candidate.email, candidate.phone
    candidate.contact          "555-0100 | jane@x.example" (phone and e-mail that are set)
    interview.company, interview.role
    interview.starts_at        the interview's local day, "Tuesday, December 1"
    interview.weekday          "Tuesday"
    interview.kind             "interview", "informational", "networking" or "career-fair"
    interview.meeting          "interview", "informational interview", "networking meeting",
                               "career fair conversation"
    interview.topics           list of what was discussed; interview.topics_text "A, B and C"
    interview.promised         what the user offered to send, as typed ("social media report")
    interview.promised_phrase  with an article: "the social media report"
    interview.their_promise    what the employer said they would do ("send the schedule by Friday")
    interview.point            an extra point to an answer, as a sentence (ends with a full stop)
    interview.decision         the employer's decision date, "Friday, December 11"
    interview.offer_deadline   a competing offer's deadline, "Wednesday, December 9"
    interviewer.name, interviewer.title, interviewer.first_name, interviewer.last_name,
    interviewer.honorific, interviewer.email
    interviewer.greeting       "Dear Ms. Richardson" / "Dear Jane Richardson" (formal), "Hi Jane"
                               (casual); "Dear Hiring Team" / "Hi there" without an interviewer
    interviewer.topic          what was discussed with this person, else interview.topics_text
    tone                       "formal" or "casual"
    others                     names of the other interviewers without a known address (for
                               "Please extend my thanks to ...")
    late                       True for a thank-you whose 24 hours have passed
    variant                    this person's index among the interviewers (0, 1, ...): pick
                               wording by it so no two drafts of a panel share a sentence

Other entry points: `proofread` (the checks), `check_template` (what is wrong with a community
template over the whole sample matrix, for `admin template set/preview`; matrix.py),
`builtin_template` (a kind's built-in source), `compose_links`, `excluded_words_for`.
"""

from __future__ import annotations

from bot.drafts.compose import compose_links
from bot.drafts.matrix import check_matrix as check_template
from bot.drafts.proofread import excluded_words_for, proofread
from bot.drafts.render import DraftTemplateError, builtin_template, render_drafts

__all__ = [
    "DraftTemplateError",
    "builtin_template",
    "check_template",
    "compose_links",
    "excluded_words_for",
    "proofread",
    "render_drafts",
]
