"""Tests for the healthclaims_quotes component: direct and indirect quotes and their speakers."""

from __future__ import annotations

import pytest

from healthclaims.components.quotes.component import QuoteExtractor


def _quotes(doc, kind=None):
    speakers = doc._.hc_speakers
    return [
        (q.text, speakers[q.speaker].name if q.speaker is not None else None)
        for q in doc._.hc_quotes
        if kind is None or q.kind == kind
    ]


def test_sample_quotes_and_speaker(sample_doc):
    direct = _quotes(sample_doc, "direct")
    indirect = _quotes(sample_doc, "indirect")
    assert [t[:30] for t, _ in direct] == [
        "You have to release the fascia",
        "Massage doesn’t always have to",
        "When someone has pain for a lo",
    ]
    assert [t[:25] for t, _ in indirect] == ["VanDam emphasizes that fa", "Sometimes she finds that "]
    assert {name for _, name in direct + indirect} == {"Victoria VanDam"}
    assert [q.cue for q in sample_doc._.hc_quotes] == ["emphasizes", "explains", "explains", "finds", "explained"]
    (speaker,) = sample_doc._.hc_speakers
    assert (speaker.role, speaker.experience) == ("massage therapist", "two decades")
    assert {"Victoria VanDam", "VanDam", "she"} <= {m.text for m in speaker.mentions}
    # Scare quotes are not quotes.
    assert not any(q.text.startswith(("relaxation", "let go", "structural")) for q in sample_doc._.hc_quotes)


def test_offsets_are_exact(sample_doc):
    text = sample_doc.text
    for q in sample_doc._.hc_quotes:
        assert text[q.start : q.end] == q.text
        assert q.cue is None or text[q.cue_start : q.cue_end] == q.cue
    assert sample_doc._.hc_quotes == sorted(sample_doc._.hc_quotes, key=lambda q: q.start)


PERSON = "Dr. Jane Roe is a cardiologist at Mercy Hospital. "

#: (text, expected [(kind, quote text, speaker name)])
HAZARDS = [
    # interrupted quote: two quotes, one speaker
    (
        PERSON + '"The trial was small," she said, "and the effect was modest."',
        [("direct", "The trial was small,", "Jane Roe"), ("direct", "and the effect was modest.", "Jane Roe")],
    ),
    # sentence-final attribution with title and apposition; the name is stripped of "Dr."
    (
        "“Most patients improved within a month,” said Dr. Alan Smith, a neurologist at the Oslo Clinic.",
        [("direct", "Most patients improved within a month,", "Alan Smith")],
    ),
    # pronoun resolution to the fullest name
    (
        PERSON + "“We need larger trials before anyone changes practice,” she explains.",
        [("direct", "We need larger trials before anyone changes practice,", "Jane Roe")],
    ),
    # surname resolution
    (
        PERSON + "“The drug lowered blood pressure in most patients,” Roe said.",
        [("direct", "The drug lowered blood pressure in most patients,", "Jane Roe")],
    ),
    # an exclamation verb after the quote attributes it like "said"
    (
        PERSON + "“This changes how we treat pain!” exclaims Roe.",
        [("direct", "This changes how we treat pain!", "Jane Roe")],
    ),
    # scare quotes and terms are not quotes
    (
        "Some clinics sell “miracle” cures and so-called “detox wraps” to patients.",
        [],
    ),
    # nested single quotes stay inside the outer quote
    (
        PERSON + "“Patients ask for the ‘magic pill’ every single day,” Roe said.",
        [("direct", "Patients ask for the ‘magic pill’ every single day,", "Jane Roe")],
    ),
    # unbalanced mark: the unclosed quote ends at its last sentence end
    (
        PERSON + "“The results were clear. Nobody expected that. Roe said. “We will publish soon,” she added.",
        [
            ("direct", "The results were clear. Nobody expected that. Roe said.", "Jane Roe"),
            ("direct", "We will publish soon,", "Jane Roe"),
        ],
    ),
    # multi-paragraph quote: the first paragraph has no closing mark; each paragraph is one span
    (
        PERSON
        + "“The first thing we saw was less pain in the first week.\n\n“Then the swelling went down as well,” Roe said.",
        [
            ("direct", "The first thing we saw was less pain in the first week.", "Jane Roe"),
            ("direct", "Then the swelling went down as well,", "Jane Roe"),
        ],
    ),
    # straight quotes, and an apostrophe that is not a mark
    (
        PERSON + "\"It doesn't work for everyone, but patients' pain eased,\" Roe said.",
        [("direct", "It doesn't work for everyone, but patients' pain eased,", "Jane Roe")],
    ),
    # a group speaker is kept as written
    (
        "“Exercise reduced the number of falls by a third,” the researchers wrote.",
        [("direct", "Exercise reduced the number of falls by a third,", "the researchers")],
    ),
    # indirect quotes: "X said that ...", sentence-final "..., she said."
    (
        PERSON + "Roe said that the drug should not be given to children. It is safe for most adults, she said.",
        [
            ("indirect", "Roe said that the drug should not be given to children.", "Jane Roe"),
            ("indirect", "It is safe for most adults, she said.", "Jane Roe"),
        ],
    ),
    # a direct quote with only its attribution is not also an indirect quote
    (
        PERSON + "“The drug is safe for most adults,” she said.",
        [("direct", "The drug is safe for most adults,", "Jane Roe")],
    ),
    # "according to" a document is no quote; vague sources are no speakers
    (
        "Back pain affects most adults, according to a new study. Experts say the numbers are rising fast.",
        [],
    ),
]


