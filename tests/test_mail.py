"""Mail: drafts as .eml files and sending over a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.message
import email.policy
import ipaddress
import re
import shutil
import socket
import ssl
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from cchc_xl.cycle.mail import SendReport, SmtpSettings, compose, send_messages, write_eml

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
aiosmtpd_smtp = pytest.importorskip("aiosmtpd.smtp")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBJECT = "[CCHC 2021] Phiếu cập nhật tiến độ – Tư pháp – Hộ tịch – Đợt 1"
BODY = (
    "Kính gửi anh Bình,\n"
    "\n"
    "Văn phòng gửi anh phiếu cập nhật tiến độ các nhiệm vụ cải cách hành chính năm 2021 "
    "do anh chủ trì (lĩnh vực Tư pháp – Hộ tịch).\n"
    "Đề nghị anh điền cột «Tiến độ» và gửi lại trước ngày 15/03/2021.\n"
    "\n"
    "Trân trọng,\n"
    "UBND xã Tân Phú\n"
)
SENDER = "UBND xã Tân Phú <vanphong@tanphu.gov.vn>"
FILE_NAME = "Phiếu tiến độ – Trần Văn Bình.xlsx"
# Every byte value, so a lossy transfer encoding cannot go unnoticed.
WORKBOOK = b"PK\x03\x04" + bytes(range(256)) * 40 + b"\r\n\n\r.\r\n"
PASSWORD = "m4t-kh4u"

PEOPLE = [
    ("binh", "binh.tv@tanphu.gov.vn", "Trần Văn Bình"),
    ("an", "an.nt@tanphu.gov.vn", "Nguyễn Thị An"),
    ("chi", "chi.lh@tanphu.gov.vn", "Lê Hoàng Chi"),
]


# --- a real SMTP server -------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    login: bytes | None

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)


class Mailbox:
    """An aiosmtpd handler keeping what it accepts; it can refuse or hang up on addresses."""

    def __init__(self, *, reject: tuple[str, ...] = (), hang_up: dict[str, int] | None = None,
                 stall: tuple[str, ...] = ()):
        self.received: list[Received] = []
        self.reject = set(reject)
        self.hang_up = dict(hang_up or {})  # address -> how many times to answer DATA with 421
        self.stall = set(stall)  # never answer DATA for these

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall.intersection(envelope.rcpt_tos):
            await asyncio.sleep(60)  # cancelled when the controller stops
        for address in envelope.rcpt_tos:
            if self.hang_up.get(address, 0) > 0:
                self.hang_up[address] -= 1
                return "421 4.3.2 Service shutting down"
        login = session.auth_data.login if session.auth_data else None
        self.received.append(
            Received(
                envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                server.transport.get_extra_info("ssl_object") is not None, login,
            )
        )
        return "250 2.0.0 Ok: queued"


class CountingController(aiosmtpd_controller.Controller):
    """A Controller that counts the connections its server accepts."""

    connections = 0

    def factory(self):
        self.connections += 1
        return super().factory()


def free_port() -> int:
    """A loopback port nothing listens on (the Controller cannot bind port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serve():
    """serve(handler, **controller_options) -> (controller, port), stopped after the test."""
    running: list[CountingController] = []

    def start(handler: Mailbox, **options) -> tuple[CountingController, int]:
        port = free_port()
        controller = CountingController(
            handler, hostname="127.0.0.1", port=port, server_hostname="mail.tanphu.test",
            **options,
        )
        controller.start()
        running.append(controller)
        controller.connections = 0  # start() connects once to wake the server up
        return controller, port

    yield start
    for controller in running:
        controller.stop()


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, aiosmtpd_smtp.LoginPassword) and auth_data == (
        b"vanphong", PASSWORD.encode()
    )
    # handled=False: aiosmtpd then answers a failure itself (535) instead of staying silent.
    return aiosmtpd_smtp.AuthResult(success=ok, handled=False, auth_data=auth_data)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (cert.pem, key.pem)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("neither the cryptography package nor the openssl binary is available")
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True,
        )
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def trusting(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / FILE_NAME
    path.write_bytes(WORKBOOK)
    return path


def letters(workbook: Path, people=PEOPLE, sender: str = SENDER):
    return [
        (key, compose(sender=sender, to=address, to_name=name, subject=SUBJECT, body=BODY,
                      attachment=workbook))
        for key, address, name in people
    ]


def plain(port: int, **options) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, starttls=False, timeout=10, **options)


