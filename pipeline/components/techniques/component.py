"""The healthclaims_techniques component: finds named therapeutic methods and non-drug interventions.

It matches the curated lexicon ``models/techniques.jsonl`` and the one generated from MeSH,
``models/techniques_mesh.jsonl``, and stores one ``TechniqueHit`` per technique on
``doc._.hc_techniques`` and every mention as a span in ``doc.spans["techniques"]`` (label: the
category, kb_id: the MeSH descriptor, id: the lexicon entry). The lexicon text travels with
``nlp.to_disk``, so a saved pipeline loads without the repository.
"""

from __future__ import annotations

from pathlib import Path

from healthclaims.components.base import RuleData, require
from healthclaims.components.common import doc_text, longest_first
from healthclaims.components.techniques.context import ContextVetoes
from healthclaims.components.techniques.folding import HeadFolds
from healthclaims.components.techniques.lexicon import (
    CATEGORIES,
    LEXICON,
    MESH_LEXICON,
    Lexicon,
    LexiconLine,
    Technique,
    build_lexicon,
    expand_phrase,
    lexicon_path,
    load_lexicon,
)
from healthclaims.components.techniques.matching import Candidate, Rule, TechniqueMatcher, parenthesised, told_by_verb
from healthclaims.components.techniques.named import headed_procedures, named_programmes, suffixed_procedures
from healthclaims.types import Mention, TechniqueHit, ensure_extensions, overlaps_any, results
from spacy.language import Language
from spacy.tokens import Doc, Span

__all__ = ["CATEGORIES", "SPANS_KEY", "TechniqueExtractor", "expand_phrase", "load_lexicon"]

#: The ``doc.spans`` group that holds every technique mention.
SPANS_KEY = "techniques"
#: What the component reads from the trained pipeline: part-of-speech tags tell a title's
#: modifiers and proper names, sentence boundaries bound a capitalised name.
NEEDS = ("tags", "sentences")


