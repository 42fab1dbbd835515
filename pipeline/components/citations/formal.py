"""Formal citations found by regular expressions over the text: references, identifiers, links.

Author-year citations, numbered markers and reference-list entries, DOIs, PMIDs, scholarly
links and news-wire SOURCE lines; each regex's named groups carry the fields.
"""

from __future__ import annotations

import re

from healthclaims.components.citations import reflist
from healthclaims.components.citations.data import CitationRule
from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.work import Work
from healthclaims.components.common import CLOSE_DOUBLE


def formal_works(rules: CitationRules, text: str) -> list[Work]:
    """Every formal citation in ``text`` (overlapping readings included; the caller picks)."""
    works = source_lines(rules, text)
    listed = reflist.list_works(rules, text)
    entries = _inside_lists(references(rules, text), listed)
    works += entries
    # "(3)" is a marker only where a reference list has an entry 3; otherwise it numbers a list.
    numbered = [w for w in entries + listed if w.number and not w.secondary]
    numbers = {w.number for w in numbered}
    for compiled in rules.regexes("NUMERIC_PAREN"):
        for m in compiled.regex.finditer(text):
            if m.group("num") in numbers and m.start("num") < min((w.start for w in numbered), default=0):
                start = m.start("num") - 1
                works.append(Work(start, m.end(), "numeric", compiled.rule.id, 3, number=m.group("num")))
    for compiled in rules.regexes("DOI"):
        for m in compiled.regex.finditer(text):
            works.append(Work(m.start(), m.end(), "doi", compiled.rule.id, 3, doi=m.group("doi")))
    for compiled in rules.regexes("PMID"):
        for m in compiled.regex.finditer(text):
            works.append(Work(m.start(), m.end(), "pmid", compiled.rule.id, 3, pmid=m.group("pmid")))
    hosts = [c.regex for c in rules.regexes("URL_HOST")]
    for compiled in rules.regexes("URL"):
        for m in compiled.regex.finditer(text):
            # a link printed with spaces ("http://site. org/ article") is read without them
            url = re.sub(r"\s+", "", m.group("url"))
            if _home_page(url):
                continue  # "www.clinicaltrials.gov": a site, not a paper on it
            if any(h.match(url) for h in hosts):
                end = m.start("url") + len(m.group("url").rstrip())
                work = Work(m.start(), end, "url", compiled.rule.id, 3, url=url)
                for pmid_rule in rules.regexes("URL_PMID"):
                    pm = pmid_rule.regex.search(url)
                    if pm:
                        work.pmid = pm.group("pmid")
                work.doi = _doi_in_link(rules, url)
                works.append(work)
    for compiled in rules.regexes("NUMERIC"):
        for m in compiled.regex.finditer(text):
            work = Work(m.start(), m.end(), "numeric", compiled.rule.id, 3)
            if m.group("num").isdigit():
                work.number = m.group("num")  # "[2]" twice is one work; "[1-4]" is several
            _fields_before_marker(rules, text, work)
            works.append(work)
    works = _listed_first(works + author_years(rules, text), listed)
    block_authors(rules, text, works)
    for compiled in rules.regexes("TITLE_PUBLISHED"):
        for m in compiled.regex.finditer(text):
            # The paper's title and date, like "the study": it names the work the story reports, not another.
            works.append(
                Work(m.start(), m.end(), "prose", compiled.rule.id, 1, year=int(m.group("year")), pointer=True, definite=True)
            )
    works += title_mentions(rules, text)
    return works


#: What a publisher's link puts after the DOI of the page it shows ("/abstract", "/full").
_PAGE_SUFFIX = re.compile(r"/(?:abstract|full|pdf|epdf|fulltext|summary)/?$", re.IGNORECASE)


def _home_page(url: str) -> bool:
    """The link names a site, not a page on it ("http://www.clinicaltrials.gov", "nejm.org/")."""
    rest = re.sub(r"^(?:https?://)?[^/?#]+", "", url)
    return rest.strip("/") == ""


