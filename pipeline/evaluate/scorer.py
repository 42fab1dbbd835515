"""Scoring healthclaims records against gold annotations, as ANNOTATION.md "How extractions are scored" says.

Library half of ``healthclaims evaluate``: per-article counts and errors, micro-averaged figures, floors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from healthclaims.evaluate.fields import names_match, venues_match, years_match

CATEGORIES = ("direct_quotes", "indirect_quotes", "citations", "claims", "techniques")
#: Attribute accuracies reported per category, in summary order.
ATTRIBUTES = {
    "direct_quotes": ("speaker",),
    "indirect_quotes": ("speaker",),
    "citations": ("first_author", "year", "venue"),
    "claims": ("cited",),
    "techniques": (),
}



@dataclass
class Tally:
    """Counts for one category; ``attrs`` maps an attribute to [correct, scored]."""

    tp: int = 0
    tp_pred: int = 0
    fp: int = 0
    fn: int = 0
    attrs: dict[str, list[int]] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        """Add ``other``'s counts into this tally (micro-averaging)."""
        self.tp, self.tp_pred = self.tp + other.tp, self.tp_pred + other.tp_pred
        self.fp, self.fn = self.fp + other.fp, self.fn + other.fn
        for name, (ok, n) in other.attrs.items():
            mine = self.attrs.setdefault(name, [0, 0])
            mine[0], mine[1] = mine[0] + ok, mine[1] + n

    def score(self, name: str, correct: bool) -> None:
        """Record one scored attribute pair."""
        mine = self.attrs.setdefault(name, [0, 0])
        mine[0] += int(correct)
        mine[1] += 1

    def figures(self, category: str) -> dict[str, Any]:
        """Precision, recall, F1, counts and ``<attr>_accuracy`` for this category, keyed stably."""
        p = self.tp_pred / (self.tp_pred + self.fp) if self.tp_pred + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out: dict[str, Any] = {
            "precision": p,
            "recall": r,
            "f1": f1,
            "tp": self.tp,
            "tp_pred": self.tp_pred,
            "fp": self.fp,
            "fn": self.fn,
        }
        for name in ATTRIBUTES[category]:
            ok, n = self.attrs.get(name, [0, 0])
            out[f"{name}_accuracy"] = ok / n if n else None
        return out


@dataclass
class ScoreError:
    """One miss, false positive, or wrong attribute (``error`` is "miss", "false_positive" or the attribute)."""

    article: str
    category: str
    error: str
    start: int
    end: int
    text: str
    gold: Any = None
    predicted: Any = None


@dataclass
class ArticleScore:
    """The tallies and errors of one article."""

    article: str
    tallies: dict[str, Tally]
    errors: list[ScoreError]

    def summary(self) -> dict[str, dict[str, Any]]:
        """Figures per category, as ``CorpusScore.summary``."""
        return {c: self.tallies[c].figures(c) for c in CATEGORIES}


