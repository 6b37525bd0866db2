"""Hypothesis strategies of raw JSON text for fuzzing `POST /v1/jobs`.

Written as text, not dumped from Python values, so they hold what `json.dumps` never
writes: NaN, Infinity, 1e400, 5000-digit integers, -0, lone surrogates as escapes, invalid
UTF-8, nesting thousands deep; mostly in the shape of a job, so that odd values reach the
spec's own fields and, in jobs that otherwise validate, the database and the broker.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

__all__ = ["Body", "raw_json"]

_NUMBERS = ["NaN", "-NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0", "0.0",
            "1E+308", "2e308", "1.5", "30", "1920", "0.000001",
            "123456789012345678901234567890", "1e2", "01", ".5", "5.", "+1", "0x10", "1_0"]
_KEYS = ["output", "elements", "response", "metadata", "webhook_url", "format", "width",
         "height", "fps", "duration", "background", "quality", "crf", "preset", "poster",
         "time", "type", "source", "text", "font", "font_size", "color", "start", "end",
         "track", "x", "y", "fit", "opacity", "volume", "loop", "trim_start", "fade_in",
         "fade_out", "id", "rotation", "scale", "value", "easing", "enter", "exit",
         "transition", "motion", "from", "to", "zoom", "focus", "template", "data"]
_WORDS = ["video", "image", "audio", "text", "overlay", "mp4", "webm", "gif", "async",
          "immediate", "sync", "cover", "contain", "center", "50%", "-10%", "100px",
          "#ff000080", "black@0.5", "asset:" + "0" * 64, "https://media.example.com/a.mp4",
          "http://127.0.0.1/x.png", "file:///etc/passwd", "ease-in-out", "ken-burns", ""]


def _string(text: str, ascii_only: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_only)


_strings = st.one_of(
    st.builds(_string, st.text(max_size=30), st.booleans()),
    st.builds(_string, st.sampled_from(_WORDS), st.just(False)),
    st.builds(lambda c: _string(chr(c), False), st.integers(0x10000, 0x10FFFF)),  # astral
    st.sampled_from(['"\\ud800"', '"\\udfff x"', '"a\\ud83d"', '"\\u0000"',
                     '"\\ud83d\\ude00"']),  # lone surrogates, NUL, a pair: as escapes
)
# long digit strings (past Python's 4300-digit conversion limit too), built when drawn so
# that the strategy's own repr stays short
_long_numbers = st.builds(lambda sign, digits: sign + "9" * digits, st.sampled_from(["", "-"]),
                          st.integers(300, 6000))
_numbers = st.one_of(st.sampled_from(_NUMBERS), _long_numbers)
_scalars = st.one_of(st.sampled_from(["null", "true", "false"]), _numbers,
                     st.builds(str, st.integers()), st.builds(repr, st.floats()), _strings)


def _object(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


_keys = st.one_of(st.builds(_string, st.sampled_from(_KEYS), st.just(False)), _strings)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.builds(lambda items: "[" + ", ".join(items) + "]", st.lists(inner, max_size=5)),
        st.builds(_object, st.lists(st.tuples(_keys, inner), max_size=6))),
    max_leaves=40)


def _deep(depth: int, opener: str) -> str:
    if opener == "[":
        return "[" * depth + "1" + "]" * depth
    return '{"x": ' * depth + "1" + "}" * depth


_deeps = st.builds(_deep, st.integers(1, 5000), st.sampled_from(["[", "{"]))


def _element(kind: str, fields: list[tuple[str, str]]) -> str:
    base = {"video": '"source": "https://media.example.com/a.mp4"',
            "image": '"source": "https://media.example.com/a.png"',
            "audio": '"source": "https://media.example.com/a.m4a"',
            "overlay": '"source": "https://media.example.com/a.webm"',
            "text": '"text": "hello"'}[kind]
    rest = "".join(f", {key}: {value}" for key, value in fields)
    return f'{{"type": "{kind}", {base}{rest}}}'


_fields = st.lists(st.tuples(_keys, st.one_of(_values, _deeps)), max_size=3)
_elements = st.builds(_element, st.sampled_from(["video", "image", "audio", "overlay", "text"]),
                      _fields)


def _job(elements: list[str], output: list[tuple[str, str]], extra: list[tuple[str, str]],
         response: str) -> str:
    pairs = [('"output"', _object(output)), ('"elements"', "[" + ", ".join(elements) + "]"),
             ('"response"', response), *extra]
    return _object(pairs)


_jobs = st.builds(_job, st.lists(_elements, min_size=1, max_size=4), _fields, _fields,
                  st.sampled_from(['"async"', '"async"', '"immediate"', "1", "null"]))


def _valid_job(text: str, metadata: str, duration: str) -> str:
    """A job that validates but for what is generated: its text, metadata and duration."""
    return (f'{{"output": {{"width": 320, "height": 240, "duration": {duration}}}, '
            f'"elements": [{{"type": "text", "text": {text}}}], "metadata": {metadata}, '
            '"response": "async"}')


_unicode = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
_clean_scalars = st.one_of(
    st.sampled_from(["null", "true", "false", "-0", "1e308", "1E-400", "0.1", "-1"]),
    st.builds(str, st.integers()),
    st.builds(json.dumps, st.floats(allow_nan=False, allow_infinity=False)),
    st.builds(_string, _unicode, st.booleans()))
_clean_values = st.recursive(
    _clean_scalars,
    lambda inner: st.one_of(
        st.builds(lambda items: "[" + ", ".join(items) + "]", st.lists(inner, max_size=4)),
        st.builds(_object, st.lists(st.tuples(st.builds(_string, _unicode, st.booleans()),
                                              inner), max_size=4))),
    max_leaves=30)
_nested_ok = st.builds(lambda depth, leaf: "[" * depth + leaf + "]" * depth,
                       st.integers(0, 30), _clean_scalars)  # under the 32-level limit
_valid_jobs = st.builds(
    _valid_job, st.one_of(st.builds(_string, _unicode, st.booleans()), _strings),
    st.builds(_object, st.lists(st.tuples(st.builds(_string, _unicode, st.booleans()),
                                          st.one_of(_clean_values, _nested_ok, _values)),
                                max_size=4)),
    st.one_of(st.just("2"), st.just("1.5e0"), _numbers))


class Body(bytes):
    """A generated body; its repr (hypothesis prints failing examples) is cut short."""

    def __repr__(self) -> str:
        text = bytes(self)
        return repr(text if len(text) <= 300 else text[:300] + b"...")


_text = st.one_of(_valid_jobs, _valid_jobs, _valid_jobs, _jobs, _jobs, _values, _deeps,
                  st.builds(lambda deep: '{"elements": [' + deep + "]}", _deeps))
_JUNK = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]  # not UTF-8, a surrogate, NUL


@st.composite
def raw_json(draw: st.DrawFn) -> Body:
    """Request bodies: mostly job-shaped with odd values in known and unknown places, some
    anything at all, some nested thousands deep; one in five not UTF-8. (A composite,
    so hypothesis shows this name, not the repr of the whole tree of strategies.)"""
    body = draw(_text).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 4)) == 0:
        middle = len(body) // 2
        body = body[:middle] + draw(st.sampled_from(_JUNK)) + body[middle:]
    return Body(body)
