"""Readers of input the user (or someone else) controls: bounded files, safe YAML, shallow JSON.

Every file given to mlu-doctor (a config, a facts file, a manifest, signatures, a journal, a state record)
is read through `read_input`: a regular file only, opened without blocking (a FIFO or a device is refused
by what it is, never waited on), at most `limit` bytes. YAML goes through `compose_yaml` / `load_yaml`:
plain data tags only (no `!!python/...`), no duplicate keys, no recursive aliases, nesting and the size
of the document with its aliases expanded both capped (an alias bomb is refused before anything walks it).
Every refusal is an `InputProblem` (a ValueError) whose text is one line saying what is wrong.
"""

from __future__ import annotations

from typing import Any

from mlu_doctor.i18n import _

MAX_DEPTH = 64  # nesting levels of YAML or JSON data; real files nest under 10
MAX_NODES = 200_000  # YAML nodes with aliases expanded; the bundled signatures have ~5,000
YAML_TAG = "tag:yaml.org,2002:"
SAFE_TAGS = frozenset(YAML_TAG + t for t in (
    "str", "int", "float", "bool", "null", "map", "seq", "merge", "timestamp", "binary", "omap", "pairs",
    "set",
))


class InputProblem(ValueError):
    """Why an input was refused: one line, without the file name (the caller says which file)."""


class TooLarge(InputProblem):
    """The file is larger than the reader's cap."""


class TooDeep(InputProblem):
    """The data nests deeper than MAX_DEPTH."""


def read_input(path: str, limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them.

    Raises NotRegularFile (an OSError with `.kind`) for a FIFO, socket, device or directory, OSError when it
    cannot be opened, InputProblem when it is larger than `limit`."""
    from mlu_doctor.system.files import read_regular

    data = read_regular(path, limit + 1)
    if len(data) > limit:
        raise TooLarge(_("larger than {size}", size=size_words(limit)))
    return data


def size_words(limit: int) -> str:
    """1048576 -> '1 MiB', 65536 -> '64 KiB'."""
    return f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB"


def refusal(path: str, exc: BaseException, what: str) -> str:
    """One line saying why the file `path` (a `what`: 'config file', 'manifest'...) could not be read."""
    kind = getattr(exc, "kind", None)
    if kind:
        return _("{path} is {kind}, not a {what}", path=path, kind=kind, what=what)
    if isinstance(exc, InputProblem):
        return _("{path}: {problem}: not a {what}", path=path, problem=exc, what=what)
    if isinstance(exc, UnicodeDecodeError):
        return _("{path}: not UTF-8 text ({reason} at byte {offset})", path=path, reason=exc.reason,
                 offset=exc.start)
    error = getattr(exc, "strerror", None) or str(exc)
    return _("cannot read {what} {path}: {error}", what=what, path=path, error=error)


# --- YAML ----------------------------------------------------------------------------------------------


def _loader(text: str) -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)


def yaml_error_line(exc: Exception) -> str:
    """':LINE' of a PyYAML error when it has a mark, else ''."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f":{mark.line + 1}" if mark is not None else ""


def compose_yaml(text: str, where: str, max_nodes: int = MAX_NODES) -> Any:
    """The checked node tree of one YAML document (None when empty). Raises InputProblem naming
    `where:line`."""
    import yaml

    loader = _loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise InputProblem(_("{where}: malformed YAML: {problem}", where=f"{where}{yaml_error_line(exc)}",
                             problem=first_line(exc))) from None
    except (RecursionError, MemoryError):
        raise InputProblem(_("{where}: malformed YAML: {problem}", where=where,
                             problem=_("nested more than {depth} levels deep", depth=MAX_DEPTH))) from None
    finally:
        loader.dispose()
    if node is not None:
        check_nodes(node, where, max_nodes)
    return node


def construct_yaml(node: Any, where: str) -> Any:
    """Python data for a node checked by `compose_yaml`; a value PyYAML cannot build (2021-99-99) is an
    InputProblem."""
    import yaml

    if node is None:
        return None
    loader = _loader("")
    try:
        return loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        where = f"{where}:{node_line(exc, node)}"
        raise InputProblem(_("{where}: malformed YAML: {problem}", where=where,
                             problem=first_line(exc))) from None
    finally:
        loader.dispose()


def first_line(exc: Exception) -> str:
    """The problem a PyYAML (or constructor) error states, on one line."""
    text = getattr(exc, "problem", None) or str(exc)
    return (text.strip().splitlines() or [type(exc).__name__])[0]


def node_line(exc: Exception, node: Any) -> int:
    mark = getattr(exc, "problem_mark", None) or node.start_mark
    return int(mark.line) + 1


def load_yaml(text: str, where: str, max_nodes: int = MAX_NODES) -> Any:
    """Plain Python data of a YAML document, safely: see the module docstring."""
    return construct_yaml(compose_yaml(text, where, max_nodes), where)


def _children(node: Any) -> list[Any]:
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    return list(node.value) if node.id == "sequence" else []


def check_nodes(root: Any, where: str, max_nodes: int = MAX_NODES) -> None:
    """Refuse unsafe tags, duplicate keys, recursive aliases, deep nesting, and alias expansion past
    max_nodes.

    One pass over the distinct nodes (aliases are shared node objects), sizes memoised, no recursion."""
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool, int]] = [(root, False, 1)]
    while stack:
        node, done, depth = stack.pop()
        nid = id(node)
        if done:
            on_path.discard(nid)
            size[nid] = 1 + sum(size[id(c)] for c in _children(node))
            if size[nid] > max_nodes:
                _fail(where, node,
                      _("more than {n} values once its aliases are expanded", n=f"{max_nodes:,}"))
            continue
        if nid in size:
            continue
        if nid in on_path:
            _fail(where, node, _("an alias refers to a collection that contains it"))
        if depth > MAX_DEPTH:
            _fail(where, node, _("nested more than {depth} levels deep", depth=MAX_DEPTH))
        _check_one(node, where)
        on_path.add(nid)
        stack.append((node, True, depth))
        stack.extend((c, False, depth + 1) for c in _children(node) if id(c) not in size)


