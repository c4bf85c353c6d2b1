"""The one way in: `AppContext` owns what an app serves — its snapshot, what is derived from it, its
settings and its services. Layouts and callbacks receive it (or what they need of it) as an argument;
nothing reaches these through the Flask app's settings or a module-level cache.
"""

from __future__ import annotations

import logging
import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from crosspilot.access import sees_names
from crosspilot.config import Config
from crosspilot.dataset import Snapshot
from crosspilot.formatting import Formatter, current_formatter
from crosspilot.i18n import current_language, default_language, use_language
from crosspilot.pilots import PilotLabels

if TYPE_CHECKING:  # imported lazily: an app that never opens a page of theirs never pays for them
    from crosspilot.compare import CompareIndex
    from crosspilot.lessons import LessonIndex
    from crosspilot.networks import NetworkStore
    from crosspilot.snapshots import Snapshots
    from crosspilot.structure import Structure
    from crosspilot.workshop import WorkshopService

log = logging.getLogger(__name__)


class Derived:
    """Everything computed from one snapshot, each part on first use and then kept for the snapshot's
    life: the snapshot is immutable, so nothing here is ever stale. The only cache of the app's data."""

    def __init__(
        self, snapshot: Snapshot, config: Config, base: Derived | None = None, language: str | None = None
    ):
        self._snapshot = snapshot
        # What the labels below are written in (country names, say): a language's own Derived in
        # its language; the data as given in the default language, whichever request comes first.
        self._language = language
        self.config = config
        self._base = base  # set on a language's Derived: the one of the data as given
        self._lock = threading.Lock()
        self._marks: dict[str, dict[str, str]] = {}
        self._lessons: dict[str, tuple] = {}  # language -> lessons as shown in it
        self._languages: dict[str, Derived] = {}
        self._catalogues: dict[str, dict[str, str]] = {}
        self._theme_words: dict[str, dict[str, str]] = {}
        self._kept: dict[str, dict] = {}
        self.coverage = None  # a language's Derived: how much of the data its translations cover

    # --- the data in the reader's language -------------------------------------------------------
    # Where the dataset's translations table gives a language, the text-bearing parts below (the
    # tables, pilot labels, the Compare index, lessons' evidence) come from a Derived of the tables
    # with those translations in place, made on first use; the networks and their metrics are shared.

    @cached_property
    def _translated(self) -> frozenset[str]:
        from crosspilot.translations import languages_given

        return languages_given(getattr(self._snapshot, "tables", {}).get("translations"))

    def here(self) -> Derived:
        """The Derived of the current language: this one where the data has no translations into it."""
        if self._base is not None:
            return self
        code = current_language()
        if code not in self._translated:
            return self
        found = self._languages.get(code)
        if found is None:
            from dataclasses import replace

            from crosspilot.translations import localise

            with self._lock:
                found = self._languages.get(code)
                if found is None:
                    tables, coverage = localise(self._snapshot.tables, code)
                    found = Derived(
                        replace(self._snapshot, tables=tables), self.config, base=self, language=code
                    )
                    found.coverage = coverage
                    self._languages[code] = found
        return found

    @property
    def snapshot(self) -> Snapshot:
        return self.here()._snapshot

    def theme_label(self, theme: str) -> tuple[str, str]:
        """A lesson theme in words and the language they are in: the dataset's translation into the
        current language, else the id written out in English ("co_creation": "Co creation", "en")."""
        from crosspilot.lessons import theme_label
        from crosspilot.translations import words

        code = current_language()
        found = self._theme_words.get(code)
        if found is None:
            found = self._theme_words[code] = words(self._snapshot.tables.get("translations"), "themes", code)
        return (found[theme], code) if theme in found else (theme_label(theme), "en")

    def data_coverage(self):
        """How many of the data's translatable words the current language has a translation for
        (crosspilot.translations.Coverage); None in English, the data's own language."""
        if current_language() == "en":
            return None
        here = self.here()
        return here.coverage if here.coverage is not None else self._untranslated

    @cached_property
    def _untranslated(self):
        """The coverage of a language the data gives no translation into (counted once, not per page)."""
        from crosspilot.translations import localise

        return localise({k: v for k, v in self._snapshot.tables.items() if k != "translations"}, "")[1]

    @property
    def pilots(self) -> PilotLabels:
        return self.here()._pilots

    @cached_property
    def _pilots(self) -> PilotLabels:
        with use_language(self._language or default_language()):
            return PilotLabels.of(self._snapshot.pilots)

    @property
    def formatter(self) -> Formatter:
        """The formatter of the current request's language."""
        return current_formatter()

    @property
    def lessons(self) -> tuple:
        """The lesson cards as a reader of the current language sees them: translated where a
        translation gives a field, else in the card's own language (Lesson.language_of says which)."""
        code = current_language()
        found = self._lessons.get(code)
        if found is None:
            found = tuple(lesson.in_language(code) for lesson in self._snapshot.lessons)
            self._lessons[code] = found
        return found

    @property
    def compare_index(self) -> CompareIndex:
        return self.here()._compare_index

    @cached_property
    def _compare_index(self) -> CompareIndex:
        from crosspilot.compare import build_index

        with self._lock:  # two first requests at once build it once
            s = self._snapshot
            labels = self._pilots
            if self._base is not None:  # a language: the data's index with its words
                from crosspilot.compare.index import relabel

                return relabel(self._base._compare_index, s.indicators, s.pilots, labels)
            with use_language(self._language or default_language()):
                return build_index(s.outcomes, s.indicators, s.pilots, s.version, labels=labels)

    @property
    def pilot_cards(self) -> dict:
        """What each pilot's Overview card lists (crosspilot.pilots.card_figures), once per snapshot."""
        return self.here()._pilot_cards

    @cached_property
    def _pilot_cards(self) -> dict:
        from crosspilot.pilots import card_figures

        return card_figures(self._snapshot.outcomes)

    @cached_property
    def outcome_statuses(self):
        """How many outcome values are published, estimated and illustrative (a pandas Series)."""
        return self._snapshot.outcomes["status"].value_counts()

    @property
    def lesson_index(self) -> LessonIndex:
        """What resolving a lesson's evidence needs from the tables (the Lessons pages)."""
        return self.here()._lesson_index

    @cached_property
    def _lesson_index(self) -> LessonIndex:
        from crosspilot.lessons import LessonIndex

        return LessonIndex.of(self._snapshot.tables)

    # --- the same in every language --------------------------------------------------------------

    @property
    def networks(self) -> NetworkStore:
        """The networks as this request may see them: every actor by name for partners (and up); for
        public visitors, protected actors pseudonymous or aggregated (crosspilot.privacy)."""
        base = self._base or self
        if sees_names() or base._public_networks is None:
            return base._full_networks
        return base._public_networks

    @cached_property
    def _full_networks(self) -> NetworkStore:
        from crosspilot.networks import NetworkStore
        from crosspilot.networks.shelf import shelf_of

        return NetworkStore(self._snapshot, shelf_of(self.config), inline_actors=self.config.inline_actors)

    @cached_property
    def _public_networks(self):
        """The public visitors' NetworkStore, None when every actor may be named. Pseudonyms and group
        names are written in the app's default language: one public analysis serves every reader."""
        from types import MappingProxyType, SimpleNamespace

        from crosspilot import privacy
        from crosspilot.networks.store import PublicNetworkStore

        snapshot = self._snapshot
        protected = privacy.protected_pilots(snapshot)
        if not protected:
            return None
        tiers = privacy.network_tiers(snapshot.pilots)
        networks, members = dict(snapshot.networks), {}
        with use_language(default_language()):
            for pilot in protected:
                networks[pilot], members[pilot] = privacy.public_network(
                    snapshot.networks[pilot], tiers.get(pilot, "named")
                )
        public = SimpleNamespace(version=snapshot.version + "+public", networks=MappingProxyType(networks))
        return PublicNetworkStore(public, self._full_networks, members)

    def prepare_networks(self, pilot: str, phase: str) -> None:
        """A background job's work: the pilot's analysis for every audience (the job has no role)."""
        base = self._base or self
        base._full_networks.prepare(pilot, phase)
        if base._public_networks is not None:
            base._public_networks.prepare(pilot, phase)

    def warm_networks(self) -> list[str]:
        """Every network whose analysis answers at once (small, or already on the shelf), read into
        memory now, for every audience: in gunicorn's master, the workers forked after it then share it
        instead of each building it on its first visit (about 2 s at 10,000 actors). A large network
        not analysed yet is left to its background job. Returns the pilots read."""
        base = self._base or self
        warmed = []
        for store in (base._full_networks, base._public_networks):
            for pilot in store.pilots() if store is not None else ():
                if store.ready(pilot):
                    store.analysis(pilot)
                    warmed.append(pilot)
        return warmed

    @cached_property
    def structures(self) -> dict[str, Structure]:
        """Each pilot's network structure metrics, as a lesson's evidence and Governance show them."""
        if self._base is not None:
            return self._base.structures
        from crosspilot.structure import structures

        return structures(self._snapshot.networks)

    @cached_property
    def catalogue(self) -> dict[str, str]:
        """What a workshop agenda may name (lessons and governance models), with their titles (in the
        cards' own language: a workshop stores them)."""
        from crosspilot.workshop.agenda import catalogue

        return catalogue((self._base or self)._snapshot)

    @property
    def catalogue_here(self) -> dict[str, str]:
        """The catalogue with titles in the current language (the agenda picker shows these)."""
        from types import SimpleNamespace

        from crosspilot.workshop.agenda import catalogue

        code = current_language()
        found = self._catalogues.get(code)
        if found is None:
            found = catalogue(SimpleNamespace(lessons=self.lessons, pilots=self.snapshot.pilots))
            self._catalogues[code] = found
        return found

    def remembered(self, name: str) -> dict:
        """A dict kept for this snapshot's life under `name` (bounded: cleared past 4,096 entries)."""
        with self._lock:
            found = self._kept.setdefault(name, {})
            if len(found) > 4096:
                found.clear()
            return found

    def slide_marks(self, ref: str) -> dict[str, str]:
        """The marks a data slide draws (mark -> label), kept per slide: each vote on a mark asks."""
        found = self._marks.get(ref)
        if found is None:
            from crosspilot.workshop.marks import slide_marks

            found = slide_marks(self, ref)
            with self._lock:
                if len(self._marks) >= 256:  # agendas are short; a bound all the same
                    self._marks.clear()
                self._marks[ref] = found
        return found


