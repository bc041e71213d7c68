"""Demo data for ``seed_demo``: staffed queues, a VIP SLA, canned responses and ~300 believable tickets.

Every ticket is played through ``tickets.services`` with past ``now=`` times, in order,
so its SLA due times, first response, resolution, pauses, versions and audit trail
agree with each other. Nothing is e-mailed. A fixed random seed makes every demo
database look the same.
"""

import random
import struct
import time
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import import_module

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from helpdesk.accounts.models import Organization, User, normalize_email
from helpdesk.accounts.roles import Role, set_roles
from helpdesk.accounts.services import organization_create
from tickets import services
from tickets.models import (
    Attachment,
    BusinessHours,
    CannedResponse,
    Holiday,
    IntakeRecord,
    Priority,
    Queue,
    SLAPolicy,
    Ticket,
    TicketEvent,
)
from tickets.sla import Calendar

Status = Ticket.Status
Channel = Ticket.Channel
RANDOM_SEED = 20261
DAYS = 90
STATUS_COUNTS = {  # about 300 tickets, most of them finished, as in a real desk
    Status.NEW: 22, Status.OPEN: 46, Status.PENDING: 20, Status.ON_HOLD: 12, Status.RESOLVED: 38, Status.CLOSED: 162,
}
PRIORITY_WEIGHTS = {Priority.LOW: 15, Priority.NORMAL: 55, Priority.HIGH: 22, Priority.URGENT: 8}
CHANNEL_WEIGHTS = {Channel.PORTAL: 50, Channel.EMAIL: 35, Channel.PHONE: 15}

# ---------------------------------------------------------------- people and configuration

ORGANIZATIONS = [
    # name, e-mail domain, tier, account manager, customer since
    ("Northwind Traders", "northwind.example", Organization.Tier.STANDARD, "agent2@example.com", date(2022, 5, 10)),
    ("Initech", "initech.example", Organization.Tier.STANDARD, "agent1@example.com", date(2024, 1, 22)),
    ("Contoso Health", "contoso-health.example", Organization.Tier.VIP, "agent1@example.com", date(2021, 11, 3)),
    ("杭州云途科技", "yuntu.example", Organization.Tier.STANDARD, "agent2@example.com", date(2025, 2, 17)),
]
CUSTOMERS = [
    # e-mail, name, organisation, primary contact, locale
    ("priya.patel@northwind.example", "Priya Patel", "Northwind Traders", True, "en"),
    ("tom.becker@northwind.example", "Tom Becker", "Northwind Traders", False, "en"),
    ("hannah.schmidt@northwind.example", "Hannah Schmidt", "Northwind Traders", False, "en"),
    ("laura.mitchell@initech.example", "Laura Mitchell", "Initech", True, "en"),
    ("james.oconnor@initech.example", "James O'Connor", "Initech", False, "en"),
    ("mei.lin@initech.example", "Mei Lin", "Initech", False, "en"),
    ("daniel.kim@contoso-health.example", "Daniel Kim", "Contoso Health", True, "en"),
    ("sofia.rossi@contoso-health.example", "Sofia Rossi", "Contoso Health", False, "en"),
    ("wang.wei@contoso-health.example", "王伟", "Contoso Health", False, "zh-hans"),
    ("li.na@yuntu.example", "李娜", "杭州云途科技", True, "zh-hans"),
    ("zhang.lei@yuntu.example", "张磊", "杭州云途科技", False, "zh-hans"),
    ("chen.jing@yuntu.example", "陈静", "杭州云途科技", False, "zh-hans"),
]
QUEUE_DETAILS = {
    # slug: description, inbound address, members
    "technical": ("Log-in, API, integrations, performance and bugs", "support@helpdesk.localhost",
                  ["agent1@example.com", "agent2@example.com"]),
    "billing": ("Invoices, payments, refunds and licence keys", "billing@helpdesk.localhost",
                ["agent2@example.com"]),
    "account": ("Users, permissions, SSO set-up and data requests", "accounts@helpdesk.localhost",
                ["agent1@example.com"]),
}
VIP_POLICIES = [
    # priority, first response, resolution (business minutes)
    (Priority.URGENT, 30, 2 * 60),
    (Priority.HIGH, 2 * 60, 6 * 60),
]
HOLIDAYS = [  # month, day, name: the latest one before today and the next one after it are added
    (1, 1, "New Year's Day"), (4, 4, "Qingming Festival"), (5, 1, "Labour Day"), (7, 1, "Company day"),
    (10, 1, "National Day"), (12, 25, "Christmas Day"),
]
CANNED_RESPONSES = [
    # title, queue slug or None, body
    ("Greeting and first look", None,
     "Hi {customer_name},\n\nthanks for contacting us about “{subject}”. I'm looking into it now and will get back "
     "to you shortly.\n\nBest regards,\n{agent_name}"),
    ("Need more information", None,
     "Hi {customer_name},\n\nto get to the bottom of {reference}, could you send us the exact error message, the time "
     "it happened and a screenshot? I'll keep the ticket open until we hear from you.\n\nThanks,\n{agent_name}"),
    ("Resolved: please confirm", None,
     "Hi {customer_name},\n\nthe problem described in {reference} should now be fixed. Could you check on your side? "
     "If anything is still not right, just reply to this message and the ticket reopens.\n\nBest regards,\n"
     "{agent_name}"),
    ("Password reset steps", "technical",
     "Hi {customer_name},\n\nplease open the sign-in page, choose “Forgot your password?” and follow the link we "
     "e-mail you within 15 minutes. If the e-mail does not arrive, check the spam folder.\n\n{agent_name}"),
    ("Refund on its way", "billing",
     "Hi {customer_name},\n\nwe have issued the refund for {reference}. Depending on your bank it shows on your "
     "statement within 5–10 business days.\n\nKind regards,\n{agent_name}"),
    ("已收到您的请求（中文）", None,
     "{customer_name}，您好！\n\n我们已收到您关于“{subject}”的请求（编号 {reference}），正在处理中，"
     "会尽快回复您。\n\n{agent_name}"),
]

