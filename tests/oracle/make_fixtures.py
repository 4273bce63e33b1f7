#!/usr/bin/env python3
"""Generator of tests/fixtures (run once by hand; the fixtures are the source of truth).

Cache file names are computed here with hashlib as a convenience; the oracle
(botocore) is what decides whether they are right: a wrong name shows up as a
`missing` status in the oracle output.  Re-running it REPLACES tests/fixtures.
"""
import hashlib, json, os, shutil, sys
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")
def sha(s): return hashlib.sha1(s.encode("utf-8")).hexdigest() + ".json"
def sso_role_key(acct, role, session=None, url=None):
    a = {"accountId": acct, "roleName": role}
    if session: a["sessionName"] = session
    else: a["startUrl"] = url
    return sha(json.dumps(a, sort_keys=True, separators=(",", ":")))
def ar_key(**a): return sha(json.dumps(a, sort_keys=True))
def tok(exp, refresh=False, reg="{{now+30d}}", url="https://example.awsapps.com/start"):
    d = {"startUrl": url, "region": "us-east-1", "accessToken": "tok-SECRET", "expiresAt": exp}
    if refresh:
        d.update(clientId="cid", clientSecret="csecret-SECRET", refreshToken="rt-SECRET", registrationExpiresAt=reg)
    return json.dumps(d, indent=2)
def role(exp, sso=True):
    d = {"Credentials": {"AccessKeyId": "ASIAFAKE", "SecretAccessKey": "SECRET", "SessionToken": "SECRET", "Expiration": exp, "AccountId": "111122223333"}}
    if sso: d["ProviderType"] = "sso"
    return json.dumps(d)
CASES = {}
def case(name, config=None, credentials=None, sso=None, cli=None, env=None, extra=None, readme=None):
    CASES[name] = dict(config=config, credentials=credentials, sso=sso or {}, cli=cli or {}, env=env, extra=extra or {}, readme=readme)

SESS = """[sso-session {n}]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
"""
# ---------------------------------------------------------------- basics
case("basic_mix", readme="A typical home: sso-session profiles, static default, region-only profile.",
config=SESS.format(n="my-sso") + """
[default]
region = us-east-1

[profile sso-admin]
sso_session = my-sso
sso_account_id = 111122223333
sso_role_name = SampleRole
region = us-east-2

[profile region-only]
region = eu-west-1
output = json
""", credentials="""[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
""", sso={sha("my-sso"): tok("{{now+6h}}")},
cli={sso_role_key("111122223333", "SampleRole", session="my-sso"): role("{{now+2h}}")})

# ---------------------------------------------------------------- token statuses
tcfg = ""; tsso = {}
for n, content in [
    ("t-valid", tok("{{now+6h}}")),
    ("t-expired", tok("{{now-2h}}")),
    ("t-refreshable", tok("{{now+5m}}", refresh=True)),
    ("t-expired-refreshable", tok("{{now-1h}}", refresh=True)),
    ("t-20min", tok("{{now+20m}}", refresh=True)),
    ("t-near-norefresh", tok("{{now+5m}}")),
    ("t-near-regexpired", tok("{{now+5m}}", refresh=True, reg="{{now-1d}}")),
    ("t-missing", None),
    ("t-bad-reg", tok("{{now+5m}}", refresh=True, reg="garbage")),
    ("t-naive-reg", tok("{{now+5m}}", refresh=True, reg="2099-01-01T00:00:00")),
    ("t-bad-reg-far", tok("{{now+6h}}", refresh=True, reg="garbage")),
    ("t-garbage", "this is not json"),
    ("t-empty", ""),
    ("t-bom", "\ufeff" + tok("{{now+6h}}")),
    ("t-truncated", tok("{{now+6h}}")[:40]),
    ("t-list", json.dumps(["accessToken", "expiresAt"])),
    ("t-string", json.dumps("accessToken expiresAt")),
    ("t-no-expires", json.dumps({"accessToken": "x"})),
    ("t-number-exp", json.dumps({"accessToken": "x", "expiresAt": 4102444800})),
    ("t-naive", json.dumps({"accessToken": "x", "expiresAt": "2099-01-01T00:00:00"})),
    ("t-pst", json.dumps({"accessToken": "x", "expiresAt": "2099-01-01T00:00:00 PST"})),
    ("t-garbage-date", json.dumps({"accessToken": "x", "expiresAt": "not a date"})),
]:
    tcfg += SESS.format(n=n) + f"\n[profile p-{n}]\nsso_session = {n}\nsso_account_id = 111122223333\nsso_role_name = R\n\n"
    if content is not None: tsso[sha(n)] = content
case("token_statuses", config=tcfg, sso=tsso, readme="One sso-session per token status (valid, expired, refreshable, missing, unreadable, invalid...).")

