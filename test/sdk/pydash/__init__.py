"""Stand-in for the three pydash functions azure-ai-ml 1.4.0 calls (Debian ships
azure-ai-ml but not pydash): get, omit and objects.set_. It only walks dotted paths;
it changes nothing in the SDK. Used by test/sdk/judge.py through PYTHONPATH."""

from . import objects  # noqa: F401


def _keys(path):
    if isinstance(path, (list, tuple)):
        return list(path)
    return [k for k in str(path).replace("[", ".").replace("]", "").split(".") if k != ""]


def _step(obj, key):
    if isinstance(obj, dict):
        return obj[key] if key in obj else obj[int(key)] if key.isdigit() and int(key) in obj else _MISSING
    if isinstance(obj, (list, tuple)):
        try:
            return obj[int(key)]
        except (ValueError, IndexError):
            return _MISSING
    return getattr(obj, key, _MISSING)


_MISSING = object()


def get(obj, path, default=None):
    """The value at a dotted path through dicts, lists and attributes, else default."""
    for key in _keys(path):
        obj = _step(obj, key)
        if obj is _MISSING:
            return default
    return obj


def omit(obj, *paths):
    """A shallow copy of a dict without the given top-level keys."""
    drop = set()
    for p in paths:
        drop.update(p if isinstance(p, (list, tuple, set)) else [p])
    return {k: v for k, v in dict(obj).items() if k not in drop}
