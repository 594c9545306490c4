"""One read-only copy of the small mappings that recur in every return of a round (the
columns of the officer sheet, a row's number formats, a row's values as issued), so that a
province's thousand returns held at once cost little more than their distinct contents."""

from __future__ import annotations

import dataclasses

LIMIT = 4096  # distinct mappings kept; beyond that each is its own (read-only) copy


class Frozen(dict):
    """A dict that cannot be changed (it may be shared by many returns). Sent between
    processes, it is shared again where it arrives."""

    def _read_only(self, *args, **kwargs):
        raise TypeError("a shared mapping is read-only: copy it with dict()")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only
    __ior__ = _read_only

    def __reduce__(self):
        return shared, (dict(self),)


_SEEN: dict[tuple, Frozen] = {}


def shared(mapping: dict) -> Frozen:
    """A read-only mapping equal to `mapping`, the same object for equal contents."""
    try:  # typed and by repr: 1, 1.0 and True are equal keys, -0.0 and 0.0 too
        key = tuple((k, type(v), repr(v)) for k, v in mapping.items())
        got = _SEEN.get(key)
    except TypeError:  # a value that cannot be hashed: not shared
        return Frozen(mapping)
    if got is None:
        got = Frozen(mapping)
        if len(_SEEN) < LIMIT:
            _SEEN[key] = got
    return got


# One copy of a short text that recurs in every return of a round (a status, a part, the
# round, the commune, the master) for a province's returns held at once; bounded: the first
# texts seen (the first returns') are the ones kept. fast_read's strings table fills it
# inline (its hot loop), with the same bounds.
TEXTS: dict[str, str] = {}
TEXTS_LIMIT, TEXT_LENGTH = 2048, 40


def one_copy(text: str) -> str:
    """The one copy of `text` kept in TEXTS (it is added there if short and there is room)."""
    got = TEXTS.get(text)
    if got is None:
        got = text
        if len(TEXTS) < TEXTS_LIMIT and len(text) <= TEXT_LENGTH:
            TEXTS[text] = text
    return got


def by_fields(cls):
    """Class decorator: a dataclass is pickled as its fields' values, in order (a return: a
    fifth smaller, 15–25 % faster both ways than by attribute names; a province's returns
    come back from the workers so)."""
    names = tuple(f.name for f in dataclasses.fields(cls))

    def __reduce__(self):
        return self.__class__, tuple([getattr(self, name) for name in names])

    cls.__reduce__ = __reduce__
    return cls
