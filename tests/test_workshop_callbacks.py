"""Every workshop callback called directly, on the bundled data and a temporary SQLite database: what the
facilitator, the phone and the projector would see, and what the service stored."""

from __future__ import annotations

import json

import pytest
from dash import no_update
from dash.exceptions import PreventUpdate

from callbacks import workshop as cb
from crosspilot import access, views
from crosspilot.workshop import WorkshopError
from layouts import ids
from layouts import workshop as page
from tests.conftest import make_app
from tests.helpers import by_id, component_ids, post_callback, text_of, walk


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workshop")
    return make_app(database_url=f"sqlite:///{folder / 'w.db'}", admin_password="admin-pass-123")


@pytest.fixture(autouse=True)
def as_partner():
    """The set-up callbacks act for a signed-in partner (crosspilot.access), as in the app."""
    with access.acting_as("partner"):
        yield


@pytest.fixture(scope="module")
def context(app):
    return app.context


@pytest.fixture(scope="module")
def lesson(context):
    return next((ref, title) for ref, title in context.derived.catalogue.items() if ref.startswith("lesson:"))


class Room:
    """A workshop made through the set-up callback, as the facilitator would make it."""

    def __init__(self, context, agenda: str):
        panel = cb.create(context, "Validation day", agenda, 2)
        self.text = text_of(panel)
        links = {i: c.href for c in walk(panel) if isinstance(getattr(c, "id", None), str) for i in [c.id]}
        facilitate = links[ids.WORKSHOP_CREATED_FACILITATE]
        self.id = facilitate.split("w=")[1].split("#")[0]
        self.key = facilitate.split("#key=")[1]
        self.code = links[ids.WORKSHOP_CREATED_JOIN].split("code=")[1]
        self.links = links

    def act(self, context, trigger, **values):
        return cb.act(context, trigger, self.id, self.key, **values)


@pytest.fixture
def room(context, lesson):
    return Room(context, f"{lesson[0]}\n/data\ngovernance:hull")


def phone(context, room, pilot="hull", stakeholder="citizen") -> dict:
    joined = cb.join(context, room.code, pilot, stakeholder)
    assert joined["message"] is None
    return joined["token"]


def vote(context, stance, token, position, confidence, comment):
    """A vote as the phone sends it (assets/40-workshop.js posts it to the JSON API, which calls this)."""
    context.workshop().vote(token["token"], position, stance, confidence, comment)


# --- set-up -------------------------------------------------------------------------------------


def test_create_shows_the_join_code_and_links_and_saves_the_agenda(context, room, lesson):
    assert "Workshop created" in room.text and room.code in room.text
    assert room.links[ids.WORKSHOP_CREATED_PRESENT] == f"/workshop/present?w={room.id}&theme=projector"
    state = context.workshop().state(room.id)
    assert [i["ref"] for i in state["agenda"]] == [lesson[0], "/data", "governance:hull"]
    assert state["rounds_planned"] == 2 and state["item"]["title"] == lesson[1]


def test_a_saved_slide_keeps_the_canonical_link_of_its_view(context, lesson):
    room = Room(context, f"{lesson[0]}\nhttp://127.0.0.1:8050/?theme=projector\n/data")
    assert [i["ref"] for i in context.workshop().state(room.id)["agenda"]][1:] == ["/", "/data"]


@pytest.mark.parametrize(
    "line, reason",
    [
        ("/data?indicator=x", "Agenda item 2 (/data?indicator=x): The link's unknown parameter 'indicator'"),
        ("/nowhere?a=1", "Agenda item 2 (/nowhere?a=1): no page at /nowhere"),
        (
            "javascript:alert(1)",
            "Agenda item 2: use lesson:<id>, governance:<pilot id> or a page link such as",
        ),
    ],
)
def test_create_refuses_a_slide_its_page_cannot_read_and_says_why(context, lesson, line, reason):
    message = text_of(cb.create(context, "Day", f"{lesson[0]}\n{line}", 1))
    assert reason in message and "Workshop created" not in message


def test_the_refusal_names_a_slide_example_that_is_itself_accepted(context, lesson):
    message = text_of(cb.create(context, "Day", "not an item", 1))
    example = message.rsplit(" ", 1)[-1]
    assert example.startswith("/compare?")
    room = Room(context, f"{lesson[0]}\n{example}")
    saved = context.workshop().state(room.id)["agenda"][1]["ref"]
    assert views.parse_link(context.derived, saved).view == views.parse_link(context.derived, example).view


