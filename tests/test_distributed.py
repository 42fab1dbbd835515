"""Runs on a Dask cluster (LocalCluster of two worker processes on 127.0.0.1): the same records
as a local run, re-runs that skip across backends, a worker killed mid-run, bad articles,
tasks that carry bytes, and records written to an S3-compatible server started here."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")

from healthclaims.batch.distributed import DaskCluster, DaskSetupError, parse_address
from healthclaims.batch.remote import run_at
from healthclaims.batch.runner import RunOptions, run
from healthclaims.records.models import Record, span_violations

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "massage-chronic-back-pain.txt"


def short(i: int) -> str:
    return f"Article {i}\n\nTai chi improved balance in trial number {i}, researchers said.\n"


def make_inputs(folder: Path, samples: int = 1, shorts: int = 4, bad: bool = False) -> Path:
    """A folder of articles: copies of the sample (each with its own last line) and short ones."""
    (folder / "sub").mkdir(parents=True)
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(samples):
        (folder / f"long{i:02d}.txt").write_text(text + f"\nEdition {i}.\n", encoding="utf-8")
    for i in range(shorts):
        (folder / ("sub" if i % 2 else "") / f"short{i}.md").write_text(short(i), encoding="utf-8")
    if bad:
        (folder / "bad.txt").write_bytes(b"")
    return folder


def listed_ids(out: Path) -> list[str]:
    """The ids in records.jsonl, each record validated and its file present."""
    ids = []
    for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = Record.model_validate_json(line)
        assert span_violations(record) == []
        assert Record.model_validate_json((out / f"{record.article.id}.json").read_bytes()) == record
        ids.append(record.article.id)
    return ids


def same_outputs(a: Path, b: Path) -> None:
    """Every record file, records.jsonl and errors.jsonl byte for byte (the manifests differ in times)."""
    names = sorted(p.name for p in a.iterdir() if p.name != "manifest.json")
    assert names == sorted(p.name for p in b.iterdir() if p.name != "manifest.json")
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="module")
def s3_env():
    """An S3-compatible server (moto) on 127.0.0.1 and fake credentials, set before the workers start."""
    pytest.importorskip("s3fs")
    boto3 = pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ENDPOINT_URL_S3": f"http://{host}:{port}", "AWS_EC2_METADATA_DISABLED": "true"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL_S3"]).create_bucket(Bucket="records")
    yield env
    for key, value in saved.items():
        os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    server.stop()


@pytest.fixture(scope="module")
def cluster(s3_env):
    """One LocalCluster(n_workers=2, processes=True) for the module: each worker loads the model once."""
    with DaskCluster("local:2") as dask:
        yield dask


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Inputs with one bad article, and their records from a local --jobs 1 run."""
    base = tmp_path_factory.mktemp("ref")
    inputs = make_inputs(base / "in", samples=2, shorts=4, bad=True)
    summary = run([inputs], base / "local")
    assert (summary.written, summary.failed) == (6, 1)
    return inputs, base / "local"


@pytest.mark.parametrize(("address", "expected"), [
    ("local:2", ("local", 2)),
    (" tcp://10.0.0.5:8786 ", ("scheduler", "tcp://10.0.0.5:8786")),
    ("tls://scheduler.example:8786/", ("scheduler", "tls://scheduler.example:8786")),
])
def test_addresses(address, expected):
    assert parse_address(address) == expected


@pytest.mark.parametrize("address", ["local:0", "local:x", "localhost:8786", "tcp://host", "http://host:8786", ""])
def test_bad_addresses_say_what_is_allowed(address):
    with pytest.raises(ValueError, match="tcp://host:8786"):
        parse_address(address)


def test_records_are_byte_identical_to_a_local_run_and_a_bad_article_is_one_error_line(cluster, reference, tmp_path):
    inputs, local = reference
    out = tmp_path / "dask"
    summary = run([inputs], out, RunOptions(dask=cluster))
    assert (summary.found, summary.written, summary.failed, summary.records) == (7, 6, 1, 6)
    same_outputs(local, out)
    [error] = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert (error["id"], error["error"]) == ("bad", "empty")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["options"]["dask"] == "local:2"
    assert sorted(listed_ids(out)) == sorted(listed_ids(local))
    assert not list(out.glob(".*"))


