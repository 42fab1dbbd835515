"""build_source: settings from the environment, the shared cache, offline mode, the missing extra."""

from __future__ import annotations

import socket
import sys

import pytest
from healthclaims.linking import online
from healthclaims.linking.online import CrossrefSource, MissingExtra, PubMedSource, build_source, default_cache_dir
from healthclaims.linking.paper import CitationEvidence
from healthclaims.linking.sources import OfflineError, Source, build_online_source
from online_server import FixtureServer, Reply, fixture


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


def test_pubmed_settings_come_from_the_environment(tmp_path):
    env = {"NCBI_API_KEY": "k-1", "NCBI_EMAIL": "ncbi@example.org", "HEALTHCLAIMS_EUTILS_URL": "http://127.0.0.1:9/eu",
           "HEALTHCLAIMS_HTTP_TIMEOUT": "7.5"}
    source = build_source("pubmed", cache_dir=tmp_path, env=env)
    assert isinstance(source, PubMedSource) and isinstance(source, Source)
    assert source.base_url == "http://127.0.0.1:9/eu" and source.http.limiter.rate == pytest.approx(10)
    assert source.http.identity == {"tool": "healthclaims", "email": "ncbi@example.org", "api_key": "k-1"}
    assert source.http.retry.timeout == 7.5
    assert source.http.cache.path == tmp_path / online.CACHE_FILE


def test_crossref_takes_its_own_mailto_before_the_shared_one(tmp_path):
    env = {"CROSSREF_MAILTO": "cr@example.org", "HEALTHCLAIMS_MAILTO": "all@example.org"}
    source = build_source("crossref", cache_dir=tmp_path, env=env)
    assert isinstance(source, CrossrefSource) and source.http.identity == {"mailto": "cr@example.org"}
    assert build_source("pubmed", cache_dir=tmp_path, env=env).http.identity["email"] == "all@example.org"


def test_the_real_services_are_the_defaults(tmp_path):
    assert build_source("pubmed", cache_dir=tmp_path, env={}).base_url == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    assert build_source("crossref", cache_dir=tmp_path, env={}).base_url == "https://api.crossref.org"


def test_sources_of_one_folder_share_one_cache(tmp_path):
    a = build_source("pubmed", cache_dir=tmp_path, env={})
    b = build_source("crossref", cache_dir=tmp_path, env={})
    assert a.http.cache is b.http.cache


def test_default_cache_folder():
    assert default_cache_dir({"HEALTHCLAIMS_CACHE_DIR": "/x/y"}).as_posix() == "/x/y"
    assert default_cache_dir({"XDG_CACHE_HOME": "/c"}).as_posix() == "/c/healthclaims"


@pytest.mark.parametrize(("name", "env", "message"), [
    ("scholar", {}, "unknown online source 'scholar'"),
    ("pubmed", {"HEALTHCLAIMS_HTTP_TIMEOUT": "soon"}, "HEALTHCLAIMS_HTTP_TIMEOUT must be a number"),
    ("crossref", {"HEALTHCLAIMS_HTTP_TIMEOUT": "-1"}, "must be positive"),
])
def test_bad_settings_are_clear_errors(tmp_path, name, env, message):
    with pytest.raises(ValueError, match=message):
        build_source(name, cache_dir=tmp_path, env=env)


def test_a_missing_http_client_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "httpx", None)  # as if httpx were not installed
    with pytest.raises(MissingExtra, match=r"pip install 'healthclaims\[online\]'"):
        build_source("crossref", cache_dir=tmp_path, env={})
    with pytest.raises(ValueError, match="httpx"):  # what the resolver's build_online_source catches
        build_online_source("crossref", cache_dir=str(tmp_path))
    assert isinstance(build_source("crossref", cache_dir=tmp_path, offline=True, env={}), CrossrefSource)


def test_a_missing_pubmed_parser_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "Bio.Entrez", None)
    with pytest.raises(MissingExtra, match="Bio.Entrez.*healthclaims\\[online\\]"):
        build_source("pubmed", cache_dir=tmp_path, env={})


def test_offline_serves_what_an_online_run_cached_and_opens_no_socket(server, tmp_path, monkeypatch):
    server.add("/works", Reply(body=fixture("crossref_works.json")))
    env = {"HEALTHCLAIMS_CROSSREF_URL": server.url}
    evidence = CitationEvidence("c1", first_author="Okonkwo", topic_words=["massage"])
    online_papers = build_source("crossref", cache_dir=tmp_path, env=env).search(evidence)

    def no_socket(*args, **kwargs):
        raise AssertionError("offline mode opened a socket")

    monkeypatch.setattr(socket, "socket", no_socket)
    offline = build_source("crossref", cache_dir=tmp_path, offline=True, env=env)
    assert offline.search(evidence) == online_papers
    with pytest.raises(OfflineError):
        offline.search(CitationEvidence("c2", first_author="Haddad", topic_words=["fibre"]))
    assert len(server.requests()) == 1


def test_the_resolver_entry_point_builds_these_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHCLAIMS_CACHE_DIR", str(tmp_path))
    assert isinstance(build_online_source("pubmed", cache_dir=str(tmp_path)), PubMedSource)
    assert isinstance(build_online_source("crossref", offline=True), CrossrefSource)
