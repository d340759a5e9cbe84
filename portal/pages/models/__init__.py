"""The portal's page types: what editors publish in the CMS."""

from .books import ProjectBookEntry, ProjectBookIndexPage, ProjectBookPage
from .events import EventIndexPage, EventKind, EventPage
from .home import HomePage
from .news import NewsIndexPage, NewsPage
from .notices import NoticeAttachment, NoticeCategory, NoticeIndexPage, NoticePage
from .standard import FAQPage, StandardPage

__all__ = [
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "FAQPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "NoticeAttachment",
    "NoticeCategory",
    "NoticeIndexPage",
    "NoticePage",
    "ProjectBookEntry",
    "ProjectBookIndexPage",
    "ProjectBookPage",
    "StandardPage",
]
