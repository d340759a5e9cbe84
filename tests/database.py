"""Test databases built once per set of migrations, then cloned.

Applying the ~290 migrations takes a minute or more, and every pytest process (each
xdist worker of each session: ordinary tests, browser journeys, real-worker tests)
needs a database of its own. So the first process to need one applies the migrations
into a *template* named after a hash of every migration file and of the pinned
requirements (which fix the third-party apps' migrations), and every process then
clones that template: `CREATE DATABASE … TEMPLATE` on PostgreSQL, SQLite's backup API
on SQLite. A template is built under a machine-wide file lock, into a temporary name
that is renamed only once complete, so a run killed half-way leaves no half-migrated
template behind. A change to any migration gives a new hash, hence a new template.

The serialized contents that `serialized_rollback=True` restores after each committing
test are kept beside the template too (serializing takes seconds, and is the same for
every clone).
"""

import fcntl
import hashlib
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
LOCKS = Path(os.environ.get("TMPDIR", "/tmp"))


def migrations_key():
    """A hash of what the migrated schema and data depend on."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/**/migrations/*.py")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update((ROOT / "requirements.txt").read_bytes())
    digest.update(connection.vendor.encode())
    return digest.hexdigest()[:16]


@contextmanager
def machine_lock(name):
    with open(LOCKS / f"gongzhi-{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Backend:
    """What differs between PostgreSQL and SQLite: where databases live and how they are copied."""

    def __init__(self, key):
        self.key = key

    @staticmethod
    def for_connection(key):
        return Postgres(key) if connection.vendor == "postgresql" else Sqlite(key)

    def build_template(self):
        """Apply the migrations into a fresh database under a temporary name, then give it the template's."""
        building = self.building_name()
        self.drop(building)
        connection.settings_dict.setdefault("TEST", {})["NAME"] = building
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
        connection.close()
        self.rename(building, self.template_name())

    def serialized_path(self):
        return VAR / f"test-template-{connection.vendor}-{self.key}.json"


class Postgres(Backend):
    def template_name(self):
        return f"gongzhi_tmpl_{self.key}"

    def building_name(self):
        return f"gongzhi_tmpl_{self.key}_{os.getpid()}"

    def clone_name(self):
        return f"gongzhi_test_{os.getpid()}"

    def _run(self, sql):
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else None

    def exists(self, name):
        return bool(self._run(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))

    def drop(self, name):
        self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def rename(self, old, new):
        self._run(f'ALTER DATABASE "{old}" RENAME TO "{new}"')

    def clone(self, name, source=None):
        self.drop(name)
        self._run(f'CREATE DATABASE "{name}" TEMPLATE "{source or self.template_name()}"')

    def named(self, what):
        return f"gongzhi_{what}_{os.getpid()}"

    def demo_template_name(self, demo_key):
        return f"gongzhi_demo_{demo_key}"


class Sqlite(Backend):
    def template_name(self):
        return str(VAR / f"test-template-{self.key}.sqlite3")

    def building_name(self):
        return str(VAR / f"test-template-{self.key}-{os.getpid()}.sqlite3")

    def clone_name(self):
        return str(VAR / f"test-db-{os.getpid()}.sqlite3")

    def exists(self, name):
        return Path(name).exists()

    def named(self, what):
        return str(VAR / f"test-{what}-{os.getpid()}.sqlite3")

    def demo_template_name(self, demo_key):
        return str(VAR / f"test-demo-{demo_key}.sqlite3")

    def drop(self, name):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)

    def rename(self, old, new):
        # Fold the write-ahead log into the file first, so the file alone is the whole database.
        db = sqlite3.connect(old)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        finally:
            db.close()
        os.replace(old, new)
        self.drop(old)

    def clone(self, name, source=None):
        self.drop(name)
        source, target = sqlite3.connect(source or self.template_name()), sqlite3.connect(name)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()


def use_database(name):
    """Point Django's default connection at `name`, as `create_test_db` does."""
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


_backend = None


def backend():
    """This process's backend (set up by `set_up`)."""
    return _backend


