"""botocore's reading of cache files, for awsp's differential tests.

stdin: {"now": EPOCH_SECONDS, "docs": [HEX, ...]} (each document's bytes in hex)
stdout: one result per document:
  {"token": STATUS, "token_expires": MICROS|null,
   "creds": STATUS, "creds_expires": MICROS|null}

Each document is written as an sso-session's token file and as a cached
role-credential file, then read by botocore's own code: `JSONFileCache`
(json.load), `SSOTokenProvider._refresher` (CreateToken patched to raise,
so an attempted refresh shows as "refreshable"), and
`CachedCredentialFetcher._load_from_cache` with "now" patched in.
STATUS is missing/unreadable/invalid/valid/expired/refreshable as awsp names
them; a RecursionError (which botocore does not catch: the CLI fails) is
"unreadable", as awsp reports it.
"""

import datetime
import hashlib
import json
import os
import sys
import tempfile

import botocore.credentials as bc
import botocore.session
import botocore.tokens as bt
import botocore.utils as bu
import dateutil.parser
import warnings

warnings.simplefilter("ignore")

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class _RefreshAttempted(Exception):
    pass


def _micros(value):
    """An aware datetime as microseconds since the epoch, else None."""
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        return None
    return (value - EPOCH) // datetime.timedelta(microseconds=1)


def _token(provider, cache, key, now):
    try:
        token = cache[key]
    except (KeyError, RecursionError):
        return "unreadable", None

    def attempted(_token):
        raise _RefreshAttempted()

    provider._attempt_create_token = attempted
    try:
        frozen = provider._refresher()
    except RecursionError:
        return "unreadable", None
    except _RefreshAttempted:
        return "refreshable", _micros(dateutil.parser.parse(token["expiresAt"]))
    except Exception:  # SSOTokenLoadError, TypeError, ParserError...
        return "invalid", None
    remaining = (frozen.expiration - now).total_seconds()
    return ("valid" if remaining > 0 else "expired"), _micros(frozen.expiration)


class _Fetcher(bc.CachedCredentialFetcher):
    def _create_cache_key(self):
        return "creds"


def _creds(fetcher, cache):
    try:
        entry = cache["creds"]
    except (KeyError, RecursionError):
        return "unreadable", None
    try:
        loaded = fetcher._load_from_cache()
    except RecursionError:
        return "unreadable", None
    except Exception:
        return "invalid", None
    expires = _micros(bc._parse_if_needed(entry["Credentials"]["Expiration"]))
    return ("valid" if loaded is not None else "expired"), expires


def main():
    request = json.load(sys.stdin)
    now = EPOCH + datetime.timedelta(seconds=request["now"])
    bc._local_now = lambda: now
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "config")
        with open(config, "w") as f:
            f.write(
                "[sso-session s]\nsso_start_url = https://s.awsapps.com/start\n"
                "sso_region = us-east-1\n\n[profile p]\nsso_session = s\n"
            )
        for var in list(os.environ):
            if var.startswith("AWS_"):
                del os.environ[var]
        os.environ["AWS_CONFIG_FILE"] = config
        session = botocore.session.Session(profile="p")
        sso_dir = os.path.join(tmp, "sso")
        cli_dir = os.path.join(tmp, "cli")
        token_cache = bu.JSONFileCache(sso_dir)
        creds_cache = bu.JSONFileCache(cli_dir)
        provider = bt.SSOTokenProvider(
            session, cache=token_cache, time_fetcher=lambda: now, profile_name="p"
        )
        fetcher = _Fetcher(cache=creds_cache)
        key = hashlib.sha1(b"s").hexdigest()
        os.makedirs(sso_dir)
        os.makedirs(cli_dir)
        out = []
        for doc in request["docs"]:
            body = bytes.fromhex(doc)
            for path in (os.path.join(sso_dir, key + ".json"), os.path.join(cli_dir, "creds.json")):
                with open(path, "wb") as f:
                    f.write(body)
            token, token_expires = _token(provider, token_cache, key, now)
            creds, creds_expires = _creds(fetcher, creds_cache)
            out.append(
                {
                    "token": token,
                    "token_expires": token_expires,
                    "creds": creds,
                    "creds_expires": creds_expires,
                }
            )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
