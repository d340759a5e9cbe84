"""Render the parts of the portal's templates that only depend on the language once per process.

Every page repeats the same `{% translate "…" %}`, `{% url 'name' %}` and `{% static '…' %}`
in its header and footer: about sixty tags, each resolving, translating, reversing or
hashing again on every request although its output only changes with the language. The
`FoldingLoader` (Django's cached loader, which keeps compiled templates for the process)
replaces each run of such tags and the text between them, when it first loads one of the
portal's own templates, by one node that renders the run once per language and then repeats
it. Nothing else changes: a tag with a variable, a filter, `as`, arguments or a context of
its own is left as it is, and so is every template outside the project (Wagtail's, Django's).

A run's output depends on the active language, the autoescaping in force, the script prefix
and the URL namespace the request resolved in (for `{% url %}`): those are its key.
"""

from contextlib import suppress

from django.conf import settings
from django.template import Node, NodeList, Variable
from django.template.base import TextNode
from django.template.defaulttags import IfNode, URLNode
from django.template.loaders.cached import Loader as CachedLoader
from django.templatetags.i18n import GetAvailableLanguagesNode, TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def _constant(expression):
    """A filter expression that is a literal (a quoted string), with no filters."""
    if expression is None or expression.filters:
        return False
    var = expression.var
    return isinstance(var, str) or (isinstance(var, Variable) and var.literal is not None and not var.lookups)


def foldable(node):
    if isinstance(node, TextNode):
        return True
    if isinstance(node, TranslateNode):
        return node.asvar is None and node.message_context is None and _constant(node.filter_expression)
    if isinstance(node, URLNode):
        return node.asvar is None and not node.args and not node.kwargs and _constant(node.view_name)
    if isinstance(node, StaticNode):
        return node.varname is None and _constant(node.path)
    return False


class FoldedNode(Node):
    """A run of nodes whose output depends on the language only, rendered once per key."""

    child_nodelists = ()

    def __init__(self, nodes):
        self.nodes = nodes
        self.token = nodes[0].token
        self.origin = nodes[0].origin
        self.rendered = {}

    def __repr__(self):
        return f"<FoldedNode: {len(self.nodes)} nodes>"

    def render(self, context):
        key = (translation.get_language(), context.autoescape, _request_key(context))
        output = self.rendered.get(key)
        if output is None:
            output = self.rendered[key] = SafeString("".join(node.render_annotated(context) for node in self.nodes))
        return output


class IdURLNode(Node):
    """`{% url 'name' object.pk %}` in a loop: reversed once per key, the id written into it after.

    A `{% url %}` with one argument costs a `reverse()` (~30 µs) each time: once per row in a
    list. For a non-negative integer argument, the URL reversed once with a stand-in id is
    reused with the real id written in its place, after checking once, for each key, that
    this gives what `reverse()` gives. Any other argument is reversed as usual.
    """

    child_nodelists = ()
    STAND_IN = 918273645

    def __init__(self, node):
        self.node, self.token, self.origin = node, node.token, node.origin
        self.patterns = {}

    def __repr__(self):
        return f"<IdURLNode: {self.node!r}>"

    def _pattern(self, view_name, current_app):
        from django.urls import NoReverseMatch, reverse

        try:
            url = reverse(view_name, args=[self.STAND_IN], current_app=current_app)
            head, stand_in, tail = url.partition(str(self.STAND_IN))
            if not stand_in or str(self.STAND_IN) in tail:
                return None
            if reverse(view_name, args=[7], current_app=current_app) != f"{head}7{tail}":
                return None
        except NoReverseMatch:
            return None
        return head, tail

    def render(self, context):
        arg = self.node.args[0].resolve(context)
        if type(arg) is not int or arg < 0:
            return self.node.render(context)
        current_app = _current_app(context)
        key = (translation.get_language(), get_script_prefix(), current_app)
        pattern = self.patterns.get(key, False)
        if pattern is False:
            pattern = self.patterns[key] = self._pattern(self.node.view_name.resolve(context), current_app)
        if pattern is None:
            return self.node.render(context)
        url = f"{pattern[0]}{arg}{pattern[1]}"
        return conditional_escape(url) if context.autoescape else url


