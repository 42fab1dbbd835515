"""One PubmedArticle as Biopython's Entrez parser returns it, turned into a ``Paper``.

Shared by the PubMed XML library reader and the online PubMed client (efetch returns the
same XML), so both report the same fields, retractions and corrections alike.
"""

from __future__ import annotations

from healthclaims.linking.paper import Author, Paper


def _year(article: dict, medline: dict) -> int | None:
    from healthclaims.linking.readers import year_of

    issue = article.get("Journal", {}).get("JournalIssue", {})
    date = issue.get("PubDate", {})
    year = year_of(date.get("Year") or date.get("MedlineDate"))
    if year is None:
        for d in article.get("ArticleDate", []):
            year = year or year_of(d.get("Year"))
    return year


def paper_from_pubmed_article(entry: dict, source: str, position: str | None = None) -> Paper:
    """A ``Paper`` from one ``PubmedArticle`` element parsed by ``Bio.Entrez.read``."""
    from healthclaims.linking.readers import normalise_doi

    medline = entry["MedlineCitation"]
    article = medline["Article"]
    authors = []
    for a in article.get("AuthorList", []):
        family = a.get("LastName") or a.get("CollectiveName")
        if not family:
            continue
        affiliations = [str(i.get("Affiliation")) for i in a.get("AffiliationInfo", []) if i.get("Affiliation")]
        authors.append(Author(family=str(family), given=str(a.get("ForeName") or a.get("Initials") or "") or None,
                              affiliation="; ".join(affiliations) or None))
    doi = None
    for value in entry.get("PubmedData", {}).get("ArticleIdList", []):
        if getattr(value, "attributes", {}).get("IdType") == "doi":
            doi = normalise_doi(str(value))
    for value in article.get("ELocationID", []):
        if doi is None and getattr(value, "attributes", {}).get("EIdType") == "doi":
            doi = normalise_doi(str(value))
    mesh = []
    for heading in medline.get("MeshHeadingList", []):
        name = heading["DescriptorName"]
        major = name.attributes.get("MajorTopicYN") == "Y" or any(
            q.attributes.get("MajorTopicYN") == "Y" for q in heading.get("QualifierName", []))
        mesh.append(("*" if major else "") + str(name))
    abstract_parts = [str(p) for p in article.get("Abstract", {}).get("AbstractText", [])]
    comments = {c.attributes.get("RefType") for c in medline.get("CommentsCorrectionsList", [])}
    pub_types = [str(t) for t in article.get("PublicationTypeList", [])]
    journal = article.get("Journal", {})
    return Paper(
        source=source, pmid=str(medline["PMID"]), doi=doi, title=str(article.get("ArticleTitle") or "") or None,
        journal=str(journal.get("Title") or "") or None, journal_abbrev=str(
            journal.get("ISOAbbreviation") or medline.get("MedlineJournalInfo", {}).get("MedlineTA") or "") or None,
        year=_year(article, medline), authors=authors, publication_types=pub_types, mesh=mesh,
        keywords=[str(k) for group in medline.get("KeywordList", []) for k in group],
        abstract=" ".join(abstract_parts) or None, position=position,
        retracted="RetractionIn" in comments or "Retracted Publication" in pub_types,
        corrected=bool(comments & {"ErratumIn", "CorrectedandRepublishedIn"}),
    )