def test_the_selective_parse_mode_reaches_the_workers(cluster, tmp_path):
    inputs = make_inputs(tmp_path / "in", samples=1, shorts=1)
    run([inputs], tmp_path / "local", RunOptions(parse="selective"))
    summary = run([inputs], tmp_path / "dask", RunOptions(dask=cluster, parse="selective"))
    assert summary.written == 2
    same_outputs(tmp_path / "local", tmp_path / "dask")
    assert run([inputs], tmp_path / "dask").written == 2  # a full parse is another fingerprint


def test_reruns_skip_unchanged_articles_whichever_backend_began(cluster, tmp_path):
    inputs = make_inputs(tmp_path / "in", samples=1, shorts=4)
    out = tmp_path / "out"
    first = run([inputs / "sub"], out)  # started locally on part of the inputs
    assert first.written == 2
    on_cluster = run([inputs], out, RunOptions(dask=cluster))
    assert (on_cluster.written, on_cluster.unchanged, on_cluster.records) == (3, 2, 5)
    (inputs / "short0.md").write_text(short(99), encoding="utf-8")
    # a cluster object, as dask-jobqueue or dask-kubernetes make them
    again = run([inputs], out, RunOptions(dask=cluster.cluster))
    assert (again.written, again.unchanged) == (1, 4)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["options"]["dask"] == cluster.cluster.scheduler_address
    back_home = run([inputs], out)
    assert (back_home.written, back_home.unchanged, back_home.up_to_date) == (0, 5, True)


def test_a_worker_killed_mid_run_costs_nothing(cluster, tmp_path):
    inputs = make_inputs(tmp_path / "in", samples=12, shorts=4)
    out = tmp_path / "out"
    pids = cluster.client.run(os.getpid)
    victim = min(pids.values())
    killed: dict[str, int] = {}

    def kill_when_work_is_under_way():
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            written = [p for p in out.glob("*.json") if p.name != "manifest.json"] if out.is_dir() else []
            if written:
                killed["records_on_disk"] = len(written)
                os.kill(victim, signal.SIGKILL)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_when_work_is_under_way)
    killer.start()
    summary = run([inputs], out, RunOptions(dask=cluster))
    killer.join()
    assert killed and killed["records_on_disk"] < 16, "the worker must die while articles are still to do"
    assert (summary.written, summary.failed, summary.records, summary.interrupted) == (16, 0, 16, False)
    ids = listed_ids(out)
    assert len(ids) == len(set(ids)) == 16
    assert not list(out.glob(".*"))  # no half-written record left behind
    cluster.client.wait_for_workers(2, timeout=120)  # the nanny restarts the worker
    assert victim not in cluster.client.run(os.getpid).values()
    again = run([inputs], out, RunOptions(dask=cluster))
    assert (again.written, again.unchanged) == (0, 16)


def test_workers_that_cannot_see_the_inputs_get_their_bytes(cluster, reference, tmp_path, monkeypatch):
    inputs, local = reference
    # Relative paths from another folder than the workers': only the bytes can reach them.
    monkeypatch.chdir(inputs.parent)
    with DaskCluster(cluster.client.scheduler.address, ship="bytes") as remote:
        summary = run([Path(inputs.name)], tmp_path / "out", RunOptions(dask=remote))
    assert (summary.written, summary.failed) == (6, 1)
    for name in ("long00.json", "sub__short1.json"):
        before = json.loads((local / name).read_text())
        after = json.loads((tmp_path / "out" / name).read_text())
        assert after["article"].pop("source") == before["article"].pop("source").replace(str(inputs.parent) + "/", "")
        assert after == before


def _worker_speed_settings(dask_worker) -> tuple[str | None, list[str]]:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), sorted(n for n in dask_worker.periodic_callbacks if "profile" in n)


def test_local_workers_run_without_the_settings_that_slow_spacy(cluster, tmp_path):
    """No MALLOC_TRIM_THRESHOLD_ in the workers' environment, no statistical profiler."""
    run([make_inputs(tmp_path / "in", samples=0, shorts=1)], tmp_path / "out", RunOptions(dask=cluster))
    found = cluster.client.run(_worker_speed_settings)
    assert len(found) == 2
    assert [(trim, list(names)) for trim, names in found.values()] == [(None, []), (None, [])]


def test_the_pipeline_plugin_stops_the_profiler_of_a_worker_it_did_not_start():
    """A worker started with Dask's defaults (a scheduler the user runs): loading the pipeline stops its profiler."""
    from distributed import LocalCluster
    from healthclaims.modelref import resolve_model

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as lc:
        dask = DaskCluster(lc)
        try:
            assert cluster_profilers(dask) == ["profile", "profile-cycle"]  # Dask's default: on
            dask.load_pipeline(resolve_model(None))
            assert cluster_profilers(dask) == []
        finally:
            dask.close()