class TechniqueExtractor(RuleData):
    """spaCy component: finds technique mentions and stores them grouped by technique."""

    def __init__(
        self,
        nlp: Language,
        name: str = "healthclaims_techniques",
        lexicon: str = LEXICON,
        mesh_lexicon: str | None = MESH_LEXICON,
    ):
        ensure_extensions()
        self.nlp = nlp
        self.name = name
        files = {"lexicon": str(lexicon_path(lexicon))}
        if mesh_lexicon:
            files["mesh_lexicon"] = str(lexicon_path(mesh_lexicon))
        self.init_rules(files)
        # The copies that to_disk writes are named by the file, not by where it was read from.
        self.rule_files = {key: Path(path).name for key, path in files.items()}

    def load_rules(self) -> None:
        """(Re)build the lexicon, the matchers and the vetoes from the rule files' text."""
        parts = [
            (self.rule_sources.get(key, name), self.rules(key, LexiconLine)) for key, name in self.rule_files.items()
        ]
        self.lexicon: Lexicon = build_lexicon(parts)
        self.matcher = TechniqueMatcher(self.nlp, self.lexicon)
        self.vetoes = ContextVetoes(self.lexicon)
        self.head_folds = HeadFolds(self.lexicon)
        self.everyday = [frozenset(t.everyday_after) for t in self.lexicon.techniques]

    def __call__(self, doc: Doc) -> Doc:
        require(doc, self.name, NEEDS)
        text = doc_text(doc)  # spaCy rebuilds doc.text from the tokens on every access
        hits, spans = self.set_annotations(doc, self.match(doc, text), text)
        hits, spans = self.fold_generic(doc, *self.add_named(doc, text, hits, spans))
        doc._.hc_techniques = hits
        doc.spans[SPANS_KEY] = spans
        return doc

    def match(self, doc: Doc, text: str | None = None) -> list[Candidate]:
        """Matches ``(rule, start, end)`` that survive the longest-match and context rules, by start.

        ``text`` is ``doc.text``, when the caller has it already.
        """
        text = doc_text(doc) if text is None else text
        chosen = longest_first(self.matcher.candidates(doc))
        taken = [False] * len(doc)
        for _, start, end in chosen:
            taken[start:end] = [True] * (end - start)
        boilerplate = results(doc, "hc_boilerplate")
        controls = self.vetoes.control_cues(text)
        kept = [
            (rule, start, end)
            for rule, start, end in chosen
            if rule.kind != "stop"
            and not self.vetoes.vetoed(doc, start, end, text, taken)
            and not self._everyday(doc, rule, start)
            and not (controls and self.vetoes.in_control_arm(doc, start, end, controls))
            and not overlaps_any(doc[start:end].start_char, doc[start:end].end_char, boilerplate)
        ]
        kept = self._gate_everyday(doc, kept)
        kept.extend(self.matcher.elided(doc, kept, taken))
        if self.lexicon.nominals:
            kept.extend(told_by_verb(doc, self.lexicon.nominals, self.matcher.phrase_index, taken))
        return sorted(kept, key=lambda c: c[1])

    def _gate_everyday(self, doc: Doc, kept: list[Candidate]) -> list[Candidate]:
        """``kept`` less the everyday activities and outcomes of ``intervention_only`` phrases
        ("walking", "weight loss") that the text does not give or advise as an intervention."""
        gated = self.lexicon.gated
        if not any(gated):
            return kept
        is_gated = [
            rule.index >= 0 and rule.kind == "phrase" and " ".join(doc[start:end].text.lower().split()) in gated[rule.index]
            for rule, start, end in kept
        ]
        if not any(is_gated):
            return kept
        others = [False] * len(doc)
        for (_, start, end), gate in zip(kept, is_gated):
            if not gate:
                others[start:end] = [True] * (end - start)
        # one that the context lets count lets its conjuncts count too: "quitting smoking, weight loss
        # and eating a healthy diet" under "include"; so until nothing changes
        passed = [not gate for gate in is_gated]
        changed = True
        while changed:
            changed = False
            for i, (_, start, end) in enumerate(kept):
                if not passed[i] and self.vetoes.given_as_intervention(doc, start, end, others):
                    passed[i] = changed = True
                    others[start:end] = [True] * (end - start)
        return [candidate for candidate, ok in zip(kept, passed) if ok]

    def _everyday(self, doc: Doc, rule: Rule, start: int) -> bool:
        """ "a daily exercise routine", "a recommended exercise program": the word before the match is
        one of its technique's ``everyday_after`` words, so it is a habit or advice, not a therapy given."""
        if rule.index < 0 or start == 0:
            return False
        return doc[start - 1].lower_ in self.everyday[rule.index]

    def fold_generic(
        self, doc: Doc, hits: list[TechniqueHit], spans: list[Span]
    ) -> tuple[list[TechniqueHit], list[Span]]:
        """Hand a generic technique's mentions to the specific one it means when the text names it.

        Two ways: the entry's ``folds_into`` ids ("bilateral knee surgery" in a story about knee
        replacement), and the head-noun match of ``HeadFolds`` ("laser therapy" in a story about
        low-level laser therapy).
        """
        by_id = {t.id: t for t in self.lexicon.techniques}
        found = {hit.rule: hit for hit in hits}
        moved: dict[int, Technique] = {}  # start char of a folded mention -> the specific technique
        for hit in hits:
            technique = by_id.get(hit.rule or "")
            targets = [found[i] for i in technique.folds_into if i in found] if technique else []
            if not technique or not targets:
                continue
            target = max(targets, key=lambda h: len(h.mentions))
            # Only the generic words fold ("knee surgery"); a named procedure of the entry
            # ("osteochondral repair") stays what it is.
            word = technique.canonical.split()[0]
            folded = [m for m in hit.mentions if m.text.lower().startswith(word)]
            self._move(hit, target, folded, moved, by_id)
        for hit, target, folded in self.head_folds.folds(hits):
            self._move(hit, target, folded, moved, by_id)
        if not moved:
            return hits, spans
        relabelled = []
        for span in spans:
            specific = moved.get(span.start_char)
            if specific is not None:
                span = Span(doc, span.start, span.end, label=specific.category, kb_id=specific.mesh_id or "", span_id=specific.id)
            relabelled.append(span)
        return [h for h in hits if h.mentions], relabelled

    @staticmethod
    def _move(
        hit: TechniqueHit, target: TechniqueHit, folded: list[Mention], moved: dict[int, Technique], by_id: dict[str, Technique]
    ) -> None:
        hit.mentions = [m for m in hit.mentions if m not in folded]
        target.mentions = sorted([*target.mentions, *folded], key=lambda m: (m.start, m.end))
        moved.update({m.start: by_id[target.rule or ""] for m in folded})

    def add_named(
        self, doc: Doc, text: str, hits: list[TechniqueHit], spans: list[Span]
    ) -> tuple[list[TechniqueHit], list[Span]]:
        """``hits`` and ``spans`` with the named programmes ("the Quilby Method"), the procedures told by
        their ending ("subchondroplasty") and those told by a modifier and a head noun ("zorbitis
        surgery") that no lexicon match covers."""
        if not self.lexicon.named and not self.lexicon.suffixed and not self.lexicon.headed:
            return hits, spans
        taken = [False] * len(doc)
        for span in spans:
            taken[span.start : span.end] = [True] * (span.end - span.start)
        boilerplate = results(doc, "hc_boilerplate")
        by_name = {hit.canonical: hit for hit in hits}
        found = [
            (m.start, m.end, m.rule.category, m.rule.named, m.canonical)
            for m in named_programmes(doc, text, self.lexicon.named, taken)
        ] + [
            (i, i + 1, rule.category, rule.suffixed, canonical)
            for rule, i, canonical in suffixed_procedures(doc, text, self.lexicon.suffixed, taken)
        ] + [
            (start, end, rule.category, rule.headed, canonical)
            for rule, start, end, canonical in headed_procedures(doc, text, self.lexicon.headed, taken)
        ]
        for start, end, category, rule_id, canonical in found:
            span = Span(doc, start, end, label=category, span_id=rule_id)
            # a word the ending rule took stays its own ("zorbiplasty surgery")
            if any(taken[start:end]) or (
                self.vetoes.vetoed(doc, start, end, text, taken)
                or overlaps_any(span.start_char, span.end_char, boilerplate)
            ):
                continue
            taken[start:end] = [True] * (end - start)
            hit = by_name.get(canonical)
            if hit is None:
                hit = by_name[canonical] = TechniqueHit(canonical=canonical, category=category, mesh_id=None, rule=rule_id)
                hits.append(hit)
            hit.mentions.append(Mention.of(text, span.start_char, span.end_char))
            spans.append(span)
        for hit in hits:
            hit.mentions.sort(key=lambda m: (m.start, m.end))
        return sorted(hits, key=lambda h: h.mentions[0].start), sorted(spans, key=lambda s: s.start)

    def set_annotations(
        self, doc: Doc, matches: list[Candidate], text: str | None = None
    ) -> tuple[list[TechniqueHit], list[Span]]:
        """Group the matches by technique into ``TechniqueHit``s (sorted by first mention) and spans."""
        hits: dict[int, TechniqueHit] = {}
        spans: list[Span] = []
        text = doc_text(doc) if text is None else text
        covered_to = 0
        for rule, start, end in matches:
            if start < covered_to:
                continue
            technique = self.lexicon.techniques[rule.index]
            # Keep "functional electrical stimulation (FES)" as one mention, as a reader would mark it.
            if parenthesised(doc, end) in self.matcher.abbreviations[rule.index]:
                end += 3
                covered_to = end
            span = Span(doc, start, end, label=technique.category, kb_id=technique.mesh_id or "", span_id=technique.id)
            spans.append(span)
            hit = hits.get(rule.index)
            if hit is None:
                hit = hits[rule.index] = TechniqueHit(
                    canonical=technique.canonical,
                    category=technique.category,
                    mesh_id=technique.mesh_id,
                    rule=technique.id,
                )
            hit.mentions.append(Mention.of(text, span.start_char, span.end_char))
        for hit in hits.values():
            hit.mentions.sort(key=lambda m: (m.start, m.end))
        return sorted(hits.values(), key=lambda h: h.mentions[0].start), spans


@Language.factory(
    "healthclaims_techniques",
    default_config={"lexicon": LEXICON, "mesh_lexicon": MESH_LEXICON},
    assigns=["doc._.hc_techniques", "doc.spans"],  # doc.spans[SPANS_KEY]
    requires=["token.pos", "token.is_sent_start"],
)
def make_techniques(nlp: Language, name: str, lexicon: str, mesh_lexicon: str | None) -> TechniqueExtractor:
    """Build the techniques component from lexicons under ``models/`` (or paths to them).

    ``mesh_lexicon`` is the generated MeSH lexicon; ``null`` leaves it out.
    """
    return TechniqueExtractor(nlp, name, lexicon, mesh_lexicon)
