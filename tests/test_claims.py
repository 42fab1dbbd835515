"""Tests for the claims component: claim types, filters, hedges, negation, citation and speaker linking."""

from __future__ import annotations

import pytest
from healthclaims.components.claims.component import ClaimExtractor, ClaimRule
from healthclaims.components.common import doc_index
from healthclaims.resources import ResourceError, load_jsonl
from healthclaims.types import CitationHit, Mention, QuoteHit, SpeakerHit


def rerun(nlp, doc, citations=(), quotes=(), speakers=(), boilerplate=()):
    """Replace the other components' results with hand-built ones and run the claims component again."""
    doc._.hc_citations = list(citations)
    doc._.hc_quotes = list(quotes)
    doc._.hc_speakers = list(speakers)
    doc._.hc_boilerplate = list(boilerplate)
    return nlp.get_pipe("healthclaims_claims")(doc)


def claims_of(nlp, text, **results):
    return rerun(nlp, nlp(text), **results)._.hc_claims


def hit(text: str, piece: str, kind: str = "author_year", mentions=()) -> CitationHit:
    start = text.index(piece)
    return CitationHit(start, start + len(piece), piece, kind, mentions=list(mentions))


def mention(text: str, piece: str) -> Mention:
    start = text.index(piece)
    return Mention.of(text, start, start + len(piece))


@pytest.mark.parametrize(
    "text, expected_type",
    [
        ("Daily walking reduced blood pressure in older adults with hypertension.", "efficacy"),
        ("The new inhaler relieves asthma symptoms within minutes.", "efficacy"),
        ("The vaccine caused serious side effects in a small number of children.", "safety"),
        ("Taking the supplement with blood thinners raises the risk of bleeding complications.", "safety"),
        ("Migraine is common and affects millions of people worldwide.", "prevalence"),
        ("Chronic pain sufferers frequently turn to yoga as an alternative to medication.", "prevalence"),
        ("The drug was approved by the FDA for adults with severe eczema.", "regulatory"),
        ("Records of therapy sessions are protected under HIPAA privacy rules.", "regulatory"),
        ("Stretching releases tension in the fascia and increases blood flow to the muscle.", "mechanism"),
        ("Researchers found that the results were mixed across the trials.", "evidence"),
    ],
)
def test_claim_types(nlp, text, expected_type):
    claims = claims_of(nlp, text)
    assert [(c.text, c.type) for c in claims] == [(text, expected_type)]
    assert claims[0].triggers, "a claim names the rules that fired"
    assert all(":" in t for t in claims[0].triggers)


@pytest.mark.parametrize(
    "text",
    [
        "Does acupuncture relieve chronic back pain?",  # question
        "Ask your doctor whether the treatment is safe for you.",  # advice
        "Before starting, talk to your doctor about the risks of side effects.",  # advice
        "In addition to checking credentials, ask the therapist about their training in pain care.",  # imperative
        "Dr. Maria Lopez is director of the pain clinic at a university hospital.",  # person description
        "Sometimes she finds that gentle pressure is the most effective treatment for pain.",  # anecdote
        "To test the approach, the team randomly assigned 40 patients to the program.",  # study method
        "The report was published online Monday in a pediatrics journal.",  # the citation sentence
        "Patients should wear the brace for no longer than two weeks.",  # advice to readers
        "The weather was pleasant on the day of the concert.",  # nothing about health
    ],
)
def test_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "text, expected_type",
    [
        # A verdict on research is evidence, whatever its adjective.
        ("Research on acupuncture for migraine is mixed.", "evidence"),
        ("The evidence for herbal sleep aids is thin.", "evidence"),
        ("The studies so far are small and preliminary, and larger trials are needed.", "evidence"),
        # What a study found about an intervention is an efficacy claim, not "evidence".
        ("A review of twelve trials found that yoga reduced back pain in office workers.", "efficacy"),
        # Short statements with one cue and a health word as subject.
        ("Osteoporosis is common in older women.", "prevalence"),
        ("Obesity can worsen knee pain.", "mechanism"),
        ("There is no cure for psoriasis.", "efficacy"),
        ("Sleep loss can weaken the immune system, making people susceptible to infections.", "mechanism"),
        ("Two painkillers were taken off the market after they were linked to liver damage.", "safety"),
        # A publication note inside a finding does not make the finding a publication note.
        ("The vitamin pills worked no better than a placebo in a trial published in a cardiology journal.", "efficacy"),
        # "didn't work": the subject hangs on the auxiliary, and this is no imperative.
        ("Bottom line: the cream didn't work and caused skin rashes.", "efficacy"),
        # The law on a drug: how it is scheduled, what its prescribers or researchers must do.
        ("The herb is classified as a Schedule I controlled substance.", "regulatory"),
        ("Laboratories studying the herb must meet federal security requirements.", "regulatory"),
        # A title-cased headline whose subject the tagger takes for a person.
        ("Migraine Relief Patch May Help Some Patients Sleep", "efficacy"),
    ],
)
def test_claims_found_and_typed_by_topic(nlp, text, expected_type):
    assert [(c.text, c.type) for c in claims_of(nlp, text)] == [(text, expected_type)]


@pytest.mark.parametrize(
    "text",
    [
        "The research was funded by a grant from a national heart charity.",  # funding note
        "The funders had no role in the design of the trial or the analysis of its data.",  # disclosure
        "The researchers hope the device will help people with paralysis walk again.",  # a plan
        "The team collected blood samples from the runners before and after the race.",  # study method
        "For this study, the authors compared 420 runners with knee pain to 380 runners without it.",  # who was studied
        "The six-month trial took a range of measurements including blood pressure and heart rate.",  # what was measured
        "The researchers developed a diet score based on answers about fruit, fish and red meat.",  # how it was scored
        "Her next study will give low doses of vitamin D to children at risk of asthma.",  # a plan
        "The results are to be presented next month at a meeting of heart specialists.",  # a plan
        "She stepped onto the balcony and felt the pain in her back fade away.",  # one person's story
        "Dr. Alan Smith was not involved in the new research on knee braces.",  # who took no part
        "Jane Roe is not one of the researchers behind this study of sleep and pain.",  # who took no part
        "The study was made available online last month ahead of publication in a nutrition journal.",  # publication
        (
            "Reference:\n\nSleep Quality and Chronic Pain in Older Adults With Arthritis: "
            "A Randomized Controlled Trial."
        ),  # the title of a paper
    ],
)
def test_more_non_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == []


def test_a_source_not_involved_in_the_study_still_makes_claims(nlp):
    text = "Dr. Alan Smith, who was not involved in the study, said the brace reduced knee pain in older adults."
    assert [c.text for c in claims_of(nlp, text)] == [text]


