"""Which citations each sentence relies on: its own, the study "the authors" / "the study" refers to,
the one an adjacent sentence cites, and the study the article keeps reporting across paragraphs.

Linking reads only sentences, citation spans, rule hits and the speakers named in each sentence, so
it works on any Doc with sentences (tests build them by hand).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from healthclaims.components.claims.citerefs import (
    attributions,
    citation_spans,
    explicit_citations,
    generic_ref,
    inside_study_ref,
    nearest_citation,
    organisation_sources,
    own_citations,
)
from healthclaims.components.claims.continuation import (
    OUTCOMES,
    background_hit,
    carried_labels,
    defines,
    modal,
    past_tense,
    regulator_acts,
    reported_clause,
    reports_result,
)
from healthclaims.components.claims.filters import CLOSING, DECK_CHARS, DECK_LINE
from healthclaims.components.claims.rules import RuleHit
from healthclaims.components.common import QUOTE_CHARS
from healthclaims.types import CitationHit
from spacy.tokens import Span

#: ``citation_spans`` and ``nearest_citation`` are part of linking's interface (tests, other components).
__all__ = ["LinkInput", "citation_spans", "explicit_citations", "link_citations", "nearest_citation"]

#: Labels that say a sentence goes on reporting the study under discussion ("the placebo group",
#: "researchers found"), so the link survives a paragraph break (news paragraphs are one or two sentences).
CONTINUES = frozenset({"cohort_ref", "finding"})
#: Labels that stop a sentence from inheriting a neighbour's citation: research in general, a source
#: not involved in the study, a speaker's opinion or prediction.
NOT_INHERITED = frozenset({"vague_source", "outside", "opinion"})
#: Labels of cues that report a result (a finding, a figure, the study's groups or words for research).
RESULTS = frozenset({"finding", "cohort_ref", "statistic", "study_ref", "evidence"})
#: "A new study ..." is the work cited within this many paragraphs after it, or this many sentences.
INTRODUCTION_REACH = 3
INTRODUCTION_SENTENCES = 8
#: Labels of a speaker's own recommendation or practice ("he recommends", "you should"): a study's
#: author saying so speaks for themselves, not for the study.
PERSONAL = frozenset({"practice", "advice"})


@dataclass
class LinkInput:
    """What linking reads: sentences, their paragraphs and rule hits, the citations, and the speakers
    (indexes into ``doc._.hc_speakers``) each sentence names or quotes."""

    sents: Sequence[Span]
    paragraph: Sequence[int]
    hits: dict[int, list[RuleHit]]
    citations: list[CitationHit]
    speakers: Sequence[set[int]] = field(default_factory=list)
    #: The speakers that are a group ("the authors", "the researchers"), not a person.
    groups: frozenset[int] = frozenset()
    #: The citations each speaker is the first author of ("a review by Jane Roe" ... "Roe wrote").
    authors: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class _State:
    topic: list[int] = field(default_factory=list)  # the study most recently introduced
    chain: list[int] = field(default_factory=list)  # what the last linked sentence relied on
    chain_para: int = -1
    chain_voices: set[int] = field(default_factory=set)  # who spoke the sentence that set the chain
    team: dict[int, list[int]] = field(default_factory=dict)  # a study's people -> its citation
    voices: dict[int, list[int]] = field(default_factory=dict)  # a study's team as a group -> its citation
    attributed: bool = False  # a figure attributed to a body ("according to the agency") came before
    uncited: bool = False  # a study the article does not cite is the one under discussion


def link_citations(data: LinkInput) -> list[list[int]]:
    """Citations each sentence relies on, in reading order.

    A sentence's own citation comes first (a mention inside research in general, "several new
    studies", does not count); then a study reference ("the authors", "the UK study") or one of a
    study's people ("lead author Smith", later "Smith said") resolved to the study under discussion;
    then a citation in the adjacent sentence of the same paragraph. A study stays under discussion
    across paragraph breaks: a sentence that goes on reporting it ("the placebo group", "researchers
    found") keeps its link. Vague appeals ("studies show") name no work and break the chain; a source
    that is an organisation ("according to the Society") is no study: it lends its link to the sentences
    beside it in its paragraph only, never along a chain.
    """
    linked: list[list[int]] = [[] for _ in data.sents]
    if not data.citations:
        return linked
    sources = organisation_sources(data.sents, data.hits, data.citations)
    own_cites = own_citations(data.sents, data.hits, data.citations, sources)
    attributed = attributions(data.sents, data.hits, data.citations, sources)
    # what "the studies" / "researchers" can point to: works, not a figure attributed to a body
    works = [c - attributed for c in own_cites]
    cited_in = explicit_citations(data.sents, data.citations, mentions=False)
    refs = [c - sources for c in cited_in]
    state = _State()
    headlines = _headlines(data.sents)
    for i in range(len(data.sents)):
        hits = data.hits.get(i, [])
        labels = _labels(hits)
        if headlines[i] and not own_cites[i]:
            # a headline or a line under it is tied to no study unless it cites one or names it as the
            # source of what it says ("Study finds ...", "..., trial shows"): then to the story's study
            linked[i] = _first_work(i, works, sources) if "names_study" in labels else []
            continue
        # A source not involved in the study mentions it without relying on it: only a citation proper counts.
        # ... and a study not yet published is named by no citation proper: a mention ("the findings") is not it
        mine = refs[i] if "outside" in labels or _uncited(hits) else own_cites[i]
        own = sorted(mine) or _referred(i, hits, labels, works, state, data)
        state.attributed = state.attributed or bool(own_cites[i] & attributed)
        if own:
            if set(own) - sources:
                state.topic, state.uncited = sorted(set(own) - sources), False
            _register_team(i, hits, own, state, data)
        else:
            if state.topic and any(h.rule is not None and h.rule.person for h in _study_refs(hits)):
                # "co-author Smith says he recommends ...", "'X is common,' said senior author Smith": the
                # author's own advice or view, not the study's result; Smith is still one of the study's people
                _register_team(i, hits, state.topic, state, data)
            if _personal(_study_refs(hits), labels):
                continue
            introduces = _introduces(hits)
            if labels & NOT_INHERITED or introduces:
                # research in general, or a study the article does not cite, ends the chain
                state.chain = [] if "vague_source" in labels or introduces else state.chain
                if introduces and not _ahead(i, own_cites, data.paragraph):
                    state.topic, state.uncited = [], True  # a study the article does not cite is now under discussion
                continue
            # how common the condition is, beside a study, is background rather than what the study found
            background = _background(hits, labels) or _general(i, hits, labels, data)
            if _restates(data.sents[i], hits) and i > 0 and linked[i - 1]:
                own = list(linked[i - 1])  # "In other words, ...": what the sentence before relied on
            elif background:
                # ... but a body's figures beside it ("according to the Society") cover it
                lent = [c for c in _adjacent(i, data.paragraph, cited_in, state) if c in attributed]
                lent = lent or _figure_run(i, data, cited_in, attributed)
                if lent and not _voiced(i, hits, data) and _figure(data.sents[i]):
                    linked[i] = lent
                    continue
                own = []
            else:
                # a body's figure ("according to the agency") also covers the sentence beside it in its
                # paragraph ("More than 90 percent of them have Type 2."), unless that sentence gives its own
                # source, and carries no further
                lent = _adjacent(i, data.paragraph, cited_in, state) or _figure_run(i, data, cited_in, attributed)
                own = [c for c in lent if c not in sources] or _continued(i, hits, labels, state, data)
                if not own and lent and not _voiced(i, hits, data) and _figure(data.sents[i]):
                    linked[i] = lent
                    continue
        if own:
            # an organisation's figure ("according to the agency") is the sentence's alone: no chain
            state.chain, state.chain_para = [c for c in own if c not in attributed], data.paragraph[i]
            state.chain_voices = set(data.speakers[i]) if i < len(data.speakers) else set()
        linked[i] = own
    _source_after(data, headlines, sources, linked)
    _lede_of_study(data, headlines, sources, cited_in, linked)
    return linked


#: Labels of a lede that states a finding ("Scientists believe they may have found a new way to ...").
LEDE_FINDING = frozenset({"finding", "efficacy", "safety", "evidence"})


def _lede_of_study(
    data: LinkInput, headlines: list[bool], sources: set[int], cited_in: Sequence[set[int]], linked: list[list[int]]
) -> None:
    """The story's first sentence, stating a finding, is the finding of the study the next sentence goes on
    to report by a reference back ("The research suggests ...", "The study, published in ..., found")."""
    first = next((i for i, h in enumerate(headlines) if not h), None)
    if first is None or linked[first] or first + 1 >= len(data.sents):
        return
    hits = data.hits.get(first, [])
    labels = _labels(hits)
    if not labels & LEDE_FINDING or labels & (NOT_INHERITED | PERSONAL | {"regulatory"}) or _uncited(hits):
        return  # (what a regulator allows, "the only FDA-approved treatment", is background to a study)
    if _background(hits, labels) or _general(first, hits, labels, data):
        return
    works = [c for c in linked[first + 1] if c not in sources]
    refs = _study_refs(data.hits.get(first + 1, []))
    if works and any(h.rule is None or h.rule.refers in ("back", "earlier") for h in refs):
        linked[first] = works
        return
    # a lede that is a paragraph of its own, in the writer's voice, whose finding the next paragraph sources
    # ("..., according to 2 studies published Wednesday in X"): the work that paragraph cites
    alone = first + 1 < len(data.paragraph) and data.paragraph[first + 1] != data.paragraph[first]
    if alone and not refs and not _voiced(first, hits, data):
        following = [j for j in range(first + 1, min(first + 4, len(data.sents))) if data.paragraph[j] == data.paragraph[first + 1]]
        cited = [c for j in following for c in sorted(cited_in[j]) if c not in sources]
        linked[first] = cited[:1]


def _source_after(data: LinkInput, headlines: list[bool], sources: set[int], linked: list[list[int]]) -> None:
    """A sentence that opens on the finding just stated and gives its source ("That finding comes from a
    new study ...", "These results were published in ...") ties the sentence before it to that work."""
    for i in range(1, len(data.sents)):
        works = [c for c in linked[i] if c not in sources]
        if works and not linked[i - 1] and not headlines[i - 1] and _opens_with(data.sents[i], data.hits.get(i, []), "finding_source"):
            linked[i - 1] = works


def _headlines(sents: Sequence[Span]) -> list[bool]:
    """Which sentences are the headline or the lines under it: each on a line of its own without closing
    punctuation, with only such short lines before it."""
    if not sents:
        return []
    text = sents[0].doc.text
    found = []
    for sent in sents:
        start = sent.start_char
        if start > DECK_CHARS:
            found.append(False)
            continue
        # the sentence's whole line ("Got ME? Fatigued patients ... recover, finds study" is one line, two sentences)
        line_start = text.rfind("\n", 0, start) + 1
        before = text[:line_start]
        line_end = text.find("\n", start)
        line = text[line_start : len(text) if line_end < 0 else line_end].strip()
        lines = [x.strip() for x in before.split("\n") if x.strip()]
        found.append(
            bool(line)
            and not line.endswith(CLOSING)
            and all(len(x) <= DECK_LINE and not x.endswith(CLOSING) for x in lines)
        )
    return found


def _first_work(i: int, works: list[set[int]], sources: set[int]) -> list[int]:
    """The first study the article cites after sentence ``i`` (a body's figures are no study)."""
    for cites in works[i + 1 :]:
        studies = sorted(cites - sources)
        if studies:
            return studies[:1]
    return []


def _figure(sent: Span) -> bool:
    """The sentence states a figure ("More than 90 percent of them have Type 2."): what a body's numbers
    beside it cover, unlike a general statement on the condition ("It can cause fatigue.")."""
    return any(t.like_num or t.text == "%" or any(c.isdigit() for c in t.text) for t in sent)


#: Labels of a general statement on a condition or a treatment ("FEFs measure how fast air is exhaled.",
#: "Those drugs can cause nausea."): beside a study's sentence it is background, not what the study found.
GENERAL = frozenset({"health", "mechanism", "safety", "addressee", "efficacy"})


#: Cues that make even a definition a result ("the drug is a safe option, the study found").
DEFINITION_RESULTS = frozenset({"finding", "study_ref", "cohort_ref", "statistic"})


def _general(i: int, hits: list[RuleHit], labels: set[str], data: LinkInput) -> bool:
    """Sentence ``i`` states in the present, with no figure, result or source cue, what a condition or a
    treatment is or does, or defines something ("NGS is a technique that ...")."""
    sent = data.sents[i]
    if defines(sent) and not labels & DEFINITION_RESULTS and not _figure(sent) and not _voiced(i, hits, data):
        return True
    return (
        bool(labels)
        and labels <= GENERAL
        and not ("efficacy" in labels and modal(sent))  # "The combination may represent an effective option": the study's conclusion
        and not past_tense(sent)
        and not _figure(sent)
        and not _voiced(i, hits, data)
    )


def _figure_run(i: int, data: LinkInput, refs: Sequence[set[int]], sources: set[int]) -> list[int]:
    """A body's figures cover a run of figure sentences in a paragraph ("Lung cancer kills 160,000 a year.
    It is diagnosed in 110,000 women. It accounts for 27 percent of deaths, according to the Society.")."""
    if not _figure(data.sents[i]):
        return []
    for step in (1, -1):
        j = i + step
        while 0 <= j < len(data.sents) and data.paragraph[j] == data.paragraph[i] and _figure(data.sents[j]):
            if refs[j]:
                return sorted(refs[j] & sources)
            j += step
    return []


def _voiced(i: int, hits: list[RuleHit], data: LinkInput) -> bool:
    """Sentence ``i`` gives its own source: it names or quotes a speaker, or has a reporting verb ("Symptoms
    include X, Lee said" beside "20 percent are affected, according to the Society" is Lee's, not the Society's)."""
    return bool(i < len(data.speakers) and data.speakers[i]) or any(h.label == "reporting" for h in hits)


def _restates(sent: Span, hits: list[RuleHit]) -> bool:
    """The sentence opens with a paraphrase cue ("In other words, ...", "That means ...")."""
    return _opens_with(sent, hits, "paraphrase")


def _opens_with(sent: Span, hits: list[RuleHit], label: str) -> bool:
    """A hit with this label opens the sentence (punctuation and spaces aside)."""
    first = next((t.i for t in sent if not (t.is_space or t.is_punct)), sent.start)
    return any(h.label == label and h.start == first for h in hits)


def _labels(hits: list[RuleHit]) -> set[str]:
    """The labels of a sentence's hits, where a vague appeal inside a study reference ("new research
    suggests") does not count as vague."""
    return {h.label for h in hits if not inside_study_ref(h, hits)}


def _referred(
    i: int, hits: list[RuleHit], labels: set[str], own_cites: list[set[int]], state: _State, data: LinkInput
) -> list[int]:
    """The study a reference in sentence ``i`` points to: "the study" / "the researchers" to the one
    under discussion, "a new study" to the one the article cites next, a study's person to their study."""
    if labels & NOT_INHERITED and not _own_finding(data.sents[i], labels):
        return []
    refs = _study_refs(hits)
    if _uncited(refs):
        # findings "not yet published": a study no reader can look up, and no longer the one under discussion
        state.topic, state.chain, state.uncited = [], [], True
        return []
    if _personal(refs, labels) or _author_view(data.sents[i], refs, labels):
        return []
    if refs:
        if state.topic and any(h.rule is None or h.rule.refers in ("back", "earlier") for h in refs):
            return list(state.topic)
        if all(h.rule is not None and h.rule.refers == "earlier" for h in refs):
            return _earlier_work(i, own_cites)
        if _introduces(hits):
            return _introduced(i, own_cites, state, data.paragraph)
        if state.uncited:
            # "the results" of the study just introduced: the work the story names later, never one before it
            later = next((min(own_cites[j]) for j in range(i + 1, len(own_cites)) if own_cites[j]), None)
            return [] if later is None else [later]
        if any(own_cites[:i]) or not state.attributed:
            # "the study" in a lede may point to the work the story names later
            return [nearest_citation(i, own_cites)] if any(own_cites) else []
        return []  # past the lede (a body's figure was given), research with no work before it is unnamed
    named = sorted(data.speakers[i] if i < len(data.speakers) else ())
    for speaker in named:
        if speaker in state.voices:
            # "they say", once "the authors" spoke for a study: a team speaks for its study, not for itself
            return list(state.voices[speaker])
    sent = data.sents[i]
    if state.topic and _quoted(sent) and _own_finding(sent, labels) and not labels & NOT_INHERITED:
        # "'After six months, we found ...'": the team on the study under discussion ("In previous work,
        # we found ...", research in general, is not; nor is an outsider's own work)
        return list(state.topic)
    if labels & ({"opinion"} | PERSONAL) or _background(hits, labels):
        return []  # a study's author explaining background or giving a view speaks for no result
    # in their own words, what they saw ("It was striking to see that X fell") is a result; so is an
    # outcome one of the study's people noted ("Cotton noted the patients' anxiety fell"), but not how
    # they explain it ("Razzini cited several reasons, including ...")
    noted = (
        any(s in state.team for s in named)
        and bool(labels & (OUTCOMES - {"mechanism"}))
        and reported_clause(sent) is not None
    )
    if not labels & RESULTS and not ((_quoted(sent) or noted) and reports_result(sent, labels)):
        return []
    for speaker in named:
        if speaker in state.team:
            return list(state.team[speaker])
        # a work's first author writing, once the work is cited, speaks for it; the same person talking to
        # the reporter may be giving an expert's view of someone else's study
        works = [c for c in data.authors.get(speaker, ()) if data.citations[c].start < data.sents[i].start_char]
        if works and any(h.rule is not None and h.rule.writes for h in hits):
            return works
    return []


def _personal(refs: list[RuleHit], labels: set[str]) -> bool:
    """The sentence refers to the study only through one of its people ("study co-author Smith") and
    gives that person's recommendation or practice."""
    return bool(refs) and bool(labels & PERSONAL) and all(h.rule is not None and h.rule.person for h in refs)


def _author_view(sent: Span, refs: list[RuleHit], labels: set[str]) -> bool:
    """A study's author quoted in the present on what is generally so ("'Smoking in pregnancy reflects how
    addictive nicotine is,' said lead author Roe"): the author's own view or background, not the study's result
    (one reported in the past tense, in figures or with a finding verb still is)."""
    return (
        bool(refs)
        and all(h.rule is not None and h.rule.person for h in refs)
        and _quoted(sent)
        and not labels & {"finding", "cohort_ref", "statistic"}
        and not past_tense(sent)
        and not _figure(sent)
        and not any(t.text.lower() in {"we", "our"} for t in sent)  # the team on its own work speaks for the study
    )


def _quoted(sent: Span) -> bool:
    """The sentence opens a direct quote: the speaker's own words."""
    text = sent.text.lstrip()
    return bool(text) and text[0] in QUOTE_CHARS


def _own_finding(sent: Span, labels: set[str]) -> bool:
    """"We compared the many studies done on X and found ...": a team reporting its own finding in the
    first person, whatever research in general it names on the way."""
    return "finding" in labels and "opinion" not in labels and any(t.text.lower() == "we" and t.dep_ == "nsubj" for t in sent)


def _earlier_work(i: int, own_cites: list[set[int]]) -> list[int]:
    """What "these studies" / "the trials" in sentence ``i`` stand for when no study is under discussion:
    the work cited last before it (a review's trials); with none before, research in general, never
    the work the story names later (as "the study" may be)."""
    before = [j for j in range(i - 1, -1, -1) if own_cites[j]]
    return [max(own_cites[before[0]])] if before else []


def _study_refs(hits: list[RuleHit]) -> list[RuleHit]:
    """The sentence's specific study references; a reference back inside one that introduces a study
    ("a recent Canadian study") is part of the introduction."""
    refs = [h for h in hits if h.label == "study_ref" and not generic_ref(h)]
    intros = [(h.start, h.end) for h in refs if h.rule is not None and h.rule.refers == "introduces"]
    return [
        h
        for h in refs
        if (h.rule is not None and h.rule.refers == "introduces") or not any(s < h.end and h.start < e for s, e in intros)
    ]


def _uncited(hits: list[RuleHit]) -> bool:
    return any(h.rule is not None and h.rule.refers == "uncited" for h in hits)


def _introduces(hits: list[RuleHit]) -> bool:
    return any(h.rule is not None and h.rule.refers == "introduces" for h in _study_refs(hits))


def _ahead(i: int, own_cites: list[set[int]], paragraph: Sequence[int]) -> list[int]:
    """The work the article cites first after sentence ``i``, within a few paragraphs."""
    for j in range(i + 1, len(own_cites)):
        if paragraph[j] - paragraph[i] > INTRODUCTION_REACH and j - i > INTRODUCTION_SENTENCES:
            break  # (a story printed a sentence to a paragraph reaches as far in sentences)
        if own_cites[j]:
            return [min(own_cites[j])]
    return []


def _introduced(i: int, own_cites: list[set[int]], state: _State, paragraph: Sequence[int]) -> list[int]:
    """"A new study ...": the work the article cites next (within a few paragraphs); with none ahead, a
    study the article does not cite: no link, and the study under discussion is no longer the topic."""
    found = _ahead(i, own_cites, paragraph)
    if not found:
        state.topic, state.uncited = [], True
    return found


def _register_team(i: int, hits: list[RuleHit], own: list[int], state: _State, data: LinkInput) -> None:
    """"said lead author Jane Smith": Smith speaks for the study from now on; so does a group
    ("the authors say") speaking in a sentence that names the study."""
    if i >= len(data.speakers):
        return
    for speaker in data.speakers[i] & data.groups:
        state.voices.setdefault(speaker, list(own))
    if any(h.rule is not None and h.rule.person for h in hits):
        for speaker in data.speakers[i]:
            state.team.setdefault(speaker, list(own))


def _background(hits: list[RuleHit], labels: set[str]) -> bool:
    """How common a condition is in a population, in figures, with no finding, group, study or evidence cue."""
    return (
        any(h.rule is not None and h.rule.background for h in hits)
        and "statistic" in labels
        and not labels & (RESULTS - {"statistic"})
    )


def _continued(i: int, hits: list[RuleHit], labels: set[str], state: _State, data: LinkInput) -> list[int]:
    """The study the previous sentences reported, when sentence ``i`` goes on reporting it: within the
    paragraph always (background on how common the condition is aside); in the next paragraph when it
    names the study's groups, people or findings, or states a result in the past tense ("Most patients
    had less pain.", "Complications occurred in 9 percent.") and is no other speaker's."""
    if not state.chain:
        # "both groups", "the placebo group" can only be the study under discussion's, even after an aside
        # broke the chain ("..., which experts say is typical.")
        return list(state.topic) if "cohort_ref" in labels else []
    if data.paragraph[i] == state.chain_para:
        named = data.speakers[i] if i < len(data.speakers) else set()
        if named - state.chain_voices and _other_voice(i, state, data) and not labels & RESULTS and not past_tense(data.sents[i]):
            # "Roe also says exercise can improve circulation": an interviewee's view beside the study (but an
            # interviewee going on about the study they just spoke of, "... We cannot say it has proven its efficacy", goes on)
            return []
        return list(state.chain)
    carried = carried_labels(data.sents[i], hits, labels)
    if "cohort_ref" in carried:
        return list(state.chain)  # "the placebo group" can only be the study's, however far on
    if data.paragraph[i] - state.chain_para > 1:
        return []
    if carried & CONTINUES:
        return list(state.chain)
    if i > 0 and data.paragraph[i - 1] == data.paragraph[i]:
        return []  # the paragraph began with something other than the study's results
    if (
        reports_result(data.sents[i], labels)
        and not background_hit(hits)
        and not regulator_acts(data.sents[i], hits)
        and not _other_voice(i, state, data)
    ):
        return list(state.chain)
    return []


def _other_voice(i: int, state: _State, data: LinkInput) -> bool:
    """Sentence ``i`` names or quotes someone who has not spoken for the study: an interviewee's view."""
    named = data.speakers[i] if i < len(data.speakers) else set()
    return any(s not in state.team and s not in state.voices for s in named)


def _adjacent(i: int, paragraph: Sequence[int], refs: Sequence[set[int]], state: _State) -> list[int]:
    """Citations in the sentences just before and after ``i`` within its paragraph; the next sentence's
    only when the paragraph is not already reporting a study ("The subjects improved. In another study,
    (Lee 2019) ..." goes on with the first study)."""
    adjacent: set[int] = set()
    if i > 0 and paragraph[i - 1] == paragraph[i]:
        adjacent |= refs[i - 1]
    reporting = bool(state.chain) and state.chain_para == paragraph[i]
    if i + 1 < len(paragraph) and paragraph[i + 1] == paragraph[i] and not reporting:
        adjacent |= refs[i + 1]
    return sorted(adjacent)
