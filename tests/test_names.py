"""Names as people type them: greetings by one rule, and `to:` finding a person by any part of a name."""

from __future__ import annotations

import pytest

from bot.domain import Interviewer, Tone
from bot.drafts.names import find_person, match_people, parse_name

# (name as typed, honorific field, formal greeting, casual greeting, name in a sentence)
GREETINGS = [
    ("James O'Connor Jr.", "Mr.", "Dear Mr. O'Connor", "Hi James", "James O'Connor Jr."),
    ("Mr. James O'Connor Jr.", None, "Dear Mr. O'Connor", "Hi James", "James O'Connor Jr."),
    ("maria lopez", None, "Dear Maria Lopez", "Hi Maria", "Maria Lopez"),
    ("María José García López", "Ms.", "Dear Ms. García López", "Hi María José", "María José García López"),
    ("García López, María José", "Ms.", "Dear Ms. García López", "Hi María José", "María José García López"),
    ("Gabriel Garcia Marquez", "Mr.", "Dear Mr. Garcia Marquez", "Hi Gabriel", "Gabriel Garcia Marquez"),
    ("Juan Carlos Pérez", "Mr.", "Dear Mr. Pérez", "Hi Juan Carlos", "Juan Carlos Pérez"),
    ("Tom Alvarez (recruiter)", None, "Dear Tom Alvarez", "Hi Tom", "Tom Alvarez"),
    ("Robert Hale Jr.", None, "Dear Robert Hale", "Hi Robert", "Robert Hale Jr."),
    ("Sarah", "Dr.", "Dear Dr. Sarah", "Hi Dr. Sarah", "Sarah"),
    ("Ms. Novak", None, "Dear Ms. Novak", "Hi Ms. Novak", "Novak"),
    ("Jane Smith, PhD", None, "Dear Dr. Smith", "Hi Jane", "Jane Smith"),
    ("pieter van der berg", "Mr.", "Dear Mr. van der Berg", "Hi Pieter", "Pieter van der Berg"),
    ("aoife ní bhriain", "Ms.", "Dear Ms. Ní Bhriain", "Hi Aoife", "Aoife Ní Bhriain"),
    ("james mcdonald iii", None, "Dear James McDonald", "Hi James", "James McDonald III"),
    ("SEAN O'BRIEN", None, "Dear Sean O'Brien", "Hi Sean", "Sean O'Brien"),
    ("ana de la cruz", "Prof.", "Dear Prof. de la Cruz", "Hi Ana", "Ana de la Cruz"),
    ("Miss Jane Doe", None, "Dear Miss Doe", "Hi Jane", "Jane Doe"),
    ("DeShawn McArthur-Lee", None, "Dear DeShawn McArthur-Lee", "Hi DeShawn", "DeShawn McArthur-Lee"),
]


@pytest.mark.parametrize(("typed", "honorific", "formal", "casual", "full"), GREETINGS)
def test_greeting_follows_one_rule(typed: str, honorific: str | None, formal: str, casual: str, full: str) -> None:
    name = parse_name(typed, honorific)
    assert name.greeting(Tone.FORMAL) == formal
    assert name.greeting(Tone.CASUAL) == casual
    assert name.full == full


def test_a_role_in_parentheses_is_not_part_of_the_name() -> None:
    name = parse_name("Tom Alvarez (recruiter)")
    assert (name.plain, name.role) == ("Tom Alvarez", "recruiter")


PANEL = [
    Interviewer("Robert Hale Jr.", honorific="Mr."),
    Interviewer("María José García López"),
    Interviewer("pieter van der berg"),
    Interviewer("Robert Chen"),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hale", "Robert Hale Jr."),
        ("hale jr", "Robert Hale Jr."),
        ("Mr. Hale", "Robert Hale Jr."),
        ("Robert Hale", "Robert Hale Jr."),
        ("garcia", "María José García López"),
        ("Maria Jose", "María José García López"),
        ("García López", "María José García López"),
        ("van der Berg", "pieter van der berg"),
        ("Pieter", "pieter van der berg"),
        ("chen", "Robert Chen"),
    ],
)
def test_to_finds_a_person_by_any_part_of_their_name(query: str, expected: str) -> None:
    person = find_person(PANEL, query)
    assert person is not None and person.name == expected


def test_to_that_could_mean_two_people_finds_neither() -> None:
    assert find_person(PANEL, "Robert") is None
    assert [p.name for p in match_people(PANEL, "Robert")] == ["Robert Hale Jr.", "Robert Chen"]
    assert find_person(PANEL, "Nobody") is None and find_person(PANEL, "  ") is None
