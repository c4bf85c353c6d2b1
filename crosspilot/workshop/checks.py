"""What a workshop accepts, declared once as pydantic models: the JSON API's bodies and the arguments
the pages pass. A refusal is a WorkshopError whose message names the field in plain words.

Models are strict (no "2" for 2, no true for 1) and strip text; fields they do not name are ignored.
Only shape, type and range live here; what depends on the data (known pilots and lessons) or on the
room (is voting open?) is checked by the service.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from crosspilot.i18n import N_, codes, t
from crosspilot.workshop.agenda import kind_of
from crosspilot.workshop.errors import WorkshopError
from crosspilot.workshop.models import COMMENT_MAX, MARK_MAX, REASON_MAX, TITLE_MAX
from crosspilot.workshop.models import NAME_MAX as FACILITATOR_NAME_MAX
from crosspilot.workshop.rules import STANCES, STATUSES

JOIN_LENGTH = 8  # 31**8 ≈ 8.5e11 codes
MAX_ITEMS = 60
MAX_ROUNDS = 5
MAX_TIMER = 60 * 60
NAME_MAX = 64
MARK_PATTERN = r"^[a-z][a-z_-]{0,31}:[^\s:][^\s]*$"
STAKEHOLDER_TYPES = ("public_sector", "civil_society", "citizen", "business", "research", "other")
AGENDA_HINT = N_(
    "Agenda item {n}: use lesson:<id>, governance:<pilot id> or a page path such as "
    "/compare?indicators=participants"
)


def normalise_code(code: object) -> str:
    """A join code as typed on a phone (any case, spaces, dashes) -> its letters and digits."""
    if not isinstance(code, str):
        return ""
    return "".join(ch for ch in code.upper() if ch.isalnum())[:32]


def _none_is_empty(value: object) -> object:
    return "" if value is None else value


def _empty_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# Text that may be left out or null (read as ""); the service has always accepted both.
Text = Annotated[str, BeforeValidator(_none_is_empty)]
Position = Annotated[int, Field(title=N_("Item position"), ge=0, le=MAX_ITEMS)]
Round = Annotated[int, Field(title=N_("Round"), ge=1, le=MAX_ROUNDS)]
Stance = Literal[STANCES]
Status = Literal[STATUSES]
StakeholderType = Literal[STAKEHOLDER_TYPES]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, str_strip_whitespace=True, extra="ignore", frozen=True)

    # field -> message for any refusal of that field, when the general wording would be unclear
    messages: ClassVar[dict[str, str]] = {}


class AgendaEntry(Body):
    """One agenda item: "lesson:<id>", "governance:<pilot>" or a page path, with an optional title."""

    ref: str
    title: Text = Field("", title=N_("Item title"), max_length=TITLE_MAX)

    @property
    def kind(self) -> str:
        return kind_of(self.ref) or ""

    @field_validator("ref")
    @classmethod
    def _known_form(cls, ref: str) -> str:
        if kind_of(ref) is None:
            raise ValueError("not an agenda reference")
        return ref


def _entry(value: object) -> object:
    return {"ref": value} if isinstance(value, str) else value


class NewWorkshop(Body):
    title: Text = Field(title=N_("Title"), min_length=1, max_length=TITLE_MAX)
    items: list[Annotated[AgendaEntry, BeforeValidator(_entry)]] = Field(min_length=1, max_length=MAX_ITEMS)
    rounds: int = Field(1, title=N_("Rounds"), ge=1, le=MAX_ROUNDS)
    practice: bool = Field(False, title=N_("Practice"))  # a rehearsal: outcomes never become decisions
    facilitator_name: Text = Field("", title=N_("Facilitator name"), max_length=FACILITATOR_NAME_MAX)

    messages: ClassVar[dict[str, str]] = {
        "items": N_("The agenda must be a list of at least one item (at most {max_items})"),
    }


class Join(Body):
    code: Annotated[str, BeforeValidator(normalise_code)] = Field(
        title=N_("Join code"), min_length=JOIN_LENGTH, max_length=JOIN_LENGTH
    )
    pilot: Annotated[str | None, BeforeValidator(_empty_is_none)] = Field(
        None, title=N_("Pilot"), max_length=NAME_MAX
    )
    stakeholder_type: Annotated[StakeholderType | None, BeforeValidator(_empty_is_none)] = Field(
        None, title=N_("Stakeholder type")
    )

    messages: ClassVar[dict[str, str]] = {"code": N_("A join code has {join_length} letters and digits")}


class Vote(Body):
    position: Position
    stance: Stance = Field(title=N_("Stance"))
    confidence: int = Field(3, title=N_("Confidence"), ge=1, le=5)
    comment: Text = Field("", title=N_("Comment"), max_length=COMMENT_MAX)
    # The mark of a data slide the vote is about: "<kind>:<id>", e.g. "pilot:turku" or "actor:mmu".
    mark: Annotated[str | None, BeforeValidator(_empty_is_none)] = Field(
        None, title=N_("Mark"), max_length=MARK_MAX, pattern=MARK_PATTERN
    )
    # The language the comment is written in: one of the interface's (the phone's page language).
    language: Annotated[str | None, BeforeValidator(_empty_is_none)] = Field(
        None, title=N_("Language"), pattern="^(" + "|".join(codes()) + ")$"
    )


class Outcome(Body):
    """The facilitator's own outcome for an item, with a reason (the rules' verdict is kept beside it)."""

    position: Position
    status: Status = Field(title=N_("Status"))
    reason: Text = Field(title=N_("Reason"), min_length=1, max_length=REASON_MAX)
    by: Text = Field("", title=N_("Name"), max_length=NAME_MAX)


# --- the facilitator's control actions: {"action": ..., and that action's fields} ------------------


class Goto(Body):
    action: Literal["goto"]
    position: Position


class Step(Body):
    action: Literal["next", "previous"]


class Voting(Body):
    action: Literal["open", "close"]


class Reveal(Body):
    action: Literal["reveal", "hide"]


class Timer(Body):
    action: Literal["timer"]
    seconds: int = Field(title=N_("Timer seconds"), ge=0, le=MAX_TIMER)


class NewRound(Body):
    action: Literal["new_round"]


class HideComment(Body):
    action: Literal["hide_comment"]
    comment_id: int = Field(title=N_("Comment id"), ge=1, le=2**62)
    hidden: bool = Field(True, title=N_("hidden"))


class Override(Outcome):
    action: Literal["override"]


CONTROLS = (Goto, Step, Voting, Reveal, Timer, NewRound, HideComment, Override)
Control = Annotated[
    Goto | Step | Voting | Reveal | Timer | NewRound | HideComment | Override, Field(discriminator="action")
]
CONTROL_ACTIONS = ", ".join(a for m in CONTROLS for a in m.model_fields["action"].annotation.__args__)
_CONTROL = TypeAdapter(Control)


class ResultsQuery(BaseModel):
    """`?position=&round=` of the results route: whole numbers written as text, both optional."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    position: Annotated[int | None, BeforeValidator(_empty_is_none)] = Field(None, title=N_("position"))
    round: Annotated[int | None, BeforeValidator(_empty_is_none)] = Field(None, title=N_("round"))


