"""The HTML report in a real headless browser (Debian's chromium + chromedriver, driven by Selenium).

CI installs chromium when it is missing (``.ci/run``); elsewhere these tests skip with the
reason when no browser is installed. A screenshot of the sample article's page is written to
``$HEALTHCLAIMS_ARTIFACTS`` (default ``outputs/test-artifacts/``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from healthclaims.batch.runner import extract_one
from healthclaims.io.textio import article_from_text
from healthclaims.report.html import build_report, page_name
from test_report import HOSTILE, NO_CLAIMS, _write

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("CI"),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory, nlp, sample_text):
    out = tmp_path_factory.mktemp("report") / "out"
    texts = [("sample", sample_text), ("hostile", HOSTILE), ("hours", NO_CLAIMS)]
    records = [extract_one(article_from_text(t, f"{i}.txt", str(n) * 64), i, nlp=nlp) for n, (i, t) in enumerate(texts)]
    _write(out, records)
    build_report(out)
    return out / "report", records


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.common.exceptions import SessionNotCreatedException
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager look for drivers online

    def start():
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-quic", "--window-size=1280,1600",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)

    # On a loaded machine Chromium sometimes misses the driver's start-up deadline ("DevToolsActivePort
    # file doesn't exist"); a second or third start with a fresh profile then succeeds.
    for attempt in range(3):
        try:
            driver = start()
            break
        except SessionNotCreatedException:
            if attempt == 2:
                raise
    yield driver
    driver.quit()


def _open(browser, path: Path) -> list[dict]:
    browser.get(path.resolve().as_uri())
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_every_page_loads_without_console_errors(browser, report):
    folder, records = report
    assert _open(browser, folder / "index.html") == []
    for record in records:
        errors = _open(browser, folder / "articles" / page_name(record.article.id))
        assert errors == [], record.article.id


def test_highlighted_claims_equal_the_records_claims(browser, report):
    folder, records = report
    for record in records:
        _open(browser, folder / "articles" / page_name(record.article.id))
        count = browser.execute_script("return document.querySelectorAll('article.text mark.claim').length")
        ids = browser.execute_script(
            "return Array.from(document.querySelectorAll('article.text mark.claim')).map(m => m.dataset.id)")
        assert count == len(record.claims) and ids == [c.id for c in record.claims]


def test_filtering_by_uncited_shows_the_right_rows(browser, report):
    folder, records = report
    _open(browser, folder / "index.html")
    visible = "return Array.from(document.querySelectorAll('#articles tbody tr')).filter(r => !r.hidden).map(r => r.cells[1].textContent)"
    assert sorted(browser.execute_script(visible)) == sorted(r.article.source for r in records)
    browser.find_element("css selector", "input[data-filter=uncited]").click()
    expected = sorted(r.article.source for r in records if any(not c.cited for c in r.claims))
    assert 0 < len(expected) < len(records)
    assert sorted(browser.execute_script(visible)) == expected
    assert browser.find_element("id", "shown").text == str(len(expected))
    browser.find_element("css selector", "input[data-filter=uncited]").click()
    assert len(browser.execute_script(visible)) == len(records)


def test_sorting_by_a_column(browser, report):
    folder, records = report
    _open(browser, folder / "index.html")
    browser.find_element("css selector", "th button[data-key=words]").click()
    words = browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles tbody tr')).map(r => Number(r.cells[2].dataset.value))")
    assert words == sorted(r.article.word_count for r in records)
    browser.find_element("css selector", "th button[data-key=words]").click()
    words = browser.execute_script(
        "return Array.from(document.querySelectorAll('#articles tbody tr')).map(r => Number(r.cells[2].dataset.value))")
    assert words == sorted((r.article.word_count for r in records), reverse=True)


def test_focusing_a_span_shows_why_it_was_extracted(browser, report):
    from selenium.webdriver.common.keys import Keys

    folder, _records = report
    _open(browser, folder / "articles" / page_name("sample"))
    body = browser.find_element("css selector", "body")
    for _ in range(40):  # keyboard only: Tab until a highlighted span has the focus
        body.send_keys(Keys.TAB)
        if browser.execute_script("return document.activeElement.matches('article.text mark.hl')"):
            break
        body = browser.switch_to.active_element
    assert browser.execute_script("return document.activeElement.matches('article.text mark.hl')")
    why = browser.execute_script("return getComputedStyle(document.activeElement, '::after').content")
    assert why not in ("none", "normal", "") and len(why) > 5


def test_hostile_article_text_renders_as_text(browser, report):
    folder, _records = report
    _open(browser, folder / "articles" / page_name("hostile"))
    assert browser.execute_script("return document.querySelectorAll('article.text img, article.text script').length") == 0
    assert browser.execute_script("return document.scripts.length") == 1
    text = browser.execute_script("return document.querySelector('article.text').textContent")
    assert "<script>alert(1)</script>" in text and '"><img src=x onerror=alert(2)>' in text


def test_readable_at_200_percent_zoom_and_screenshot(browser, report):
    folder, _records = report
    _open(browser, folder / "articles" / page_name("sample"))
    browser.execute_script("document.body.style.zoom = '200%'")
    overflow = browser.execute_script(
        "return document.querySelector('article.text').scrollWidth > document.documentElement.clientWidth")
    assert not overflow  # the text wraps; no sideways scrolling to read it
    browser.execute_script("document.body.style.zoom = '100%'")
    artefacts = Path(os.environ.get("HEALTHCLAIMS_ARTIFACTS", ROOT / "outputs" / "test-artifacts"))
    artefacts.mkdir(parents=True, exist_ok=True)
    shot = artefacts / "report-sample-article.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
