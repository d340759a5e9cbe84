"""Bulk import of hotline exports (Excel .xlsx or CSV): a dry run first, then the import.

The file is read into rows keyed by field, whatever the header's language
(工单号 or "ticket"…). Each row is checked on its own and gets every reason it
is refused, with the spreadsheet's row number (the header is row 1). The
import creates each good row through `submit_need`, in its own savepoint, so a
bad row never stops the good ones and never half-saves. Rows are processed in
chunks of `CHUNK`: a chunk's needs, its row issues and the job's progress are
committed together, so a re-run of an interrupted job resumes where it stopped,
and a ticket already recorded (channel + ticket number is unique) is skipped as
a duplicate — re-running a file creates nothing new.

Both runs stream the file (openpyxl's read-only mode, CSV decoded as it is
read) and append each chunk's issues as rows of their own: memory stays flat
whatever the number of rows, up to `MAX_ROWS` (bench/import_memory.py measures it).
"""

import csv
import io
import logging
import re
from collections import OrderedDict
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.accounts.roles import scope_regions
from portal.accounts.rules import is_same_person
from portal.audit.services import record_action
from portal.core.errors import DomainError
from portal.core.models import Category
from portal.core.text import find_control_character
from portal.core.uploads import SPREADSHEET, check_upload
from portal.regions.models import Region, RegionLevel, ancestor_path

from .models import OPEN_STATUSES, Channel, ImportIssueKind, ImportJob, ImportRowIssue, ImportStatus, Need
from .services import submit_need
from .similar import CANDIDATES, bigrams

logger = logging.getLogger(__name__)

CHUNK = 200  # rows per transaction and per progress update
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000  # per file; a larger export is split
# Likely-duplicate candidates are kept for this many (community, category) pairs at a time.
SIMILAR_POOLS = 64
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in exports
SIMILAR_THRESHOLD = 0.12  # similar_needs' default
TITLE_MAX = Need._meta.get_field("title").max_length
TICKET_MAX = Need._meta.get_field("external_ref").max_length
CONTACT_NAME_MAX = Need._meta.get_field("contact_name").max_length
CONTACT_PHONE_MAX = Need._meta.get_field("contact_phone").max_length
# Channels a file can come from ("web" needs are filed by residents themselves).
IMPORT_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.WEB]

# field -> header aliases, compared after `normalise_header` (lower case, no spaces, no "(必填)").
HEADERS = {
    "ticket": ["工单号", "工单编号", "工单号码", "单号", "编号", "ticket", "ticketno", "ticketnumber", "externalref"],
    "title": ["标题", "诉求标题", "工单标题", "主题", "title", "subject"],
    "description": [
        "内容",
        "诉求内容",
        "工单内容",
        "详细内容",
        "问题描述",
        "描述",
        "description",
        "content",
        "details",
    ],
    "category": ["类别", "分类", "诉求类别", "诉求分类", "问题类别", "问题分类", "category"],
    "community": ["社区", "所属社区", "community"],
    "grid": ["网格", "所属网格", "grid"],
    "contact_name": ["联系人", "联系人姓名", "姓名", "来电人", "诉求人", "contactname", "contact", "name"],
    "contact_phone": [
        "联系电话",
        "电话",
        "手机",
        "手机号",
        "来电号码",
        "联系方式",
        "contactphone",
        "phone",
        "telephone",
        "mobile",
    ],
    "received_at": ["受理时间", "来电时间", "登记时间", "受理日期", "时间", "日期", "receivedat", "received", "date"],
}
ALIASES = {alias: field for field, aliases in HEADERS.items() for alias in aliases}
REQUIRED = ("ticket", "title", "category")  # and 社区 or 网格
COLUMN_LABELS = {
    "ticket": "工单号 (ticket)",
    "title": "标题 (title)",
    "category": "类别 (category)",
    "region": "社区 (community) / 网格 (grid)",
}

DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y.%m.%d",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M:%S",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日%H时%M分%S秒",
    "%Y年%m月%d日%H时%M分",
    "%Y年%m月%d日",
    "%Y%m%d%H%M%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
