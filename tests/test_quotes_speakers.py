"""Tests for the quotes component's speaker book, on hand-built Docs (no statistical model):
surnames and pronouns resolve to the fullest name, the same whatever the order of resolving,
and pronouns respect the gender a first name tells."""

from __future__ import annotations

import copy

import pytest
import spacy
from spacy.tokens import Doc

from healthclaims.components.quotes.gender import NameTable, gender_of_first_name, opens_full_name
from healthclaims.components.quotes.rules import default_rules
from healthclaims.components.quotes.speakers import SpeakerBook

VOCAB = spacy.blank("en").vocab


def build(rows: list[tuple[str, str, str, int]], ents: list[str] | None = None) -> Doc:
    """A Doc from ``(word, pos, dep, head)`` rows; heads are absolute token indexes."""
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][1] != "PUNCT" for i in range(len(rows))]
    return Doc(
        VOCAB,
        words=words,
        spaces=spaces,
        pos=[r[1] for r in rows],
        tags=["NNP" if r[1] == "PROPN" else "VBD" if r[1] == "VERB" else "XX" for r in rows],
        deps=[r[2] for r in rows],
        heads=[r[3] for r in rows],
        ents=ents or ["O"] * len(rows),
    )


def book_of(doc: Doc, subjects=()) -> SpeakerBook:
    return SpeakerBook(doc, default_rules().lex, [False] * len(doc), [], subjects)


# "Dr. Jane Roe leads the trial. Roe said so. She added more."
ROE = [
    ("Dr.", "PROPN", "compound", 2),
    ("Jane", "PROPN", "compound", 2),
    ("Roe", "PROPN", "nsubj", 3),
    ("leads", "VERB", "ROOT", 3),
    ("the", "DET", "det", 5),
    ("trial", "NOUN", "dobj", 3),
    (".", "PUNCT", "punct", 3),
    ("Roe", "PROPN", "nsubj", 8),
    ("said", "VERB", "ROOT", 8),
    ("so", "ADV", "advmod", 8),
    (".", "PUNCT", "punct", 8),
    ("She", "PRON", "nsubj", 12),
    ("added", "VERB", "ROOT", 12),
    ("more", "ADJ", "dobj", 12),
    (".", "PUNCT", "punct", 12),
]
ROE_ENTS = ["O", "B-PERSON", "I-PERSON"] + ["O"] * 12


def test_surname_resolves_to_the_full_name():
    doc = build(ROE, ROE_ENTS)
    resolved = book_of(doc).resolve(doc[7])
    assert (resolved.name, resolved.kind, resolved.mention.text) == ("Jane Roe", "person", "Roe")


def test_surname_takes_a_full_name_the_tagger_missed():
    # "Nurse Oskar Vilhjalmsson ran it. Vilhjalmsson said so." with no PERSON entity at all.
    rows = [
        ("Nurse", "NOUN", "compound", 2),
        ("Oskar", "PROPN", "compound", 2),
        ("Vilhjalmsson", "PROPN", "nsubj", 3),
        ("ran", "VERB", "ROOT", 3),
        ("it", "PRON", "dobj", 3),
        (".", "PUNCT", "punct", 3),
        ("Vilhjalmsson", "PROPN", "nsubj", 7),
        ("said", "VERB", "ROOT", 7),
        ("so", "ADV", "advmod", 7),
        (".", "PUNCT", "punct", 7),
    ]
    doc = build(rows)
    assert book_of(doc).resolve(doc[6]) is None  # not registered as a speaker: no name to give
    book = book_of(doc, [doc[6]])
    assert book.resolve(doc[6]).name == "Oskar Vilhjalmsson"


def test_resolving_does_not_change_the_book_and_order_does_not_matter():
    doc = build(ROE, ROE_ENTS)
    subjects = [doc[2], doc[7], doc[11]]
    book = book_of(doc, subjects)
    before = copy.deepcopy((book.people.by_key, book._positions, book._keys))
    forward = [book.resolve(s) for s in subjects]
    backward = [book.resolve(s) for s in reversed(subjects)][::-1]
    assert forward == backward
    assert [r.name for r in forward] == ["Jane Roe", "Jane Roe", "Jane Roe"]
    assert (book.people.by_key, book._positions, book._keys) == before
    # A book built from the subjects in another order is the same book.
    other = book_of(doc, list(reversed(subjects)))
    assert [other.resolve(s) for s in subjects] == forward