#: Causes of errors found on unseen articles, one row each (text, expected as in HAZARDS).
UNSEEN = [
    # the title of a work in quotation marks is no quote: after "titled", before "is published"
    (
        (
            'The paper, titled "Exercise and Memory in Older Adults: A Randomised Trial of Walking Groups," '
            "appears in the May issue."
        ),
        [],
    ),
    (
        (
            '"Massage for chronic neck pain in office workers: a randomized controlled trial" is published in '
            "the journal this week."
        ),
        [],
    ),
    ('Click here to read "Walking Groups Improve Memory and Mood in Older Adults Living Alone at Home."', []),
    # verbs with a common sense that is not speech report only through a clause
    ("The company, based in Ohio, maintains offices in 12 countries and employs 900 people.", []),
    ("Dr. Paul Kent wrote a book about back pain in 2010.", []),
    # "they" stands for a study team named as the subject of any verb, not only of a reporting verb
    (
        (
            "Researchers at Leeds University analysed the records of 5,000 patients. They found that pain "
            "scores fell by a third."
        ),
        [("indirect", "They found that pain scores fell by a third.", "Researchers at Leeds University")],
    ),
    (
        PERSON + "Dr. Roe and colleagues analysed data from 3,000 adults. They note that the effect was larger "
        "in women.",
        [("indirect", "They note that the effect was larger in women.", "Jane Roe")],
    ),
    # ... but patients as the last plural subject take "they" over: no speaker, no quote
    (
        (
            "Patients in the trial were asked about their sleep every week. They said that they slept better "
            "after the classes."
        ),
        [],
    ),
    # a surname the tagger does not read as a name takes the full name given earlier
    (
        (
            'The study was run by nurses Helga Brandtner and Oskar Vilhjalmsson at a clinic in Graz. "We saw the '
            'biggest change in the first two weeks," Vilhjalmsson said.'
        ),
        [("direct", "We saw the biggest change in the first two weeks,", "Oskar Vilhjalmsson")],
    ),
    # a pronoun continues the last person in subject position, not a possessive in between
    (
        (
            "Anna Berg has had migraines for decades. She left Paul Kent's office in tears last spring. Now she "
            "says the headaches have almost stopped."
        ),
        [("indirect", "Now she says the headaches have almost stopped.", "Anna Berg")],
    ),
    # a double surname shortened to its first part is the same person
    (
        "Dr. Maria Lopez-Garcia leads the trial. The device is safe for most older adults, Lopez said.",
        [("indirect", "The device is safe for most older adults, Lopez said.", "Maria Lopez-Garcia")],
    ),
    # a long apposition that leaves the name outside any subject relation
    (
        (
            "In a commentary on the trial, another pain specialist, Peter J. Olsen, M.D. of Boston University "
            "and the local VA hospital, notes that the gains were modest."
        ),
        [
            (
                "indirect",
                (
                    "In a commentary on the trial, another pain specialist, Peter J. Olsen, M.D. of Boston "
                    "University and the local VA hospital, notes that the gains were modest."
                ),
                "Peter J. Olsen",
            )
        ],
    ),
    # verbs of reasoning report a team's conclusion
    (
        "The researchers hypothesize that the drug works by calming inflamed nerves.",
        [
            (
                "indirect",
                "The researchers hypothesize that the drug works by calming inflamed nerves.",
                "The researchers",
            )
        ],
    ),
    (
        "The researchers enrolled 300 adults. They also calculated that 40 percent of falls could be prevented.",
        [("indirect", "They also calculated that 40 percent of falls could be prevented.", "The researchers")],
    ),
    # "a team led by X" is one specific team, named as written
    (
        "A team led by Dr. Jane Roe at Mercy Hospital has found that the drug halves the risk of a second stroke.",
        [
            (
                "indirect",
                (
                    "A team led by Dr. Jane Roe at Mercy Hospital has found that the drug halves the risk of a "
                    "second stroke."
                ),
                "A team led by Dr. Jane Roe at Mercy Hospital",
            )
        ],
    ),
    # words quoted from a paper are its named author's
    (
        (
            '"Surgery should be the last resort for these patients," according to the report by Jane Roe, MD, of '
            "Mercy Hospital."
        ),
        [("direct", "Surgery should be the last resort for these patients,", "Jane Roe")],
    ),
    # "they" after a plural subject that is no study team ("doctors") names no speaker
    (
        (
            "Some researchers study the gut. But doctors have also found that the rash is common in children, so "
            "they think a virus may be involved."
        ),
        [],
    ),
    # a nested quote closing after the full stop still ends the sentence: the next sentence's
    # capitalised words are no attribution, and the quote inherits the paragraph's speaker
    (
        PERSON + "“Most of our patients improve,” Roe said. “We tell every one of them, ‘Start slowly and keep "
        "going.’” Patients were advised to rest at home.",
        [
            ("direct", "Most of our patients improve,", "Jane Roe"),
            ("direct", "We tell every one of them, ‘Start slowly and keep going.’", "Jane Roe"),
        ],
    ),
    # a journal or practice named after a discipline is no person a pronoun can refer to
    (
        (
            "The method is described in Plastic and Reconstructive Surgery by Dr. Ann Lee of Lee Plastic Surgery "
            "in Denver. She hopes the method will spread to other clinics."
        ),
        [("indirect", "She hopes the method will spread to other clinics.", "Ann Lee")],
    ),
    # a capitalised role the tagger puts inside the name is no part of it
    (
        "“The device cut pain scores in half,” said ASPS Member Surgeon John Weller of Mercy Hospital.",
        [("direct", "The device cut pain scores in half,", "John Weller")],
    ),
]

#: Causes named in "Quality on articles the rules have never seen", one row each.
UNSEEN_2 = [
    # a long role between the speaker and "told": the speaker is the name, never the outlet
    (
        ("“The new rules will hurt patients in rural areas,” Jane Smith, a senior policy analyst at the Center "
        "for Health Policy in Washington, told Reuters."),
        [("direct", "The new rules will hurt patients in rural areas,", "Jane Smith")],
    ),
    (
        ("“The new rules will hurt patients in rural areas,” said Jane Smith, a senior policy analyst at the Center "
        "for Health Policy in Washington, told Reuters."),
        [("direct", "The new rules will hurt patients in rural areas,", "Jane Smith")],
    ),
    # participle cues take the subject of the main clause
    (
        "The company issued a statement saying it would appeal the ruling in federal court.",
        [("indirect", "The company issued a statement saying it would appeal the ruling in federal court.", "The company")],
    ),
    (
        ("The senator met the governor. “We will not back down on this bill,” the senator said, adding that the "
        "vote would come in May."),
        [
            (
                "indirect",
                "“We will not back down on this bill,” the senator said, adding that the vote would come in May.",
                "the senator",
            ),
            ("direct", "We will not back down on this bill,", "the senator"),
        ],
    ),
    # ... but words beside a direct quote that report nothing make no indirect quote
    (
        PERSON + "“The drug is safe for most adults,” Roe said, referring to a trial of 300 adults in Oslo.",
        [("direct", "The drug is safe for most adults,", "Jane Roe")],
    ),
    # the subject of the reported clause is no speaker
    (
        "Former executive director Jane Roe, MD, says Calmexa does not appear to be as effective as hormone therapy.",
        [
            (
                "indirect",
                ("Former executive director Jane Roe, MD, says Calmexa does not appear to be as effective as hormone "
                "therapy."),
                "Jane Roe",
            )
        ],
    ),
    # documents, "it", unnamed and counted people speak as written in direct quotes
    (
        "“Patients should be told about the risks before they start,” the report said.",
        [("direct", "Patients should be told about the risks before they start,", "the report")],
    ),
    (
        "The report was released on Monday. “Patients should be told about the risks before they start,” it said.",
        [("direct", "Patients should be told about the risks before they start,", "The report")],
    ),
    (
        "A press release from the clinic stated: “Few of the patients kept to the whole plan.”",
        [("direct", "Few of the patients kept to the whole plan.", "A press release from the clinic")],
    ),
    (
        "“Do not take more than two tablets a day,” the label warns.",
        [("direct", "Do not take more than two tablets a day,", "the label")],
    ),
    (
        "“The effect was small and may not matter for most patients,” an outside expert said.",
        [("direct", "The effect was small and may not matter for most patients,", "an outside expert")],
    ),
    (
        "“The effect was small and may not matter for most patients,” all three experts said.",
        [("direct", "The effect was small and may not matter for most patients,", "all three experts")],
    ),
    # a definite description stands for the person it described earlier: the fullest name
    (
        "Sen. Jane Roe introduced the bill on Tuesday. “We will not back down on this bill,” the senator said.",
        [("direct", "We will not back down on this bill,", "Jane Roe")],
    ),
    (
        ("Jane Roe led the trial. Mark Lee, a surgeon, reviewed it. “The drug is safe for most adults,” the surgeon "
        "said."),
        [("direct", "The drug is safe for most adults,", "Mark Lee")],
    ),
    # a child or patient called by first name after one full mention is the same person
    (
        "Maya Lindqvist, 10, joined the trial last year. “It was scary at first but now I feel fine,” Maya said.",
        [("direct", "It was scary at first but now I feel fine,", "Maya Lindqvist")],
    ),
    # two people with one surname stay two: a bare surname is the one named in full most recently
    (
        ("Maya Lindqvist, 10, joined the trial. Her mother, Karin Lindqvist, said the first weeks were hard. "
        "“I was scared of every bite I took,” Maya said."),
        [
            ("indirect", "Her mother, Karin Lindqvist, said the first weeks were hard.", "Karin Lindqvist"),
            ("direct", "I was scared of every bite I took,", "Maya Lindqvist"),
        ],
    ),
    # ... but what a document found is no reported speech (ANNOTATION.md: a named or pronoun speaker)
    ("A review of 20 trials concludes that the drug is safe for most adults.", []),
    # a belief reported by someone else is that reporter's: "They think ..., Roe said" is Roe's
    (
        ("Jane Roe led the trial. Researchers are starting a second trial. "
        "They think it will help people aged 40 to 70 most, Roe said."),
        [
            ("indirect", "They think it will help people aged 40 to 70 most, Roe said.", "Jane Roe"),
        ],
    ),
    # a quoted title right after the word for the work ("the abstract "...""), not speech
    (
        ('Among these, the abstract "Eye drops a new treatment that improved symptoms in two trials" '
         "was highlighted at the meeting."),
        [],
    ),
    # a hyphenated surname standing alone as the subject is the person introduced in full
    (
        ('"Patients need choices," said Tomas Hallberg-Orrin, a professor of pharmacy. '
         '"The drugs work in different ways," Hallberg-Orrin said.'),
        [
            ("direct", "Patients need choices,", "Tomas Hallberg-Orrin"),
            ("direct", "The drugs work in different ways,", "Tomas Hallberg-Orrin"),
        ],
    ),
    # two single marks written for the closing double one end the quote
    (
        "“The results have been amazing for my patients,’’ says John Ferrow, a sports physician.",
        [("direct", "The results have been amazing for my patients,", "John Ferrow")],
    ),
    # lower-case particles inside a surname
    (
        ("“Several questions need larger studies to answer,” Dr. Anneke van der Wilt, a neurologist, said. "
         "“We hope to run them soon enough,” van der Wilt said."),
        [
            ("direct", "Several questions need larger studies to answer,", "Anneke van der Wilt"),
            ("direct", "We hope to run them soon enough,", "Anneke van der Wilt"),
        ],
    ),
]


