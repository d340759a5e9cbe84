"""Pagination without COUNT(*): one extra row tells whether there is a next page.

Counting a million rows costs a second on every page view; residents and staff
need "next" and "previous", not the total.
"""

from dataclasses import dataclass

MAX_PAGE = 10_000


@dataclass
class LookaheadPage:
    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next or self.has_previous

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def lookahead_page(queryset, page, per_page):
    try:
        number = min(max(int(page or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return LookaheadPage(rows[:per_page], number, len(rows) > per_page)
