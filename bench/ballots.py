"""Ballots per second on PostgreSQL: N voters cast through `cast_ballot` from T threads at once.

    .venv/bin/python bench/ballots.py [--voters 2000] [--processes 2] [--threads 16] [--secret]
                                     [--database-url postgres://…]

Uses bench.bench_settings against the bench database (bench/generate.py must have migrated it;
`--migrate` runs the migrations first). It creates a council, the voters (accounts and seats)
and a vote, opens it, lets every voter cast one ballot through the real service from
`--processes` forked processes of `--threads` threads each (as gunicorn's workers would: each
thread its own connection, each process its own interpreter lock), closes the vote and checks
the stored tally against the ballots. All rows it made are deleted afterwards (`--keep` leaves
them). The figure is wall-clock ballots per second of the casting phase; the close (the count) is timed on its own.
"""

import argparse
import os
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database_url, migrate):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/ballots.py measures PostgreSQL: set --database-url postgres://…")
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def build(voters, secret):
    from django.utils import timezone

    from deliberation.councils.models import Council, CouncilLevel, CouncilMember, MemberRole
    from deliberation.meetings.models import AgendaItem, Meeting, MeetingKind, MeetingStatus
    from deliberation.votes import services
    from portal.accounts.models import User
    from portal.regions.models import Region

    region = Region.get_root_nodes().first() or Region.add_root(code="BENCH", name="压测区", level="district")
    stamp = int(time.time())
    council = Council.objects.create(
        name=f"压测议事会 {stamp}", slug=f"bench-ballots-{stamp}", level=CouncilLevel.DISTRICT, region=region
    )
    users = User.objects.bulk_create(User(username=f"bench-voter-{stamp}-{i}") for i in range(voters))
    CouncilMember.objects.bulk_create(
        CouncilMember(council=council, user=u, name=u.username, role=MemberRole.EXPERT, term_start=date(2025, 1, 1))
        for u in users
    )
    now = timezone.now()
    meeting = Meeting.objects.create(
        council=council,
        kind=MeetingKind.ASSEMBLY,
        title="压测会议",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        place="-",
        capacity=0,
        status=MeetingStatus.HELD,
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="压测议程")
    vote = services.create_vote(
        by=None,
        question="压测表决",
        kind="for_against",
        electorate="members",
        agenda_item=item,
        ballot="secret" if secret else "open",
    )
    vote = services.open_vote(by=None, vote=vote)
    return council, users, vote


def cast_all(users, vote, threads):
    from django.db import connections

    from deliberation.votes import services

    options = list(vote.options.order_by("order").values_list("pk", flat=True))
    queue = list(enumerate(users))
    lock = threading.Lock()
    errors = []

    def worker():
        while True:
            with lock:
                if not queue:
                    break
                i, user = queue.pop()
            try:
                services.cast_ballot(by=user, vote=vote, choices=[options[i % 3]])
            except Exception as exc:
                errors.append(repr(exc))
        connections.close_all()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - started, errors


def cast_forked(users, vote, processes, threads):
    """Split the voters over `processes` forked children, each casting from its own threads; wall-clock
    seconds from the first fork to the last child's end, and every child's errors."""
    import multiprocessing

    from django.db import connections

    if processes <= 1:
        return cast_all(users, vote, threads)
    connections.close_all()  # each child opens its own connections
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    def child(share):
        _seconds, errors = cast_all(share, vote, threads)
        results.put(errors)

    shares = [users[i::processes] for i in range(processes)]
    started = time.perf_counter()
    children = [context.Process(target=child, args=(share,)) for share in shares]
    for process in children:
        process.start()
    errors = [e for _ in children for e in results.get()]
    for process in children:
        process.join()
    return time.perf_counter() - started, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=1, help="forked casting processes (default 1)")
    parser.add_argument("--threads", type=int, default=16, help="threads in each process")
    parser.add_argument("--secret", action="store_true", help="a secret ballot (the default is open)")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the rows made for the run")
    args = parser.parse_args()
    setup(args.database_url, args.migrate)

    from deliberation.votes import services
    from deliberation.votes.models import Ballot
    from portal.accounts.models import User

    council, users, vote = build(args.voters, args.secret)
    seconds, errors = cast_forked(users, vote, args.processes, args.threads)
    started = time.perf_counter()
    vote = services.close_vote(by=None, vote=vote)
    close_seconds = time.perf_counter() - started
    ballots = Ballot.objects.filter(vote=vote).count()
    exact = ballots == args.voters == vote.result.participants == sum(vote.result.counts.values())
    kind = "secret" if args.secret else "open"
    print(
        f"{args.voters} {kind} ballots, {args.processes} × {args.threads} threads: {seconds:.2f} s, "
        f"{args.voters / seconds:.0f} ballots/s"
    )
    print(f"close and count: {close_seconds * 1000:.0f} ms; tally exact: {exact}; errors: {len(errors)}")
    if errors:
        print("first errors:", errors[:3])
    if not args.keep:
        meeting = vote.agenda_item.meeting
        vote.delete()  # its electors, participations, ballots and result
        meeting.delete()
        council.delete()
        User.objects.filter(pk__in=[u.pk for u in users]).delete()
    sys.exit(0 if exact and not errors else 1)


if __name__ == "__main__":
    main()