class WorkshopHolder:
    """The app's WorkshopService, made on first use: an app that never opens a workshop never touches
    the database. One engine per process; every bit of workshop state lives in the database. What the
    service checks against the data (pilots, lessons, slides) follows the served version."""

    def __init__(self, config: Config, context: AppContext):
        self._config = config
        self._context = context
        self._lock = threading.Lock()
        self._service: WorkshopService | None = None

    def __call__(self) -> WorkshopService:
        if self._service is None:
            with self._lock:
                if self._service is None:
                    from crosspilot.workshop import WorkshopService
                    from crosspilot.workshop.agenda import read_slide, slide_title

                    context = self._context
                    self._service = WorkshopService.from_url(
                        self._config.database(),
                        admin_password=self._config.admin_password or None,
                        read_slide=lambda link: read_slide(context.derived, link),
                        slide_marks=lambda ref: context.derived.slide_marks(ref),
                        slide_title=lambda link: slide_title(context.derived, link),
                        data_version=lambda: context.snapshot.version,
                    )
                    self.follow(context.derived)
        return self._service

    def follow(self, derived: Derived) -> None:
        """Check agendas and joins against `derived`'s pilots and lessons (called on a swap)."""
        service = self._service
        if service is None:
            return
        pilots = derived.snapshot.pilots
        service.known_pilots = frozenset(pilots["pilot_id"]) if len(pilots) else frozenset()
        service.titles = dict(derived.catalogue)
        service._lessons = frozenset(r for r in service.titles if r.startswith("lesson:"))