EXCEL_SERIAL_RANGE = (32874, 73051)  # 1990-01-01 .. 2100-01-01
OLDEST_YEAR = 2000
# Mobile (masked ones too: exports often hide the middle digits), landline with area code,
# local number, 400/95xxx service numbers; optional extension.
PHONE = re.compile(r"^(?:1[3-9][\d*]{9}|0\d{9,11}|\d{7,8}|400\d{7}|95\d{3,6})(?:(?:转|ext\.?|x)\d{1,6})?$", re.I)
PHONE_SEPARATORS = re.compile(r"[,，;；/、]")
PHONE_NOISE = re.compile(r"[\s\-()（）]")


class ImportFileError(DomainError):
    def __init__(self, message, code="import_file", row=None):
        super().__init__(message, code)
        self.row = row


# --- reading --------------------------------------------------------------


def normalise_header(value):
    text = _text(value).lower()
    text = re.sub(r"[（(【\[].*?[)）】\]]", "", text)
    return re.sub(r"[\s_\-*:：.]", "", text)


def _text(value):
    """A cell as a stripped string (whole numbers without ".0", Excel's ="0123" quoting undone)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    text = str(value).replace("\ufeff", "").strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1].strip()
    return text.lstrip("'").strip()


def _xlsx_rows(file):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or misnamed file
        raise ImportFileError(_("This is not a readable .xlsx file. Save it again from Excel as .xlsx.")) from exc
    try:
        sheet = workbook.worksheets[0]
        # min_row=1: rows are numbered as in the spreadsheet, empty leading rows included.
        yield from enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
    finally:
        workbook.close()


def _encoding(sample):
    """The encoding of a CSV export, from its first bytes."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):  # Chinese Excel saves CSV as GBK (a subset of GB18030)
        try:
            sample.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 3:  # a character cut at the end of the sample
                return encoding
            continue
        return encoding
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK. Save it again as “CSV UTF-8”."))


def _csv_rows(file):
    """Rows decoded as they are read: the file is never held in memory as a whole."""
    raw = getattr(file, "file", file)
    raw.seek(0)
    sample = raw.read(65536)
    raw.seek(0)
    encoding = _encoding(sample)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        try:
            dialect = csv.Sniffer().sniff(sample.decode(encoding, errors="ignore")[:8192], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        yield from enumerate(csv.reader(text, dialect), start=1)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK. Save it again as “CSV UTF-8”.")) from exc
    finally:
        text.detach()  # leave the underlying file to its owner


def _raw_rows(file, name):
    suffix = Path(name or "").suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(file)
    if suffix == ".csv":
        return _csv_rows(file)
    if suffix == ".xls":
        raise ImportFileError(_("Old .xls files cannot be read. Save the file as .xlsx or .csv."))
    raise ImportFileError(_("Upload an Excel (.xlsx) or CSV (.csv) file."))


def _columns(values):
    """{field: column index} for a header row; the first column of each field wins."""
    columns = {}
    for index, value in enumerate(values):
        field = ALIASES.get(normalise_header(value))
        if field and field not in columns:
            columns[field] = index
    return columns


def _missing_columns(columns):
    missing = [field for field in REQUIRED if field not in columns]
    if "community" not in columns and "grid" not in columns:
        missing.append("region")
    return [COLUMN_LABELS[field] for field in missing]


def iter_rows(file, name, limit=None):
    """The data rows of an export as (row number, {field: value}), read as they come; blank rows skipped.

    Raises ImportFileError when the file cannot be read or lacks a required column.
    """
    rows = _raw_rows(file, name)
    try:
        yield from _read(rows, limit)
    finally:
        if hasattr(rows, "close"):
            rows.close()  # the .xlsx reader holds the file open until closed


def read_rows(file, name, limit=None):
    return list(iter_rows(file, name, limit))


def _read(rows, limit):
    columns, header_row = None, None
    for number, values in rows:
        if not any(_text(v) for v in values):
            continue
        found = _columns(values)
        if len(found) >= 2:
            columns, header_row = found, number
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if columns is None:
        raise ImportFileError(
            _("No header row found. The first row must name the columns: %(columns)s.")
            % {"columns": "工单号, 标题, 内容, 类别, 社区/网格, 联系人, 联系电话, 受理时间"},
            row=1,
        )
    missing = _missing_columns(columns)
    if missing:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}, row=header_row)
    count = 0
    for number, values in rows:
        if not any(_text(v) for v in values):
            continue
        yield number, {field: values[i] if i < len(values) else None for field, i in columns.items()}
        count += 1
        if limit and count >= limit:
            break


