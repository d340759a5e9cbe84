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
