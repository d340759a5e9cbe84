"""The one spreadsheet writer: every workbook (and CSV) the project hands out goes through it.

Residents write the text that ends up in these files. A cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return is a formula to Excel and LibreOffice
(`=HYPERLINK(...)`, `=cmd|...`): such text is neutralised with a leading apostrophe and
stored as a string. Characters a workbook cannot hold (most C0 controls) are dropped
instead of failing the whole file.
"""

import csv
import io
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text as it may stand in a spreadsheet cell: storable, and never a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def safe_value(value):
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Spreadsheets have no time zones: the district's wall time.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def new_workbook():
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def add_table(workbook, title, header, rows, *, percent_columns=(), date_columns=(), widths=None):
    """A sheet with a bold, frozen header row; `*_columns` are 1-based column numbers."""
    sheet = workbook.create_sheet(safe_text(title)[:31])
    sheet.append([safe_text(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_value(v) for v in row])
    for column in percent_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "0.0%"
    for column in date_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "yyyy-mm-dd hh:mm"
    for index, heading in enumerate(header, start=1):
        width = (widths or {}).get(index) or max(10, min(40, 2 * len(str(heading)) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(header, rows):
    """A CSV file (UTF-8 with BOM, so Excel reads the Chinese) with the same neutralised cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