def check_file(file, name):
    """Raise ImportFileError unless the file is an export we can read (used by the upload form)."""
    if getattr(file, "size", 0) and file.size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)d MB. Split it into smaller files.") % {"size": MAX_FILE_BYTES >> 20}
        )
    try:
        check_upload(file, SPREADSHEET)
    except ValidationError as exc:
        raise ImportFileError(" ".join(exc.messages)) from exc
    file.seek(0)
    try:
        rows = read_rows(file, name, limit=1)
    finally:
        file.seek(0)
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))


# --- checking one row -----------------------------------------------------


def parse_received_at(value):
    """An aware datetime from an Excel date, an Excel serial number or a text date; ValueError if not one."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_serial(value)
    else:
        moment = _parse_date_text(_text(value))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_current_timezone())
    if moment.year < OLDEST_YEAR:
        raise ValueError("too old")
    return moment


def _from_serial(number):
    from openpyxl.utils.datetime import from_excel

    if not EXCEL_SERIAL_RANGE[0] <= number <= EXCEL_SERIAL_RANGE[1]:
        raise ValueError("not an Excel date")
    return from_excel(number)


def _parse_date_text(text):
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text))
    raise ValueError(text)


def clean_phone(value):
    """The phone as written, if every number in it looks like a Chinese phone number; ValueError if not."""
    text = _text(value)
    parts = [PHONE_NOISE.sub("", part) for part in PHONE_SEPARATORS.split(text)]
    parts = [re.sub(r"^(?:\+86|0086|86)(?=1\d{10}$)", "", part) for part in parts if part]
    if not parts or len(text) > CONTACT_PHONE_MAX or not all(PHONE.match(part) for part in parts):
        raise ValueError(text)
    return text


class RowChecker:
    """Checks rows for one importing user, caching categories, regions and their scope."""

    def __init__(self, *, by):
        self.by = by
        self.scope = scope_regions(by)
        self.seen = {}  # ticket -> first row number in this file
        self._regions = {}
        self._places = {}
        self._categories = {}
        for category in Category.objects.all():
            for key in (category.name.strip(), category.slug.lower(), category.name_en.strip().lower()):
                if key:
                    self._categories.setdefault(key, category)
        self.now = timezone.now()

    def ticket(self, number, row):
        """The row's ticket number and the reason it is unusable (missing, too long, repeated in the file)."""
        ticket = _text(row.get("ticket"))
        if not ticket:
            return ticket, _("missing ticket number")
        if len(ticket) > TICKET_MAX:
            return ticket, _("ticket number longer than %(max)d characters") % {"max": TICKET_MAX}
        first = self.seen.setdefault(ticket, number)
        if first != number:
            return ticket, _("ticket “%(ticket)s” appears twice in the file (first in row %(row)d)") % {
                "ticket": ticket,
                "row": first,
            }
        return ticket, None

    def check(self, row):
        """(fields for submit_need, []) or (None, reasons)."""
        errors = []
        title = _text(row.get("title"))
        if not title:
            errors.append(_("missing title"))
        elif len(title) > TITLE_MAX:
            errors.append(_("title longer than %(max)d characters") % {"max": TITLE_MAX})
        description = _text(row.get("description")) or title

        category = None
        category_text = _text(row.get("category"))
        if not category_text:
            errors.append(_("missing category"))
        else:
            category = self._categories.get(category_text) or self._categories.get(category_text.lower())
            if category is None:
                errors.append(_("unknown category “%(value)s”") % {"value": category_text})

        region, region_error = self.region(_text(row.get("community")), _text(row.get("grid")))
        if region_error:
            errors.append(region_error)

        contact_name = _text(row.get("contact_name"))
        if len(contact_name) > CONTACT_NAME_MAX:
            errors.append(_("contact name longer than %(max)d characters") % {"max": CONTACT_NAME_MAX})
        contact_phone = ""
        if _text(row.get("contact_phone")):
            try:
                contact_phone = clean_phone(row["contact_phone"])
            except ValueError:
                errors.append(_("bad phone “%(value)s”") % {"value": _text(row["contact_phone"])})

        received_at = None
        if _text(row.get("received_at")):
            try:
                received_at = parse_received_at(row["received_at"])
            except (ValueError, OverflowError):
                errors.append(_("bad date “%(value)s”") % {"value": _text(row["received_at"])})
            else:
                if received_at > self.now + timedelta(hours=1):
                    errors.append(_("date “%(value)s” is in the future") % {"value": _text(row["received_at"])})

        for label, text in ((_("title"), title), (_("description"), description), (_("contact name"), contact_name)):
            if find_control_character(text) is not None:
                errors.append(_("invisible control character in the %(field)s") % {"field": label})
        if errors:
            return None, errors
        return {
            "title": title,
            "description": description,
            "category": category,
            "region": region,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "created_at": received_at,
        }, []

    # Regions: names repeat across communities ("第1网格"), codes are unique.

    def region(self, community, grid):
        key = (community, grid)
        if key not in self._regions:
            self._regions[key] = self._resolve(community, grid)
        return self._regions[key]

    def _resolve(self, community_text, grid_text):
        if not community_text and not grid_text:
            return None, _("missing community or grid")
        community = None
        if community_text:
            candidates = self._lookup(community_text, (RegionLevel.COMMUNITY,))
            if not candidates:
                return None, _("unknown community “%(value)s”") % {"value": community_text}
            community = self._pick(candidates)
            if community is None:
                return None, _("community name “%(value)s” is ambiguous: use its code") % {"value": community_text}
        region = community
        if grid_text:
            candidates = self._lookup(grid_text, (RegionLevel.GRID, RegionLevel.SUB_GRID))
            if not candidates:
                return None, _("unknown grid “%(value)s”") % {"value": grid_text}
            if community is not None:
                candidates = [c for c in candidates if community.contains(c)]
                if not candidates:
                    return None, _("grid “%(grid)s” is not in community “%(community)s”") % {
                        "grid": grid_text,
                        "community": community_text,
                    }
            region = self._pick(candidates)
            if region is None:
                return None, _("grid name “%(value)s” is ambiguous: add the community or use the grid's code") % {
                    "value": grid_text
                }
        if not self._in_scope(region):
            return None, _("“%(value)s” is outside your area") % {"value": grid_text or community_text}
        return region, None

    def _lookup(self, text, levels):
        key = (text, levels)
        if key not in self._places:
            found = list(Region.objects.filter(Q(code=text) | Q(name=text), level__in=levels))
            by_code = [r for r in found if r.code == text]
            self._places[key] = by_code or found
        return self._places[key]

    def _pick(self, candidates):
        """The one candidate, preferring those in the user's area; None when still ambiguous."""
        if len(candidates) > 1:
            candidates = [c for c in candidates if self._in_scope(c)] or candidates
        return candidates[0] if len(candidates) == 1 else None

    def _in_scope(self, region):
        return any(area.contains(region) for area in self.scope)