tcfg = ""; tsso = {}
for i, exp in enumerate(["2099-01-01T00:00:00Z", "2099-01-01T00:00:00UTC", "2099-01-01T02:00:00+02:00", "2099-01-01T00:00:00.000Z",
        "2099-01-01 00:00:00Z", "2099-01-01T00:00:00z", "20990101T000000Z", "2020-01-01T00:00:00-05:00", "2099-06-30T23:59:59.999999Z",
        "2020-01-01T00:00:00UTC", "2099-01-01T00:00:00+00:00", "2099-01-01T00:00:00 UTC"]):
    n = f"ts{i}"
    tcfg += SESS.format(n=n) + f"\n[profile p-{n}]\nsso_session = {n}\n\n"
    tsso[sha(n)] = json.dumps({"accessToken": "x", "expiresAt": exp})
case("timestamp_forms", config=tcfg, sso=tsso, readme="expiresAt in every form dateutil accepts: Z, UTC, offsets, fractions, space, z, compact.")

# ---------------------------------------------------------------- legacy
LURL = "https://legacy-portal.awsapps.com/start"
case("legacy_sso", readme="Legacy SSO profiles (no sso_session): token file sha1(start URL as written), role cache key by startUrl.",
config=f"""[profile legacy-valid]
sso_start_url = {LURL}
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile legacy-slash]
sso_start_url = {LURL}/
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile legacy-expired]
sso_start_url = https://expired.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Admin

[profile legacy-naive]
sso_start_url = https://naive.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Admin

[profile legacy-near]
sso_start_url = https://near.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Admin

[profile legacy-url-only]
sso_start_url = {LURL}

[profile legacy-missing-region]
sso_start_url = {LURL}
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile legacy-role-only]
sso_role_name = ReadOnly
""", sso={sha(LURL): tok("{{now+6h}}", url=LURL), sha("https://expired.awsapps.com/start"): tok("{{now-1h}}"),
          sha("https://naive.awsapps.com/start"): json.dumps({"accessToken": "x", "expiresAt": "2099-01-01T00:00:00"}),
          sha("https://near.awsapps.com/start"): tok("{{now+5m}}", refresh=True)},
cli={sso_role_key("111111111111", "ReadOnly", url=LURL): role("{{now+3h}}")})

# ---------------------------------------------------------------- role cache statuses
rcfg = SESS.format(n="rs"); rcli = {}
for n, content in [
    ("valid", role("{{now+2h}}")), ("expired", role("{{now-1h}}")), ("ten-min", role("{{now+10m}}")),
    ("sixteen-min", role("{{now+16m}}")), ("missing", None), ("garbage", "nope"), ("bom", "\ufeff" + role("{{now+2h}}")),
    ("truncated", role("{{now+2h}}")[:30]), ("list", "[1, 2]"), ("no-creds", json.dumps({"ProviderType": "sso"})),
    ("naive", role("2099-01-01T00:00:00")), ("utc-suffix", role("2099-01-01T00:00:00UTC")), ("offset", role("2099-01-01T00:00:00+05:30")),
    ("fraction", role("2099-01-01T00:00:00.123Z")), ("number", json.dumps({"Credentials": {"Expiration": 4102444800}})),
]:
    rcfg += f"\n[profile r-{n}]\nsso_session = rs\nsso_account_id = 333333333333\nsso_role_name = Role-{n}\n"
    if content is not None: rcli[sso_role_key("333333333333", f"Role-{n}", session="rs")] = content
case("role_cache_statuses", config=rcfg, cli=rcli, sso={sha("rs"): tok("{{now+6h}}")},
     readme="SSO role-credential cache files in every state: valid, expired, <15 min, missing, unreadable (garbage, BOM, truncated), invalid.")

# ---------------------------------------------------------------- assume role keys
ARN = "arn:aws:iam::222222222222:role/Cross"
case("assume_role_cache_keys", readme="Assume-role cache keys: ', '-separated JSON with RoleSessionName, ExternalId (even empty), SerialNumber, integer DurationSeconds.",
config=f"""[profile base]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile ar-plain]
role_arn = {ARN}
source_profile = base

[profile ar-full]
role_arn = {ARN}
source_profile = base
external_id = ext-123
duration_seconds = 3600

[profile ar-session]
role_arn = {ARN}
source_profile = base
role_session_name = alice

[profile ar-empty-session]
role_arn = {ARN}
source_profile = base
role_session_name =

[profile ar-empty-external]
role_arn = {ARN}
source_profile = base
external_id =

[profile ar-mfa]
role_arn = {ARN}
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/alice

[profile ar-bad-duration]
role_arn = {ARN}
source_profile = base
duration_seconds = 1h

[profile ar-expired]
role_arn = arn:aws:iam::444444444444:role/Other
source_profile = base

[profile ar-near]
role_arn = arn:aws:iam::555555555555:role/Near
source_profile = base

[profile ar-unicode]
role_arn = arn:aws:iam::222222222222:role/Développeur
source_profile = base
role_session_name = équipe-🚀
""", cli={
  ar_key(RoleArn=ARN): role("2099-01-01T00:00:00UTC", sso=False),
  ar_key(RoleArn=ARN, ExternalId="ext-123", DurationSeconds=3600): role("{{now+1h}}", sso=False),
  ar_key(RoleArn=ARN, RoleSessionName="alice"): role("{{now+1h}}", sso=False),
  ar_key(RoleArn=ARN, ExternalId=""): role("{{now+1h}}", sso=False),
  ar_key(RoleArn=ARN, SerialNumber="arn:aws:iam::111111111111:mfa/alice"): role("{{now+1h}}", sso=False),
  ar_key(RoleArn="arn:aws:iam::444444444444:role/Other"): role("{{now-1h}}", sso=False),
  ar_key(RoleArn="arn:aws:iam::555555555555:role/Near"): role("{{now+14m}}", sso=False),
  ar_key(RoleArn="arn:aws:iam::222222222222:role/Développeur", RoleSessionName="équipe-🚀"): role("{{now+1h}}", sso=False),
})

