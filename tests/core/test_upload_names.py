"""An upload is refused when its name and its content disagree (issue 19): every extension of the name
counts, so `x.pdf.html` (a PDF a browser would open as a web page) is refused like `x.html`."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.core.uploads import DOCUMENT, SPREADSHEET, check_upload
from portal.organisations.models import VerificationDocument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n<html><script>alert(1)</script></html>\ntrailer<<>>\n%%EOF"


def _upload(name, content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize("name", ["x.pdf.html", "x.html.pdf", "x.pdf.htm", "x.pdf.svg", "x.png", "x.pdf.exe", "x"])
def test_a_pdf_under_a_name_that_says_otherwise_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        check_upload(_upload(name), DOCUMENT)
    assert refused.value.code == "file_name"


@pytest.mark.parametrize("name", ["certificate.pdf", "SCAN.PDF", "年报.2024.pdf", "v1.2-final.pdf"])
def test_a_pdf_named_as_one_is_accepted(name):
    assert check_upload(_upload(name), DOCUMENT) == "application/pdf"


def test_markup_is_not_a_csv_file():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("list.csv", b"<!DOCTYPE html><html><body>x</body></html>"), SPREADSHEET)
    assert check_upload(SimpleUploadedFile("list.csv", "编号,标题\n1,井盖\n".encode()), SPREADSHEET) == "text/csv"


@pytest.mark.django_db
def test_the_document_forms_and_api_say_why(api_for, client_for, people):
    response = api_for(people.ngo_member).post(
        f"/api/v1/organisations/{people.ngo.pk}/documents/",
        {"kind": "other", "file": _upload("x.pdf.html")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "x.pdf.html" in str(response.json()["file"]) and ".pdf" in str(response.json()["file"])
    page = client_for(people.ngo_member).post(
        f"/organisations/{people.ngo.slug}/documents/", {"kind": "other", "file": _upload("x.pdf.html")}
    )
    assert not VerificationDocument.objects.exists()
    assert page.status_code in (200, 302, 400)
