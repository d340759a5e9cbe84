"""One action table per record, read by the pages and the API alike.

An action is declared once: its permission, the form a page shows, the serializer
the API reads, the service it calls and, for a status move, the status it leads to
(so pages offer it only when the record's workflow allows that move). The page
view and the API viewset are generated from the same table, so an action cannot
be allowed on one and refused on the other.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action as api_action
from rest_framework.response import Response

from .errors import DomainError


@dataclass(frozen=True)
class Action:
    name: str
    perm: str
    run: Any  # (by, obj, cleaned data) -> the object (or what the service returns)
    form: Any = None  # Django form for the page (None: no input)
    serializer: Any = None  # DRF serializer for the API (None: no input)
    target: str | None = None  # the status the action moves to, if it is a move
    when: Any = None  # (obj) -> bool, for actions that are not moves
    done: Any = field(default_factory=lambda: _("Done."))
    description: str = ""

    def offered(self, obj, workflow=None):
        """Whether the record's state allows the action now (permission aside)."""
        if self.target is not None and workflow is not None:
            return workflow.allows(getattr(obj, workflow.field), self.target)
        return self.when(obj) if self.when else True


# Every action table made (a test checks each workflow has one).
ACTION_TABLES = []


class ActionTable(dict):
    """{name: Action}, with the record's workflow to tell which moves are open."""

    def __init__(self, actions, workflow=None):
        super().__init__((a.name, a) for a in actions)
        self.workflow = workflow
        ACTION_TABLES.append(self)

    def for_target(self, target):
        """The action that moves the record to `target`, or None (for a record whose page and API take the
        status to move to, like a project's single "move" form)."""
        return next((action for action in self.values() if action.target == target), None)

    def available(self, obj, user):
        """The names of the actions `user` may take on `obj` now."""
        return {
            name
            for name, action in self.items()
            if action.offered(obj, self.workflow) and user.has_perm(action.perm, obj)
        }

    def page_view(self, model, *, queryset=None):
        """A POST view `(request, pk, action)`: check, validate, call, message, back to the record."""

        @login_required
        @require_POST
        def view(request, pk, action):
            if action not in self:
                raise Http404
            chosen = self[action]
            obj = get_object_or_404(queryset if queryset is not None else model.objects.all(), pk=pk)
            if not request.user.has_perm(chosen.perm, obj):
                raise PermissionDenied
            data = {}
            if chosen.form is not None:
                # Pages prefix each action's form with its name (ids stay unique on a page with
                # several forms); a bare field name is accepted too.
                prefixed = any(key.startswith(f"{action}-") for key in request.POST)
                form = chosen.form(request.POST, prefix=action if prefixed else None)
                if not form.is_valid():
                    for name, errors in form.errors.items():
                        label = form.fields[name].label if name in form.fields else ""
                        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
                    return redirect(obj)
                data = form.cleaned_data
            try:
                chosen.run(request.user, obj, data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, chosen.done)
            return redirect(obj)

        return view

    def api_methods(self, *, response, result=None):
        """ViewSet methods, one POST sub-route per action, each in the OpenAPI schema.

        `response` is the serializer class of the answer; `result(viewset, obj, returned)`
        gives the object to serialize (the record, re-read through the viewset's queryset).
        """
        methods = {}
        for name, chosen in self.items():

            def act(viewset, request, pk=None, chosen=chosen):
                obj = viewset.get_object()
                data = {}
                if chosen.serializer is not None:
                    payload = chosen.serializer(data=request.data)
                    payload.is_valid(raise_exception=True)
                    data = payload.validated_data
                returned = chosen.run(request.user, obj, data)
                shown = result(viewset, obj, returned) if result else returned
                return Response(response(shown, context=viewset.get_serializer_context()).data)

            method_name = f"{name}_action"
            act.__name__ = method_name
            act.__doc__ = chosen.description or None
            decorated = extend_schema(request=chosen.serializer, responses=response)(act)
            methods[method_name] = api_action(detail=True, methods=["post"], url_path=name, url_name=name)(decorated)
        return methods

    def permission_map(self):
        return {f"{name}_action": action.perm for name, action in self.items()}