case("assume_role_chains", readme="source_profile chains, credential_source valid/invalid, both, neither, unknown source, loops, self-reference.",
config=f"""[profile base]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile chain-1]
role_arn = arn:aws:iam::111111111111:role/One
source_profile = base

[profile chain-2]
role_arn = arn:aws:iam::222222222222:role/Two
source_profile = chain-1

[profile cs-env]
role_arn = {ARN}
credential_source = Environment

[profile cs-ecs]
role_arn = {ARN}
credential_source = EcsContainer

[profile cs-imds]
role_arn = {ARN}
credential_source = Ec2InstanceMetadata

[profile cs-bad]
role_arn = {ARN}
credential_source = environment

[profile both]
role_arn = {ARN}
source_profile = base
credential_source = Environment

[profile neither]
role_arn = {ARN}

[profile unknown-source]
role_arn = {ARN}
source_profile = does-not-exist

[profile loop-a]
role_arn = {ARN}
source_profile = loop-b

[profile loop-b]
role_arn = {ARN}
source_profile = loop-a

[profile self-static]
role_arn = {ARN}
source_profile = self-static
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile self-nokeys]
role_arn = {ARN}
source_profile = self-nokeys

[profile source-no-creds]
role_arn = {ARN}
source_profile = region-only

[profile region-only]
region = us-west-2

[profile source-is-sso]
role_arn = {ARN}
source_profile = sso-src

[profile sso-src]
sso_session = s
sso_account_id = 111111111111
sso_role_name = R

[profile source-is-process]
role_arn = {ARN}
source_profile = proc

[profile proc]
credential_process = /bin/false

[profile source-half-key]
role_arn = {ARN}
source_profile = half

[profile half]
aws_access_key_id = AKIAEXAMPLE

[profile empty-role-arn]
role_arn =
source_profile = base

[profile chain-to-broken]
role_arn = {ARN}
source_profile = neither
""" + SESS.format(n="s"))

case("web_identity", readme="web_identity_token_file with and without role_arn; empty token file value; web identity beats role_arn+source_profile.",
config="""[profile wi]
role_arn = arn:aws:iam::111111111111:role/Web
web_identity_token_file = /var/run/token

[profile wi-no-role]
web_identity_token_file = /var/run/token

[profile wi-empty-file]
web_identity_token_file =
role_arn = arn:aws:iam::111111111111:role/Web

[profile wi-empty-file-static]
web_identity_token_file =
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile wi-and-source]
role_arn = arn:aws:iam::111111111111:role/Web
web_identity_token_file = /var/run/token
source_profile = nowhere
""")

case("static_keys", readme="Static keys in config and credentials files, half key pairs, precedence over process/login.",
config="""[profile cfg-static]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile cfg-half]
aws_access_key_id = AKIAEXAMPLE

[profile cfg-secret-only]
aws_secret_access_key = SECRET

[profile cfg-static-and-process]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
credential_process = /bin/echo

[profile cred-static-and-process]
credential_process = /bin/echo

[profile cred-half]
region = us-east-1

[profile login-and-static-cfg]
login_session = arn:aws:iam::0123456789012:user/alice
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
""", credentials="""[cred-static]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
aws_session_token = SECRET

[cred-half]
aws_access_key_id = AKIAEXAMPLE

[cred-static-and-process]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[cred-secret-only]
aws_secret_access_key = SECRET
""")

case("process_and_login", readme="credential_process and login_session profiles; chain order sso > static > login > process > config-file.",
config="""[profile proc]
credential_process = /usr/local/bin/get-creds --profile x

[profile proc-empty]
credential_process =

[profile login]
login_session = arn:aws:iam::0123456789012:user/alice

[profile login-and-process]
login_session = arn:aws:iam::0123456789012:user/alice
credential_process = /bin/echo

[profile sso-and-process]
sso_start_url = https://x.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = R
credential_process = /bin/echo
""")