class SnapshotsHolder:
    """The app's Snapshots (crosspilot/snapshots), made on first use on the workshop service's engine:
    snapshot records live in the same database. Raises Unavailable while the database does not
    answer, and is made on the next call once it does."""

    def __init__(self, context: AppContext):
        self._context = context
        self._lock = threading.Lock()
        self._snapshots: Snapshots | None = None

    def __call__(self) -> Snapshots:
        if self._snapshots is None:
            engine = self._context.workshop().engine
            with self._lock:
                if self._snapshots is None:
                    from crosspilot.snapshots import FileStore, Snapshots, SnapshotStore

                    files = FileStore(self._context.config.snapshots())
                    self._snapshots = Snapshots(self._context, SnapshotStore(engine), files)
        return self._snapshots


class AccountsHolder:
    """The app's Accounts (crosspilot/accounts), made on first use on the workshop service's engine:
    accounts live in the same database. Raises Unavailable while the database does not answer."""

    def __init__(self, context: AppContext):
        self._context = context
        self._lock = threading.Lock()
        self._accounts = None

    def __call__(self):
        if self._accounts is None:
            engine = self._context.workshop().engine
            with self._lock:
                if self._accounts is None:
                    from crosspilot.accounts import Accounts

                    self._accounts = Accounts(engine, self._context.config.secret())
        return self._accounts