@pytest.fixture(autouse=True)
def no_smtp_env(monkeypatch):
    for variable in ("HOST", "PORT", "STARTTLS", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"CCHC_SMTP_{variable}", raising=False)


# --- drafts -------------------------------------------------------------------------------


def test_compose_and_write_eml_round_trip(tmp_path: Path, workbook: Path):
    nfd = unicodedata.normalize("NFD", BODY)
    assert nfd != BODY
    message = compose(
        sender=SENDER, to="binh.tv@tanphu.gov.vn",
        to_name=unicodedata.normalize("NFD", "Trần Văn Bình"),
        subject=SUBJECT, body=nfd, attachment=workbook,
    )
    out = tmp_path / "thu" / "binh.eml"
    assert write_eml(message, out) == out
    data = out.read_bytes()

    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert str(parsed["To"]) == "Trần Văn Bình <binh.tv@tanphu.gov.vn>"
    assert parsed["To"].addresses[0].display_name == "Trần Văn Bình"
    assert parsed["To"].addresses[0].addr_spec == "binh.tv@tanphu.gov.vn"
    assert parsed["From"].addresses[0].display_name == "UBND xã Tân Phú"
    assert parsed["From"].addresses[0].addr_spec == "vanphong@tanphu.gov.vn"
    assert parsed["Subject"] == SUBJECT
    assert parsed["X-Unsent"] == "1"
    assert parsed["Date"].datetime is not None
    assert re.fullmatch(r"<[^<>@\s]+@tanphu\.gov\.vn>", parsed["Message-ID"])
    assert parsed.get_content_type() == "multipart/mixed"

    text = parsed.get_body(preferencelist=("plain",))
    assert text["Content-Transfer-Encoding"] == "quoted-printable"
    assert text.get_content_charset() == "utf-8"
    assert text.get_content() == BODY.replace("\n", "\r\n")  # NFC, CRLF as on the wire

    [attached] = list(parsed.iter_attachments())
    assert attached.get_content_type() == XLSX
    assert attached.get_content_disposition() == "attachment"
    assert attached.get_filename() == FILE_NAME
    assert attached.get_content() == WORKBOOK

    # 7-bit clean: subject and names RFC 2047, file name RFC 2231, parts QP/base64.
    assert data.isascii()
    assert re.search(rb"^Subject: =\?utf-8\?b\?", data, re.MULTILINE)
    assert re.search(rb"filename\*(0\*)?=utf-8''Phi%E1%BA%BFu", data)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert sorted(p.name for p in out.parent.iterdir()) == ["binh.eml"]  # no temp file left


def test_compose_ascii_file_name_and_no_sender(tmp_path: Path):
    sheet = tmp_path / "phieu-binh.xlsm"
    sheet.write_bytes(b"PK\x03\x04macro")
    message = compose(sender="", to="binh.tv@tanphu.gov.vn", subject="Phieu", body="Chao anh",
                      attachment=sheet)
    data = message.as_bytes(policy=email.policy.SMTP)
    parsed = email.message_from_bytes(data, policy=email.policy.default)
    assert parsed["From"] is None
    assert str(parsed["To"]) == "binh.tv@tanphu.gov.vn"
    assert parsed["Subject"] == "Phieu"
    assert re.fullmatch(r"<[^<>@\s]+@cchc-xl\.invalid>", parsed["Message-ID"])
    [attached] = list(parsed.iter_attachments())
    assert attached.get_content_type() == "application/vnd.ms-excel.sheet.macroenabled.12"
    assert b'filename="phieu-binh.xlsm"' in data


