"""Time of the hotline import at 10,000 rows: the dry run, the import, a second dry run of the same
file and a re-run of the import.

    .venv/bin/python bench/import_speed.py                          # 10,000 rows, .xlsx
    .venv/bin/python bench/import_speed.py --rows 50000 --format csv

This is what tests/needs/test_import.py ran at 10,000 rows until issue 18 (about 71 s of the suite);
the suite checks the same behaviour at 200 rows. Each run is a process of its own against a throwaway
SQLite database set up as import_memory.py's (a street of eight communities, the demo categories, one
street staff member) with its file (every 53rd row names a category the portal lacks, every 97th
repeats the previous ticket). Jobs run as the worker runs them (eagerly, in this process). Prints each
phase's time and rows per second, and stops if the phases' counts disagree: the import creates what
the dry run found good, the second dry run finds all of it already imported, the re-run creates nothing.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_memory import prepare, vm_peak_mb, write_file  # noqa: E402


def measure(rows, fmt, workdir):
    """Runs in the child process: set up, the four phases, print one JSON line."""
    staff = prepare(workdir)
    from django.core.files import File

    from marketplace.needs import importing
    from marketplace.needs.models import ImportJob, ImportStatus, Need

    path = Path(workdir) / f"export.{fmt}"
    write_file(path, rows, fmt)
    timings = {}

    def timed(name, start):
        started = time.perf_counter()
        job = importing.run_import(start().pk)  # returns at once: the eager task has run it on commit
        timings[name] = time.perf_counter() - started
        if job.status != ImportStatus.DONE or job.processed_rows != rows:
            raise SystemExit(f"{name}: {job.status}, {job.processed_rows} of {rows} rows")
        return job

    def upload():
        with open(path, "rb") as handle:
            return importing.start_import(by=staff, file=File(handle, name=path.name))

    dry = timed("dry run", upload)
    good = importing.good_rows(dry)
    real = timed("import", lambda: importing.confirm_import(by=staff, job=dry))
    again = timed("second dry run", upload)
    rerun = timed(
        "re-run of the import", lambda: ImportJob.objects.create(file=dry.file.name, dry_run=False, created_by=staff)
    )
    checks = {
        "the import creates the dry run's good rows": real.created_count == good == Need.objects.count(),
        "the second dry run finds them imported": (again.duplicate_count, importing.good_rows(again)) == (good, 0),
        "the re-run creates nothing": (rerun.created_count, rerun.duplicate_count) == (0, good),
        "every phase reports the same bad rows": dry.error_count == real.error_count == rerun.error_count,
    }
    print(
        json.dumps(
            {
                "rows": rows,
                "format": fmt,
                "good": good,
                "errors": dry.error_count,
                "timings": {name: round(seconds, 1) for name, seconds in timings.items()},
                "peak_mb": round(vm_peak_mb()),
                "failed": [name for name, passed in checks.items() if not passed],
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as workdir:
            measure(args.rows, args.format, workdir)
        return
    child = [sys.executable, __file__, "--child", "--rows", str(args.rows), "--format", args.format]
    out = subprocess.run(child, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    r = json.loads(out)
    print(f"{r['rows']:,} rows ({r['format']}): {r['good']:,} good, {r['errors']:,} bad; peak {r['peak_mb']} MB")
    print("| phase | s | rows/s |")
    print("|---|---:|---:|")
    for name, seconds in r["timings"].items():
        print(f"| {name} | {seconds} | {r['rows'] / seconds:,.0f} |")
    if r["failed"]:
        raise SystemExit("counts disagree: " + "; ".join(r["failed"]))


if __name__ == "__main__":
    main()