def set_up(*, serialized):
    """Give this process a database cloned from the migrated template; return (backend, original name)."""
    global _backend
    VAR.mkdir(exist_ok=True)
    original = connection.settings_dict["NAME"]
    backend = _backend = Backend.for_connection(migrations_key())
    with machine_lock(f"test-template-{connection.vendor}-{backend.key}"):
        if not backend.exists(backend.template_name()):
            backend.build_template()
            use_database(original)
        backend.clone(backend.clone_name())
        use_database(backend.clone_name())
        if serialized:
            path = backend.serialized_path()
            if not path.exists():
                temporary = path.with_suffix(f".{os.getpid()}.tmp")
                temporary.write_text(connection.creation.serialize_db_to_string(), encoding="utf-8")
                os.replace(temporary, path)
            connection._test_serialized_contents = path.read_text(encoding="utf-8")
    connection.ensure_connection()
    warm_content_types()
    return backend, original


def warm_content_types():
    """Read every model's content type into the process's cache, as migrating would have left it.

    Restoring the serialized contents after a committing test saves pages and permissions before
    content types (the serializer's order); with a cold cache their signals would create content
    types under new ids, which the restored rows then collide with."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


def tear_down(backend, original):
    clone = connection.settings_dict["NAME"]
    use_database(original)
    backend.drop(clone)


# --- The demo district, loaded once a day per set of migrations and demo loaders --------------------------

DEMO_SOURCES = ("portal", "marketplace", "deliberation", "search")


def demo_key(key):
    """The demo depends on the schema, on every demo loader and its texts, and on the day (its dates are relative)."""
    from django.utils import timezone

    digest = hashlib.sha256(key.encode())
    for package in DEMO_SOURCES:
        for path in sorted((ROOT / package).glob("**/*.py")):
            if "demo" in path.name or "seeds" in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    digest.update(timezone.localdate().isoformat().encode())
    return digest.hexdigest()[:16]


def demo_media_root(demo):
    return VAR / f"test-demo-media-{demo}"


def demo_facts_path(demo):
    return VAR / f"test-demo-{demo}.facts.json"


def _load_demo_into(backend, name, demo):
    """Run `load_demo` into the database `name` as a person would from the shell, noting what it sent."""
    import json

    from django.core import mail
    from django.core.management import call_command
    from django.test import override_settings

    outbox_before = len(getattr(mail, "outbox", []))
    media = demo_media_root(demo)
    with override_settings(MEDIA_ROOT=str(media / "public"), PRIVATE_MEDIA_ROOT=str(media / "private")):
        use_database(name)
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
    facts = {"emails_sent": len(getattr(mail, "outbox", [])) - outbox_before}
    demo_facts_path(demo).write_text(json.dumps(facts), encoding="utf-8")


def demo_template(backend, *, copy_to=None):
    """The name of a database holding the migrated schema and the demo district, built if missing;
    copied to `copy_to` too, under the same lock (another checkout may be rebuilding it)."""
    demo = demo_key(backend.key)
    name = backend.demo_template_name(demo)
    with machine_lock(f"test-demo-{connection.vendor}-{demo}"):
        # The files the demo stored and what its load did are kept in this checkout's var/; a template
        # another checkout left on the PostgreSQL server without them here is built again.
        if not (backend.exists(name) and demo_facts_path(demo).exists() and demo_media_root(demo).exists()):
            backend.drop(name)
            current = connection.settings_dict["NAME"]
            building = backend.named(f"demo_building_{demo}")
            backend.clone(building)
            try:
                _load_demo_into(backend, building, demo)
            finally:
                use_database(current)
            backend.rename(building, name)
        if copy_to:
            backend.clone(copy_to, source=name)
    return demo, name


def demo_facts(demo):
    import json

    return json.loads(demo_facts_path(demo).read_text(encoding="utf-8"))


@contextmanager
def demo_database():
    """Point this process's connection at a fresh copy of the demo district until the block ends."""
    backend = _backend
    current = connection.settings_dict["NAME"]
    copy = backend.named("demo")
    demo, _template = demo_template(backend, copy_to=copy)
    use_database(copy)
    try:
        yield demo
    finally:
        use_database(current)
        backend.drop(copy)


def main():
    """`python -m tests.database`: build this database's templates now (CI warms SQLite's while the
    PostgreSQL suite builds its own on the other core)."""
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    backend, original = set_up(serialized=True)
    try:
        demo_template(backend)
    finally:
        tear_down(backend, original)


if __name__ == "__main__":
    main()
