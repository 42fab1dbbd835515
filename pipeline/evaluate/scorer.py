"""Scoring healthclaims records against gold annotations, as ANNOTATION.md "How extractions are scored" says.

Library half of ``healthclaims evaluate``: per-article counts and errors, micro-averaged figures, floors.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ("direct_quotes", "indirect_quotes", "citations", "claims", "techniques")
#: Attribute accuracies reported per category, in summary order.
ATTRIBUTES = {
    "direct_quotes": ("speaker",),
    "indirect_quotes": ("speaker",),
    "citations": ("first_author", "year", "venue"),
    "claims": ("cited",),
    "techniques": (),
}

# Titles and post-nominals carry no identity: "Dr. Jane Smith, MD" must match "Smith".
_TITLES = frozenset({"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev"})
_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "md", "phd", "mph", "msc", "rn", "dds", "dc", "dpt", "lac", "np", "facs", "frcs"}
)
_NON_WORD = re.compile(r"[^\w'\-]+")
_NON_ALNUM = re.compile(r"[^\w]+")


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


# ---------------------------------------------------------------- normalisation


def _fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value.replace("\u2019", "'").replace("\u2018", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _surname(name: str) -> str:
    # Periods go before splitting so that "M.D." and "Ph.D." read as the post-nominals "md", "phd".
    tokens = [t.strip("'-") for t in _NON_WORD.split(_fold(name).replace(".", ""))]
    tokens = [t for t in tokens if t and t not in _TITLES and t not in _SUFFIXES]
    return tokens[-1] if tokens else ""


def names_match(gold: str | None, predicted: str | None) -> bool:
    """True when both are null, equal after case-folding, or have the same surname(s)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if " ".join(_fold(gold).split()) == " ".join(_fold(predicted).split()):
        return True
    # "Gray and Rodriguez": compare the set of surnames, so one of two people is not a match.
    split = re.compile(r"\s+(?:and|&)\s+|\s*&\s*")
    gold_names = {_surname(part) for part in split.split(_fold(gold))} - {""}
    pred_names = {_surname(part) for part in split.split(_fold(predicted))} - {""}
    return bool(gold_names) and gold_names == pred_names


def _venue_key(venue: str) -> str:
    words = _NON_ALNUM.sub(" ", _fold(venue).replace("&", " and ")).split()
    # "the journal Pediatrics" and "Pediatrics" name the same venue.
    if words[:1] == ["the"]:
        words = words[1:]
    if words[:1] == ["journal"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def venues_match(gold: str | None, predicted: str | None) -> bool:
    """True when the venues are equal after case-folding, punctuation and a leading "the"/"the journal"."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return _venue_key(gold) == _venue_key(predicted)


def years_match(gold: Any, predicted: Any) -> bool:
    """True when both years are the same integer ("2013" equals 2013)."""
    try:
        return predicted is not None and int(gold) == int(predicted)
    except (TypeError, ValueError):
        return False


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


def load_gold_dir(path: str | Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """Return (id, text path, gold) for every ``NAME.gold.json`` in a folder, sorted by name.

    Raises:
        ValueError: the folder does not exist, holds no ``*.gold.json``, a gold file is not a JSON
            object, or its ``NAME.txt`` is missing.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ValueError(f"gold folder {str(folder)!r} does not exist or is not a folder")
    files = sorted(folder.glob("*.gold.json"))
    if not files:
        raise ValueError(f"no gold files (NAME.gold.json beside NAME.txt) in {str(folder)!r}")
    out = []
    for gold_path in files:
        name = gold_path.name[: -len(".gold.json")]
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{gold_path}: not valid JSON: {exc}") from exc
        if not isinstance(gold, dict):
            # A malformed file is a bad input value: the CLI reports ValueError to the user.
            raise ValueError(f"{gold_path}: a gold file must hold a JSON object")  # noqa: TRY004
        txt = gold_path.with_name(f"{name}.txt")
        if not txt.is_file():
            raise ValueError(f"{gold_path}: its article {txt.name!r} is missing")
        out.append((name, txt, gold))
    return out


def check_floors(summary: dict[str, dict[str, Any]], floors: dict[str, float]) -> list[str]:
    """Return a message for each figure below its floor (``{"claims.f1": 0.8, ...}``); [] when all pass.

    An undefined figure (an accuracy with nothing scored) is below any floor.

    Raises:
        ValueError: a key is not ``category.figure`` of the summary, or a floor is not a number.
    """
    failures = []
    for key, floor in floors.items():
        category, _, figure = key.partition(".")
        if category not in summary or figure not in summary[category]:
            allowed = ", ".join(f"{c}.{f}" for c in summary for f in summary[c])
            raise ValueError(f"unknown floor {key!r}; allowed: {allowed}")
        if isinstance(floor, bool) or not isinstance(floor, (int, float)) or math.isnan(floor):
            raise ValueError(f"floor {key!r} must be a number, got {floor!r}")
        value = summary[category][figure]
        if value is None:
            failures.append(f"{key} is undefined (nothing scored), floor {floor:.3f}")
        elif value < floor:
            failures.append(f"{key} = {value:.3f} is below its floor {floor:.3f}")
    return failures


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table(summary: dict[str, dict[str, Any]]) -> str:
    """A fixed-width table of a summary: one row per category, attribute accuracies at the end."""
    lines = [f"{'':<16}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}  accuracy"]
    for cat, fig in summary.items():
        accs = "  ".join(f"{k[: -len('_accuracy')]} {_fmt(v)}" for k, v in fig.items() if k.endswith("_accuracy"))
        lines.append(
            f"{cat:<16}{fig['precision']:>7.3f}{fig['recall']:>7.3f}{fig['f1']:>7.3f}"
            f"{fig['tp']:>6}{fig['fp']:>6}{fig['fn']:>6}  {accs}".rstrip()
        )
    return "\n".join(lines)


def format_errors(errors: Iterable[ScoreError], width: int = 90) -> str:
    """One line per error, grouped under each article id: kind, span, text, gold vs predicted."""
    lines: list[str] = []
    current = None
    for e in errors:
        if e.article != current:
            current = e.article
            lines.append(f"== {current}")
        text = " ".join(e.text.split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        values = "" if e.error in ("miss", "false_positive") else f"  gold={e.gold!r} predicted={e.predicted!r}"
        label = f"{e.category} {e.error}"
        if e.category == "techniques" and e.error in ("miss", "false_positive"):
            values = f"  [{e.gold if e.error == 'miss' else e.predicted}]"
        lines.append(f"  {label:<30}{e.start:>6}-{e.end:<6} {text!r}{values}")
    return "\n".join(lines)
