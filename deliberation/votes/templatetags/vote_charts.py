"""A vote's result as bars: `{% vote_result_chart vote rows result as chart %}` in votes/includes/result_table.html.

Each option's bar is its ballots out of everyone who took part (abstentions and blank ballots included), so
the bars of a question with several choices can add up to more than the whole; carried options are marked.
The table under the bars (result_table.html, `vote-<pk>-result`) holds the same figures.
"""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.charts import Bar, option_bar_chart

register = template.Library()


def _share(count, whole):
    return round(100 * count / whole) if whole else 0


@register.simple_tag
def vote_result_chart(vote, rows, result):
    took_part = result.participants if result else 0
    bars = [
        Bar(
            row["label"],
            row["count"],
            _("%(count)s · %(share)s%%") % {"count": f"{row['count']:,}", "share": _share(row["count"], took_part)},
            marked=row["carried"],
        )
        for row in rows
    ]
    description = ngettext(
        "Ballots for each option out of the %(n)s person who took part; carried options are marked with a tick "
        "and hatching. The table below gives the figures.",
        "Ballots for each option out of the %(n)s people who took part; carried options are marked with a tick "
        "and hatching. The table below gives the figures.",
        took_part,
    ) % {"n": f"{took_part:,}"}
    return option_bar_chart(
        chart_id=f"vote-{vote.pk}-bars",
        title=_("Ballots for each option"),
        description=description,
        bars=bars,
        scale=took_part,
        legend=(_("Not carried"), _("Carried")),
        table_id=f"vote-{vote.pk}-result",
    )
