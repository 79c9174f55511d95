"""A Content-Security-Policy for every page, as a ``<meta http-equiv>`` in its head.

GitHub Pages sets no headers of ours, so the policy travels in the page. Scripts run
only from the site itself, plus the page's own inline scripts by their SHA-256 (the
theme's one-line ``__md_scope`` script, whose text depends on the page's depth):
computed here from the finished page, so a theme change can never be out of step with
the policy, and an injected inline script or event handler never runs. The search runs
in a Web Worker from the site (``worker-src``); images and Material's icon masks are
the site's or ``data:`` URIs.

Styles keep ``'unsafe-inline'``: the stats page's charts are matplotlib SVG, inline,
with a ``<style>`` element and ``style`` attributes on every shape, and the tag and
listing pages size their bars with ``style`` attributes. Hashing them would put
hundreds of hashes in a page, and a style cannot run code; scripts are what the policy
is for.

The ``<meta>`` goes right after ``<meta charset>``, before any script, because a policy
applies only to what follows it in the document.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Fixed parts, in order; script-src gets the page's hashes appended.
POLICY = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]*)""", re.I)
_CHARSET = re.compile(r"\s*<meta charset=[^>]*>", re.I)  # first in the head, as HTML asks
_HEAD = re.compile(r"<head\b[^>]*>", re.I)


def _runs(attributes: str) -> bool:
    """Whether a script element with these attributes is code a browser runs: not one
    with a source file (allowed by 'self'), not a data block like Material's
    ``<script type="application/json">`` (never run, so never checked)."""
    if _SRC.search(attributes):
        return False
    found = _TYPE.search(attributes)
    kind = found.group(1).lower() if found else ""
    return kind in ("", "module") or "javascript" in kind or "ecmascript" in kind


def script_hashes(html: str) -> list[str]:
    """CSP source expressions for the inline scripts of ``html``, sorted (same page,
    same bytes)."""
    hashes = {
        base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        for attributes, body in _SCRIPT.findall(html)
        if _runs(attributes)
    }
    return [f"'sha256-{h}'" for h in sorted(hashes)]


def policy(html: str) -> str:
    """The policy for the finished page ``html``."""
    hashes = " ".join(script_hashes(html))
    parts = [
        f"{name} {value} {hashes}" if name == "script-src" and hashes else f"{name} {value}"
        for name, value in POLICY
    ]
    return "; ".join(parts)


def with_policy(html: str) -> str:
    """``html`` with its policy as the first thing after ``<meta charset>`` (or the
    ``<head>`` tag): before any script. A document without a head is left as it is."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    head = _HEAD.search(html)
    if head is None:
        return html
    charset = _CHARSET.match(html, head.end())
    at = charset.end() if charset else head.end()
    return html[:at] + meta + html[at:]


_POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def without_policy(html: str) -> str:
    """``html`` without a policy :func:`with_policy` put in: a page finished again gets
    one policy, for its final bytes."""
    return _POLICY_META.sub("", html, count=1)