def test_an_old_compare_link_is_saved_as_the_view_it_meant(context, lesson):
    room = Room(context, f"{lesson[0]}\n/compare?indicator=participants&mode=indexed")
    saved = context.workshop().state(room.id)["agenda"][1]["ref"]
    view = views.parse_link(context.derived, saved).view
    assert view.indicators == ("participants",) and view.mode == "indexed"
    assert "indicator=" not in saved


def test_create_shows_the_services_refusal(context, lesson):
    assert "Title is required" in text_of(cb.create(context, "", lesson[0], 1))
    assert "between 1 and 5" in text_of(cb.create(context, "Day", lesson[0], 9.0))


# --- the phone ----------------------------------------------------------------------------------


def test_join_keeps_a_token_and_a_wrong_code_says_so(context, room):
    token = phone(context, room)
    me = context.workshop().participant(token["token"])
    assert token["workshop"] == room.id and me["pilot_id"] == "hull"
    refused = cb.join(context, "NOPE", "*", "*")  # "*": the selects' "Prefer not to say"
    assert refused["token"] is no_update and "join code" in text_of(refused["message"]).lower()


def test_follow_shows_the_form_until_the_phone_has_joined(context, room):
    shown = cb.follow(context, None, None, room.code)
    assert shown["form_hidden"] is False and shown["panel_hidden"] is True
    assert shown["send_disabled"] is True and shown["evidence"] is None
    forged = cb.follow(context, {"token": ["not", "a", "token"]}, None, room.code)
    assert forged["form_hidden"] is False


def test_follow_shows_the_item_and_whether_voting_is_open(context, room, lesson):
    token = phone(context, room)
    closed = cb.follow(context, token, None, room.code)
    assert closed["form_hidden"] is True and closed["item"] == lesson[1]
    assert closed["status"] == "Voting is closed for now" and closed["send_disabled"] is True
    assert closed["comment"] == "" and closed["stance"] is None  # a new item empties the ballot
    assert (closed["send_position"], closed["send_workshop"]) == ("0", room.id)
    # The phone sees the lesson's claim: its summary, strength and how many pilots evidence it.
    claim = text_of(closed["evidence"])
    lesson_card = next(x for x in context.snapshot.lessons if f"lesson:{x.id}" == lesson[0])
    assert lesson_card.summary in claim and "Strength" in claim and "Evidenced in" in claim
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    opened = cb.follow(context, token, 0, room.code)
    assert opened["status"] == "Voting is open" and opened["send_disabled"] is False
    # The same item keeps what is being composed, and its evidence is not drawn again.
    assert opened["comment"] is no_update and opened["stance"] is no_update
    assert opened["evidence"] is no_update


def test_an_idle_poll_answers_nothing_changed_and_the_room_moving_redraws(context, room):
    from dash.exceptions import PreventUpdate

    token = phone(context, room)
    first = cb.follow(context, token, None, room.code)
    with pytest.raises(PreventUpdate):  # the room has not moved: one small query, nothing redrawn
        cb.follow(context, token, 0, room.code, seen=first["seen"])
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    moved = cb.follow(context, token, 0, room.code, seen=first["seen"])
    assert moved["status"] == "Voting is open" and moved["seen"]["version"] > first["seen"]["version"]
    # Another phone's token never rides on this phone's memory of the room.
    other = phone(context, room, pilot="turku")
    assert cb.follow(context, other, 0, room.code, seen=moved["seen"])["item"] == moved["item"]
    # While a timer runs, every poll redraws (the seconds left change).
    room.act(context, ids.WORKSHOP_FAC_TIMER, seconds=45)
    timed = cb.follow(context, token, 0, room.code, seen=moved["seen"])
    assert timed["seen"]["timer"] is True and "s left" in timed["status"]
    assert "s left" in cb.follow(context, token, 0, room.code, seen=timed["seen"])["status"]