# "Mary Smith met John Brown. She said so. He agreed."
MEETING = [
    ("Mary", "PROPN", "compound", 1),
    ("Smith", "PROPN", "nsubj", 2),
    ("met", "VERB", "ROOT", 2),
    ("John", "PROPN", "compound", 4),
    ("Brown", "PROPN", "dobj", 2),
    (".", "PUNCT", "punct", 2),
    ("She", "PRON", "nsubj", 7),
    ("said", "VERB", "ROOT", 7),
    ("so", "ADV", "advmod", 7),
    (".", "PUNCT", "punct", 7),
    ("He", "PRON", "nsubj", 11),
    ("agreed", "VERB", "ROOT", 11),
    (".", "PUNCT", "punct", 11),
]


def _meeting(first_woman: str, first_man: str) -> Doc:
    rows = [(first_woman,) + MEETING[0][1:]] + MEETING[1:3] + [(first_man,) + MEETING[3][1:]] + MEETING[4:]
    return build(rows, ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON"] + ["O"] * 8)


def test_a_person_introduced_with_an_age_takes_the_pronoun_the_tagger_missed():
    # "Dr. John Roe leads the trial. Peter Vane, 57, took part. He said so.", with the second name
    # not labelled PERSON (taggers often call a case study's name a work of art): the age says it
    # is a person, and "He" is the man just introduced, not the earlier speaker.
    rows = [
        ("Dr.", "PROPN", "compound", 2),
        ("John", "PROPN", "compound", 2),
        ("Roe", "PROPN", "nsubj", 3),
        ("leads", "VERB", "ROOT", 3),
        ("the", "DET", "det", 5),
        ("trial", "NOUN", "dobj", 3),
        (".", "PUNCT", "punct", 3),
        ("Peter", "PROPN", "compound", 8),
        ("Vane", "PROPN", "nsubj", 12),
        (",", "PUNCT", "punct", 8),
        ("57", "NUM", "appos", 8),
        (",", "PUNCT", "punct", 8),
        ("took", "VERB", "ROOT", 12),
        ("part", "NOUN", "dobj", 12),
        (".", "PUNCT", "punct", 12),
        ("He", "PRON", "nsubj", 16),
        ("said", "VERB", "ROOT", 16),
        ("so", "ADV", "advmod", 16),
        (".", "PUNCT", "punct", 16),
    ]
    doc = build(rows, ["O", "B-PERSON", "I-PERSON"] + ["O"] * 16)
    assert book_of(doc).resolve(doc[15]).name == "Peter Vane"
    # a count after a name is no age when no comma closes it ("Study 12, 2019" has none either)
    rows[11] = ("and", "CCONJ", "cc", 8)
    doc = build(rows, ["O", "B-PERSON", "I-PERSON"] + ["O"] * 16)
    assert book_of(doc).resolve(doc[15]).name == "John Roe"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Jane Roe", True),
        ("M. Anne Roe", True),  # an initial opens a person's name
        ("J. Roe", True),
        # an acronym the name tables list as a first name ("BU") opens an institution's name the tagger calls a person
        ("BU Quilby", False),
    ],
)
def test_opens_full_name(name, expected):
    assert opens_full_name(list(spacy.blank("en")(name))) is expected


def test_a_name_with_an_age_completes_a_person_known_so_far_by_surname():
    # "Ms. Vane left. Clara Vane, 76, fell. She said so.", the full name not labelled PERSON: the age
    # says it is a person, and the woman known as "Vane" is Clara Vane.
    rows = [
        ("Ms.", "PROPN", "compound", 1),
        ("Vane", "PROPN", "nsubj", 2),
        ("left", "VERB", "ROOT", 2),
        (".", "PUNCT", "punct", 2),
        ("Clara", "PROPN", "compound", 5),
        ("Vane", "PROPN", "nsubj", 9),
        (",", "PUNCT", "punct", 5),
        ("76", "NUM", "appos", 5),
        (",", "PUNCT", "punct", 5),
        ("fell", "VERB", "ROOT", 9),
        (".", "PUNCT", "punct", 9),
        ("She", "PRON", "nsubj", 12),
        ("said", "VERB", "ROOT", 12),
        ("so", "ADV", "advmod", 12),
        (".", "PUNCT", "punct", 12),
    ]
    doc = build(rows, ["O", "B-PERSON"] + ["O"] * 2 + ["B-ORG", "I-ORG"] + ["O"] * 9)
    assert book_of(doc).resolve(doc[11]).name == "Clara Vane"