# ---------------------------------------------------------------- what customers write about


@dataclass(frozen=True)
class Topic:
    queue: str
    subject: str
    description: str
    tags: tuple
    fix: str
    priority: str | None = None  # the usual priority, if the topic has one


EN_TOPICS = [
    Topic("technical", "Cannot log in after password reset",
          "I reset my password this morning using the link from the e-mail, but the sign-in page still says "
          "“Invalid e-mail or password”. I tried Chrome and Firefox. My colleagues can log in fine.",
          ("login", "password"), "The account was locked after five failed attempts; unlocked it and confirmed "
          "the new password works."),
    Topic("technical", "SSO login fails with “SAML response signature invalid”",
          "Since this morning nobody in our company can sign in through Okta. The error page says "
          "“SAML response signature invalid”. We did not change anything on our side as far as I know.",
          ("sso", "login"), "The customer's IdP rotated its signing certificate; uploaded the new certificate "
          "to their SSO settings.", Priority.URGENT),
    Topic("technical", "API returns {code} on {endpoint}",
          "Our nightly integration job calls {endpoint} and since yesterday about one request in five fails with "
          "HTTP {code}. Request IDs from the log: req_{n}a, req_{n}f. Nothing changed in our code.",
          ("api",), "A faulty node behind the load balancer was taken out of rotation; error rate back to zero."),
    Topic("technical", "Webhook deliveries to our endpoint stopped",
          "We have not received any webhook since {weekday}. Our endpoint is up and returns 200 when we test it "
          "with curl. The webhook page in the settings shows the last delivery on {weekday}.",
          ("api", "webhooks"), "Webhooks had been disabled automatically after repeated timeouts; re-enabled them "
          "and replayed the missed events."),
    Topic("technical", "Dashboard takes {n} seconds to load",
          "The main dashboard has become very slow for our team: {n} seconds or more before anything appears. "
          "Other pages are fine. We have about 40 users and 12 saved widgets.",
          ("performance", "dashboard"), "A widget queried two years of data without an index; added the index and "
          "load time is under 2 seconds again."),
    Topic("technical", "CSV export of the {report} report times out",
          "When I export the {report} report for the last quarter as CSV, the browser waits about a minute and "
          "then shows “Gateway timeout”. Smaller date ranges work.",
          ("export", "performance"), "Large exports now run in the background and arrive by e-mail; showed the "
          "customer where to find them."),
    Topic("technical", "Data export is missing rows from {month}",
          "The full data export we downloaded yesterday has no records from {month}, although we can see them in "
          "the app. We need the complete file for our auditors by Friday.",
          ("export", "data"), "Records from that month were stored in an archived partition the export skipped; "
          "fixed the export and sent a complete file."),
    Topic("technical", "Mobile app crashes on startup (iOS 18)",
          "After updating to the latest version of the iOS app, it closes immediately after the splash screen. "
          "Reinstalling did not help. iPhone 15, iOS 18.1.",
          ("mobile", "bug"), "Fixed in app version 5.3.1, released to the App Store; the customer confirmed it "
          "starts again."),
    Topic("technical", "Two-factor codes are not accepted",
          "My authenticator app codes are rejected every time (“invalid code”). I have checked that the time on my "
          "phone is set automatically.",
          ("login", "2fa"), "The customer had two entries for our site in the authenticator; reset two-factor "
          "authentication and helped re-enrol."),
    Topic("technical", "Search returns no results for recent records",
          "Records created in the last two days do not show up in search, but I can open them through the list. "
          "Example: customer number {n}.",
          ("search", "bug"), "The search indexer was stuck behind a failed job; restarted it and reindexed the "
          "customer's workspace."),
    Topic("technical", "E-mail notifications arrive hours late",
          "Notifications for new assignments reach us two to three hours after the fact. This makes the feature "
          "useless for our on-call team.",
          ("notifications", "email"), "Their mail server greylisted our new sending IP; added SPF and the customer "
          "allow-listed the IP."),
    Topic("technical", "Rate limit hit during bulk import",
          "We are migrating {n} contacts through the API and get HTTP 429 after a few minutes. Is there a way to "
          "raise the limit for one weekend?",
          ("api", "import"), "Raised the workspace's rate limit for 72 hours and recommended the bulk endpoint."),
    Topic("technical", "“Session expired” every few minutes in {browser}",
          "Since this week I get logged out with “Session expired” every few minutes when using {browser}. "
          "It does not happen in other browsers.",
          ("login", "browser"), "A browser extension blocked the session cookie; the customer allowed our domain "
          "and the problem stopped."),
    Topic("technical", "Scheduled report was not sent on Monday",
          "Our weekly KPI report is scheduled for Monday 08:00 and did not arrive this week. The schedule is still "
          "active.",
          ("reports",), "The report failed because a deleted user was its owner; moved ownership and re-sent it."),
    Topic("technical", "Salesforce integration stopped syncing",
          "New opportunities from Salesforce have not appeared since {weekday}. The integration page says "
          "“Connected”. Could you check the sync log?",
          ("integration",), "The Salesforce refresh token had expired; the customer reconnected the integration "
          "and a full sync ran."),
    Topic("technical", "On-premise gateway upgrade to 4.2 fails",
          "The upgrade of our on-premise gateway from 4.1.3 to 4.2.0 stops at the database migration step with "
          "“relation already exists”. We rolled back for now.",
          ("installation", "on-premise"), "A manual change on their database conflicted with the migration; sent "
          "a clean-up script and the upgrade completed."),
    Topic("billing", "Invoice {invoice} shows the wrong VAT number",
          "Invoice {invoice} has our old VAT number on it. Our finance department cannot book it like this. "
          "The correct number is in our account settings.",
          ("invoice",), "Issued a corrected invoice with the current VAT number and cancelled the old one."),
    Topic("billing", "Charged twice for the {month} subscription",
          "Our credit card was charged twice for the {month} subscription (two identical payments on the same "
          "day). Please refund one of them.",
          ("payment", "refund"), "The payment provider retried a payment that had succeeded; refunded the duplicate."),
    Topic("billing", "Credit note for unused seats",
          "We reduced our team from 30 to 22 people in {month}. Can we get a credit note for the unused seats for "
          "the rest of the contract year?",
          ("invoice", "refund"), "Issued a pro-rata credit note for 8 seats."),
    Topic("billing", "Update the credit card on file",
          "Our company card expires at the end of the month. How do I replace it without interrupting the "
          "subscription?",
          ("payment",), "Explained where to update the card in the billing settings; the customer updated it.",
          Priority.LOW),
    Topic("billing", "Licence key for {product} not accepted",
          "The licence key we received for {product} is rejected with “key not valid for this version”. "
          "We bought it last week.",
          ("licence",), "The key had been issued for the previous major version; issued a new key."),
    Topic("billing", "Quote for 25 additional seats",
          "We would like to add 25 seats to our plan from next month. Could you send a quote, including any "
          "volume discount?",
          ("sales", "licence"), "Sent the quote; the customer will order through their purchasing department.",
          Priority.LOW),
    Topic("billing", "Purchase order number missing on invoice",
          "Our accounts payable team rejects invoices without our PO number. Please add PO-{n} to invoice "
          "{invoice} and to future invoices.",
          ("invoice",), "Added the PO number to the billing profile and re-issued the invoice."),
    Topic("billing", "Licence shows as expired although we renewed",
          "The app shows a banner “Your licence has expired” although we paid the renewal invoice {invoice} on "
          "time.",
          ("licence",), "The renewal payment was not matched to the licence; extended the licence manually.",
          Priority.HIGH),
    Topic("account", "Add a new administrator to our account",
          "Please make {colleague} an administrator of our workspace. I am the current owner.",
          ("users",), "Granted the administrator role after confirming with the workspace owner.", Priority.LOW),
    Topic("account", "Remove access for a former employee",
          "{colleague} left the company on Friday. Please make sure their account can no longer sign in and "
          "transfer their records to me.",
          ("users", "security"), "Deactivated the account and transferred its records to the requester."),
    Topic("account", "Change the owner of our workspace",
          "I am leaving the company at the end of the month. Please make {colleague} the new owner of the "
          "workspace.",
          ("account",), "Ownership transferred after confirmation from both people."),
    Topic("account", "Request to delete personal data (GDPR)",
          "A former customer of ours asked us to delete all their personal data. How can we remove it from your "
          "system, including backups?",
          ("privacy",), "Explained the erasure tool and the 30-day backup retention; the customer ran the erasure."),
    Topic("account", "Enable SSO for our organisation",
          "We would like to enforce single sign-on with Azure AD for everyone at our company. What do you need "
          "from us?",
          ("sso", "account"), "Configured SSO with the customer's Azure AD metadata and enforced it after a test."),
    Topic("account", "Audit log shows sign-ins from an unknown IP address",
          "The audit log shows three successful sign-ins for {colleague} from an IP address in another country "
          "last night. {colleague} was asleep at the time.",
          ("security", "login"), "Reset the user's password and sessions, enabled two-factor; the IP belonged to "
          "the user's new VPN provider.", Priority.HIGH),
]
ZH_TOPICS = [
    Topic("technical", "登录后页面一直空白",
          "今天早上开始，登录后页面一直是空白的，刷新也没有用。我们用的是 Chrome 浏览器，清过缓存了。",
          ("login", "bug"), "浏览器缓存了旧版本的脚本；清除站点数据后恢复正常。"),
    Topic("technical", "API 调用返回 500 错误",
          "我们的系统调用 {endpoint} 接口时，大约有一半的请求返回 HTTP 500。请求编号：req_{n}c。",
          ("api",), "修复了处理中文字段时的编码问题，接口恢复正常。"),
    Topic("technical", "导出数据时报表超时",
          "导出上个季度的销售报表时，页面等待一分钟后提示“网关超时”。导出一个月的数据没有问题。",
          ("export", "performance"), "大报表改为后台导出并通过邮件发送，已告知客户使用方法。"),
    Topic("technical", "系统响应很慢，打开工单列表需要十几秒",
          "最近一周系统非常慢，打开列表页面需要十几秒，影响我们整个团队的工作。",
          ("performance",), "为客户的工作区添加了缺失的索引，页面加载时间恢复到 2 秒以内。", Priority.HIGH),
    Topic("technical", "单点登录（SSO）配置失败",
          "按照文档配置了企业微信单点登录，但测试时提示“签名无效”。请帮忙看一下配置哪里有问题。",
          ("sso", "login"), "客户上传的证书格式不对；重新上传 PEM 格式证书后登录成功。"),
    Topic("technical", "手机 App 收不到推送通知",
          "安卓手机上的 App 收不到任何推送通知，通知权限已经打开了。型号：小米 14。",
          ("mobile", "notifications"), "手机系统的省电策略关闭了后台推送；指导客户将 App 加入白名单。"),
    Topic("billing", "发票抬头需要修改",
          "发票 {invoice} 的抬头写错了，应该是我们公司的全称。请重新开具发票。",
          ("invoice",), "已作废原发票并按正确抬头重新开具。"),
    Topic("billing", "许可证密钥无法激活",
          "收到的 {product} 许可证密钥在激活时提示“密钥无效”。订单号 PO-{n}。",
          ("licence",), "密钥对应的版本不正确，已重新发放新密钥。"),
    Topic("billing", "申请增加 5 个用户席位",
          "我们团队新来了 5 位同事，需要增加 5 个用户席位，请提供报价。",
          ("sales", "licence"), "已发送报价单，客户确认后已增加席位。", Priority.LOW),
    Topic("account", "离职员工账号需要停用",
          "{colleague} 已经离职，请停用他的账号，并把他负责的数据转给我。",
          ("users", "security"), "已停用账号并将数据转移给申请人。"),
]
FILLERS = {
    "code": ["500", "502", "503", "429", "401"],
    "endpoint": ["/v2/orders", "/v2/customers/search", "/v1/invoices", "/v2/webhooks/test", "/v2/reports/export"],
    "report": ["revenue", "pipeline", "activity", "SLA", "churn"],
    "month": ["July", "August", "September", "October"],
    "invoice": ["INV-2026-0412", "INV-2026-0587", "INV-2026-0633", "INV-2026-0719", "INV-2026-0804"],
    "product": ["CloudDesk Pro", "Analytics Suite", "On-prem Gateway", "Mobile SDK"],
    "browser": ["Safari", "Edge", "Chrome", "Firefox"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday"],
    "colleague": ["Jordan Lee", "Sam Taylor", "Chris Morgan", "Alex Kim", "刘洋"],
}
PRODUCT_BY_QUEUE = {"technical": ["CloudDesk Pro", "Analytics Suite", "Mobile SDK", "On-prem Gateway"],
                    "billing": ["CloudDesk Pro", "Analytics Suite"], "account": ["CloudDesk Pro"]}

# ---------------------------------------------------------------- what people say in the thread

TEXT = {
    "en": {
        "first": [
            "Hi {name},\n\nthanks for reaching out. I'm looking into this now and will get back to you as soon as "
            "I know more.\n\nBest regards,\n{agent}",
            "Hello {name},\n\nthank you for the detailed description. I can see the problem on our side and I'm "
            "working on it. I'll update you today.\n\n{agent}",
            "Hi {name},\n\nthanks for your message. I have checked your account and I think I know what is going "
            "on. Let me confirm one or two things and I'll come back to you shortly.\n\nKind regards,\n{agent}",
        ],
        "ask": [
            "Hi {name},\n\ncould you send us the exact error message and a screenshot? I'll set this ticket to "
            "pending until we hear from you.\n\nThanks,\n{agent}",
            "Hello {name},\n\nto look into this I need a few details: when did it last happen (with your time "
            "zone), and which user or document was affected? The ticket waits for your answer meanwhile.\n\n{agent}",
        ],
        "customer": [
            "Thanks for looking into it. It is still happening this morning.",
            "Here are the details you asked for. It last happened at 10:15 our time, for the user j.doe.",
            "I tried what you suggested but it did not help, unfortunately.",
            "Any update on this? We need it sorted out this week.",
            "Thanks for the quick answer — that explains it. Let me know when it's done.",
        ],
        "follow": [
            "Hi {name},\n\nthanks for the details. We found the cause and are fixing it today. I'll let you know "
            "when it's done.\n\n{agent}",
            "Hello {name},\n\nquick update: I'm still on it and expect to have an answer for you by tomorrow. "
            "Sorry for the wait.\n\n{agent}",
            "Hi {name},\n\nI've made a change on our side. Could you check again and tell me if it looks right "
            "now?\n\n{agent}",
        ],
        "resolve": [
            "Hi {name},\n\ngood news: this is fixed. {fix}\n\nI'm marking the ticket as resolved; just reply if "
            "anything is still not right.\n\nBest regards,\n{agent}",
            "Hello {name},\n\n{fix} Everything should work as expected now. If not, reply to this message and the "
            "ticket reopens.\n\n{agent}",
        ],
        "reopen": [
            "Sorry, the problem is back since this morning.",
            "It worked for a day but now we see the same error again.",
        ],
        "call": ["Summary of our phone call: {description}\n\nI'll look into it and get back to you by e-mail.\n\n"
                 "{agent}"],
    },
    "zh-hans": {
        "first": [
            "{name}，您好！\n\n感谢您的反馈，我们正在排查这个问题，有结果后会尽快回复您。\n\n{agent}",
            "{name}，您好！\n\n已收到您的问题，我们的工程师正在处理，有进展会第一时间通知您。\n\n{agent}",
        ],
        "ask": [
            "{name}，您好！\n\n请提供具体的错误信息和截图，收到后我们会继续处理。工单暂时设为等待客户回复。\n\n{agent}",
            "{name}，您好！\n\n请问问题最近一次出现是什么时间？涉及哪个用户或哪条记录？收到您的回复后我们继续处理。"
            "\n\n{agent}",
        ],
        "customer": [
            "从昨天下午开始的，我们部门的同事都受影响。",
            "谢谢！今天早上问题还在。",
            "按照您说的方法试了，还是不行。",
            "请问有进展了吗？",
        ],
        "follow": [
            "{name}，您好！\n\n我们已找到原因，修复会在今天上线，上线后会通知您。\n\n{agent}",
            "{name}，您好！\n\n我们在后台做了调整，请再确认一下是否正常。\n\n{agent}",
        ],
        "resolve": [
            "{name}，您好！\n\n问题已解决：{fix}\n\n如果还有问题，直接回复即可，工单会重新打开。\n\n{agent}",
        ],
        "reopen": ["问题又出现了，请再看一下。"],
        "call": ["电话沟通记录：{description}\n\n我们会尽快处理并通过邮件回复您。\n\n{agent}"],
    },
}
NOTES = [
    "Checked the logs: the errors started right after the 02:00 deployment. Asked the platform team to look.",
    "Reproduced on staging with the customer's settings.",
    "Probably the same root cause as ENG-{n}; linked it there.",
    "Customer is a VIP account — keep them updated at least once a day.",
    "Spoke with the account manager; they know about it.",
    "Attached the relevant part of the server log.",
]
HOLD_NOTES = [
    "Escalated to engineering (ENG-{n}). On hold until the fix ships.",
    "Waiting for the payment provider to confirm the refund.",
    "Waiting for the customer's IT department to change their firewall rules.",
]


# ---------------------------------------------------------------- small valid files


def png_bytes(width=24, height=16, seed=0) -> bytes:
    """A tiny valid PNG (a colour gradient), so the demo's screenshots pass the upload checks."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + bytes(value for x in range(width) for value in ((x * 10 + seed) % 256, y * 15 % 256, 180))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def log_bytes(at: datetime, rng: random.Random) -> bytes:
    lines = []
    moment = at - timedelta(minutes=3)
    for _ in range(8):
        moment += timedelta(seconds=rng.randint(2, 40))
        level, text = rng.choice([
            ("INFO", "GET /v2/orders 200 123ms"), ("WARN", "retrying upstream request (attempt 2)"),
            ("ERROR", "upstream timed out after 30000ms"), ("ERROR", "HTTP 502 Bad Gateway from api.example"),
            ("INFO", "session refreshed for user 4812"),
        ])
        lines.append(f"{moment:%Y-%m-%d %H:%M:%S} {level:<5} {text}")
    return ("\n".join(lines) + "\n").encode()


# ---------------------------------------------------------------- the plan of one ticket


@dataclass
class Step:
    at: datetime
    action: str
    options: dict = field(default_factory=dict)


@dataclass
class Plan:
    requester: User
    topic: Topic
    language: str
    subject: str
    description: str
    queue: Queue
    priority: str
    channel: str
    agent: User
    status: str
    steps: list = field(default_factory=list)
    initial_queue: Queue | None = None


class Demo:
    def __init__(self, users, organizations):
        self.rng = random.Random(RANDOM_SEED)
        # Its own stream, so choosing the one-reply resolutions leaves every other choice of the story as it was.
        self.one_touch_rng = random.Random(RANDOM_SEED + 1)
        self.now = timezone.now()
        self.started = self.now
        self.users = users
        self.organizations = organizations
        self.manager = users["manager@example.com"]
        self.pace = 1.0  # set per ticket by story()

    # ------------------------------------------------------------ configuration

    def configure(self):
        # The data migration's calendar, SLA policies and queues; a test database flushed since has none.
        import_module("tickets.migrations.0002_defaults").create_defaults(apps, None)
        self.queues = {queue.slug: queue for queue in Queue.objects.all()}
        for slug, (description, address, members) in QUEUE_DETAILS.items():
            queue = self.queues.get(slug)
            if queue is None:
                continue
            queue.description = queue.description or description
            queue.email_address = queue.email_address or address
            queue.manager = self.manager
            queue.save(update_fields=["description", "email_address", "manager"])
            queue.members.add(*[self.users[email] for email in members])
        self.members = {slug: [self.users[email] for email in QUEUE_DETAILS[slug][2]] for slug in self.queues
                        if slug in QUEUE_DETAILS}

        calendar = SLAPolicy.objects.get(priority=Priority.NORMAL, tier="").business_hours
        today = timezone.localdate(self.now)
        dates = sorted(date(year, month, day) for year in (today.year - 1, today.year, today.year + 1)
                       for month, day, _name in HOLIDAYS)
        names = {(month, day): name for month, day, name in HOLIDAYS}
        past = [day for day in dates if day < today][-1]
        upcoming = [day for day in dates if day >= today][0]
        for day in (past, upcoming):
            Holiday.objects.get_or_create(calendar=calendar, date=day, defaults={"name": names[(day.month, day.day)]})
        for priority, first_response, resolution in VIP_POLICIES:
            SLAPolicy.objects.get_or_create(
                priority=priority, tier=Organization.Tier.VIP,
                defaults={"name": f"VIP {Priority(priority).label.lower()} priority", "business_hours": calendar,
                          "first_response_minutes": first_response, "resolution_minutes": resolution},
            )
        for title, slug, body in CANNED_RESPONSES:
            CannedResponse.objects.get_or_create(title=title, defaults={"body": body, "queue": self.queues.get(slug)})
        self.calendar = Calendar.from_model(BusinessHours.objects.prefetch_related("periods", "holidays")
                                            .get(pk=calendar.pk))
        self.policies = {(policy.priority, policy.tier): policy for policy in SLAPolicy.objects.all()}

    def customers(self):
        template = self.users["alice@acme.example"]  # every demo login shares its password
        organizations = dict(self.organizations)
        for name, domain, tier, account_manager, since in ORGANIZATIONS:
            organization = Organization.objects.filter(name=name).first() or organization_create(
                name=name, email_domain=domain, tier=tier, account_manager=self.users[account_manager],
                customer_since=since,
            )
            organizations[name] = organization
        people = [user for email, user in self.users.items() if email.endswith(".example")
                  and not email.endswith("@example.com")]
        for email, name, organization, primary, locale in CUSTOMERS:
            user = User.objects.filter(email=normalize_email(email)).first()
            if user is None:
                user = User.objects.create(
                    email=normalize_email(email), name=name, password=template.password, locale=locale,
                    organization=organizations[organization], is_primary_contact=primary,
                    email_verified_at=self.now - timedelta(days=self.rng.randint(30, 700)),
                )
                set_roles(user, [Role.CUSTOMER])
            people.append(user)
        return people

    # ------------------------------------------------------------ planning

    def policy(self, priority, organization):
        if organization is not None and organization.tier == Organization.Tier.VIP:
            vip = self.policies.get((priority, Organization.Tier.VIP))
            if vip is not None:
                return vip
        return self.policies.get((priority, ""))

    def business(self, start, minutes):
        """``minutes`` business minutes after ``start`` (agents work in office hours), to the second."""
        moment = self.calendar.add_minutes(start, max(1, int(minutes)))
        return moment + timedelta(seconds=self.rng.randint(0, 59))

    def wall(self, start, low_minutes, high_minutes):
        return start + timedelta(minutes=self.rng.randint(low_minutes, high_minutes))

    def created_time(self, low_days, high_days):
        """A moment customers write: mostly weekday office hours, some evenings and week-ends."""
        rng = self.rng
        for _attempt in range(10):
            moment = self.now - timedelta(days=rng.uniform(low_days, high_days))
            local = moment.astimezone(self.calendar.tz)
            if local.weekday() >= 5 and rng.random() < 0.75:
                continue
            if not 8 <= local.hour < 19 and rng.random() < 0.8:
                continue
            return moment
        return moment

    def fill(self, text, extra):
        values = {key: self.rng.choice(options) for key, options in FILLERS.items()}
        values["n"] = self.rng.randint(1000, 9999)
        values.update(extra)
        return text.format(**values)

    def plan(self, status, requester):
        rng = self.rng
        language = "zh-hans" if requester.locale.startswith("zh") else "en"
        pool = ZH_TOPICS if language == "zh-hans" and rng.random() < 0.85 else EN_TOPICS
        topic = rng.choice(pool)
        shared = {key: rng.choice(options) for key, options in FILLERS.items()}
        shared["n"] = rng.randint(1000, 9999)
        subject, description = topic.subject.format(**shared), topic.description.format(**shared)
        queue = self.queues[topic.queue]
        priority = topic.priority or rng.choices(list(PRIORITY_WEIGHTS), weights=PRIORITY_WEIGHTS.values())[0]
        if topic.priority and rng.random() < 0.3:
            priority = rng.choices(list(PRIORITY_WEIGHTS), weights=PRIORITY_WEIGHTS.values())[0]
        channel = rng.choices(list(CHANNEL_WEIGHTS), weights=CHANNEL_WEIGHTS.values())[0]
        agent = rng.choice(self.members[queue.slug])
        plan = Plan(requester=requester, topic=topic, language=language, subject=subject, description=description,
                    queue=queue, priority=priority, channel=channel, agent=agent, status=status)
        if topic.queue == "billing" and rng.random() < 0.12:
            plan.initial_queue = self.queues["technical"]  # the customer picked the wrong category
        windows = {  # how long ago such a ticket was opened, in days
            Status.NEW: (0.02, 1.2), Status.OPEN: (0.2, 8), Status.PENDING: (0.5, 10), Status.ON_HOLD: (1, 10),
            Status.RESOLVED: (0.3, 9), Status.CLOSED: (9, DAYS),
        }
        low, high = windows[status]
        overdue_ok = rng.random() < 0.12  # a few running tickets are already past their due time
        if status == Status.NEW and overdue_ok:
            low, high = 1.5, 4  # forgotten over the week-end: first response overdue
        policy = self.policy(priority, requester.organization)
        for attempt in range(80):
            created = self.created_time(low, high)
            steps = self.story(plan, created, policy)
            if self.fits(plan, steps, created, policy, overdue_ok or attempt >= 60):
                plan.steps = steps
                return plan
        return None

    def fits(self, plan, steps, created, policy, overdue_ok):
        if steps[-1].at > self.now - timedelta(minutes=5):
            return False
        resolved = [step.at for step in steps if step.options.get("status") == Status.RESOLVED
                    or step.action == "customer_resolve"]
        if plan.status == Status.RESOLVED:
            # still within the auto-close window, so the hourly job does not close it right away
            return bool(resolved) and resolved[-1] > self.now - timedelta(days=6, hours=12)
        if plan.status in (Status.NEW, Status.OPEN, Status.ON_HOLD) and policy is not None and not overdue_ok:
            answered = any(step.action == "reply" for step in steps)
            first_due = self.business(created, policy.first_response_minutes)
            if not answered and first_due < self.now:
                return False
            return self.business(created, policy.resolution_minutes) > self.now
        return True

    def story(self, plan, created, policy):
        """The steps of one ticket, timed in business minutes for agents and wall-clock time for customers."""
        rng = self.rng
        first_target = policy.first_response_minutes if policy else 8 * 60
        resolution_target = policy.resolution_minutes if policy else 27 * 60
        # Urgent tickets move fast, low ones slowly: delays scale with the resolution target (normal: 3 days).
        pace = min(2.0, resolution_target / (27 * 60))
        self.pace = pace
        status = plan.status
        steps = [Step(created, "create")]
        t = created
        if plan.channel == Channel.PHONE and status != Status.NEW:
            t = created + timedelta(minutes=rng.randint(2, 6))
            steps.append(Step(t, "call_summary"))
        if plan.initial_queue is not None:
            t = self.business(t, rng.randint(3, 30) * pace)
            steps.append(Step(t, "move", {"actor": self.manager}))
        if status == Status.NEW:
            if rng.random() < 0.3:
                steps.append(Step(self.business(t, rng.randint(2, 20)), "assign"))
            return steps
        t = self.business(t, rng.randint(2, max(3, min(45, first_target // 3))))
        steps.append(Step(t, "assign"))
        breach_first = rng.random() < 0.06
        share = rng.uniform(1.15, 2.2) if breach_first else min(0.95, rng.betavariate(1.3, 4.5))
        t = max(self.business(created, first_target * share), t + timedelta(minutes=2))
        paused = 0
        if status == Status.PENDING and rng.random() < 0.5:
            steps.append(Step(t, "reply", {"kind": "ask", "status": Status.PENDING}))
            return steps
        if status in (Status.RESOLVED, Status.CLOSED) and self.one_touch_rng.random() < 0.35:
            # Answered and solved in one reply: a one-touch resolution.
            steps.append(Step(t, "reply", {"kind": "resolve", "status": Status.RESOLVED}))
            if status == Status.CLOSED:
                steps.append(Step(t + timedelta(days=7, minutes=rng.randint(1, 59)), "auto_close"))
            return steps
        steps.append(Step(t, "reply", {"kind": "first"}))
        if rng.random() < 0.3:
            t = self.business(t, rng.randint(5, 90) * pace)
            steps.append(Step(t, "note", {"actor": self.manager if rng.random() < 0.2 else plan.agent}))
        if rng.random() < 0.06:
            t = self.business(t, rng.randint(5, 60) * pace)
            steps.append(Step(t, "escalate"))
        rounds = rng.choice([0, 0, 1, 1, 1, 2]) if pace >= 0.5 else rng.choice([0, 0, 1])
        for _round in range(rounds):
            ask = rng.random() < 0.3
            if ask:
                t = self.business(t, rng.randint(10, 240) * pace)
                steps.append(Step(t, "reply", {"kind": "ask", "status": Status.PENDING}))
                pause_start = t
            t = self.wall(t, 10, int(20 * 60 * pace))
            steps.append(Step(t, "customer", {"kind": "customer"}))
            if ask:
                paused += self.calendar.minutes_between(pause_start, t)
            if status == Status.OPEN and rng.random() < 0.4:
                return steps  # the customer has answered; the agent has not yet
            t = self.business(t, rng.randint(10, 240) * pace)
            steps.append(Step(t, "reply", {"kind": "follow"}))
        if status == Status.OPEN:
            if rng.random() < 0.25:  # resolved once, then the customer came back
                t = self.resolve_step(steps, t, created, 0, paused)
                steps.append(Step(self.wall(t, 60, 3 * 24 * 60), "customer", {"kind": "reopen"}))
            return steps
        if status == Status.PENDING:
            t = self.business(t, rng.randint(10, 240) * pace)
            steps.append(Step(t, "reply", {"kind": "ask", "status": Status.PENDING}))
            return steps
        if status == Status.ON_HOLD:
            t = self.business(t, rng.randint(10, 240) * pace)
            steps.append(Step(t, "note", {"kind": "hold", "actor": plan.agent}))
            steps.append(Step(t + timedelta(minutes=1), "hold"))
            return steps
        t = self.resolve_step(steps, t, created, resolution_target, paused)
        if rng.random() < 0.07:  # reopened, fixed again
            t = self.wall(t, 60, 3 * 24 * 60)
            steps.append(Step(t, "customer", {"kind": "reopen"}))
            t = self.resolve_step(steps, t, created, 0, paused)
        if status == Status.CLOSED:
            if rng.random() < 0.3:
                steps.append(Step(self.wall(t, 10, 30 * 60), "customer_close"))
            else:  # the hourly auto-close, TICKET_AUTO_CLOSE_DAYS later
                steps.append(Step(t + timedelta(days=7, minutes=rng.randint(1, 59)), "auto_close"))
        return steps

    def resolve_step(self, steps, t, created, resolution_target, paused):
        """Resolve by an agent's reply (or, now and then, by the customer); a few on purpose too late."""
        rng = self.rng
        t = self.business(t, rng.randint(15, 360) * self.pace)
        if resolution_target and rng.random() < 0.06:
            t = max(t, self.business(created, resolution_target * rng.uniform(1.1, 1.8) + paused))
        if rng.random() < 0.08 and steps[-1].action == "reply":
            steps.append(Step(self.wall(steps[-1].at, 30, 12 * 60), "customer_resolve"))
            return steps[-1].at
        steps.append(Step(t, "reply", {"kind": "resolve", "status": Status.RESOLVED}))
        return t

    # ------------------------------------------------------------ playing a plan

    def text(self, plan, kind, agent=None):
        options = TEXT[plan.language][kind]
        name = plan.requester.get_short_name() if plan.language == "en" else plan.requester.name
        agent_name = agent.name.split()[0] if agent and agent.name else ""
        return self.fill(self.rng.choice(options), {"name": name, "agent": agent_name, "fix": plan.topic.fix,
                                                    "description": plan.description})

    def files_for(self, plan, at, kind):
        rng = self.rng
        if kind == "screenshot":
            content, name = png_bytes(seed=rng.randint(0, 255)), rng.choice(["screenshot.png", "error.png",
                                                                             "Screenshot 2026-10-14.png"])
        else:
            content, name = log_bytes(at, rng), rng.choice(["app.log", "error-log.txt", "sync.log"])
        return [SimpleUploadedFile(name, content)]

    def play(self, plan):
        ticket = None
        attachments = []
        for step in plan.steps:
            at, action, options = step.at, step.action, step.options
            if action == "create":
                files = self.files_for(plan, at, "screenshot") if self.rng.random() < 0.04 else ()
                creator = plan.agent if plan.channel == Channel.PHONE else None
                message_id = f"<{self.rng.getrandbits(64):016x}@{plan.requester.email.split('@')[1]}>" \
                    if plan.channel == Channel.EMAIL else ""
                ticket = services.ticket_create(
                    requester=plan.requester, subject=plan.subject, description=plan.description,
                    queue=plan.initial_queue or plan.queue, priority=plan.priority, channel=plan.channel,
                    product=self.rng.choice(PRODUCT_BY_QUEUE[plan.topic.queue]), files=files, created_by=creator,
                    email_message_id=message_id, now=at, notify=False,
                )
                attachments += [(ticket.pk, at)] if files else []
                if message_id:
                    IntakeRecord.objects.create(
                        external_key=message_id, sender=plan.requester.email, subject=plan.subject,
                        outcome=IntakeRecord.Outcome.CREATED, ticket=ticket, received_at=at,
                    )
            elif action == "call_summary":
                services.ticket_agent_reply(ticket=ticket, agent=plan.agent, body=self.text(plan, "call", plan.agent),
                                            now=at, notify=False)
            elif action == "move":
                services.ticket_update(ticket=ticket, actor=options["actor"], queue=plan.queue, now=at, notify=False)
            elif action == "assign":
                tags = list(plan.topic.tags)
                if plan.requester.organization and plan.requester.organization.is_vip:
                    tags.append("vip")
                actor = plan.agent if self.rng.random() < 0.7 else self.manager
                services.ticket_update(ticket=ticket, actor=actor, assignee=plan.agent, tags=tags, now=at,
                                       notify=False)
            elif action == "reply":
                services.ticket_agent_reply(
                    ticket=ticket, agent=plan.agent, body=self.text(plan, options["kind"], plan.agent),
                    status=options.get("status"), resolution_summary=plan.topic.fix, now=at, notify=False,
                )
            elif action == "note":
                body = self.fill(self.rng.choice(HOLD_NOTES if options.get("kind") == "hold" else NOTES), {})
                files = self.files_for(plan, at, "log") if body.startswith("Attached") else ()
                services.ticket_agent_reply(ticket=ticket, agent=options["actor"], body=body, internal=True,
                                            files=files, now=at, notify=False)
                attachments += [(ticket.pk, at)] if files else []
            elif action == "customer":
                body = self.text(plan, options["kind"])
                files = ()
                if options["kind"] == "customer" and self.rng.random() < 0.08:
                    files = self.files_for(plan, at, self.rng.choice(["screenshot", "log"]))
                channel = plan.channel if plan.channel != Channel.PHONE else Channel.EMAIL
                services.ticket_customer_reply(ticket=ticket, customer=plan.requester, body=body, files=files,
                                               channel=channel, now=at, notify=False)
                attachments += [(ticket.pk, at)] if files else []
            elif action == "escalate":
                higher = {Priority.LOW: Priority.NORMAL, Priority.NORMAL: Priority.HIGH}.get(ticket.priority,
                                                                                             Priority.URGENT)
                ticket = services.ticket_update(ticket=ticket, actor=plan.agent, priority=higher, now=at,
                                                notify=False)
            elif action == "hold":
                services.ticket_update(ticket=ticket, actor=plan.agent, status=Status.ON_HOLD, now=at, notify=False)
            elif action == "customer_resolve":
                services.ticket_customer_resolve(ticket=ticket, customer=plan.requester, now=at)
            elif action == "customer_close":
                services.ticket_customer_close(ticket=ticket, customer=plan.requester, now=at)
            elif action == "auto_close":
                services.ticket_update(ticket=ticket, actor=None, status=Status.CLOSED, now=at, notify=False)
            # The services stamp audit events with the wall clock; the story happened at ``at``.
            TicketEvent.objects.filter(ticket_id=ticket.pk, created_at__gte=self.started).update(created_at=at)
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=plan.steps[-1].at)
        for ticket_pk, at in attachments:
            Attachment.objects.filter(message__ticket_id=ticket_pk, message__created_at=at).update(created_at=at)
        return ticket

    def inbound_noise(self):
        """Mail the fetcher turned away: auto-replies and bounces, as a real mailbox gets."""
        rng = self.rng
        samples = [
            ("mailer-daemon@mail.northwind.example", "Undelivered Mail Returned to Sender",
             IntakeRecord.Outcome.IGNORED, "Bounce (delivery status notification)"),
            ("tom.becker@northwind.example", "Out of office: Re: [HD-000042] Webhook deliveries",
             IntakeRecord.Outcome.IGNORED, "Automatic reply (Auto-Submitted: auto-replied)"),
            ("offers@cheap-licences.example", "Huge discount on software licences!!!",
             IntakeRecord.Outcome.IGNORED, "Sender is not a known customer"),
            ("noreply@calendar.example", "Invitation: Quarterly review",
             IntakeRecord.Outcome.IGNORED, "Automatic message (Precedence: bulk)"),
        ]
        for index, (sender, subject, outcome, reason) in enumerate(samples):
            IntakeRecord.objects.create(
                external_key=f"<demo-{index}-{rng.getrandbits(48):012x}@{sender.split('@')[1]}>", sender=sender,
                subject=subject, outcome=outcome, reason=reason,
                received_at=self.now - timedelta(days=rng.uniform(1, 60)),
            )

    def run(self):
        self.configure()
        people = self.customers()
        carol = self.users.get("carol@globex.example")
        weights = [0.5 if person.locale.startswith("zh") else 1.0 for person in people]
        plans = []
        for status, count in STATUS_COUNTS.items():
            for index in range(count):
                # carol (Globex, writes in Chinese) is a demo login: give her a good share
                requester = carol if carol and index % 15 == 0 else self.rng.choices(people, weights)[0]
                plan = self.plan(status, requester)
                if plan is not None:
                    plans.append(plan)
        plans.sort(key=lambda plan: plan.steps[0].at)
        for plan in plans:
            self.play(plan)
        self.inbound_noise()
        # Flag the breaches and warnings the story contains, as the every-minute check would have.
        services.sla_check(notify=False)
        return len(plans)


def seed(*, users, organizations, stdout=None):
    """Add the tickets demo (queues staffed, VIP SLA, canned responses, ~300 tickets) unless tickets exist."""
    if Ticket.objects.exists():
        return
    started = time.monotonic()
    demo = Demo(users, organizations)
    count = demo.run()
    if stdout is not None:
        stdout.write(f"Added {count} demo tickets in {len(demo.queues)} queues "
                     f"({time.monotonic() - started:.1f} s).")
