import shutil
import subprocess

import pytest

from marketplace.funding import intents
from marketplace.funding.renderers import render_receipt_pdf

pytestmark = pytest.mark.django_db


def _poppler(tool, pdf_bytes, tmp_path):
    if not shutil.which(tool):
        pytest.skip(f"{tool} needs Debian's poppler-utils")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf_bytes)
    args = [tool, "-layout", str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def test_the_receipt_pdf_is_in_chinese_with_the_embedded_font(people, project, tmp_path):
    payment = intents.confirm_offline(
        by=people.community_staff,
        payment=intents.pledge(by=people.resident, project=project, amount=56_789),
        reference="银行转账 8812",
        received_on=None,
    )
    pdf = render_receipt_pdf(payment.receipt, language="zh-hans")
    text = _poppler("pdftotext", pdf, tmp_path)
    assert payment.receipt.number_display in text
    assert "楼道扶手加装" in text and "¥567.89" in text
    fonts = _poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all(line.split()[0].split("+")[-1].startswith("Report-CJK") for line in fonts), fonts


def _instructions():
    from marketplace.funding.instructions import PaymentInstructions

    settings = PaymentInstructions.load()
    settings.payee, settings.payee_en = "西港区社区公益发展基金会", "Xigang Community Foundation"
    settings.bank, settings.account_number = "工商银行西港支行", "3400 2011 0902 4678 315"
    settings.office_address, settings.office_address_en = "民政局一楼捐助站", "Civil Affairs Bureau, ground floor"
    settings.office_hours = "周一至周五 8:30–17:00"
    settings.issuer, settings.issuer_en = "西港区社区公益发展基金会", "Xigang Community Foundation"
    settings.issuer_uscc = "53210299MJ0A7C2X1H"
    settings.save()
    return settings


def test_the_receipt_names_its_issuer_and_the_amount_in_capitals(people, project, tmp_path):
    _instructions()
    payment = intents.confirm_offline(
        by=people.community_staff,
        payment=intents.pledge(by=people.resident, project=project, amount=98_700),
        reference="银行转账 8813",
        received_on=None,
    )
    text = _poppler("pdftotext", render_receipt_pdf(payment.receipt, language="zh-hans"), tmp_path)
    assert "西港区社区公益发展基金会" in text and "53210299MJ0A7C2X1H" in text
    assert "人民币玖佰捌拾柒元整" in text.replace(" ", "") and "开具单位" in text
    flat = text.replace(" ", "").replace("\n", "")
    assert "3400201109024678315" in flat and "民政局一楼捐助站" in flat  # where to give again
    english = _poppler("pdftotext", render_receipt_pdf(payment.receipt, language="en"), tmp_path)
    assert "Xigang Community Foundation" in english and "Donation receipt" in english
    assert "Issued by" in english and "玖佰捌拾柒元整" in english.replace(" ", "")


def test_the_offline_pledge_says_where_to_take_the_money(people, project, client_for):
    from portal.notifications.models import Notification

    _instructions()
    payment = intents.pledge(by=people.resident, project=project, amount=50_000)
    page = client_for(people.resident).get(payment.get_absolute_url()).content.decode()
    assert "西港区社区公益发展基金会" in page and "3400 2011 0902 4678 315" in page and "民政局一楼捐助站" in page
    assert f"{payment.pk}" in page
    told = Notification.objects.filter(recipient=people.resident).latest("pk")
    assert "3400 2011 0902 4678 315" in str(told.body) and "民政局一楼捐助站" in str(told.body)


def test_capital_numerals():
    from portal.core.money import capital_numerals

    assert capital_numerals(136_070_000) == "壹佰叁拾陆万零柒佰元整"
    assert capital_numerals(10_000_000) == "壹拾万元整"
    assert capital_numerals(1_000_500) == "壹万零伍元整"
    assert capital_numerals(10_000_000_500) == "壹亿零伍元整"
    assert capital_numerals(140_950) == "壹仟肆佰零玖元伍角"
    assert capital_numerals(105) == "壹元零伍分"
    assert capital_numerals(5) == "伍分"
    assert capital_numerals(0) == "零元整"
    assert capital_numerals(1_010_100) == "壹万零壹佰零壹元整"
    with pytest.raises(ValueError):
        capital_numerals(-1)
