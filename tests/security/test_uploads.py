"""One upload check for every file field: type by content, size, image dimensions; images re-encoded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from marketplace.needs import services
from marketplace.needs.models import Need, NeedPhoto
from portal.core.uploads import MB
from portal.organisations.models import VerificationDocument
from tests.factories import category

pytestmark = pytest.mark.django_db


def _png(width=40, height=30, *, exif=False):
    image = Image.new("RGB", (width, height), (200, 30, 30))
    buffer = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "Phone maker"  # camera make
        image.save(buffer, "JPEG", exif=data.tobytes())
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


EXE = b"MZ\x90\x00" + b"\x00" * 200
HTML = b"<html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("name", "content"),
    [("malware.exe", EXE), ("page.html", HTML), ("certificate.pdf", EXE), ("scan.png", HTML)],
)
def test_organisation_documents_are_judged_by_content(name, content, api_for, client_for, people):
    url = f"/api/v1/organisations/{people.ngo.pk}/documents/"
    response = api_for(people.ngo_member).post(
        url, {"kind": "other", "file": _upload(name, content)}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()
    client_for(people.ngo_member).post(
        f"/organisations/{people.ngo.slug}/documents/", {"kind": "other", "file": _upload(name, content)}
    )
    assert not VerificationDocument.objects.exists()


def test_a_large_document_is_refused(api_for, people):
    big = _upload("report.pdf", b"%PDF-1.4\n" + b"0" * (11 * MB))
    response = api_for(people.ngo_member).post(
        f"/api/v1/organisations/{people.ngo.pk}/documents/", {"kind": "other", "file": big}, format="multipart"
    )
    assert response.status_code == 400 and "10 MB" in str(response.json())


def test_a_real_pdf_is_accepted(api_for, people):
    pdf = _upload("certificate.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    response = api_for(people.ngo_member).post(
        f"/api/v1/organisations/{people.ngo.pk}/documents/", {"kind": "other", "file": pdf}, format="multipart"
    )
    assert response.status_code == 201


def _need_form(tree, photos):
    return {
        "title": "井盖松动",
        "description": "路口井盖踩上去会响",
        "category": category().pk,
        "region": tree.grid_a1.pk,
        "confirm": "1",
        "photos": photos,
    }


def test_need_photos_have_a_size_limit(client_for, people, tree, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    huge = _upload("big.png", _png() + b"\x00" * (11 * MB), "image/png")
    response = client_for(people.resident).post("/needs/new/", _need_form(tree, [huge]))
    assert response.status_code == 200 and "10 MB" in response.content.decode()
    assert not Need.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(client_for, people, tree):
    response = client_for(people.resident).post("/needs/new/", _need_form(tree, [_upload("x.png", HTML, "image/png")]))
    assert response.status_code == 200
    assert not Need.objects.exists()


def test_an_image_of_absurd_dimensions_is_refused(client_for, people, tree):
    bomb = _upload("bomb.png", _png(9000, 9000), "image/png")
    response = client_for(people.resident).post("/needs/new/", _need_form(tree, [bomb]))
    assert response.status_code == 200 and not Need.objects.exists()


def test_photos_are_stored_re_encoded_without_metadata(people, tree):
    photo = _upload("phone.jpg", _png(3000, 2000, exif=True), "image/jpeg")
    need = services.submit_need(
        by=people.resident, title="积水", description="东门", category=category(), region=tree.grid_a1, photos=[photo]
    )
    stored = NeedPhoto.objects.get(need=need)
    with Image.open(stored.image.open("rb")) as image:
        assert max(image.size) <= 2400
        assert not image.getexif()