def test_follow_on_a_slide_and_with_another_workshops_code(context, room, lesson):
    token = phone(context, room)
    room.act(context, ids.WORKSHOP_FAC_NEXT)
    slide = cb.follow(context, token, 0, room.code)
    assert slide["status"] == "Look at the screen: this is a slide." and slide["send_disabled"] is True
    other = Room(context, lesson[0])
    assert cb.follow(context, token, 0, other.code)["form_hidden"] is False


def test_the_phone_reads_back_the_vote_the_server_holds(context, room):
    token = phone(context, room)
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    vote(context, "agree", token, 0, 4, "Works with librarians")
    assert cb.follow(context, token, 0, room.code)["feedback"] == (
        "The server holds your vote: Agree, confidence 4, with a comment."
    )
    vote(context, "disagree", token, 0, 2, "")
    results = context.workshop().results(room.id, 0)
    assert results.total == 1 and results.counts["disagree"] == 1
    assert cb.follow(context, token, 0, room.code)["feedback"] == (
        "The server holds your vote: Disagree, confidence 2."
    )


def test_the_phone_page_has_one_send_button_and_grouped_radios(context):
    layout = page.join_layout(context, {}, "standard")
    stance = by_id(layout, ids.WORKSHOP_STANCE)
    confidence = by_id(layout, ids.WORKSHOP_CONFIDENCE)
    # One name per group: one Tab stop each, arrow keys move the choice.
    assert stance.name == "workshop-stance" and confidence.name == "workshop-confidence"
    assert [o["value"] for o in stance.options] == ["agree", "agree_with_changes", "disagree", "cant_judge"]
    assert stance.value is None  # nothing is sent until the participant presses Send
    send = by_id(layout, ids.WORKSHOP_SEND)
    assert send.children == "Send my vote" and send.disabled is True
    status = by_id(layout, ids.WORKSHOP_SEND_STATUS).to_plotly_json()["props"]
    assert "kept on this phone" in status["data-retry"] and "{stance}" in status["data-stored"]


# --- facilitator --------------------------------------------------------------------------------


def test_each_facilitator_button_changes_the_room(context, room):
    s = context.workshop()
    done = room.act(context, ids.WORKSHOP_FAC_OPEN, tick=4)
    assert done == {"message": None, "tick": 5} and s.state(room.id)["voting_open"]
    room.act(context, ids.WORKSHOP_FAC_CLOSE)
    assert not s.state(room.id)["voting_open"]
    room.act(context, ids.WORKSHOP_FAC_REVEAL)
    assert s.state(room.id)["revealed"]
    room.act(context, ids.WORKSHOP_FAC_HIDE)
    assert not s.state(room.id)["revealed"]
    room.act(context, ids.WORKSHOP_FAC_NEXT)
    assert s.state(room.id)["position"] == 1
    room.act(context, ids.WORKSHOP_FAC_PREV)
    assert s.state(room.id)["position"] == 0
    room.act(context, ids.workshop_goto(2))
    assert s.state(room.id)["position"] == 2
    room.act(context, ids.WORKSHOP_FAC_TIMER, seconds=90.0)
    assert s.state(room.id)["seconds_left"] == 90
    room.act(context, ids.WORKSHOP_FAC_ROUND)
    assert s.state(room.id)["round"] == 2


def test_recording_an_outcome_says_so_and_keeps_the_decision(context, room, lesson):
    done = room.act(
        context, ids.WORKSHOP_FAC_OVERRIDE, status="contested", reason="Rural pilots disagree", by="Ann"
    )
    assert text_of(done["message"]) == "Outcome recorded."
    decision = context.workshop().decisions_for(lesson[0])[-1]
    assert (decision.status, decision.reason) == ("contested", "Rural pilots disagree")
    assert "Ann" in decision.decided_by


def test_hiding_a_comment_takes_it_off_the_projector(context, room):
    token = phone(context, room)
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    vote(context, "agree", token, 0, 3, "Off topic")
    room.act(context, ids.WORKSHOP_FAC_REVEAL)
    assert "Off topic" in text_of(cb.present(context, room.id)["view"])
    comment = context.workshop().comments(room.id, 0, include_hidden=True)[0]
    room.act(context, ids.workshop_hide_comment(comment["id"]))
    assert "Off topic" not in text_of(cb.present(context, room.id)["view"])