@dataclass
class CorpusScore:
    """Scores of a set of articles, micro-averaged in ``summary``."""

    articles: list[ArticleScore] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, Any]]:
        """Micro-averaged figures: counts summed over articles, then precision/recall/F1/accuracies."""
        totals = {c: Tally() for c in CATEGORIES}
        for art in self.articles:
            for c in CATEGORIES:
                totals[c].add(art.tallies[c])
        return {c: totals[c].figures(c) for c in CATEGORIES}

    def per_article(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Figures per article id, each shaped like ``summary()``."""
        return {art.article: art.summary() for art in self.articles}

    def errors(self) -> list[ScoreError]:
        """Every error of every article, in article order."""
        return [e for art in self.articles for e in art.errors]


# ---------------------------------------------------------------- matching


def _bounds(item: dict[str, Any], where: str) -> tuple[int, int]:
    try:
        return int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: every span needs integer 'start' and 'end', got {item!r}") from exc


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match(
    gold: list[tuple[int, int]], pred: list[tuple[int, int]], admissible: Callable[[int, tuple[int, int], tuple[int, int]], bool]
) -> dict[int, int]:
    """Greedy one-to-one matching by decreasing overlap; returns {gold index: predicted index}."""
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g, p)
            if ov > 0 and admissible(ov, g, p):
                pairs.append((-ov, gi, pi))
    pairs.sort()
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in matched and pi not in used:
            matched[gi] = pi
            used.add(pi)
    return matched


def _half_of_longer(ov: int, g: tuple[int, int], p: tuple[int, int]) -> bool:
    return 2 * ov >= max(g[1] - g[0], p[1] - p[0])


def _half_of_gold(ov: int, g: tuple[int, int], p: tuple[int, int]) -> bool:
    return 2 * ov >= g[1] - g[0]


def _any_overlap(ov: int, g: tuple[int, int], p: tuple[int, int]) -> bool:
    return True


# ---------------------------------------------------------------- scoring


def score_article(gold: dict[str, Any], record: Any, article_id: str | None = None) -> ArticleScore:
    """Score one healthclaims record (a dict or a ``Record``) against one gold annotation dict.


    Conventions (the annotation guide leaves these open):

    - Matching is one-to-one and greedy: all admissible (gold, predicted) pairs are taken in order of
      decreasing overlap (ties: earlier gold, then earlier prediction) and kept when both are still free.
    - Precision or recall whose denominator is zero is reported as 0.0, and F1 is then 0.0: a record
      with no predictions scores precision 0.0, not 1.0. Read ``tp``/``fp``/``fn`` for such cases.
    - ``tp`` counts gold items found (the recall numerator); ``tp_pred`` counts predictions judged correct
      (the precision numerator). They differ only for claims (a prediction matching a borderline gold
      claim is correct, but a missed borderline claim is not a miss) and techniques (grouped counts).
    - Attribute accuracies (speaker, first_author, year, venue, cited) are over matched pairs; a
      citation field is scored only where the gold states it (a gold field absent or null is not
      scored; a predicted null where gold has a value is wrong). Quote speakers are always scored:
      null against null is correct. An accuracy with nothing scored is ``None`` (shown as ``-``).
    - Names match when equal after case-folding, or when their surnames match: the last token once
      titles (Dr., Prof.), post-nominals (MD, PhD, Jr.) and punctuation are dropped; names joined by
      "and" match when their sets of surnames are equal.
    - Citations match on their main span only (not their ``mentions``). Claims matched to borderline
      gold claims still count for ``cited`` accuracy.

    Raises:
        ValueError: a span lacks offsets, or a gold span's text differs from the record's (non-empty)
            article text: the two were not made from the same file.
    """
    if hasattr(record, "model_dump"):
        record = record.model_dump()
    article = record.get("article") or {}
    text = article.get("text")
    art_id = article_id or gold.get("id") or article.get("id") or "?"
    # An empty text stands for a missing record (the CLI scores it as empty): nothing to check against.
    if text:
        for key in ("quotes", "citations", "claims", "techniques"):
            for item in gold.get(key) or []:
                start, end = _bounds(item, f"{art_id} gold {key}")
                if "text" in item and text[start:end] != item["text"]:
                    raise ValueError(
                        f"{art_id}: gold {key[:-1]} {start}-{end} {item['text']!r} does not match the "
                        f"record's article text {text[start:end]!r}; were both made from the same file?"
                    )
    tallies = {c: Tally() for c in CATEGORIES}
    errors: list[ScoreError] = []

    def span_text(item: dict[str, Any]) -> str:
        if "text" in item:
            return str(item["text"])
        return text[item["start"] : item["end"]] if text is not None else ""

    def err(cat: str, kind: str, item: dict[str, Any], gold_value: Any = None, pred_value: Any = None) -> None:
        errors.append(
            ScoreError(art_id, cat, kind, item["start"], item["end"], span_text(item), gold_value, pred_value)
        )

    def misses_and_fps(cat: str, golds: list[dict[str, Any]], preds: list[dict[str, Any]], matched: dict[int, int]) -> None:
        used = set(matched.values())
        errors_fn = [g for gi, g in enumerate(golds) if gi not in matched]
        errors_fp = [p for pi, p in enumerate(preds) if pi not in used]
        tallies[cat].fn += len(errors_fn)
        tallies[cat].fp += len(errors_fp)
        for g in errors_fn:
            err(cat, "miss", g)
        for p in errors_fp:
            err(cat, "false_positive", p)

    speakers = {s.get("id"): s.get("name") for s in record.get("speakers") or []}
    for kind in ("direct", "indirect"):
        cat = f"{kind}_quotes"
        golds = [q for q in gold.get("quotes") or [] if q.get("kind") == kind]
        preds = [q for q in record.get("quotes") or [] if q.get("kind") == kind]
        matched = _match([_bounds(g, cat) for g in golds], [_bounds(p, cat) for p in preds], _half_of_longer)
        for gi, pi in matched.items():
            tallies[cat].tp += 1
            tallies[cat].tp_pred += 1
            want, got = golds[gi].get("speaker"), speakers.get(preds[pi].get("speaker_id"))
            ok = names_match(want, got)
            tallies[cat].score("speaker", ok)
            if not ok:
                err(cat, "speaker", golds[gi], want, got)
        misses_and_fps(cat, golds, preds, matched)

    cat = "citations"
    golds, preds = list(gold.get("citations") or []), list(record.get("citations") or [])
    matched = _match([_bounds(g, cat) for g in golds], [_bounds(p, cat) for p in preds], _any_overlap)
    checks = {"first_author": names_match, "year": years_match, "venue": venues_match}
    for gi, pi in matched.items():
        tallies[cat].tp += 1
        tallies[cat].tp_pred += 1
        for name, same in checks.items():
            want, got = golds[gi].get(name), preds[pi].get(name)
            if want is None:
                continue
            ok = same(want, got)
            tallies[cat].score(name, ok)
            if not ok:
                err(cat, name, golds[gi], want, got)
    misses_and_fps(cat, golds, preds, matched)

    cat = "claims"
    golds, preds = list(gold.get("claims") or []), list(record.get("claims") or [])
    matched = _match([_bounds(g, cat) for g in golds], [_bounds(p, cat) for p in preds], _half_of_gold)
    borderline = {gi for gi, g in enumerate(golds) if "borderline" in str(g.get("note") or "").casefold()}
    for gi, pi in matched.items():
        tallies[cat].tp += gi not in borderline
        tallies[cat].tp_pred += 1
        want, got = bool(golds[gi].get("cited")), bool(preds[pi].get("cited"))
        tallies[cat].score("cited", want == got)
        if want != got:
            err(cat, "cited", golds[gi], want, got)
    # A missed borderline claim is not a miss: leave it out of the unmatched gold.
    unmatched_ok = {gi: -1 for gi in borderline if gi not in matched}
    misses_and_fps(cat, golds, preds, {**matched, **unmatched_ok})

    cat = "techniques"
    groups: dict[str, list[dict[str, Any]]] = {}
    for mention in gold.get("techniques") or []:
        groups.setdefault(str(mention.get("canonical") or mention.get("text") or "").casefold(), []).append(mention)
    gold_spans = [_bounds(m, cat) for ms in groups.values() for m in ms]
    pred_spans = [_bounds(m, cat) for t in record.get("techniques") or [] for m in t.get("mentions") or []]
    for canonical, mentions in groups.items():
        if any(_overlap(_bounds(m, cat), p) for m in mentions for p in pred_spans):
            tallies[cat].tp += 1
        else:
            tallies[cat].fn += 1
            err(cat, "miss", mentions[0], canonical, None)
    for tech in record.get("techniques") or []:
        mentions = tech.get("mentions") or []
        if any(_overlap(_bounds(m, cat), g) for m in mentions for g in gold_spans):
            tallies[cat].tp_pred += 1
        else:
            tallies[cat].fp += 1
            first = mentions[0] if mentions else {"start": 0, "end": 0, "text": ""}
            err(cat, "false_positive", first, None, tech.get("canonical"))
    return ArticleScore(art_id, tallies, errors)


def score_corpus(pairs: Iterable[tuple[str, dict[str, Any], Any]]) -> CorpusScore:
    """Score (article id, gold, record) triples; ``summary()`` of the result micro-averages them."""
    return CorpusScore([score_article(gold, record, article_id=aid) for aid, gold, record in pairs])