@pytest.mark.parametrize(
    "text",
    [
        "I get migraines less often now, but they can last for several days.",
        "As I grew older, my body changed and my headaches became more frequent.",
        "The cream was supposed to soothe the rash, and it worked for me.",
    ],
)
def test_the_writers_own_story_is_no_claim(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Several surgeons I contacted say the brace reduces knee pain in older adults.",
        "The nurse told me the cream reduces itching in most patients with eczema.",
    ],
)
def test_what_the_writer_heard_or_learned_is_still_a_claim(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_a_measured_result_about_one_patient_is_kept(nlp):
    text = "With the implant switched on, his walking speed after the stroke was twice as fast as before."
    assert [c.text for c in claims_of(nlp, text)] == [text]


@pytest.mark.parametrize(
    "text, hedged, cues",
    [
        ("Massage may reduce pain in patients with arthritis.", True, ["may"]),
        ("A new study suggests that yoga improves sleep in older adults.", True, ["suggests"]),
        ("Research on the efficacy of cupping for pain relief is mixed.", True, ["mixed"]),
        ("Acupuncture could possibly ease hot flashes in women with cancer.", True, ["could", "possibly"]),
        ("Daily walking reduced blood pressure in older adults with hypertension.", False, []),
    ],
)
def test_hedges(nlp, text, hedged, cues):
    (claim,) = claims_of(nlp, text)
    assert claim.hedged is hedged
    assert [m.text for m in claim.hedge_cues] == cues
    assert all(text[m.start : m.end] == m.text for m in claim.hedge_cues)


@pytest.mark.parametrize(
    "text, negated",
    [
        ("Releasing the fascia does not have to be painful to be effective.", True),
        ("The trial found no benefit of the drug over placebo for pain.", True),
        ("Researchers found that the supplement did not reduce the risk of fractures.", True),
        ("The treatment never caused serious side effects in the trial.", True),
        # a negation inside a side clause does not negate the claim
        ("Therapy records matter since therapists do not have access to hospital records under HIPAA.", False),
        ("Exercise lowers the risk of death in older adults.", False),
    ],
)
def test_negation(nlp, text, negated):
    (claim,) = claims_of(nlp, text)
    assert claim.negated is negated
    assert bool(claim.negation_cues) is negated


CITED = (
    "Yoga for back pain\n\n"
    "Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021). "
    "Patients in the yoga group also reported less disability after six months.\n\n"
    "Studies show that stretching relieves neck pain in office workers.\n\n"
    "The authors proposed that yoga improves pain by reducing muscle tension.\n\n"
    "Massage has minimal side effects when a licensed therapist performs it."
)


def test_citation_linking(nlp):
    citation = hit(CITED, "Okafor et al., 2021")
    claims = {c.text: c for c in claims_of(nlp, CITED, citations=[citation])}
    assert claims["Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021)."].citations == [
        0
    ]
    # the next sentence of the same paragraph continues the study's results
    assert claims["Patients in the yoga group also reported less disability after six months."].citations == [0]
    # "the authors" refers back to the cited work across a paragraph break
    assert claims["The authors proposed that yoga improves pain by reducing muscle tension."].citations == [0]
    # a vague appeal names no work; a new paragraph without a reference is not cited
    assert claims["Studies show that stretching relieves neck pain in office workers."].citations == []
    assert claims["Massage has minimal side effects when a licensed therapist performs it."].citations == []


def test_a_group_of_body_parts_is_no_study_group(nlp):
    text = (
        "Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021).\n\n"
        "Massage is popular.\n\n"
        "By opposing one group of muscles against another, stretching stimulates the bone cells.\n\n"
        "In one group of volunteers, back pain fell by 50 percent after yoga."
    )
    claims = {c.text: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    # "one group of muscles" is anatomy, not the trial's arm: no link two paragraphs on
    assert claims["By opposing one group of muscles against another, stretching stimulates the bone cells."].citations == []
    # a group of people still continues the study's results
    assert claims["In one group of volunteers, back pain fell by 50 percent after yoga."].citations == [0]


def test_a_significance_statement_continues_the_study_into_the_next_paragraph(nlp):
    text = (
        "Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021).\n\n"
        "Gains in hip strength were seen as well, but they were not statistically significant.\n\n"
        "Massage is popular.\n\n"
        "Stretching improves hip strength, but the gains are not statistically significant."
    )
    claims = {c.text: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    assert claims["Gains in hip strength were seen as well, but they were not statistically significant."].citations == [0]
    # only into the next paragraph: after an unrelated one, the study is no longer being reported
    assert claims["Stretching improves hip strength, but the gains are not statistically significant."].citations == []


def test_people_described_by_what_they_did_are_the_studys_participants(nlp):
    text = (
        "Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021).\n\n"
        "Massage is popular.\n\n"
        "Many of those who avoided painkillers had less stomach pain.\n\n"
        "Many of those who avoid painkillers have less stomach pain."
    )
    claims = {c.text: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    assert claims["Many of those who avoided painkillers had less stomach pain."].citations == [0]
    # in the present tense they are anyone: no study is being reported
    assert claims["Many of those who avoid painkillers have less stomach pain."].citations == []


def test_a_described_study_noun_refers_back_like_the_study(nlp):
    text = (
        "Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021).\n\n"
        "Massage is popular.\n\n"
        "The small pilot study eased pain in 20 patients with severe knee pain.\n\n"
        "Massage is popular.\n\n"
        "The previous trial eased pain in 20 patients with severe knee pain."
    )
    claims = {c.start: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    assert claims[text.index("The small pilot")].citations == [0]
    # "the previous trial" is another one: no back reference to the study under discussion
    assert claims[text.index("The previous trial")].citations == []


def test_the_women_continue_the_study_however_far_on(nlp):
    text = (
        "Yoga reduced hot flashes more than usual care in a large trial (Okafor et al., 2021).\n\n"
        "Massage is popular.\n\n"
        "The women reported fewer hot flashes during the treatment.\n\n"
        "Massage is popular.\n\n"
        "Acupuncture reduces hot flashes in women by half."
    )
    claims = {c.start: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    assert claims[text.index("The women")].citations == [0]
    assert claims[text.index("Acupuncture reduces")].citations == []  # without "the women", no link


def test_a_treatment_named_group_and_this_result_refer_to_the_study(nlp):
    text = (
        "Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021).\n\n"
        "Massage is popular.\n\n"
        "After 12 months, the yoga group had lost 6 kg more weight than the others.\n\n"
        "Massage is popular.\n\n"
        '"This result suggests that pain care should be an important goal of surgery," the surgeon writes.\n\n'
        "Massage is popular.\n\n"
        "After 12 months, the support group had lost 6 kg more weight than the others."
    )
    claims = {c.start: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    assert claims[text.index("After 12 months, the yoga")].citations == [0]
    assert claims[text.index('"This result')].citations == [0]
    # a support group is no study arm
    assert claims[text.index("After 12 months, the support")].citations == []


def test_a_hyphenated_study_description_and_trial_arms_refer_to_the_study(nlp):
    text = (
        "Yoga reduced back pain more than usual care in a large trial (Okafor et al., 2021).\n\n"
        "Massage is popular.\n\n"
        "The government-funded study also showed that yoga eased knee pain in older adults.\n\n"
        "Massage is popular.\n\n"
        "Pain fell by 30% in those randomly assigned to yoga, against 10% with usual care.\n\n"
        "Massage is popular.\n\n"
        "Sleep scores also differed between the groups.\n\n"
        "Massage is popular.\n\n"
        "In all, 12% of patients stopped their assigned treatment early.\n\n"
        "Massage is popular.\n\n"
        "In all, 12% of patients stopped their treatment early."
    )
    claims = {c.start: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    for start in ("The government-funded", "Pain fell", "Sleep scores", "In all, 12% of patients stopped their assigned"):
        assert claims[text.index(start)].citations == [0], start
    # without an arm of the trial, a rate of patients is anyone's
    assert claims[text.index("In all, 12% of patients stopped their treatment")].citations == []


def test_citation_mentions_link_claims(nlp):
    text = (
        "A new trial suggests that tai chi may ease knee pain.\n\n"
        "Tai chi lowered pain scores by 30 percent compared with stretching.\n\n"
        "The results were published in a rheumatology journal."
    )
    citation = hit(text, "published in a rheumatology journal", kind="prose", mentions=[mention(text, "A new trial")])
    claims = claims_of(nlp, text, citations=[citation])
    assert [c.text for c in claims] == [
        "A new trial suggests that tai chi may ease knee pain.",
        "Tai chi lowered pain scores by 30 percent compared with stretching.",
    ]
    assert claims[0].cited and claims[0].citations == [0]
    # a figure in the past tense in the next paragraph goes on reporting the trial the lede introduced
    assert claims[1].citations == [0]
    assert claims[1].type in {"efficacy", "statistic"}


def test_an_outside_doctors_view_beside_a_study_is_not_the_studys(nlp):
    text = (
        "A new review of 40 trials found that the injections have minimal benefits for knee pain.\n\n"
        "Knee pain is very common, and the injections remain one of few options for many patients, "
        "says Dr. Ann Quell, who was not affiliated with the review."
    )
    citation = hit(text, "A new review of 40 trials", kind="prose")
    claims = claims_of(nlp, text, citations=[citation])
    assert [c.citations for c in claims] == [[0], []]


def test_no_citations_means_not_cited(nlp):
    (claim,) = claims_of(nlp, "The authors found that yoga reduced back pain in adults.")
    assert claim.citations == [] and not claim.cited


def test_direct_quote_is_the_claim_and_keeps_its_speaker(nlp):
    text = "\u201cWhen muscles stay tense for months, the fascia tightens and causes pain,\u201d she explained."
    start, end = 1, text.index("\u201d")
    quote = QuoteHit(start, end, text[start:end], "direct", speaker=0, cue="explained")
    claims = claims_of(nlp, text, quotes=[quote], speakers=[SpeakerHit("Ann Smith")])
    assert [(c.start, c.end, c.text) for c in claims] == [(start, end, text[start:end])]
    assert claims[0].quote == 0 and claims[0].speaker == 0


def test_every_sentence_of_a_long_quote_by_a_lead_author_speaks_for_the_study(nlp):
    text = (
        "Yoga eased back pain in a large trial (Okafor et al., 2021), said lead author Ann Okafor.\n\n"
        "Massage is popular.\n\n"
        "\u201cI think yoga is wonderful. Pain scores fell by half after ten weeks of practice. "
        "Nobody expected that,\u201d Okafor said."
    )
    start = text.index("\u201c") + 1
    end = text.index("\u201d")
    quote = QuoteHit(start, end, text[start:end], "direct", speaker=0, cue="said")
    author = text.index("Ann Okafor")
    speaker = SpeakerHit("Ann Okafor", mentions=[mention(text, "Ann Okafor"), Mention.of(text, author + 4, author + 10)])
    claims = {c.start: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")], quotes=[quote],
                                             speakers=[speaker])}
    assert claims[text.index("Pain scores fell")].citations == [0]  # the middle sentence is Okafor's too


def test_a_lead_author_finding_in_the_first_person_speaks_for_the_study_despite_research_in_general(nlp):
    text = (
        "Yoga eased back pain in a large trial (Okafor et al., 2021), said lead author Ann Okafor.\n\n"
        "Massage is popular.\n\n"
        "\u201cI think yoga is wonderful. Pooling several studies, we found that yoga eased pain in most adults. "
        "Nobody expected that,\u201d Okafor said.\n\n"
        "\u201cI think yoga is wonderful. Several studies show that yoga eased pain in most adults,\u201d Okafor said."
    )
    quotes = []
    for k in (0, 1):
        start = [i for i, ch in enumerate(text) if ch == "\u201c"][k] + 1
        end = text.index("\u201d", start)
        quotes.append(QuoteHit(start, end, text[start:end], "direct", speaker=0, cue="said"))
    author = text.index("Ann Okafor")
    speaker = SpeakerHit("Ann Okafor", mentions=[mention(text, "Ann Okafor"), Mention.of(text, author + 4, author + 10)])
    claims = {c.start: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")], quotes=quotes,
                                             speakers=[speaker])}
    assert claims[text.index("Pooling several")].citations == [0]
    # without the team's own "we found", research in general is no link
    assert claims[text.index("Several studies show")].citations == []


@pytest.mark.parametrize("cue", ["have not yet been published", "are unpublished", "will be out before they're published"])
def test_findings_not_yet_published_take_no_link(nlp, cue):
    text = (
        "Yoga eased back pain in a large trial (Okafor et al., 2021).\n\n"
        f"Her findings on walking {cue}, but they show that walking eased back pain in most adults."
    )
    citation = hit(text, "Okafor et al., 2021", mentions=[mention(text, "findings")])
    claims = {c.start: c for c in claims_of(nlp, text, citations=[citation])}
    assert claims[text.index("Her findings")].citations == []


def test_how_common_a_condition_is_in_the_population_is_background_to_the_study(nlp):
    text = (
        "Yoga eased back pain in a large trial (Okafor et al., 2021). "
        "Back pain affects 20 percent of the adult population in Quilby.\n\n"
        "Yoga eased back pain in a large trial (Roe et al., 2020). "
        "Pain fell by 20 percent, and most of them slept better."
    )
    citations = [hit(text, "Okafor et al., 2021"), hit(text, "Roe et al., 2020")]
    claims = {c.start: c for c in claims_of(nlp, text, citations=citations)}
    assert claims[text.index("Back pain affects")].citations == []
    # a figure with "most of them" is the study's result
    assert claims[text.index("Pain fell")].citations == [1]


@pytest.mark.parametrize("other", ["studies recently published that say", "trials that show"])
def test_studies_that_say_otherwise_are_other_research(nlp, other):
    text = f"Yoga eased back pain in a large trial (Okafor et al., 2021). This differs from {other} massage eases pain."
    claims = {c.start: c for c in claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])}
    assert claims[text.index("This differs")].citations == []


def test_indirect_quote_sentence_gets_the_speaker(nlp):
    text = "Smith emphasizes that exercise reduces the risk of heart disease."
    quote = QuoteHit(0, len(text), text, "indirect", speaker=0, cue="emphasizes")
    (claim,) = claims_of(nlp, text, quotes=[quote], speakers=[SpeakerHit("Jane Smith")])
    assert claim.speaker == 0 and claim.quote == 0


def test_boilerplate_is_skipped_and_trimmed(nlp):
    text = "MONDAY, May 2 (HealthDay News) -- Exercise lowers the risk of heart disease.\n\nLeave a Reply"
    dateline = mention(text, "MONDAY, May 2 (HealthDay News) --")
    claims = claims_of(nlp, text, boilerplate=[dateline, mention(text, "Leave a Reply")])
    assert [c.text for c in claims] == ["Exercise lowers the risk of heart disease."]
    assert all(text[c.start : c.end] == c.text for c in claims)


def test_check_worthiness_rewards_numbers_and_citations(nlp):
    text = "Yoga cut back pain by 40 percent in adults (Okafor et al., 2021).\n\nMassage may help people relax."
    claims = claims_of(nlp, text, citations=[hit(text, "Okafor et al., 2021")])
    assert len(claims) == 2
    assert 0.0 <= claims[1].check_worthiness < claims[0].check_worthiness <= 1.0


def test_rules_file_is_validated(tmp_path):
    bad = tmp_path / "rules.jsonl"
    bad.write_text('# comment\n{"id": "x", "label": "nonsense", "pattern": "side effects"}\n', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"rules.jsonl:2\]"):
        load_jsonl(bad, ClaimRule)


def test_rule_id_with_two_labels_is_rejected(nlp, tmp_path, monkeypatch):
    (tmp_path / "rules.jsonl").write_text(
        '{"id": "a", "label": "efficacy", "pattern": "relief"}\n{"id": "a", "label": "safety", "pattern": "harm"}\n',
        encoding="utf-8",
    )
    (tmp_path / "cues.jsonl").write_text('{"id": "c", "pattern": "may"}\n', encoding="utf-8")
    monkeypatch.setenv("HEALTHCLAIMS_MODELS", str(tmp_path))
    with pytest.raises(ResourceError, match="two labels"):
        ClaimExtractor(nlp, rules_file="rules.jsonl", hedges_file="cues.jsonl", negations_file="cues.jsonl")


# The sample article's gold claims: (start of the text, cited, hedged, negated).
SAMPLE_CLAIMS = [
    ("Chronic back pain sufferers frequently consider", False, False, False),
    ("There are some obvious advantages", False, False, False),
    ("Research regarding efficacy of massage", False, True, False),
    ("In a systematic review published", True, False, False),
    ("The authors proposed that heterogeneity", True, False, False),
    ("In addition, massage treatments cover", True, False, False),
    ("Given that massage performed by a licensed therapist", False, False, False),
    ("The patient\u2019s history is also important", False, False, False),
    ("VanDam emphasizes that fascia", False, False, False),
    ("This is particularly important when treating", False, True, False),
    ("However, releasing the fascia does not necessarily", False, False, True),
    ("When someone has pain for a long time", False, False, False),
    ("If the patient is amenable, cupping", False, False, False),
    ("Massage can also be a form of relaxation", False, True, False),
    ("This may be particularly beneficial", False, True, False),
]


def sample_results(text: str) -> dict:
    """What the citation, quote and boilerplate components should give on the sample article."""
    quotes = []
    for piece in (
        "You have to release the fascia, so it doesn\u2019t hold onto the muscle,",
        "Massage doesn\u2019t always have to be deep to be good,",
        "When someone has pain for a long time, the fascia puts a hold on the muscle,",
    ):
        m = mention(text, piece)
        quotes.append(QuoteHit(m.start, m.end, m.text, "direct", speaker=0, cue="explains"))
    indirect = mention(
        text,
        "VanDam emphasizes that fascia should be a primary focus of good massage, given its structural role within the body.",
    )
    quotes.append(QuoteHit(indirect.start, indirect.end, indirect.text, "indirect", speaker=0, cue="emphasizes"))
    quotes.sort(key=lambda q: q.start)
    return {
        "citations": [hit(text, "Kumar et al., 2013"), hit(text, "Cherkin et al., 2009")],
        "quotes": quotes,
        "speakers": [SpeakerHit("Victoria VanDam")],
        "boilerplate": [mention(text, "Leave a Reply\n\nYour email address will not be published.")],
    }


def test_sample_gold_claims(nlp, sample_text):
    claims = claims_of(nlp, sample_text, **sample_results(sample_text))
    got = [(c.text[: len(prefix)], c.cited, c.hedged, c.negated) for c, (prefix, *_) in zip(claims, SAMPLE_CLAIMS)]
    assert len(claims) == len(SAMPLE_CLAIMS)
    assert got == SAMPLE_CLAIMS
    quote_claim = claims[11]
    assert quote_claim.text == "When someone has pain for a long time, the fascia puts a hold on the muscle,"
    assert quote_claim.speaker == 0
    assert claims[8].speaker == 0  # the indirect quote
    assert all(sample_text[c.start : c.end] == c.text for c in claims)
    assert claims == sorted(claims, key=lambda c: c.start)


def test_sample_full_pipeline_rejects_non_claims(sample_doc):
    texts = [c.text for c in sample_doc._.hc_claims]
    for fragment in ("Should You Consider Massage", "ask the therapist", "Leave a Reply", "Your email address"):
        assert not any(fragment in t for t in texts), fragment
    for prefix, *_ in SAMPLE_CLAIMS:
        assert any(t.startswith(prefix) or prefix in t for t in texts), prefix


@pytest.mark.parametrize(
    "text",
    [
        "This new approach to treating arthritis could change everything for patients.",  # rhetoric
        "Sessions at the clinic are free of charge and last about an hour.",  # a service description
        "One group walked daily for a month while the other group stretched at home.",  # study design
        "The team is testing the drug in a larger trial of heart patients.",  # a study under way
        "Final results from this clinical trial are expected to be released this summer.",
        "Researchers are already kicking off a second, larger trial to better understand how the patch works.",
        "The company is currently working on another study, which will include about 60 women.",
        # what a study was built to do, and who went into it, are its design
        "The two new trials were designed to fill that gap in the evidence for toddlers with ear pain.",
        "Forty adults with type 2 diabetes embarked on a diet of 700 calories a day.",
        "The mice with vascular dementia received the treatment on the first, third and fifth days after surgery.",
        "The women received 11 acupuncture sessions over a period of three months.",
        # a verdict on the results, and nothing more
        "\u201cThe results are impressive,\u201d he told a reporter by phone.",
        "We are very encouraged by the results.",
        # a sentence under an inline methods label of a structured summary
        "How (Study Design): This was a randomized clinical trial (RCT).",
        "What (Study Measures): The between-group difference in pain two hours after taking the study drugs.",
        # who got the comparison, and what the other arm did
        "But other children got a placebo -- a toy car that paid no attention to their brain waves.",
        "The remaining 34 patients received a placebo in addition to their regular treatment.",
        "Half of the children played a video game controlled by their brain waves.",
        # what someone ought to do, with no modal: advice, not a fact
        "Parents need to weigh the benefits of antibiotics against the side effects their child may suffer.",
        "Surgeons need to choose the approach that gives their patients the best outcomes.",
        "Individuals should consult a physical therapist to determine the best approach for their needs.",
        # a speaker's own story, however the parser hangs its clauses together
        "For six weeks, I had to sleep on my back, couldn’t cross my legs and wasn’t able to drive.",
        "After the second operation, I didn’t take any pain pills once I was home, slept on my side and drove in two weeks.",
        # a speaker's praise of their own work, and the research they would like done next
        "These findings provide hope for people who thought their recovery was over.",
        "This is an important finding for everyone who treats back pain.",
        "Perhaps future studies could investigate the added benefit of acupuncture for chronic pain.",
        "Both doctors agreed that much larger trials should be done before they would recommend the vitamin.",
        "We would also remind patients to observe recommended limits for alcohol consumption.",
        "The main strength of this study is that we could use real data from very large numbers of people.",
        # who wrote and paid for a study, and what it measured, are notes on the study, not findings
        "A maker of standing desks, which sells the device used in the trial, funded the research.",
        "Two nurses from the clinic are co-authors on the paper about blood pressure.",
        "It involved 300 adults with chronic neck pain that had no specific cause.",
        "The study measured changes in pain and mobility at six weeks, 12 weeks and six months.",
    ],
)
def test_rhetoric_services_and_study_design_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "method",
    [
        (
            "The women recorded their hot flashes in diaries, noting frequency and severity, for 8 weeks of treatment, "
            "and then went on keeping track of them up to 24 weeks in all."
        ),
        "The investigators used a hot flash score to see how much frequency and severity changed from the start.",
        "In the study, exercise sessions were individually prescribed based on exercise tests and heart rate.",
        (
            "The volunteers built up to those levels, beginning with three, 30-minute, moderate exercise sessions per "
            "week in the first three months, and then adding more sessions."
        ),
    ],
)
def test_how_a_study_was_run_is_no_claim_after_its_finding(nlp, method):
    finding = "The drug cut hot flashes by half in a trial of 300 women."
    assert [c.text for c in claims_of(nlp, finding + " " + method)] == [finding]


@pytest.mark.parametrize(
    "text",
    [
        "Collagen is a protein that gives skin its strength and elasticity.",  # a background definition
        "It's rarely used for back pain, she said.",  # a reported statement
    ],
)
def test_definitions_and_reported_statements_are_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_a_sentence_introducing_a_study_and_its_finding_is_a_claim(nlp):
    text = "A study of 900 teenagers published in May in a pediatrics journal found that screen time raised neck pain."
    citation = hit(text, "A study of 900 teenagers published in May in a pediatrics journal", kind="prose")
    (claim,) = claims_of(nlp, text, citations=[citation])
    assert claim.text == text and claim.citations == [0]
    # the citation sentence alone is still no claim
    note = "A study of 900 teenagers was published in May in a pediatrics journal."
    assert claims_of(nlp, note, citations=[hit(note, "A study of 900 teenagers was published in May in a pediatrics journal")]) == []


@pytest.mark.parametrize(
    "text",
    [
        "More than 70 percent of the patients surveyed reported moderate to significant improvement.",
        "Smith is the lead author of a new study that found few patients developed a blood clot after surgery.",
        # a need stated as a fact about the body, not an instruction to anyone
        "Patients with kidney failure need dialysis three times a week to survive.",
        # a clinician's first-person report of a figure is data, not a story
        # a group's measured difference is a result even without a number
        "Adults in the reasoning course showed a greater change in cortical thickness compared to adults who received the other course.",
        "I treated 40 patients and 30 percent of them had fewer migraines within a month.",
        "The drug is designed to block the enzyme that breaks down insulin in the liver.",  # a mechanism
    ],
)
def test_results_next_to_method_words_and_roles_are_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_section_headings_are_not_claims(nlp):
    text = (
        "Scorpion venom eases arthritis in rats\n\n"
        "Venom from one scorpion reduced joint swelling in rats with arthritis.\n\n"
        "Venom may lead to better treatments for arthritis\n\n"
        "The work was supported by a grant from a national arthritis charity."
    )
    assert [c.text for c in claims_of(nlp, text)] == [
        "Scorpion venom eases arthritis in rats",  # the headline states a finding
        "Venom from one scorpion reduced joint swelling in rats with arthritis.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # what a study looked at, how its people were followed, what its team set out or plans to do
        "The new trial focused on sleep quality in nurses who work night shifts.",
        "The patients underwent follow-up examination between two and nine years after the operation.",
        "She says she is working to put together a larger study of the breathing exercise.",
        "We wanted to find a way to block the enzyme before it damages the kidney.",
        "We ran a small trial to see if the stretches are helpful for runners.",
        "The other half of the volunteers followed a diet of 1,500 calories a day with less than 20% of calories from fat.",
        # what the study is, rather than what it found
        "The trial, published this week in a kidney journal, is the latest research from a team at a Danish hospital.",
        # one clinician's own way of working
        "Dr. Ferno performs both knee replacements in one session with two surgical teams, which reduces the time under anesthesia.",
        "I do both hips at once for most of my patients because it cuts the recovery time.",
        "Usually, Dr. Ferno says, he doesn't operate on patients over 85 with heart disease.",
        # a patient's story: the person introduced with an age, a pronoun's past with a frequency, the writer's pain
        "Quell, 58, says the pain was gone after a week and she is back to work without any complications.",
        "He had no complications and swims at the pool three times weekly.",
        "And regular practice brought a bonus benefit: my lower back pain has almost completely gone away.",
        "My chronic migraine pain has improved since the treatment.",
        "The volunteers were each given a pedometer and a diary to record how many steps they walked to ease their back pain.",
        "The researchers then cross-referenced the answers with hospital death records.",
        # who the participants were when the study began
        "The average age of the 300 volunteers upon joining the study was 71, and 60 percent had high blood pressure.",
        "Before the study, the volunteers had had 52 falls, reported by them or found in clinic notes.",
        "All the volunteers led active lives before back pain slowed them down, and said they hoped to return to their sports.",
        "Before the trial, all had been treated for asthma for years.",
        "Participants were aged 40 to 65 and had had knee pain for at least a year.",
        # how and where the study was run
        "The trial was carried out over eight weeks using 40 adult rats in the laboratory of a veterinary school.",
        "The researchers focused on patients who were already taking drugs to lower blood pressure and cholesterol.",
        # whom the researchers examined
        "Researchers examined 812 patients who had hip surgery between 2009 and 2014 at three clinics.",
        "The team reviewed the medical records of more than 4,000 nurses treated for back pain.",
        # what a treatment once did for the speaker
        "It absolutely gave me almost immediate relief,",
        "The bottom line is to talk with a pharmacist before you combine the pills.",
        # captions of a picture or a graphic
        "As arthritis progresses, the cartilage wears away (right), which causes pain and stiffness in the knee.",
        "Enlarge this image Whether you walk or swim, your knees can benefit, researchers say.",
        # what a treatment once did for one named person
        "Acupuncture helped Tom Vellin, a nurse himself, after he injured his back and the pain spread down his leg.",
        # what a course costs
        "Most such classes run six to ten weeks and cost around $150 to $400.",
        # advice a speaker gives, and cheering
        "He says middle-aged adults should walk slowly during the first 10 weeks and then build up to running.",
        "This is great news for anyone who is too busy on weekdays to work out but loves a long walk on Sundays.",
    ],
)
def test_design_plans_practice_stories_and_prices_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "story",
    [
        # the name as the subject of a later sentence
        ("Maria Quell, 58, had both hips replaced on the same day. "
        "Quell says the pain was gone after a week and she is back to work without any complications. "),
        # what happened to the patient, told through their people
        ("Ned Ortman, a 61-year-old carpenter in Leeds, has hiked for years with a bad hip. "
        "When surgery failed to repair his hip, Ortman's doctor suggested a cane. "),
    ],
)
def test_a_patient_named_with_an_age_tells_a_story_not_claims(nlp, story):
    fact = "Hip replacement carries a risk of blood clots."
    assert [c.text for c in claims_of(nlp, story + fact)] == [fact]


def test_whom_researchers_examined_beside_what_they_found_is_a_claim(nlp):
    text = "Researchers examined 812 patients and found that those who walked daily had less hip pain."
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_participants_described_with_a_result_are_a_claim(nlp):
    text = "The participants had less pain and slept better after eight weeks of yoga."
    assert [c.text for c in claims_of(nlp, text)] == [text]


@pytest.mark.parametrize(
    "text",
    [
        # background facts: a general statement tying a condition to treatment, mechanisms, missing research
        "An inguinal hernia may eventually require surgery.",
        "Spider venoms block ion channels.",
        "But no one has really tested these devices in a standardized way.",
        "The national society of pediatricians also recommends daily exercise for children with asthma.",
        # a statement carried by an imperative, and safety stated as an adverb
        "People differ in how much sugar they tolerate - don't forget that 60% of heavy drinkers have no liver damage.",
        "If you choose your patients carefully you can do this operation very safely.",
        # what a panel of experts says patients should do is a guideline
        "The majority of the panel said patients over 80 should wait at least three months between the two operations.",
        # a conclusion introduced as "the bottom line is that ..." ("the bottom line is to ..." is advice)
        "The bottom line is that cutting out caffeine reduces the headaches in most patients.",
        # what an arm of a trial achieved, beside the design rule for what it did
        "Half of the participants lost more than 10 percent of their weight.",
    ],
)
def test_background_facts_and_statements_inside_imperatives_are_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_what_someone_should_do_gets_no_bonus_as_a_general_statement(nlp):
    assert claims_of(nlp, "People with chronic knee pain should be educated about their pain.") == []


def test_lines_under_the_headline_state_the_story_but_later_headings_do_not(nlp):
    text = (
        "Cold water swims ease joint pain\n\n"
        "Swimmers with arthritis who swam in cold water twice a week had less pain after a year\n\n"
        "Swimmers with arthritis in a small trial reported less joint pain after cold water swims.\n\n"
        "Cold water swimming may lead to better treatments for arthritis\n\n"
        "The trial was funded by a regional sports council."
    )
    texts = [c.text for c in claims_of(nlp, text)]
    assert "Swimmers with arthritis who swam in cold water twice a week had less pain after a year" in texts
    assert "Cold water swimming may lead to better treatments for arthritis" not in texts


def test_each_sentence_of_a_long_quote_is_a_claim_of_its_own_when_it_goes_on_about_the_topic(nlp):
    text = "“Swimming is easy to start. It cuts pain by a third. We saw that often,” said Dr. Ann Quell."
    claims = {c.text: c for c in nlp(text)._.hc_claims}  # with the quotes component's own quotes
    assert "health:quoted_topic" in claims["It cuts pain by a third."].triggers
    # a quote's first sentence names its own subject: "it" there continues nothing in the quote
    opening = "“It cuts pain by a third. Swimming is easy to start,” said Dr. Ann Quell."
    assert not any("health:quoted_topic" in c.triggers for c in nlp(opening)._.hc_claims)


def test_a_comparison_with_another_treatment_is_an_efficacy_claim(nlp):
    text = "For many people, a daily walk may be as good as a pill."
    assert [(c.text, c.type) for c in claims_of(nlp, text)] == [(text, "efficacy")]


def test_a_name_ending_the_text_is_read_without_an_age(nlp):
    # the check for "Jo Roe, 63," must not read past the last token
    assert [c.text for c in claims_of(nlp, "Daily walking eases chronic back pain in older adults, says Ann Quell")]


@pytest.mark.parametrize(
    "text",
    [
        # a story a speaker tells: the clause reported, or the one around a parenthetical "he said"
        "Since then, he said, he has treated about a dozen stroke patients, with mostly good results.",
        "A few weeks after starting the breathing therapy, she got much better, her doctor said.",
        "In Denton, for instance, a man who broke his wrist asked not to be given opioids because he was recovering from addiction, Dr. Varga said.",
        "Her ankle swelled up, she said, but by the time the nurse arrived 20 minutes later, she was in pain.",
        "Doctors told him the fall had probably caused a small bleed in the brain.",
        # one particular person's past, and a passive past
        "A patient had come in for treatment of leg ulcers that would not heal — a common problem in diabetes.",
        "The man had also suffered a stroke several years earlier, which left him unable to walk more than a few steps.",
        "Ten years ago, as head of research at a clinic in Lyon, he was asked to run the clinic's sleep laboratory.",
        # what a study's team gave, how its arms swapped, who knew, who made the drug, a trial still to run
        "The investigators gave the nasal spray to 48 patients with chronic sinus pain.",
        "About halfway through the study (after five weeks), all participants switched treatments.",
        "Neither the patients nor the nurses knew who had first received the pain drug or the placebo.",
        "The migraine drug used in the trial was manufactured by a small firm in Ohio.",
        "Dr. Rowe is leading a large international trial that will enroll up to 2,000 patients with heart failure.",
        "In a paper published in May, the surgeon and colleagues examined 20 patients who had received the nerve block.",
        # what larger trials might bring, what a drug could be, and what it costs
        "If larger clinical trials prove successful, we could one day have a cheap drug to ease the anxiety that raises heart failure rates.",
        '"This could really be transformative for patients," said Ana Ruiz, who led the trials testing the drug.',
        "It will also cost patients $600 a month without insurance.",
        "Dr. Rowe estimates the spray costs less than $5 per dose once the pump is bought.",
    ],
)
def test_stories_told_by_speakers_trial_conduct_prospects_and_prices_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_what_a_quoted_person_founded_is_about_them(nlp):
    text = (
        "Hip fractures are common in older women. Tavori founded and now directs the Negev Institute for Wound "
        "Medicine and Research, where he manages a large treatment unit."
    )
    speakers = [SpeakerHit("Eli Tavori", mentions=[mention(text, "Tavori")])]
    assert [c.text for c in claims_of(nlp, text, speakers=speakers)] == ["Hip fractures are common in older women."]


@pytest.mark.parametrize(
    "text",
    [
        # a clause with its own subject before a colon: the verb after it is no imperative
        (
            "For older people who break a hip, the prognosis is grim: a third or more die within a year and only about "
            "1 in 5 return to their earlier level of function."
        ),
        # a named result keeps the method words beside it a claim
        "One of the key findings was that improvements in sleep scores lasted for the rest of the study's follow-up period.",
    ],
)
def test_a_statement_before_a_colon_and_a_named_finding_are_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


@pytest.mark.parametrize(
    "text",
    [
        # who could take part, when and where the trial ran, what it includes and was evaluated in
        "Women with a history of heart disease or uncontrolled blood pressure were excluded from the trial.",
        "The vaccine study started in August 2011, alongside a second trial in younger adults.",
        "The study includes adults in the age ranges 50-59 and 60-69 years.",
        "The pain relief of Zorvane was evaluated in a clinical trial that enrolled healthy women aged 20 to 40, of whom 900 received the drug.",
        # what the trial measures or sets out to show
        "The change in pain score at week 12 was the primary efficacy endpoint used to assess the patch.",
        "The primary objective of the trial is overall vaccine efficacy against flu in people aged 65 or older.",
        # a company's mission statement without an "About" heading
        "Quilby Pharma – one of the world's leading healthcare companies – is committed to improving the health of patients with diabetes.",
    ],
)
def test_eligibility_schedule_endpoints_objectives_and_missions_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    ["All device-related adverse events were mild in nature.", "The primary endpoint of reduced pain compared with placebo was met."],
)
def test_a_trial_section_keeps_its_results(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_that_nothing_has_been_tested_in_people_is_a_claim_about_the_evidence(nlp):
    text = "Neither cream has been tested in a human study."
    assert [c.text for c in claims_of(nlp, text)] == [text]


@pytest.mark.parametrize("heading", ["Methods", "How the study worked", "About the QUILL-2 trial", "Research Methodology"])
def test_what_was_done_under_a_methods_heading_is_design_but_its_results_and_background_are_claims(nlp, heading):
    done = "In the trial, forty adults aged 50 to 70 walked for 30 minutes a day for eight weeks."
    found = "They found that knee pain fell by a third in the walkers."
    background = "Cartilage has no blood supply of its own, so it heals slowly."
    lede = "A new trial suggests that brisk walking eases knee pain in older adults."
    text = f"Walking eases knee pain\n\n{lede}\n\n{heading}\n\n{done} {found}\n\n{background}\n"
    assert [c.text for c in claims_of(nlp, text)] == ["Walking eases knee pain", lede, found, background]


def test_the_same_sentence_outside_a_methods_section_stays_a_claim(nlp):
    text = "Walking eases knee pain\n\nIn the trial, forty adults aged 50 to 70 walked for 30 minutes a day for eight weeks.\n"
    assert len(claims_of(nlp, text)) == 2


def test_what_a_team_was_able_to_show_in_a_study_section_is_a_result(nlp):
    able = "The team were able to identify in advance the patients who would not respond to the diet."
    text = f"Diet reverses diabetes\n\nA new trial suggests that a strict diet reverses diabetes in many adults.\n\nThe study\n\n{able}\n"
    assert able in [c.text for c in claims_of(nlp, text)]


@pytest.mark.parametrize(
    "text",
    [
        # what a treatment would bring if it works: a prediction
        '"If it works, we could help millions of people with heart failure," she said.',
        # a speaker's call to change practice
        '"We have to stop waiting, and treat a broken wrist in the elderly as quickly as a fracture of the hip," says Dr. Lee Park.',
    ],
)
def test_predictions_on_success_and_calls_to_change_practice_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_results_a_clinician_sees_in_their_own_patients_are_not_the_cited_studys(nlp):
    text = (
        "Cold therapy eased nerve pain in 40 adults, a study in the Quilby Journal of Pain found (Roe et al., 2020).\n\n"
        "The doctor agreed that the therapy needs more testing. But we are seeing the results with our patients, "
        "and the pain goes away in most of them."
    )
    claims = claims_of(nlp, text, citations=[hit(text, "Roe et al., 2020")])
    own = [c for c in claims if "our patients" in c.text]
    assert own and not own[0].citations


def test_an_effect_with_a_figure_in_a_relative_clause_keeps_a_method_sentence_a_claim(nlp):
    text = "Patients were given strong opioids for pain, which contributed to delirium in close to 70% of them, leading to longer stays."
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_how_hard_a_condition_is_to_treat_is_a_claim(nlp):
    hard = "Known as post-viral fog (PVF), this phenomenon is hard to treat."
    text = f"Fog after a virus\n\nAfter a virus, some people say their thinking stays slow for months. {hard}"
    assert hard in [c.text for c in claims_of(nlp, text)]


@pytest.mark.parametrize(
    "text",
    [
        # what is still being done: products in development, trials running, studies under way, funding sought
        "Future studies aim to test whether the brace lowers knee pain in runners.",
        "The Zorvane patch is also being developed for treatment of nerve pain.",
        "Two larger trials of the spray are currently ongoing.",
        "Current studies are focusing on which patients are most likely to benefit from the brace.",
        "She said that she and her colleagues have applied for funding to run a larger trial of the diet.",
        # forecasts on condition of success
        "If the patch works in larger trials, it might offer an option for people who cannot take pills.",
        # a speaker's feeling, wish or verdict
        "We feel that this inhaler could greatly improve the care of children with asthma.",
        "I want patients and their doctors to be careful with this drug.",
        "Fast and lasting relief is what patients want.",
        "The new patch is now one step closer to giving patients a different way to treat pain.",
        "Patients should be able to choose whether the side effects of the drug are worth it.",
        "The key is convincing patients that the exercises can work.",
        # advice to doctors and policymakers, with "need to" before a passive and reported by a speaker
        "Doctors, especially those who see children, also need to be better trained to treat asthma.",
        "Dr. Roe argued that policymakers should also address the poverty that drives obesity.",
        # lines that introduce a list or point elsewhere, and who the authors are
        "Here are four simple remedies that may ease a sore throat.",
        "More details on the design of the trial can be found at www.example.org.",
        "You can find a physical therapist through the national association's website.",
        "Besides Roe and Park, study authors in the hospital's department of surgery include Ann Lee and Tom Bell.",
        # "work" as a noun asserts no effect
        "After an hour of careful work, Dr. Roe has opened up the patient's blocked tear duct.",
    ],
)
def test_plans_forecasts_feelings_advice_and_pointers_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The drug works in most patients with mild asthma.",
        # a method word in a clause of time beside the result
        "There were significantly fewer falls in the high-risk group once all of our patients were analyzed through our new program.",
    ],
)
def test_a_result_beside_a_clause_of_time_and_the_verb_work_are_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_an_estimated_figure_is_background_not_the_studys_finding(nlp):
    study = "Yoga eased back pain in 300 adults, a study in the Quilby Journal of Pain found (Roe et al., 2020)."
    estimated = "More than 500,000 back operations are performed each year, and an estimated 2 million Americans live with back pain."
    impersonal = "It is estimated to affect up to 3 million U.S. adults, most of them women."
    text = f"{study}\n\n{estimated}\n\nBack pain is a common complaint. {impersonal}"
    claims = {c.text: c for c in claims_of(nlp, text, citations=[hit(text, "Roe et al., 2020")])}
    assert claims[study].citations == [0]
    assert claims[estimated].citations == [] and claims[impersonal].citations == []