# ---------------------------------------------------------------- sso-session problems
case("sso_session_problems", readme="sso_session naming a missing / empty / incomplete session, conflicting values, start URL only in the profile (surprise 13).",
config="""[sso-session complete]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[sso-session empty]

[sso-session no-url]
sso_region = us-east-1

[sso-session no-region]
sso_start_url = https://example.awsapps.com/start

[profile missing-session]
sso_session = nope
sso_account_id = 111111111111
sso_role_name = R

[profile missing-session-none]
sso_session = nope

[profile empty-session]
sso_session = empty
sso_account_id = 111111111111
sso_role_name = R
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile no-url]
sso_session = no-url
sso_account_id = 111111111111
sso_role_name = R

[profile no-url-but-profile-has-it]
sso_session = no-url
sso_start_url = https://example.awsapps.com/start
sso_account_id = 111111111111
sso_role_name = R

[profile no-region]
sso_session = no-region
sso_account_id = 111111111111
sso_role_name = R

[profile conflict]
sso_session = complete
sso_region = eu-west-1
sso_account_id = 111111111111
sso_role_name = R

[profile agree]
sso_session = complete
sso_region = us-east-1
sso_start_url = https://example.awsapps.com/start
sso_account_id = 111111111111
sso_role_name = R

[profile no-account]
sso_session = complete
sso_role_name = R

[profile account-only]
sso_session = complete
sso_account_id = 111111111111

[profile session-only]
sso_session = complete
""", sso={sha("complete"): tok("{{now+6h}}"), sha("no-url"): tok("{{now+6h}}"), sha("empty"): tok("{{now+6h}}")})

case("empty_session_name", readme="sso_session = (empty) naming [sso-session \"\"]: token sha1(\"\"), role key by startUrl (surprise 12).",
config="""[sso-session ""]
sso_start_url = https://empty-name.awsapps.com/start
sso_region = us-east-1

[profile uses-empty]
sso_session =
sso_account_id = 111111111111
sso_role_name = R
""", sso={sha(""): tok("{{now+6h}}")}, cli={sso_role_key("111111111111", "R", url="https://empty-name.awsapps.com/start"): role("{{now+2h}}")})

case("empty_session_name_missing", readme="sso_session = (empty) with no session named \"\": config_error / problem.",
config="""[profile uses-empty]
sso_session =
sso_account_id = 111111111111
sso_role_name = R
""")

case("unicode_names", readme="Non-ASCII role/session/profile names: \\uXXXX escapes (and surrogate pairs) in cache keys.",
config="""[sso-session équipe]
sso_start_url = https://example.awsapps.com/start
sso_region = eu-west-3

[profile dév]
sso_session = équipe
sso_account_id = 111111111111
sso_role_name = Développeur

[profile 東京]
sso_session = équipe
sso_account_id = 111111111111
sso_role_name = 🚀Rocket

[profile legacy-unicode]
sso_start_url = https://exämple.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = Rôle
""", sso={sha("équipe"): tok("{{now+6h}}"), sha("https://exämple.awsapps.com/start"): tok("{{now+1h}}")},
cli={sso_role_key("111111111111", "Développeur", session="équipe"): role("{{now+2h}}"),
     sso_role_key("111111111111", "🚀Rocket", session="équipe"): role("{{now-2h}}"),
     sso_role_key("111111111111", "Rôle", url="https://exämple.awsapps.com/start"): role("{{now+2h}}")})

case("empty_profile_name", readme="[profile \"\"]: a profile named the empty string.",
config="""[profile ""]
region = us-east-1
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile after]
region = us-west-2
""")

# ---------------------------------------------------------------- INI syntax
case("crlf", readme="CRLF line ends.", config="[default]\r\nregion = us-east-1\r\n\r\n[profile a]\r\naws_access_key_id = AKIAEXAMPLE\r\naws_secret_access_key = SECRET\r\n",
     credentials="[c]\r\naws_access_key_id = AKIAEXAMPLE\r\naws_secret_access_key = SECRET\r\n")
case("cr_only", readme="Lone CR line ends (surprise 3).", config="[default]\rregion = us-east-1\r[profile a]\rcredential_process = x\r[profile b]\rregion = x\r",
     credentials="[c]\raws_access_key_id = AKIAEXAMPLE\raws_secret_access_key = SECRET\r")
case("bom_config", readme="UTF-8 BOM in config: parse error (surprise 3).", config="\ufeff[default]\nregion = us-east-1\n")
case("bom_credentials", readme="UTF-8 BOM in credentials: parse error although config is fine.", config="[default]\nregion = us-east-1\n",
     credentials="\ufeff[default]\naws_access_key_id = A\naws_secret_access_key = B\n")
case("invalid_utf8", readme="Invalid UTF-8 in config: parse error.", config=b"[default]\nregion = us-east-1\n[profile caf\xe9]\nregion = x\n")
case("invalid_utf8_credentials", readme="Invalid UTF-8 in credentials: parse error.", config="[default]\nregion = x\n", credentials=b"[a]\nk = \xff\xfe\n")
case("missing_section_header", readme="Option before any section header: parse error.", config="region = us-east-1\n[default]\nregion = x\n")
case("missing_header_after_comment", readme="Comments and blank lines are fine before the first header; an indented header is still a header.",
     config="# comment\n; other\n\n   [default]\nregion = x\n  \t\n")