@pytest.mark.parametrize("address", ["", "binh.tv", "binh tv@tanphu.gov.vn", "@tanphu.gov.vn"])
def test_compose_refuses_a_bad_address(workbook: Path, address: str):
    with pytest.raises(ValueError) as info:
        compose(sender=SENDER, to=address, subject=SUBJECT, body=BODY, attachment=workbook)
    assert str(info.value) == f"Địa chỉ email không hợp lệ: «{address}»."


def test_write_eml_replaces_an_existing_file(tmp_path: Path, workbook: Path):
    out = tmp_path / "binh.eml"
    out.write_bytes(b"old")
    write_eml(letters(workbook)[0][1], out)
    assert out.read_bytes().startswith(b"From: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["binh.eml", FILE_NAME])


# --- sending ------------------------------------------------------------------------------


def test_send_over_one_connection(serve, workbook: Path):
    mailbox = Mailbox()
    controller, port = serve(mailbox)
    recorded: list[str] = []
    already = ("done", "done@tanphu.gov.vn", "Đã Gửi")
    report = send_messages(
        letters(workbook, people=[PEOPLE[0], already, *PEOPLE[1:]]),
        plain(port, sender="vanphong@tanphu.gov.vn"),
        already_sent={"done"},
        on_sent=recorded.append,
    )
    assert report == SendReport(sent=["binh", "an", "chi"], failed={}, skipped=["done"])
    assert recorded == ["binh", "an", "chi"]
    assert controller.connections == 1
    assert [(r.mail_from, r.rcpt_tos) for r in mailbox.received] == [
        ("vanphong@tanphu.gov.vn", ["binh.tv@tanphu.gov.vn"]),
        ("vanphong@tanphu.gov.vn", ["an.nt@tanphu.gov.vn"]),
        ("vanphong@tanphu.gov.vn", ["chi.lh@tanphu.gov.vn"]),
    ]
    for received, (_, address, name) in zip(mailbox.received, PEOPLE):
        message = received.message
        assert message["Subject"] == SUBJECT
        assert str(message["To"]) == f"{name} <{address}>"
        assert message["X-Unsent"] is None  # a sent message is not a draft
        assert message.get_body(preferencelist=("plain",)).get_content() == BODY.replace(
            "\n", "\r\n"
        )
        [attached] = list(message.iter_attachments())
        assert attached.get_filename() == FILE_NAME
        assert attached.get_content() == WORKBOOK
        assert received.tls is False


def test_send_skips_everything_already_sent(serve, workbook: Path):
    mailbox = Mailbox()
    controller, port = serve(mailbox)
    report = send_messages(letters(workbook), plain(port), already_sent={"binh", "an", "chi"})
    assert report == SendReport(sent=[], failed={}, skipped=["binh", "an", "chi"])
    assert controller.connections == 0
    assert mailbox.received == []


def test_a_draft_without_from_gets_the_settings_sender(serve, workbook: Path):
    mailbox = Mailbox()
    _, port = serve(mailbox)
    report = send_messages(letters(workbook, sender="")[:2], plain(port, sender=SENDER))
    assert report == SendReport(sent=["binh", "an"])
    assert [r.mail_from for r in mailbox.received] == ["vanphong@tanphu.gov.vn"] * 2
    assert str(mailbox.received[0].message["From"]) == SENDER

    report = send_messages(letters(workbook, sender="")[:1], plain(port))
    assert report == SendReport(
        failed={"binh": "Thư chưa có địa chỉ người gửi. Đặt CCHC_SMTP_FROM."}
    )


def test_a_refused_recipient_fails_alone(serve, workbook: Path):
    mailbox = Mailbox(reject=("an.nt@tanphu.gov.vn",))
    controller, port = serve(mailbox)
    recorded: list[str] = []
    report = send_messages(letters(workbook), plain(port), on_sent=recorded.append)
    assert report == SendReport(
        sent=["binh", "chi"],
        failed={
            "an": "Máy chủ thư từ chối người nhận an.nt@tanphu.gov.vn: 550 5.1.1 "
            "<an.nt@tanphu.gov.vn>: Recipient address rejected: User unknown. "
            "Kiểm tra lại địa chỉ email của người này."
        },
    )
    assert recorded == ["binh", "chi"]
    assert [r.rcpt_tos for r in mailbox.received] == [
        ["binh.tv@tanphu.gov.vn"], ["chi.lh@tanphu.gov.vn"]
    ]
    assert controller.connections == 1


def test_a_message_some_recipients_refused_is_sent_with_a_warning(serve, workbook: Path):
    mailbox = Mailbox(reject=("khong-co@tanphu.gov.vn",))
    _, port = serve(mailbox)
    [(key, message)] = letters(workbook)[:1]
    message["Cc"] = "khong-co@tanphu.gov.vn"
    report = send_messages([(key, message)], plain(port))
    assert report == SendReport(
        sent=["binh"],
        warnings={
            "binh": "Đã gửi, nhưng máy chủ thư từ chối khong-co@tanphu.gov.vn (550 5.1.1 "
            "<khong-co@tanphu.gov.vn>: Recipient address rejected: User unknown)."
        },
    )
    assert [r.rcpt_tos for r in mailbox.received] == [["binh.tv@tanphu.gov.vn"]]


def test_a_failing_on_sent_stops_the_run(serve, workbook: Path):
    mailbox = Mailbox()
    _, port = serve(mailbox)

    def record(key: str) -> None:
        raise OSError("đĩa đầy")

    with pytest.raises(OSError, match="đĩa đầy"):
        send_messages(letters(workbook), plain(port), on_sent=record)
    assert [r.rcpt_tos for r in mailbox.received] == [["binh.tv@tanphu.gov.vn"]]


def test_unreachable_server_fails_every_message(workbook: Path):
    port = free_port()  # nothing listens there
    recorded: list[str] = []
    report = send_messages(letters(workbook), plain(port), on_sent=recorded.append)
    reason = (
        f"Không kết nối được tới máy chủ thư 127.0.0.1:{port} (máy chủ từ chối kết nối). "
        "Kiểm tra CCHC_SMTP_HOST và CCHC_SMTP_PORT."
    )
    assert report == SendReport(failed={"binh": reason, "an": reason, "chi": reason})
    assert recorded == []


def test_a_dropped_connection_is_reopened_once(serve, workbook: Path):
    mailbox = Mailbox(hang_up={"an.nt@tanphu.gov.vn": 1})
    controller, port = serve(mailbox)
    recorded: list[str] = []
    report = send_messages(letters(workbook), plain(port), on_sent=recorded.append)
    assert report == SendReport(sent=["binh", "an", "chi"])
    assert recorded == ["binh", "an", "chi"]
    assert [r.rcpt_tos for r in mailbox.received] == [
        ["binh.tv@tanphu.gov.vn"], ["an.nt@tanphu.gov.vn"], ["chi.lh@tanphu.gov.vn"]
    ]
    assert controller.connections == 2


def test_two_drops_in_a_row_stop_the_run(serve, workbook: Path):
    mailbox = Mailbox(hang_up={"an.nt@tanphu.gov.vn": 5})
    controller, port = serve(mailbox)
    report = send_messages(letters(workbook), plain(port))
    assert report == SendReport(
        sent=["binh"],
        failed={
            "an": f"Máy chủ thư 127.0.0.1:{port} tạm ngừng nhận thư: 421 4.3.2 Service "
            "shutting down. Chạy lại lệnh sau ít phút để gửi các thư còn lại.",
            "chi": f"Chưa gửi: máy chủ thư 127.0.0.1:{port} ngắt kết nối hai lần liên tiếp. "
            "Chạy lại lệnh sau ít phút để gửi các thư còn lại.",
        },
    )
    assert [r.rcpt_tos for r in mailbox.received] == [["binh.tv@tanphu.gov.vn"]]
    assert controller.connections == 2
    assert mailbox.hang_up == {"an.nt@tanphu.gov.vn": 3}


def test_a_server_that_stops_answering(serve, workbook: Path):
    mailbox = Mailbox(stall=("binh.tv@tanphu.gov.vn",))
    controller, port = serve(mailbox)
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=False, timeout=0.5)
    report = send_messages(letters(workbook), settings)
    assert report == SendReport(
        failed={
            "binh": f"Máy chủ thư 127.0.0.1:{port} không trả lời sau 0.5 giây. "
            "Kiểm tra mạng, tường lửa và CCHC_SMTP_PORT.",
            "an": f"Chưa gửi: máy chủ thư 127.0.0.1:{port} ngắt kết nối hai lần liên tiếp. "
            "Chạy lại lệnh sau ít phút để gửi các thư còn lại.",
            "chi": f"Chưa gửi: máy chủ thư 127.0.0.1:{port} ngắt kết nối hai lần liên tiếp. "
            "Chạy lại lệnh sau ít phút để gửi các thư còn lại.",
        }
    )
    assert controller.connections == 2