def test_nouns_for_one_person_are_the_quote_lexicons_person_nouns(nlp):
    from healthclaims.components.claims.filters import person_nouns
    from healthclaims.components.quotes.rules import default_rules

    assert person_nouns() == default_rules().lex.words["person_noun"]
    assert {"woman", "man", "child", "teenager", "neighbour"} <= person_nouns()
    assert claims_of(nlp, "A teenager who broke her wrist had surgery on the same day.") == []


def test_what_a_regulator_did_is_the_drugs_history_not_the_studys_result(nlp):
    text = (
        "Cold therapy eased nerve pain in 40 adults, a study in the Quilby Journal of Pain found (Roe et al., 2020).\n\n"
        "The researchers said the spray had known side effects, such as dizziness and nausea.\n\n"
        "The FDA approved the spray last May with a warning about the risks of fainting when patients drink alcohol.\n\n"
        "The researchers said the spray had fewer side effects in older patients.\n\n"
        "The agency asked the maker to do more studies on the interaction between the spray and alcohol.\n"
    )
    claims = claims_of(nlp, text, citations=[hit(text, "Roe et al., 2020")])
    linked = {c.text.split()[1]: c.citations for c in claims}
    assert linked["researchers"] == [0] and linked["FDA"] == [] and linked["agency"] == []


