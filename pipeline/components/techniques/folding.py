"""Head-noun folding: a generic mention joins the one specific technique of the article it is short for.

"laser therapy" in a story about low-level laser therapy, "electrical stimulation" in one about
transcutaneous electrical nerve stimulation, "behavioral therapy" in one about cognitive behavioral
therapy: the mention's words (less the generic tail words of ``fold_filler``: "therapy", "treatment")
are all words of the specific technique's canonical name, and both end in the same head word. The
mention folds only when exactly one technique of the article (of its category) fits, and not when the
specific technique's extra words set it against the generic one (``fold_contrast``: "partial knee
replacement" is not what "knee replacement" means, nor "sham acupuncture" what "acupuncture" does),
nor into a specific technique named only once when the generic one has more mentions.
"""

from __future__ import annotations

import re

from healthclaims.components.techniques.lexicon import Lexicon
from healthclaims.types import Mention, TechniqueHit

_WORD = re.compile(r"[^\W\d_]+")


class HeadFolds:
    """The lexicon's folding words, and the folds they allow among one article's techniques."""

    def __init__(self, lexicon: Lexicon):
        self.filler = lexicon.context["fold_filler"]
        self.contrast = lexicon.context["fold_contrast"]
        self.variants = lexicon.variants

    def words(self, text: str) -> list[str]:
        """The normalised content words of ``text``: spelling variants, "-ical" and plurals merged, tails left out."""
        out = []
        for word in _WORD.findall(text.lower()):
            if word in self.filler:
                continue
            word = self.variants.get(word, (word,))[0]
            if word.endswith("ical"):  # electric / electrical
                word = word[:-2]
            if word.endswith("ies") and len(word) > 4:
                word = word[:-3] + "y"
            elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
                word = word[:-1]
            out.append(word)
        return out

    def folds(self, hits: list[TechniqueHit]) -> list[tuple[TechniqueHit, TechniqueHit, list[Mention]]]:
        """``(generic hit, specific hit, mentions to move)`` for every fold among ``hits``."""
        names = {id(hit): self.words(hit.canonical) for hit in hits}
        found = []
        for hit in hits:
            moves: dict[int, tuple[TechniqueHit, list[Mention]]] = {}
            for mention in hit.mentions:
                target = self._target(mention, hit, hits, names)
                if target is not None:
                    moves.setdefault(id(target), (target, []))[1].append(mention)
            # A specific technique named once among more generic mentions is an example of the kind
            # ("participants in a Swedish massage group" in a story about massage therapy), not what
            # the story is about.
            found.extend(
                (hit, target, mentions)
                for target, mentions in moves.values()
                if len(target.mentions) > 1 or len(mentions) <= len(target.mentions)
            )
        return found

    def _target(
        self, mention: Mention, hit: TechniqueHit, hits: list[TechniqueHit], names: dict[int, list[str]]
    ) -> TechniqueHit | None:
        words = self.words(mention.text)
        if not words:
            return None
        fits = []
        for other in hits:
            name = names[id(other)]
            if other is hit or other.category != hit.category or not other.mentions or len(name) <= len(words):
                continue
            extra = set(name) - set(words)
            if name[-1] == words[-1] and set(words) <= set(name) and not extra & self.contrast:
                fits.append(other)
        return fits[0] if len(fits) == 1 else None