# --- login and encryption -----------------------------------------------------------------


AUTH_WITHOUT_TLS = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning"
)


@AUTH_WITHOUT_TLS
def test_login_with_the_right_password(serve, workbook: Path):
    mailbox = Mailbox()
    _, port = serve(mailbox, authenticator=authenticator, auth_required=True,
                    auth_require_tls=False)
    report = send_messages(letters(workbook)[:2], plain(port, user="vanphong", password=PASSWORD))
    assert report == SendReport(sent=["binh", "an"])
    assert [r.login for r in mailbox.received] == [b"vanphong", b"vanphong"]


@AUTH_WITHOUT_TLS
def test_login_with_a_wrong_password(serve, workbook: Path):
    mailbox = Mailbox()
    _, port = serve(mailbox, authenticator=authenticator, auth_required=True,
                    auth_require_tls=False)
    report = send_messages(letters(workbook)[:2], plain(port, user="vanphong", password="sai"))
    reason = (
        "Đăng nhập máy chủ thư bằng tài khoản vanphong không thành công: 535 5.7.8 "
        "Authentication credentials invalid. Kiểm tra tên đăng nhập và mật khẩu "
        "(Gmail cần «mật khẩu ứng dụng»)."
    )
    assert report == SendReport(failed={"binh": reason, "an": reason})
    assert mailbox.received == []