def _doi_in_link(rules: CitationRules, url: str) -> str | None:
    """The DOI inside a link to a paper ("doi.org/10.1371/...", ".../doi/10.1111/add.13349/abstract",
    "article.aspx?doi=10.7326/M15-0667")."""
    for compiled in rules.regexes("DOI"):
        m = compiled.regex.search(url)
        if m:
            return _PAGE_SUFFIX.sub("", m.group("doi"))
    return None


def title_like(title: str) -> bool:
    """Whether quoted words read as a paper's title: four words or more, and a colon or title case."""
    words = re.findall(r"[A-Za-z][\w'’-]*", title)
    if len(words) < 4 or not title[:1].isupper():
        return False
    long_words = [w for w in words if len(w) >= 4]
    capitalised = sum(w[:1].isupper() for w in long_words)
    return ":" in title or (bool(long_words) and capitalised >= 0.6 * len(long_words))


def title_mentions(rules: CitationRules, text: str) -> list[Work]:
    """A paper's quoted title where the story names it as the paper ("The study, \"Title\" is ...",
    "Article: \"Title\" (doi: ...)"): like "the study", a mention of the work the story reports, but
    its most specific one, so it gives the citation's span (see ``pointers._absorb``)."""
    works = []
    for compiled in rules.regexes("TITLE_MENTION"):
        for m in compiled.regex.finditer(text):
            if title_like(m.group("title")):
                works.append(
                    Work(m.start("title"), m.end("title"), "prose", compiled.rule.id, 3, pointer=True, definite=True, title=True)
                )
    return works


def _fields_before_marker(rules: CitationRules, text: str, work: Work) -> None:
    """The fields written right before a marker: '"Title" (Journal: April 3, 2015)[1]', 'In 2014, a review[2]'."""
    before = text[max(0, work.start - 300) : work.start]
    for compiled in rules.regexes("MARKER_FIELDS"):
        m = compiled.regex.search(before)
        if m is None:
            continue
        work.year = work.year or int(m.group("year"))
        venue = (m.groupdict().get("venue") or "").strip()
        if venue and work.venue is None:
            work.venue, work.venue_key, work.journal = venue, rules.venue_key(venue), compiled.rule.journal


def _listed_first(works: list[Work], listed: list[Work]) -> list[Work]:
    """A marked list's entries and markers in place of any other reading of the same words."""
    rows = [w for w in listed if not w.secondary]
    marks = {(w.start, w.end) for w in listed if w.secondary}
    kept = [
        w for w in works
        if not any(r.start <= w.start < r.end for r in rows) and (w.start, w.end) not in marks
    ]
    return kept + listed


def _inside_lists(entries: list[Work], listed: list[Work]) -> list[Work]:
    """The one-line readings of references outside a marked list; inside one, they fill its entry's gaps."""
    rows = [w for w in listed if not w.secondary]
    out = []
    for w in entries:
        row = next((r for r in rows if r.start <= w.start < r.end), None)
        if row is None:
            out.append(w)
            continue
        # The one-line rules are the tried readings of an author, year and journal; the entry's own parse fills the rest.
        for name in ("first_author", "year", "venue", "doi", "pmid"):
            if getattr(w, name) is not None:
                setattr(row, name, getattr(w, name))
        if w.venue is not None:
            row.venue_key, row.journal = w.venue_key, w.journal
    return out


