"""Email each civil servant a workbook: draft .eml files for Outlook, or sending over SMTP."""

from __future__ import annotations

import copy
import email.policy
import getpass
import ipaddress
import mimetypes
import os
import smtplib
import socket
import ssl
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field, fields
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from ..texts import bilingual

__all__ = [
    "SendReport",
    "SmtpSettings",
    "compose",
    "prompt_password",
    "send_messages",
    "write_eml",
]

SMTPS_PORT = 465
_ENV = {
    "host": "CCHC_SMTP_HOST",
    "port": "CCHC_SMTP_PORT",
    "starttls": "CCHC_SMTP_STARTTLS",
    "user": "CCHC_SMTP_USER",
    "password": "CCHC_SMTP_PASSWORD",
    "sender": "CCHC_SMTP_FROM",
}
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}
# Not every system's mimetypes table knows the OOXML types, so the workbook ones are fixed here.
_WORKBOOK_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xls": "application/vnd.ms-excel",
}
_FALLBACK_MSGID_DOMAIN = "cchc-xl.invalid"



def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass
class SmtpSettings:
    """Where and how to send: the office's SMTP account. The password is never shown."""

    host: str
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = ""  # From address
    timeout: float = 30
    # Implicit TLS from the first byte; None means "when the port is 465".
    smtps: bool | None = None
    # Certificates to trust; None means the system's trust store.
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @property
    def uses_smtps(self) -> bool:
        return self.port == SMTPS_PORT if self.smtps is None else self.smtps

    @property
    def encrypted(self) -> bool:
        return self.uses_smtps or self.starttls

    @classmethod
    def from_env(cls, **overrides: object) -> SmtpSettings:
        """Settings from CCHC_SMTP_HOST, _PORT, _STARTTLS (1/0), _USER, _PASSWORD, _FROM.

        An override that is not None wins over the environment; an empty variable counts as
        unset. Without a From address, a user name that is an address is used.
        Raises ValueError (in Vietnamese, saying what to set) for a missing host or a bad value.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown SMTP setting(s): {', '.join(unknown)}")
        values: dict[str, object] = {}
        for name, variable in _ENV.items():
            raw = os.environ.get(variable, "")
            if name != "password":
                raw = raw.strip()
            if raw:
                values[name] = _parse_env(name, variable, raw)
        values.update({name: value for name, value in overrides.items() if value is not None})
        if not values.get("host"):
            raise ValueError(
                "Chưa có máy chủ thư: đặt biến môi trường CCHC_SMTP_HOST "
                "(ví dụ smtp.gmail.com)."
            )
        user = values.get("user")
        if not values.get("sender") and isinstance(user, str) and "@" in user:
            values["sender"] = user
        return cls(**values)  # type: ignore[arg-type]


def _parse_env(name: str, variable: str, raw: str) -> object:
    if name == "port":
        try:
            port = int(raw)
        except ValueError:
            port = 0
        if not 0 < port < 65536:
            raise ValueError(
                f"{variable} phải là số cổng (thường là 587 hoặc 465), không phải «{raw}»."
            )
        return port
    if name == "starttls":
        if raw.lower() in _YES:
            return True
        if raw.lower() in _NO:
            return False
        raise ValueError(f"{variable} phải là 1 (bật) hoặc 0 (tắt), không phải «{raw}».")
    return raw


def compose(
    *,
    sender: str,
    to: str,
    subject: str,
    body: str,
    attachment: Path | None,
    to_name: str = "",
) -> EmailMessage:
    """A draft message: Vietnamese subject/body (UTF-8, subject RFC 2047 encoded, body
    quoted-printable), To with display name, the workbook attached with its content type and
    its file name (RFC 2231 if non-ASCII), Date and Message-ID headers, and the header
    `X-Unsent: 1` so Outlook opens the .eml as a draft ready to send.

    Text is normalised to Unicode NFC. An empty sender leaves From out (Outlook fills it in;
    send_messages uses SmtpSettings.sender); attachment None: a plain text message (a
    reminder with nothing to send again). Raises ValueError for an unusable address.
    """
    message = EmailMessage(policy=email.policy.SMTP)
    if sender:
        message["From"] = _nfc(sender)
    message["To"] = _address(to, to_name)
    _set_subject(message, _nfc(subject))
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_msgid_domain(sender))
    message["X-Unsent"] = "1"
    message.set_content(_nfc(body), cte="quoted-printable")
    if attachment is None:
        return message
    attachment = Path(attachment)
    maintype, _, subtype = _content_type(attachment).partition("/")
    message.add_attachment(
        attachment.read_bytes(),
        maintype=maintype,
        subtype=subtype,
        filename=_nfc(attachment.name),
    )
    return message


def _address(addr_spec: str, display_name: str) -> Address:
    addr_spec = addr_spec.strip()
    local, at, domain = addr_spec.rpartition("@")
    if not (local and at and domain) or any(ch.isspace() for ch in addr_spec):
        raise ValueError(f"Địa chỉ email không hợp lệ: «{addr_spec}».")
    return Address(display_name=_nfc(display_name.strip()), addr_spec=addr_spec)


def _set_subject(message: EmailMessage, subject: str) -> None:
    if subject.isascii():
        message["Subject"] = subject
        return
    # Python's own folder (3.11) drops the space between two encoded words it splits across
    # lines ("tiến độ – Tư" arrives as "tiến độ– Tư"); the legacy encoder keeps every space
    # inside an encoded word, and a header stored pre-folded is written out as is.
    folded = Header(subject, "utf-8", header_name="Subject").encode(linesep="\n")
    message.set_raw("Subject", folded)


def _msgid_domain(sender: str) -> str:
    domain = parseaddr(sender)[1].rpartition("@")[2]
    return domain if domain and domain.isascii() else _FALLBACK_MSGID_DOMAIN


def _content_type(path: Path) -> str:
    known = _WORKBOOK_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def write_eml(message: EmailMessage, path: Path) -> Path:
    """Write the message as an .eml file (CRLF line endings), atomically; returns the path."""
    path = Path(path)
    data = message.as_bytes(policy=email.policy.SMTP)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".~{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


@dataclass
class SendReport:
    """What send_messages did with each key."""

    sent: list[str] = field(default_factory=list)  # keys sent, in order
    failed: dict[str, str] = field(default_factory=dict)  # key -> reason (Vietnamese)
    skipped: list[str] = field(default_factory=list)  # in already_sent, or a repeated key
    # key -> note on a sent message, e.g. some of its recipients were refused
    warnings: dict[str, str] = field(default_factory=dict)


class _Refusal(Exception):
    """A failure whose text is already the reason to show."""


def send_messages(
    messages: Iterable[tuple[str, EmailMessage]],
    settings: SmtpSettings,
    *,
    already_sent: Set[str] = frozenset(),
    on_sent: Callable[[str], object] | None = None,
) -> SendReport:
    """Send each (key, message) not in already_sent over one SMTP connection.

    STARTTLS when settings.starttls, SMTPS on port 465 (or settings.smtps), login when
    settings.user is set; a password is never sent over a connection that is neither
    encrypted nor to a loopback address. If the server drops the connection, it is opened
    again once and the message retried; a second drop in a row stops the run. A message that
    fails is recorded in `failed` and the rest still go; when no connection can be made,
    every message fails with that reason. X-Unsent is removed from what is sent, and a
    message without From gets settings.sender.

    on_sent(key) is called right after each success, so the caller can record it durably;
    if it raises, sending stops and the exception propagates (the message was sent but not
    recorded, and going on could send it twice on a re-run).
    """
    report = SendReport()
    queued: set[str] = set(already_sent)
    pending: list[tuple[str, EmailMessage]] = []
    for key, message in messages:
        if key in queued:
            report.skipped.append(key)
        else:
            queued.add(key)
            pending.append((key, message))
    if not pending:
        return report
    problem = _refuse_credentials(settings)
    if problem:
        report.failed.update((key, problem) for key, _ in pending)
        return report

    connection: smtplib.SMTP | None = None
    drops = 0  # connection drops since the server last answered a message
    index = 0
    try:
        while index < len(pending):
            key, message = pending[index]
            if connection is None or connection.sock is None:
                try:
                    connection = _open(settings)
                except (smtplib.SMTPException, OSError, ValueError, _Refusal) as exc:
                    reason = _reason(exc, settings)
                    report.failed.update((k, reason) for k, _ in pending[index:])
                    break
            try:
                refused = connection.send_message(_outgoing(message, settings))
            except (smtplib.SMTPException, OSError, ValueError, _Refusal) as exc:
                if connection.sock is None:  # smtplib closes on a drop and on any 421
                    drops += 1
                    if drops == 1:
                        continue  # reconnect and retry this message
                    report.failed[key] = _reason(exc, settings)
                    gave_up = bilingual("mail", "gave-up", host=settings.host, port=settings.port)
                    report.failed.update((k, gave_up) for k, _ in pending[index + 1:])
                    break
                drops = 0
                report.failed[key] = _reason(exc, settings)
            else:
                drops = 0
                report.sent.append(key)
                if refused:
                    report.warnings[key] = bilingual("mail", "partly-refused",
                        addresses=", ".join(
                            f"{addr} ({code} {_text(text)})"
                            for addr, (code, text) in refused.items()
                        )
                    )
                if on_sent is not None:
                    on_sent(key)
            index += 1
    finally:
        if connection is not None:
            _close(connection)
    return report


def _is_loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _refuse_credentials(settings: SmtpSettings) -> str | None:
    if not settings.user:
        return None
    if settings.password is None:
        return bilingual("mail", "password-missing", user=settings.user)
    if not settings.encrypted and not _is_loopback(settings.host):
        return bilingual("mail", "password-in-clear", host=settings.host, port=settings.port)
    return None


def _open(settings: SmtpSettings) -> smtplib.SMTP:
    context = settings.ssl_context or ssl.create_default_context()
    connection: smtplib.SMTP
    if settings.uses_smtps:
        connection = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls and not settings.uses_smtps:
            try:
                connection.starttls(context=context)
            except smtplib.SMTPNotSupportedError:
                raise _Refusal(
                    bilingual("mail", "starttls-unsupported", host=settings.host,
                              port=settings.port)
                ) from None
        if settings.user:
            _login(connection, settings)
    except BaseException:
        connection.close()
        raise
    return connection


def _login(connection: smtplib.SMTP, settings: SmtpSettings) -> None:
    user, password = settings.user or "", settings.password or ""
    try:
        connection.login(user, password)
    except UnicodeEncodeError:
        # str(exc) would quote a character of the password.
        raise _Refusal(bilingual("mail", "password-not-ascii", user=user)) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise _Refusal(_auth_unsupported(settings, exc)) from None
    except smtplib.SMTPException as exc:
        if type(exc) is smtplib.SMTPException:  # "No suitable authentication method found."
            raise _Refusal(_auth_unsupported(settings, exc)) from None
        raise


def _auth_unsupported(settings: SmtpSettings, exc: Exception) -> str:
    return bilingual("mail", "auth-unsupported",
        host=settings.host, port=settings.port, detail=_detail(exc)
    )


def _outgoing(message: EmailMessage, settings: SmtpSettings) -> EmailMessage:
    """The message as it goes on the wire: not a draft, and with a From."""
    outgoing = copy.deepcopy(message)
    del outgoing["X-Unsent"]
    if outgoing["From"] is None:
        if not settings.sender:
            raise _Refusal(bilingual("mail", "sender-missing"))
        outgoing["From"] = settings.sender
    return outgoing


def _close(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def _detail(exc: BaseException | str) -> str:
    """An exception's text on one line, without a final period (the template adds its own)."""
    return " ".join(str(exc).split()).rstrip(".")


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())