UNSEEN_3 = [
    # a participle before a noun ("an estimated 2 million") is no reporting verb: the short quote runs on
    (
        ("“My own dealer told me to slow down,” Kessler, 52, told reporters. “Can you imagine?” He is one of "
         "an estimated 2 million people addicted to painkillers."),
        [
            ("direct", "My own dealer told me to slow down,", "Kessler"),
            ("direct", "Can you imagine?", "Kessler"),
        ],
    ),
    # "he" after a one-word name the article has speak goes to that name, not to an earlier full name
    (
        ("“We cannot take everyone,” said Dr. Paul Imrie. “I never planned any of this,” Kessler, 52, told "
         "reporters. Kessler was one of the volunteers, and he testified at the hearing. “The implant changed "
         "my life,” he said."),
        [
            ("direct", "We cannot take everyone,", "Paul Imrie"),
            ("direct", "I never planned any of this,", "Kessler"),
            ("direct", "The implant changed my life,", "Kessler"),
        ],
    ),
    # a fragment inside the article's own sentence is said by the person its subject names, and
    # never runs on from the previous paragraph's speaker
    (
        ("“I never planned any of this,” Kessler, 52, told reporters.\n\nIn the primary state, candidates such "
         "as Gov. Martin Oakes of Vermont are calling for treating addiction as “a disease, not a moral failing.”"),
        [
            ("direct", "I never planned any of this,", "Kessler"),
            # "calling for" reports a demand: the sentence is an indirect quote too (ANNOTATION.md, mixed sentences)
            ("indirect", ("In the primary state, candidates such as Gov. Martin Oakes of Vermont are calling for treating "
                          "addiction as “a disease, not a moral failing.”"), "Martin Oakes"),
            ("direct", "a disease, not a moral failing.", "Martin Oakes"),
        ],
    ),
    # ... nor from a speaker who comes later in its paragraph (a name or term, not speech)
    (
        ('Students cycle through a series of stances with poetic names, such as "white heron opens its wings." '
         'The classes met twice a week for three months. "We breathe slowly and the pain eases," said Dr. Ada Lowe.'),
        [("direct", "We breathe slowly and the pain eases,", "Ada Lowe")],
    ),
    # a straight mark written with no space after the previous sentence still opens a quote
    (
        ('The clinic asks patients to "weigh every option" with care."Pills are not an easy choice for '
         'many women," said Dr. Mandel.'),
        [
            ("direct", "weigh every option", "The clinic"),
            ("direct", "Pills are not an easy choice for many women,", "Mandel"),
        ],
    ),
    # a press release's dated dateline is no speaker
    (
        ("Breathing drills shorten stays\n\nBOSTON--March 4, 2019-- An analysis of a multicenter randomized trial "
         "found guided breathing exercise (GBE) for bronchitis shortened hospital stays in adults 60 to 80 years old."),
        [],
    ),
]


