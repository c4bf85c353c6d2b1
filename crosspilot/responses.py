"""Answers that repeat: a callback whose answer depends only on what the browser sends, the language,
the role and the data version is answered once per worker, then from memory.

In a workshop, thirty phones and the projector ask for the same few views; a policy maker's link is
opened by many. Compare's chart and table and the Networks drawing are such callbacks (marked
`repeatable` where they are wired). The key is the request's whole body (every input and state the
callback reads, the theme included) with the request's language, role and the served data version, so a
new dataset version, another language or a partner's view never sees another's answer. A handler whose
answer is provisional (a network still being analysed) calls `provisional()` and it is not kept.

Only 200 JSON answers of at most 2 MB are kept, at most `limit_bytes` (16 MB) in all (the least
recently used go first). Set CROSSPILOT_RESPONSE_CACHE=0 to answer every request afresh (benchmarks
compare both).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Flask, Response, g, request

DISPATCH = "/_dash-update-component"
_MAX_BODY = 4 << 20  # a request larger than this is answered afresh (and costs no hashing)
_MAX_ANSWER = 2 << 20


class ResponseCache:
    """Kept answers of one worker, least recently used first."""

    def __init__(self, limit_bytes: int = 16 << 20):
        self.limit = limit_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._answers: OrderedDict[bytes, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> tuple[bytes, str] | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: bytes, data: bytes, mimetype: str) -> None:
        if len(data) > min(_MAX_ANSWER, self.limit):
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self._answers[key] = (data, mimetype)
            self.size += len(data)
            while self.size > self.limit:
                _, (dropped, _) = self._answers.popitem(last=False)
                self.size -= len(dropped)


def provisional() -> None:
    """This request's answer may change without its inputs changing: do not keep it."""
    try:
        g.crosspilot_provisional = True
    except RuntimeError:  # outside a request (tests calling a handler directly): nothing to keep
        pass


def install(server: Flask, repeatable: set[str], key_of, cache: ResponseCache | None = None) -> ResponseCache:
    """Answer the callbacks whose output names are in `repeatable` from `cache`. `key_of()` gives what
    besides the body the answer depends on (language, role, data version) as bytes. Install after the
    hooks that set the language and the role: before_request hooks run in order."""
    cache = cache or ResponseCache()

    def key() -> bytes | None:
        if request.method != "POST" or request.path != DISPATCH or not repeatable:
            return None
        if (request.content_length or 0) > _MAX_BODY:
            return None
        body = request.get_data(cache=True)
        output = request.get_json(silent=True, cache=True)
        if not isinstance(output, dict) or output.get("output") not in repeatable:
            return None
        return hashlib.sha256(key_of() + b"\0" + body).digest()

    @server.before_request
    def _answer_again():
        k = key()
        if k is None:
            return None
        g.crosspilot_answer_key = k
        kept = cache.get(k)
        if kept is None:
            return None
        g.crosspilot_answered_again = True
        return Response(kept[0], mimetype=kept[1])

    @server.after_request
    def _keep(response: Response) -> Response:
        k = g.pop("crosspilot_answer_key", None)
        if (
            k is not None
            and not g.pop("crosspilot_answered_again", False)
            and not g.pop("crosspilot_provisional", False)
            and response.status_code == 200
            and response.mimetype == "application/json"
            and not response.is_streamed
            and "Content-Encoding" not in response.headers
        ):
            cache.put(k, response.get_data(), response.mimetype)
        return response

    return cache