class LikelyDuplicates:
    """`similar_needs` for thousands of rows: the same candidates (open needs of the community and
    category, newest CANDIDATES) and the same bigram Jaccard score, fetched and tokenised once per
    (community, category) instead of once per row."""

    def __init__(self):
        self._pools = OrderedDict()  # the SIMILAR_POOLS most recently used, so memory stays bounded

    def best(self, *, region, category, text):
        area = ancestor_path(region.path, RegionLevel.COMMUNITY) or region.path
        key = (area, category.pk)
        if key in self._pools:
            self._pools.move_to_end(key)
        else:
            if len(self._pools) >= SIMILAR_POOLS:
                self._pools.popitem(last=False)
            needs = (
                Need.objects.filter(region__path__startswith=area, category=category, status__in=OPEN_STATUSES)
                .order_by("-created_at")
                .only("pk", "title", "description")[:CANDIDATES]
            )
            self._pools[key] = [(bigrams(f"{n.title} {n.description}"), n.pk, n.title) for n in needs]
        words = bigrams(text)
        best = None
        for other, pk, title in self._pools[key]:
            if not words or not other:
                continue
            score = len(words & other) / len(words | other)
            if score >= SIMILAR_THRESHOLD and (best is None or (score, pk) > best[:2]):
                best = (score, pk, title)
        return best and {"need": best[1], "title": best[2]}