def _current_app(context):
    """As URLNode finds it: the request's current_app, else the namespace it resolved in."""
    request = getattr(context, "request", None)
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


def _id_url(node):
    return (
        isinstance(node, URLNode)
        and node.asvar is None
        and not node.kwargs
        and len(node.args) == 1
        and _constant(node.view_name)
    )


def _request_key(context):
    """The script prefix and URL namespace of the request being rendered, looked up once per render."""
    key = context.__dict__.get("_folding_request_key")
    if key is None:
        request = getattr(context, "request", None)
        match = getattr(request, "resolver_match", None)
        key = context._folding_request_key = (
            get_script_prefix(),
            getattr(request, "current_app", None),
            getattr(match, "namespace", None),
        )
    return key


class AvailableLanguagesNode(Node):
    """`{% get_available_languages as var %}`, its list translated once per language."""

    child_nodelists = ()

    def __init__(self, node):
        self.variable, self.token, self.origin = node.variable, node.token, node.origin
        self.by_language = {}

    def render(self, context):
        language = translation.get_language()
        languages = self.by_language.get(language)
        if languages is None:
            languages = self.by_language[language] = [(k, translation.gettext(v)) for k, v in settings.LANGUAGES]
        context[self.variable] = list(languages)
        return ""


def _replacement(node):
    if _id_url(node):
        return IdURLNode(node)
    if type(node) is GetAvailableLanguagesNode:
        return AvailableLanguagesNode(node)
    return node


def fold(nodelist):
    """The nodelist with runs of foldable nodes (at least one tag among them) replaced, recursively."""
    for node in nodelist:
        _fold_children(node)
    nodelist = NodeList(_replacement(node) for node in nodelist)
    folded, run = NodeList(), []

    def flush():
        if any(not isinstance(n, TextNode) for n in run):
            folded.append(FoldedNode(list(run)))
        else:
            folded.extend(run)
        run.clear()

    for node in nodelist:
        if foldable(node):
            run.append(node)
        else:
            flush()
            folded.append(node)
    flush()
    folded.contains_nontext = getattr(nodelist, "contains_nontext", True)
    return folded


def _fold_children(node):
    if isinstance(node, IfNode):
        node.conditions_nodelists = [(condition, fold(nodes)) for condition, nodes in node.conditions_nodelists]
        return
    for attr in node.child_nodelists:
        nodelist = getattr(node, attr, None)
        if isinstance(nodelist, NodeList):
            with suppress(AttributeError):  # a read-only property: that node stays as it is
                setattr(node, attr, fold(nodelist))


def _is_projects(template):
    name = getattr(template.origin, "name", "") or ""
    return name.startswith(str(settings.BASE_DIR)) and "site-packages" not in name


class StaticNodeList(NodeList):
    """A template's top nodelist, which nothing changes once loaded: it remembers its searches.

    `{% extends %}` looks for every `{% block %}` of the base template on each render
    (`get_nodes_by_type`), walking all of base.html's nodes every time.
    """

    def get_nodes_by_type(self, nodetype):
        found = self.__dict__.setdefault("_found", {})
        if nodetype not in found:
            found[nodetype] = super().get_nodes_by_type(nodetype)
        return found[nodetype]


class FoldingLoader(CachedLoader):
    """Django's cached loader, folding each of the project's templates once, when it is first loaded."""

    def get_template(self, template_name, skip=None):
        template = super().get_template(template_name, skip)
        if not getattr(template, "_folded", False):
            if _is_projects(template):
                template.nodelist = StaticNodeList(fold(template.nodelist))
            template._folded = True
        return template