@pytest.mark.parametrize(
    "text",
    [
        # how a study was run: who it involved, what it compared, who led it, what it asked of its volunteers
        "The six-month pilot trial involved 42 adults with chronic hip pain.",
        "The trial, named Orbit, compared adults taking the new pill for a year with others given a dummy tablet.",
        "Roe led the study with two nursing students and a physiotherapist from the county hospital.",
        "The investigators had the volunteers walk for an hour in a heated room before the blood tests.",
        "A regression model was then used to compare the cream with two older studies of an ointment.",
        "The first randomised trial of the drink in people with mild memory loss has just been completed.",
        "To do this, the team is first using hospital records to determine whether the gel affects infection rates.",
        # plans, hopes and predictions, not findings
        "Future trials of the lozenge in smokers should check whether the benefits grow with a higher dose.",
        "The next steps involve testing the mixtures in animals and making sure they are safe for longer use.",
        "We look forward to the results of the extension study, which will give further insight into memory loss.",
        "Some doctors have wondered whether people who drink green tea are healthier for other reasons.",
        "The makers say their nasal spray could revolutionize the treatment of chronic sinus pain.",
        "The company says the patch could go on sale within two years for people with arthritis pain.",
        # page furniture in prose: funding and sponsorship notes, an organisation's profile, a list's lead-in
        "The project benefits from funding provided by a national research council for ageing studies.",
        "The trial was sponsored by the maker of the knee implant used in the surgery.",
        "The Society of Bone Doctors is the world's oldest and largest organization of physicians treating bone disease.",
        "The panel's advice for people with dizziness includes:",
    ],
)
def test_study_conduct_plans_predictions_and_profiles_are_not_claims(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a result still stands beside study words, a list's lead-in with a finding, and research said to be needed
        "The trial compared two creams and found that the new one cut itching by half.",
        "The researchers found three benefits of the exercise in older adults:",
        "Larger studies are needed to confirm that the gel reduces scarring after burns.",
        "In 2019, a study in a spine journal used a model to calculate that the load on the neck rose to 40 pounds.",
    ],
)
def test_results_beside_design_words_stay_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_a_figure_compared_with_another_stays_a_claim(nlp):
    text = "That compared to just 6 percent of the children given the dummy syrup."
    assert [c.text for c in claims_of(nlp, text)] == [text]


