#!/usr/bin/env python3
"""botocore oracle for awsp's differential test.

Run it with HOME pointing at a fixture home and AWS_CONFIG_FILE /
AWS_SHARED_CREDENTIALS_FILE pointing at its files (all other AWS_* variables
removed, AWS_EC2_METADATA_DISABLED=true).  It prints ONE JSON document that
describes what botocore sees:

    {"error": "<ConfigParseError text>"}                     # unparseable file
    {"profiles": [...], "sso_sessions": [...],
     "details": {name: {...}}, "session_details": {name: {...}}}

Every decision is made by botocore's own code (configloader, Session,
SSOTokenProvider, SSOTokenLoader, SSOCredentialFetcher,
AssumeRoleCredentialFetcher, the credential resolver chain).  The only
changes are monkeypatches that replace network calls, subprocesses and
token-file reads by fakes, so that the chain itself decides which provider
answers and what configuration errors it raises.
"""

import datetime
import json
import os
import sys
import warnings

import botocore.credentials as bc
import botocore.exceptions as be
import botocore.session
import botocore.tokens as bt
import botocore.utils as bu
import dateutil.parser

warnings.simplefilter("ignore")  # dateutil's UnknownTimezoneWarning on stderr

# --------------------------------------------------------------------------
# Patches: no network, no subprocess, no machine providers.

FAKE_KEY = "AKIDORACLEFAKE"
FAKE_SECRET = "oracle-fake-secret"


class _RefreshAttempted(Exception):
    """Raised instead of calling SSO-OIDC CreateToken."""


class _ReachedGetRoleCredentials(Exception):
    """Raised instead of calling SSO GetRoleCredentials."""


class _UnauthorizedException(Exception):
    pass


class _FakeSSOClient:
    class exceptions:  # noqa: N801 (mimics a botocore client)
        UnauthorizedException = _UnauthorizedException

    def get_role_credentials(self, **kwargs):
        raise _ReachedGetRoleCredentials()


def _fake_client_creator(*args, **kwargs):
    return _FakeSSOClient()


def _fake_process(self, credential_process):
    return {
        "access_key": FAKE_KEY,
        "secret_key": FAKE_SECRET,
        "token": None,
        "expiry_time": None,
        "account_id": None,
    }


_orig_get_provider = bc.CanonicalNameCredentialSourcer._get_provider


def _fake_source_credentials(self, source_name):
    # Keep botocore's own lookup (and its errors) but fake the credentials.
    _orig_get_provider(self, source_name)
    return bc.Credentials(FAKE_KEY, FAKE_SECRET, method=source_name)


def _fake_login_cached(self):
    return {
        "access_key": FAKE_KEY,
        "secret_key": FAKE_SECRET,
        "token": None,
        "expiry_time": "2999-01-01T00:00:00Z",
        "account_id": None,
    }


bc.ProcessProvider._retrieve_credentials_using = _fake_process
bc.CanonicalNameCredentialSourcer.source_credentials = _fake_source_credentials
bc.FileWebIdentityTokenLoader.__call__ = lambda self: "oracle-fake-token"
bc.LoginCredentialFetcher.load_cached_credentials = _fake_login_cached
if bc.EC is None:  # botocore[crt] not installed: pretend it is
    bc.EC = object()
for _cls in (
    bc.EnvProvider,
    bc.InstanceMetadataProvider,
    bc.ContainerProvider,
    bc.OriginalEC2Provider,
    bc.BotoProvider,
):
    _cls.load = lambda self: None


def _no_network(*args, **kwargs):
    raise RuntimeError("oracle: unexpected client creation (network)")


botocore.session.Session.create_client = _no_network

# Remember which provider of the chain raised: each wrapper overwrites the
# mark as the exception travels outwards, so the outermost provider (the
# one the top-level chain picked) wins.
def _marking(load, method):
    def load_and_mark(self, *args, **kwargs):
        try:
            return load(self, *args, **kwargs)
        except Exception as e:
            e._oracle_method = method
            raise

    return load_and_mark


for _cls in (
    bc.AssumeRoleProvider,
    bc.AssumeRoleWithWebIdentityProvider,
    bc.SSOProvider,
    bc.SharedCredentialProvider,
    bc.LoginProvider,
    bc.ProcessProvider,
    bc.ConfigProvider,
):
    _cls.load = _marking(_cls.load, _cls.METHOD)

# Record every CachedCredentialFetcher botocore builds (SSO, assume-role,
# web identity) so that we can ask it for its own cache key.
_created_fetchers = []
_orig_fetcher_init = bc.CachedCredentialFetcher.__init__


def _recording_init(self, *args, **kwargs):
    _orig_fetcher_init(self, *args, **kwargs)
    _created_fetchers.append(self)


bc.CachedCredentialFetcher.__init__ = _recording_init