# --- checking ------------------------------------------------------------------------------------


M = TypeVar("M", bound=BaseModel)


MAX_DEPTH = 16  # no body of ours nests deeper than 3; a deep one is refused before anything walks it


def check_text(data: object, max_depth: int = MAX_DEPTH) -> None:
    """Refuse, with a WorkshopError, text that no database stores alike (NUL: PostgreSQL refuses it,
    an unpaired surrogate: it is not Unicode at all) anywhere in `data`, and nesting deeper than
    `max_depth`. Walks without recursion, so no body can exhaust the stack."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise WorkshopError(t("The JSON is nested too deeply (more than {n} levels)", n=max_depth))
        if isinstance(value, str):
            _refuse_bad_text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _refuse_bad_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list | tuple):
            stack.extend((item, depth + 1) for item in value)


def _refuse_bad_text(text: object) -> None:
    if not isinstance(text, str):
        return
    if "\x00" in text:
        raise WorkshopError(t("Text must not contain the NUL character (\\u0000)"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise WorkshopError(
            t("Text must not contain an unpaired surrogate (such as \\ud800): send valid Unicode")
        ) from None


def check(model: type[M], data: object) -> M:
    """`data` as a `model`, or a WorkshopError naming the first field that is wrong."""
    check_text(data)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise WorkshopError(_explain(model, error.errors()[0])) from None


def check_control(data: object) -> Body:
    """A control body as its action's model; an unknown or missing action lists the known ones."""
    check_text(data)
    try:
        return _CONTROL.validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] in ("union_tag_invalid", "union_tag_not_found"):
            raise WorkshopError(t("action must be one of: {known}", known=CONTROL_ACTIONS)) from None
        tag = first["loc"][0] if first["loc"] else ""
        model = next((m for m in CONTROLS if tag in m.model_fields["action"].annotation.__args__), Body)
        raise WorkshopError(_explain(model, {**first, "loc": first["loc"][1:]})) from None