case("duplicate_section", readme="Same section twice in one file: parse error.", config="[profile a]\nregion = x\n[profile b]\n[profile a]\nregion = y\n")
case("duplicate_option", readme="Same key twice (after lower-casing): parse error.", config="[profile a]\nRegion = x\nregion = y\n")
case("duplicate_option_credentials", readme="Duplicate key in credentials file: parse error.", config="[profile a]\n",
     credentials="[a]\naws_access_key_id = A\naws_access_key_id = B\n")
case("empty_key", readme="Line '= value' (empty key): parse error.", config="[profile a]\n= value\n")
case("no_delimiter", readme="Option line without = or : : parse error.", config="[profile a]\nregion\n")
case("default_leak", readme="[DEFAULT] keys leak into every section of its file, incl. sso-sessions (surprise 4).",
config="""[DEFAULT]
credential_process = /bin/echo
region = eu-central-1

[profile a]
region = us-east-1

[profile b]
credential_process = /other

[sso-session s]
sso_start_url = https://example.awsapps.com/start

[profile c]
sso_session = s
sso_account_id = 111111111111
sso_role_name = R

[DEFAULT]
output = json
""", credentials="""[DEFAULT]
aws_access_key_id = AKIADEFAULT

[x]
aws_secret_access_key = SECRET

[y]
region = us-east-1
""")
case("default_leak_sso_region", readme="[DEFAULT] supplies sso_region to an sso-session that lacks it.",
config="""[DEFAULT]
sso_region = us-east-1

[sso-session s]
sso_start_url = https://example.awsapps.com/start

[profile p]
sso_session = s
sso_account_id = 111111111111
sso_role_name = R
""", sso={sha("s"): tok("{{now+6h}}")})
case("default_dup_across", readme="A key repeated across two [DEFAULT] sections is a duplicate: parse error.", config="[DEFAULT]\nregion = a\n[profile x]\n[DEFAULT]\nregion = b\n")
case("subsections", readme="Nested sub-sections (one level), keys keep case, ':' not a delimiter inside.",
config="""[profile a]
s3 =
  max_concurrent_requests = 20
  Addressing_Style = path
  endpoint_url = https://s3.example.com:8443
region = us-east-1

[profile b]
s3 = inline
  continued = line

[services dev]
s3 =
  endpoint_url = http://localhost:4566

[profile c]
services = dev
credential_process = x
""")
case("bad_subsection", readme="A sub-section line without '=' (':' does not count): parse error.", config="[profile a]\ns3 =\n  endpoint_url: http://x\n")
case("colon_delimiter", readme="':' is a delimiter; the first of '=' / ':' wins (surprise 10).",
config="""[profile a]
region: us-west-2
https://x = y
aws_access_key_id: AKIAEXAMPLE
aws_secret_access_key:SECRET

[profile b]
credential_process = a:b=c
""")
case("continuation_swallow", readme="An indented [profile x] after an option is swallowed into the value (surprise 2).",
config="""[profile a]
region = us-east-1
  [profile swallowed]
  credential_process = /bin/echo

[profile b]
  region = x
    [profile swallowed2]
\t[profile tab-swallowed]
""")
case("comments_in_continuation", readme="Comment lines between continuation lines are dropped; blank lines don't end a value; no inline comments (surprise 1).",
config="""[profile a]
credential_process = /bin/echo
  # a comment inside the value
  --flag

  ; another
  --other
region = us-east-1 # not a comment
output = json ; not a comment either

# [profile commented]
;[profile commented2]
  # [profile indented-comment]
[profile b] # trailing text after header is ignored
region = x
[profile c] # [d]
region = y
""")
case("shlex_names", readme="Section names via shlex: quotes, backslashes, unbalanced quotes, word counts, [profiles x], [profile] (surprises 5, 16).",
config="""[profile "quoted name"]
region = a
[profile 'single quoted']
region = b
[profile back\\slash]
region = c
[profile mixed"quo"ted]
region = d
[profile "esc\\"aped"]
region = e
[profile 'it's]
region = f
[profile it's]
region = g
[profile a b]
region = h
[profile]
region = i
[profilex]
region = j
[profiles x]
region = k
[profile-x y]
region = l
[ default]
region = m
[default ]
region = n
[PROFILE upper]
region = o
[Default]
region = p
[ profile spaced ]
region = q
[profile $HOME;rm -rf|&*?~]
region = r
[profile $HOME;rm|&*?~!%]
region = r2
[profile $(echo)`x`]
region = s
[profile trailing\\]
region = t
[profile "a\\b"]
region = u
[profile x\u00a0nbsp]
region = v
[profile x\u3000ideo]
region = w
[profile tab\tsep]
region = x
[sso-sessionx y]
sso_start_url = https://x
sso_region = us-east-1
[servicesfoo bar]
s3 =
  endpoint_url = http://x
[services]
region = z
[profile "double  space"]
region = aa
[profile ""]
region = bb
[profile '']
region = cc
[randomsection]
region = dd
""")
case("later_duplicates", readme="Later duplicates by resulting name replace earlier ones wholesale, position kept (surprise 6).",
config="""[default]
region = us-east-1
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile a]
credential_process = /bin/echo

[profile z]
region = z

[profile default]
region = eu-west-1

[profile "a"]
region = replaced

[sso-session s]
sso_start_url = https://one
sso_region = us-east-1

[sso-session "s"]
sso_start_url = https://two

[profile p]
sso_session = s
sso_account_id = 111111111111
sso_role_name = R
""")
case("default_vs_profile_default", readme="[profile default] first, [default] later: the later wins.",
config="""[profile default]
credential_process = /bin/echo

[default]
region = us-east-1
""")
case("credentials_merge", readme="Credentials values override config values key by key; sub-section dict replaced wholesale (surprise 8).",
config="""[profile a]
region = us-east-1
credential_process = /bin/echo
s3 =
  addressing_style = path

[profile b]
role_arn = arn:aws:iam::111111111111:role/B
source_profile = a

[profile c]
sso_session = s
sso_account_id = 111111111111
sso_role_name = R

[sso-session s]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile d]
region = eu-west-1
""", credentials="""[a]
region = eu-west-1
s3 =
  max_concurrent_requests = 5

[c]
sso_account_id = 999999999999

[d]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[b]
role_arn = arn:aws:iam::111111111111:role/Override
""", sso={sha("s"): tok("{{now+6h}}")},
cli={sso_role_key("999999999999", "R", session="s"): role("{{now+2h}}"), ar_key(RoleArn="arn:aws:iam::111111111111:role/Override"): role("{{now+2h}}", sso=False)})
case("credentials_only", readme="Profiles only in the credentials file come after config profiles, in file order.",
config="""[profile z]
region = x
[default]
region = y
""", credentials="""[zeta]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
[alpha]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
[z]
region = override
""")
case("credentials_literal_names", readme="In the credentials file [profile foo] is a profile named 'profile foo' (surprise 7).",
config="""[profile foo]
region = us-east-1
""", credentials="""[profile foo]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[sso-session x]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

["quoted"]
aws_access_key_id = AKIAEXAMPLE

[with space]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[foo]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
""")
case("key_case", readme="Keys are lower-cased, names keep case (surprise 9).",
config="""[profile Mixed]
SSO_Session = MySess
SSO_ACCOUNT_ID = 111111111111
Sso_Role_Name = R

[sso-session MySess]
SSO_START_URL = https://example.awsapps.com/start
SSO_Region = us-east-1

[profile mixed]
Credential_Process = /bin/echo
""", credentials="""[UPPER]
AWS_ACCESS_KEY_ID = AKIAEXAMPLE
AWS_SECRET_ACCESS_KEY = SECRET
""", sso={sha("MySess"): tok("{{now+6h}}")})
case("whitespace_rules", readme="Unicode whitespace stripping, blank lines inside values, indentation rules.",
config="""[profile a]
region =\u00a0us-east-1\u00a0
credential_process = /bin/echo\u3000

\u00a0
  --after-blank

[profile b]\u00a0
region = x
\u00a0[profile c]
output = json
\x0c[profile d]
credential_process = y
""")
case("empty_files", readme="Empty config and credentials files: no profiles.", config="", credentials="")
case("no_files", readme="No config and no credentials file at all: no profiles, no error.")
case("only_credentials_file", readme="Only a credentials file.", credentials="[default]\naws_access_key_id = A\naws_secret_access_key = B\n[other]\nregion = x\n")
case("path_expansion", readme="AWS_CONFIG_FILE with ~ and AWS_SHARED_CREDENTIALS_FILE with ${HOME} are expanded by the tools.",
     env="AWS_CONFIG_FILE=~/.aws/alt/config\nAWS_SHARED_CREDENTIALS_FILE=${HOME}/.aws/alt/creds\n",
     extra={"alt/config": "[profile from-alt]\nregion = x\n", "alt/creds": "[alt-cred]\naws_access_key_id = A\naws_secret_access_key = B\n"},
     config="[profile ignored]\nregion = x\n")