def cited_texts(nlp, text: str, piece: str) -> list[str]:
    """The claims tied to the one work ``piece`` cites (a journal article, as the citations component gives it)."""
    start = text.index(piece)
    work = CitationHit(start, start + len(piece), piece, "prose", venue=piece.split(" the ", 1)[-1])
    claims = claims_of(nlp, text, citations=[work])
    return [c.text for c in claims if c.cited]


def is_cited(nlp, text: str, piece: str, prefix: str) -> bool:
    """Whether a claim starting with ``prefix`` is tied to the one work ``piece`` cites."""
    return any(t.startswith(prefix) for t in cited_texts(nlp, text, piece))


def test_a_lede_whose_finding_the_next_sentence_sources_is_tied_to_that_work(nlp):
    text = (
        "Tai chi appears to help people with heart failure sleep better.\n\n"
        "That finding comes from a new study of 300 patients published in the Quilby Journal of Cardiology."
    )
    assert cited_texts(nlp, text, "published in the Quilby Journal of Cardiology")[0].startswith("Tai chi appears")


def test_a_lede_without_such_a_tie_is_not_cited(nlp):
    text = (
        "Tai chi appears to help people with heart failure sleep better.\n\n"
        "A new study of 300 patients was published in the Quilby Journal of Cardiology."
    )
    assert not is_cited(nlp, text, "published in the Quilby Journal of Cardiology", "Tai chi")