def test_a_wrong_key_changes_nothing_and_says_why(context, room):
    refused = cb.act(context, ids.WORKSHOP_FAC_OPEN, room.id, "not-the-key", tick=1)
    assert "facilitator key" in text_of(refused["message"]) and refused["tick"] is no_update
    assert not context.workshop().state(room.id)["voting_open"]
    assert cb.act(context, "unknown-button", room.id, room.key) == {"message": no_update, "tick": no_update}


def test_facilitator_view_shows_the_item_results_and_decisions(context, room, lesson):
    token = phone(context, room, pilot="turku")
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    vote(context, "agree", token, 0, 5, "<b>bold</b>")
    room.act(context, ids.WORKSHOP_FAC_OVERRIDE, status="validated", reason="Clear", by="Ann")
    shown = cb.facilitator_view(context, room.id, room.key)
    text = text_of(shown["view"])
    assert f"Item 1 of 3: {lesson[1]}" in text
    assert "voting open" in shown["status"] and "1 joined" in shown["status"]
    assert "agreement 100%" in text and "<b>bold</b>" in text
    assert "Validated — Ann (facilitator): Clear" in text
    short = context.derived.pilots.short["turku"]
    assert short in text
    assert lesson[1] in text_of(shown["agenda"])
    assert cb.facilitator_view(context, room.id, room.key, shown["digest"]) == {
        "status": no_update,
        "view": no_update,
        "agenda": no_update,
        "digest": no_update,
    }
    assert "facilitator key" in text_of(cb.facilitator_view(context, room.id, "wrong")["view"])


def test_a_running_timer_redraws_only_the_status_line(context, room):
    """Focus stays where it is: the agenda and the item's controls are not sent again."""
    shown = cb.facilitator_view(context, room.id, room.key)
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    room.act(context, ids.WORKSHOP_FAC_TIMER, seconds=45)
    ticking = cb.facilitator_view(context, room.id, room.key, shown["digest"])
    assert "45 s left" in ticking["status"] and "voting open" in ticking["status"]
    assert ticking["agenda"] is no_update and ticking["view"] is no_update
    moved = cb.facilitator_view(context, room.id, room.key, ticking["digest"])
    assert moved["agenda"] is no_update  # nothing changed but, perhaps, the seconds
    room.act(context, ids.WORKSHOP_FAC_NEXT)
    after = cb.facilitator_view(context, room.id, room.key, ticking["digest"])
    assert after["agenda"] is not no_update and after["view"] is not no_update


def test_export_downloads_each_report_and_refuses_a_wrong_key(context, room):
    token = phone(context, room)
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    vote(context, "agree", token, 0, 3, "- first\n- second")
    csv = cb.export(context, "csv", room.id, room.key)["download"]
    assert csv["filename"] == f"workshop-{room.id}.csv" and csv["content"].startswith("round,position")
    md = cb.export(context, "md", room.id, room.key)["download"]
    assert md["filename"].endswith(".md") and "# Validation day" in md["content"]
    report = cb.export(context, "html", room.id, room.key)["download"]
    assert report["filename"].endswith(".html")
    assert "<ul>\n<li>first</li>\n<li>second</li>\n</ul>" in report["content"]
    refused = cb.export(context, "csv", room.id, "wrong")
    assert refused["download"] is no_update and "facilitator key" in text_of(refused["message"])


# --- projector ----------------------------------------------------------------------------------


def test_projector_counts_votes_and_shows_results_once_revealed(context, room):
    for pilot, stance in (("hull", "agree"), ("turku", "disagree")):
        token = phone(context, room, pilot=pilot)
        room.act(context, ids.WORKSHOP_FAC_OPEN)
        vote(context, stance, token, 0, 3, "")
    hidden = text_of(cb.present(context, room.id)["view"])
    assert "2 votes so far" in hidden and "Agree" not in hidden
    room.act(context, ids.WORKSHOP_FAC_REVEAL)
    view = cb.present(context, room.id)["view"]
    text = text_of(view)
    assert "agreement 50%" in text and "consensus" in text
    assert context.derived.pilots.short["hull"] in text
    assert ids.WORKSHOP_PRESENT_GRAPH in component_ids(view)
    room.act(context, ids.WORKSHOP_FAC_NEXT)
    slide = cb.present(context, room.id)["view"]
    assert [c.href for c in walk(slide) if getattr(c, "className", "") == "workshop-slide-link"] == [
        "/data?theme=projector"
    ]
    assert "No such workshop" in text_of(cb.present(context, "missing")["view"])


