"""A small HTTP client on the standard library, for the sources and notifications that talk to servers.

One call, `request(...)`, makes one request with timeouts, and tries again after a pause when trying again can
help: a connection that failed or was cut, a timeout, 429 Too Many Requests and 5xx answers (honouring the
server's `Retry-After`, within a cap and within the caller's budget). Any other 4xx is final. Failures raise
`HttpError`, whose one-line message names the address as scheme://host[:port]/path only: a password in the URL,
the query string (which may hold a token) and the request's headers never appear in it. For an address whose
path is itself the secret (a Slack or Teams webhook), `private_path=True` names it as scheme://host[:port] only,
and blots the path out of a quoted answer.

A user and password in the URL (`https://me:secret@host/`) are sent as Basic authentication, since urllib
would not send them. A redirect is followed only on the same server (same scheme, host and port; or from http
to https on the same host, both on their default ports): one to another server is refused, since the URL's
query string (which may hold a token) would go with it. Credentials never follow a redirect: urllib drops the
`Authorization` header we add when it follows one. A message after a redirect names the address last asked,
"after a redirect from" the first.

The `http_proxy`, `https_proxy` and `no_proxy` variables are read at each call; a message about a request
through a proxy names the proxy as scheme://host:port too. A body quoted in a message (a proxy's error page
may repeat the address it was asked for) has the URL's password and query values blotted out.
"""

from __future__ import annotations

import base64
import email.utils
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from typing import IO, NamedTuple
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from okrctl import __version__

__all__ = ["HttpError", "Response", "check_address", "request", "shown"]

MAX_RETRY_WAIT = 60.0  # seconds: a longer Retry-After is cut to this
MAX_BODY = 32 * 1024 * 1024  # bytes read from one answer at most
_CHUNK = 64 * 1024


class Response(NamedTuple):
    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes


class HttpError(Exception):
    """A request that did not succeed; `status` is the last HTTP status, None when no answer came, and `body`
    the start of the last answer's body (for a caller that knows its server's error format)."""

    def __init__(self, message: str, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body


def shown(url: str, *, path: bool = True) -> str:
    """`url` as it may be printed: scheme://host[:port]/path, without user, password, query or fragment (and
    without the path when `path` is false)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        return "(an address that cannot be read)"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return urlunsplit((parts.scheme, host + port, parts.path if path else "", "", ""))


def split_url(url: str) -> SplitResult:
    """`urlsplit`, its port read too: a port that is no number raises ValueError here, as the rest does."""
    parts = urlsplit(url)
    _ = parts.port
    return parts


def check_address(url: str, *, private_path: bool = False) -> None:
    """HttpError if `request` would refuse `url` before sending anything (not http or https, no host, not a
    valid URL), with the message it would give."""
    _parts(url, None, not private_path)


def request(
    method: str,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float,
    attempts: int = 3,
    backoff: float = 0.5,
    budget: float | None = None,
    max_wait: float = MAX_RETRY_WAIT,
    sleep: Callable[[float], None] = time.sleep,
    private_path: bool = False,
) -> Response:
    """The answer to one request (status 2xx; redirects are followed), or HttpError.

    `timeout` bounds connecting and each attempt's whole answer, in seconds; `params` are added to the URL's
    query; up to `attempts` tries, the n-th retry after `backoff * 2**(n-1)` seconds, or after the server's
    Retry-After, never more than `max_wait`. `budget` (seconds) bounds the whole call, pauses included: a
    retry that could not finish within it is not made. `private_path`: the URL's path is a secret too (a
    webhook's), so messages name the address without it.
    """
    path_shown = not private_path
    address, authorization = _parts(url, params, path_shown)
    where = f"{method} {shown(url, path=path_shown)}"
    prepared = urllib.request.Request(address, data=body, method=method)
    for name, value in (headers or {}).items():
        if not _sendable(value):  # http.client would raise ValueError or UnicodeEncodeError, quoting the value
            raise HttpError(f"{where}: the {name} header holds a character HTTP cannot send (a line break?)")
        if name.lower() in ("authorization", "cookie", "proxy-authorization"):
            prepared.add_unredirected_header(name, value)
        else:
            prepared.add_header(name, value)
    if authorization and not prepared.has_header("Authorization"):
        prepared.add_unredirected_header("Authorization", authorization)
    if not prepared.has_header("User-agent"):  # some servers turn urllib's own name away
        prepared.add_header("User-Agent", f"okrctl/{__version__}")
    started = time.monotonic()
    tries = 0
    while True:
        tries += 1
        limit = timeout if budget is None else min(timeout, max(budget - (time.monotonic() - started), 0.001))
        wait: float | None
        redirects = _SameServerRedirects(method, path_shown)
        try:
            return _attempt(prepared, limit, redirects)
        except HttpError as error:  # refused before or after talking to the server: trying again cannot help
            raise HttpError(f"{redirects.where(url)}: {error}", error.status) from None
        except urllib.error.HTTPError as error:
            error_body = _read_quietly(error)
            error.close()
            hide = _secrets(url, *redirects.followed, paths=private_path)
            message = _status_message(redirects.where(url), error.code, error.reason, error_body, hide)
            failure = HttpError(message, error.code, error_body)
            retryable = error.code == 429 or error.code >= 500
            wait = _retry_after(error.headers.get("Retry-After")) if retryable else None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                failure, retryable, wait = (
                    HttpError(f"{redirects.where(url)}: no answer within {limit:g} s"),
                    True,
                    None,
                )
            else:
                said = _blotted(_connection_reason(reason), _secrets(url, *redirects.followed, paths=private_path))
                failure, wait = HttpError(f"{redirects.where(url)}: {said}"), None
                retryable = not isinstance(reason, ssl.SSLCertVerificationError | str)
        except TimeoutError:
            failure, retryable, wait = HttpError(f"{redirects.where(url)}: no answer within {limit:g} s"), True, None
        except (http.client.HTTPException, OSError) as error:
            failure, retryable, wait = HttpError(f"{redirects.where(url)}: {_connection_reason(error)}"), True, None
        if not retryable or tries >= attempts:
            raise _after(failure, tries)
        pause = min(backoff * 2 ** (tries - 1) if wait is None else wait, max_wait)
        if budget is not None and time.monotonic() - started + pause >= budget:
            raise _after(failure, tries)
        sleep(pause)


class _SameServerRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same server, and remembers the address last asked (one per attempt)."""

    def __init__(self, method: str, path_shown: bool = True) -> None:
        self.method = method
        self.path_shown = path_shown
        self.followed: list[str] = []  # the addresses redirected to, in turn

    def where(self, url: str) -> str:
        """The request as a message names it: the address last asked, and the given `url` if it was redirected."""
        path = self.path_shown
        if not self.followed:
            return f"{self.method} {shown(url, path=path)}{_through_proxy(url)}"
        asked = self.followed[-1]
        return (
            f"{self.method} {shown(asked, path=path)} (after a redirect from {shown(url, path=path)})"
            f"{_through_proxy(asked)}"
        )

    def http_error_302(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: http.client.HTTPMessage
    ) -> object:
        # checked here, before urllib's own check, whose message would quote the whole new address
        location = headers.get("Location") or headers.get("URI")
        if location:
            try:
                target = urljoin(req.full_url, location.strip())
                parts = split_url(target)
            except ValueError:
                fp.close()
                raise HttpError("redirected to an address that is not a valid URL: not followed", code) from None
            if parts.scheme.lower() not in ("http", "https"):
                fp.close()
                raise HttpError(f"redirected to a {parts.scheme}: address: not followed", code)
            if not _same_server(req.full_url, target):
                fp.close()
                raise HttpError(
                    f"redirected to another server ({shown(target, path=self.path_shown)}): not followed; set the url to where it points",
                    code,
                )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            self.method = new.get_method()
            self.followed.append(new.full_url)
        return new


def _same_server(url: str, target: str) -> bool:
    """Whether `target` is on the server of `url`: same scheme, host and port, or an upgrade from http to https
    on the same host with both ports the default (as a server that moved to https answers)."""
    default = {"http": 80, "https": 443}
    old, new = urlsplit(url), urlsplit(target)
    old_scheme, new_scheme = old.scheme.lower(), new.scheme.lower()
    old_port, new_port = old.port or default[old_scheme], new.port or default[new_scheme]
    if old.hostname != new.hostname:
        return False
    if old_scheme == new_scheme:
        return old_port == new_port
    return (old_scheme, old_port, new_scheme, new_port) == ("http", 80, "https", 443)


def _through_proxy(url: str) -> str:
    """Words naming the proxy that the environment's variables send `url` through ("" when none)."""
    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or urllib.request.proxy_bypass(parts.netloc.rpartition("@")[2]):
        return ""
    return f" through the proxy {shown(proxy if '://' in proxy else 'http://' + proxy)}"


def _attempt(prepared: urllib.request.Request, timeout: float, redirects: _SameServerRedirects) -> Response:
    deadline = time.monotonic() + timeout
    # built for each attempt: the proxy variables are read now, and the redirects seen are this attempt's
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(), redirects)
    with opener.open(prepared, timeout=timeout) as answer:
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError
            chunk = answer.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BODY:
                raise HttpError(f"the answer is larger than {MAX_BODY // (1024 * 1024)} MiB")
            chunks.append(chunk)
        found = {name.lower(): value for name, value in answer.headers.items()}
        return Response(answer.status, found, b"".join(chunks))


