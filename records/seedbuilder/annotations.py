"""Read annotation files: YAML that rejects duplicate keys and remembers lines.

Dates stay strings ("2022-01-10" is not turned into a date object) and only
``true``/``false`` are booleans, so YAML 1.1 surprises ("on", "no") cannot
change what a curator wrote.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml


class AnnotationSyntaxError(ValueError):
    pass


class Mapping(dict):
    """A YAML mapping that knows the line it starts on (1-based)."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        # An alias shares a node: a small file could expand without bound (the
        # API takes annotations from curators), and a value belongs where it is said.
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise AnnotationSyntaxError(
                f"line {event.start_mark.line + 1}: an alias (*{event.anchor}); write the value where it is said"
            )
        return super().compose_node(parent, index)


# Keep every implicit type but timestamps and YAML 1.1 booleans.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tfTF":
    _Loader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false|True|False)$"))
    )


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise AnnotationSyntaxError(f"line {key_node.start_mark.line + 1}: key {key!r} is not a string")
        if key in mapping:
            raise AnnotationSyntaxError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_annotation(path: Path) -> Mapping:
    """Parse one annotation file; raise ``AnnotationSyntaxError`` with the line."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise AnnotationSyntaxError(f"{where}not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except UnicodeDecodeError:
        raise AnnotationSyntaxError("not UTF-8 text") from None
    if not isinstance(data, Mapping):
        raise AnnotationSyntaxError("the file must hold a mapping (source:, persons:, postings: ...)")
    return data