@AUTH_WITHOUT_TLS
def test_no_login_when_the_server_requires_it(serve, workbook: Path):
    mailbox = Mailbox()
    _, port = serve(mailbox, authenticator=authenticator, auth_required=True,
                    auth_require_tls=False)
    report = send_messages(letters(workbook)[:1], plain(port))
    assert report == SendReport(
        failed={
            "binh": "Máy chủ thư từ chối địa chỉ gửi vanphong@tanphu.gov.vn: 530 5.7.0 "
            "Authentication required. Đặt CCHC_SMTP_FROM là địa chỉ của chính tài khoản "
            "đăng nhập."
        }
    )


def test_a_server_that_offers_no_login(serve, workbook: Path):
    mailbox = Mailbox()
    _, port = serve(mailbox)  # no authenticator: AUTH is not advertised
    report = send_messages(letters(workbook)[:1], plain(port, user="vanphong", password=PASSWORD))
    assert report == SendReport(
        failed={
            "binh": f"Máy chủ thư 127.0.0.1:{port} không cho đăng nhập (SMTP AUTH extension "
            "not supported by server). Kiểm tra cổng (thường là 587 với STARTTLS hoặc 465) "
            "hoặc bỏ CCHC_SMTP_USER."
        }
    )
    assert mailbox.received == []