#: Causes found on another pool sample (seed 9101).
UNSEEN_4 = [
    # a place after a preposition, right before a reporting participle, is no speaker
    (
        ("Doctors recommend that most pregnant women get 30 minutes of exercise a day. If that feels a little "
         "onerous, consider new findings out of Quilby College of Medicine in Houston suggesting that love of "
         "physical activity may start in the womb."),
        [],
    ),
    # a generational suffix belongs to the fullest name
    (
        ('"We advise patients to start treatment early," study author Dr. H. Ralph Tolliver, Jr., a professor of '
         'medicine at Quilby University, said in a journal news release. "It helps a lot," Tolliver said.'),
        [
            ("direct", "We advise patients to start treatment early,", "H. Ralph Tolliver, Jr."),
            ("direct", "It helps a lot,", "H. Ralph Tolliver, Jr."),
        ],
    ),
    # a video's caption: a reporting verb with only where it was said reports nothing
    ("Yoga helps back pain, a study finds. Jennifer Okonkwo-Baptiste explains on Lunch Break.", []),
    # a title in apposition to a work noun is no quote, its comma inside the marks notwithstanding
    (
        ('Doctors warn about opioids.\n\nThe editorial, "Opioid vs Nonopioid Acute Pain Management in the '
         'Emergency Department," by Jane Q. Roe, M.D., Senior Editor, is online.'),
        [],
    ),
    # a quote a colon introduces is said by the subject of the clause before it, "she" included
    (
        ('When Karen Lindqvist, 51, started having hot flashes, she had a chat with her gynecologist: "I told her '
         'I do not want to go on hormone therapy. I am a healthy person."'),
        [("direct", "I told her I do not want to go on hormone therapy. I am a healthy person.", "Karen Lindqvist")],
    ),
    # a company's site quoted as a source is given as written, like its website
    (
        ("According to the company website, the pill is a tonic that can give users \u201cyouthful, glowing "
         "skin.\u201d The site adds that \u201chealthy vibrant skin comes not from a cream but from within.\u201d"),
        [("direct", "healthy vibrant skin comes not from a cream but from within.", "The site")],
    ),
    # the study is the subject of "found"; the journal's name the parser also makes a subject says nothing
    (
        ("Skin creams sell well. For example, a German study of 36 adults published in 2006 in the journal Dermal "
         "Biology and Care found that volunteers taking supplements had softer skin."),
        [],
    ),
    # a title-case headline's "Study Reveals ..." reads as "the study reveals ...": a document, not an organisation
    (
        ("Two-year, EU-funded Study Reveals a Medical Food in the Form of a Daily Drink Can Help to Conserve Memory"
         "\n\nThe drink was tested in 300 adults. The study reveals that the drink can help to conserve memory."),
        [],
    ),
    # ... also when the parser runs a title-case headline into it
    (
        ("Clinical Study Verifies QBX Gel For Knee Pain Delivers Faster Relief Than A Leading Product\n\n"
         "EASTFIELD, Md., Nov. 10, 2016 /PRNewswire/ -- QBX Biopharmaceutical, a leading developer of proprietary "
         "OTC drugs, announced that an independent clinical study has shown its gel reduced knee pain."),
        [(
            "indirect",
            ("QBX Biopharmaceutical, a leading developer of proprietary OTC drugs, announced that an independent "
             "clinical study has shown its gel reduced knee pain."),
            "QBX Biopharmaceutical",
        )],
    ),
    # a wire service's dateline running into the first sentence is cut off, and the firm it reports speaks
    (
        ("Quilby Gel Cuts Pain\n\nEASTFIELD, Md., Nov. 10, 2016 /PRNewswire/ -- Quilby Biopharma, a developer of "
         "skin drugs, announced that an independent clinical trial showed its gel reduced knee pain."),
        [(
            "indirect",
            ("Quilby Biopharma, a developer of skin drugs, announced that an independent clinical trial showed its "
             "gel reduced knee pain."),
            "Quilby Biopharma",
        )],
    ),
    # a headline's source phrase ends at its last word, not at the line break after it
    (
        "Weekend walks help as much as daily ones, say researchers\n\nPeople who walk at weekends live longer.",
        [("indirect", "Weekend walks help as much as daily ones, say researchers", "researchers")],
    ),
    # a name that opens with an initial ("M. Anne Roe") is a person's, not an institution's
    (
        ('"The gains held up," says M. Anne Voskuil, the medical director of the Quilby Center. '
         '"We saw fewer infections," Voskuil says.'),
        [
            ("direct", "The gains held up,", "M. Anne Voskuil"),
            ("direct", "We saw fewer infections,", "M. Anne Voskuil"),
        ],
    ),
    # a relation written before the name is no part of it
    (
        'Mom Dana Pirelli said the family found the allergy early. "We were lucky," Pirelli said.',
        [
            ("indirect", "Mom Dana Pirelli said the family found the allergy early.", "Dana Pirelli"),
            ("direct", "We were lucky,", "Dana Pirelli"),
        ],
    ),
    # two fragments of one sentence of the article's own: each is said by its own clause's subject
    (
        ("Jane Okafor is a surgeon at Quilby University. Mark Lindqvist is a doctor at the Quilby Center. "
         'Okafor expects the "odds are very good" that they would, and Lindqvist "would be cautiously '
         'optimistic" that the findings would be similar.'),
        [
            ("indirect", ('Okafor expects the "odds are very good" that they would, and Lindqvist "would be cautiously '
                          'optimistic" that the findings would be similar.'), "Jane Okafor"),
            ("direct", "odds are very good", "Jane Okafor"),
            ("direct", "would be cautiously optimistic", "Mark Lindqvist"),
        ],
    ),
]


#: Reported speech whose clause is quoted from a word of its own: with ``woven_quote_indirect`` (a
#: literal reading of ANNOTATION.md's mixed-sentence rule) a direct and an indirect quote; by default
#: (as the development gold has it) the direct quote alone.
WOVEN_ON = [
    # the quote runs on from the reporting frame's "that"
    (
        ('Dr. Jane Roe is a surgeon at Quilby University. As a doctor herself, Roe added that "from what I have '
         'seen the treatment is not painful, and patients recover within days."'),
        [
            ("indirect", ('As a doctor herself, Roe added that "from what I have seen the treatment is not painful, '
                          'and patients recover within days."'), "Jane Roe"),
            ("direct", "from what I have seen the treatment is not painful, and patients recover within days.", "Jane Roe"),
        ],
    ),
    # ... or from the reported clause's subject
    (
        "Dr. Ann Berg is a neurologist. The operation “had a huge effect on how they manage their lives,” Dr. Berg said.",
        [
            ("indirect", "The operation “had a huge effect on how they manage their lives,” Dr. Berg said.", "Ann Berg"),
            ("direct", "had a huge effect on how they manage their lives,", "Ann Berg"),
        ],
    ),
]

WOVEN = [
    # after a closing quote the words after the name describe the speaker, though the parser takes "lead" for a verb
    (
        ('"We would like to stress that, for now, our results are early, and we would not advise wine for the '
         'joints," said Dr. Tom Hale, lead author of the study and a doctor at Example Trust in England.'),
        [
            ("direct", ("We would like to stress that, for now, our results are early, and we would not advise wine "
                        "for the joints,"), "Tom Hale"),
        ],
    ),
    # a quote after a colon or a comma is attributed, not reported
    (
        PERSON + "Roe said: “The drug is safe for most adults.” Later, she said, “It is not for children.”",
        [
            ("direct", "The drug is safe for most adults.", "Jane Roe"),
            ("direct", "It is not for children.", "Jane Roe"),
        ],
    ),
]


#: Verbs that report through an infinitive, "as", a complement or advice rather than a clause.
# verbs of saying beyond the common ones, their participles, and a clause the parser hangs on the one told
MORE_VERBS = [
    (("Dr. Jane Roe, a cardiologist at Example Hospital, spoke about the results on Monday, emphasising that the "
      "drug cuts deaths."),
     [("indirect", ("Dr. Jane Roe, a cardiologist at Example Hospital, spoke about the results on Monday, emphasising "
                    "that the drug cuts deaths."), "Jane Roe")]),
    ("Dr. Jane Roe denied that the trial was biased in favour of the device.",
     [("indirect", "Dr. Jane Roe denied that the trial was biased in favour of the device.", "Jane Roe")]),
    ("Dr. Jane Roe reminded doctors that statins are safe for most older adults.",
     [("indirect", "Dr. Jane Roe reminded doctors that statins are safe for most older adults.", "Jane Roe")]),
    ("The team showed that the disease could be reversed in people who had it for years.",
     [("indirect", "The team showed that the disease could be reversed in people who had it for years.", "The team")]),
    # ... but a study shows, it does not speak, even with a body's name before it
    ("The study showed that the disease could be reversed in people who had it for years.", []),
    ("An Example Academy of Surgeons review of about 40 studies showed that 2% of patients have nerve injuries.", []),
    # a passive participle is no report ("long shown to help")
    ("Green tea, long shown to help lower the risk of cancer, may also help people live longer.", []),
    ("The trial tested a drug in 300 adults. Two of the researchers said the drug should be tried in children.",
     [("indirect", "Two of the researchers said the drug should be tried in children.", "Two of the researchers")]),
    ("The researchers indicate that the pressure may also stimulate a release of dopamine.",
     [("indirect", "The researchers indicate that the pressure may also stimulate a release of dopamine.",
       "The researchers")]),
    ("Ann Lee has eczema, and she is hoping this research will lead to a treatment.",
     [("indirect", "Ann Lee has eczema, and she is hoping this research will lead to a treatment.", "Ann Lee")]),
    # a conjunct the parser hangs on the subject as an apposition after "and" is part of the speaker's phrase
    ("Scientists at Example University and spin-off company Quillmed say their patch could change the market.",
     [("indirect", "Scientists at Example University and spin-off company Quillmed say their patch could change the market.",
       "Scientists at Example University and spin-off company Quillmed")]),
]