def _parts(url: str, params: Mapping[str, str] | None, path_shown: bool = True) -> tuple[str, str | None]:
    """The URL to open (the parameters added, user and password taken out) and the Basic authorization for
    them; a URL that is not http(s) is refused with no part of it shown but its scheme."""
    try:
        parts = split_url(url)
    except ValueError:
        raise HttpError("the address is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https"):
        what = f"a {parts.scheme}: address" if parts.scheme else "an address with no scheme"
        raise HttpError(f"only http and https addresses can be read, not {what}")
    if not parts.hostname:
        raise HttpError(f"the address {shown(url, path=path_shown)} has no host")
    if any(character.isspace() or not character.isprintable() for character in url):
        # urllib would send it cut short or raise InvalidURL on each attempt
        raise HttpError("the address is not a valid URL: it holds a space or a control character")
    try:
        parts.hostname.encode("idna")  # what the connection does; a UnicodeError there would escape as a bug
    except UnicodeError:
        raise HttpError("the address has a host name that is not valid") from None
    authorization = None
    netloc = parts.netloc
    if "@" in netloc:
        netloc = netloc.rpartition("@")[2]
        pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
        authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    query = _ascii(parts.query)
    if params:
        query = "&".join(part for part in (query, urlencode(params)) if part)
    return urlunsplit((parts.scheme, netloc, _ascii(parts.path) or "/", query, "")), authorization


def _ascii(text: str) -> str:
    """`text` with its non-ASCII characters percent-encoded as UTF-8 (as a browser sends them; http.client
    would raise UnicodeEncodeError)."""
    return "".join(character if character.isascii() else quote(character) for character in text)


def _sendable(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not any(character in value for character in "\r\n\0")


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (a number of seconds or an HTTP date), None without one."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _status_message(where: str, status: int, reason: object, body: bytes, hide: list[str]) -> str:
    said = _blotted(_first_line(body), hide)
    # one line: urllib's reason for a redirect loop spans three
    reason_text = _blotted(" ".join(str(reason or http.client.responses.get(status, "")).split()), hide)
    return f"{where}: HTTP {status}" + (f" {reason_text}" if reason_text else "") + (f": {said}" if said else "")


def _secrets(*urls: str, paths: bool = False) -> list[str]:
    """What of these URLs a message must not repeat: the password, the query and its values (a value under 4
    characters is a flag, not a secret, and blotting it out would garble the message), and with `paths` the
    path and its segments (by the same rule), longest first."""
    found: set[str] = set()
    for url in urls:
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if paths:
            for text in (parts.path, unquote(parts.path), _ascii(parts.path)):
                found.update(piece for piece in (text, *text.split("/")) if len(piece.strip("/")) >= 4)
        if parts.password:
            found.update((parts.password, unquote(parts.password)))
        if parts.query:
            found.add(parts.query)
            for name, value in parse_qsl(parts.query, keep_blank_values=True):
                found.update(text for text in (value, quote(value), f"{name}={value}") if len(text) >= 4)
    return sorted((text for text in found if text), key=len, reverse=True)


def _blotted(text: str, hide: list[str]) -> str:
    for secret in hide:
        text = text.replace(secret, "***")
    return text


def _first_line(body: bytes, width: int = 160) -> str:
    for line in body.decode("utf-8", errors="replace").splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= width else line[: width - 1] + "…"
    return ""


def _read_quietly(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read(64 * 1024) or b""
    except (OSError, http.client.HTTPException):
        return b""


def _connection_reason(reason: object) -> str:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"the server's certificate is not trusted ({reason.verify_message or 'verification failed'})"
    if isinstance(reason, socket.gaierror):
        return "the host name cannot be resolved"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ConnectionResetError):
        return "the connection was reset"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(reason, http.client.IncompleteRead):
        return "the answer was cut short"
    if isinstance(reason, OSError) and str(reason).startswith("Tunnel connection failed: "):  # said by a proxy
        return f"the proxy refused the connection: {str(reason).removeprefix('Tunnel connection failed: ')}"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect: {reason.strerror}"
    if isinstance(reason, str):  # urllib's own refusals, such as an unknown URL type
        return reason
    return f"cannot connect: {type(reason).__name__}"


def _after(failure: HttpError, tries: int) -> HttpError:
    if tries > 1:
        failure.args = (f"{failure} (after {tries} attempts)",)
    return failure
