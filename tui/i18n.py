"""The footer, help and palette in the checklist's language: binding descriptions and
tooltips from ``knowledge/ui.toml`` (``key_<binding id>`` / ``tip_<binding id>``; a binding
without an entry keeps the words it was declared with).

Textual keeps each node's bindings in ``node._bindings`` (a copy of the class's, made per
instance), so a screen's words can change while it runs: :func:`localize` replaces each
binding's description by the ``lang`` one (English from the class when there is none) and asks
the footer to redraw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import cache

from textual.dom import DOMNode


@cache
def words(lang: str) -> Mapping[str, str]:
    """``knowledge/ui.toml`` for ``lang`` (empty if it cannot be read: English stays)."""
    try:
        from vpcdoctor.knowledge import ui_text

        return dict(ui_text(lang))
    except Exception:
        return {}


def _key(binding_id: str) -> str:
    return binding_id.replace("-", "_")


def localize(node: DOMNode, lang: str) -> None:
    """Give ``node``'s bindings their ``lang`` descriptions and tooltips."""
    table = words(lang)
    originals = node._merged_bindings
    for key, bindings in list(node._bindings.key_to_bindings.items()):
        new = []
        for binding in bindings:
            if binding.id is None:
                new.append(binding)
                continue
            base = binding
            if originals is not None:
                base = next(
                    (b for b in originals.key_to_bindings.get(key, []) if b.id == binding.id),
                    binding,
                )
            new.append(
                replace(
                    binding,
                    description=table.get(f"key_{_key(binding.id)}", base.description),
                    tooltip=table.get(f"tip_{_key(binding.id)}", base.tooltip),
                )
            )
        node._bindings.key_to_bindings[key] = new
    node.refresh_bindings()


def title(lang: str, key: str, default: str) -> str:
    """A screen's title word in ``lang`` (``title_<key>`` in ``knowledge/ui.toml``)."""
    return words(lang).get(f"title_{key}") or words(lang).get(key) or default


class Localized:
    """Mixin for screens: the footer keys, help and titles in the app's language each time
    the screen is shown (the checklist's ``l`` may have switched it meanwhile)."""

    def on_screen_resume(self) -> None:
        app = self.app  # type: ignore[attr-defined]
        lang = getattr(app, "lang", "en")
        localize(self, lang)  # type: ignore[arg-type]
        localize(app, lang)
        self.localize_titles(lang)

    def localize_titles(self, lang: str) -> None:
        """Set the screen's own titles in ``lang`` (screens override it)."""