def block_authors(rules: CitationRules, text: str, works: list[Work]) -> None:
    """Give the works of a "Reference:" / "Source:" box the first author of the box's author list.

    A press release ends with its paper's reference: a title, then the full author list
    ("Jane Roe, Bob G Doe, Ann Poe."), then the journal and DOI on a line of their own. The first
    listed author is the paper's first author, whoever leads the lab or is quoted most; the box's
    identifiers and entries that name no author take it. A box with several entries is left alone.
    """
    author_rx = rules.first_regex("AUTHOR_LIST")
    for compiled in rules.regexes("REFERENCE_BLOCK"):
        for block in compiled.regex.finditer(text):
            lists = list(author_rx.finditer(block.group("body")))
            if len(lists) != 1:
                continue
            found = lists[0]
            if found.group("vancouver"):
                first = found.group("vancouver")
            else:
                first = found.group("full").split()[-1]
            inside = [w for w in works if block.start("body") <= w.start < block.end("body")]
            entries = [w for w in inside if w.kind in ("numeric", "author_year") and w.first_author]
            if len(entries) > 1 or len({w.doi for w in inside if w.doi}) > 1:
                continue
            for w in inside:
                w.first_author = w.first_author or first
                w.et_al = True
            if not inside:
                entry = _box_entry(rules, text, block.start("body") + found.start(), compiled.rule, first)
                if entry is not None:
                    works.append(entry)


def _box_entry(rules: CitationRules, text: str, start: int, rule: CitationRule, author: str) -> Work | None:
    """The reference a box gives in words only ("Roe JR, Doe S, et al. Title. Journal. 2016."): its line."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end].rstrip()
    year = rules.year_in(line)
    if year is None:
        return None
    work = Work(start, start + len(line), "author_year", rule.id, 3, first_author=author, et_al=True, year=year)
    work.main_study = rule.main_study
    for venue_rule in rules.regexes("REFERENCE_VENUE"):
        vm = venue_rule.regex.search(line)
        if vm:
            work.venue = vm.group("venue").strip()
            work.venue_key, work.journal = rules.venue_key(work.venue), venue_rule.rule.journal
            break
    return work


def source_lines(rules: CitationRules, text: str) -> list[Work]:
    """Works on news-wire source lines ("SOURCE: bit.ly/x The Lancet, online March 3, 2015")."""
    works: list[Work] = []
    for line_rule in rules.regexes("SOURCE_LINE"):
        for line in line_rule.regex.finditer(text):
            base = line.start("body")
            for entry_rule in rules.regexes("SOURCE_ENTRY"):
                for m in entry_rule.regex.finditer(line.group("body")):
                    venue = re.sub(r"^(?:and|&)\s+", "", m.group("venue").strip())
                    v_start = base + m.start("venue") + m.group("venue").find(venue)
                    start = base + m.start("url") if m.group("url") else v_start
                    works.append(
                        Work(
                            start,
                            base + m.end(),
                            "url" if m.group("url") else "prose",
                            line_rule.rule.id,
                            3,
                            venue=venue,
                            venue_key=rules.venue_key(venue),
                            year=int(m.group("year")),
                            url=m.group("url"),
                            first_author=m.groupdict().get("author"),
                            recent=True,
                            main_study=line_rule.rule.main_study,
                        )
                    )
    return works


def references(rules: CitationRules, text: str) -> list[Work]:
    """Entries of a reference list (Vancouver, APA, "Author et al., Journal Year")."""
    works: list[Work] = []
    for compiled in rules.regexes("REFERENCE"):
        for m in compiled.regex.finditer(text):
            body = m.group("body")
            work = Work(
                m.start("body"),
                m.end("body"),
                "numeric" if m.group("num") else "author_year",
                compiled.rule.id,
                3,
                first_author=m.group("author"),
                # a list of several full names stands for "et al." as much as the words do
                et_al="et al" in body or "," in (m.groupdict().get("authors") or ""),
                year=int(m.group("year")),
            )
            if m.group("num"):
                work.number = re.sub(r"\D", "", m.group("num")) or None
            if m.groupdict().get("venue"):
                work.venue = m.group("venue").strip()
                work.venue_key = rules.venue_key(work.venue)
            # A numbered entry runs to the next entry or the line's end: its journal, DOI or PubMed link may
            # follow the title ("[2] Roe, J. (2003). Title. Journal. 7(4). Doi:10.1/x [3] ...").
            tail = _entry_tail(text, m.end("body")) if work.number else ""
            for venue_rule in [] if work.venue else rules.regexes("REFERENCE_VENUE"):
                vm = venue_rule.regex.search(body) or venue_rule.regex.search(body[-1:] + tail) if tail else venue_rule.regex.search(body)
                if vm:
                    work.venue = vm.group("venue").strip()
                    work.venue_key = rules.venue_key(work.venue)
                    work.journal = venue_rule.rule.journal
                    break
            for doi_rule in rules.regexes("DOI"):
                dm = doi_rule.regex.search(body) or doi_rule.regex.search(tail)
                if dm:
                    work.doi = dm.group("doi")
                    break
            for pmid_rule in [] if work.doi else rules.regexes("URL_PMID"):
                pm = pmid_rule.regex.search(tail)
                if pm:
                    work.pmid = pm.group("pmid")
                    break
            works.append(work)
    return works


_NEXT_ENTRY = re.compile(r"\n|\[\d{1,3}\] ")


def _entry_tail(text: str, end: int, reach: int = 400) -> str:
    """The text after a numbered entry's body, up to the next entry or the end of the line."""
    nxt = _NEXT_ENTRY.search(text, end, end + reach)
    return text[end : nxt.start() if nxt else min(len(text), end + reach)]


