"""HTML to PDF with WeasyPrint, with the Chinese font embedded (daily reports, project books).

The CJK font is WenQuanYi Micro Hei (Debian's fonts-wqy-microhei). It is found with
fc-match (or at Debian's path) and loaded by file:// URL, falling back to the installed
family name. The URL fetcher fetches that file and data: URIs and nothing else: the
documents hold residents' text, which must not make the renderer fetch anything.
WeasyPrint is slow (seconds for a dozen pages): call these from Celery tasks.
"""

import functools
import logging
import shutil
import subprocess
from pathlib import Path

logger = logging.getLogger(__name__)

CJK_FONT_FAMILY = "WenQuanYi Micro Hei"
# Where Debian's fonts-wqy-microhei puts it, if fc-match is missing or finds another font.
KNOWN_CJK_FONT_FILES = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]
# The @font-face name the documents' CSS uses; PDFs name the embedded font after it.
DEFAULT_FACE = "Report CJK"


@functools.cache
def cjk_font_file():
    """The installed WenQuanYi Micro Hei file, or None (then the CSS names the family only)."""
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{family}\t%{file}", f"{CJK_FONT_FAMILY}:lang=zh-cn"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            found = ""
        families, _sep, file = found.partition("\t")
        # fc-match always answers: with another font when the one asked for is missing.
        if CJK_FONT_FAMILY in families.split(",") and Path(file).is_file():
            return file
    for path in KNOWN_CJK_FONT_FILES:
        if Path(path).is_file():
            return path
    logger.warning("%s not found (Debian: fonts-wqy-microhei): Chinese may not show in PDFs", CJK_FONT_FAMILY)
    return None


def font_face_css(font_file=None, family=CJK_FONT_FAMILY, face=DEFAULT_FACE):
    """@font-face for the CJK font, named `face`: the file by URL, falling back to the installed family."""
    sources = []
    if font_file:
        sources.append(f'url("{Path(font_file).as_uri()}")')
    sources.append(f'local("{family}")')
    return (
        f'@font-face {{ font-family: "{face}"; src: {", ".join(sources)}; }}\n'
        # On the root, not body: the page's margin boxes (page numbers) inherit from it.
        f'html {{ font-family: "{face}", "{family}", sans-serif; }}'
    )


def font_only_url_fetcher(font_file):
    """A WeasyPrint URL fetcher for the font file and data: URIs (inline images), nothing else."""
    from weasyprint.urls import URLFetcher

    allowed = {Path(font_file).as_uri()} if font_file else set()

    class FontOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.split("?")[0] not in allowed and not url.startswith("data:"):
                raise ValueError(f"not fetched for a PDF: {url}")
            return super().fetch(url, headers)

    return FontOnlyFetcher(allowed_protocols={"file", "data"})


def html_to_pdf(html, base_url=None, *, font_file=None):
    """PDF bytes of a standalone HTML document whose <style> holds `font_face_css(font_file)`.

    `font_file` must be the one the CSS names (the fetcher refuses any other); it
    defaults to `cjk_font_file()`, which is what `font_face_css` callers usually pass.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_file = font_file or cjk_font_file()
    fetcher = font_only_url_fetcher(font_file)
    # The @font-face rules of the document's <style> register with this configuration.
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(font_config=FontConfiguration())
