"""Donation receipts as PDF, on the shared rendered-files path (WeasyPrint, the CJK font embedded)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal.core.pdf import CJK_FONT_FAMILY, DEFAULT_FACE, cjk_font_file, font_face_css, html_to_pdf
from portal.core.rendered import Document, renderer

RECEIPT_PDF = "funding_receipt_pdf"


def receipt_html(receipt, font_css=""):
    return render_to_string(
        "funding/receipt_pdf.html",
        {
            "receipt": receipt,
            "payment": receipt.payment,
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
