"""What donors and staff are told about gifts: stored as a key and parameters, written when read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.notifications.messages import Message

CHOOSE_BODY = gettext_lazy(
    "Your gift of %(amount)s can be returned to you, or moved to another project still raising money. "
    "Choose by %(date)s; if you do not, it is returned to you."
)
DEADLINE_WITHDRAWN = Message(
    "funding.deadline_withdrawn",
    title=gettext_lazy("“%(project)s” was withdrawn: what should happen to your gift?"),
    body=CHOOSE_BODY,
)
DEADLINE_MISSED = Message(
    "funding.deadline_missed",
    title=gettext_lazy("“%(project)s” did not reach its target: what should happen to your gift?"),
    body=CHOOSE_BODY,
)
HAND_BACK = Message(
    "funding.hand_back",
    title=gettext_lazy("Money to hand back: gift %(number)s, %(amount)s"),
    body=gettext_lazy(
        "“%(project)s” missed its funding deadline and this offline gift is refunded. Return the money to "
        "the donor and record it on the gift's page."
    ),
)
RETURNING = gettext_lazy("Your gift to “%(project)s” is being returned")
RETURNING_OFFLINE = Message(
    "funding.returning_offline",
    title=RETURNING,
    body=gettext_lazy(
        "%(amount)s is taken off “%(project)s”. The community office will return it to you and will "
        "contact you; quote gift number %(number)s."
    ),
)
RETURNING_CARD = Message(
    "funding.returning_card",
    title=RETURNING,
    body=gettext_lazy("%(amount)s is being refunded to your card; it may take a few days to appear."),
)


def _moved_body(v):
    parts = [_("%(amount)s of your gift now goes to “%(target)s”.") % {"amount": v["amount"], "target": v["project"]}]
    if v.get("rest"):
        parts.append(_("The project needed less than that: %(rest)s will be returned to you.") % {"rest": v["rest"]})
    return " ".join(parts)


MOVED = Message("funding.moved", title=gettext_lazy("Your gift is moved to “%(project)s”"), body=_moved_body)


def _pledged_body(v):
    thanks = _("Thank you. Staff will confirm it when the money arrives; quote pledge number %(number)s.") % {
        "number": v["number"]
    }
    return " ".join(part for part in (thanks, v.get("instructions", "")) if part)


PLEDGED = Message(
    "funding.pledged", title=gettext_lazy("Your pledge of %(amount)s to “%(project)s”"), body=_pledged_body
)


def _received_body(v):
    parts = [_("Your gift of %(amount)s to “%(project)s” has arrived. Thank you.") % v]
    if v.get("receipt"):
        parts.append(_("Your receipt is number %(number)s.") % {"number": v["receipt"]})
    if v.get("excess"):
        parts.append(
            _("The project needed less than you gave: %(excess)s will be returned to you.") % {"excess": v["excess"]}
        )
    return " ".join(parts)


GIFT_RECEIVED = Message("funding.gift_received", title=gettext_lazy("Gift received: %(amount)s"), body=_received_body)

PLEDGE_CANCELLED = Message(
    "funding.pledge_cancelled",
    title=gettext_lazy("Your pledge to “%(project)s” is cancelled"),
    body=gettext_lazy(
        "The project was withdrawn, so pledge %(number)s of %(amount)s is cancelled. Please do not send "
        "the money; if you already have, the office will return it."
    ),
)
REFUND_REFUSED = Message(
    "funding.refund_refused",
    title=gettext_lazy("Stripe refused a refund of gift %(number)s"),
    body=gettext_lazy("Stripe refused the refund: %(reason)s"),
)
HANDED_BACK = Message(
    "funding.handed_back",
    title=gettext_lazy("%(amount)s has been handed back to you"),
    body=gettext_lazy("The office has returned your refund for gift %(number)s (%(reference)s)."),
)
