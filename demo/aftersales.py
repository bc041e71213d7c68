"""Demo data for ``seed_demo``: a software company's products, ~150 purchases and ~60 service requests.

Every request is played through ``aftersales.services`` with past ``now=`` times, in order,
so its eligibility, review due time, decisions, quote, technician, log entries, versions and
audit trail agree with each other. Nothing is e-mailed. A fixed random seed makes every demo
database look the same.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales import services
from aftersales.models import Product, Purchase, ServiceRequest, warranty_end
from demo.tickets import png_bytes
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role

RANDOM_SEED = 4521
DAYS = 90
Status = ServiceRequest.Status
Kind = ServiceRequest.Kind

PRODUCTS = [
    # SKU, name, warranty months, refund window days, serial prefix, terms
    ("SG-200", "SecureGate SG-200 firewall appliance", 24, 30, "SG2",
     "Hardware warranty: 24 months from the purchase date, return to base. Firmware updates for the life of the "
     "product. Damage from power surges, liquids or opening the case is not covered."),
    ("SG-500", "SecureGate SG-500 rack appliance", 36, 30, "SG5",
     "Hardware warranty: 36 months from the purchase date with advance replacement. On-site service within "
     "the EU and China on request. Fans and power supplies are field-replaceable."),
    ("HLK-USB", "Hardware licence key (USB)", 12, 14, "HLK",
     "A faulty key is replaced free of charge within 12 months. A lost key is replaced at the current price; "
     "the licence stays valid."),
    ("CDP-1Y", "CloudDesk Pro licence, 1 year", 12, 30, "CDP",
     "Includes updates and e-mail support for 12 months. Refunds within 30 days of purchase."),
    ("ANS-PERP", "Analytics Suite perpetual licence", 12, 30, "ANS",
     "The licence never expires; updates and support are included for the first 12 months, then with a "
     "maintenance plan. Refunds within 30 days of purchase."),
]
HARDWARE = {"SG-200", "SG-500", "HLK-USB"}
# How many purchases each customer gets; everyone else gets a few at random.
PURCHASES_OF = {"alice@acme.example": 7, "bob@acme.example": 4, "carol@globex.example": 6}
PURCHASE_TOTAL = 150

STATUS_PLAN = [  # target status, count, extra
    (Status.SUBMITTED, 6, ""), (Status.UNDER_REVIEW, 5, ""), (Status.UNDER_REVIEW, 3, "quote"),
    (Status.APPROVED, 4, ""), (Status.APPROVED, 2, "quote"), (Status.REJECTED, 5, ""),
    (Status.IN_SERVICE, 8, ""), (Status.IN_SERVICE, 1, "quote"), (Status.COMPLETED, 8, ""),
    (Status.CLOSED, 15, ""), (Status.CLOSED, 3, "declined"), (Status.CLOSED, 2, "rejected"),
]
KIND_WEIGHTS = {Kind.REPAIR: 35, Kind.REPLACEMENT: 20, Kind.ONSITE: 12, Kind.CONSULTATION: 18, Kind.REFUND: 8}

DESCRIPTIONS = {
    Kind.REPAIR: [
        "The appliance reboots every few hours. The log shows “watchdog timeout” just before each restart.",
        "Port 3 no longer links up at 1 Gb/s; the LED stays amber. The cable and the switch port are fine.",
        "The fan has become very loud and the unit reports 78 °C on the status page.",
        "The licence key is no longer recognised: the software says “no key found” although the LED is on.",
        "The web console stopped loading after last night's update; SSH still works.",
    ],
    Kind.REPLACEMENT: [
        "The unit does not power on any more. No LED at all, tried two power cables and another socket.",
        "The USB key arrived with a cracked housing and is not detected on any computer.",
        "The appliance fails its self-test at boot (“RAM check failed”) every time.",
    ],
    Kind.ONSITE: [
        "Our rack unit needs its power supply swapped and we have no spare hands on site this month.",
        "We would like a technician to help us move the appliance to the new data centre and check the set-up.",
        "The HA pair keeps failing over; we need someone on site to check the cabling and the heartbeat link.",
    ],
    Kind.CONSULTATION: [
        "We plan to add a second site and would like advice on the VPN set-up between the two appliances.",
        "Could an engineer review our firewall rules before the audit next month?",
        "We need help sizing the licence for 400 more users next year.",
    ],
    Kind.REFUND: [
        "We bought the wrong edition: we need the perpetual licence, not the yearly one. Please refund this one.",
        "The order was placed twice by mistake; please refund the second licence.",
    ],
}
KEY_REPAIRS = [
    "The licence key is no longer recognised: the software says “no key found” although the LED is on.",
    "The key is detected only in one USB port and drops out several times a day.",
    "After the last Windows update the key's driver fails to load (error 0x80070002).",
]
DESCRIPTIONS_ZH = {
    Kind.REPAIR: ["设备每隔几个小时自动重启，日志里重启前都有 “watchdog timeout”。",
                  "风扇噪音很大，状态页显示温度 78 °C。"],
    Kind.REPLACEMENT: ["设备无法开机，指示灯完全不亮，已经换过电源线和插座。"],
    Kind.ONSITE: ["机房搬迁，需要工程师上门协助迁移设备并检查配置。"],
    Kind.CONSULTATION: ["我们计划增加第二个站点，希望工程师就两台设备之间的 VPN 配置给些建议。"],
    Kind.REFUND: ["订单重复下了两次，请退回第二个许可证的费用。"],
}
ADDRESSES = [
    "Data centre Frankfurt 2, Hanauer Landstraße 298, 60314 Frankfurt; rack B14. Contact: facilities desk, "
    "+49 69 1234 567.",
    "Acme HQ, 4th floor server room, 100 Market Street, San Francisco, CA 94105. Ask for IT at reception.",
    "杭州市西湖区文三路 90 号 5 楼机房，联系人：网络组 王工。",
]
CONSULTATION_LOGS = [
    "Call booked for Tuesday 14:00 with our network engineer; the invitation is in your mailbox.",
    "We reviewed the configuration export you sent and prepared a short list of questions for the call.",
]
REFUND_LOGS = ["The refund has been handed to our finance team; it is usually paid out within 3 business days."]
PUBLIC_LOGS = [
    "We received the unit at our repair centre and started the diagnostics.",
    "Diagnostics done: the power supply has failed. We are replacing it and running a 24-hour burn-in test.",
    "The replacement part is on its way to our repair centre; we expect it the day after tomorrow.",
    "Firmware 4.2.3 installed; the watchdog restarts no longer occur in our tests.",
    "The technician's visit is booked for Thursday 10:00. Please make sure someone can open the server room.",
    "The unit passed all tests and is being shipped back to you today.",
]
INTERNAL_LOGS = [
    "Same fault as RMA batch 2026-07 (fan controller). Supplier case opened: SUP-{n}.",
    "Customer is on firmware 4.1.2 — known issue ENG-{n}, fixed in 4.2.3.",
    "Serial checked against the supplier's list: genuine unit, manufactured in week 14.",
    "Talked to the account manager: goodwill is fine if the quote is declined.",
    "Attached the diagnostics output.",
]
WORK_DONE = {
    Kind.REPAIR: "Replaced the failed power supply, updated the firmware to 4.2.3 and ran a 24-hour burn-in test "
                 "without errors.",
    Kind.REPLACEMENT: "The faulty unit could not be repaired; we shipped a new one with your configuration restored "
                      "from the backup you sent.",
    Kind.ONSITE: "On-site visit done: swapped the power supply, re-cabled the heartbeat link and tested fail-over "
                 "twice with your team.",
    Kind.CONSULTATION: "Two-hour session with your network team: reviewed the rule base, removed 14 unused rules and "
                       "documented the VPN design for the second site.",
    Kind.REFUND: "Refund issued to the original payment method; it shows on your statement within 5–10 business "
                 "days. The licence has been deactivated.",
}
REJECTIONS = [
    "The damage shown in the photos comes from liquid getting into the unit, which the warranty does not cover. "
    "We can repair it as a paid service if you open a new request.",
    "The refund window of this product ended before the request; the licence has also been in use since the "
    "purchase.",
    "The serial number belongs to a unit sold through another reseller; please contact them for warranty service.",
]
QUOTE_NOTES = [
    "Replacement power supply (part PSU-200) and one hour of labour, return shipping included.",
    "New fan module and bench test; return shipping included.",
    "Engineer's day rate for the on-site visit, travel included.",
]


@dataclass
class Plan:
    purchase: Purchase
    requester: User
    kind: str
    status: str
    extra: str
    steps: list = field(default_factory=list)  # (hours after submission, action)
    ticket: object = None


class Demo:
    def __init__(self, users):
        self.rng = random.Random(RANDOM_SEED)
        self.now = timezone.now()
        self.manager = users.get("manager@example.com") or User.objects.filter(groups__name=Role.MANAGER).first()
        self.technicians = [user for email, user in users.items()
                            if email in ("agent1@example.com", "agent2@example.com")] or [self.manager]
        self.counter = 1000
        self.used = {}

    def products(self):
        products = {}
        for sku, name, months, refund_days, _prefix, terms in PRODUCTS:
            products[sku], _created = Product.objects.get_or_create(sku=sku, defaults={
                "name": name, "warranty_months": months, "refund_window_days": refund_days, "service_terms": terms,
                "created_at": self.now - timedelta(days=4 * 365),
            })
        return products

    def purchases(self, products):
        rng = self.rng
        customers = list(User.objects.filter(groups__name=Role.CUSTOMER, is_active=True)
                         .select_related("organization").order_by("email"))
        prefixes = {sku: prefix for sku, _n, _m, _r, prefix, _t in PRODUCTS}
        counts = {customer.pk: PURCHASES_OF.get(customer.email, 0) for customer in customers}
        others = [customer for customer in customers if customer.email not in PURCHASES_OF]
        while sum(counts.values()) < PURCHASE_TOTAL and others:
            counts[rng.choice(others).pk] += 1
        today = self.now.date()
        purchases = []
        for customer in customers:
            for index in range(counts[customer.pk]):
                sku = rng.choices(list(products), weights=[30, 12, 20, 22, 16])[0]
                product = products[sku]
                if customer.email == "alice@acme.example":
                    # Some in warranty, some out: bought from two months to four years ago.
                    age = [60, 200, 420, 700, 900, 1200, 1400][index % 7]
                else:
                    age = rng.choice([rng.randint(5, 120), rng.randint(30, 700), rng.randint(300, 1500)])
                bought = today - timedelta(days=age)
                self.counter += rng.randint(1, 97)
                serial = f"{prefixes[sku]}-{bought:%y%m}-{self.counter:05d}"
                purchases.append(Purchase(
                    customer=customer, organization=customer.organization, product=product, serial_number=serial,
                    purchase_date=bought, order_reference=f"SO-{bought:%Y}-{rng.randint(1000, 9999)}",
                    warranty_until=warranty_end(bought, product.warranty_months), registered_by=customer,
                    created_at=min(self.now, timezone.make_aware(datetime.combine(bought, dt_time(12)))
                                   + timedelta(days=rng.randint(0, 10))),
                ))
        return Purchase.objects.bulk_create(purchases)

    # ------------------------------------------------------------ planning

    def pick_purchase(self, purchases, *, kind, paid, refund_ok, requester_email=None):
        """A purchase whose warranty (or refund window) fits the story, judged at a time within the 90 days."""
        rng = self.rng
        pool = [p for p in purchases if requester_email is None or p.customer.email == requester_email]
        if kind in (Kind.REPAIR, Kind.REPLACEMENT, Kind.ONSITE):
            pool = [p for p in pool if p.product.sku in HARDWARE]  # licences are not repaired or visited
        today = self.now.date()
        if kind == Kind.REFUND:
            if refund_ok:
                wanted = [p for p in pool
                          if p.product.sku not in HARDWARE and 3 <= (today - p.purchase_date).days <= 25]
            else:
                wanted = [p for p in pool if p.product.sku not in HARDWARE
                          and (today - p.purchase_date).days > DAYS + p.product.refund_window_days + 5]
        elif paid:
            wanted = [p for p in pool if p.warranty_until < today - timedelta(days=DAYS)]
        else:
            wanted = [p for p in pool if p.warranty_until > today and (today - p.purchase_date).days > 20]
        if kind == Kind.ONSITE:
            wanted = [p for p in wanted if p.product.sku in ("SG-500", "SG-200")] or wanted
        if not wanted:
            return None
        fewest = min(self.used.get(p.pk, 0) for p in wanted)  # spread the requests over the purchases
        chosen = rng.choice([p for p in wanted if self.used.get(p.pk, 0) == fewest])
        self.used[chosen.pk] = self.used.get(chosen.pk, 0) + 1
        return chosen

    def plan(self, status, extra, purchases, requester_email=None, kind=None):
        rng = self.rng
        paid = extra in ("quote", "declined")
        kind = kind or rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        if paid and kind == Kind.REFUND:
            kind = Kind.REPAIR
        refund_ok = not (status == Status.REJECTED or extra == "rejected")
        purchase = None
        for _attempt in range(6):
            purchase = self.pick_purchase(purchases, kind=kind, paid=paid, refund_ok=refund_ok,
                                          requester_email=requester_email)
            if purchase is not None:
                break
            kind = Kind.REPAIR
        if purchase is None:
            return None
        requester = purchase.customer
        plan = Plan(purchase=purchase, requester=requester, kind=kind, status=status, extra=extra)
        hours = 0.0

        def step(after_low, after_high, action, **options):
            nonlocal hours
            hours += rng.uniform(after_low, after_high)
            plan.steps.append((hours, action, options))

        if status == Status.SUBMITTED:
            return plan
        step(1, 20, "review")
        if status == Status.UNDER_REVIEW and not paid:
            if rng.random() < 0.5:
                step(0.5, 6, "log", internal=True)
            return plan
        rejected = status == Status.REJECTED or extra == "rejected"
        if rejected:
            step(1, 30, "reject")
            if status == Status.CLOSED:
                step(24, 120, "close")
            return plan
        if paid:
            step(1, 24, "quote")
            if status == Status.UNDER_REVIEW:
                return plan
            if extra == "declined":
                step(4, 72, "decline")
                return plan
            step(2, 48, "accept")
        else:
            step(1, 24, "approve")
        if rng.random() < 0.8:
            step(0.5, 8, "assign")
        if status == Status.APPROVED:
            return plan
        step(4, 48, "start")
        for _round in range(rng.choice([1, 1, 2, 3])):
            step(2, 40, "log", internal=rng.random() < 0.4)
        if status == Status.IN_SERVICE:
            return plan
        step(6, 72, "complete")
        if status == Status.CLOSED:
            step(24, 14 * 24, "close")
        return plan

    def place(self, plan):
        """Choose the submission time so the last step is in the past, active requests recent."""
        rng = self.rng
        last = plan.steps[-1][0] if plan.steps else 0
        if plan.status == Status.SUBMITTED:
            back = rng.uniform(2, 6 * 24)  # some beyond the two business days: overdue
        elif plan.status in (Status.UNDER_REVIEW, Status.APPROVED):
            back = last + rng.uniform(2, 72)
        elif plan.status == Status.IN_SERVICE:
            back = last + rng.uniform(2, 10 * 24)
        else:
            back = last + rng.uniform(24, max(48, (DAYS - 2) * 24 - last))
        back = min(back, DAYS * 24 - 1)
        created = self.now - timedelta(hours=back)
        # Nobody submits at 3 a.m.: move it into the working day, keeping the order of steps.
        created = created.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
        if created + timedelta(hours=last) > self.now - timedelta(minutes=10):
            created = self.now - timedelta(hours=last, minutes=rng.randint(15, 90))
        # Never before the purchase; a refund that is granted was asked for within its window.
        bought = timezone.make_aware(datetime.combine(plan.purchase.purchase_date, dt_time(10)))
        earliest = bought + timedelta(days=1)
        latest = self.now - timedelta(hours=last, minutes=10)
        if plan.kind == Kind.REFUND and plan.status != Status.REJECTED and plan.extra != "rejected":
            latest = min(latest, bought + timedelta(days=plan.purchase.product.refund_window_days - 2))
        if earliest > latest:
            return None
        return min(max(created, earliest), latest)

    # ------------------------------------------------------------ playing

    def text(self, plan, kind):
        if plan.requester.locale.startswith("zh"):
            return self.rng.choice(DESCRIPTIONS_ZH[kind])
        if plan.purchase.product.sku == "HLK-USB" and kind == Kind.REPAIR:
            return self.rng.choice(KEY_REPAIRS)
        return self.rng.choice(DESCRIPTIONS[kind])

    def play(self, plan, created):
        rng = self.rng
        manager = self.manager
        technician = rng.choice(self.technicians)
        address = rng.choice(ADDRESSES) if plan.kind == Kind.ONSITE else ""
        if plan.ticket is not None:
            service_request = services.service_request_from_ticket(
                ticket=plan.ticket, purchase=plan.purchase, agent=technician, kind=plan.kind,
                onsite_address=address, now=created, notify=False,
            )
        else:
            files = []
            if rng.random() < 0.15:
                files = [SimpleUploadedFile("photo-of-label.png", _png())]
            service_request = services.service_request_submit(
                purchase=plan.purchase, requester=plan.requester, kind=plan.kind,
                description=self.text(plan, plan.kind), onsite_address=address, files=files, now=created,
                notify=False,
            )
        last = created
        for hours, action, options in plan.steps:
            at = created + timedelta(hours=hours)
            last = at
            if action == "review":
                service_request = services.service_request_start_review(service_request=service_request,
                                                                         actor=manager, now=at)
            elif action == "approve":
                service_request = services.service_request_approve(service_request=service_request, actor=manager,
                                                                   now=at, notify=False)
            elif action == "reject":
                reason = REJECTIONS[1] if plan.kind == Kind.REFUND else rng.choice([REJECTIONS[0], REJECTIONS[2]])
                service_request = services.service_request_reject(service_request=service_request, actor=manager,
                                                                  reason=reason, now=at, notify=False)
            elif action == "quote":
                amount = rng.choice([89, 149, 240, 390, 680]) if plan.kind != Kind.CONSULTATION else 950
                service_request = services.service_request_send_quote(
                    service_request=service_request, actor=manager, amount=amount,
                    currency="CNY" if plan.requester.locale.startswith("zh") else "EUR",
                    note=rng.choice(QUOTE_NOTES), now=at, notify=False,
                )
            elif action == "accept":
                service_request = services.service_request_accept_quote(service_request=service_request,
                                                                        customer=plan.requester, now=at, notify=False)
            elif action == "decline":
                service_request = services.service_request_decline_quote(service_request=service_request,
                                                                         customer=plan.requester, now=at,
                                                                         notify=False)
            elif action == "assign":
                service_request = services.service_request_assign(service_request=service_request,
                                                                  actor=manager, technician=technician, now=at)
            elif action == "start":
                service_request = services.service_request_start(service_request=service_request,
                                                                 actor=service_request.technician or technician,
                                                                 now=at, notify=False)
            elif action == "log":
                internal = options["internal"]
                public = {Kind.CONSULTATION: CONSULTATION_LOGS, Kind.REFUND: REFUND_LOGS}.get(plan.kind, PUBLIC_LOGS)
                text = rng.choice(INTERNAL_LOGS if internal else public).format(n=rng.randint(1000, 9999))
                files = []
                if text.startswith("Attached"):
                    files = [SimpleUploadedFile("diagnostics.log", _diagnostics(at))]
                services.service_request_add_log(service_request=service_request,
                                                 author=service_request.technician or technician, text=text,
                                                 internal=internal, files=files, now=at)
            elif action == "complete":
                serial = ""
                if plan.kind == Kind.REPLACEMENT:
                    serial = f"{plan.purchase.serial_number.split('-')[0]}-R{rng.randint(10000, 99999)}"
                service_request = services.service_request_complete(
                    service_request=service_request, actor=service_request.technician or technician,
                    work_done=WORK_DONE[plan.kind], parts_replaced="Power supply PSU-200" if plan.kind in (
                        Kind.REPAIR, Kind.ONSITE) and rng.random() < 0.6 else "",
                    replacement_serial=serial, now=at, notify=False,
                )
            elif action == "close":
                service_request = services.service_request_close(service_request=service_request,
                                                                 actor=service_request.technician or manager, now=at)
        ServiceRequest.objects.filter(pk=service_request.pk).update(updated_at=last)
        return service_request

    def run(self, users):
        products = self.products()
        purchases = list(Purchase.objects.select_related("product", "customer").filter(
            pk__in=[p.pk for p in self.purchases(products)]))
        plans = []
        for status, count, extra in STATUS_PLAN:
            for index in range(count):
                # alice is the demo login: give her a request in the states a customer acts on
                wants_alice = index == 0 and (status in (Status.COMPLETED, Status.IN_SERVICE)
                                              or extra == "quote" and status == Status.UNDER_REVIEW)
                # one refund asked for too late, so the reviewer has a refund_expired case
                kind = Kind.REFUND if status == Status.REJECTED and index == 0 else None
                plan = self.plan(status, extra, purchases, "alice@acme.example" if wants_alice else None, kind)
                if plan is None and wants_alice:
                    plan = self.plan(status, extra, purchases)
                if plan is not None:
                    plans.append(plan)
        placed = [(self.place(plan), plan) for plan in plans]
        placed = sorted(((created, plan) for created, plan in placed if created is not None), key=lambda pair: pair[0])
        self.link_tickets(placed)
        for created, plan in placed:
            self.play(plan, created)
        return len(placed), len(purchases)

    def link_tickets(self, placed):
        """A few requests began as tickets: an agent converted them, and the two stay linked."""
        from tickets.models import Ticket

        linked = 0
        for created, plan in self.rng.sample(placed, len(placed)):
            if linked >= 5 or plan.status == Status.SUBMITTED or plan.kind == Kind.REFUND:
                continue
            ticket = (Ticket.objects.filter(requester=plan.requester, merged_into__isnull=True, queue__slug="technical",
                                            created_at__lt=created - timedelta(hours=1),
                                            created_at__gt=created - timedelta(days=20))
                      .order_by("-created_at").first())
            if ticket is not None:
                plan.ticket = ticket
                linked += 1


def _png() -> bytes:
    return png_bytes(seed=7)


def _diagnostics(at) -> bytes:
    lines = [f"{at:%Y-%m-%d %H:%M:%S} INFO  selftest: {part} ok" for part in ("cpu", "ram", "disk", "nic0", "nic1")]
    lines.append(f"{at:%Y-%m-%d %H:%M:%S} ERROR selftest: psu voltage 10.8 V (min 11.4 V)")
    return ("\n".join(lines) + "\n").encode()


def seed(*, users, organizations, stdout=None):
    """Add the after-sales demo (5 products, ~150 purchases, ~60 service requests) unless purchases exist."""
    if Purchase.objects.exists() or ServiceRequest.objects.exists():
        return
    started = time.monotonic()
    demo = Demo(users)
    requests, purchases = demo.run(users)
    if stdout is not None:
        stdout.write(f"Added {purchases} demo purchases and {requests} service requests "
                     f"({time.monotonic() - started:.1f} s).")