CONFIG_PROBLEMS = (
    be.InvalidConfigError,  # includes InfiniteLoopConfigError
    be.PartialCredentialsError,
    be.ProfileNotFound,
    be.UnknownCredentialError,
)

SSO_CACHE_DIR = bt.SSOTokenProvider._SSO_TOKEN_CACHE_DIR
CLI_CACHE_DIR = os.path.expanduser(os.path.join("~", ".aws", "cli", "cache"))


def _utc_text(value):
    """botocore's parsed timestamp as YYYY-MM-DDTHH:MM:SSZ (None if unusable)."""
    try:
        if isinstance(value, str):
            value = dateutil.parser.parse(value)
        if not isinstance(value, datetime.datetime) or value.tzinfo is None:
            return None
        utc = value.astimezone(datetime.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    except Exception:
        return None


# --------------------------------------------------------------------------
# Token side


def _session_token_status(session, profile_name=None, sso_config=None):
    """Status of the token an sso-session profile (or session) would use."""
    tp = bt.SSOTokenProvider(session, profile_name=profile_name or "x")
    # SSOTokenProvider falls back to the session's profile for a falsy
    # name; force the exact profile name (also for the "" profile).
    tp._profile_name = profile_name if profile_name is not None else "x"
    if sso_config is not None:
        tp._load_sso_config = lambda: sso_config
    try:
        cfg = tp._load_sso_config()
    except be.InvalidConfigError:
        # The session exists but lacks what the token side needs: botocore
        # still names its file by the session's name alone
        # (SSOTokenLoader._generate_cache_key); read it as the token side
        # would once the session is complete.
        cfg = _incomplete_session_config(session, tp._profile_name)
        if cfg is None:
            return {"token_cache_file": None, "token_status": "config_error"}
    key = tp._token_loader._generate_cache_key(
        cfg["sso_start_url"], cfg["session_name"]
    )
    out = {"token_cache_file": key + ".json", "token_expires_at": None}
    cache = tp._cache
    if key not in cache:
        out["token_status"] = "missing"
        return out
    try:
        token = cache[key]
    except KeyError:
        out["token_status"] = "unreadable"
        return out

    def attempted(_token):
        raise _RefreshAttempted()

    tp._attempt_create_token = attempted
    tp.__dict__["_sso_config"] = cfg
    try:
        frozen = tp._refresher()
    except _RefreshAttempted:
        out["token_status"] = "refreshable"
        out["token_expires_at"] = _utc_text(token.get("expiresAt"))
        return out
    except Exception as e:  # SSOTokenLoadError, TypeError, ParserError...
        out["token_status"] = "invalid"
        out["token_error"] = f"{type(e).__name__}: {e}"
        return out
    remaining = (frozen.expiration - tp._now()).total_seconds()
    out["token_status"] = "valid" if remaining > 0 else "expired"
    out["token_expires_at"] = _utc_text(frozen.expiration)
    return out


def _incomplete_session_config(session, profile_name):
    """The token config of a profile's sso-session that exists but is
    incomplete (None when the profile names no existing session)."""
    loaded = session.full_config
    profile = loaded.get("profiles", {}).get(profile_name, {})
    name = profile.get("sso_session")
    sessions = loaded.get("sso_sessions", {})
    if not isinstance(name, str) or name not in sessions:
        return None
    return _session_config(name, sessions[name])


def _session_config(name, cfg):
    return {
        "session_name": name,
        "sso_start_url": cfg.get("sso_start_url"),
        "sso_region": cfg.get("sso_region"),
    }


def _legacy_token_status(start_url):
    """Status of a legacy (no sso_session) profile's token, per
    SSOCredentialFetcher._get_credentials (rejected when expiresAt <= now)."""
    cache = bu.JSONFileCache(bc.SSOProvider._SSO_TOKEN_CACHE_DIR)
    loader = bu.SSOTokenLoader(cache=cache)
    key = loader._generate_cache_key(start_url, None)
    out = {"token_cache_file": key + ".json", "token_expires_at": None}
    if key not in cache:
        out["token_status"] = "missing"
        return out
    try:
        token = cache[key]
    except KeyError:
        out["token_status"] = "unreadable"
        return out
    fetcher = bc.SSOCredentialFetcher(
        start_url,
        "us-east-1",
        "oracle-role",
        "000000000000",
        client_creator=_fake_client_creator,
        token_loader=loader,
        cache={},
    )
    _created_fetchers.pop()
    try:
        fetcher._get_credentials()
    except _ReachedGetRoleCredentials:
        out["token_status"] = "valid"
    except be.UnauthorizedSSOTokenError:
        out["token_status"] = "expired"
    except Exception as e:
        out["token_status"] = "invalid"
        out["token_error"] = f"{type(e).__name__}: {e}"
        return out
    out["token_expires_at"] = _utc_text(token.get("expiresAt"))
    return out


# --------------------------------------------------------------------------
# Role-credential cache side


def _role_cache_status(fetcher):
    key = fetcher._cache_key
    out = {"role_cache_file": key + ".json", "role_expires_at": None}
    cache = bu.JSONFileCache(CLI_CACHE_DIR)
    if key not in cache:
        out["role_status"] = "missing"
        return out
    try:
        entry = cache[key]
    except KeyError:
        out["role_status"] = "unreadable"
        return out
    fetcher._cache = cache
    try:
        loaded = fetcher._load_from_cache()
    except Exception as e:
        out["role_status"] = "invalid"
        out["role_error"] = f"{type(e).__name__}: {e}"
        return out
    out["role_status"] = "valid" if loaded is not None else "expired"
    out["role_expires_at"] = _utc_text(
        bc._parse_if_needed(entry["Credentials"]["Expiration"])
    )
    return out


# --------------------------------------------------------------------------
# Credential chain


def _resolve(name):
    """Run botocore's chain for profile `name`; return (session, load)."""
    # For "" this is the `default` chain: create_credential_resolver uses
    # `profile or 'default'`.
    session = botocore.session.Session(profile=name)
    return session, session.get_credentials


def describe_profile(name, full_config):
    # Selecting "" selects `default`, for the token too
    # (SSOTokenProvider: `profile_name or ... or 'default'`).
    effective = name or "default"
    profile = full_config["profiles"].get(effective, {})
    session, load = _resolve(name)
    detail = {
        "method": None,
        "problem": False,
        "has_sso_session": "sso_session" in profile,
    }
    del _created_fetchers[:]
    try:
        creds = load()
        if creds is not None:
            detail["method"] = creds.method
    except CONFIG_PROBLEMS as e:
        detail["problem"] = True
        detail["problem_type"] = type(e).__name__
        detail["problem_text"] = str(e)
        detail["raised_by"] = getattr(e, "_oracle_method", None)
    except Exception as e:  # anything else is reported, never hidden
        detail["problem"] = True
        detail["problem_type"] = "UNEXPECTED " + type(e).__name__
        detail["problem_text"] = str(e)
        detail["raised_by"] = getattr(e, "_oracle_method", None)

    # SSO: the configuration is checked once more when the credentials are
    # fetched (SSOCredentialFetcher._get_credentials -> SSOTokenProvider,
    # which rejects an empty / incomplete sso-session).  Run that step with
    # the network call faked.
    if detail["method"] == "sso" and not detail["problem"]:
        mine = [f for f in _created_fetchers if type(f) is bc.SSOCredentialFetcher]
        if mine:
            fetcher = mine[-1]
            real_client_creator = fetcher._client_creator
            fetcher._client_creator = _fake_client_creator
            try:
                fetcher._get_credentials()
            except CONFIG_PROBLEMS as e:
                detail["problem"] = True
                detail["problem_type"] = type(e).__name__ + " (when fetching)"
                detail["problem_text"] = str(e)
                detail["raised_by"] = "sso"
            except Exception:
                pass  # token missing / expired / network: not configuration
            finally:
                fetcher._client_creator = real_client_creator
    if name == "":
        detail["note"] = "empty name: botocore's resolver would use 'default'"

    # Role credential cache, for sso / assume-role without a problem.
    detail.update(role_cache_file=None, role_status=None, role_expires_at=None)
    wanted = {
        "sso": bc.SSOCredentialFetcher,
        "assume-role": bc.AssumeRoleCredentialFetcher,
    }.get(detail["method"])
    # Also beside a problem found only when fetching (the fetcher exists).
    if wanted is not None:
        mine = [f for f in _created_fetchers if type(f) is wanted]
        if mine:
            detail.update(_role_cache_status(mine[-1]))

    # Token
    detail.update(token_cache_file=None, token_status=None, token_expires_at=None)
    if "sso_session" in profile:
        detail.update(_session_token_status(session, profile_name=effective))
    elif "sso_start_url" in profile:
        detail.update(_legacy_token_status(profile["sso_start_url"]))
    return detail


def describe_session(name, cfg, session):
    # Complete or not, the session's name names its token file.
    return _session_token_status(session, sso_config=_session_config(name, cfg))


def main():
    session = botocore.session.Session()
    try:
        full_config = session.full_config
        names = list(session.available_profiles)
    except be.ConfigParseError as e:
        cause = e.kwargs.get("error")
        print(json.dumps({"error": str(e), "cause": repr(cause)}))
        return 0
    sso_sessions = full_config.get("sso_sessions", {})
    out = {
        "botocore": botocore.__version__,
        "profiles": names,
        "sso_sessions": list(sso_sessions),
        "details": {n: describe_profile(n, full_config) for n in names},
        "session_details": {
            n: describe_session(n, c, session) for n, c in sso_sessions.items()
        },
    }
    print(json.dumps(out, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