def _service_closing(exc: BaseException) -> tuple[int, bytes] | None:
    """The server's 421 reply ("closing the channel") inside an smtplib exception, if any."""
    if isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code == 421:
        return exc.smtp_code, exc.smtp_error
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        for code, text in exc.recipients.values():
            if code == 421:
                return code, text
    return None


def _reason(exc: BaseException, settings: SmtpSettings) -> str:
    """A plain-text reason for the user, from an exception of smtplib, ssl or the network."""
    where = {"host": settings.host, "port": settings.port}
    if isinstance(exc, _Refusal):
        return str(exc)
    busy = _service_closing(exc)
    if busy is not None:
        return bilingual("mail", "server-busy", **where, code=busy[0], text=_text(busy[1]))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        if not exc.recipients:
            return bilingual("mail", "no-recipient")
        return " ".join(
            bilingual("mail", "recipient-refused", address=addr, code=code, text=_text(text))
            for addr, (code, text) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return bilingual("mail", "sender-refused",
            address=_text(exc.sender), code=exc.smtp_code, text=_text(exc.smtp_error)
        )
    if isinstance(exc, smtplib.SMTPDataError):
        return bilingual("mail", "data-refused", code=exc.smtp_code, text=_text(exc.smtp_error))
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return bilingual("mail", "auth-failed",
            user=settings.user, code=exc.smtp_code, text=_text(exc.smtp_error)
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return bilingual("mail", "server-error", code=exc.smtp_code, text=_text(exc.smtp_error))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if isinstance(exc.__context__, TimeoutError):  # smtplib re-raises a timeout as this
            return bilingual("mail", "timeout", **where, timeout=settings.timeout)
        return bilingual("mail", "disconnected", **where, detail=_detail(exc))
    if isinstance(exc, ssl.SSLCertVerificationError):
        return bilingual("mail", "certificate-invalid",
            host=settings.host, detail=_detail(exc.verify_message or exc.reason or exc)
        )
    if isinstance(exc, ssl.SSLError):
        return bilingual("mail", "tls-failed", **where, detail=_detail(exc.reason or exc))
    if isinstance(exc, ConnectionRefusedError):
        return bilingual("mail", "connection-refused", **where)
    if isinstance(exc, TimeoutError):
        return bilingual("mail", "timeout", **where, timeout=settings.timeout)
    if isinstance(exc, socket.gaierror):
        return bilingual("mail", "host-not-found", host=settings.host)
    if isinstance(exc, OSError):
        return bilingual("mail", "network", **where, detail=_detail(exc.strerror or exc))
    if isinstance(exc, smtplib.SMTPException):
        return bilingual("mail", "smtp-error", detail=_detail(exc))
    return bilingual("mail", "message-invalid", detail=_detail(exc))


def prompt_password(user: str) -> str:
    """Ask for the SMTP password on the terminal, without echo; it is never stored."""
    return getpass.getpass(f"Mật khẩu SMTP của {user}: ")
