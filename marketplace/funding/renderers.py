"""Donation receipts as PDF, on the shared rendered-files path (WeasyPrint, the CJK font embedded)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal.core.money import capital_numerals
from portal.core.pdf import CJK_FONT_FAMILY, DEFAULT_FACE, cjk_font_file, font_face_css, html_to_pdf
from portal.core.rendered import Document, renderer

RECEIPT_PDF = "funding_receipt_pdf"


def receipt_html(receipt, font_css=""):
    from .instructions import PaymentInstructions

    return render_to_string(
        "funding/receipt_pdf.html",
        {
            "receipt": receipt,
            "payment": receipt.payment,
            "issuer": PaymentInstructions.load().in_reader_language(),
            "amount_in_capitals": capital_numerals(receipt.amount),
            "font_css": font_css,
            "font_family": DEFAULT_FACE,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def render_receipt_pdf(receipt, *, language=None):
    font_file = cjk_font_file()
    with translation.override(language or receipt.payment.donor.language or settings.LANGUAGE_CODE):
        html = receipt_html(receipt, font_face_css(font_file, CJK_FONT_FAMILY))
    return html_to_pdf(html, font_file=font_file)


@renderer(RECEIPT_PDF)
def receipt_pdf(key):
    from .models import Receipt

    receipt_id, _number = key.split(":", 1)
    receipt = (
        Receipt.objects.select_related("payment__donor", "payment__project", "payment__organisation")
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None or receipt.files_key != key:
        return None
    return Document(render_receipt_pdf(receipt), f"receipt-{receipt.number_display}.pdf", "application/pdf")


PROJECT_LEDGER_CSV = "funding_project_ledger_csv"
GIFTS_CSV = "funding_gifts_csv"


def _local(value):
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _in_out(amount):
    from portal.core.money import format_money

    return (format_money(amount) if amount > 0 else "", format_money(-amount) if amount < 0 else "")


@renderer(PROJECT_LEDGER_CSV)
def project_ledger_csv(key):
    """key: "<language>:<project id>:<last sequence>" — the ledger is append-only, so that is its state."""
    from django.utils.translation import gettext as _

    from portal.core.excel import csv_bytes

    from .models import LedgerEntry

    language, project_id, last = key.split(":")
    entries = LedgerEntry.objects.filter(project_id=int(project_id), sequence__lte=int(last)).order_by("sequence")
    with translation.override(language):
        header = [_("No."), _("Entered at"), _("Kind"), _("Money in"), _("Money out"), _("Gift"), _("Note"), _("Hash")]
        rows, total_in, total_out = [], 0, 0
        for entry in entries.iterator(chunk_size=2000):
            money_in, money_out = _in_out(entry.amount)
            total_in += max(entry.amount, 0)
            total_out += max(-entry.amount, 0)
            rows.append(
                [
                    entry.sequence,
                    _local(entry.created_at),
                    entry.get_kind_display(),
                    money_in,
                    money_out,
                    entry.payment_id or "",
                    entry.note,
                    entry.hash,
                ]
            )
        rows.append(["", "", _("Total"), *(_in_out(total_in)[0], _in_out(-total_out)[1]), "", "", ""])
        rows.append(["", "", _("Balance"), *_in_out(total_in - total_out), "", "", ""])
    return Document(csv_bytes(header, rows), f"ledger-project-{project_id}.csv", "text/csv; charset=utf-8")


def gifts_in(region_ids):
    from portal.regions.models import Region, subtree_q

    from .models import Payment

    regions = list(Region.objects.filter(pk__in=region_ids))
    if not regions:
        return Payment.objects.none()
    return Payment.objects.filter(subtree_q(regions, field="project__region"))


def gifts_fingerprint(payments):
    """A short digest of everything the gifts' CSV shows: any change to a gift makes a new file."""
    import hashlib

    from django.db.models import Count, Max, Sum

    from .models import Receipt

    facts = payments.aggregate(
        n=Count("pk"),
        last=Max("pk"),
        accepted=Sum("accepted_amount"),
        refunded=Sum("refunded_amount"),
        returned=Sum("returned_amount"),
        projects=Sum("project_id"),
        confirmed=Max("confirmed_at"),
        refunded_at=Max("refunded_at"),
        cancelled=Max("cancelled_at"),
        failed=Max("failed_at"),
        returned_at=Max("returned_at"),
    )
    facts["void"] = Receipt.objects.filter(payment__in=payments.values("pk"), voided_at__isnull=False).count()
    return hashlib.sha256(repr(sorted(facts.items())).encode()).hexdigest()[:20]


@renderer(GIFTS_CSV)
def gifts_csv(key):
    """key: "<language>:<region ids, dash-separated>:<fingerprint>" — the staff member's area and its state."""
    from django.utils.translation import gettext as _

    from portal.core.excel import csv_bytes
    from portal.core.money import format_money

    language, regions, _fingerprint = key.split(":")
    payments = (
        gifts_in([int(r) for r in regions.split("-") if r])
        .select_related("donor", "organisation", "project__region", "receipt")
        .order_by("created_at", "pk")
    )
    with translation.override(language):
        header = [
            _("Gift"),
            _("Made at"),
            _("Donor"),
            _("On behalf of"),
            _("Project"),
            _("Region"),
            _("How"),
            _("Status"),
            _("Amount"),
            _("Counted towards the project"),
            _("Returned to the donor"),
            _("Handed back by the office"),
            _("Receipt"),
            _("Receipt void"),
            _("Reference"),
            _("Named publicly"),
        ]
        rows = []
        for p in payments.iterator(chunk_size=2000):
            receipt = getattr(p, "receipt", None)
            rows.append(
                [
                    p.pk,
                    _local(p.created_at),
                    p.donor.public_name,
                    p.organisation.name if p.organisation else "",
                    p.project.title,
                    p.project.region.display_name,
                    p.get_provider_display(),
                    p.get_status_display(),
                    format_money(p.amount),
                    format_money(p.accepted_amount),
                    format_money(p.refunded_amount),
                    format_money(p.returned_amount) if p.provider == "offline" else "",
                    receipt.number_display if receipt else "",
                    _("yes") if receipt and receipt.is_void else "",
                    p.reference,
                    _("yes") if p.public_name else _("no"),
                ]
            )
    return Document(csv_bytes(header, rows), "gifts.csv", "text/csv; charset=utf-8")
