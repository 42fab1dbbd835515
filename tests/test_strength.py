"""Claim strength: the rules' labels and cue spans, the component on claims, the public
``claim_strength`` function, and the overstatement check against a paper's conclusion."""

from __future__ import annotations

import pytest
from healthclaims.components.strength.api import claim_strength
from healthclaims.components.strength.component import StrengthComponent
from healthclaims.components.strength.overstatement import (
    PaperStrength,
    conclusion_sentences,
    is_overstated,
    paper_strength,
)
from healthclaims.components.strength.rules import STRENGTHS

RULES_TABLE = [
    # (sentence, expected strength, cue words that decided it)
    ("Eating fish cuts the risk of dementia.", "causal", ["cuts"]),
    ("Regular exercise reduces blood pressure in older adults.", "causal", ["reduces"]),
    ("The drug was effective in lowering cholesterol.", "causal", ["effective"]),
    ("Smoking causes lung cancer.", "causal", ["causes"]),
    ("The new therapy did not reduce pain scores.", "causal", ["reduce"]),  # a causal test, null result
    ("Green tea may reduce the risk of stroke.", "conditional_causal", ["may", "reduce"]),
    ("Vitamin D appears to protect against fractures.", "conditional_causal", ["appears", "protect"]),
    ("Cutting salt could lower heart disease deaths.", "conditional_causal", ["could", "lower"]),
    ("Coffee drinking is associated with a longer life.", "correlational", ["associated with", "longer life"]),
    ("Taller women are more likely to develop cancer.", "correlational", ["more likely"]),
    ("Poor sleep was linked to weight gain in children.", "correlational", ["linked to"]),
    ("No association was found between mobile phones and brain tumours.", "correlational", ["association"]),
    ("We recruited 300 adults from six clinics.", "none", []),
    ("Further studies are needed to determine whether the diet improves outcomes.", "none", []),
    ("Nurses should aim at improving the diet of pregnant women.", "none", []),
    ("Patients were treated with reduced doses.", "none", []),
    # a finite research verb reports a finding; a question or an aim does not
    ("We confirmed that regular walking reduces blood pressure.", "causal", ["reduces"]),
    ("We examined whether regular walking reduces blood pressure.", "none", []),
    ("The study reports that night shifts are linked to obesity.", "correlational", ["linked to"]),
    # findings stated without a relationship verb: risk, prevalence, comparisons
    ("Night-shift workers were at higher risk of diabetes.", "correlational", ["at higher", "risk of"]),
    ("Asthma was more prevalent among smokers.", "correlational", ["prevalent"]),
    ("Gout is common in older men.", "correlational", ["common"]),
    ("Smokers had higher blood pressure.", "correlational", ["higher blood pressure"]),
    ("Older patients had worse outcomes.", "correlational", ["worse outcomes"]),
    # causal roles and usefulness; "suggest that" and modals hedge them
    ("Physical activity plays a key role in healthy ageing.", "causal", ["plays a key role"]),
    ("These results suggest that fish oil protects the heart.", "conditional_causal", ["suggest", "protects"]),
    ("Mushroom extract may be useful for wound healing.", "conditional_causal", ["may", "useful"]),
    # headlines drop the words the parser leans on: the verb is read as a plural noun or an adjective
    ("New drug halts tumour growth in mice", "causal", ["halts"]),
    ("Oats lower cholesterol", "causal", ["lower"]),
    ("Almonds lower blood pressure", "causal", ["lower"]),
    ("Smokers had lower lung function.", "correlational", ["lower lung function"]),  # a real adjective
    # an agenda voids its own clause only, not a finding stated beside it
    ("The vaccine did not reduce infections, although longer follow-up is warranted.", "causal", ["reduce"]),
    ("Larger trials are needed to confirm that statins are linked to lower dementia rates.", "none", []),
]


def test_a_cue_focus_needs_a_fixed_token_pattern():
    from healthclaims.components.strength.rules import StrengthCue
    from pydantic import ValidationError

    assert StrengthCue(id="c", kind="causal", pattern=[{"POS": "NOUN"}, {"LOWER": "cuts"}], focus=1).focus == 1
    with pytest.raises(ValidationError, match="focus"):
        StrengthCue(id="c", kind="causal", pattern=[{"POS": "NOUN", "OP": "*"}, {"LOWER": "cuts"}], focus=1)
    with pytest.raises(ValidationError, match="focus"):
        StrengthCue(id="c", kind="causal", pattern=[{"LOWER": "cuts"}], focus=1)