case("empty_env_credentials", readme="AWS_SHARED_CREDENTIALS_FILE set but empty: no credentials file.",
     env="AWS_SHARED_CREDENTIALS_FILE=\n", config="[profile a]\nregion = x\n", credentials="[should-not-appear]\nregion = y\n")
case("config_is_directory", readme="AWS_CONFIG_FILE pointing at a folder: ignored, no error.",
     env="AWS_CONFIG_FILE=~/.aws/sso\n", credentials="[c]\naws_access_key_id = A\naws_secret_access_key = B\n",
     sso={"placeholder.json": "{}"})
case("env_profile_vars", readme="AWS_DEFAULT_PROFILE and AWS_PROFILE set (surprise 15): listing is unaffected; AWS_DEFAULT_PROFILE wins for the active profile.",
     env="AWS_DEFAULT_PROFILE=b\nAWS_PROFILE=a\n", config="[profile a]\nregion = x\n[profile b]\nregion = y\n")
case("header_edge_cases", readme="Header regex: [] is no header (parse error).", config="[]\nregion = x\n")
case("sso_session_shlex_and_refs", readme="sso-session names via shlex; profiles referencing quoted names literally.",
config="""[sso-session "my session"]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile uses-spaced]
sso_session = my session
sso_account_id = 111111111111
sso_role_name = R

[profile uses-quoted]
sso_session = "my session"
sso_account_id = 111111111111
sso_role_name = R
""", sso={sha("my session"): tok("{{now+5m}}", refresh=True)})
case("sso_and_role_precedence", readme="Chain order: role_arn beats sso; sso beats static keys in credentials.",
config="""[sso-session s]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile role-and-sso]
role_arn = arn:aws:iam::111111111111:role/X
source_profile = sso-and-static
sso_session = s
sso_account_id = 111111111111
sso_role_name = R

[profile sso-and-static]
sso_session = s
sso_account_id = 111111111111
sso_role_name = R
""", credentials="""[sso-and-static]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET
""", sso={sha("s"): tok("{{now-1h}}")})

