"""Django's form renderer, with its most common widgets written in Python.

Django renders every widget through a template, and every `<option>` of a select through
two more (the option, then its attributes): about 0.3 ms a widget and 40 µs an option. The
staff queue's filters and bulk actions hold nine widgets and ~200 options, which cost more
than the rest of the page. `PortalFormRenderer` writes the same markup, character for
character, for Django's own `<select>`, `<input>` and `<textarea>` templates: it checks at
first use that those templates are Django's and read as this module expects (tests compare
the output with Django's); any other template, or one a project or app overrides or a Django
upgrade changes, is rendered by the templates as before.
"""

from functools import cached_property

from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
SELECT, OPTION, ATTRS = f"{WIDGETS}select.html", f"{WIDGETS}select_option.html", f"{WIDGETS}attrs.html"
INPUT, TEXTAREA = f"{WIDGETS}input.html", f"{WIDGETS}textarea.html"
# Widgets whose template is nothing but input.html.
INPUT_TYPES = ["checkbox", "color", "date", "datetime", "email", "hidden", "number", "password"]
INPUT_TYPES += ["search", "tel", "text", "time", "url"]

INPUT_TEMPLATES = {INPUT, *(f"{WIDGETS}{name}.html" for name in INPUT_TYPES)}

# The templates this module writes, as Django 5.2 has them.
ATTRS_SOURCE = (
    "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
)
EXPECTED = {
    ATTRS: ATTRS_SOURCE,
    SELECT: '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>\n",
    OPTION: "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n',
    INPUT: '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>\n',
    TEXTAREA: '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
    "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n",
    **{f"{WIDGETS}{name}.html": '{% include "django/forms/widgets/input.html" %}\n' for name in INPUT_TYPES},
}


def _value(value):
    """`{{ value|stringformat:'s' }}`: the string, escaped unless already safe."""
    text = stringformat(value, "s")
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _text(value):
    """`{{ value }}` as a template writes it."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def render_attrs(attrs):
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_value(value)}"')
    return "".join(parts)


def render_option(option):
    """django/forms/widgets/select_option.html"""
    return (
        f'<option value="{_value(option["value"])}"{render_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'
    )


def render_select(widget):
    """django/forms/widgets/select.html"""
    parts = [f'<select name="{_text(widget["name"])}"{render_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        parts.extend(f"\n  {render_option(option)}" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def render_input(widget):
    """django/forms/widgets/input.html (and the input types that include it)"""
    value = f' value="{_value(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{render_attrs(widget["attrs"])}>\n'
    )


def render_textarea(widget):
    """django/forms/widgets/textarea.html"""
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{render_attrs(widget["attrs"])}>\n{value}</textarea>\n'


class PortalFormRenderer(DjangoTemplates):
    @cached_property
    def _django_templates(self):
        """Which of EXPECTED are Django's own files, as expected (not overridden, not changed)."""
        import django.forms

        forms_dir = django.forms.__path__[0]
        same = set()
        for name, source in EXPECTED.items():
            origin = self.get_template(name).origin
            if origin.name.startswith(forms_dir) and origin.loader.get_contents(origin) == source:
                same.add(name)
        return same

    def _written_in_python(self, template_name, widget):
        known = self._django_templates
        if template_name == SELECT:
            if {SELECT, OPTION, ATTRS} <= known and all(
                option.get("template_name") == OPTION for _g, options, _i in widget["optgroups"] for option in options
            ):
                return render_select(widget)
        elif template_name == TEXTAREA:
            if {TEXTAREA, ATTRS} <= known:
                return render_textarea(widget)
        elif template_name in known and template_name in INPUT_TEMPLATES and {INPUT, ATTRS} <= known:
            return render_input(widget)
        return None

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name.startswith(WIDGETS) else None
        if isinstance(widget, dict):
            html = self._written_in_python(template_name, widget)
            if html is not None:
                return SafeString(html.strip())
        return super().render(template_name, context, request=request)
