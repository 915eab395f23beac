"""pydash.objects.set_: assign at a dotted path, creating dicts on the way."""


def set_(obj, path, value):
    from . import _keys

    keys = _keys(path)
    target = obj
    for key in keys[:-1]:
        if isinstance(target, dict):
            target = target.setdefault(key, {})
        else:
            target = getattr(target, key)
    if isinstance(target, dict):
        target[keys[-1]] = value
    else:
        setattr(target, keys[-1], value)
    return obj