class Served:
    """What an app serves now: one snapshot and its Derived, replaced together by `swap` (one
    assignment, so a reader never sees the snapshot of one version with the Derived of another).

    A request pins the pair it started with (`pin`), so everything it reads comes from one version
    even when another worker's activation swaps the data halfway through it."""

    def __init__(self, snapshot: Snapshot, derived: Derived):
        self._pair = (snapshot, derived)
        self._swapped: list = []  # called with the new Derived after a swap

    @property
    def pair(self) -> tuple[Snapshot, Derived]:
        pinned = _pinned.get()
        if pinned is not None and pinned[0] is self:
            return pinned[1]
        return self._pair

    def swap(self, snapshot: Snapshot, derived: Derived) -> None:
        self._pair = (snapshot, derived)
        for listener in self._swapped:
            listener(derived)

    def on_swap(self, listener) -> None:
        self._swapped.append(listener)

    def pin(self):
        """Pin the current pair for the rest of this request (returns the token for `unpin`)."""
        return _pinned.set((self, self._pair))

    @staticmethod
    def unpin(token) -> None:
        _pinned.reset(token)


_pinned: ContextVar[tuple[Served, tuple[Snapshot, Derived]] | None] = ContextVar(
    "crosspilot_served", default=None
)


class _ServedSnapshot:
    """`AppContext.snapshot`: given when the context is made, then whatever its `served` holds now
    (a dataclass field whose value is a descriptor: `AppContext(snapshot=...)` still works)."""

    def __get__(self, obj, owner=None):
        if obj is None:
            raise AttributeError("snapshot")  # no default: the field is required
        served = obj.__dict__.get("served")
        return obj.__dict__["_given"] if served is None else served.pair[0]

    def __set__(self, obj, value) -> None:
        if "served" in obj.__dict__:
            from dataclasses import FrozenInstanceError

            raise FrozenInstanceError("cannot assign to field 'snapshot'")
        obj.__dict__["_given"] = value


class VersionsHolder:
    """The app's dataset versions (crosspilot/versions) on the workshop service's engine, and the
    Follower that keeps this app serving the active one (`follower.check()` before each request)."""

    def __init__(self, context: AppContext):
        self._context = context
        self._lock = threading.Lock()
        self._versions = None
        from crosspilot.versions import Follower

        self.follower = Follower(context, self)

    def __call__(self):
        if self._versions is None:
            engine = self._context.workshop().engine
            with self._lock:
                if self._versions is None:
                    from crosspilot.snapshots import FileStore
                    from crosspilot.versions import Versions

                    files = FileStore(self._context.config.snapshots())
                    self._versions = Versions(self._context, engine, files)
        return self._versions


@dataclass(frozen=True)
class AppContext:
    """What one app serves. `pages` are the routed pages (layouts.shell.Page), in navigation order.

    `snapshot` and `derived` are the version served now: activating another dataset version swaps
    both at once (`served.swap`, crosspilot/versions), and every caller reads the new one."""

    snapshot: Snapshot = _ServedSnapshot()  # type: ignore[assignment]
    config: Config
    pages: tuple[Any, ...] = ()
    served: Served = field(init=False, repr=False, compare=False)
    workshop: WorkshopHolder = field(init=False)
    snapshots: SnapshotsHolder | None = field(init=False)  # None on a snapshot's own frozen context
    accounts: AccountsHolder = field(init=False)
    versions: VersionsHolder = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "served", Served(self._given, Derived(self._given, self.config)))
        object.__setattr__(self, "versions", VersionsHolder(self))
        holder = WorkshopHolder(self.config, self)
        object.__setattr__(self, "workshop", holder)
        object.__setattr__(self, "snapshots", SnapshotsHolder(self))
        object.__setattr__(self, "accounts", AccountsHolder(self))
        self.served.on_swap(holder.follow)

    @property
    def derived(self) -> Derived:
        return self.served.pair[1]

    @property
    def fmt(self) -> Formatter:
        return self.derived.formatter

    def decisions_for(self, item_id: str) -> list:
        """The workshop decisions on `lesson:<id>` or `governance:<pilot>`, oldest first (the last in
        force). A failing store costs the decisions, never the page: the lessons stay readable."""
        try:
            return list(self.workshop().decisions_for(item_id))
        except Exception:  # noqa: BLE001
            log.exception("decisions_for(%r) failed; showing the card's own status", item_id)
            return []

    def all_decisions(self) -> list:
        try:
            return list(self.workshop().all_decisions())
        except Exception:  # noqa: BLE001
            log.exception("all_decisions() failed; showing the cards' own status")
            return []
