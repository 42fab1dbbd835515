"""The summary ``healthclaims run`` prints: the run's counts, as in ``manifest.json``."""

from __future__ import annotations

from pathlib import Path

from healthclaims.batch.runner import RunSummary


def _kinds(kinds: dict[str, int]) -> str:
    return ", ".join(f"{kind.replace('_', ' ')}: {n}" for kind, n in sorted(kinds.items()))


def _in(outdir: Path | str, name: str) -> str:
    """``outdir/name`` for a folder or an fsspec URL (where Path would fold ``s3://`` into ``s3:/``)."""
    return f"{str(outdir).rstrip('/')}/{name}" if "://" in str(outdir) else str(Path(outdir) / name)


def summary_text(s: RunSummary, outdir: Path | str) -> str:
    """Lines for the terminal: records in the folder (or URL), then found/failed/skipped, then what was extracted."""
    records = _in(outdir, "records.jsonl")
    kept = f", {s.kept} kept from earlier runs" if s.kept else ""
    if s.interrupted:
        head = (f"INTERRUPTED: {s.records} record(s) in {records} ({s.written} written, {s.unchanged} unchanged{kept}); "
                f"{s.pending} article(s) not reached; run again to finish")
    elif s.up_to_date:
        head = f"all {s.unchanged} records up to date in {str(outdir).rstrip('/')}/" + (f" ({s.kept} more kept from earlier runs)" if s.kept else "")
    else:
        head = f"{s.records} record(s) in {records}: {s.written} written, {s.unchanged} unchanged{kept}"
    found = f"  {s.found} article(s) found, {s.failed} failed"
    if s.skipped:
        found += f", {s.skipped} skipped ({_kinds(s.skipped_kinds)})"
    lines = ["", head, found]
    if s.failed:
        lines.append(f"  failures ({_kinds(s.error_kinds)}) are listed in {_in(outdir, 'errors.jsonl')}")
    if s.written:
        lines.append(f"  in the {s.written} written: claims {s.claims}  citations {s.citations}  quotes {s.quotes}  "
                     f"speakers {s.speakers}  techniques {s.techniques}")
        rate = f", {s.words / s.seconds:,.0f} words/s" if s.seconds else ""
        lines.append(f"  {s.seconds:.1f} s{rate}")
    if s.resolved or s.ambiguous or s.library_problems:
        lines.append(f"  citations resolved {s.resolved}  ambiguous {s.ambiguous}  ({s.resolve_seconds:.1f} s resolving)")
    lines += [f"  library: skipped {p}" for p in s.library_problems]
    if s.pruned:
        lines.append(f"  {s.pruned} record(s) of inputs that no longer exist were deleted (--prune)")
    elif s.orphaned:
        lines.append(f"  {s.orphaned} record(s) in {outdir}/ belong to inputs that no longer exist: not in records.jsonl, "
                     'listed under "orphans" in manifest.json; --prune deletes them')
    lines.append(f"  manifest: {_in(outdir, 'manifest.json')}")
    return "\n".join(lines)
