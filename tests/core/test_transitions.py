"""Every status in the project moves through the one workflow: every allowed move, every refused one."""

import pytest
from django.contrib.contenttypes.models import ContentType

from marketplace.needs import services as need_services
from marketplace.needs.models import TRANSITIONS as NEED_MOVES
from marketplace.needs.models import NeedEvent, NeedStatus
from marketplace.projects import services as project_services
from marketplace.projects.models import TRANSITIONS as PROJECT_MOVES
from marketplace.projects.models import Project, ProjectStatus
from portal.core import events, transitions
from portal.core.errors import TransitionNotAllowed
from portal.core.models import TimelineEvent
from portal.core.transitions import NotPermitted
from portal.notifications.models import Notification
from portal.organisations import services as organisation_services
from portal.organisations.models import VERIFICATION_TRANSITIONS, Organisation, VerificationStatus
from tests.factories import NeedFactory, OrganisationFactory, category

pytestmark = pytest.mark.django_db


def _pairs(table, statuses):
    return [(a, b) for a in statuses for b in statuses]


# --- needs ---------------------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), _pairs(NEED_MOVES, NeedStatus.values))
def test_a_need_moves_exactly_as_its_table_says(people, tree, start, target):
    need = NeedFactory(region=tree.grid_a1, status=start, submitted_by=people.resident)
    workflow = need_services.workflow
    allowed = workflow.allows(start, target)
    events = NeedEvent.objects.filter(need=need).count()
    if start == target and not allowed:
        moved = workflow.move(need, to=target, by=people.community_staff)
        assert moved.status == start and NeedEvent.objects.filter(need=need).count() == events  # a no-op
    elif allowed:
        moved = workflow.move(need, to=target, by=people.community_staff, again=start == target)
        assert moved.status == target
        assert NeedEvent.objects.filter(need=need, from_status=start, to_status=target).count() == 1
    else:
        with pytest.raises(TransitionNotAllowed):
            workflow.move(need, to=target, by=people.community_staff)
        need.refresh_from_db()
        assert need.status == start


def test_a_replayed_action_is_a_no_op_with_one_event(people, tree):
    need = NeedFactory(region=tree.grid_a1, submitted_by=people.resident)
    for _ in range(3):
        need_services.accept_need(by=people.community_staff, need=need)
    assert NeedEvent.objects.filter(need=need, to_status=NeedStatus.ACCEPTED).count() == 1
    assert Notification.objects.filter(recipient=people.resident).count() == 1


def test_dispatching_a_new_need_is_one_move_one_event_one_message(people, tree, mailoutbox):
    need = need_services.submit_need(
        by=people.resident, title="楼道灯不亮", description="三单元", category=category(), region=tree.grid_a1
    )
    mailoutbox.clear()
    need = need_services.dispatch_need(by=people.community_staff, need=need, department=people.department)
    assert need.status == NeedStatus.DISPATCHED and need.accepted_at is not None
    assert list(NeedEvent.objects.filter(need=need).values_list("from_status", "to_status")) == [
        ("", NeedStatus.SUBMITTED),
        (NeedStatus.SUBMITTED, NeedStatus.DISPATCHED),
    ]
    assert Notification.objects.filter(recipient=people.resident).count() == 1
    assert len(mailoutbox) == 1


def test_handing_over_to_another_department_is_recorded_the_same_department_twice_is_not(people, tree):
    other = OrganisationFactory(kind="department", region=tree.district, name="住房和建设局")
    need = need_services.dispatch_need(
        by=people.community_staff, need=NeedFactory(region=tree.grid_a1), department=people.department
    )
    need_services.dispatch_need(by=people.community_staff, need=need, department=people.department)
    need = need_services.dispatch_need(by=people.community_staff, need=need, department=other)
    assert need.department == other
    assert NeedEvent.objects.filter(need=need, to_status=NeedStatus.DISPATCHED).count() == 2


def test_an_unsatisfied_resident_reopens_the_need_once(people, tree):
    need = NeedFactory(region=tree.grid_a1, status=NeedStatus.ANSWERED, submitted_by=people.resident)
    need = need_services.rate_need(by=people.resident, need=need, rating=1)
    assert need.status == NeedStatus.DISPATCHED and need.reopened_count == 1
    need = need_services.answer_need(by=people.community_staff, need=need, answer="再次处理")
    need = need_services.rate_need(by=people.resident, need=need, rating=2)
    assert need.status == NeedStatus.CLOSED  # not a second time
    moves = list(NeedEvent.objects.filter(need=need).values_list("to_status", flat=True))
    assert moves == [
        NeedStatus.FOLLOWED_UP,
        NeedStatus.DISPATCHED,
        NeedStatus.ANSWERED,
        NeedStatus.FOLLOWED_UP,
        NeedStatus.CLOSED,
    ]