FRAMES = [
    (
        PERSON + "Roe encourages new runners to start slowly to avoid injuries.",
        [("indirect", "Roe encourages new runners to start slowly to avoid injuries.", "Jane Roe")],
    ),
    (
        PERSON + "Roe told me not to take aspirin for a week after the operation.",
        [("indirect", "Roe told me not to take aspirin for a week after the operation.", "Jane Roe")],
    ),
    (
        PERSON + "Roe and others later claimed to have found similar benefits in adults.",
        [("indirect", "Roe and others later claimed to have found similar benefits in adults.", "Jane Roe")],
    ),
    (
        PERSON + "The trial is a first step — Roe characterized the study as the start of a longer look at the drug.",
        [("indirect", "The trial is a first step — Roe characterized the study as the start of a longer look at the drug.",
          "Jane Roe")],
    ),
    (
        PERSON + "She also recommended physical therapy after two weeks.",
        [("indirect", "She also recommended physical therapy after two weeks.", "Jane Roe")],
    ),
    # ... but a document recommends, a person calls someone, and a name is called nothing
    ("The guidelines recommend a second injection after six weeks.", []),
    (PERSON + "Roe called her sister after the trial ended in May.", []),
    ("The drug, called Zyxo by its maker, went on sale in May.", []),
    # a field's state of knowledge is no one team's report
    ("Researchers have long suspected that the drug causes bone loss in some women.", []),
    # results presented or reported by a person, and a demand
    (
        "Dr. Mark Lee is a surgeon. In 2013, Lee presented the results of a study of 15,000 people given a drug for diabetes.",
        [("indirect", "In 2013, Lee presented the results of a study of 15,000 people given a drug for diabetes.",
          "Mark Lee")],
    ),
    # what a person keeps others from doing is her advice; what a price keeps them from is no one's
    (
        "Dr. Ann Berg discouraged patients from using the device until more trials are done.",
        [("indirect", "Dr. Ann Berg discouraged patients from using the device until more trials are done.", "Ann Berg")],
    ),
    ("High prices discourage patients from getting this treatment.", []),
    (
        "Senator Ann Berg called for allowing nurses to prescribe the drug, something they can do now for painkillers.",
        [("indirect", ("Senator Ann Berg called for allowing nurses to prescribe the drug, something they can do now for "
          "painkillers."), "Ann Berg")],
    ),
    (
        "Mark Lee, director of the Example Center for Children at Example University, called the therapy “crackpot nonsense.”",
        [("indirect", ("Mark Lee, director of the Example Center for Children at Example University, called the therapy "
          "“crackpot nonsense.”"), "Mark Lee")],
    ),
    # a closing attribution followed by how it was said; a reason given as an organisation's report
    (
        ("But the pill users ended up taking more medicine overall than the patch users, pharmacologist Mark Lee of "
         "the Example Center for Health testified, in a critique."),
        [("indirect", ("But the pill users ended up taking more medicine overall than the patch users, pharmacologist "
                       "Mark Lee of the Example Center for Health testified, in a critique."), "Mark Lee")],
    ),
    (
        "Partly that is because the government says that doctors cannot give it to more than 100 patients.",
        [("indirect", "Partly that is because the government says that doctors cannot give it to more than 100 patients.",
          "the government")],
    ),
    # a company's representatives, and a vague group named by its example
    (
        "At the same meeting, Acme representatives suggested that only 14% of the patients relapsed during the trial.",
        [("indirect", ("At the same meeting, Acme representatives suggested that only 14% of the patients relapsed during "
          "the trial."), "Acme representatives")],
    ),
    (
        "Pain specialists such as Ann D’Arcy of Yale say that limiting the pills could hurt clinics that offer counseling.",
        [("indirect", ("Pain specialists such as Ann D’Arcy of Yale say that limiting the pills could hurt clinics that "
          "offer counseling."), "Ann D’Arcy")],
    ),
    # a team placed at a named institution is one study's team
    (
        ("In a study of young runners, scientists at the University of Example found running led to better bones "
         "after one year."),
        [("indirect", ("In a study of young runners, scientists at the University of Example found running led to "
                       "better bones after one year."), "scientists at the University of Example")],
    ),
    # a participle right after a document its subject published is the document's finding
    (("Mark Lee, a professor at Example University, published a small study in 2007 suggesting that the treatment "
     "sped up thinking in older people."), []),
    # an organisation's name runs on past its head when no verb is in it
    (
        "The Example Academy of Bone Surgeons, which backs the shot, describes the risk as minimal for most adults.",
        [("indirect", ("The Example Academy of Bone Surgeons, which backs the shot, describes the risk as minimal for most "
          "adults."), "The Example Academy of Bone Surgeons")],
    ),
    # ... but the one told is no report ('"...," Roe told Example News.')
    (
        PERSON + "“It sounds like a good option for someone in recovery to ‘get it and forget it’,” Roe told Example News.",
        [("direct", "It sounds like a good option for someone in recovery to ‘get it and forget it’,", "Jane Roe")],
    ),
    # a question put to someone is not their report
    ("I ask Dr. Mark Lee whether he would recommend I enroll in a clinical trial, given my poor response to drugs.", []),
    # a team placed at an institution is one definite team: its finding as an object is its report ...
    ("Scientists at Example University have found a protein that switches off the immune attack.",
     [("indirect", "Scientists at Example University have found a protein that switches off the immune attack.",
       "Scientists at Example University")]),
    # ... while a bare group finding something as an object summarises research in the writer's voice
    ("Researchers found consistent evidence of harm.", []),
    # experts placed at a named institution are a definite set of people; experts alone an appeal
    ("Experts at the University of Example say a simple scan can spot the problem.",
     [("indirect", "Experts at the University of Example say a simple scan can spot the problem.",
       "Experts at the University of Example")]),
    ("Experts say a simple scan can spot the problem.", []),
    # a team named by who leads it keeps that in its name; a place's closing comma is no part of it
    ("An international research team led by Example University found major improvement in lung function.",
     [("indirect", "An international research team led by Example University found major improvement in lung function.",
       "An international research team led by Example University")]),
    # bare scientists telling a result they reached are the study's team; scientists who say something are an appeal
    ("MRSA strains make many toxins, but scientists found that one toxin is made by most strains.",
     [("indirect", "MRSA strains make many toxins, but scientists found that one toxin is made by most strains.", "scientists")]),
    ("Scientists say the drug is safe for most children.", []),
    # a document that says or notes something speaks as written; one that finds something reports no speech
    ("Olive oil is rich in compounds that might protect the brain, the study said.",
     [("indirect", "Olive oil is rich in compounds that might protect the brain, the study said.", "the study")]),
    ("The study found that olive oil slows memory loss in older adults.", []),
    ("A study out this week says tai chi may help people with heart failure.", []),
    # words a lede quotes without a speaker, given in full later by one, are that speaker's
    (("A new drug has been hailed as “the start of real change” in care.\n\n"
      "“We hope this marks the start of real change for patients,” said Jane Roe, head of a charity."),
     [("direct", "the start of real change", "Jane Roe"),
      ("direct", "We hope this marks the start of real change for patients,", "Jane Roe")]),
    # a role the parser reads as the name's verb ("Roe, lead author ...": "lead" a verb) describes the speaker
    ("“The drug can target an important pathway in the brain,” Jane Smith, lead author of the study, said.",
     [("direct", "The drug can target an important pathway in the brain,", "Jane Smith")]),
    ("“The drug can target an important pathway in the brain,” David Brough, lead author of the study, said.",
     [("direct", "The drug can target an important pathway in the brain,", "David Brough")]),
    ("“Our research shows that the drug can target an important pathway,” David Brough, lead author of the study said.",
     [("direct", "Our research shows that the drug can target an important pathway,", "David Brough")]),
    # a relative clause set off inside a group's phrase describes the group: it is no part of its name
    (("Researchers from the Nordic Example Centre, who question the benefits of organised screening programmes, "
      "suggest the breast cancer death rate has fallen."),
     [("indirect", ("Researchers from the Nordic Example Centre, who question the benefits of organised screening "
                    "programmes, suggest the breast cancer death rate has fallen."),
       "Researchers from the Nordic Example Centre")]),
    # a name alone in quotation marks is a term ("'Female Viagra' gets mixed reviews"), no person "she" can be
    (("'Female Viagra' gets mixed reviews\n\n"
      "Jodi Cole, a mother of two, said she started taking the drug in November.\n\n"
      "She said women should be able to choose to take it just as men choose to take Viagra.\n\n"
      "\"I should be able to choose whether the side effects are worth the benefit,\" she wrote."),
     [("indirect", "Jodi Cole, a mother of two, said she started taking the drug in November.", "Jodi Cole"),
      ("indirect", "She said women should be able to choose to take it just as men choose to take Viagra.", "Jodi Cole"),
      ("direct", "I should be able to choose whether the side effects are worth the benefit,", "Jodi Cole")]),
    # "they" after people named together as one subject stands for them, past a plural subject they report on
    (("In their editorial, Steven Woloshin and Lisa Schwartz said drug makers put pressure on the agency. "
      "\"It is clear that the science was weak,\" they wrote."),
     [("indirect", ("In their editorial, Steven Woloshin and Lisa Schwartz said drug makers put pressure on the "
                    "agency."), "Steven Woloshin and Lisa Schwartz"),
      ("direct", "It is clear that the science was weak,", "Steven Woloshin and Lisa Schwartz")]),
    # a body's advice with a noun object is its report, as a person's is; a document's is not
    ("The Quilby Academy of Pediatrics currently recommends 400 units a day for infants.",
     [("indirect", "The Quilby Academy of Pediatrics currently recommends 400 units a day for infants.",
       "The Quilby Academy of Pediatrics")]),
    ("The guidelines recommend 400 units a day for infants.", []),
    # the subject of a passive reporting verb is the one spoken to, not a speaker
    ("The third group, acting as a control, was advised to follow a low-fat diet.", []),
    ("Dr. Jane Roe studied the lens in mice. She's said it's unclear if the results will hold in older patients.",
     [("indirect", "She's said it's unclear if the results will hold in older patients.", "Jane Roe")]),
    ("The researchers advised patients to follow a low-fat diet for a year.",
     [("indirect", "The researchers advised patients to follow a low-fat diet for a year.", "The researchers")]),
    # saying no to something is a decision, not speech
    (("This was the second time such a drug failed to reach the market; in 2004, an FDA panel said no to Intrinsa, "
      "a testosterone patch meant to help women with a lack of desire."), []),
    ("The panel said no one had tested the patch in older women.",
     [("indirect", "The panel said no one had tested the patch in older women.", "The panel")]),
    # a role and the name right after it, both parsed as subjects: the name speaks
    ("“At first blush, that is kind of a big deal,” Mayo Clinic Alzheimer’s expert Dr. Ronald Petersen said.",
     [("direct", "At first blush, that is kind of a big deal,", "Ronald Petersen")]),
]


