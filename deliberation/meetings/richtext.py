"""Minutes are rich text typed by staff: only a small set of tags survives, links only to http(s) and mailto."""

from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url


class MinutesWhitelister(Whitelister):
    element_rules = {
        "[document]": allow_without_attributes,
        "a": attribute_rule({"href": check_url}),
        **dict.fromkeys(("p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "h3", "h4"), allow_without_attributes),
    }


def clean_minutes(html):
    return MinutesWhitelister().clean(html or "").strip()