@pytest.mark.parametrize("lede", [
    "Cold baths may ease muscle pain after exercise, say researchers.",
    "Cold baths ease muscle pain after exercise, according to scientists at Quilby University.",
    "It may seem odd, but scientists have found that cold baths ease muscle pain after exercise.",
])
def test_a_research_team_as_the_ledes_source_is_the_work_the_story_cites(nlp, lede):
    text = f"{lede}\n\nThe study of 40 runners was published in the Quilby Journal of Sports Medicine."
    assert cited_texts(nlp, text, "published in the Quilby Journal of Sports Medicine")[0] == lede


def test_scientists_who_only_say_something_are_research_in_general(nlp):
    text = (
        "Cold baths eased muscle pain in 40 runners, a study in the Quilby Journal of Sports Medicine found.\n\n"
        "But some scientists say that cold baths slow muscle growth."
    )
    assert not any("some scientists" in t for t in cited_texts(nlp, text, "a study in the Quilby Journal of Sports Medicine"))


def test_an_effect_a_study_did_not_find_is_a_result_not_background(nlp):
    text = (
        "Surgery freed 77 percent of the children of seizures, the trial in the Quilby Journal of Neurology found.\n\n"
        "Surgery improved quality of life, and it did not affect memory."
    )
    assert is_cited(nlp, text, "the trial in the Quilby Journal of Neurology", "Surgery improved")