@pytest.mark.parametrize("text, expected", HAZARDS + UNSEEN + UNSEEN_2 + UNSEEN_3 + UNSEEN_4 + WOVEN + FRAMES + MORE_VERBS)
def test_hazards(nlp, text, expected):
    doc = nlp(text)
    got = [
        (q.kind, q.text, doc._.hc_speakers[q.speaker].name if q.speaker is not None else None) for q in doc._.hc_quotes
    ]
    assert sorted(got, key=lambda g: text.index(g[1])) == expected


def test_group_speaker_kind(nlp):
    doc = nlp("“Exercise reduced the number of falls by a third,” the researchers wrote.")
    assert [(s.name, s.kind) for s in doc._.hc_speakers] == [("the researchers", "group")]


@pytest.mark.parametrize(
    "text",
    [
        # a team named by the journal its report appeared in is one definite team, however the parser hangs it
        "Researchers publishing in the Zorb Journal have found that tai chi eases back pain.",
        "Scientists writing in Quill Medicine have reported that the drug lowers blood pressure.",
    ],
)
def test_a_team_named_by_its_journal_reports(nlp, text):
    assert [q.kind for q in nlp(text)._.hc_quotes] == ["indirect"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("\u201cIt works for most patients,\u201d said Dr. Jean-Luc Regenster of Zorb State University.", "Jean-Luc Regenster"),
        ("Marie-Claire Regenster, a cardiologist, said the pill works for most patients.", "Marie-Claire Regenster"),
    ],
)
def test_a_hyphenated_given_name_keeps_the_surname_after_it(nlp, text, name):
    assert [s.name for s in nlp(text)._.hc_speakers] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "The study authors caution about the overuse of these drugs and the risk of resistance.",
        "But he cautions against overdoing it.",
    ],
)
def test_what_a_warning_is_about_is_its_content_not_a_setting(nlp, text):
    doc = nlp("Dr. Ann Quillby of Zorb University led a study of 300 adults. " + text)
    assert [q.kind for q in doc._.hc_quotes] == ["indirect"]


def test_where_a_speaker_explained_is_still_no_report(nlp):
    assert nlp("Dr. Ann Quillby of Zorb University explains on Lunch Break.")._.hc_quotes == []


def test_a_field_that_long_suspected_something_is_no_team(nlp):
    assert nlp("Researchers have long suspected that sleep matters for memory.")._.hc_quotes == []