def test_she_never_resolves_to_the_nearest_man():
    doc = _meeting("Mary", "John")
    book = book_of(doc)
    assert book.resolve(doc[6]).name == "Mary Smith"
    assert book.resolve(doc[10]).name == "John Brown"


def test_a_first_name_of_unknown_gender_stays_a_candidate():
    # "Kim" is given to women and men alike: the nearest person is taken, as without genders.
    doc = _meeting("Mary", "Kim")
    assert gender_of_first_name("Kim") is None
    assert book_of(doc).resolve(doc[6]).name == "Kim Brown"


def test_a_title_tells_the_gender():
    # "Mrs. Kim Smith met Mr. Kim Brown. She said so.": the first names tell nothing, the titles do.
    rows = [
        ("Mrs.", "PROPN", "compound", 2),
        ("Kim", "PROPN", "compound", 2),
        ("Smith", "PROPN", "nsubj", 3),
        ("met", "VERB", "ROOT", 3),
        ("Mr.", "PROPN", "compound", 6),
        ("Kim", "PROPN", "compound", 6),
        ("Brown", "PROPN", "dobj", 3),
        (".", "PUNCT", "punct", 3),
    ] + [(w, p, d, h + 2) for w, p, d, h in MEETING[6:10]]
    doc = build(rows, ["O", "B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "I-PERSON"] + ["O"] * 5)
    assert book_of(doc).resolve(doc[8]).name == "Kim Smith"


@pytest.mark.parametrize(
    "name, expected",
    [("Jane", "f"), ("John", "m"), ("Victoria", "f"), ("Michael", "m"), ("Zoë", "f"), ("Leslie", None), ("Xq", None)],
)
def test_gender_of_first_name(name, expected):
    assert gender_of_first_name(name) == expected


def test_name_table_bisects_sorted_keys():
    entries = {f"n{i:05d}": [3, 100, (i % 10) / 10, 3] for i in range(3000)}
    entries["aa"] = [1, 5, 1.0, 3]  # one source only: not trusted
    table = NameTable(json_bytes(dict(sorted(entries.items()))))
    assert table.p_female("n00007") == 0.7
    assert table.p_female("n02990") == 0.0
    assert table.p_female("n99999") is None
    assert table.p_female("aa") is None


def json_bytes(data: dict) -> bytes:
    import json

    return json.dumps(data).encode()


def test_people_with_one_surname_stay_apart():
    from healthclaims.components.quotes.people import same_person

    # "Ellen Roe met Mark Roe. Roe said so.": the bare surname is the one named in full last.
    rows = [
        ("Ellen", "PROPN", "compound", 1),
        ("Roe", "PROPN", "nsubj", 2),
        ("met", "VERB", "ROOT", 2),
        ("Mark", "PROPN", "compound", 4),
        ("Roe", "PROPN", "dobj", 2),
        (".", "PUNCT", "punct", 2),
        ("Roe", "PROPN", "nsubj", 7),
        ("said", "VERB", "ROOT", 7),
        ("so", "ADV", "advmod", 7),
        (".", "PUNCT", "punct", 7),
    ]
    doc = build(rows, ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON"] + ["O"] * 5)
    book = book_of(doc)
    assert sorted(p.name for p in book.people.by_key.values()) == ["Ellen Roe", "Mark Roe"]
    assert book.resolve(doc[6]).name == "Mark Roe"
    assert same_person("j.", "jane") and same_person("rob", "robert") and not same_person("ellen", "mark")


def _lone_surname(title: str | None) -> Doc:
    # "[Dr.] Roe cautioned . She said so ."
    rows = [("Roe", "PROPN", "nsubj", 1), ("cautioned", "VERB", "ROOT", 1), (".", "PUNCT", "punct", 1)]
    ents = ["B-PERSON", "O", "O"]
    if title:
        rows = [(title, "PROPN", "compound", 1)] + [(w, p, d, h + 1) for w, p, d, h in rows]
        ents = ["O"] + ents
    n = len(rows)
    rows += [("She", "PRON", "nsubj", n + 1), ("said", "VERB", "ROOT", n + 1), ("so", "ADV", "advmod", n + 1)]
    rows += [(".", "PUNCT", "punct", n + 1)]
    return build(rows, ents + ["O"] * 4)


def test_a_pronoun_takes_a_surname_written_after_a_title():
    # A story (or the page of it we have) may name someone only as "Dr. Roe": still a person.
    doc = _lone_surname("Dr.")
    assert book_of(doc).resolve(doc[4]).name == "Roe"
    # a one-word name with no title may be a product or a misreading: no pronoun goes to it
    doc = _lone_surname(None)
    assert book_of(doc).resolve(doc[3]) is None


def _doc(words: list[str], spaces: list[bool], rows: list[tuple[str, str, int]], ents: list[str]) -> Doc:
    return Doc(VOCAB, words=words, spaces=spaces, pos=[r[0] for r in rows],
               tags=["NNP" if r[0] == "PROPN" else "XX" for r in rows],
               deps=[r[1] for r in rows], heads=[r[2] for r in rows], ents=ents)


def test_a_hyphenated_surname_alone_is_the_person_named_in_full():
    # "Tomas Hallberg-Orrin teaches. Hallberg-Orrin said so." (the tokenizer splits the hyphen)
    words = ["Tomas", "Hallberg", "-", "Orrin", "teaches", ".", "Hallberg", "-", "Orrin", "said", "so", "."]
    spaces = [True, False, False, True, False, True, False, False, True, True, False, False]
    rows = [("PROPN", "compound", 3), ("PROPN", "compound", 3), ("PUNCT", "punct", 3), ("PROPN", "nsubj", 4),
            ("VERB", "ROOT", 4), ("PUNCT", "punct", 4), ("PROPN", "compound", 8), ("PUNCT", "punct", 8),
            ("PROPN", "nsubj", 9), ("VERB", "ROOT", 9), ("ADV", "advmod", 9), ("PUNCT", "punct", 9)]
    ents = ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON"] + ["O"] * 8
    doc = _doc(words, spaces, rows, ents)
    resolved = book_of(doc, [doc[8]]).resolve(doc[8])
    assert (resolved.name, resolved.kind, resolved.mention.text) == ("Tomas Hallberg-Orrin", "person", "Hallberg-Orrin")


@pytest.mark.parametrize("before, expected", [
    (("Ana", "Isabel"), "Ana Isabel Vidalova"),
    (("Director", "Isabel"), "Isabel Vidalova"),  # a title is no name
    (("Acme", "Biotech"), "Vidalova"),  # words that do not start with a first name do not join
])
def test_given_names_the_tagger_left_out_of_the_entity(before, expected):
    # "Ana Isabel Vidalova leads it. Vidalova said so." with only "Vidalova" labelled PERSON.
    words = [*before, "Vidalova", "leads", "it", ".", "Vidalova", "said", "so", "."]
    spaces = [True, True, True, True, False, True, True, True, False, False]
    rows = [("PROPN", "compound", 2), ("PROPN", "compound", 2), ("PROPN", "nsubj", 3), ("VERB", "ROOT", 3),
            ("PRON", "dobj", 3), ("PUNCT", "punct", 3), ("PROPN", "nsubj", 7), ("VERB", "ROOT", 7),
            ("ADV", "advmod", 7), ("PUNCT", "punct", 7)]
    ents = ["O", "O", "B-PERSON"] + ["O"] * 7
    doc = _doc(words, spaces, rows, ents)
    assert book_of(doc, [doc[6]]).resolve(doc[6]).name == expected


def test_a_full_name_as_subject_completes_a_person_known_by_surname():
    # "Niki Vartan said it. Vartan said so." where the tagger labels the full name ORG and only
    # the later "Vartan" PERSON: the speaker is still named in full
    words = ["Niki", "Vartan", "said", "it", ".", "Vartan", "said", "so", "."]
    spaces = [True, True, True, False, True, True, True, False, False]
    rows = [("PROPN", "compound", 1), ("PROPN", "nsubj", 2), ("VERB", "ROOT", 2), ("PRON", "dobj", 2),
            ("PUNCT", "punct", 2), ("PROPN", "nsubj", 6), ("VERB", "ROOT", 6), ("ADV", "advmod", 6), ("PUNCT", "punct", 6)]
    ents = ["B-ORG", "I-ORG", "O", "O", "O", "B-PERSON", "O", "O", "O"]
    doc = _doc(words, spaces, rows, ents)
    book = book_of(doc, [doc[1], doc[5]])
    assert book.resolve(doc[5]).name == book.resolve(doc[1]).name == "Niki Vartan"


def test_a_double_surname_written_later_without_its_hyphen_is_the_same_person():
    # "Tomas Hallberg-Orrin said it. Hallberg Orrin said so."
    words = ["Tomas", "Hallberg", "-", "Orrin", "said", "it", ".", "Hallberg", "Orrin", "said", "so", "."]
    spaces = [True, False, False, True, True, False, True, True, True, True, False, False]
    rows = [("PROPN", "compound", 3), ("PROPN", "compound", 3), ("PUNCT", "punct", 3), ("PROPN", "nsubj", 4),
            ("VERB", "ROOT", 4), ("PRON", "dobj", 4), ("PUNCT", "punct", 4), ("PROPN", "compound", 8),
            ("PROPN", "nsubj", 9), ("VERB", "ROOT", 9), ("ADV", "advmod", 9), ("PUNCT", "punct", 9)]
    ents = ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O", "O", "O", "B-PERSON", "I-PERSON", "O", "O", "O"]
    doc = _doc(words, spaces, rows, ents)
    book = book_of(doc, [doc[3], doc[8]])
    assert book.resolve(doc[8]).name == "Tomas Hallberg-Orrin"
    assert len(book.people.by_key) == 1


FULL_THEN_SHORT = [  # "Lena Van Dorn said so. Van Dorn said so."
    ("Lena", "PROPN", "compound", 2), ("Van", "PROPN", "compound", 2), ("Dorn", "PROPN", "nsubj", 3),
    ("said", "VERB", "ROOT", 3), ("so", "ADV", "advmod", 3), (".", "PUNCT", "punct", 3),
    ("Van", "PROPN", "compound", 7), ("Dorn", "PROPN", "nsubj", 8),
    ("said", "VERB", "ROOT", 8), ("so", "ADV", "advmod", 8), (".", "PUNCT", "punct", 8),
]
SHORT_THEN_FULL = [  # "Van Dorn said so. Lena Van Dorn said so."
    ("Van", "PROPN", "compound", 1), ("Dorn", "PROPN", "nsubj", 2),
    ("said", "VERB", "ROOT", 2), ("so", "ADV", "advmod", 2), (".", "PUNCT", "punct", 2),
    ("Lena", "PROPN", "compound", 7), ("Van", "PROPN", "compound", 7), ("Dorn", "PROPN", "nsubj", 8),
    ("said", "VERB", "ROOT", 8), ("so", "ADV", "advmod", 8), (".", "PUNCT", "punct", 8),
]


@pytest.mark.parametrize("rows", [FULL_THEN_SHORT, SHORT_THEN_FULL])
def test_a_two_word_surname_alone_is_the_person_named_in_full(rows):
    # "Van" is no first name here: the short form is no second person (whose "first name" would tell
    # another gender than hers)
    ents = ["O" if pos != "PROPN" else "I-PERSON" if rows[i - 1][1] == "PROPN" else "B-PERSON"
            for i, (_, pos, _, _) in enumerate(rows)]
    doc = build(rows, ents)
    subjects = [t for t in doc if t.dep_ == "nsubj"]
    book = book_of(doc, subjects)
    assert [book.resolve(s).name for s in subjects] == ["Lena Van Dorn", "Lena Van Dorn"]
    assert len(book.people.by_key) == 1


def test_a_name_the_tagger_split_in_two_entities_is_one_person():
    # "Maria Valeria Quorn said so.", tagged as two PERSON entities ("Maria Valeria" + "Quorn").
    rows = [
        ("Maria", "PROPN", "compound", 2),
        ("Valeria", "PROPN", "compound", 2),
        ("Quorn", "PROPN", "nsubj", 3),
        ("said", "VERB", "ROOT", 3),
        ("so", "ADV", "advmod", 3),
        (".", "PUNCT", "punct", 3),
    ]
    doc = build(rows, ["B-PERSON", "I-PERSON", "B-PERSON", "O", "O", "O"])
    assert book_of(doc).resolve(doc[2]).name == "Maria Valeria Quorn"
    # ... but two people named one after the other by a list without commas stay two when the
    # first entity does not open with a given name
    rows[0] = ("Quilby", "PROPN", "compound", 2)
    rows[1] = ("Zorn", "PROPN", "compound", 2)
    doc = build(rows, ["B-PERSON", "I-PERSON", "B-PERSON", "O", "O", "O"])
    assert book_of(doc).resolve(doc[2]).name == "Quorn"
