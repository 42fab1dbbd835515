"""The worker side of a Dask run (``healthclaims run --dask``): the plugin that holds the pipeline
in each worker process, extracting a batch, writing each record atomically (a local folder or an
fsspec URL) and probing what a worker can see and write. The driver side is ``batch.distributed``."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from typing import Any

from distributed import WorkerPlugin, get_worker
from healthclaims.batch.workers import Result, Task, process_batch

PLUGIN_NAME = "healthclaims-pipeline"
#: Object stores show an object whole or not at all, so one PUT is an atomic write.
ATOMIC_PUT = {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "memory"}
#: Temporary files of the workers' local writes (cleared when the run ends, and by the next run).
WORKER_TMP = ".*.w-*.tmp"
#: The periodic callbacks of a Dask worker's statistical profiler (stopped on our workers).
PROFILER_CALLBACKS = ("profile", "profile-cycle")



_PIPELINES: dict[tuple[str, str], Any] = {}  # (model reference, parse mode) -> pipeline, per worker process (kept across runs)


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline when a worker starts (or joins later), once per worker process."""

    name = PLUGIN_NAME

    def __init__(self, model_ref: str, parse: str = "full"):
        self.model_ref, self.parse = model_ref, parse

    def setup(self, worker: Any) -> None:
        """Load the pipeline (a process keeps it for later runs with the same model)."""
        from healthclaims.nlp import load_pipeline

        key = (self.model_ref, self.parse)
        if key not in _PIPELINES:
            _PIPELINES[key] = load_pipeline(self.model_ref, parse=self.parse)
        self.nlp = _PIPELINES[key]
        # spaCy's memory zones change the shared vocabulary: one batch at a time per process.
        self.lock = threading.Lock()
        stop_profiler(worker)


def stop_profiler(worker: Any) -> None:
    """Stop the worker's statistical profiler (on by default in Dask): its thread samples the
    task's stack every 10 ms, which costs spaCy about a fifth of its speed. The dashboard's
    profile page stays empty; everything else (task stream, memory, progress) is unchanged."""
    for name in PROFILER_CALLBACKS:
        callback = getattr(worker, "periodic_callbacks", {}).pop(name, None)
        if callback is not None:
            callback.stop()


def worker_settings(model_ref: str, fmt: str, parse: str = "full") -> dict[str, Any]:
    """What shapes a record on this worker (compared with the driver's before any work is sent)."""
    from healthclaims.batch.fingerprints import fingerprint_settings
    from healthclaims.modelref import ModelNotFound, resolve_model

    try:
        return fingerprint_settings(resolve_model(model_ref), fmt, None, parse)
    except ModelNotFound as exc:
        return {"error": str(exc)}


def open_store(target: str) -> tuple[Any, str]:
    """``(fsspec filesystem, root)`` for a URL target, ``(None, folder)`` for a local folder."""
    if "://" not in target or target.startswith("file://"):
        return None, target.removeprefix("file://")
    from fsspec.core import url_to_fs

    fs, root = url_to_fs(target)
    return fs, root.rstrip("/")


def write_record(target: str, name: str, text: str) -> None:
    """Write ``target/name`` so that a reader sees the old file or the new one, never half of one."""
    data = text.encode("utf-8")
    fs, root = open_store(target)
    if fs is None:
        # Host, pid and a random part: workers on several machines may share the folder.
        tmp = os.path.join(root, f".{name}.w-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, os.path.join(root, name))
        return
    path = f"{root}/{name}"
    if set(_protocols(fs)) & ATOMIC_PUT:
        fs.pipe_file(path, data)
    else:  # a filesystem without atomic uploads: a hidden temporary name, then a move
        tmp = f"{root}/.{name}.w-{uuid.uuid4().hex[:8]}.tmp"
        fs.pipe_file(tmp, data)
        fs.mv(tmp, path)


def _protocols(fs: Any) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def extract_batch(tasks: list[Task], target: str, settings: dict[str, Any]) -> list[Result]:
    """On a worker: extract the tasks' records, write each one to ``target``, report the results
    (the records' lines, without their indented documents, which are on disk)."""
    plugin: Any = get_worker().plugins[PLUGIN_NAME]
    with plugin.lock:
        results = process_batch(list[Task | Result](tasks), settings, nlp=plugin.nlp)
    for result in results:
        if result.status != "written":
            continue
        try:
            write_record(target, f"{result.id}.json", result.document or "")
        except Exception as exc:  # noqa: BLE001 - the article fails, the batch goes on
            result.status, result.kind, result.line = "failed", "unwritable", None
            result.message = f"cannot write its record to {target}: {type(exc).__name__}: {exc}"
        result.document = None
    return results


def probe_worker(target: str, driver_probe: str | None, sample: str | None, size: int | None) -> dict[str, Any]:
    """On a worker: can it write to ``target``, does it see the driver's folder, and the inputs?"""
    report: dict[str, Any] = {"sees_inputs": False, "writes": None}
    if sample is not None:
        try:
            report["sees_inputs"] = os.stat(sample).st_size == size
        except OSError:
            pass
    if driver_probe is not None and not os.path.exists(driver_probe):
        report["writes"] = "does not see the output folder (not a shared filesystem here)"
        return report
    try:
        name = f".healthclaims-probe-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        write_record(target, name, "")
        fs, root = open_store(target)
        if fs is None:
            os.unlink(os.path.join(root, name))
        else:
            fs.rm_file(f"{root}/{name}")
    except Exception as exc:  # noqa: BLE001 - reported to the driver, which names the worker
        report["writes"] = f"cannot write there: {type(exc).__name__}: {exc}"
    return report