def cluster_profilers(dask: DaskCluster) -> list[str]:
    [(_trim, names)] = dask.client.run(_worker_speed_settings).values()
    return list(names)


def test_workers_that_would_make_other_records_are_refused(cluster, tmp_path):
    from healthclaims.batch.distributed import open_dask_backend
    from healthclaims.batch.fingerprints import fingerprint_settings
    from healthclaims.modelref import resolve_model

    ref = resolve_model(None)
    # as if this machine had other rule files than the workers
    settings = {**fingerprint_settings(ref), "rules": "0" * 16, "model_ref": ref, "batch_size": 32}
    with pytest.raises(DaskSetupError, match=r"would make different records \(rules: worker '[0-9a-f]{16}', here '0{16}'"):
        open_dask_backend(cluster, settings, str(tmp_path))


def test_records_go_to_an_s3_url(cluster, reference, s3_env, tmp_path):
    import s3fs

    inputs, local = reference
    url = "s3://records/runs/first"
    summary = run_at([inputs], url, RunOptions(dask=cluster))
    assert (summary.written, summary.failed, summary.records) == (6, 1, 6)
    fs = s3fs.S3FileSystem(endpoint_url=s3_env["AWS_ENDPOINT_URL_S3"])
    fs.invalidate_cache()
    names = sorted(p.rsplit("/", 1)[-1] for p in fs.ls("records/runs/first"))
    assert names == sorted(p.name for p in local.iterdir())
    for name in names:
        if name != "manifest.json":
            assert fs.cat_file(f"records/runs/first/{name}") == (local / name).read_bytes(), name
    manifest = json.loads(fs.cat_file("records/runs/first/manifest.json"))
    assert manifest["output"] == url and manifest["counts"]["records"] == 6
    again = run_at([inputs], url, RunOptions(dask=cluster))
    assert (again.written, again.unchanged) == (0, 6)


def test_cli_runs_on_a_scheduler_address_and_prints_the_dashboard(cluster, tmp_path):
    from click.testing import CliRunner
    from healthclaims.cli.main import cli

    inputs = make_inputs(tmp_path / "in", samples=0, shorts=2)
    address = cluster.client.scheduler.address
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(tmp_path / "out"), "--dask", address])
    assert result.exit_code == 0, result.output
    assert f"dask: {address}, 2 worker(s)" in result.output and "dashboard http://127.0.0.1:" in result.output
    assert "2 record(s)" in result.output
    assert sorted(listed_ids(tmp_path / "out")) == ["short0", "sub__short1"]


@pytest.mark.parametrize(("args", "message"), [
    (["--dask", "host:8786"], "tcp://host:8786"),
    (["--dask", "local:2", "--jobs", "2"], "do not go together"),
])
def test_cli_usage_errors(tmp_path, args, message):
    from click.testing import CliRunner
    from healthclaims.cli.main import cli

    inputs = make_inputs(tmp_path / "in", samples=0, shorts=1)
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(tmp_path / "out"), *args])
    assert result.exit_code == 2 and message in result.output


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    with pytest.raises(DaskSetupError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskCluster("tcp://127.0.0.1:9", connect_timeout=2)


def test_without_dask_nothing_about_dask_is_imported(tmp_path):
    inputs = make_inputs(tmp_path / "in", samples=0, shorts=1)
    code = ("import sys; from pathlib import Path; from healthclaims.cli import main; from healthclaims.batch import remote; "
            f"remote.run_at([Path({str(inputs)!r})], {str(tmp_path / 'out')!r}); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed', 'fsspec', 's3fs'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "short0.json").is_file()


def test_ctrl_c_cancels_and_leaves_an_interrupted_manifest(tmp_path):
    inputs = make_inputs(tmp_path / "in", samples=16, shorts=0)
    out = tmp_path / "out"
    driver = subprocess.Popen([sys.executable, "-m", "healthclaims", "run", str(inputs), "-o", str(out), "--dask",
                               "local:2", "--batch-size", "16"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not any(p.name != "manifest.json" for p in out.glob("*.json")):
            time.sleep(0.05)
        driver.send_signal(signal.SIGINT)
        _stdout, stderr = driver.communicate(timeout=120)
    finally:
        driver.kill()
    assert driver.returncode == 130, stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["counts"]["pending"] > 0
    assert "INTERRUPTED" in stderr and "Traceback" not in stderr
    ids = listed_ids(out)
    assert len(ids) == manifest["counts"]["records"] < 16