def check_value(adapter: TypeAdapter, value: object, name: str) -> Any:
    """One argument (not a body) checked against a type: a position, a round, a flag."""
    try:
        return adapter.validate_python(value, strict=True)
    except ValidationError as error:
        raise WorkshopError(_message(error.errors()[0], t(name), _bounds(adapter))) from None


POSITION = TypeAdapter(Position)
ROUND = TypeAdapter(Round)
STEP = TypeAdapter(Annotated[int, Field(ge=-1, le=1)])
FLAG = TypeAdapter(bool)


def _bounds(adapter: TypeAdapter) -> tuple[object, object]:
    schema = adapter.json_schema()
    return schema.get("minimum"), schema.get("maximum")


def _explain(model: type[BaseModel], error: dict) -> str:
    loc = error["loc"]
    field = loc[0] if loc else None
    if model is NewWorkshop and field == "items" and len(loc) > 1:
        position = loc[1] + 1 if isinstance(loc[1], int) else 1
        if loc[-1] == "title":
            name = t(AgendaEntry.model_fields["title"].title)
            low_high = _field_bounds(AgendaEntry, "title")
            return t("Agenda item {n}: ", n=position) + _message(error, name, low_high)
        return t(AGENDA_HINT, n=position)
    if field in getattr(model, "messages", {}):
        return t(model.messages[field], max_items=MAX_ITEMS, join_length=JOIN_LENGTH)
    info = model.model_fields.get(field) if isinstance(field, str) else None
    name = t(info.title) if info is not None and info.title else str(field or t("The body"))
    return _message(error, name, _field_bounds(model, field))


def _field_bounds(model: type[BaseModel], field: object) -> tuple[object, object]:
    info = model.model_fields.get(field) if isinstance(field, str) else None
    low = high = None
    for rule in info.metadata if info is not None else ():
        low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
        high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
    return low, high


def _choices(error: dict) -> str:
    expected = (error.get("ctx") or {}).get("expected", "")
    return ", ".join(part.strip(" '") for part in expected.replace(" or ", ",").split(","))


def _message(error: dict, name: str, bounds: tuple[object, object]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    low, high = bounds
    if kind == "missing":
        return t("{name} is required", name=name)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return t("{name} must be a whole number", name=name)
    if kind in ("greater_than_equal", "less_than_equal"):
        return t("{name} must be between {low} and {high}", name=name, low=low, high=high)
    if kind == "string_type":
        return t("{name} must be text", name=name)
    if kind == "string_too_short":
        return t("{name} is required", name=name)
    if kind == "string_too_long":
        return t("{name} is longer than {n} characters", name=name, n=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return t("{name} must look like kind:id, for example pilot:turku", name=name)
    if kind == "bool_type":
        return t("{name} must be true or false", name=name)
    if kind == "literal_error":
        return t("{name} must be one of: {choices}", name=name, choices=_choices(error))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return t("{name} must be a JSON object", name=name)
    return t("{name}: {why}", name=name, why=error.get("msg", ""))