# --- the wiring, through Dash's own endpoint -----------------------------------------------------


def _join_through_dash(client, code: str):
    return post_callback(
        client,
        f"..{ids.WORKSHOP_TOKEN}.data...{ids.WORKSHOP_JOIN_MESSAGE}.children..",
        [
            {"id": ids.WORKSHOP_TOKEN, "property": "data"},
            {"id": ids.WORKSHOP_JOIN_MESSAGE, "property": "children"},
        ],
        [{"id": ids.WORKSHOP_JOIN_BUTTON, "property": "n_clicks", "value": 1}],
        [f"{ids.WORKSHOP_JOIN_BUTTON}.n_clicks"],
        [
            {"id": ids.WORKSHOP_JOIN_CODE, "property": "value", "value": code},
            {"id": ids.WORKSHOP_JOIN_PILOT, "property": "value", "value": "hull"},
            {"id": ids.WORKSHOP_JOIN_STAKEHOLDER, "property": "value", "value": "*"},
        ],
    )


def test_dict_grouped_callbacks_answer_through_dash(app, room):
    client = app.server.test_client()
    response = _join_through_dash(client, room.code)
    assert response.status_code == 200, response.get_data(as_text=True)
    token = json.loads(response.get_data())["response"][ids.WORKSHOP_TOKEN]["data"]
    assert token["workshop"] == room.id
    assert app.context.workshop().participant(token["token"])["pilot_id"] == "hull"


def test_the_join_page_admits_one_participant_per_browser_as_the_api_does(app, room):
    service = app.context.workshop()
    first_phone, second_phone = app.server.test_client(), app.server.test_client()
    tokens = [
        json.loads(_join_through_dash(client, room.code).get_data())["response"][ids.WORKSHOP_TOKEN]["data"]
        for client in (first_phone, first_phone, second_phone)
    ]
    with pytest.raises(WorkshopError, match="Join the workshop first"):
        service.participant(tokens[0]["token"])  # the rejoin from that browser replaced its token
    assert all(service.participant(t["token"])["workshop_id"] == room.id for t in tokens[1:])
    state = service.state(room.id)
    assert (state["joins"], state["participants"]) == (3, 2)  # three joins, two people


# --- layouts ------------------------------------------------------------------------------------


def test_join_page_reads_its_code_and_names_pilots_in_full(context):
    layout = page.join_layout(context, {"code": "ab12cd34"}, "standard")
    code = by_id(layout, ids.WORKSHOP_JOIN_CODE)
    assert code.value == "ab12cd34"
    pilots = by_id(layout, ids.WORKSHOP_JOIN_PILOT)
    labels = [o["label"] for o in pilots.options]
    assert labels[0] == "Prefer not to say" and labels[1:] == list(context.derived.pilots.long.values())
    assert "Part of this link" not in text_of(layout)


def test_workshop_pages_say_what_their_link_asked_for_that_they_cannot_read(context):
    join = text_of(page.join_layout(context, {"code": "<script>"}, "standard"))
    assert "code='<script>' was ignored" in join
    facilitate = page.facilitate_layout(context, {"w": "../etc", "key": "x"}, "standard")
    assert "w='../etc' was ignored" in text_of(facilitate) and "unknown parameter 'key'" in text_of(
        facilitate
    )
    store = by_id(facilitate, ids.WORKSHOP_FAC_ID)
    assert store.data == ""
    present = page.present_layout(context, {"w": "abc_DEF-12"}, "projector")
    assert by_id(present, ids.WORKSHOP_PRESENT_ID).data == ("abc_DEF-12")


def test_setup_page_lists_what_can_go_on_the_agenda_with_a_real_slide_example(context):
    text = text_of(page.setup_layout(context, {}, "standard"))
    assert "such as /compare?indicators=participants" in text
    assert "indicator=x" not in text
    for ref, title in list(context.derived.catalogue.items())[:3]:
        assert ref in text and title in text


# --- issue 10: practice runs, decisions in the room, rounds compared, the agenda picker ------------


