"""The workspace's guards, as one ASGI middleware and one helper for forms.

- Access: bound to the loopback address the app is open to the machine's user; bound to any
  other address it asks for the token set at start, given once as ``?token=`` (then kept in a
  cookie) or as ``Authorization: Bearer``.
- Host: only the host names given at start (a page on another site cannot reach the app by
  rebinding its own name to 127.0.0.1).
- CSRF: every form carries the value of a random cookie (double submit); a POST whose form
  value differs, or whose Origin is another site, is refused.
- Headers: a Content-Security-Policy that allows only the app's own script and style, no
  framing, no sniffing."""
from __future__ import annotations

import hmac
import secrets
from typing import Any, Awaitable, Callable, Iterable, Optional
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.datastructures import FormData, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "xxgk_csrf"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "xxgk_token"
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
               " form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# a delivered file opened in the browser: no script, no same-origin access, whatever it holds
FILE_POLICY = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; plugin-types application/pdf"


class Guard:
    def __init__(self, app: ASGIApp, *, token: Optional[str] = None, hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.token = token
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        if self.hosts and (request.url.hostname or "").lower() not in self.hosts:
            await PlainTextResponse("unknown host", status_code=400)(scope, receive, send)
            return
        if self.token is not None:
            denied = self._denied(request)
            if denied is not None:
                await denied(scope, receive, send)
                return
        new_csrf = None if request.cookies.get(CSRF_COOKIE) else secrets.token_urlsafe(24)
        if new_csrf:
            scope.setdefault("state", {})["csrf"] = new_csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", PAGE_POLICY)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "same-origin")
                headers.setdefault("x-frame-options", "DENY")
                if new_csrf:
                    headers.append("set-cookie", f"{CSRF_COOKIE}={new_csrf}; Path=/; HttpOnly; SameSite=Strict")
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _denied(self, request: Request) -> Optional[Callable[..., Awaitable[None]]]:
        assert self.token is not None
        given = request.cookies.get(TOKEN_COOKIE, "")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        query = parse_qs(request.url.query).get("token", [""])[0]
        if query and hmac.compare_digest(query.encode(), self.token.encode()):
            # keep it in a cookie and drop it from the address bar (and from the history)
            kept = [(k, v) for k, vs in parse_qs(request.url.query).items() if k != "token" for v in vs]
            # this site's path only: '//host' would send the browser elsewhere
            target = "/" + request.url.path.lstrip("/") + ("?" + urlencode(kept) if kept else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            return response
        if given and hmac.compare_digest(given.encode(), self.token.encode()):
            return None
        return PlainTextResponse("需要访问令牌：请用启动时给出的地址（含 ?token=…）打开。"
                                 "A token is required: open the address printed at start.", status_code=403)


def csrf_token(request: Request) -> str:
    """The value every form of the page carries."""
    return request.cookies.get(CSRF_COOKIE) or request.scope.get("state", {}).get("csrf", "")


async def checked_form(request: Request, **limits: Any) -> FormData:
    """The form of a POST, once its CSRF value and origin are right (403 otherwise)."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        if urlsplit(origin).netloc.lower() != request.url.netloc.lower():
            raise HTTPException(403, "请求来自其他网站（CSRF）")
    form = await request.form(**limits)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = form.get(CSRF_FIELD)
    if not cookie or not isinstance(given, str) or not hmac.compare_digest(given.encode(), cookie.encode()):
        raise HTTPException(403, "表单已失效或缺少校验值（CSRF）：请刷新页面后重试")
    return form