@pytest.mark.parametrize(
    "according, expected",
    [(True, ["indirect"]), (False, [])],
)
def test_according_to_a_person_follows_the_setting(nlp, according, expected):
    # ANNOTATION.md says "According to X" is no indirect quote (the default); a setting can still list them.
    extractor = QuoteExtractor(nlp, "q", according_to_indirect=according)
    doc = nlp(PERSON + "According to Roe, the drug lowers blood pressure in most adults.")
    doc = extractor(doc)
    assert [q.kind for q in doc._.hc_quotes] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "“Most patients improved within a month,” said Dr. Alan Smith, a professor of medicine at Stanford.",
            ("Alan Smith", "professor of medicine at Stanford", "Stanford"),
        ),
        (
            "“Most patients improved within a month,” said Dr Jane Smith, of the Norland Institute.",
            ("Jane Smith", None, "Norland Institute"),
        ),
        (
            "“Most patients improved within a month,” said Jane Smith, a researcher at the University of Leeds.",
            ("Jane Smith", "researcher at the University of Leeds", "University of Leeds"),
        ),
        (
            "“Most patients improved within a month,” said Jane Smith, lead author of the study.",
            ("Jane Smith", "lead author of the study", None),
        ),
        ("“Most patients improved within a month,” said senior author Jane Smith.", ("Jane Smith", "senior author", None)),
        (
            "“Most patients improved within a month,” said co-lead researcher Prof David Moore.",
            ("David Moore", "co-lead researcher", None),
        ),
        (
            ("“Most patients improved within a month,” said Jane Smith, a research scientist at the Center for Brain "
            "Studies and lead author of the study."),
            (
                "Jane Smith",
                "research scientist at the Center for Brain Studies and lead author of the study",
                "Center for Brain Studies",
            ),
        ),
        (
            ("Michael Stone, MD, who is vice president of research for Acme Pharma Inc., says the drug avoids many "
            "of these side effects."),
            ("Michael Stone", "vice president of research for Acme Pharma Inc.", "Acme Pharma Inc."),
        ),
        (
            PERSON + "“The drug is safe for most adults,” she said.",
            ("Jane Roe", "cardiologist at Mercy Hospital", "Mercy Hospital"),
        ),
        (
            "“There is now a remedy for most of these patients,” said Jane Smith from Mercy Hospital, who led the study.",
            ("Jane Smith", None, "Mercy Hospital"),
        ),
        (
            "“The trial met its goal,” said Jane Smith, President and CEO of Acme Pharma.",
            ("Jane Smith", "President and CEO of Acme Pharma", "Acme Pharma"),
        ),
        ("Acme CEO Jane Smith told reporters, “The trial met its goal.”", ("Jane Smith", "CEO", None)),
        (
            "“The trial met its goal,” said co-author Jane Smith. Questions go to Jane Smith at jane.smith@example.org.",
            ("Jane Smith", "co-author", None),
        ),
        # a comma listing the parts of an office's name does not end the role
        (
            ("“Pain is common in these women,” said Jane Roe, M.D., deputy director of the Division of Bone, "
            "Joint, and Zorbic Products (DBZP) in the Office of Quilby."),
            (
                "Jane Roe",
                "deputy director of the Division of Bone, Joint, and Zorbic Products",
                "Division of Bone, Joint, and Zorbic Products",
            ),
        ),
        (
            "“It works for most people,” said Bob Doe, professor at Quilby University, and Ann Poe agreed.",
            ("Bob Doe", "professor at Quilby University", "Quilby University"),
        ),
        # "and colleagues" is no part of the institution
        (
            "“The benefit held up for years,” said Karl Zorb, MD, of the University of Quilby and colleagues.",
            ("Karl Zorb", None, "University of Quilby"),
        ),
        # a university's name may end in its campus's place after a comma
        (
            "“It was a small trial,” said Dr. Ann Quell, professor of cardiology at the University of California, Los Angeles.",
            ("Ann Quell", "professor of cardiology at the University of California, Los Angeles",
             "University of California, Los Angeles"),
        ),
        # a role written as a proper-noun modifier before the noun: the noun is the role, the rest where they work
        (
            "“It lowers pressure in most patients,” said Tom Adair, a Lakeside Hospital internist.",
            ("Tom Adair", "internist", "Lakeside Hospital"),
        ),
        # a description the name stands in apposition to, before it
        (
            "“It is a real change for people who cannot exercise,” said a Stanford epidemiologist, Maria Oduya.",
            ("Maria Oduya", "epidemiologist", "Stanford"),
        ),
        (
            "“The benefits are clear in older adults,” said a heart specialist at Mercy Hospital, Dr. Nora Pellman.",
            ("Nora Pellman", "heart specialist at Mercy Hospital", "Mercy Hospital"),
        ),
    ],
)
def test_speaker_role_and_affiliation(nlp, text, expected):
    # The citation resolver matches a paper's authors and affiliations against these fields.
    (speaker,) = nlp(text)._.hc_speakers
    assert (speaker.name, speaker.role, speaker.affiliation) == expected


def test_skips_boilerplate(nlp):
    from healthclaims.types import Mention

    text = PERSON + "“The drug is safe for most adults,” she said."
    doc = nlp.make_doc(text)
    for name, proc in nlp.pipeline:
        if name == "healthclaims_quotes":
            doc._.hc_boilerplate = [Mention.of(text, 0, len(text))]
        doc = proc(doc)
    assert doc._.hc_quotes == []


def test_no_role_from_a_participle_about_the_work(nlp):
    # "led by X, published in 2011, showed": the participle phrase tells of the study, not of X.
    doc = nlp(
        "A previous study led by Professor Zed Quill, published in 2011, showed the diet worked. "
        "“We were surprised by how fast it happened,” Quill said."
    )
    assert [(s.name, s.role) for s in doc._.hc_speakers] == [("Zed Quill", None)]


def test_no_role_from_a_framing_clause(nlp):
    # "For <name>, ..." opens a sentence; what follows the comma is no apposition of the name.
    doc = nlp("For Jane Roe, the search for a cure ended last year. “I have seen nine doctors in two years,” she says.")
    assert [(s.name, s.role) for s in doc._.hc_speakers] == [("Jane Roe", None)]


def test_according_to_is_no_quote_by_default(nlp):
    doc = nlp(PERSON + "According to Roe, the drug lowers blood pressure in most adults.")
    assert doc._.hc_quotes == []


def test_quotes_are_spans_on_the_doc(nlp):
    doc = nlp(PERSON + "“The drug is safe for most adults,” she said. Roe said that the trial will go on for a year.")
    spans = doc.spans["quotes"]
    assert [(s.label_, s.text) for s in spans] == [
        ("direct", "The drug is safe for most adults,"),
        ("indirect", "Roe said that the trial will go on for a year."),
    ]
    assert [(q.start, q.end) for q in doc._.hc_quotes] == [(s.start_char, s.end_char) for s in spans]


def test_factory_declares_what_it_needs_and_sets(nlp):
    meta = nlp.get_pipe_meta("healthclaims_quotes")
    assert "doc.spans" in meta.assigns and "doc._.hc_quotes" in meta.assigns
    assert {"token.dep", "doc.ents"} <= set(meta.requires)


def test_missing_parser_is_a_clear_error(nlp):
    from healthclaims.components.base import MissingAnnotation

    doc = nlp.make_doc("“The drug is safe for most adults,” she said.")
    with pytest.raises(MissingAnnotation, match="healthclaims_quotes needs a dependency parse"):
        nlp.get_pipe("healthclaims_quotes")(doc)


def test_rules_travel_with_the_pipeline(nlp, tmp_path):
    # Saved with a changed verb list, the component loads that list, not the shipped file.
    quotes = nlp.get_pipe("healthclaims_quotes")
    text = PERSON + "“The drug is safe for most adults and for older children,” Roe murmured."
    assert [q.speaker for q in nlp(text)._.hc_quotes] == [None]  # no cue: the quote is unattributed
    saved = dict(quotes.rule_texts)
    try:
        quotes.rule_texts["verbs"] += '{"form": "murmured", "lemma": "murmur"}\n'
        quotes.to_disk(tmp_path / "q")
    finally:
        quotes.rule_texts = saved
    fresh = QuoteExtractor(nlp, "q").from_disk(tmp_path / "q")
    doc = fresh(nlp(text))
    assert [(q.cue, doc._.hc_speakers[q.speaker].name) for q in doc._.hc_quotes] == [("murmured", "Jane Roe")]


def test_a_document_speaker_reaches_a_valid_record(nlp):
    # "the report said" is given as written, with kind "document", and the record validates.
    from healthclaims.batch.runner import extract_one
    from healthclaims.io.textio import article_from_text
    from healthclaims.records.models import Record

    text = ("Hospital Report Warns on Infections\n\nInfections after surgery rose by a fifth last year. "
            "\u201cHand washing remains the single most important step,\u201d the report said.\n")
    record = extract_one(article_from_text(text, "r.txt", "0" * 64), "r", nlp=nlp)
    Record.model_validate_json(record.model_dump_json())
    assert [(s.name, s.kind) for s in record.speakers] == [("the report", "document")]
    assert record.quotes[0].speaker_id == record.speakers[0].id


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“She could not walk for a month,” her mother said.", "her mother"),
        ("“The pain was gone within days,” another patient said.", "another patient"),
        ("“I slept better than I had in years,” one participant said.", "one participant"),
    ],
)
def test_relational_and_unnamed_speakers_are_given_as_written(nlp, text, speaker):
    assert _quotes(nlp(text)) == [(text[1 : text.index("”")], speaker)]


