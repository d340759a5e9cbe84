"""What the votes and ballots API reads and writes. A secret ballot is never shown beside its voter."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import services
from .models import Option, Vote, VoteResult, VoteStatus


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "order", "label", "role"]


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoteResult
        fields = [
            "electorate_size",
            "participants",
            "votes_cast",
            "abstentions",
            "quorum_required",
            "quorum_met",
            "counts",
            "carried",
            "carried_options",
            "computed_at",
        ]


class PublishedBallotSerializer(serializers.Serializer):
    receipt_hash = serializers.CharField(help_text="SHA-256 of '<vote id>:<receipt code>'.")
    choices = serializers.ListField(child=serializers.CharField(), help_text="The chosen options' labels.")
    voter = serializers.CharField(help_text="The voter's name on an open ballot; always empty on a secret one.")


class VoteSerializer(serializers.ModelSerializer):
    """A vote: its options and status; after the close, its result and every ballot by receipt hash."""

    options = OptionSerializer(many=True, read_only=True)
    result = serializers.SerializerMethodField()
    ballots = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    meeting = serializers.IntegerField(source="agenda_item.meeting_id", read_only=True, allow_null=True)

    class Meta:
        model = Vote
        fields = [
            "id",
            "url",
            "council",
            "meeting",
            "agenda_item",
            "topic",
            "question",
            "kind",
            "max_choices",
            "electorate",
            "ballot",
            "quorum_count",
            "quorum_percent",
            "threshold",
            "allow_change",
            "closes_at",
            "status",
            "opened_at",
            "closed_at",
            "options",
            "result",
            "ballots",
        ]
        read_only_fields = fields

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, vote):
        if vote.status != VoteStatus.CLOSED:
            return None
        result = getattr(vote, "result", None)
        return ResultSerializer(result).data if result else None

    @extend_schema_field(PublishedBallotSerializer(many=True))
    def get_ballots(self, vote):
        if self.context.get("view") is not None and getattr(self.context["view"], "action", "") == "list":
            return []  # the list stays light; a vote's own address gives its ballots
        return services.published_ballots(vote)


class BallotInputSerializer(serializers.Serializer):
    vote = serializers.PrimaryKeyRelatedField(queryset=Vote.objects.all())
    choices = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, help_text="Option ids; empty for a blank ballot."
    )
    receipt = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Only to change a secret ballot: its receipt code."
    )


class BallotReceiptSerializer(serializers.Serializer):
    vote = serializers.IntegerField()
    receipt = serializers.CharField(
        allow_null=True, help_text="Shown once: keep it to find your ballot in the published list after the close."
    )
    receipt_hash = serializers.CharField(allow_null=True)


class CodeBallotInputSerializer(serializers.Serializer):
    vote = serializers.PrimaryKeyRelatedField(queryset=Vote.objects.all())
    # Not "code": every error answer has a `code` of its own (portal.api.errors).
    voting_code = serializers.CharField(max_length=20, help_text="The one-time voting code the desk gave.")
    choices = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, help_text="Option ids; empty for a blank ballot."
    )


class ElectorInputSerializer(serializers.Serializer):
    elector = serializers.IntegerField(help_text="The elector's id (in this vote's electorate).")


class VotingCodeSerializer(serializers.Serializer):
    elector = serializers.IntegerField()
    code = serializers.CharField(help_text="Shown once: hand it to the elector.")


class PaperVoterSerializer(serializers.Serializer):
    elector = serializers.IntegerField()
    paper_ballots_left = serializers.IntegerField(help_text="Paper voters marked whose ballots are not entered yet.")


class PaperDeskSerializer(serializers.Serializer):
    paper_voters = serializers.IntegerField(help_text="Paper voters marked when the desk closed.")
    paper_ballots_left = serializers.IntegerField()


class PaperBatchLineSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, help_text="Option ids chosen; empty for blank ballots."
    )
    count = serializers.IntegerField(min_value=0, help_text="How many ballots in the box chose exactly these.")


class PaperBatchSerializer(serializers.Serializer):
    ballots = PaperBatchLineSerializer(many=True, allow_empty=False)


class PaperBatchResultSerializer(serializers.Serializer):
    entered = serializers.IntegerField()
    paper_ballots_left = serializers.IntegerField()
