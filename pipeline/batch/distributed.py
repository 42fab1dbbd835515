"""Running a batch on a Dask cluster (``healthclaims run --dask ADDRESS``), a backend for the runner.

Batches of tasks (article paths, or their bytes for workers that cannot see the inputs) go to
the workers, which hold the pipeline in a worker plugin (loaded once per worker process) and
write each record, atomically, to the output folder or fsspec URL. The driver receives what
the workers report and keeps all the bookkeeping (records.jsonl, errors.jsonl, manifest). A
worker that dies costs nothing: Dask re-runs its tasks, and the driver lists each batch once.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

import dask
from distributed import Client, LocalCluster, wait
from distributed.scheduler import KilledWorker
from healthclaims.batch.daskworker import (
    PLUGIN_NAME,
    WORKER_TMP,
    PipelinePlugin,
    extract_batch,
    open_store,
    probe_worker,
    worker_settings,
)
from healthclaims.batch.workers import Result, Task

SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
#: How many windows of batches may be submitted or held ahead of the oldest one still running.
LOOKAHEAD = 8


class DaskSetupError(RuntimeError):
    """The cluster cannot run this job: unreachable, or its workers differ from the driver."""


def parse_address(address: str) -> tuple[str, Any]:
    """``("local", N)`` for ``local:N``, ``("scheduler", address)`` for a scheduler address.

    Raises:
        ValueError: for anything else, naming what is allowed.
    """
    text = address.strip()
    local = re.fullmatch(r"local:(\d+)", text)
    if local:
        n = int(local.group(1))
        if not 1 <= n <= 256:
            raise ValueError(f"--dask {address!r}: local:N needs 1 to 256 workers (or a scheduler address such as tcp://host:8786)")
        return "local", n
    if re.fullmatch(rf"({'|'.join(SCHEMES)})://[^\s/]+:\d+/?", text):
        return "scheduler", text.rstrip("/")
    raise ValueError(f"--dask {address!r}: give a scheduler address such as tcp://host:8786, "
                     f"or local:N for a LocalCluster of N worker processes on this machine")


def local_worker_config() -> dict[str, Any]:
    """Dask settings for the LocalCluster workers we start: measured on spaCy, each of Dask's
    defaults below costs 15-20% of a worker's speed.

    - ``MALLOC_TRIM_THRESHOLD_`` (set by the nanny to return memory to the system sooner) turns
      off glibc's adaptive mmap threshold, so every large array numpy allocates is a fresh,
      zeroed mapping; our workers keep glibc's default (memory stays flat through spaCy's memory
      zones, see process_batch).
    - The statistical profiler samples the task's stack every 10 ms (see daskworker.stop_profiler).
    """
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return {"distributed.nanny.pre-spawn-environ": environ, "distributed.worker.profile.enabled": False}


class DaskCluster:
    """A client of a Dask scheduler, or of a LocalCluster of N worker processes that it starts,
    or of a cluster object made by the caller (dask-jobqueue, dask-kubernetes).

    ``ship``: how tasks reach the workers; ``auto`` sends paths when every worker sees the
    input files, else their bytes; ``paths`` or ``bytes`` forces one.
    """

    def __init__(self, address: Any, ship: str = "auto", connect_timeout: float = 30.0):
        if ship not in ("auto", "paths", "bytes"):
            raise ValueError(f"unknown ship {ship!r}; allowed: auto, paths, bytes")
        self.ship = ship
        self.cluster: LocalCluster | None = None
        self._loading: tuple[tuple[str, str], threading.Thread, list[Exception]] | None = None
        if not isinstance(address, str):  # a cluster object (dask-jobqueue, dask-kubernetes, ...) opened by the caller
            self.address = str(getattr(address, "scheduler_address", address))
            self.client = Client(address)
            return
        self.address = address
        kind, value = parse_address(address)
        try:
            if kind == "local":
                # One thread per worker process: spaCy is CPU-bound Python, threads would only contend.
                # Quiet: the workers share this terminal, and shutting down after Ctrl-C makes them log
                # lost heartbeats; failures reach the driver as results, the dashboard shows the rest.
                with dask.config.set(local_worker_config()):
                    self.cluster = LocalCluster(n_workers=value, threads_per_worker=1, processes=True, host="127.0.0.1",
                                                dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
                self.client = Client(self.cluster)
            else:
                self.client = Client(value, timeout=connect_timeout)
        except (OSError, TimeoutError) as exc:
            self._close_cluster()
            raise DaskSetupError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc

    def preload(self, model: str | None, parse: str = "full") -> None:
        """Start loading the pipeline on the workers now, in the background, so that it overlaps
        the driver's planning (hashing every input, reading every record)."""
        from healthclaims.modelref import ModelNotFound, resolve_model

        try:
            ref = resolve_model(model)
        except ModelNotFound:
            return  # the run itself says so
        errors: list[Exception] = []
        thread = threading.Thread(target=self._register, args=(ref, parse, errors), daemon=True)
        self._loading = ((ref, parse), thread, errors)
        thread.start()

    def _register(self, ref: str, parse: str, errors: list[Exception]) -> None:
        try:
            self.client.register_plugin(PipelinePlugin(ref, parse), name=PLUGIN_NAME)
        except Exception as exc:  # noqa: BLE001 - raised in the driver's thread by load_pipeline
            errors.append(exc)

    def load_pipeline(self, ref: str, parse: str = "full") -> None:
        """Have every worker (and every worker that joins later) hold the pipeline ``ref`` (in ``parse`` mode)."""
        loading, self._loading = self._loading, None
        if loading is not None and loading[0] == (ref, parse):
            loading[1].join()
            if loading[2]:
                raise DaskSetupError(f"the Dask workers could not load {ref}: {loading[2][0]}") from loading[2][0]
            return
        if loading is not None:
            loading[1].join()
        self.client.register_plugin(PipelinePlugin(ref, parse), name=PLUGIN_NAME)

    @property
    def dashboard_link(self) -> str | None:
        """The address of the Dask dashboard (None without bokeh)."""
        try:
            return str(self.client.dashboard_link)
        except Exception:  # noqa: BLE001 - no dashboard is no reason to stop
            return None

    def describe(self) -> str:
        """One line for the terminal: where the run goes and where to watch it."""
        workers = self.client.scheduler_info().get("workers", {})
        threads = sum(w.get("nthreads", 1) for w in workers.values())
        where = self.address if self.cluster is None else f"LocalCluster at {self.cluster.scheduler_address}"
        link = self.dashboard_link
        return f"dask: {where}, {len(workers)} worker(s), {threads} thread(s)" + (f"; dashboard {link}" if link else "")

    def close(self) -> None:
        """Close the client, and the LocalCluster this process started."""
        self.client.close()
        self._close_cluster()

    def _close_cluster(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __str__(self) -> str:
        return self.address


# ----------------------------------------------------------------------------- on the driver


class DaskBackend:
    """The runner's backend on a Dask cluster: results of each batch, in the order given."""

    def __init__(self, cluster: DaskCluster, settings: dict[str, Any], target: str, owned: bool = False,
                 on_status: Callable[[str | None], None] | None = None):
        self.cluster, self.client, self.settings, self.target, self.owned = cluster, cluster.client, settings, target, owned
        self.on_status = on_status or (lambda _text: None)
        self.futures: deque[tuple[Any, list[Task | Result], list[Task]]] = deque()
        self.ship: str | None = None if cluster.ship == "auto" else cluster.ship
        self.probed = False
        self.token = uuid.uuid4().hex[:8]
        self._check_workers()
        self.on_status(f"loading {Path(settings['model_ref']).name} on {self._nworkers()} Dask worker(s)…")
        cluster.load_pipeline(settings["model_ref"], settings.get("parse", "full"))

    def _nworkers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def _threads(self) -> int:
        workers = self.client.scheduler_info().get("workers", {}).values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))

    def _check_workers(self) -> None:
        """Refuse a cluster whose workers would make other records than this machine (other
        versions, rules or model): their records would carry fingerprints that lie."""
        if not self._nworkers():
            self.on_status("waiting for a Dask worker…")
            self.client.wait_for_workers(1, timeout=300)
        found = self.client.run(worker_settings, self.settings["model_ref"], self.settings.get("format", "auto"),
                                self.settings.get("parse", "full"))
        for address, theirs in found.items():
            # what a worker computes on its own (the library digest of --library is the driver's)
            expected = {k: self.settings.get(k) for k in theirs if k != "error"}
            if "error" in theirs or theirs != expected:
                differ = sorted(k for k in set(theirs) | set(expected) if theirs.get(k) != expected.get(k))
                detail = theirs.get("error") or ", ".join(f"{k}: worker {theirs.get(k)!r}, here {expected.get(k)!r}"
                                                          for k in differ)
                raise DaskSetupError(f"Dask worker {address} would make different records ({detail}); install the "
                                     f"same healthclaims build (version and code) and model on the workers as here")

    def _probe(self, task: Task | None) -> None:
        """Check that every worker can write the records, and decide how tasks travel."""
        driver_probe = None
        fs, root = open_store(self.target)
        if fs is None:
            driver_probe = os.path.join(root, f".healthclaims-probe-driver-{self.token}")
            Path(driver_probe).touch()
        sample = os.path.abspath(task.path) if task else None
        size = os.stat(sample).st_size if sample else None
        try:
            reports = self.client.run(probe_worker, self.target, driver_probe, sample, size)
        finally:
            if driver_probe:
                os.unlink(driver_probe)
        for address, report in reports.items():
            if report["writes"]:
                raise DaskSetupError(f"Dask worker {address} {report['writes']} ({self.target}); give -o a shared "
                                     f"filesystem path or an fsspec URL such as s3://bucket/prefix")
        if self.ship is None:
            self.ship = "paths" if all(r["sees_inputs"] for r in reports.values()) else "bytes"

    def _prepare(self, tasks: list[Task]) -> list[Task]:
        if self.ship == "paths":
            return [replace(t, path=os.path.abspath(t.path)) for t in tasks]
        return [replace(t, data=Path(t.path).read_bytes()) for t in tasks]

    def _submit(self, tasks: list[Task], key: str, priority: int) -> Any:
        return self.client.submit(extract_batch, self._prepare(tasks), self.target, self.settings, key=key,
                                  pure=False, priority=priority)

    def map(self, batches: Iterable[list[Task | Result]]) -> Iterator[list[Result]]:
        """Results of each batch in input order; only the tasks travel, known results stay here.

        The workers are kept busy by the batches still running, not by those not yet listed: a
        long batch at the head of the queue must not leave the other workers idle while the
        results behind it wait (kept here, one line per article, up to ``LOOKAHEAD`` windows).
        """
        source = iter(batches)
        window, n, exhausted = 2 * self._threads() + 2, 0, False
        while True:
            running = sum(1 for f, _b, _t in self.futures if f is not None and not f.done())
            while not exhausted and running < window and len(self.futures) < LOOKAHEAD * window:
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    break
                tasks = [item for item in batch if isinstance(item, Task)]
                if tasks and not self.probed:
                    self._probe(tasks[0])
                    self.probed = True
                future = self._submit(tasks, f"healthclaims-{self.token}-{n}", -n) if tasks else None
                self.futures.append((future, batch, tasks))
                running += future is not None
                n += 1
                if n % 32 == 0:  # workers may have joined (an adaptive cluster)
                    window = 2 * self._threads() + 2
            if not self.futures:
                return
            head = self.futures[0][0]
            if head is not None and not head.done():
                # Wait for any batch; if it is not the head, its worker gets the next batch.
                wait([f for f, _b, _t in self.futures if f is not None and not f.done()], return_when="FIRST_COMPLETED")
                continue
            future, batch, tasks = self.futures.popleft()
            yield self._merge(batch, self._results(future, tasks) if future is not None else [])

    def _results(self, future: Any, tasks: list[Task]) -> list[Result]:
        try:
            results: list[Result] = future.result()
            return results
        except KilledWorker:
            # The batch killed the workers it ran on (allowed-failures times): one of its articles
            # may take a worker down (out of memory); alone, each one that does is one error line.
            if len(tasks) == 1:
                return [Result("failed", tasks[0].id, tasks[0].source, kind="worker_lost",
                               message="its Dask worker died every time it was extracted (out of memory?)")]
            singles = [self._submit([t], f"healthclaims-{self.token}-alone-{t.id}", 1) for t in tasks]
            return [r for f, t in zip(singles, tasks) for r in self._results(f, [t])]

    @staticmethod
    def _merge(batch: list[Task | Result], results: list[Result]) -> list[Result]:
        done = iter(results)
        return [next(done) if isinstance(item, Task) else item for item in batch]

    def close(self, interrupted: bool) -> None:
        """Cancel what is still queued (after Ctrl-C), clear the workers' temporary files, close what we opened."""
        try:
            pending = [f for f, _batch, _tasks in self.futures if f is not None]
            if pending:
                self.client.cancel(pending, force=True)
            self.futures.clear()
        finally:
            if self.owned:
                self.cluster.close()
            fs, root = open_store(self.target)
            if fs is None:
                for stale in Path(root).glob(WORKER_TMP):
                    stale.unlink(missing_ok=True)


def open_dask_backend(dask: Any, settings: dict[str, Any], target: str,
                      on_status: Callable[[str | None], None] | None = None) -> DaskBackend:
    """The runner's backend on ``dask``: an open ``DaskCluster``, or an address or a Dask cluster
    object (``SLURMCluster``, ``KubeCluster``, ...) whose client is opened and closed here.

    Args:
        target: where the workers write the records: a folder they share, or an fsspec URL.
    """
    if isinstance(dask, DaskCluster):
        return DaskBackend(dask, settings, target, owned=False, on_status=on_status)
    if on_status:
        on_status(f"connecting to Dask at {dask}…")
    cluster = DaskCluster(dask)
    try:
        return DaskBackend(cluster, settings, target, owned=True, on_status=on_status)
    except BaseException:
        cluster.close()
        raise