def test_no_password_in_clear_to_a_remote_host(workbook: Path):
    # .invalid never resolves: a host-not-found reason would mean a connection was tried.
    settings = SmtpSettings(host="smtp.tanphu.invalid", port=25, starttls=False,
                            user="vanphong", password=PASSWORD)
    reason = (
        "Không gửi mật khẩu qua kết nối không mã hóa tới smtp.tanphu.invalid:25. "
        "Bật STARTTLS (CCHC_SMTP_STARTTLS=1) hoặc dùng cổng 465."
    )
    assert send_messages(letters(workbook)[:2], settings) == SendReport(
        failed={"binh": reason, "an": reason}
    )


def test_a_user_without_a_password(workbook: Path):
    settings = SmtpSettings(host="smtp.tanphu.invalid", user="vanphong")
    reason = (
        "Chưa có mật khẩu của tài khoản vanphong. Đặt CCHC_SMTP_PASSWORD hoặc nhập mật khẩu "
        "khi được hỏi."
    )
    assert send_messages(letters(workbook)[:1], settings) == SendReport(failed={"binh": reason})


def test_the_password_is_never_shown():
    settings = SmtpSettings(host="smtp.tanphu.gov.vn", user="vanphong", password=PASSWORD)
    assert PASSWORD not in repr(settings)
    assert "password" not in repr(settings)


def test_starttls_with_login(serve, workbook: Path, certificate):
    mailbox = Mailbox()
    _, port = serve(mailbox, tls_context=server_tls(certificate), require_starttls=True,
                    authenticator=authenticator, auth_required=True)
    settings = SmtpSettings(host="127.0.0.1", port=port, user="vanphong", password=PASSWORD,
                            ssl_context=trusting(certificate), timeout=10)
    assert settings.starttls is True
    report = send_messages(letters(workbook), settings)
    assert report == SendReport(sent=["binh", "an", "chi"])
    assert [(r.tls, r.login) for r in mailbox.received] == [(True, b"vanphong")] * 3
    [attached] = list(mailbox.received[2].message.iter_attachments())
    assert attached.get_content() == WORKBOOK


def test_starttls_refuses_an_untrusted_certificate(serve, workbook: Path, certificate):
    mailbox = Mailbox()
    _, port = serve(mailbox, tls_context=server_tls(certificate), require_starttls=True)
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=10)  # system trust only
    report = send_messages(letters(workbook)[:2], settings)
    assert report.sent == []
    assert list(report.failed) == ["binh", "an"]
    assert report.failed["binh"] == report.failed["an"]
    assert re.fullmatch(
        r"Chứng chỉ TLS của máy chủ thư 127\.0\.0\.1 không hợp lệ \(self[- ]signed certificate\)\."
        r" Kiểm tra CCHC_SMTP_HOST có đúng tên máy chủ thư không\.",
        report.failed["binh"],
    ), report.failed["binh"]
    assert mailbox.received == []


def test_starttls_missing_on_the_server(serve, workbook: Path):
    mailbox = Mailbox()
    controller, port = serve(mailbox)
    settings = SmtpSettings(host="127.0.0.1", port=port, timeout=10)
    report = send_messages(letters(workbook)[:2], settings)
    reason = (
        f"Máy chủ thư 127.0.0.1:{port} không hỗ trợ STARTTLS nên thư không được gửi. "
        "Dùng cổng 465, hoặc đặt CCHC_SMTP_STARTTLS=0 nếu đây là máy chủ nội bộ tin cậy."
    )
    assert report == SendReport(failed={"binh": reason, "an": reason})
    assert mailbox.received == []
    assert controller.connections == 1


