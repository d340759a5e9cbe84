"""What of a comment's markup survives: a few inline and list tags, links that search engines ignore.

Everything else — scripts, styles, images, SVG, iframes, event handlers, `javascript:` and
`data:` links — is stripped by nh3 (the Ammonia sanitiser) before anything is stored.
Plain text keeps its line breaks.
"""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
BLOCK_TAGS = ("<p", "<ul", "<ol", "<blockquote")


def to_html(text):
    """The safe HTML of what a person wrote."""
    text = (text or "").strip().replace("\r\n", "\n")
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )
    if not any(tag in cleaned for tag in BLOCK_TAGS):
        cleaned = cleaned.replace("\n", "<br>\n")
    return cleaned


def to_text(text):
    """The words alone, for a notification's sentence (no markup at all)."""
    return nh3.clean(text or "", tags=set(), clean_content_tags={"script", "style"}).strip()
