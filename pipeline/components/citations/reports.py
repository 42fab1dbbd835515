"""Research reports as a story's one citation: "Researchers at Quilby University found ...",
"a Quilby University team discovered", "Quilby Institute scientists have shown".

A news story often names no journal, author or study at all and tells of its paper only as
the finding of a team at an institution. When nothing else in the text is a cited work, the
first such report is the story's one prose citation, like a lone "the study" (see
``pointers.lone_mention``); the institution it names is what the linker matches.
"""

from __future__ import annotations

from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.work import Work
from spacy.tokens import Doc, Token

Cluster = list[Work]

#: Dependencies by which a research group is the one doing the finding.
_SUBJECT = ("nsubj", "nsubjpass")


def _institution(rules: CitationRules, group: Token) -> bool:
    """Whether the group's own words name an institution ("at Quilby University", "Quilby Institute scientists")."""
    places = rules.words("RESEARCH_PLACES")
    for token in group.subtree:
        if token.i > group.i and token.dep_ == "relcl":
            break  # "scientists who worked with the University": a clause, not the group's name
        before = token.nbor(-1) if token.i > 0 else None
        if before is not None and before.tag_ == "POS" and before.i > 0:
            before = before.nbor(-1)  # "Quilby's university": the name before the possessive
        named = token.text[:1].isupper() or before is not None and before.is_title
        if named and token.lower_ in places:
            return True
    return False


def _finding_verb(rules: CitationRules, group: Token) -> Token | None:
    """The finding verb the group is the subject or the agent of ("found", "have discovered", "developed by")."""
    verb = group.head
    if group.dep_ == "pobj" and verb.lower_ == "by" and verb.dep_ == "agent":
        verb = verb.head  # "a treatment pioneered by scientists at X"
    elif group.dep_ not in _SUBJECT:
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    return verb if verb.lemma_.lower() in rules.words("RESEARCH_FINDING_VERBS") else None


#: Tags of a finding told as done: "found", "have discovered", "has been developed".
_DONE_TAGS = ("VBD", "VBN")


def _finding_done(rules: CitationRules, verb: Token) -> bool:
    """Whether the verb tells a result as reached ("found", "have shown"), not claimed or planned."""
    return verb.tag_ in _DONE_TAGS and verb.lemma_.lower() in rules.words("RESEARCH_RESULT_VERBS")


def _opinion(rules: CitationRules, group: Token, verb: Token) -> bool:
    """Whether the report is a vague appeal: doctors or experts who say or believe something ("X
    University doctors say"), not researchers telling their result."""
    return group.lower_ in rules.words("OPINION_GROUPS") and verb.lemma_.lower() in rules.words("RESEARCH_OPINION_VERBS")


def research_report(rules: CitationRules, doc: Doc, clusters: list[Cluster], studies: list[Cluster]) -> Cluster | None:
    """The story's one citation when it names no work but reports a group's finding at an institution.

    The span runs from the group's first word through the verb ("Researchers at Quilby
    University discovered"). A story that names any work gives none. With no report naming an
    institution, the first that tells a result as reached ("scientists have found that ...")
    is the citation; "scientists say" or "experts believe" alone is no citation.
    """
    if studies:
        return None
    groups = rules.words("RESEARCH_GROUPS")
    reports = []
    for token in doc:
        if token.lower_ not in groups or token.pos_ not in ("NOUN", "PROPN"):
            continue
        verb = _finding_verb(rules, token)
        if verb is None or _opinion(rules, token, verb):
            continue
        reports.append((token, verb))
    # A report naming its institution first; else one telling a finding as done ("scientists
    # have found", "doctors developed"): an opinion or a plan ("scientists say", "will test") is none.
    chosen = next(((t, v) for t, v in reports if _institution(rules, t)), None) or next(
        ((t, v) for t, v in reports if _finding_done(rules, v)), None)
    if chosen is None:
        return None
    token, verb = chosen
    if verb.i < token.i:  # "say the Quilby University team", "developed by scientists at X"
        start, end = verb, token.right_edge if token.dep_ == "pobj" else token
    else:
        start, end = token.left_edge, verb
    cluster = [Work(start.idx, end.idx + len(end), "prose", rules.rule_id("RESEARCH_GROUPS"), 1)]
    clusters.append(cluster)
    studies.append(cluster)
    return cluster