case("assume_role_key_edges", readme="Assume-role cache keys: int() forms of duration_seconds (+, _, non-ASCII digits, spaces), empty mfa_serial, tab and non-ASCII in values.",
config="""[profile base]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile dur-plus]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
duration_seconds = +3600

[profile dur-underscore]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
duration_seconds = 3_600

[profile dur-arabic]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
duration_seconds = \u0663\u0666\u0660\u0660

[profile dur-negative]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
duration_seconds = -900

[profile dur-float]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
duration_seconds = 3600.0

[profile dur-leading-zero]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
duration_seconds = 0003600

[profile mfa-empty]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
mfa_serial =

[profile tab-session]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
role_session_name = a\tb"c\\d/e

[profile ext-unicode]
role_arn = arn:aws:iam::222222222222:role/D
source_profile = base
external_id = \u00e9\u4e2d\U0001f600
""")

case("cache_entry_is_directory", readme="A cache 'file' that is a directory is missing (not a regular file), for tokens and role credentials.",
config=SESS.format(n="dir-sess") + """
[profile p]
sso_session = dir-sess
sso_account_id = 111111111111
sso_role_name = R
""", sso={sha("dir-sess") + "/placeholder": "{}"},
cli={sso_role_key("111111111111", "R", session="dir-sess") + "/placeholder": "{}"})

# ---------------------------------------------------------------- issue 10
case("default_bad_subsection_inherited", readme='A [DEFAULT] sub-section without "=" that profile a inherits: ConfigParseError.',
config="[DEFAULT]\ns3 =\n  no equals sign here\n\n[profile a]\nregion = us-east-1\n")
case("default_bad_subsection_unused", readme='A [DEFAULT] sub-section without "=" that every section overrides: botocore never parses it, so the file is fine.',
config="[DEFAULT]\ns3 =\n  no equals sign here\n\n[profile a]\ns3 = own value\nregion = us-east-1\n")

case("empty_profile_name_selects_default", readme='[profile ""] is never selected: `profile or \'default\'` gives the default profile\'s kind, token and role cache.',
config=SESS.format(n="dflt") + """
[profile ""]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[default]
sso_session = dflt
sso_account_id = 111111111111
sso_role_name = R
""", sso={sha("dflt"): tok("{{now+6h}}")}, cli={sso_role_key("111111111111", "R", session="dflt"): role("{{now+2h}}")})

case("nul_profile_name", readme="A NUL byte in a profile name: botocore is fine with it, but no environment variable can carry it (awsp: a problem).",
config="""[profile a\0b]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile ab]
credential_process = x
""")

case("session_lacks_url_profile_has_it", readme="sso-session without sso_start_url, profile with its own: the role cache file is named (session key) beside the token-side problem; the token file is sha1(session name).",
config="""[sso-session no-url]
sso_region = us-east-1

[profile own-url]
sso_session = no-url
sso_start_url = https://example.awsapps.com/start
sso_account_id = 111111111111
sso_role_name = R

[profile own-url-expired-role]
sso_session = no-url
sso_start_url = https://example.awsapps.com/start
sso_account_id = 222222222222
sso_role_name = R
""", sso={sha("no-url"): tok("{{now+6h}}")},
cli={sso_role_key("111111111111", "R", session="no-url"): role("{{now+2h}}"),
     sso_role_key("222222222222", "R", session="no-url"): role("{{now-1h}}")})