def test_a_practice_run_records_outcomes_only_in_its_own_trail(context, lesson):
    before = list(context.workshop().decisions_for(lesson[0]))
    panel = cb.create(context, "Rehearsal", f"{lesson[0]}\ngovernance:hull", 1, practice=True)
    facilitate = next(
        c.href for c in walk(panel) if getattr(c, "id", None) == ids.WORKSHOP_CREATED_FACILITATE
    )
    room_id, key = facilitate.split("w=")[1].split("#")[0], facilitate.split("#key=")[1]
    code = context.workshop().state(room_id)["join_code"]
    cb.act(context, ids.WORKSHOP_FAC_OPEN, room_id, key)
    for pilot in ("hull", "turku", "voru"):
        token = cb.join(context, code, pilot, "*")["token"]
        vote(context, "agree", token, 0, 4, "")
    cb.act(context, ids.WORKSHOP_FAC_CLOSE, room_id, key)
    cb.act(context, ids.WORKSHOP_FAC_OVERRIDE, room_id, key, status="contested", reason="Only a rehearsal")
    # Nothing reached the decisions a lesson's status and the roadmap are read from.
    assert context.workshop().decisions_for(lesson[0]) == before
    assert [d.status for d in context.workshop().outcomes(room_id)] == ["validated", "contested"]
    # Every screen says "Practice"; the room sees the decision with its reason.
    shown = cb.facilitator_view(context, room_id, key)
    assert shown["status"].startswith("Practice") and "Practice" in text_of(shown["view"])
    assert "Only a rehearsal" in text_of(shown["view"])
    projector = text_of(cb.present(context, room_id)["view"])
    assert "Practice" in projector and "Decision: Contested — Only a rehearsal" in projector
    assert cb.follow(context, token, 0, code)["status"].startswith("Practice")
    report = cb.export(context, "md", room_id, key)["download"]["content"]
    assert "Rehearsal — Practice" in report and "**Contested**" in report


def test_the_projector_shows_the_decision_in_force_with_its_reason(context, room):
    assert "Decision:" not in text_of(cb.present(context, room.id)["view"])
    room.act(context, ids.WORKSHOP_FAC_OVERRIDE, status="needs_evidence", reason="Two pilots only", by="Ann")
    shown = text_of(cb.present(context, room.id)["view"])
    assert "Decision: Needs evidence — Two pilots only" in shown and "Ann (facilitator)" in shown


def test_a_report_gives_no_outcome_for_an_item_never_voted_on(context, room):
    report = cb.export(context, "md", room.id, room.key)["download"]["content"]
    assert "not voted on" in report and "Needs evidence" not in report
    csv = cb.export(context, "csv", room.id, room.key)["download"]["content"]
    assert "needs_evidence" not in csv


def test_rounds_are_compared_stance_by_stance_with_who_changed(context, room):
    tokens = [phone(context, room, pilot=p) for p in ("hull", "turku", "voru")]
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    for token, stance in zip(tokens, ("agree", "agree", "disagree"), strict=True):
        vote(context, stance, token, 0, 3, "")
    room.act(context, ids.WORKSHOP_FAC_ROUND)
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    for token, stance in zip(tokens, ("agree", "agree", "agree"), strict=True):
        vote(context, stance, token, 0, 3, "")
    compared = context.workshop().rounds_compared(room.id, 0)
    assert [r["counts"]["agree"] for r in compared] == [2, 3]
    assert (compared[1]["changed"], compared[1]["both"]) == (1, 3)
    text = text_of(cb.facilitator_view(context, room.id, room.key)["view"])
    assert "Rounds compared" in text and "agree with changes” as agreeing" in text
    assert "1 of 3" in text  # one of the three who voted twice changed their stance


def test_the_agenda_picker_adds_a_line_it_offers_and_nothing_else(context, lesson):
    assert cb.add_to_agenda(context, lesson[0], "") == lesson[0]
    assert cb.add_to_agenda(context, "governance:hull", lesson[0]) == f"{lesson[0]}\ngovernance:hull"
    assert cb.add_to_agenda(context, lesson[0], lesson[0]) == lesson[0]  # not twice
    with pytest.raises(PreventUpdate):
        cb.add_to_agenda(context, "javascript:alert(1)", "")
    setup = page.setup_layout(context, {}, "standard")
    assert by_id(setup, ids.WORKSHOP_AGENDA).value == ""  # typed items are never appended to 15 lessons
    # The picker's value is the option the browser shows first: "Add" at once adds that one.
    picker = by_id(setup, ids.WORKSHOP_PICKER)
    first = picker.options[0]["value"]
    assert picker.value == first
    assert cb.add_to_agenda(context, picker.value, "") == first


