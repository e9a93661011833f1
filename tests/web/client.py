"""Drive the web channel over HTTP (Starlette's TestClient) the way the chat page does."""

from __future__ import annotations

import re
import uuid
import warnings
from typing import Any

from tests.engine.flows import SUSPICIOUS

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its TestClient; httpx (installed) works the same here.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["TestClient", "WebClient"]

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class WebClient:
    """One browser: a cookie jar, the page's CSRF token, and the chat it has open."""

    def __init__(self, http: TestClient) -> None:
        self.http = http
        self.csrf = ""
        self.last_id: dict[int, int] = {}
        self.seen: dict[int, list[dict[str, Any]]] = {}

    def open(self, path: str = "/") -> str:
        """GET a page and remember its CSRF token (as the page's script would)."""
        res = self.http.get(path)
        assert res.status_code == 200, (path, res.status_code)
        found = _CSRF_META.search(res.text)
        assert found, "page without a CSRF token"
        self.csrf = found.group(1)
        return res.text

    def post_json(self, member_id: int, action: str, body: dict[str, Any]) -> Any:
        return self.http.post(
            f"/api/chat/{member_id}/{action}", json=body, headers={"X-CSRF-Token": self.csrf}
        )

    def send(self, member_id: int, text: str, key: str | None = None) -> dict[str, Any]:
        res = self.post_json(member_id, "send", {"text": text, "uuid": key or str(uuid.uuid4())})
        assert res.status_code == 200, res.text
        result: dict[str, Any] = res.json()
        return result

    def press(self, member_id: int, data: str, message_id: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"data": data, "uuid": str(uuid.uuid4())}
        if message_id is not None:
            body["message_id"] = message_id
        res = self.post_json(member_id, "press", body)
        assert res.status_code == 200, res.text
        result: dict[str, Any] = res.json()
        return result

    def messages(self, member_id: int) -> list[dict[str, Any]]:
        """New messages for this chat since the last call (what the page would draw)."""
        after = self.last_id.get(member_id, 0)
        res = self.http.get(f"/api/chat/{member_id}/messages", params={"after": after})
        assert res.status_code == 200, res.text
        got: list[dict[str, Any]] = res.json()["messages"]
        if got:
            self.last_id[member_id] = got[-1]["id"]
            self.seen.setdefault(member_id, []).extend(got)
        return got

    def tap(self, member_id: int, label_part: str) -> dict[str, Any]:
        """Press the newest button whose label contains ``label_part``."""
        self.messages(member_id)
        for message in reversed(self.seen.get(member_id, [])):
            for choice in message["choices"]:
                if label_part in choice["label"]:
                    return self.press(member_id, choice["data"], message["id"])
        raise AssertionError(f"no button {label_part!r}")

    def texts(self, member_id: int) -> list[str]:
        self.messages(member_id)
        return [m["text"] for m in self.seen.get(member_id, [])]

    def report_suspicious(self, member_id: int) -> None:
        """The whole urgent tip, as tests/engine/flows.py answers it."""
        self.send(member_id, "/baocao")
        self.tap(member_id, "khả nghi")
        for action, value in SUSPICIOUS:
            if action == "say":
                self.send(member_id, value)
            else:
                self.tap(member_id, value)
        self.tap(member_id, "Gửi báo cáo")

    def form_post(self, path: str, fields: dict[str, str], *, csrf: bool = True) -> Any:
        data = dict(fields)
        if csrf:
            data["csrf"] = self.csrf
        return self.http.post(path, data=data, follow_redirects=False)
