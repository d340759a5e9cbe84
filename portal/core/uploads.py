"""One check for every uploaded file, in forms and the API alike.

A file is judged by what it is, not by what it is called: its first bytes say its type
(the `filetype` signatures), its size is bounded, and an image is opened to check its
dimensions before anything stores it. Images people will look at are re-encoded
(`reencode_image`): what is stored is pixels we wrote, with no metadata (a phone photo's
GPS position) and no payload hidden after the image data.
"""

import io
import mimetypes
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
# Pillow refuses larger images outright (decompression bombs); ours is stricter still.
MAX_IMAGE_PIXELS = 40_000_000
# Long side of a stored image: enough for a photo on any screen, far from a 27 MB original.
STORED_IMAGE_SIDE = 2400

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})

# The extensions a file of each type may end in. Images are re-encoded before they are stored, so any
# image extension fits any image.
_IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "jpe", "jfif", "png", "webp"})
EXTENSIONS = {
    PDF: frozenset({"pdf"}),
    JPEG: _IMAGE_EXTENSIONS,
    PNG: _IMAGE_EXTENSIONS,
    WEBP: _IMAGE_EXTENSIONS,
    XLSX: frozenset({"xlsx"}),
    CSV: frozenset({"csv", "txt"}),
}
# Extensions that make a file something else wherever it is opened, even where the system's MIME table
# does not know them.
_ACTIVE_EXTENSIONS = frozenset(
    {
        "html",
        "htm",
        "xhtml",
        "shtml",
        "mht",
        "mhtml",
        "svg",
        "svgz",
        "xml",
        "xsl",
        "js",
        "mjs",
        "swf",
        "php",
        "phtml",
        "asp",
        "aspx",
        "jsp",
        "exe",
        "dll",
        "bat",
        "cmd",
        "com",
        "scr",
        "msi",
        "ps1",
        "sh",
        "vbs",
        "hta",
        "jar",
        "lnk",
        "zip",
        "rar",
        "7z",
        "doc",
        "docx",
        "xls",
        "rtf",
    }
)


@dataclass(frozen=True)
class UploadPolicy:
    types: frozenset
    max_bytes: int
    description: str  # what to upload instead, for the error message


DOCUMENT = UploadPolicy(frozenset({PDF, JPEG, PNG}), 10 * MB, _("a PDF, JPG or PNG file"))
IMAGE = UploadPolicy(IMAGE_TYPES, 10 * MB, _("a JPG, PNG or WebP image"))
SPREADSHEET = UploadPolicy(frozenset({XLSX, CSV}), 20 * MB, _("an Excel (.xlsx) or CSV (.csv) file"))


def detect_type(file):
    """The file's type from its content: a MIME type, or None when it is none we recognise."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(8192)
        if isinstance(head, str):
            head = head.encode()
        if head.startswith(b"PK\x03\x04"):
            file.seek(0)
            return XLSX if _is_workbook(file) else "application/zip"
        kind = filetype.guess(head)
        if kind is not None:
            return kind.mime
        return CSV if _looks_like_text(head) and not _looks_like_markup(head) else None
    finally:
        file.seek(position)


def _is_workbook(file):
    try:
        with zipfile.ZipFile(file) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _looks_like_markup(head):
    """HTML, SVG or XML: text a browser would run rather than show."""
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")[:512].lower()
    return start.startswith(b"<") or any(tag in start for tag in (b"<html", b"<script", b"<svg", b"<!doctype"))


def _looks_like_text(head):
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start >= len(head) - 4:
                return True
            continue
        return True
    return False


def _size(file):
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def _is_extension(part):
    return part in _ACTIVE_EXTENSIONS or mimetypes.guess_type(f"x.{part}", strict=False)[0] is not None


def check_name(file, kind):
    """Raise ValidationError when the file's name says another type than its content: its last extension
    must be one of `kind`'s, and no other part of the name may be another type's extension (`x.pdf.html`,
    `x.html.pdf`). Parts that are no extension (`年报.2024.pdf`) do not count; a file without a name is
    judged by its content alone."""
    name = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        return
    allowed = EXTENSIONS.get(kind, frozenset())
    parts = [part.strip().lower() for part in name.split(".")[1:]]
    wrong = [part for part in parts[:-1] if part not in allowed and _is_extension(part)]
    if not parts or parts[-1] not in allowed:
        wrong.append(parts[-1] if parts else "")
    if wrong and parts and parts[-1] in _OUTDATED:
        raise ValidationError(_OUTDATED[parts[-1]], code="file_type")
    if wrong:
        raise ValidationError(
            _("The file's name (%(name)s) does not match its content (%(type)s): name it %(extension)s.")
            % {"name": name[-80:], "type": _DESCRIPTIONS.get(kind, kind), "extension": f".{_PREFERRED.get(kind, '')}"},
            code="file_name",
        )


# Formats people still send, with what to do instead (the same words as the importer's).
_OUTDATED = {"xls": _("Old .xls files cannot be read. Save the file as .xlsx or .csv.")}
_PREFERRED = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", XLSX: "xlsx", CSV: "csv"}
_DESCRIPTIONS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", XLSX: "Excel (.xlsx)", CSV: "CSV"}


def check_upload(file, policy):
    """Raise ValidationError unless `file` is of an allowed type (by content) and size, under a name that
    agrees with that type. Returns its type."""
    if _size(file) > policy.max_bytes:
        raise ValidationError(
            _("The file is larger than %(size)d MB.") % {"size": policy.max_bytes // MB}, code="file_too_large"
        )
    kind = detect_type(file)
    if kind not in policy.types:
        raise ValidationError(_("Upload %(what)s.") % {"what": policy.description}, code="file_type")
    check_name(file, kind)
    if kind in IMAGE_TYPES:
        _check_image(file)
    return kind


def _check_image(file):
    from PIL import Image, UnidentifiedImageError

    position = file.tell()
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is too large (%(w)d × %(h)d pixels).") % {"w": width, "h": height},
                    code="image_too_large",
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("This image cannot be read."), code="image_invalid") from exc
    finally:
        file.seek(position)


@deconstructible
class UploadValidator:
    """A field validator applying one of the policies above (models, forms and serializers)."""

    def __init__(self, policy_name):
        self.policy_name = policy_name

    def __call__(self, file):
        check_upload(file, POLICIES[self.policy_name])

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and other.policy_name == self.policy_name


POLICIES = {"document": DOCUMENT, "image": IMAGE, "spreadsheet": SPREADSHEET}
validate_document = UploadValidator("document")
validate_image = UploadValidator("image")
validate_spreadsheet = UploadValidator("spreadsheet")


def reencode_image(file, *, name=None):
    """The image as newly written pixels (JPEG, or PNG where it has transparency), at most
    STORED_IMAGE_SIDE on its long side, without metadata. Call after `check_upload`."""
    from PIL import Image, ImageOps

    file.seek(0)
    with Image.open(file) as original:
        image = ImageOps.exif_transpose(original)  # keep the photo upright once EXIF is gone
        image.thumbnail((STORED_IMAGE_SIDE, STORED_IMAGE_SIDE))
        has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
        output = io.BytesIO()
        if has_alpha:
            image.convert("RGBA").save(output, "PNG", optimize=True)
            suffix = "png"
        else:
            image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
            suffix = "jpg"
    stem = (name or getattr(file, "name", "") or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0][:60] or "image"
    return ContentFile(output.getvalue(), name=f"{stem}.{suffix}")
