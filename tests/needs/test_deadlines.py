from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from marketplace.needs import escalation, services
from marketplace.needs.deadlines import add_working_days, service_level_for
from marketplace.needs.models import CalendarDay, Channel, EscalationLevel, ServiceLevel, SupervisionOrder
from marketplace.needs.tasks import escalate_overdue_needs_task
from portal.accounts.models import Role
from portal.notifications.models import Notification
from tests.factories import UserFactory, category, grant

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = datetime(2026, 9, 28, 9, 0, tzinfo=TZ)  # the week before National Day


def test_working_days_skip_weekends_and_holidays_and_count_exchange_days():
    CalendarDay.objects.create(date=date(2026, 10, 1), name="国庆节")
    CalendarDay.objects.create(date=date(2026, 10, 2), name="国庆节")
    CalendarDay.objects.create(date=date(2026, 10, 10), name="调休上班", is_workday=True)  # a Saturday
    # Mon 28 Sep + 3 working days: 29, 30, (1-2 holidays, 3-4 weekend) 5 → Mon 5 Oct
    assert add_working_days(MONDAY_9AM, 3).date() == date(2026, 10, 5)
    # Friday 9 Oct + 1 → the exchanged Saturday 10 Oct
    assert add_working_days(datetime(2026, 10, 9, 9, tzinfo=TZ), 1).date() == date(2026, 10, 10)


def test_the_most_specific_service_level_wins():
    env = category()
    ServiceLevel.objects.create(hours_to_accept=24, working_days_to_answer=5)
    ServiceLevel.objects.create(channel=Channel.HOTLINE, hours_to_accept=4, working_days_to_answer=5)
    ServiceLevel.objects.create(category=env, hours_to_accept=12, working_days_to_answer=3)
    ServiceLevel.objects.create(category=env, channel=Channel.HOTLINE, hours_to_accept=2, working_days_to_answer=2)
    assert service_level_for(env, Channel.HOTLINE).hours_to_accept == 2
    assert service_level_for(env, Channel.WEB).hours_to_accept == 12
    assert service_level_for(category("parking", "停车"), Channel.HOTLINE).hours_to_accept == 4
    assert service_level_for(category("parking", "停车"), Channel.WEB).hours_to_accept == 24


@pytest.fixture
def supervisors(tree):
    street = grant(UserFactory(username="streetboss"), Role.STREET_STAFF, tree.street_a)
    district = grant(UserFactory(username="districtboss"), Role.DISTRICT_STAFF, tree.district)
    return street, district


def test_an_unaccepted_need_goes_overdue_then_up_to_street_then_district(people, tree, supervisors):
    street_boss, district_boss = supervisors
    ServiceLevel.objects.create(hours_to_accept=24, working_days_to_answer=5)
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        need = services.submit_need(
            by=people.resident, title="井盖松动", description="有安全隐患", category=category(), region=tree.grid_a1
        )
        clock.shift(timedelta(hours=23))
        assert escalate_overdue_needs_task() == {"flagged": 0, "orders": 0}

        clock.shift(timedelta(hours=2))  # Tuesday 10:00, past the 24 h to accept
        assert escalate_overdue_needs_task() == {"flagged": 1, "orders": 1}
        need.refresh_from_db()
        assert need.is_overdue and need.escalation_level == EscalationLevel.STREET
        order = SupervisionOrder.objects.get(need=need)
        assert order.region == tree.street_a
        assert Notification.objects.filter(recipient=street_boss, url=need.get_absolute_url()).exists()
        assert not Notification.objects.filter(recipient=district_boss).exists()

        # Running again issues nothing new.
        assert escalate_overdue_needs_task() == {"flagged": 0, "orders": 0}

        clock.shift(timedelta(days=1))  # a working day later, still not accepted
        assert escalate_overdue_needs_task()["orders"] == 1
        need.refresh_from_db()
        assert need.escalation_level == EscalationLevel.DISTRICT
        assert SupervisionOrder.objects.get(need=need, level="district").region == tree.district
        assert Notification.objects.filter(recipient=district_boss).exists()
        assert list(need.events.values_list("kind", flat=True)) == ["status", "overdue", "escalated", "escalated"]


def test_a_dispatched_need_past_its_answer_deadline_is_escalated(people, tree, supervisors):
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        need = services.submit_need(
            by=people.resident, title="垃圾清运不及时", description="连续三天", category=category(), region=tree.grid_a1
        )
        need = services.dispatch_need(by=people.community_staff, need=need, department=people.department)
        assert need.answer_deadline == MONDAY_9AM + timedelta(days=7)  # 5 working days → next Monday
        clock.shift(timedelta(days=7, minutes=1))
        escalation.mark_overdue()
        escalation.escalate_overdue()
        need.refresh_from_db()
        assert need.is_overdue and need.escalation_level == EscalationLevel.STREET
        # Answering resolves the order and clears the overdue flag.
        need = services.answer_need(by=people.department_officer, need=need, answer="已清运")
        assert not need.is_overdue
        assert SupervisionOrder.objects.get(need=need).resolved_at is not None


def test_answered_needs_are_never_marked_overdue(people, tree):
    with time_machine.travel(MONDAY_9AM, tick=False) as clock:
        need = services.submit_need(
            by=people.resident, title="噪音扰民", description="夜间施工", category=category(), region=tree.grid_a1
        )
        need = services.dispatch_need(by=people.community_staff, need=need, department=people.department)
        services.answer_need(by=people.department_officer, need=need, answer="已协调")
        clock.shift(timedelta(days=30))
        assert escalation.mark_overdue() == 0