def test_a_45_second_timer_is_accepted(context, room):
    assert room.act(context, ids.WORKSHOP_FAC_TIMER, seconds=45)["message"] is None
    assert context.workshop().state(room.id)["seconds_left"] == 45
    layout = page.facilitate_layout(context, {"w": room.id}, "standard")
    assert by_id(layout, ids.WORKSHOP_FAC_TIMER_SECONDS).step == 1


def test_a_saved_view_is_drawn_as_that_view_on_every_screen(context, lesson):
    room = Room(context, f"{lesson[0]}\n/compare?indicator=participants&form=bars\n/networks?pilot=hull")
    room.act(context, ids.WORKSHOP_FAC_NEXT)
    projector = cb.present(context, room.id)["view"]
    graph = by_id(projector, ids.WORKSHOP_SLIDE_GRAPH)
    # The Compare page's own bars of participants (bars per provenance, "no data" marks beside them).
    assert "bar" in {trace.type for trace in graph.figure.data}
    assert "Participants" in graph.figure.layout.title.text
    token = phone(context, room)
    on_phone = cb.follow(context, token, None, room.code)
    assert on_phone["item"] == "Compare: Participants"
    assert ids.WORKSHOP_PICK_GRAPH in component_ids(on_phone["evidence"])  # its marks can be tapped
    assert "Table of the values" in text_of(on_phone["evidence"])  # one tap away
    room.act(context, ids.WORKSHOP_FAC_NEXT)
    network = by_id(cb.present(context, room.id)["view"], ids.WORKSHOP_SLIDE_NETWORK)
    assert len([e for e in network.elements if "source" not in e["data"]]) > 5  # the actors


def test_a_lesson_history_names_the_workshop_that_decided_its_facilitator_and_the_date_in_words(context):
    from layouts import lessons as lesson_page

    service = context.workshop()
    lesson_id = next(x.id for x in context.snapshot.lessons)
    room = service.create_workshop(
        "Hull validation day", [f"lesson:{lesson_id}"], facilitator_name="Ana Ruiz"
    )
    service.override(room.workshop_id, room.facilitator_secret, 0, "contested", "Two pilots disagree")
    [decision] = [
        d for d in service.decisions_for(f"lesson:{lesson_id}") if d.workshop_id == room.workshop_id
    ]
    assert (decision.workshop_title, decision.facilitator_name) == ("Hull validation day", "Ana Ruiz")
    shown = text_of(lesson_page.layout(context, {"lesson": lesson_id}, "standard"))
    assert "Workshop “Hull validation day”, facilitated by Ana Ruiz" in shown
    assert context.fmt.datetime(decision.decided_at) in shown and decision.decided_at.isoformat() not in shown


def test_the_reports_compare_rounds_stance_by_stance_with_the_changed_stances(context, lesson):
    from crosspilot.workshop.report import to_html, to_markdown

    service = context.workshop()
    room = service.create_workshop("Delphi", [lesson[0]], rounds=2)
    key = room.facilitator_secret
    tokens = [service.join(room.join_code)[1] for _ in range(3)]
    service.set_voting(room.workshop_id, key, True)
    for token, stance in zip(tokens, ("agree", "disagree", "disagree"), strict=True):
        service.vote(token, 0, stance, 3)
    service.new_round(room.workshop_id, key)
    service.set_voting(room.workshop_id, key, True)
    for token, stance in zip(tokens, ("agree", "agree_with_changes", "disagree"), strict=True):
        service.vote(token, 0, stance, 3)
    summary = service.summary(room.workshop_id)
    markdown = to_markdown("Delphi", summary)
    section = markdown.split("## Rounds compared", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and line[2].isdigit()]
    # Round 2: one agree, one agree with changes, one disagree; of the three, one changed stance.
    assert rows[0].startswith("| 1 | 1 | 0 | 2 | 0 |") and rows[0].endswith("| – |")
    assert rows[1].startswith("| 2 | 1 | 1 | 1 | 0 |") and rows[1].endswith("| 1 of 3 |")
    assert "Agreement counts “agree” and “agree with changes”" in markdown
    page = to_html("Delphi", summary)
    assert "Rounds compared" in page and "<td>1 of 3</td>" in page