def test_smtps(serve, workbook: Path, certificate):
    mailbox = Mailbox()
    # aiosmtpd does not count implicit TLS as TLS when deciding to offer AUTH.
    _, port = serve(mailbox, ssl_context=server_tls(certificate), authenticator=authenticator,
                    auth_require_tls=False)
    settings = SmtpSettings(host="127.0.0.1", port=port, smtps=True, user="vanphong",
                            password=PASSWORD, ssl_context=trusting(certificate), timeout=10)
    report = send_messages(letters(workbook)[:2], settings)
    assert report == SendReport(sent=["binh", "an"])
    assert [(r.tls, r.login) for r in mailbox.received] == [(True, b"vanphong")] * 2


def test_port_465_means_smtps():
    assert SmtpSettings(host="smtp.gmail.com", port=465).uses_smtps is True
    assert SmtpSettings(host="smtp.gmail.com", port=587).uses_smtps is False
    assert SmtpSettings(host="smtp.gmail.com", port=465, smtps=False).uses_smtps is False


# --- settings from the environment ---------------------------------------------------------


def test_from_env(monkeypatch):
    monkeypatch.setenv("CCHC_SMTP_HOST", "smtp.tanphu.gov.vn")
    monkeypatch.setenv("CCHC_SMTP_PORT", "2525")
    monkeypatch.setenv("CCHC_SMTP_STARTTLS", "0")
    monkeypatch.setenv("CCHC_SMTP_USER", "vanphong")
    monkeypatch.setenv("CCHC_SMTP_PASSWORD", " mk có dấu cách ")
    monkeypatch.setenv("CCHC_SMTP_FROM", SENDER)
    assert SmtpSettings.from_env() == SmtpSettings(
        host="smtp.tanphu.gov.vn", port=2525, starttls=False, user="vanphong",
        password=" mk có dấu cách ", sender=SENDER,
    )
    assert SmtpSettings.from_env(host="smtp.gmail.com", port=465, starttls=None, user=None,
                                 password="khac", timeout=5) == SmtpSettings(
        host="smtp.gmail.com", port=465, starttls=False, user="vanphong", password="khac",
        sender=SENDER, timeout=5,
    )


def test_from_env_defaults_and_empty_variables(monkeypatch):
    monkeypatch.setenv("CCHC_SMTP_HOST", "smtp.gmail.com")
    monkeypatch.setenv("CCHC_SMTP_PORT", "")
    monkeypatch.setenv("CCHC_SMTP_STARTTLS", "1")
    monkeypatch.setenv("CCHC_SMTP_USER", "vanphong.tanphu@gmail.com")
    assert SmtpSettings.from_env() == SmtpSettings(
        host="smtp.gmail.com", port=587, starttls=True, user="vanphong.tanphu@gmail.com",
        password=None, sender="vanphong.tanphu@gmail.com",
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CCHC_SMTP_PORT", "abc",
         "CCHC_SMTP_PORT phải là số cổng (thường là 587 hoặc 465), không phải «abc»."),
        ("CCHC_SMTP_PORT", "70000",
         "CCHC_SMTP_PORT phải là số cổng (thường là 587 hoặc 465), không phải «70000»."),
        ("CCHC_SMTP_STARTTLS", "có",
         "CCHC_SMTP_STARTTLS phải là 1 (bật) hoặc 0 (tắt), không phải «có»."),
    ],
)
def test_from_env_bad_values(monkeypatch, variable: str, value: str, message: str):
    monkeypatch.setenv("CCHC_SMTP_HOST", "smtp.gmail.com")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError) as info:
        SmtpSettings.from_env()
    assert str(info.value) == message


def test_from_env_needs_a_host():
    with pytest.raises(ValueError) as info:
        SmtpSettings.from_env(port=25)
    assert str(info.value) == (
        "Chưa có máy chủ thư: đặt biến môi trường CCHC_SMTP_HOST (ví dụ smtp.gmail.com)."
    )
    assert SmtpSettings.from_env(host="localhost").host == "localhost"
    with pytest.raises(TypeError):
        SmtpSettings.from_env(host="localhost", hots="x")