def author_years(rules: CitationRules, text: str) -> list[Work]:
    """Author-year citations: each item of a parenthesised group, and narrative "Smith et al. (2019)"."""
    works: list[Work] = []
    item_rx = rules.first_regex("AUTHOR_YEAR_ITEM")
    for compiled in rules.regexes("AUTHOR_YEAR_GROUP"):
        for m in compiled.regex.finditer(text):
            base = m.start("items")
            for part in re.finditer(r"[^;]+", m.group("items")):
                item = item_rx.fullmatch(part.group().strip())
                if item:
                    s = base + part.start() + (len(part.group()) - len(part.group().lstrip()))
                    work = _author_year(s, s + len(item.group()), item, compiled.rule.id)
                    works.append(_published_title(rules, text, m.start(), work))
    for compiled in rules.regexes("AUTHOR_YEAR"):
        for m in compiled.regex.finditer(text):
            if not _inside_name(text, m.start()):
                works.append(_author_year(m.start(), m.end(), m, compiled.rule.id))
    return works


_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\[\"“]))([\w'’&-]+) $")


def _inside_name(text: str, start: int) -> bool:
    """ "Journal of the American College of Cardiology (2016)", "Agency for Healthcare Research and Quality,
    2011": the capitalised words that look like an author end a longer name, so they are no citation."""
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if m is None:
        return False
    word = m.group(1)
    if word.lower() in ("of", "for", "the", "and", "on", "&"):
        return True
    before = text[: m.start(1)].rstrip(" ")
    # a capitalised word that is not the first of its sentence ("In Roe et al. (2019)" keeps its citation)
    return word[:1].isupper() and bool(before) and before[-1] not in ".!?:;\n\"“(["


def _published_title(rules: CitationRules, text: str, paren: int, work: Work) -> Work:
    """A quoted title followed by "(Name, 2007)" is a book or report, and Name is its publisher.

    Such a work is prose naming a venue, not a reference into a list: with it in the text, a
    study described in prose is still a work of its own.
    """
    before = text[max(0, paren - 3) : paren].rstrip()
    if not before or before[-1] not in CLOSE_DOUBLE or work.first_author is None or work.et_al:
        return work
    publisher = work.first_author
    # The title brings in a work of its own: no study reported nearby is the same work.
    return Work(
        work.start, work.end, "prose", work.rule, 2, venue=publisher, venue_key=rules.venue_key(publisher),
        year=work.year, journal=False, introduced=True,
    )


def _author_year(start: int, end: int, m: re.Match[str], rid: str) -> Work:
    groups = m.groupdict()
    year = groups.get("year") or groups.get("year2")
    etal = groups.get("etal") or ""
    return Work(
        start,
        end,
        "author_year",
        rid,
        3,
        first_author=m.group("author"),
        et_al="et al" in etal,
        year=int(year) if year else None,
    )
