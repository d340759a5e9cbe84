"""Memory and time of the hotline import's dry run at 10,000 to 100,000 rows.

    .venv/bin/python bench/import_memory.py                 # 10k, 50k, 100k rows, xlsx and csv
    .venv/bin/python bench/import_memory.py --rows 100000 --format xlsx

Each size runs in a process of its own (so its peak resident memory, VmHWM, is its
own) against a throwaway SQLite database: a street of eight communities, the demo
categories and one street staff member. The file mixes good rows, bad rows and
repeated tickets the way real exports do. What is measured is `run_import` of the
dry run, as the Celery worker runs it: peak memory of the whole process (Django
included) and wall time. The claim to check: memory stays flat whatever the row count.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["工单号", "标题", "内容", "类别", "社区", "网格", "联系人", "联系电话", "受理时间"]
COMMUNITIES = ["春柳", "桃源", "金湾", "海港", "兴华", "永安", "石道", "北岗"]
WHAT = ["路灯不亮", "楼道堆物", "噪音扰民", "下水道堵塞", "垃圾清运不及时", "健身器材损坏", "违章停车", "漏雨"]


def vm_peak_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def row(i):
    community = COMMUNITIES[i % len(COMMUNITIES)]
    what = WHAT[(i // 3) % len(WHAT)]
    ticket = f"2026{i:08d}" if i % 97 else f"2026{i - 1:08d}"  # every 97th repeats the previous ticket
    category = "环境整治" if i % 53 else "不存在的类别"  # and every 53rd names a category we lack
    return [
        ticket,
        f"{community}社区{i % 40 + 1}号楼{what}",
        f"居民来电反映{community}社区{i % 40 + 1}号楼{what}，已持续{i % 9 + 1}天，希望尽快处理。",
        category,
        f"{community}社区",
        "",
        "张先生" if i % 2 else "李女士",
        f"139{i % 100000000:08d}",
        f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d} 09:{i % 60:02d}",
    ]


def write_file(path, rows, fmt):
    if fmt == "csv":
        import csv

        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for i in range(rows):
                writer.writerow(row(i))
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append(row(i))
    workbook.save(path)


def prepare(workdir):
    """In the child process: Django on a new SQLite database in `workdir`, migrated, with the demo
    categories, a street of COMMUNITIES and its street staff member, who is returned."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/import-bench.sqlite3"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    settings.PRIVATE_MEDIA_ROOT = str(Path(workdir) / "private")
    call_command("migrate", verbosity=0)
    from portal.accounts.models import Role, RoleAssignment, User
    from portal.core.demo import load as load_categories
    from portal.regions.models import Region, RegionLevel

    load_categories({})
    district = Region.add_root(code="B", name="西港区", level=RegionLevel.DISTRICT)
    street = district.add_child(code="B01", name="人民广场街道", level=RegionLevel.STREET)
    for n, name in enumerate(COMMUNITIES):
        Region.objects.get(pk=street.pk).add_child(code=f"B01{n:02d}", name=f"{name}社区", level=RegionLevel.COMMUNITY)
    staff = User.objects.create_user(username="benchstaff", email="benchstaff@example.org", password="x")
    RoleAssignment.objects.create(user=staff, role=Role.STREET_STAFF, region=street, verified_at=timezone.now())
    return staff


def measure(rows, fmt, workdir):
    """Runs in the child process: set up, import, print one JSON line."""
    staff = prepare(workdir)
    from django.core.files import File

    from marketplace.needs import importing
    from marketplace.needs.models import ImportIssueKind

    path = Path(workdir) / f"export.{fmt}"
    write_file(path, rows, fmt)
    before = vm_peak_mb()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        # Without a broker the task runs eagerly on commit, in this process: upload check and dry run.
        job = importing.start_import(by=staff, file=File(handle, name=path.name))
    job = importing.run_import(job.pk)  # returns at once when the eager run has finished it
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": rows,
                "format": fmt,
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "status": job.status,
                "errors": job.error_count,
                "similar": job.issues.filter(kind=ImportIssueKind.SIMILAR).count(),
                "seconds": round(seconds, 1),
                "rows_per_second": round(rows / seconds),
                "peak_mb_before_run": round(before),
                "peak_mb": round(vm_peak_mb()),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per file (repeatable)")
    parser.add_argument("--format", choices=["xlsx", "csv"], action="append")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.rows or [10_000, 50_000, 100_000]
    formats = args.format or ["xlsx", "csv"]
    if args.child:
        with tempfile.TemporaryDirectory() as workdir:
            measure(sizes[0], formats[0], workdir)
        return
    print("| rows | file | MB | status | dry run s | rows/s | peak MB before | peak MB | errors | likely duplicates |")
    print("|---:|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for fmt in formats:
        for rows in sizes:
            out = (
                subprocess.run(
                    [sys.executable, __file__, "--child", "--rows", str(rows), "--format", fmt],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            r = json.loads(out)
            print(
                f"| {r['rows']:,} | {r['format']} | {r['file_mb']} | {r['status']} | {r['seconds']} "
                f"| {r['rows_per_second']:,} | {r['peak_mb_before_run']} | {r['peak_mb']} | {r['errors']:,} "
                f"| {r['similar']:,} |"
            )


if __name__ == "__main__":
    main()
