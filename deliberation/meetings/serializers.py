"""What the meetings API reads and writes."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import AgendaItem, FollowUpAction, Meeting, Minutes, Purpose, Registration


class LotterySerializer(serializers.Serializer):
    seed = serializers.CharField()
    closed_at = serializers.CharField(help_text="Registration's close, ISO 8601 UTC: an input of the seed.")
    entries = serializers.ListField(child=serializers.CharField(), help_text="The registrations' public references.")
    method = serializers.CharField()


LOTTERY_METHOD = (
    "seed = sha256('<meeting id>|<closed_at>|' + ','.join(sorted(entries))); "
    "order = sorted(entries, key=lambda ref: sha256(seed + ref)); the first `capacity` get seats, "
    "the rest wait in that order."
)


class MeetingSerializer(serializers.ModelSerializer):
    """A public meeting, with its iCalendar address and, after a draw, the draw's published inputs and seed."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    ical_url = serializers.SerializerMethodField()
    lottery = serializers.SerializerMethodField()
    council_name = serializers.CharField(source="council.name", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "ical_url",
            "council",
            "council_name",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "eligibility",
            "registration_closes_at",
            "status",
            "announced_at",
            "lottery",
        ]
        read_only_fields = fields

    def get_ical_url(self, meeting) -> str:
        path = reverse("meetings:calendar", kwargs={"pk": meeting.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(LotterySerializer(allow_null=True))
    def get_lottery(self, meeting):
        from .services import lottery_closed_at

        if not meeting.lottery_seed:
            return None
        return {
            "seed": meeting.lottery_seed,
            "closed_at": lottery_closed_at(meeting),
            "entries": meeting.lottery_entries.split("\n"),
            "method": LOTTERY_METHOD,
        }


class AgendaItemSerializer(serializers.ModelSerializer):
    documents = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "order", "title", "description", "topic", "decision", "decided_at", "documents"]
        read_only_fields = fields

    def get_documents(self, item) -> list[str]:
        return [d.name for d in item.documents.all()]


class RegistrationSerializer(serializers.ModelSerializer):
    """One's own registration (staff: every registration of their area's meetings)."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.ATTEND)

    class Meta:
        model = Registration
        fields = ["id", "meeting", "purpose", "status", "ref", "lottery_rank", "waitlist_position", "checked_in_at"]
        read_only_fields = ["status", "ref", "lottery_rank", "waitlist_position", "checked_in_at"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpAction
        fields = ["id", "agenda_item", "what", "responsible", "due_on", "status", "done_at"]


class MinutesSerializer(serializers.ModelSerializer):
    """Published minutes: sanitised HTML, the decisions and the follow-up actions."""

    follow_ups = FollowUpSerializer(source="meeting.follow_ups", many=True, read_only=True)
    decisions = AgendaItemSerializer(source="meeting.agenda_items", many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Minutes
        fields = ["id", "meeting", "body", "published_at", "decisions", "follow_ups", "pdf_url"]
        read_only_fields = fields

    def get_pdf_url(self, minutes) -> str:
        return reverse("meetings:minutes_pdf", kwargs={"pk": minutes.meeting_id})