def test_a_move_by_someone_without_the_right_is_refused(people, tree):
    need = NeedFactory(region=tree.grid_a1)
    with pytest.raises(NotPermitted):
        need_services.workflow.move(need, to=NeedStatus.ACCEPTED, by=people.street_staff_b, perm="needs.triage_need")
    need.refresh_from_db()
    assert need.status == NeedStatus.SUBMITTED


def test_staff_moves_are_audited(people, tree):
    from portal.audit.models import AuditEntry

    need = NeedFactory(region=tree.grid_a1)
    need_services.accept_need(by=people.community_staff, need=need)
    assert AuditEntry.objects.filter(action="need.accepted", target_id=str(need.pk)).exists()


# --- projects ------------------------------------------------------------------


def _project(tree, status):
    return Project.objects.create(title="春柳社区助餐", category=category(), region=tree.community_a1, status=status)


@pytest.mark.parametrize(("start", "target"), _pairs(PROJECT_MOVES, ProjectStatus.values))
def test_a_project_moves_exactly_as_its_table_says(people, tree, start, target):
    project = _project(tree, start)
    timeline = TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=project.pk
    )
    allowed = project_services.workflow.allows(start, target)
    if start == target:
        assert project_services.move_project(by=people.street_staff, project=project, to=target).status == start
        assert not timeline.exists()
    elif allowed:
        moved = project_services.move_project(by=people.street_staff, project=project, to=target)
        assert moved.status == target
        assert list(timeline.values_list("from_status", "to_status")) == [(start, target)]
    else:
        with pytest.raises(TransitionNotAllowed):
            project_services.move_project(by=people.street_staff, project=project, to=target)
        assert not timeline.exists()


def test_only_staff_of_the_projects_area_move_it(people, tree):
    project = _project(tree, ProjectStatus.DRAFT)
    for outsider in (people.street_staff_b, people.resident, people.ngo_member):
        with pytest.raises(NotPermitted):
            project_services.move_project(by=outsider, project=project, to=ProjectStatus.PUBLISHED)
    moved = project_services.move_project(by=people.community_staff, project=project, to=ProjectStatus.PUBLISHED)
    assert moved.published_at is not None


# --- organisations -------------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), _pairs(VERIFICATION_TRANSITIONS, VerificationStatus.values))
def test_verification_moves_exactly_as_its_table_says(people, tree, start, target):
    organisation = OrganisationFactory(region=tree.street_a, verification_status=start)
    workflow = organisation_services.verification
    if start == target:
        assert workflow.move(organisation, to=target, by=people.street_staff).verification_status == start
    elif workflow.allows(start, target):
        moved = workflow.move(organisation, to=target, by=people.street_staff)
        assert moved.verification_status == target
        event = TimelineEvent.objects.get(object_id=organisation.pk, content_type__model="organisation")
        assert (event.from_status, event.to_status, str(event.to_label)) == (
            start,
            target,
            str(VerificationStatus(target).label),
        )
    else:
        with pytest.raises(TransitionNotAllowed):
            workflow.move(organisation, to=target, by=people.street_staff)
        assert Organisation.objects.get(pk=organisation.pk).verification_status == start


# --- the public API: start, move_many, permissions, hooks, events ----------------


def _timeline(obj):
    return list(
        TimelineEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).values_list(
            "from_status", "to_status", "actor_id"
        )
    )


def test_start_records_the_first_entry_from_nothing_to_the_current_status(people, tree):
    project = project_services.create_project(
        by=people.community_staff, title="春柳社区助餐", category=category(), region=tree.community_a1
    )
    assert _timeline(project) == [("", ProjectStatus.DRAFT, people.community_staff.pk)]
    event = project_services.workflow.start(_project(tree, ProjectStatus.PUBLISHED), note="imported")
    assert (event.from_status, event.to_status, event.note, event.actor) == (
        "",
        ProjectStatus.PUBLISHED,
        "imported",
        None,
    )