def test_the_facilitator_is_told_the_database_is_unavailable_and_keeps_the_screen(context, room, monkeypatch):
    from crosspilot.workshop.store import unavailable

    shown = cb.facilitator_view(context, room.id, room.key)
    service = context.workshop()

    def down(*_args, **_kwargs):
        raise unavailable(ConnectionRefusedError())

    monkeypatch.setattr(type(service), "state", down)
    during = cb.facilitator_view(context, room.id, room.key, shown["digest"])
    assert text_of(during["status"]).startswith("Database unavailable: The workshop database is unavailable")
    assert during["view"] is no_update and during["agenda"] is no_update  # the screen keeps the room
    monkeypatch.undo()
    after = cb.facilitator_view(context, room.id, room.key, during["digest"])
    assert after["status"] is not no_update and text_of(after["status"]) == text_of(shown["status"])


def test_votes_on_a_data_slides_marks_reach_the_projector_the_facilitator_and_the_report(context):
    room = Room(context, "/compare?indicators=participants\n/networks?pilot=hull")
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    token = phone(context, room)
    shown = cb.follow(context, token, None, room.code)
    # The phone offers the slide's pilots to attach the vote to, the whole view first.
    assert shown["mark_hidden"] is False and shown["send_disabled"] is False
    offered = {o["value"]: o["label"] for o in shown["mark_options"]}
    assert offered["pilot:turku"] == context.derived.pilots.short["turku"] and shown["mark_value"] == "*"
    graph = by_id(shown["evidence"], ids.WORKSHOP_PICK_GRAPH)
    # A drawn point carries its mark, so a tap on it chooses the pilot.
    drawn = next(m for trace in graph.figure.data for m in (trace.customdata or ()))
    assert drawn in offered
    context.workshop().vote(token["token"], 0, "disagree", 3, "Not comparable: one event", mark=drawn)
    again = cb.follow(context, token, 0, room.code)
    assert "about " + offered[drawn] in again["feedback"]

    # The projector draws the count beside that pilot's mark before any reveal; the comment waits.
    projector = cb.present(context, room.id)["view"]
    chart = by_id(projector, ids.WORKSHOP_SLIDE_GRAPH).figure
    (note,) = [a for a in chart.layout.annotations if "votes: 1" in (a.text or "")]
    assert note.text == "<b>votes: 1 · comments: 1</b>" and note.y == offered[drawn]
    assert "Not comparable: one event" not in text_of(projector)
    room.act(context, ids.WORKSHOP_FAC_REVEAL)
    revealed = text_of(cb.present(context, room.id)["view"])
    assert "Not comparable: one event" in revealed and "rules say" not in revealed

    # The facilitator opens the comments of one mark.
    view = cb.facilitator_view(context, room.id, room.key)["view"]
    (opened,) = [c for c in walk(view) if type(c).__name__ == "Details" and "votes: 1" in text_of(c)]
    assert "Not comparable: one event" in text_of(opened)
    report = cb.export(context, "md", room.id, room.key)["download"]["content"]
    assert "## 1. Compare: Participants" in report and "Not comparable: one event" in report

    # On a network, a vote on an actor is drawn on that actor.
    room.act(context, ids.WORKSHOP_FAC_NEXT)
    room.act(context, ids.WORKSHOP_FAC_OPEN)
    actor = next(m for m in context.derived.slide_marks("/networks?pilot=hull") if m.startswith("actor:"))
    context.workshop().vote(token["token"], 1, "agree", 3, "", mark=actor)
    network = by_id(cb.present(context, room.id)["view"], ids.WORKSHOP_SLIDE_NETWORK)
    (voted,) = [e for e in network.elements if "has-votes" in e.get("classes", "")]
    assert voted["data"]["pick"] == actor and "votes: 1 · comments: 0" in voted["data"]["label"]
    with pytest.raises(WorkshopError, match="is not drawn on this item"):
        context.workshop().vote(token["token"], 1, "agree", 3, "", mark="pilot:turku")