@pytest.fixture(scope="module")
def rules_only(nlp):
    return StrengthComponent(nlp, use_classifier=False)


@pytest.mark.parametrize(("sentence", "expected", "cues"), RULES_TABLE)
def test_rules_label_and_cue_spans(nlp, rules_only, sentence, expected, cues):
    doc = nlp.make_doc(sentence)
    for _name, proc in nlp.pipeline:
        if not _name.startswith("healthclaims"):
            doc = proc(doc)
    decision = rules_only.decide_spans([doc[:]])[0]
    assert decision.label == expected
    assert [doc[s:e].text for s, e in decision.cues] == cues


def test_negation_is_recorded_without_changing_the_label(nlp, rules_only):
    docs = [nlp(t) for t in ("Aspirin did not prevent strokes.", "Aspirin prevented strokes.")]
    negated, plain = rules_only.decide_spans([d[:] for d in docs])
    assert (negated.label, negated.negated) == ("causal", True)
    assert (plain.label, plain.negated) == ("causal", False)


def test_remembered_matches_are_per_doc_and_not_shared_with_callers(nlp, rules_only):
    """The matches of a span are computed once per Doc; a caller changing them changes nothing later."""
    rules = rules_only.strength_rules
    first, second = nlp("Coffee was linked to a longer life."), nlp("Aspirin prevented strokes.")
    found = rules.matches(first[:])
    assert sum(map(len, found.values())) > 0
    for items in found.values():
        items.clear()
    assert rules.matches(first[:]) == rules._matches(first[:])
    assert rules.matches(second[:]) == rules._matches(second[:])  # another Doc: matched afresh
    assert rules_only.decide_spans([first[:]])[0].label == "correlational"


def test_component_labels_every_claim_with_exact_cue_spans(nlp):
    text = ("Walking Study\n\nA study published in the Journal of Walking (Lee et al., 2020) found that walking "
            "after meals reduces blood sugar. Walking may also reduce weight, the authors said.\n")
    doc = nlp(text)
    claims = doc._.hc_claims
    assert claims and all(c.strength in STRENGTHS for c in claims)
    for claim in claims:
        for cue in claim.strength_cues:
            assert text[cue.start:cue.end] == cue.text and claim.start <= cue.start < cue.end <= claim.end
    by_text = {c.text.split()[0]: c.strength for c in claims}
    assert by_text.get("A") == "causal" and by_text.get("Walking") == "conditional_causal"


def test_claim_strength_is_public():
    import healthclaims

    assert healthclaims.claim_strength is claim_strength


def test_claim_strength_labels_plain_sentences(nlp):
    sentences = ["Coffee reduces the risk of stroke.", "Coffee may reduce the risk of stroke.",
                 "Coffee drinkers were less likely to have a stroke.", "We recruited 300 adults.", ""]
    assert claim_strength(sentences, nlp=nlp) == ["causal", "conditional_causal", "correlational", "none", "none"]
    assert claim_strength([], nlp=nlp) == []


ABSTRACT = (
    "BACKGROUND: Coffee is widely drunk. METHODS: We followed 20,000 adults for ten years. "
    "RESULTS: Coffee drinkers had fewer strokes.\n"
    "CONCLUSIONS: Coffee consumption was associated with a lower risk of stroke."
)


def test_conclusion_sentences_prefer_the_labelled_section():
    assert conclusion_sentences(ABSTRACT) == ["Coffee consumption was associated with a lower risk of stroke."]
    plain = "We studied mice. Mice ran more. Running may protect the heart."
    assert conclusion_sentences(plain) == ["Mice ran more.", "Running may protect the heart."]
    assert conclusion_sentences("  ") == []


def test_causal_claim_on_a_correlational_paper_is_overstated(nlp):
    paper = paper_strength(ABSTRACT, nlp)
    assert paper == PaperStrength("correlational", "Coffee consumption was associated with a lower risk of stroke.")
    assert is_overstated("causal", paper)
    assert is_overstated("conditional_causal", paper)
    assert not is_overstated("correlational", paper)
    assert not is_overstated("causal", PaperStrength("causal", "Coffee prevents stroke."))
    assert not is_overstated("causal", PaperStrength("none", "We describe a cohort."))
    assert not is_overstated("causal", None)