def test_move_many_moves_each_record_once_with_its_own_entry_and_event(people, tree):
    drafts = [_project(tree, ProjectStatus.DRAFT) for _ in range(3)]
    already = _project(tree, ProjectStatus.PUBLISHED)
    heard = []
    events.subscribe("status.moved", heard.append)
    try:
        moved = project_services.workflow.move_many(
            Project.objects.filter(pk__in=[p.pk for p in [*drafts, already]]),
            to=ProjectStatus.PUBLISHED,
            by=people.community_staff,
            perm="projects.change_project_status",
            note="一起发布",
        )
    finally:
        events.unsubscribe("status.moved", heard.append)
    assert sorted(p.pk for p in moved) == sorted(p.pk for p in drafts)
    for project in drafts:
        project.refresh_from_db()
        assert project.status == ProjectStatus.PUBLISHED and project.published_at is not None
        assert _timeline(project) == [(ProjectStatus.DRAFT, ProjectStatus.PUBLISHED, people.community_staff.pk)]
    assert _timeline(already) == []  # already there: left alone
    assert sorted(e.pk for e in heard) == sorted(p.pk for p in drafts)
    assert {(e.label, e.data["from_status"], e.data["to_status"], e.data["by"]) for e in heard} == {
        ("projects.project", ProjectStatus.DRAFT, ProjectStatus.PUBLISHED, people.community_staff.pk)
    }
    from portal.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="project.published").count() == 3


def test_move_many_is_all_or_nothing(people, tree):
    draft, withdrawn = _project(tree, ProjectStatus.DRAFT), _project(tree, ProjectStatus.WITHDRAWN)
    with pytest.raises(TransitionNotAllowed):
        project_services.workflow.move_many([draft, withdrawn], to=ProjectStatus.PUBLISHED)
    draft.refresh_from_db()
    assert draft.status == ProjectStatus.DRAFT and _timeline(draft) == []
    other_area = Project.objects.create(
        title="外区项目", category=category(), region=tree.community_b1, status=ProjectStatus.DRAFT
    )
    with pytest.raises(NotPermitted):
        project_services.workflow.move_many(
            [draft, other_area],
            to=ProjectStatus.PUBLISHED,
            by=people.community_staff,
            perm="projects.change_project_status",
        )
    assert set(Project.objects.filter(pk__in=[draft.pk, other_area.pk]).values_list("status", flat=True)) == {
        ProjectStatus.DRAFT
    }
    assert project_services.workflow.move_many([], to=ProjectStatus.PUBLISHED) == []


def test_move_many_applies_each_records_fields_and_runs_its_follow_up(people, tree):
    drafts = [_project(tree, ProjectStatus.DRAFT) for _ in range(2)]
    seen = []

    def apply(project, now):
        project.summary = f"#{project.pk}"

    project_services.workflow.move_many(
        drafts, to=ProjectStatus.PUBLISHED, apply=apply, after=lambda p, previous: seen.append((p.pk, previous))
    )
    assert sorted(seen) == sorted((p.pk, ProjectStatus.DRAFT) for p in drafts)
    assert {p.pk: p.summary for p in Project.objects.filter(pk__in=[p.pk for p in drafts])} == {
        p.pk: f"#{p.pk}" for p in drafts
    }


def test_a_permission_may_differ_per_target_or_be_a_callable(people, tree):
    workflow = project_services.workflow
    per_target = {ProjectStatus.PUBLISHED: "projects.change_project_status", ProjectStatus.WITHDRAWN: None}
    with pytest.raises(NotPermitted):
        workflow.move(
            _project(tree, ProjectStatus.DRAFT), to=ProjectStatus.PUBLISHED, by=people.resident, perm=per_target
        )
    assert (
        workflow.move(
            _project(tree, ProjectStatus.DRAFT), to=ProjectStatus.WITHDRAWN, by=people.resident, perm=per_target
        ).status
        == ProjectStatus.WITHDRAWN
    )
    asked = []

    def only_withdrawals(by, obj, to):
        asked.append((by, obj.pk, to))
        return to == ProjectStatus.WITHDRAWN

    project = _project(tree, ProjectStatus.DRAFT)
    with pytest.raises(NotPermitted):
        workflow.move(project, to=ProjectStatus.PUBLISHED, by=people.community_staff, perm=only_withdrawals)
    assert workflow.move(
        project, to=ProjectStatus.WITHDRAWN, by=people.community_staff, perm=only_withdrawals
    ).status == (ProjectStatus.WITHDRAWN)
    assert asked == [
        (people.community_staff, project.pk, ProjectStatus.PUBLISHED),
        (people.community_staff, project.pk, ProjectStatus.WITHDRAWN),
    ]
    # the system needs no permission
    assert workflow.move(
        _project(tree, ProjectStatus.DRAFT), to=ProjectStatus.PUBLISHED, perm=only_withdrawals
    ).status == (ProjectStatus.PUBLISHED)


