"""Library files a reviewer exports (CSL-JSON, BibTeX, RIS, MEDLINE, PubMed XML) read into ``Paper``s.

Each format is parsed by its maintained library (json, bibtexparser 2, rispy, Biopython's
Medline and Entrez parsers). A malformed entry becomes a ``LibraryProblem`` naming the file
and its position and is skipped; only an unreadable file or an unknown format is an error.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from healthclaims.linking.paper import Author, Paper

FORMATS = ("csl-json", "bibtex", "ris", "medline", "pubmed-xml")
_SUFFIX_FORMAT = {
    ".json": "csl-json", ".csljson": "csl-json", ".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris",
    ".nbib": "medline", ".medline": "medline", ".xml": "pubmed-xml",
}
_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


class LibraryError(ValueError):
    """A library file that cannot be read at all (missing, unknown format, not parseable)."""


@dataclass
class LibraryProblem:
    """One entry skipped while reading a library file."""

    path: str
    position: str  # "entry 12", "line 340"
    message: str

    def __str__(self) -> str:
        return f"{self.path} ({self.position}): {self.message}"


def normalise_doi(value: str | None) -> str | None:
    """A DOI in lower case without its resolver prefix ("https://doi.org/10.1/X" -> "10.1/x")."""
    if not value:
        return None
    found = _DOI.search(value)
    return found.group(0).rstrip(".,;)]").lower() if found else None


def year_of(value) -> int | None:
    """The first plausible publication year in a date string or number."""
    if value is None:
        return None
    found = _YEAR.search(str(value))
    return int(found.group(1)) if found else None


def detect_format(path: Path, head: str) -> str:
    """The format of a library file, from its suffix, else from its first characters."""
    if path.suffix.lower() in _SUFFIX_FORMAT and path.suffix.lower() != ".txt":
        return _SUFFIX_FORMAT[path.suffix.lower()]
    start = head.lstrip("\ufeff \r\n\t")
    if start.startswith(("[", "{")):
        return "csl-json"
    if start.startswith("@"):
        return "bibtex"
    if start.startswith("<"):
        return "pubmed-xml"
    if re.match(r"TY  - ", start):
        return "ris"
    if re.match(r"PMID-", start):
        return "medline"
    raise LibraryError(f"{path}: unknown library format (use .json CSL-JSON, .bib, .ris, .nbib MEDLINE or .xml PubMed)")


def read_library(path: Path | str) -> tuple[list[Paper], list[LibraryProblem]]:
    """Read every paper of one library file; malformed entries are returned as problems.

    Raises:
        LibraryError: when the file is missing, unreadable, of unknown format, or not
            parseable as a whole (broken JSON or XML).
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read library file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise LibraryError(f"{path}: library file is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    fmt = detect_format(path, text[:200])
    reader: Callable[[str, str], Iterator[Paper | LibraryProblem]] = _READERS[fmt]
    papers: list[Paper] = []
    problems: list[LibraryProblem] = []
    for item in reader(text, str(path)):
        (problems if isinstance(item, LibraryProblem) else papers).append(item)
    return papers, problems


def _checked(paper: Paper, path: str) -> Paper | LibraryProblem:
    if not (paper.title or paper.pmid or paper.doi):
        return LibraryProblem(path, paper.position or "?", "entry has no title, PMID or DOI")
    return paper


def _flags(paper: Paper) -> Paper:
    types = {t.casefold() for t in paper.publication_types}
    paper.retracted = paper.retracted or "retracted publication" in types
    paper.corrected = paper.corrected or "corrected and republished article" in types
    return paper


# ----------------------------------------------------------------------------- CSL-JSON


def _csl_text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value not in (None, "") else None


def _csl_year(item: dict) -> int | None:
    for key in ("issued", "published-print", "published-online", "created"):
        date = item.get(key)
        if isinstance(date, dict):
            parts = date.get("date-parts")
            if parts and parts[0] and parts[0][0]:
                return year_of(parts[0][0])
            if date.get("raw") or date.get("literal"):
                return year_of(date.get("raw") or date.get("literal"))
    return year_of(item.get("year"))


def _csl_terms(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if not value:
        return []
    text = str(value)
    separator = ";" if ";" in text else "," if "," in text else None
    return [t.strip() for t in (text.split(separator) if separator else text.split()) if t.strip()]


def _read_csl(text: str, path: str) -> Iterator[Paper | LibraryProblem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LibraryError(f"{path}: not valid CSL-JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    items = data.get("items", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise LibraryError(f"{path}: CSL-JSON must be a list of items")
    for n, item in enumerate(items, 1):
        position = f"entry {n}"
        if not isinstance(item, dict):
            yield LibraryProblem(path, position, f"entry is a {type(item).__name__}, not an object")
            continue
        try:
            authors = []
            for a in item.get("author") or []:
                family = a.get("family") or a.get("literal")
                if family:
                    authors.append(Author(family=str(family), given=a.get("given")))
            note = _csl_text(item.get("note"))
            if note and authors and note.lower().startswith("affiliation:"):
                authors[0].affiliation = note.split(":", 1)[1].strip()
            pub_types = _csl_terms(item.get("genre")) if item.get("genre") else []
            paper = Paper(
                source=path, pmid=_csl_text(item.get("PMID")), doi=normalise_doi(_csl_text(item.get("DOI"))),
                title=_csl_text(item.get("title")), journal=_csl_text(item.get("container-title")),
                journal_abbrev=_csl_text(item.get("container-title-short") or item.get("journalAbbreviation")),
                year=_csl_year(item), authors=authors, publication_types=pub_types,
                mesh=_csl_terms(item.get("keyword")), abstract=_csl_text(item.get("abstract")), position=position,
            )
        except (AttributeError, TypeError) as exc:
            yield LibraryProblem(path, position, f"malformed field: {exc}")
            continue
        yield _checked(_flags(paper), path)


# ----------------------------------------------------------------------------- BibTeX


def _read_bibtex(text: str, path: str) -> Iterator[Paper | LibraryProblem]:
    import bibtexparser
    from bibtexparser import middlewares

    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    )
    for block in library.failed_blocks:
        error = str(getattr(block, "error", "") or "").strip()
        head = (getattr(block, "raw", "") or "").strip().splitlines()[:1]
        why = error.splitlines()[0] if error else "entry could not be parsed (unbalanced braces or a missing comma?)"
        yield LibraryProblem(path, f"line {block.start_line + 1}", f"{why}: {head[0][:60] if head else ''}".rstrip(": "))
    for entry in library.entries:
        fields = {k.lower(): v for k, v in entry.fields_dict.items()}

        def get(key: str, fields: dict = fields) -> str | None:
            field = fields.get(key)
            return str(field.value).strip() if field is not None and not isinstance(field.value, list) and field.value else None

        authors = []
        names = fields.get("author")
        for name in (names.value if names is not None and isinstance(names.value, list) else []):
            family = " ".join(name.von + name.last).strip("{} ")
            if family:
                authors.append(Author(family=family, given=" ".join(name.first) or None))
        pmid = get("pmid") or (re.sub(r"\D", "", get("eprint") or "") if (get("eprinttype") or "").lower() == "pubmed" else None)
        paper = Paper(
            source=path, pmid=pmid or None, doi=normalise_doi(get("doi")), title=get("title"),
            journal=get("journal") or get("journaltitle"), journal_abbrev=get("shortjournal") or get("journal-abbrev"),
            year=year_of(get("year") or get("date")), authors=authors, mesh=_csl_terms(get("keywords") or get("mesh")),
            publication_types=_csl_terms(get("pubtype")), abstract=get("abstract"), position=f"line {entry.start_line + 1}",
        )
        yield _checked(_flags(paper), path)


# ----------------------------------------------------------------------------- RIS and MEDLINE


def _records(text: str, starts: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """Split a tagged file into (first line number, record text) at each record's first tag."""
    lines = text.splitlines()
    begin = None
    for i, line in enumerate(lines):
        if starts.match(line):
            if begin is not None:
                yield begin + 1, "\n".join(lines[begin:i])
            begin = i
    if begin is not None:
        yield begin + 1, "\n".join(lines[begin:])


def _read_ris(text: str, path: str) -> Iterator[Paper | LibraryProblem]:
    import rispy

    for line_no, chunk in _records(text, re.compile(r"^TY  - ")):
        position = f"line {line_no}"
        try:
            [entry] = rispy.loads(chunk)
        except Exception as exc:  # noqa: BLE001 - rispy raises several kinds; one bad entry is skipped
            yield LibraryProblem(path, position, f"malformed RIS entry: {exc}")
            continue
        authors = []
        for name in (entry.get("authors") or entry.get("first_authors") or []):
            family, _, given = name.partition(",")
            authors.append(Author(family=family.strip(), given=given.strip() or None))
        pmid = next((re.sub(r"\D", "", str(v)) for k in ("accession_number", "pubmed_id") if (v := entry.get(k))), None)
        paper = Paper(
            source=path, pmid=pmid or None, doi=normalise_doi(entry.get("doi")),
            title=entry.get("title") or entry.get("primary_title"),
            journal=entry.get("journal_name") or entry.get("secondary_title") or entry.get("alternate_title3"),
            journal_abbrev=entry.get("alternate_title1") or entry.get("alternate_title2"),
            year=year_of(entry.get("year") or entry.get("publication_year") or entry.get("date")),
            authors=authors, mesh=list(entry.get("keywords") or []), abstract=entry.get("abstract"), position=position,
        )
        yield _checked(_flags(paper), path)


def _medline_author(full: str | None, short: str | None, affiliation: str | None) -> Author:
    name = full or short or ""
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
    else:
        family, _, given = name.rpartition(" ") if " " in name else (name, "", "")
    return Author(family=family, given=given or None, affiliation=affiliation)


def paper_from_medline(record: dict, source: str, position: str | None = None) -> Paper:
    """A ``Paper`` from one Biopython ``Medline`` record (also used by the PubMed client)."""
    full = record.get("FAU") or []
    short = record.get("AU") or []
    affiliations = record.get("AD") or []
    authors = [
        _medline_author(full[i] if i < len(full) else None, short[i] if i < len(short) else None,
                        affiliations[i] if i < len(affiliations) and len(affiliations) == len(full) else
                        (affiliations[0] if i == 0 and affiliations else None))
        for i in range(max(len(full), len(short)))
    ]
    doi = next((normalise_doi(v) for v in record.get("AID", []) + [record.get("LID", "")] if "[doi]" in v), None)
    pub_types = list(record.get("PT") or [])
    paper = Paper(
        source=source, pmid=record.get("PMID"), doi=doi, title=record.get("TI"), journal=record.get("JT"),
        journal_abbrev=record.get("TA"), year=year_of(record.get("DP")), authors=authors,
        publication_types=pub_types, mesh=list(record.get("MH") or []), keywords=list(record.get("OT") or []),
        abstract=record.get("AB"), position=position,
        retracted=bool(record.get("RIN")),  # "retraction in": this paper was retracted
        corrected=bool(record.get("EIN") or record.get("CRI")),
    )
    return _flags(paper)


def _read_medline(text: str, path: str) -> Iterator[Paper | LibraryProblem]:
    from Bio import Medline

    for line_no, chunk in _records(text, re.compile(r"^PMID- ")):
        position = f"line {line_no}"
        try:
            records = list(Medline.parse(io.StringIO(chunk)))
        except Exception as exc:  # noqa: BLE001 - Biopython raises ValueError and others on bad lines
            yield LibraryProblem(path, position, f"malformed MEDLINE record: {exc}")
            continue
        for record in records:
            yield _checked(paper_from_medline(record, path, position), path)


# ----------------------------------------------------------------------------- PubMed XML


def _newest_pubmed_dtd() -> str | None:
    import Bio.Entrez

    folder = Path(Bio.Entrez.__file__).parent / "DTDs"
    names = sorted(p.name for p in folder.glob("pubmed_*.dtd"))
    return names[-1] if names else None


def _local_dtd(text: str) -> str:
    """Point the DOCTYPE at a DTD Biopython ships, so parsing never fetches one from the web."""
    import Bio.Entrez

    folder = Path(Bio.Entrez.__file__).parent / "DTDs"
    found = re.search(r'<!DOCTYPE[^>]*"([^"]+\.dtd)"', text[:2000])
    if found and not (folder / found.group(1).rsplit("/", 1)[-1]).exists() and (newest := _newest_pubmed_dtd()):
        return text.replace(found.group(1), f"https://dtd.nlm.nih.gov/ncbi/pubmed/out/{newest}", 1)
    return text


def _read_pubmed_xml(text: str, path: str) -> Iterator[Paper | LibraryProblem]:
    from Bio import Entrez
    from healthclaims.linking.pubmed_xml import paper_from_pubmed_article
    from healthclaims.linking.sources import no_network

    try:
        with no_network():  # Biopython fetches unknown DTDs: reading a library file never may
            data = Entrez.read(io.BytesIO(_local_dtd(text).encode("utf-8")))
    except Exception as exc:
        raise LibraryError(f"{path}: not readable as PubMed XML: {exc}") from exc
    articles = data.get("PubmedArticle", []) if hasattr(data, "get") else []
    for n, article in enumerate(articles, 1):
        position = f"article {n}"
        try:
            paper = paper_from_pubmed_article(article, path, position)
        except (KeyError, TypeError, IndexError, AttributeError) as exc:
            yield LibraryProblem(path, position, f"malformed PubmedArticle: missing {exc}")
            continue
        yield _checked(_flags(paper), path)


_READERS = {"csl-json": _read_csl, "bibtex": _read_bibtex, "ris": _read_ris, "medline": _read_medline,
            "pubmed-xml": _read_pubmed_xml}