def _check_one(node: Any, where: str) -> None:
    if node.tag not in SAFE_TAGS:
        tag = "!!" + node.tag[len(YAML_TAG):] if node.tag.startswith(YAML_TAG) else node.tag
        _fail(where, node, _("tag {tag} is not allowed: plain YAML data only", tag=tag))
    if node.id != "mapping":
        return
    seen: set[tuple[str, str]] = set()
    for key, _value in node.value:
        if key.id != "scalar" or key.tag == YAML_TAG + "merge":
            continue
        ident = (key.tag, key.value)
        if ident in seen:
            _fail(where, key, _("duplicate key {key}", key=repr(key.value)))
        seen.add(ident)


def _fail(where: str, node: Any, problem: str) -> None:
    raise InputProblem(f"{where}:{node.start_mark.line + 1}: {problem}")


# --- JSON ------------------------------------------------------------------------------------------------


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON data nests deeper than `limit` (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


def load_json(data: bytes, limit: int = MAX_DEPTH) -> Any:
    """JSON from UTF-8 bytes; InputProblem when it is not JSON, not UTF-8, or nests deeper than `limit`."""
    try:
        import json  # off the plain check path: only a facts file, a journal or a record is JSON

        doc = json.loads(data.decode("utf-8"))
        deep = too_deep(doc, limit)
    except RecursionError:
        deep = True
    except UnicodeDecodeError as exc:
        raise InputProblem(_("not UTF-8 text ({reason} at byte {offset})", reason=exc.reason,
                             offset=exc.start)) from None
    except ValueError as exc:
        raise InputProblem(_("not valid JSON ({error})", error=exc)) from None
    if deep:
        raise TooDeep(_("nests JSON deeper than {depth} levels", depth=limit))
    return doc


def read_json(path: str, limit: int, depth: int = MAX_DEPTH) -> Any:
    """`load_json` of `read_input(path, limit)`: raises OSError or InputProblem."""
    return load_json(read_input(path, limit), depth)


def read_record(path: str, limit: int | None = None) -> Any:
    """JSON mlu-doctor wrote for itself (a state or verification record), or None when it is missing, not a
    regular file, too large or damaged: a record that cannot be trusted is as good as none."""
    from mlu_doctor.defaults import RECORD_FILE_LIMIT

    try:
        return read_json(path, RECORD_FILE_LIMIT if limit is None else limit)
    except (OSError, ValueError):
        return None