def test_status_moved_is_delivered_after_the_commit_and_not_after_a_rollback(people, tree):
    from django.db import transaction

    heard = []
    events.subscribe("status.moved", heard.append)
    try:
        project = _project(tree, ProjectStatus.DRAFT)
        with pytest.raises(RuntimeError), transaction.atomic():
            project_services.move_project(by=people.community_staff, project=project, to=ProjectStatus.PUBLISHED)
            assert heard == []  # not before the commit
            raise RuntimeError
        assert heard == []  # rolled back: nothing happened
        with transaction.atomic():
            project_services.move_project(by=None, project=project, to=ProjectStatus.PUBLISHED)
            assert heard == []
    finally:
        events.unsubscribe("status.moved", heard.append)
    assert [(e.name, e.pk, e.data) for e in heard] == [
        ("status.moved", project.pk, {"from_status": "draft", "to_status": "published", "by": None})
    ]


def test_a_move_hook_runs_inside_the_move_and_a_failing_hook_undoes_it(people, tree):
    calls = []

    def hook(workflow, obj, *, by, previous, note):
        calls.append((workflow.model, obj.pk, previous, getattr(obj, workflow.field), note))
        if note == "refuse":
            raise RuntimeError("no")

    transitions.on_move(hook)
    try:
        project = _project(tree, ProjectStatus.DRAFT)
        with pytest.raises(RuntimeError):
            project_services.move_project(by=None, project=project, to=ProjectStatus.PUBLISHED, note="refuse")
        project.refresh_from_db()
        assert project.status == ProjectStatus.DRAFT and _timeline(project) == []
        project_services.move_project(by=None, project=project, to=ProjectStatus.PUBLISHED, note="ok")
    finally:
        transitions.off_move(hook)
    assert calls[-1] == (Project, project.pk, ProjectStatus.DRAFT, ProjectStatus.PUBLISHED, "ok")


def test_only_staff_moves_are_audited_by_the_audit_apps_hook(people, tree):
    from portal.accounts.moves import audit_move
    from portal.audit.models import AuditEntry

    assert audit_move in transitions._move_hooks  # registered by AccountsConfig.ready
    project = project_services.move_project(
        by=people.community_staff, project=_project(tree, ProjectStatus.DRAFT), to=ProjectStatus.PUBLISHED
    )
    entry = AuditEntry.objects.get(action="project.published", target_id=str(project.pk))
    assert (entry.actor, entry.before, entry.after) == (
        people.community_staff,
        {"status": "draft"},
        {"status": "published"},
    )
    project_services.move_project(by=None, project=project, to=ProjectStatus.FUNDED)
    assert not AuditEntry.objects.filter(action="project.funded").exists()


def test_core_imports_nothing_above_it():
    import ast
    from pathlib import Path

    source = Path(transitions.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not {name for name in imported if not name.startswith(("django", "dataclasses", "typing"))}


def test_no_code_outside_the_workflow_calls_its_private_members():
    import re
    from pathlib import Path

    root = Path(transitions.__file__).resolve().parents[2]
    private = re.compile(r"workflow\w*\._(record|audit|label|set|moved|refuse)\b|\b(verification|workflow)\._\w+\(")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for top in ("portal", "marketplace", "deliberation", "search")
        for path in (root / top).rglob("*.py")
        if path.name != "transitions.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if private.search(line)
    ]
    assert offenders == []


def test_every_workflow_has_its_action_table():
    """Every module of the project that makes a Workflow or an ActionTable is imported, whatever ran before."""
    import importlib
    from pathlib import Path

    from portal.core.actions import ACTION_TABLES
    from portal.core.transitions import WORKFLOWS

    root = Path(__file__).resolve().parents[2]
    for package in ("portal", "marketplace", "deliberation"):
        for path in (root / package).glob("**/*.py"):
            if "migrations" in path.parts or "settings" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            if "Workflow(" in source or "ActionTable(" in source:
                importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
    ours = [w for w in WORKFLOWS if not w.model.__module__.startswith("tests")]
    covered = {id(table.workflow) for table in ACTION_TABLES if table.workflow is not None}
    # The deadline choice's table (funding's CHOICE_ACTIONS) is a single `choose`, offered by state (`when`).
    without = {w.model._meta.label for w in ours if id(w) not in covered} - {"funding.DeadlineChoice"}
    assert len(ours) >= 14 and without == set()