@pytest.mark.parametrize("text", [
    "The test spotted three-quarters of all critical cases.",
    "But 18 cases identified by the scan had not been picked up by ultrasound.",
    "The new scan detected 53 cases of heart disease.",
])
def test_how_well_a_test_finds_a_condition_is_a_claim(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_picking_up_a_thing_is_no_detection(nlp):
    (claim,) = claims_of(nlp, "He showed how you pick up your child without bending your back.")
    assert not any(t.startswith("efficacy:verb:detect") for t in claim.triggers)
    (found,) = claims_of(nlp, "The scan picked up 18 cases that ultrasound had missed.")
    assert "efficacy:verb:detect" in found.triggers


def test_a_headline_that_names_its_study_after_the_finding_is_tied_to_it(nlp):
    text = (
        "Got back pain? Patients who keep walking recover sooner, finds study\n\n"
        "Walking eased back pain in 300 adults in a trial published in the Quilby Journal of Spine Medicine."
    )
    assert is_cited(nlp, text, "published in the Quilby Journal of Spine Medicine", "Patients who keep walking")


def test_a_team_telling_what_it_did_is_the_studys(nlp):
    text = (
        "Quilby University researchers transformed skin cells into immune cells that attack tumours.\n\n"
        "The work is published in the Quilby Journal of Gene Therapy."
    )
    assert is_cited(nlp, text, "published in the Quilby Journal of Gene Therapy", "Quilby University researchers transformed")


def test_what_a_condition_is_like_is_a_claim(nlp):
    text = "Migraines are characterised by an intense, throbbing headache and sensitivity to light."
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_a_prediction_of_what_will_be_possible_is_no_claim(nlp):
    assert claims_of(nlp, "However, the researchers believe it will one day be possible to grow new heart cells.") == []


def test_a_studys_data_in_the_lede_point_to_the_work_the_story_names(nlp):
    text = (
        "A new drug halves the length of migraine attacks.\n\n"
        "Phase three trial data on nearly 1,000 patients showed that it cut migraine days by half.\n\n"
        "The work is published in the Quilby Journal of Neurology."
    )
    assert is_cited(nlp, text, "published in the Quilby Journal of Neurology", "Phase three trial data")


def test_a_study_leaders_surname_keeps_the_study_under_discussion(nlp):
    text = (
        "Blood injections ease tennis elbow, a trial in the Quilby Journal of Sports Medicine found.\n\n"
        "“There is now a solution for patients,” said Jane Okafor of Quilby Hospital, who led the study.\n\n"
        "“Whole blood is a good alternative in remote areas that have no plasma,” she said.\n\n"
        "Okafor and her colleagues compared injections of plasma with injections of whole blood in 28 patients.\n\n"
        "Pain scores at six weeks improved by a mean 3.8 points with plasma."
    )
    # the pipeline's own quotes and speakers: the surname is one of the study's people
    claims = nlp(text)._.hc_claims
    assert [c.cited for c in claims if c.text.startswith("Pain scores at six weeks")] == [True]


def test_earlier_evidence_in_general_is_not_the_cited_study(nlp):
    text = (
        "The diet slowed memory decline in 300 adults, a trial in the Quilby Journal of Medicine found. "
        "Most previous evidence showing benefits from the diet was gathered through observational studies."
    )
    assert not is_cited(nlp, text, "a trial in the Quilby Journal of Medicine", "Most previous evidence")


def test_mixed_judges_evidence_not_food(nlp):
    (claim,) = claims_of(nlp, "The evidence on fish oil for heart disease is mixed.")
    assert claim.hedged
    assert claims_of(nlp, "Two groups followed the diet and added 30 grams of mixed nuts a day.") == []


@pytest.mark.parametrize("text", [
    "Once on either of the medications, people fared equally well.",
    "If a person is using opioids and takes naltrexone, it can induce a feeling of withdrawal.",
    # unlike a call for more trials, this says the benefit is unproven
    "A larger study is needed to determine if a benefit exists, Dr. Roe says.",
])
def test_outcomes_and_withdrawal_are_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_a_headline_ending_on_its_source_is_tied_to_it(nlp):
    text = (
        "Pot may provide some chronic pain relief: study\n\n"
        "Smoked cannabis eased nerve pain in 21 adults in a trial published in the Quilby Journal of Pain."
    )
    assert is_cited(nlp, text, "published in the Quilby Journal of Pain", "Pot may provide")


@pytest.mark.parametrize("verb", ["questions", "supports", "warns against", "backs"])
def test_a_headline_naming_a_study_with_any_verb_of_stance_is_tied_to_it(nlp, verb):
    text = (
        f"Study {verb} knee injections for arthritis\n\n"
        "Injections did not ease knee pain in 12,000 adults, a review published in the Quilby Journal of Pain found."
    )
    assert is_cited(nlp, text, "published in the Quilby Journal of Pain", "Study")


def test_a_lede_stating_the_finding_the_next_sentence_reports_is_the_studys(nlp):
    text = (
        "Scientists believe they may have found a new way of fighting hospital infections.\n\n"
        "The research, published in the Quilby Journal of Microbiology, suggests that blocking a toxin helps."
    )
    assert is_cited(nlp, text, "published in the Quilby Journal of Microbiology", "Scientists believe")


def test_a_lede_on_what_a_regulator_allows_is_background_to_the_study(nlp):
    text = (
        "Hormone therapy is the only FDA-approved treatment for hot flashes.\n\n"
        "The study, published in the Quilby Journal of Menopause, found that a nerve drug also helps."
    )
    assert not is_cited(nlp, text, "published in the Quilby Journal of Menopause", "Hormone therapy")


@pytest.mark.parametrize("text", [
    "Co-authors on the paper are Ann Roe, MD, and Raj Okafor, PhD, also with Quilby Health.",
    "The study was approved through the Quilby Health Institutional Review Board.",
    "The trial was registered at a public registry of clinical trials in 2016.",
    "The Quilby Society is an association of over 54,000 radiologists and medical physicists.",
    "Co-authors on the paper are Bryce C. Allen, MD, and Yolanda Munoz, PhD, also with Quilby Health.",
    "Funding for the study was provided by grant R01AT005854 from the Quilby Center for Integrative Health.",
    "Partners in research: Funding support for this study was provided by grants from the Quilby Lung Association.",
])
def test_a_press_releases_notes_on_the_paper_are_no_claims(nlp, text):
    assert claims_of(nlp, text) == []


def test_an_association_between_two_conditions_stays_a_claim(nlp):
    text = "Experts say there is an association between the disorder and smoking in young adults."
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_a_study_period_is_no_history_in_a_results_run(nlp):
    text = (
        "In a study in the Quilby Journal of Paediatrics, the sensor was used on 20,000 newborn babies.\n\n"
        "The tests, conducted between February 2008 and January 2009, detected 53 cases of heart disease.\n\n"
        "In 35 cases, heart defects were already suspected after ultrasound scans."
    )
    cited = cited_texts(nlp, text, "a study in the Quilby Journal of Paediatrics")
    assert any(t.startswith("The tests, conducted") for t in cited)
    assert any(t.startswith("In 35 cases") for t in cited)


def test_it_telling_a_finding_is_the_study_under_discussion(nlp):
    text = (
        "Mobile phones do not raise brain cancer rates, a study in the Quilby Journal of Epidemiology found.\n\n"
        "The researchers compared cancer registries from 1998 to 2007.\n\n"
        "It concludes that there has been no significant increase in the rate of brain cancer."
    )
    assert is_cited(nlp, text, "a study in the Quilby Journal of Epidemiology", "It concludes")


def test_a_team_named_by_its_place_is_the_studys_team(nlp):
    text = (
        "Leukaemia stem cells can be killed by blocking two proteins, a study in the Quilby Journal of Stem Cells found.\n\n"
        "Doctors have long sought such a target.\n\n"
        "But the Quilby's team showed that targeting one protein alone was not enough to kill the cells."
    )
    assert is_cited(nlp, text, "a study in the Quilby Journal of Stem Cells", "But the Quilby's team showed")


def test_a_leader_and_colleagues_are_the_studys_team(nlp):
    text = (
        "Pulsed energy eases sciatica, according to a study presented at the annual meeting of the Quilby Society.\n\n"
        "Disk herniation is common.\n\n"
        "Dr. Okafor and colleagues found that the pain eased in 80 of the 128 patients."
    )
    assert is_cited(nlp, text, "presented at the annual meeting of the Quilby Society", "Dr. Okafor and colleagues found")


def test_the_study_sample_is_the_studys_people(nlp):
    text = (
        "Exercise eases asthma, a study in the Quilby Journal of Respiratory Medicine found.\n\n"
        "“Even if you have asthma, go out and exercise,” says Dr. Ann Roe, who was not involved.\n\n"
        "Asthma is common in cities.\n\n"
        "Inhalers help too, she says.\n\n"
        "Within the study sample of 643 adults, 245 reported doing no physical activity."
    )
    assert is_cited(nlp, text, "a study in the Quilby Journal of Respiratory Medicine", "Within the study sample")


def test_what_a_condition_can_include_is_no_list_of_authors(nlp):
    text = "About one in seven people in the country suffer from chronic pain, which can also include arthritis."
    assert [c.text for c in claims_of(nlp, text)] == [text]
    assert claims_of(nlp, "Other researchers on the study also include Ann Roe of Quilby University and Raj Okafor.") == []


def test_a_measure_that_moved_is_a_claim(nlp):
    text = "Those getting the salt-water treatment saw headache days drop to 13 from 20."
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_new_research_that_is_the_cited_work_ties_its_own_sentence(nlp):
    # "new research has shown" names the story's study when the citations component made it the citation;
    # "research has shown" alone is research in general
    text = (
        "Headline\n\n"
        "People who struggle to get out of bed may have inherited their laziness, new research has shown.\n\n"
        "One in five Europeans carry a variant of the gene."
    )
    assert is_cited(nlp, text, "new research", "People who struggle")
    general = text.replace("new research has shown", "research has shown")
    assert not is_cited(nlp, general, "research", "People who struggle")


def test_a_study_described_as_the_first_or_most_of_its_kind_is_the_storys_own(nlp):
    text = (
        "Physical therapy can be just as good for a torn knee, the most rigorous study to compare the two finds.\n\n"
        "Results were published online by the Quilby Journal of Medicine.\n\n"
        "The new federally funded study compared surgery with a less drastic option."
    )
    piece = "published online by the Quilby Journal of Medicine"
    assert is_cited(nlp, text, piece, "Physical therapy can be")
    assert is_cited(nlp, text, piece, "The new federally funded study")


def test_the_studys_groups_stay_tied_to_it_after_a_vague_aside(nlp):
    # "which experts say is typical" names research in general and ends the chain; "both groups" can only
    # be the study's own
    text = (
        "Researchers assigned 351 patients to surgery or physical therapy.\n\n"
        "Results were published online by the Quilby Journal of Medicine.\n\n"
        "The therapy was nine sessions on average, which experts say is typical.\n\n"
        "After six months, both groups had similar rates of functional improvement."
    )
    assert is_cited(nlp, text, "published online by the Quilby Journal of Medicine", "After six months, both groups")


def test_a_journal_that_reports_is_a_paper_not_a_bodys_figure(nlp):
    # "the journal X reports" cites the paper: "the finding" before it points to that work
    text = (
        "The finding could lead to new drugs that shrink many types of tumour, the Quilby University scientists said.\n\n"
        "In experiments on mice the researchers showed that blocking a molecule made tumours sensitive to the drug.\n\n"
        "When the animals were given the drug, it shrunk their cancer, the journal Quilby Medicine reports."
    )
    work = CitationHit(text.index("the journal"), text.index("the journal") + len("the journal Quilby Medicine reports"),
                       "the journal Quilby Medicine reports", "prose", venue="Quilby Medicine",
                       query='"Quilby Medicine"[journal]')
    cited = [c.text for c in claims_of(nlp, text, citations=[work]) if c.cited]
    assert any(t.startswith("The finding could lead") for t in cited)
    assert any(t.startswith("In experiments on mice") for t in cited)


@pytest.mark.parametrize("text", [
    # what a team observed, with its clause, is a finding; a condition reversed is an effect
    "Researchers observed that memory loss was fully reversed to the levels seen in mice without the disease.",
    # a researcher's finding on a study's group, in figures, is no personal experience
    ("She found that the group that did speed training showed 33 percent less risk of dementia relative to "
     "the control group."),
])
def test_observed_findings_and_a_researchers_figures_are_claims(nlp, text):
    assert [c.text for c in claims_of(nlp, text)] == [text]


def test_a_procedure_named_reverse_is_no_effect(nlp):
    assert claims_of(nlp, "Reverse total shoulder arthroplasty") == []


def test_a_definition_beside_the_study_is_background_not_its_result(nlp):
    text = (
        "The injections did not ease knee pain in 12,000 patients, a review in the Quilby Journal of Medicine found. "
        "Hyaluronic acid is a lubricating fluid that is naturally found in the knee, but it degenerates with age. "
        "Sequencing is a technique that enables scientists to decode DNA faster than before."
    )
    cited = cited_texts(nlp, text, "a review in the Quilby Journal of Medicine")
    assert cited and cited[0].startswith("The injections")
    assert not any(t.startswith(("Hyaluronic acid", "Sequencing")) for t in cited)
    # a result stated as a definition stays the study's
    result = text.replace("Sequencing is a technique that", "The drug was a safe option in the trial that")
    assert is_cited(nlp, result, "a review in the Quilby Journal of Medicine", "The drug was")


def test_found_in_a_place_is_no_finding(nlp):
    def labels(text: str) -> set[str]:
        doc = nlp(text)
        return {h.label for h in nlp.get_pipe("healthclaims_claims").ruleset.match(doc, doc_index(doc)).rules.get(0, [])}

    assert "finding" not in labels("Hyaluronic acid is naturally found in the knee.")
    assert "finding" in labels("Researchers found that the fluid thins with age.")
    assert "finding" in labels("Side effects were found in 20 percent of patients.")
    assert "finding" in labels("The team has found a link between diet and pain.")


def test_the_article_and_an_authors_article_refer_to_the_cited_journal_article(nlp):
    text = (
        "Meditation may lower the risk of memory loss, according to a new article published in the Quilby Journal "
        "of Medicine.\n\nThe weather was mild this spring in Quillton.\n\n"
        "The article reviews how meditation reduces stress hormones in older adults.\n\n"
        "Roe's article also describes a lower loss of brain tissue in people who meditate daily."
    )
    cited = cited_texts(nlp, text, "published in the Quilby Journal of Medicine")
    assert any(t.startswith("The article reviews") for t in cited)
    assert any(t.startswith("Roe's article") for t in cited)


def test_a_dated_team_brings_in_a_study_the_article_does_not_cite(nlp):
    # "This year, researchers at X ..." is another study: its results are not the cited one's
    text = (
        "A 2004 study published in the Quilby Journal found that acupuncture eased knee pain. "
        "But that result has been questioned.\n\n"
        "This year, researchers at Zorb Hospital in Detroit solved the problem: they used no sham. "
        "Instead, they compared acupuncture with a drug.\n\n"
        "The results were striking. Acupuncture relieved hot flashes as well as the drug, with fewer side effects."
    )
    cited = cited_texts(nlp, text, "published in the Quilby Journal")
    assert cited[0].startswith("A 2004 study")
    assert not any(t.startswith(("This year", "Instead", "Acupuncture relieved")) for t in cited)


def test_the_results_of_an_uncited_study_are_not_an_earlier_works(nlp):
    # "the results" after a team the article does not cite are that team's, never the work named before
    text = (
        "A study of 300 patients published in the Quilby Journal found that acupuncture eased knee pain.\n\n"
        "This year, researchers at Zorb Hospital tried a new design.\n\n"
        "The results showed that hot flashes fell by half."
    )
    assert not is_cited(nlp, text, "published in the Quilby Journal", "The results showed")


def test_present_tense_background_in_the_next_paragraph_is_not_the_studys(nlp):
    # a comparison with a population, and what "has been shown", are what is known, not what the study found
    text = (
        "A new study shows that electro-acupuncture may ease hot flashes. The study is published online in the "
        "Quill Journal of Menopause.\n\n"
        "Compared with women who undergo natural menopause, women with breast cancer are at a greater risk of "
        "hot flashes.\n\n"
        "Researchers analyzed data from a trial of 58 survivors. Electro-acupuncture reduced hot flash severity.\n\n"
        "Poor sleep is bothersome for survivors because it has been shown to increase levels of pain and fatigue.\n\n"
        "Compared with women who got the drug, women who got acupuncture slept 30 minutes longer."
    )
    cited = cited_texts(nlp, text, "published online in the Quill Journal of Menopause")
    assert not any(t.startswith(("Compared with women who undergo", "Poor sleep")) for t in cited)
    assert any(t.startswith("Compared with women who got") for t in cited)  # a past-tense comparison is a result


def test_a_lede_alone_in_its_paragraph_takes_the_work_the_next_paragraph_cites(nlp):
    text = (
        "Giving toddlers ear drops can help speed up their recovery from ear infections.\n\n"
        "However, the drops can sting. Overuse also breeds resistance, according to two studies published "
        "Wednesday in the Quilby Journal of Medicine."
    )
    assert is_cited(nlp, text, "two studies published Wednesday in the Quilby Journal of Medicine", "Giving toddlers")


def test_a_verdict_that_goes_on_to_a_result_stays_a_claim(nlp):
    text = "The results were striking: pain fell by half in the acupuncture group."
    assert [c.text for c in claims_of(nlp, text)] == [text]