case("incomplete_session_tokens", readme="Incomplete sso-sessions (no region, no URL, empty) still name their token file sha1(name); its status as botocore reads it.",
config="""[sso-session no-region]
sso_start_url = https://example.awsapps.com/start

[sso-session no-url]
sso_region = us-east-1

[sso-session empty]

[sso-session no-region-refresh]
sso_start_url = https://example.awsapps.com/start

[sso-session no-region-bad-reg]
sso_start_url = https://example.awsapps.com/start

[profile uses-no-region]
sso_session = no-region
sso_account_id = 111111111111
sso_role_name = R

[profile uses-empty]
sso_session = empty
sso_account_id = 111111111111
sso_role_name = R
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile token-only]
sso_session = no-url
""", sso={sha("no-region"): tok("{{now+6h}}"), sha("no-url"): tok("{{now-2h}}"), sha("empty"): "not json",
          sha("no-region-refresh"): tok("{{now+5m}}", refresh=True),
          sha("no-region-bad-reg"): tok("{{now+5m}}", refresh=True, reg="2099-01-01T00:00:00")})

case("invalid_token_no_expiry", readme="Tokens botocore raises on (naive or garbage registrationExpiresAt in the refresh window, naive expiresAt): no expiry.",
config=SESS.format(n="naive-reg") + SESS.format(n="garbage-reg") + SESS.format(n="naive-exp") + """
[profile p-naive-reg]
sso_session = naive-reg
sso_account_id = 111111111111
sso_role_name = R

[profile p-garbage-reg]
sso_session = garbage-reg
sso_account_id = 111111111111
sso_role_name = R
""", sso={sha("naive-reg"): tok("{{now+5m}}", refresh=True, reg="2099-01-01T00:00:00"),
          sha("garbage-reg"): tok("{{now+5m}}", refresh=True, reg="garbage"),
          sha("naive-exp"): json.dumps({"accessToken": "x", "expiresAt": "2099-01-01T00:00:00"})})

case("sso_session_copied_keys", readme="sso-session keys are copied onto its profiles; a key both have must be equal, sub-sections compared as dicts (any key order).",
config="""[sso-session main]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
region = eu-west-1
s3 =
  addressing_style = path
  max_concurrent_requests = 20

[profile same-order]
sso_session = main
sso_account_id = 111111111111
sso_role_name = R
s3 =
  addressing_style = path
  max_concurrent_requests = 20

[profile other-order]
sso_session = main
sso_account_id = 111111111111
sso_role_name = R
s3 =
  max_concurrent_requests = 20
  addressing_style = path

[profile other-value]
sso_session = main
sso_account_id = 111111111111
sso_role_name = R
s3 =
  max_concurrent_requests = 10
  addressing_style = path

[profile fewer-keys]
sso_session = main
sso_account_id = 111111111111
sso_role_name = R
s3 =
  addressing_style = path

[profile plain-vs-sub]
sso_session = main
sso_account_id = 111111111111
sso_role_name = R
s3 = path

[profile region-conflict]
sso_session = main
sso_account_id = 111111111111
sso_role_name = R
region = us-west-2

[profile region-same]
sso_session = main
sso_account_id = 111111111111
sso_role_name = R
region = eu-west-1
""", sso={sha("main"): tok("{{now+6h}}")},
cli={sso_role_key("111111111111", "R", session="main"): role("{{now+2h}}")})

_chain = ""
for i in range(40):
    _chain += f"[profile c{i}]\nrole_arn = arn:aws:iam::111111111111:role/C{i}\nsource_profile = c{i + 1}\n\n"
_chain += "[profile c40]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = SECRET\n\n"
for i in range(20):
    _chain += f"[profile t{i}]\nrole_arn = arn:aws:iam::111111111111:role/T{i}\nsource_profile = {'t' + str(i + 1) if i < 19 else 't10'}\n\n"
_chain += """[profile keys-top]
role_arn = arn:aws:iam::111111111111:role/K
source_profile = keys-mid
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = SECRET

[profile keys-mid]
role_arn = arn:aws:iam::111111111111:role/M
source_profile = keys-top
"""
case("long_source_profile_chains", readme="A 41-profile assume-role chain ending in keys; a tail of 10 into a loop of 10; a loop back to a top with keys.",
config=_chain, cli={ar_key(RoleArn="arn:aws:iam::111111111111:role/C0"): role("{{now+2h}}", sso=False)})

def write(p, data):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

shutil.rmtree(ROOT, ignore_errors=True)
for name, c in CASES.items():
    d = os.path.join(ROOT, name)
    os.makedirs(d)
    if c["config"] is not None: write(f"{d}/config", c["config"])
    if c["credentials"] is not None: write(f"{d}/credentials", c["credentials"])
    if c["env"]: write(f"{d}/env", c["env"])
    if c["readme"]: write(f"{d}/README", c["readme"] + "\n")
    for k, v in c["sso"].items(): write(f"{d}/sso/cache/{k}", v)
    for k, v in c["cli"].items(): write(f"{d}/cli/cache/{k}", v)
    for k, v in c["extra"].items(): write(f"{d}/{k}", v)
print(len(CASES), "cases")
