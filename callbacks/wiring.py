"""The one thin adapter between Dash and a page's callbacks: `handler(context, **values)`."""

from __future__ import annotations

from collections.abc import Callable

from dash import ctx


def wiring(app, context) -> Callable[..., None]:
    """`wire` for one app and its context: each page's `register` wires its callbacks through it."""
    return lambda handler, **how: wire(app, context, handler, **how)


def wire(
    app,
    context,
    handler: Callable,
    *,
    output,
    inputs: dict,
    state: dict | None = None,
    triggered: bool = False,
    repeatable: bool = False,
    **options,
) -> None:
    """Registers `handler` as the callback of `output` from the dict groups `inputs` and `state`.

    Each value reaches `handler` under its name in the group, except names starting with "_": those
    inputs (a poll, a click) only fire the callback. With `triggered`, the handler also gets the id of
    the control that fired it as `triggered` (None as the page loads). With `repeatable`, its answer
    depends only on its values, the language, the role and the data version: a request repeated is
    answered from memory (crosspilot.responses). `options` go to `app.callback`.
    """

    def adapter(**values):
        passed = {name: value for name, value in values.items() if not name.startswith("_")}
        if triggered:
            passed["triggered"] = ctx.triggered_id
        return handler(context, **passed)

    adapter.__name__ = adapter.__qualname__ = handler.__name__
    groups = {"inputs": inputs} if state is None else {"inputs": inputs, "state": state}
    before = set(app.callback_map)
    app.callback(output=output, **groups, **options)(adapter)
    if repeatable:
        # The name the browser sends as the request's "output": the key Dash just filed it under.
        repeatable_outputs(app).update(set(app.callback_map) - before)


def repeatable_outputs(app) -> set[str]:
    """The output names of `app`'s repeatable callbacks (what crosspilot.responses may answer again)."""
    return app.server.extensions.setdefault("crosspilot_repeatable", set())