# --- jobs -----------------------------------------------------------------


def _enqueue(job):
    from .tasks import run_import_task

    run_import_task.delay(job.pk)  # sent when the job's row is committed


def good_rows(job):
    """Rows a finished dry run found importable."""
    return max(job.total_rows - job.error_count - job.duplicate_count, 0)


def start_import(*, by, file, channel=Channel.HOTLINE):
    """Store the uploaded export and start its dry run."""
    if not by.has_perm("needs.enter_need"):
        raise PermissionDenied("needs.enter_need")
    if channel not in dict(IMPORT_CHANNELS):
        raise DomainError(_("Choose the channel the file comes from."), "channel")
    check_file(file, file.name)
    with transaction.atomic():
        job = ImportJob.objects.create(
            file=file, original_name=file.name[:255], channel=channel, dry_run=True, created_by=by
        )
        _enqueue(job)
    return job


def confirm_import(*, by, job):
    """After a dry run: import the same file for real. A second click returns the job already started."""
    if not (by.has_perm("needs.enter_need") and (by.is_superuser or is_same_person(by, job.created_by_id))):
        raise PermissionDenied("needs.enter_need")
    if not job.dry_run or job.status != ImportStatus.DONE:
        raise DomainError(_("Wait for the dry run to finish."), "not_ready")
    if not good_rows(job):
        raise DomainError(_("The dry run found no rows to import."), "nothing_to_import")
    with transaction.atomic():
        existing = ImportJob.objects.filter(file=job.file.name, dry_run=False, created_by=by).first()
        if existing is not None:
            return existing
        real = ImportJob.objects.create(
            file=job.file.name, original_name=job.original_name, channel=job.channel, dry_run=False, created_by=by
        )
        _enqueue(real)
    return real


class _Superseded(Exception):
    """Another run of the same job has moved on; this one stops."""


def run_import(job_id):
    """Run (or resume) a job: the dry run checks; the real run creates. Returns the job. Safe to re-run."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job
    user = job.created_by
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            if user is None or not user.has_perm("needs.enter_need"):
                raise ImportFileError(_("The person who uploaded the file can no longer enter needs."))
            _process(job, user)
        except ImportFileError as exc:
            _fail(job, exc.message, exc.row)
        except _Superseded:
            logger.info("Import %s is being run by another worker", job_id)
        except Exception:
            # Logged, not raised: the job says it failed, and a re-upload skips the rows already imported.
            logger.exception("Import %s failed", job_id)
            _fail(job, _("The import stopped on an unexpected error. Rows already imported are kept."))
    job.refresh_from_db()
    return job


def _fail(job, message, row=None):
    with transaction.atomic():
        ImportRowIssue.objects.create(job=job, row=row, kind=ImportIssueKind.ERROR, messages=[str(message)])
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, finished_at=timezone.now())


def _rows(job):
    """The job's file, streamed again from the start (each run reads it twice: count, then work)."""
    with job.file.open("rb") as file:
        yield from iter_rows(file, job.original_name or job.file.name)


def _process(job, user):
    if job.status == ImportStatus.PENDING:
        total = sum(1 for _row in _rows(job))
        if total > MAX_ROWS:
            raise ImportFileError(
                _("The file has %(rows)s rows; at most %(max)s can be imported at once. Split it into smaller files.")
                % {"rows": f"{total:,}", "max": f"{MAX_ROWS:,}"}
            )
        with transaction.atomic():
            claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
                status=ImportStatus.RUNNING,
                total_rows=total,
                processed_rows=0,
                created_count=0,
                duplicate_count=0,
                error_count=0,
            )
            if not claimed:
                raise _Superseded
            job.issues.all().delete()
        job.refresh_from_db()
    checker = RowChecker(by=user)
    likely = LikelyDuplicates() if job.dry_run else None
    state = {
        "created_count": job.created_count,
        "duplicate_count": job.duplicate_count,
        "error_count": job.error_count,
        "issues": [],
    }
    done = job.processed_rows  # a resumed run skips the rows already committed
    chunk = []
    for index, (number, row) in enumerate(_rows(job)):
        if index < done:
            checker.ticket(number, row)  # remembers the tickets seen, to spot repeats further down
            continue
        chunk.append((number, row))
        if len(chunk) == CHUNK:
            done = _commit_chunk(job, user, chunk, checker, likely, state, done)
            chunk = []
    if chunk:
        done = _commit_chunk(job, user, chunk, checker, likely, state, done)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, finished_at=timezone.now())
        if not job.dry_run:
            record_action(
                by=user,
                action="needs.import",
                target=job,
                after={k: state[k] for k in ("created_count", "duplicate_count", "error_count")},
                note=job.original_name,
            )


