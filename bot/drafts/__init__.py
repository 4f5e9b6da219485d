"""Ready-to-send drafts: Jinja2 templates (one file per kind in templates/), rendering, proofreading.

    render_drafts(kind, interview, candidate, tone, *, to=None, late=False,
                  template_source=None, tz=None, with_check_in=False) -> list[Draft]

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
doubled spaces left by template logic are tidied. The filter `and_join` joins names ("A, B and C");
`paragraphs|in_turn(variant)` takes each sentence's wording `variant` from its list, or the next one
when it would open like the sentence before it (wording.py), and gives each paragraph as one string.

Before a template sees anything, what the user typed is made into grammar (fragments.py and the
modules it names: topics, points and news, promises, company and role) and names are parsed
(names.py: honorifics, suffixes, particles, two surnames, lower case). A field no rule can make
read well is left out, and every draft's problems say which field to rephrase.

Variables (every value is a string, bool, int or list of strings, never None; "" when unknown):
    candidate.name, candidate.first_name, candidate.email, candidate.phone
    candidate.contact          "555-0100 | jane@x.example" (phone and e-mail that are set)
    interview.company          as running text names it: "Acme" for "Acme, Inc."
    interview.company_legal    as typed: "Acme, Inc."
    interview.role             "Data Analyst" (no article, no trailing "role"/"position")
    interview.starts_at        the interview's local day, "Tuesday, December 1"
    interview.weekday          "Tuesday"
    interview.kind             "interview", "phone-screen", "informational", "networking", "career-fair"
    interview.purpose          "job" (interview, phone screen), "fair" (career fair) or "advice"
                               (informational, networking: no hiring language at all)
    interview.meeting          "interview", "phone screen", "informational interview",
                               "networking meeting", "career fair conversation"
    interview.what             what the conversation was about: "the Data Analyst role" (job),
                               "Data Analyst opportunities at Acme" (fair), "your work at Acme" (advice)
    interview.round            1, 2, ... (a next round)
    interview.topics           list of what was discussed; interview.topics_text "A, B and C"
    interview.promised         what the user offered to send, for this note ("" when it is another
                               person's, or said to the whole panel and this is not the lead's
                               note: the hiring manager, else the first interviewer who is not a
                               recruiter): "two writing samples"
    interview.promised_phrase  for "I've attached ___ I mentioned": "the two writing samples"
    interview.promised_plural  True when it is "they", not "it"
    interview.promised_as      how it travels (handover.py): "attach" (a file), "link" (included,
                               never attached), "later" (sent afterwards); "" without a promise
    interview.promised_own     for one to come, as yours: "my references", "my availability"
    interview.promised_when    for one to come, when, as typed: "by Friday", "next week" ("" unsaid)
    interview.point            an extra point to an answer, for this note (like promised), as a
                               sentence
    interview.their_promise    what the employer said they would do, as "you mentioned that you
                               would ___" takes it: "send the schedule by Friday"
    interview.decision         the employer's decision date, "Friday, December 11"
    interview.offer_deadline   a competing offer's deadline, "Wednesday, December 9"
    interviewer.name           "James O'Connor Jr." (capitalised, no honorific or credentials)
    interviewer.title, interviewer.first_name, interviewer.last_name, interviewer.honorific,
    interviewer.email
    interviewer.greeting       by names.py's rule: "Dear Ms. García López", "Dear Tom Alvarez",
                               "Hi María José"; "Dear Hiring Team" / "Hi there" without an interviewer
    interviewer.topic          what was discussed with this person, pointing at them ("your team");
                               else the interview's topics, except for a recruiter (then "")
    interviewer.own_topic      True when the topic is this person's own
    interviewer.process        True for a recruiter or HR contact (process and culture lines)
    interviewer.thanked        True when this person's thank-you was marked sent ("again" is honest)
    interviewer.coffee         True for the one person a stay-in-touch note asks for a coffee chat
    interviewer.news           the `news:` hook as "I saw ___" takes it ("that you launched ...",
                               "the news of your promotion"), "" when none
    tone                       "formal" or "casual"
    others                     names of the other interviewers without a known address (for
                               "Please extend my thanks to ...")
    late                       True for a thank-you whose 24 hours have passed (never "again")
    check_in                   True when this note also asks for an update (a late thank-you to the
                               main contact while the check-in is due: one note, not two)
    variant                    the wording to use: this person's index among the interviewers,
                               moved on by one each round; ten wordings of every sentence keep a
                               panel of up to ten from sharing one
    index                      this person's index among the interviewers
    brevity                    LinkedIn only: 0 (fullest) .. 4 (shortest); the note is re-rendered
                               with the next level until it fits 300 characters, never cut

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
