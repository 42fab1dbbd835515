"""PubMed EFetch XML (``PubmedArticleSet``) to ``Paper``, parsed with Biopython's Entrez parser.

Biopython reads the DTD the XML names from its own bundled copies; when NCBI names a newer
DTD than the installed Biopython has, the newest bundled PubMed DTD stands in, so parsing
never downloads anything.
"""

from __future__ import annotations

import html
import io
import re
from functools import cache
from pathlib import Path

from healthclaims.linking.online.client import import_optional
from healthclaims.linking.paper import Author, Paper

#: CommentsCorrections types that say the paper itself was retracted or corrected.
RETRACTED_REFS = frozenset({"RetractionIn"})
CORRECTED_REFS = frozenset({"ErratumIn", "CorrectedandRepublishedIn"})
RETRACTED_TYPE = "retracted publication"

_PUBMED_DTD = re.compile(r"pubmed_\d{6}\.dtd")
_MARKUP = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@cache
def _handler_class():
    parser = import_optional("Bio.Entrez.Parser", "reading PubMed records")
    base = parser.DataHandler

    class LocalDTDHandler(base):
        """Entrez's handler, limited to DTDs on disk (Biopython would otherwise download them)."""

        def open_dtd_file(self, filename):
            handle = super().open_dtd_file(filename)
            if handle is None and _PUBMED_DTD.fullmatch(filename):
                bundled = sorted(Path(base.global_dtd_dir).glob("pubmed_*.dtd"))
                if bundled:
                    handle = super().open_dtd_file(bundled[-1].name)
            if handle is None:
                raise ValueError(f"no local copy of the DTD {filename}: update biopython")
            return handle

    return LocalDTDHandler


def parse_pubmed_xml(body: bytes) -> list[Paper]:
    """Every ``PubmedArticle`` of an EFetch answer as a ``Paper`` (book records are skipped).

    Raises:
        ValueError: the body is not PubMed XML.
    """
    handler = _handler_class()(validate=False, escape=False, ignore_errors=False)
    try:
        record = handler.read(io.BytesIO(body))
    except Exception as exc:  # Biopython's CorruptedXMLError, NotXMLError, expat errors, a missing DTD
        raise ValueError(f"not PubMed XML ({exc})") from exc
    if not hasattr(record, "get"):
        raise ValueError("not a PubmedArticleSet")
    return [article_to_paper(article) for article in record.get("PubmedArticle", [])]


def article_to_paper(article) -> Paper:
    """One parsed ``PubmedArticle`` as a ``Paper``."""
    citation = article["MedlineCitation"]
    art = citation.get("Article", {})
    journal = art.get("Journal", {})
    data = article.get("PubmedData", {})
    types = [str(t) for t in art.get("PublicationTypeList", [])]
    refs = {c.attributes.get("RefType") for c in citation.get("CommentsCorrectionsList", [])}
    return Paper(
        source="pubmed",
        pmid=str(citation["PMID"]),
        doi=_doi(art, data),
        title=_clean(art.get("ArticleTitle")) or _clean(art.get("VernacularTitle")),
        journal=_clean(journal.get("Title")),
        journal_abbrev=_clean(journal.get("ISOAbbreviation"))
        or _clean(citation.get("MedlineJournalInfo", {}).get("MedlineTA")),
        year=_year(journal, art),
        authors=[a for a in (_author(x) for x in art.get("AuthorList", [])) if a is not None],
        publication_types=types,
        mesh=[_mesh(h) for h in citation.get("MeshHeadingList", [])],
        keywords=[_clean(k) for group in citation.get("KeywordList", []) for k in group if _clean(k)],
        abstract=_abstract(art),
        retracted=RETRACTED_TYPE in {t.lower() for t in types} or bool(refs & RETRACTED_REFS),
        corrected=bool(refs & CORRECTED_REFS),
    )


def _clean(value) -> str | None:
    if value is None:
        return None
    text = html.unescape(_MARKUP.sub("", str(value)))
    text = " ".join(text.split())
    return text or None


def _doi(art, data) -> str | None:
    for ident in data.get("ArticleIdList", []):
        if ident.attributes.get("IdType") == "doi" and str(ident).strip():
            return str(ident).strip().lower()
    for loc in art.get("ELocationID", []):
        if loc.attributes.get("EIdType") == "doi" and str(loc).strip():
            return str(loc).strip().lower()
    return None


def _year(journal, art) -> int | None:
    date = journal.get("JournalIssue", {}).get("PubDate", {})
    for text in (date.get("Year"), date.get("MedlineDate")):
        match = _YEAR.search(str(text or ""))
        if match:
            return int(match.group(1))
    for electronic in art.get("ArticleDate", []):
        if electronic.get("Year"):
            return int(electronic["Year"])
    return None


def _author(entry) -> Author | None:
    affiliations = [_clean(a.get("Affiliation")) for a in entry.get("AffiliationInfo", [])]
    affiliation = "; ".join(a for a in affiliations if a) or None
    if entry.get("LastName"):
        given = entry.get("ForeName") or entry.get("Initials")
        return Author(family=_clean(entry["LastName"]), given=_clean(given), affiliation=affiliation)
    if entry.get("CollectiveName"):
        return Author(family=_clean(entry["CollectiveName"]), affiliation=affiliation)
    return None


def _mesh(heading) -> str:
    descriptor = heading["DescriptorName"]
    # PubMed stars a heading when the descriptor or any of its qualifiers is a major topic.
    major = descriptor.attributes.get("MajorTopicYN") == "Y" or any(
        q.attributes.get("MajorTopicYN") == "Y" for q in heading.get("QualifierName", [])
    )
    return ("*" if major else "") + str(descriptor)


def _abstract(art) -> str | None:
    parts = []
    for section in art.get("Abstract", {}).get("AbstractText", []):
        text = _clean(section)
        if not text:
            continue
        label = section.attributes.get("Label") if hasattr(section, "attributes") else None
        parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts) or None
