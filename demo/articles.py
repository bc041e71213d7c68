"""The demo knowledge base: categories and about forty articles in English and Chinese (data only)."""

# slug, name, parent slug, description
CATEGORIES = [
    ("getting-started", "Getting started", None, "First steps with CloudDesk Pro: workspace, users, basics."),
    ("account-sign-in", "Account & sign-in", None, "Passwords, two-factor authentication, users and roles."),
    ("single-sign-on", "Single sign-on (SSO)", "account-sign-in", "SAML and OpenID Connect with Azure AD, Okta and "
     "others."),
    ("billing-licences", "Billing & licences", None, "Invoices, payments, seats and licence keys."),
    ("api-integrations", "API & integrations", None, "REST API, webhooks, Salesforce and other integrations."),
    ("data-privacy", "Data & privacy", None, "Exports, imports, retention and personal data requests."),
    ("release-notes", "Release notes", None, "What changed in each version."),
]

IMAGE = "https://docs.clouddesk.example/img/security-settings.png"

# key, title, category slug, kind, visibility, status, product, body
ARTICLES = [
    ("reset-password", "Reset your password", "account-sign-in", "faq", "public", "published", "CloudDesk Pro", """\
Forgot your password, or want to change it? You can reset it yourself in a minute.

## If you cannot sign in

1. Open the sign-in page and choose **Forgot your password?**
2. Enter the e-mail address you sign in with.
3. Open the e-mail we send you (check the spam folder) and follow the link within **3 days**.
4. Choose a new password of at least 10 characters.

For security, the link works once. If it has expired, ask for a new one.

## If you are signed in

Go to **Profile → Change password**, enter your current password and the new one twice.

> Your organisation uses single sign-on? Then your password is managed by your company's identity
> provider (Azure AD, Okta, Google): ask your IT department to reset it.

Still stuck after five attempts? Sign-in is paused for 15 minutes to protect your account; wait, then try again.
"""),
    ("zh-reset-password", "忘记密码怎么办", "account-sign-in", "faq", "public", "published", "CloudDesk Pro", """\
如果忘记了登录密码，可以自助完成密码重置，不需要联系客服。

## 如何重置密码

1. 打开登录页面，点击 **忘记密码？**
2. 输入您登录时使用的电子邮件地址。
3. 打开我们发送的邮件（请同时检查垃圾邮件文件夹），在 **3 天内** 点击链接。
4. 设置一个至少 10 个字符的新密码。

为了安全，重置链接只能使用一次。链接过期后请重新申请。

## 已登录时修改密码

进入 **个人资料 → 修改密码**，输入当前密码和两次新密码即可。

> 如果贵公司启用了单点登录（SSO），密码由企业的身份提供商管理，请联系贵公司的 IT 部门。
"""),
    ("two-factor", "Set up two-factor authentication", "account-sign-in", "guide", "public", "published",
     "CloudDesk Pro", f"""\
Two-factor authentication (2FA) asks for a six-digit code from your phone after your password.

## Turn it on

1. Open **Profile → Security**.
2. Choose **Enable two-factor authentication** and scan the QR code with an authenticator app
   (Microsoft Authenticator, Google Authenticator, 1Password …).
3. Enter the code the app shows, then **save the ten recovery codes** somewhere safe.

![The security settings with the two-factor section]({IMAGE})

## Codes are not accepted

- Make sure the phone sets its time **automatically**: codes depend on the clock.
- Delete old entries for our site in the app; only the newest one is valid.
- Lost your phone? Sign in with a recovery code, or ask your workspace administrator to reset 2FA.
"""),
    ("session-expired", "“Session expired” every few minutes", "account-sign-in", "faq", "public", "published",
     "CloudDesk Pro", """\
If you are signed out with **Session expired** again and again, the browser is usually refusing our session
cookie.

- Allow cookies for `app.clouddesk.example` (privacy extensions such as uBlock or Privacy Badger may block them).
- Do not use the app in two browser profiles with the same account at once.
- Corporate proxies that strip cookies cause the same symptom: ask IT to allow our domain.

Sessions last 14 days while you stay active, and end at once when you change your password.
"""),
    ("users-roles", "Add users and choose their role", "account-sign-in", "guide", "public", "published",
     "CloudDesk Pro", """\
Administrators invite people from **Settings → Users → Invite**.

| Role | Can do |
|:-----|:-------|
| Viewer | Read records and reports |
| Member | Create and edit records |
| Administrator | Everything, including billing and users |

Invitations are valid for 7 days. Removing a user frees the seat at once; their records stay and can be
transferred to a colleague.
"""),
    ("zh-deactivate-user", "停用离职员工的账号", "account-sign-in", "faq", "public", "published", "CloudDesk Pro", """\
员工离职后，管理员应立即停用其账号：

1. 进入 **设置 → 用户**，找到该员工。
2. 点击 **停用**。账号立即无法登录，所有会话失效。
3. 在弹出的对话框中选择一位同事，接收该员工负责的数据。

停用的账号不占用席位，随时可以重新启用。
"""),
    ("sso-azure", "Configure SAML single sign-on with Azure AD", "single-sign-on", "tutorial", "public",
     "published", "CloudDesk Pro", """\
This tutorial connects CloudDesk Pro to Microsoft Entra ID (Azure AD) with SAML 2.0.

## In Azure

1. **Enterprise applications → New application → Create your own application**, name it *CloudDesk*.
2. **Single sign-on → SAML**, and enter:

```text
Identifier (Entity ID):  https://app.clouddesk.example/saml/metadata
Reply URL (ACS):         https://app.clouddesk.example/saml/acs
Sign-on URL:             https://app.clouddesk.example/login
```

3. Download the **Federation Metadata XML**.

## In CloudDesk

1. **Settings → Security → Single sign-on**, choose *SAML*, upload the metadata file.
2. Test with **Try sign-in** in a private window before you enforce SSO for everyone.

Users who sign in through SSO for the first time get an account with the *Member* role.
"""),
    ("sso-okta", "Single sign-on with Okta (OpenID Connect)", "single-sign-on", "guide", "public", "published",
     "CloudDesk Pro", """\
Create an **OIDC – Web application** in Okta with the redirect URI
`https://app.clouddesk.example/oidc/callback`, then copy the *Client ID*, *Client secret* and your Okta
domain into **Settings → Security → Single sign-on → OpenID Connect**.

Groups can be mapped to roles: add a `groups` claim in Okta and list the group names next to each role.
"""),
    ("zh-sso-wecom", "企业微信单点登录配置", "single-sign-on", "tutorial", "public", "published", "CloudDesk Pro", """\
本教程介绍如何使用企业微信实现单点登录（SSO）。

1. 在企业微信管理后台创建自建应用，记录 **CorpID**、**AgentId** 和 **Secret**。
2. 在 CloudDesk 中打开 **设置 → 安全 → 单点登录**，选择 *企业微信*。
3. 填入上述信息，并将回调地址设置为：

```text
https://app.clouddesk.example/sso/wecom/callback
```

4. 使用 **测试登录** 验证配置，确认无误后再对全体成员强制启用。

常见错误“签名无效”通常是证书格式不对，请上传 PEM 格式的证书。
"""),
    ("sso-troubleshooting", "SSO troubleshooting checklist (agents)", "single-sign-on", "guide", "internal",
     "published", "CloudDesk Pro", """\
Internal: work through this before escalating an SSO ticket to engineering.

1. Ask for the **SAML response** (browser extension *SAML-tracer*) or the OIDC error code.
2. `Invalid signature`: certificate rotated on the customer side; ask for new metadata.
3. `Audience mismatch`: the Entity ID has a trailing slash in Azure.
4. Clock skew over 5 minutes: their ADFS server time is wrong.
5. Check **Admin → Workspaces → SSO log** for the last 50 attempts.

Escalate with the workspace ID and the request ID of a failed attempt.
"""),
    ("invoices-download", "Download invoices and receipts", "billing-licences", "faq", "public", "published",
     "CloudDesk Pro", """\
All invoices are in **Settings → Billing → Invoices**, as PDF, from the first month on.

- Need your **PO number** or a different billing address on it? Add them to the billing profile: they appear on
  every future invoice. We re-issue past invoices on request.
- Invoices are also e-mailed to the billing contact on the day they are issued.
"""),
    ("update-card", "Update the credit card on file", "billing-licences", "faq", "public", "published",
     "CloudDesk Pro", """\
Go to **Settings → Billing → Payment method → Replace card**. The new card is used for the next payment; your
subscription continues without interruption. We never store the full card number: payments are handled by our
payment provider.
"""),
    ("seats-pricing", "Add or remove seats", "billing-licences", "guide", "public", "published", "CloudDesk Pro", """\
Seats can change at any time:

| Change | When it is billed |
|:-------|:------------------|
| Add seats | Pro rata, on the next invoice |
| Remove seats | Credit note for the rest of the contract year |

Volume discounts start at 25 seats. Ask your account manager for a quote.
"""),
    ("licence-key", "Activate a licence key", "billing-licences", "faq", "public", "published", "On-prem Gateway",
     """\
On-prem Gateway is activated with a licence key from your order confirmation.

```bash
clouddesk-gateway licence activate XXXX-XXXX-XXXX-XXXX
```

**Key not valid for this version** means the key is for another major version: send us the order number and we
issue a new key.
"""),
    ("zh-invoice-title", "如何修改发票抬头", "billing-licences", "faq", "public", "published", "CloudDesk Pro", """\
发票抬头以 **设置 → 账单 → 开票信息** 中填写的公司全称为准。

- 修改开票信息后，新的发票会使用新抬头。
- 已开具的发票如需更正，请提交工单并注明发票号，我们会作废原发票并重新开具。
"""),
    ("zh-licence", "许可证密钥无法激活怎么办", "billing-licences", "faq", "public", "published", "On-prem Gateway",
     """\
激活时提示“密钥无效”，通常是密钥与软件版本不匹配。

1. 确认安装的版本号：`clouddesk-gateway --version`。
2. 如果版本号与订单不一致，请提交工单并附上订单号，我们会重新发放密钥。
"""),
    ("refund-policy", "Refunds for duplicate payments (agents)", "billing-licences", "guide", "internal",
     "published", "CloudDesk Pro", """\
Internal. A duplicate charge happens when the payment provider retries a payment that had succeeded.

1. Find both payments in **Stripe → Payments** by the customer's e-mail.
2. Refund the later one in full; do not issue a credit note.
3. Reply with the refund ID; the money is back on the card in 5–10 business days.
"""),
    ("api-authentication", "Authenticate API requests", "api-integrations", "guide", "public", "published",
     "CloudDesk Pro", """\
Every request needs a token in the `Authorization` header. Create tokens in **Settings → API tokens**; each
token has the permissions of the user who created it.

![The API tokens page with the “New token” button](https://docs.clouddesk.example/img/api-tokens.png)

```bash
curl https://api.clouddesk.example/v2/customers \\
  -H "Authorization: Bearer $CLOUDDESK_TOKEN" \\
  -H "Accept: application/json"
```

Tokens do not expire, but you can revoke them at any time. Never put a token in client-side code.
"""),
    ("api-rate-limits", "API rate limits and HTTP 429", "api-integrations", "faq", "public", "published",
     "CloudDesk Pro", """\
The API allows **600 requests per minute** per workspace. Beyond that you get `HTTP 429 Too Many Requests` with a
`Retry-After` header.

```python
import time, requests

def get(url, token):
    while True:
        response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        if response.status_code != 429:
            return response
        time.sleep(int(response.headers.get("Retry-After", "5")))
```

Importing many records? Use the bulk endpoint `/v2/bulk`, which takes 1,000 records per request.
"""),
    ("webhooks", "Receive webhooks", "api-integrations", "tutorial", "public", "published", "CloudDesk Pro", """\
Webhooks send a `POST` to your URL when something happens (a record is created, a deal is won …).

1. **Settings → Webhooks → Add endpoint**, enter an `https://` URL and choose the events.
2. Verify the signature of each call: the `X-Signature` header is an HMAC-SHA256 of the body with your secret.

```python
import hmac, hashlib

def is_valid(body: bytes, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
```

Failed deliveries are retried 8 times over 24 hours.
"""),
    ("salesforce", "Connect Salesforce", "api-integrations", "video", "public", "published", "CloudDesk Pro", """\
A 6-minute video walks through the Salesforce integration: connecting, mapping fields and the first sync.

**Video:** [Connecting Salesforce to CloudDesk (6:12)](https://videos.clouddesk.example/salesforce-setup)

If new opportunities stop appearing while the integration says *Connected*, the refresh token has expired:
choose **Reconnect** in **Settings → Integrations → Salesforce**.
"""),
    ("zh-api-errors", "API 返回 500 错误的排查方法", "api-integrations", "guide", "public", "published",
     "CloudDesk Pro", """\
如果接口返回 `HTTP 500`，请按以下步骤排查：

1. 记录响应头中的 `X-Request-Id`。
2. 检查请求体是否为合法的 UTF-8 编码 JSON。
3. 重试一次；如果仍然失败，请提交工单并附上请求编号。

```bash
curl -i https://api.clouddesk.example/v2/orders -H "Authorization: Bearer $TOKEN"
```
"""),
    ("zh-api-quickstart", "API 快速入门", "api-integrations", "tutorial", "public", "published", "CloudDesk Pro", """\
本教程演示如何在五分钟内完成第一次 API 调用。

1. 在 **设置 → API 令牌** 中创建令牌。
2. 使用以下命令获取客户列表：

```bash
curl https://api.clouddesk.example/v2/customers -H "Authorization: Bearer $TOKEN"
```

3. 返回结果为 JSON 格式，每页 50 条记录，使用 `page` 参数翻页。
"""),
    ("data-export", "Export all your data", "data-privacy", "guide", "public", "published", "CloudDesk Pro", """\
Administrators can export the whole workspace from **Settings → Data → Export**.

- Choose **CSV** (one file per record type, zipped) or **JSON**.
- Large exports run in the background; we e-mail a download link valid for 7 days.
- Reports can be exported on their own from the report page (**⋯ → Export CSV**).

Exports include archived records. Attachments are exported as a separate archive.
"""),
    ("csv-export-timeout", "Report export times out", "data-privacy", "faq", "public", "published",
     "Analytics Suite", """\
Exports of more than 100,000 rows no longer run in the browser: choose **Export in the background** and the file
arrives by e-mail. Smaller date ranges export at once.
"""),
    ("gdpr-erasure", "Delete a person's data (GDPR request)", "data-privacy", "guide", "public", "published",
     "CloudDesk Pro", """\
Use **Settings → Privacy → Erase a person** to remove a contact and every record that names them.

- Erasure cannot be undone.
- Backups are kept for 30 days and then overwritten, so erased data is gone from backups after 30 days.
- The audit log keeps a line saying *an erasure happened*, without personal data.
"""),
    ("zh-data-export", "如何导出全部数据", "data-privacy", "guide", "public", "published", "CloudDesk Pro", """\
管理员可以在 **设置 → 数据 → 导出** 中导出整个工作区的数据。

- 可选择 **CSV** 或 **JSON** 格式。
- 数据量较大时会在后台导出，完成后通过邮件发送下载链接，链接 7 天内有效。
- 单个报表可以在报表页面单独导出。
"""),
    ("zh-report-timeout", "导出报表时提示网关超时", "data-privacy", "faq", "public", "published", "Analytics Suite",
     """\
导出超过 10 万行数据的报表时，请选择 **后台导出**，文件生成后会通过邮件发送给您。缩短日期范围也可以直接导出。
"""),
    ("data-retention", "Data retention for archived workspaces (agents)", "data-privacy", "faq", "internal",
     "published", "CloudDesk Pro", """\
Internal. Cancelled workspaces are archived for 90 days, then deleted. Within those 90 days an agent can restore
one from **Admin → Workspaces → Archived**; after that only the backups (30 days) remain, and restoring from a
backup needs engineering.
"""),
    ("getting-started", "Your first day with CloudDesk Pro", "getting-started", "tutorial", "public", "published",
     "CloudDesk Pro", """\
Welcome! This tour takes 15 minutes.

1. **Invite your team** from **Settings → Users**.
2. **Import your customers** from a CSV file (**Data → Import**), or connect your CRM.
3. **Create your first report**: **Reports → New**, choose *Pipeline by stage*.
4. Install the **mobile app** from the App Store or Google Play.

Questions along the way? Search this knowledge base, or send us a request from the portal.
"""),
    ("keyboard-shortcuts", "Keyboard shortcuts", "getting-started", "faq", "public", "published", "CloudDesk Pro", """\
| Keys | Does |
|:-----|:-----|
| `/` | Search |
| `c` | Create a record |
| `g` then `r` | Go to reports |
| `?` | Show all shortcuts |
"""),
    ("mobile-notifications", "Push notifications on Android", "getting-started", "faq", "public", "published",
     "Mobile SDK", """\
Android's battery saver can stop notifications even when they are allowed. Open **Settings → Apps → CloudDesk →
Battery** and choose **Unrestricted**. On Xiaomi phones also enable **Autostart**.
"""),
    ("dashboard-video", "Video: build a dashboard in 5 minutes", "getting-started", "video", "public", "published",
     "Analytics Suite", """\
Watch how to build a sales dashboard from scratch, add filters and share it with your team.

**Video:** [Build a dashboard (4:58)](https://videos.clouddesk.example/dashboard-basics)
"""),
    ("zh-getting-started", "新手入门指南", "getting-started", "tutorial", "public", "published", "CloudDesk Pro", """\
欢迎使用 CloudDesk Pro！按照以下步骤，15 分钟即可上手：

1. 在 **设置 → 用户** 中邀请团队成员。
2. 通过 **数据 → 导入** 上传客户 CSV 文件。
3. 在 **报表 → 新建** 中创建第一个报表。
4. 下载手机 App，随时随地处理工作。
"""),
    ("zh-slow-pages", "系统响应慢的常见原因", "getting-started", "faq", "public", "published", "CloudDesk Pro", """\
页面加载缓慢时，请先检查：

- 浏览器插件是否拦截了脚本（可以在无痕模式下试一试）；
- 报表的日期范围是否过大；
- 公司网络代理是否限速。

如果问题仍然存在，请提交工单并附上页面地址和发生时间。
"""),
    ("release-5-3", "Release 5.3: background exports and a faster search", "release-notes", "release_note",
     "public", "published", "CloudDesk Pro", """\
**Released on 2 September.**

- **Background exports**: large reports are e-mailed instead of timing out.
- **Search** is up to 4× faster in workspaces with more than a million records.
- The iOS app no longer closes on start on iOS 18 (5.3.1).
- API: the new `/v2/bulk` endpoint takes 1,000 records per request.
"""),
    ("release-5-2", "Release 5.2: Okta and OpenID Connect", "release-notes", "release_note", "public", "published",
     "CloudDesk Pro", """\
**Released on 1 July.**

- Single sign-on with **OpenID Connect** (Okta, Auth0, Keycloak), with group-to-role mapping.
- Two-factor recovery codes can be regenerated.
- Invoices show your PO number.
"""),
    ("zh-release-5-3", "5.3 版本更新说明", "release-notes", "release_note", "public", "published", "CloudDesk Pro", """\
**发布日期：9 月 2 日**

- **后台导出**：大报表改为邮件发送，不再超时。
- **搜索** 速度提升最多 4 倍。
- 修复了 iOS 18 上 App 启动后闪退的问题（5.3.1）。
"""),
    ("release-5-4-draft", "Release 5.4 (draft): audit log export", "release-notes", "release_note", "public", "draft",
     "CloudDesk Pro", """\
**Planned for October.**

- Export the audit log as CSV.
- Webhook deliveries can be replayed from the settings page.
"""),
    ("gateway-4-2-upgrade", "Upgrade On-prem Gateway to 4.2", "release-notes", "guide", "public", "draft",
     "On-prem Gateway", """\
Before upgrading, back up the database and check that no manual schema changes were made.

```bash
clouddesk-gateway backup create
clouddesk-gateway upgrade --to 4.2.0
```
"""),
    ("legacy-api-v1", "API v1 (retired)", "api-integrations", "guide", "public", "archived", "CloudDesk Pro", """\
API v1 was retired on 31 March. Use API v2: see *Authenticate API requests*.
"""),
    ("old-pricing", "Pricing 2024 (old)", "billing-licences", "faq", "public", "archived", "CloudDesk Pro", """\
These prices applied until December 2024.
"""),
]

# Searches customers made that found nothing: the content gaps.
NO_RESULT_QUERIES = [
    ("outlook calendar sync", 14), ("dark mode", 9), ("custom domain", 7), ("发票 邮寄", 5), ("zapier", 4),
    ("delete workspace", 3), ("ipad app", 2), ("批量 删除", 2),
]

# What customers typed on the ticket form, and the article that answered them.
DEFLECTIONS = [
    ("alice@acme.example", "cannot log in forgot password", "reset-password"),
    ("bob@acme.example", "api returns 429", "api-rate-limits"),
    ("carol@globex.example", "发票抬头错了", "zh-invoice-title"),
    ("alice@acme.example", "export all data", "data-export"),
    ("bob@acme.example", "two factor code invalid", "two-factor"),
]