def test_patients_in_the_plural_stay_a_vague_appeal(nlp):
    text = "Patients say the brace helps them walk farther without pain."
    assert _quotes(nlp(text), "indirect") == []


def test_an_inverted_informs_cue_names_the_described_person(nlp):
    text = "“The extract can ease the pain that comes with the disease,” informs the expert Lidia Marquez from the plant group."
    assert _quotes(nlp(text), "direct") == [("The extract can ease the pain that comes with the disease,", "Lidia Marquez")]


def test_a_one_sentence_paragraph_naming_a_person_introduces_the_next_paragraphs_quote(nlp):
    text = (
        "“The trial was too short to tell,” said Dr. Ann Quell of Quilby University.\n\n"
        "Dr. Karl Zorb disagrees.\n\n"
        "“The effect was large and it lasted for months. Doctors should take note.”"
    )
    doc = nlp(text)
    assert _quotes(doc, "direct")[-1] == ("The effect was large and it lasted for months. Doctors should take note.", "Karl Zorb")
    # without the introduction, the quote goes on in the voice of the last speaker (news quotes run on)
    plain = nlp(text.replace("Dr. Karl Zorb disagrees.\n\n", ""))
    assert _quotes(plain, "direct")[-1][1] == "Ann Quell"


def test_a_name_left_unattached_before_told_is_the_speaker_not_its_institution():
    # The parser can leave "expert Lena Marsh of Harbor Center told the Courier" with no subject of
    # "told" and the name hanging elsewhere: the speaker is the person the "of ..." phrase describes.
    from healthclaims.components.quotes.attribution import subjects
    from healthclaims.components.quotes.rules import default_rules
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    words = ["expert", "Lena", "Marsh", "of", "Harbor", "Center", "told", "the", "Courier", "."]
    heads = [2, 2, 6, 2, 5, 3, 6, 8, 6, 6]
    deps = ["compound", "compound", "npadvmod", "prep", "compound", "pobj", "ROOT", "det", "dobj", "punct"]
    pos = ["NOUN", "PROPN", "PROPN", "ADP", "PROPN", "PROPN", "VERB", "DET", "PROPN", "PUNCT"]
    tags = ["NN", "NNP", "NNP", "IN", "NNP", "NNP", "VBD", "DT", "NNP", "."]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos, tags=tags)
    doc.ents = [Span(doc, 1, 3, "PERSON"), Span(doc, 4, 6, "ORG")]
    assert [t.text for t in subjects(doc[6], default_rules(), addressed=True)][:1] == ["Marsh"]


def test_the_articles_own_pronoun_tells_the_gender_of_a_first_name_used_by_both(nlp):
    # "Alex" is mostly a man's name in the name table; the article says "she" right after introducing her.
    text = (
        "Alex Quorn, 25, took up running two years ago. Then she developed knee pain.\n\n"
        "So Quorn went to see the therapist Matt Zell. He taught her new exercises.\n\n"
        "“This has changed my life,” she says."
    )
    assert _quotes(nlp(text), "direct") == [("This has changed my life,", "Alex Quorn")]


def test_a_quote_after_an_adverbial_lead_in_runs_on_in_the_last_speakers_voice(nlp):
    text = (
        "Clinics rarely treat pain in people with addiction, Quorn says.\n\n"
        "To make matters worse, “Past studies have left these patients out. So they are caught in the middle.”\n\n"
        "As a result, patients “are left with nothing at all to help them” in many clinics."
    )
    direct = _quotes(nlp(text), "direct")
    assert direct[0] == ("Past studies have left these patients out. So they are caught in the middle.", "Quorn")
    # a fragment inside the article's own clause (it has a subject) is not the speaker's
    assert direct[1] == ("are left with nothing at all to help them", None)


@pytest.mark.parametrize(
    "text, speaker",
    [
        # a person of its own inside a relative clause reports on what the clause describes
        ("Dr. Joshua Quell prefers the older approach, which he says has been reliable for him.", "Joshua Quell"),
        # a reporting participle after a preposition of the main clause
        ("Dr. Karen Zell tempered the hope by noting that the work is also controversial among surgeons.", "Karen Zell"),
        # a gerund clause says what to do
        ("Dr. Karen Zell recommended taking an intensive stretching class, then establishing a routine.", "Karen Zell"),
        # an inverted attribution in the middle of the sentence, whose report goes on after it
        ("Dr. Alan Quell treats pain. The problem, said Quell, is that such options entail risks.", "Alan Quell"),
        # a possessive makes the plural people definite: given as written
        ("Pamela Quorn had tried for years. Pamela’s doctors said her tubes were blocked and that surgery was her only option.",
         "Pamela’s doctors"),
    ],
)
def test_more_ways_of_reporting_speech(nlp, text, speaker):
    assert [s for _, s in _quotes(nlp(text), "indirect")] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        # a common-noun group inside a relative clause only describes someone
        "Bob Quell, 42, who researchers believe is the first patient to try the implant, walked again.",
        # a vague set of people stays an appeal
        "Many of her doctors said the tubes were blocked for good.",
        # a thing's people are no one in particular
        "The therapy is new. Its practitioners believe it will transform the field of orthopedics.",
        # "by" with a participle that reports nothing
        "Dr. Karen Zell ended the day by noting the time.",
    ],
)
def test_descriptions_and_appeals_are_no_indirect_quotes(nlp, text):
    assert _quotes(nlp(text), "indirect") == []


@pytest.mark.parametrize(
    "text",
    [
        "Students cycle through stances with poetic names, such as “white crane spreads its wings.”",
        "It is a technique known as “the rolling pin method” among runners.",
        "She has a condition called “the silent back disease” by some doctors.",
    ],
)
def test_a_name_or_term_the_article_introduces_is_no_quote(nlp, text):
    assert _quotes(nlp(text)) == []


def test_a_person_calling_something_a_name_is_still_speech(nlp):
    text = "Dr. Jane Roe called it “a disgrace to modern medicine.”"
    assert _quotes(nlp(text), "direct") == [("a disgrace to modern medicine.", "Jane Roe")]


@pytest.mark.parametrize("text, expected", WOVEN_ON)
@pytest.mark.parametrize("woven", [True, False])
def test_reported_speech_quoting_its_clause_follows_the_setting(nlp, text, expected, woven):
    extractor = QuoteExtractor(nlp, "q", woven_quote_indirect=woven)
    doc = extractor(nlp(text))
    speakers = doc._.hc_speakers
    got = [(q.kind, q.text, speakers[q.speaker].name if q.speaker is not None else None) for q in doc._.hc_quotes]
    assert sorted(got) == sorted(expected if woven else [e for e in expected if e[0] == "direct"])


def test_people_named_together_as_one_subject_speak_as_one(nlp):
    text = (
        "Lindsey Quorn, a researcher at Quilby University, led the work with Brian Zell, a professor there.\n\n"
        "Quorn and Zell say one finding that is still not clear is the link between walking and sleep.\n\n"
        "Quorn and colleagues found that the effect was large."
    )
    indirect = _quotes(nlp(text), "indirect")
    assert [s for _, s in indirect] == ["Lindsey Quorn and Brian Zell", "Lindsey Quorn"]