def _commit_chunk(job, user, chunk, checker, likely, state, done):
    """One chunk's needs, issues and progress, committed together. Returns the rows now done."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().only("processed_rows", "status").get(pk=job.pk)
        if locked.processed_rows != done or locked.status != ImportStatus.RUNNING:
            raise _Superseded
        _process_chunk(job, user, chunk, checker, likely, state)
        ImportRowIssue.objects.bulk_create(state["issues"])
        state["issues"] = []
        counts = {k: state[k] for k in ("created_count", "duplicate_count", "error_count")}
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done + len(chunk), **counts)
    return done + len(chunk)


def _process_chunk(job, user, chunk, checker, likely, state):
    tickets = {number: checker.ticket(number, row) for number, row in chunk}
    recorded = dict(
        Need.objects.filter(
            channel=job.channel, external_ref__in=[t for t, error in tickets.values() if not error]
        ).values_list("external_ref", "pk")
    )
    for number, row in chunk:
        ticket, ticket_error = tickets[number]
        if not ticket_error and ticket in recorded:
            _duplicate(
                job, state, number, _("ticket “%(ticket)s” already imported") % {"ticket": ticket}, recorded[ticket]
            )
            continue
        fields, errors = checker.check(row)
        if ticket_error:
            errors.insert(0, ticket_error)
        if errors:
            _error(job, state, number, errors)
        elif likely is not None:
            hit = likely.best(
                region=fields["region"], category=fields["category"], text=f"{fields['title']} {fields['description']}"
            )
            if hit:
                reason = _("looks like need #%(id)d “%(title)s”") % {"id": hit["need"], "title": hit["title"]}
                state["issues"].append(
                    ImportRowIssue(
                        job=job, row=number, kind=ImportIssueKind.SIMILAR, messages=[reason], need_id=hit["need"]
                    )
                )
        else:
            _create(job, user, state, number, ticket, fields)


def _create(job, user, state, number, ticket, fields):
    try:
        with transaction.atomic():
            submit_need(by=user, channel=job.channel, external_ref=ticket, **fields)
    except PermissionDenied:
        _error(job, state, number, [_("“%(value)s” is outside your area") % {"value": fields["region"].name}])
    except (DomainError, ValidationError, IntegrityError, DataError) as exc:
        # A ticket recorded meanwhile (another import, a second worker) is a duplicate, not an error.
        existing = Need.objects.filter(channel=job.channel, external_ref=ticket).values_list("pk", flat=True).first()
        if existing:
            _duplicate(job, state, number, _("ticket “%(ticket)s” already imported") % {"ticket": ticket}, existing)
        else:
            if isinstance(exc, DomainError):
                messages = [exc.message]
            elif isinstance(exc, ValidationError):
                messages = exc.messages
            else:
                logger.warning("Import %s row %s not saved: %s", job.pk, number, exc)
                messages = [_("the row could not be saved")]
            _error(job, state, number, [str(m) for m in messages])
    else:
        state["created_count"] += 1


def _error(job, state, number, errors):
    state["issues"].append(
        ImportRowIssue(job=job, row=number, kind=ImportIssueKind.ERROR, messages=[str(e) for e in errors])
    )
    state["error_count"] += 1


def _duplicate(job, state, number, reason, need_id):
    state["issues"].append(
        ImportRowIssue(job=job, row=number, kind=ImportIssueKind.TICKET, messages=[str(reason)], need_id=need_id)
    )
    state["duplicate_count"] += 1
