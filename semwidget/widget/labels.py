"""Display labels of nodes: the text drawn in a node instead of its variable name.

A label may hold spaces, accents and punctuation ("Visual perception", "Lebenszufriedenheit –
Item 3"); the syntax always keeps the variable name. Labels are a mapping ``name -> text`` in
the widget's ``labels`` trait, in diagram files and in the state the renderer draws.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import traitlets

from semwidget.widget.state import WidgetStateError, describe

#: Longer labels would make a node wider than a screen; a label is a name, not a caption.
MAX_LABEL_LENGTH = 80
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")


def validate_label(name: str, label: object) -> str:
    """One label, stripped; refuses text that is empty, multi-line, too long or has controls.

    Raises
    ------
    WidgetStateError
        Naming the variable and the value at fault.
    """
    if not isinstance(label, str):
        raise WidgetStateError(f"labels[{name!r}]: expected text, got {describe(label)}")
    text = label.strip()
    if not text:
        raise WidgetStateError(f"labels[{name!r}]: the label is empty (remove the entry, or "
                               "pass None to set_label, to show the variable name)")
    if _LINE_BREAK.search(text):
        raise WidgetStateError(f"labels[{name!r}]: a label is one line, got {label!r}")
    if len(text) > MAX_LABEL_LENGTH:
        raise WidgetStateError(f"labels[{name!r}]: {len(text)} characters; a label has at most "
                               f"{MAX_LABEL_LENGTH}")
    bad = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Cs")), None)
    if bad is not None:
        raise WidgetStateError(f"labels[{name!r}]: the control character U+{ord(bad):04X} "
                               f"cannot be drawn (in {label!r})")
    return unicodedata.normalize("NFC", text)


def validate_labels(value: object, known: Iterable[str] | None = None) -> dict[str, str]:
    """A whole ``labels`` mapping; with ``known``, every name must be one of them.

    Raises
    ------
    WidgetStateError
        For a value that is not a mapping, a name that is not a node, or a bad label.
    """
    if not isinstance(value, Mapping):
        raise WidgetStateError(f"labels: expected a mapping of variable name to label, got "
                               f"{describe(value)}")
    names = None if known is None else set(known)
    out: dict[str, str] = {}
    for name, label in value.items():
        if not isinstance(name, str):
            raise WidgetStateError(f"labels: variable names are text, got {describe(name)}")
        if names is not None and name not in names:
            raise WidgetStateError(f"labels: {name!r} is not a variable of the model, a drawn "
                                   "latent or a data column")
        out[name] = validate_label(name, label)
    return out


def prune(labels: Mapping[str, str], nodes: Iterable[str]) -> dict[str, str]:
    """The labels of the nodes still drawn (a label of a deleted variable goes with it)."""
    keep = set(nodes)
    return {name: text for name, text in labels.items() if name in keep}


class LabelsTrait(traitlets.TraitType[dict, dict]):
    """``name -> label``; names must be known to the owning widget (``_known_nodes()``)."""

    default_value: dict = {}
    info_text = "a mapping of variable name to display label"

    def validate(self, obj: Any, value: Any) -> dict[str, str]:
        known: Callable[[], list[str]] | None = getattr(obj, "_known_nodes", None)
        return validate_labels(value, known() if callable(known) else None)
