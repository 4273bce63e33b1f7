"""dateutil's reading of cache-file timestamps, as botocore does it.

stdin: a JSON list of strings. stdout:
  {"today": "YYYY-MM-DD", "results": [{"micros": N|null, "tzname": S|null}]}

`micros`: microseconds since the epoch of `dateutil.parser.parse(s)` (the
call botocore's token provider, legacy SSO fetcher and credential cache
make), or null where botocore could not use it: an exception, a naive
result (comparing it with an aware "now" raises TypeError) or an offset
Python refuses when comparing (a day or more). `tzname`: the zone name
dateutil's `_parse` found, which tells the caller the answer depended on the
machine's local zone names. `today` is the default date dateutil filled in.
Run with TZ=UTC.
"""

import datetime
import json
import sys
import warnings

import dateutil.parser

warnings.simplefilter("ignore")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def micros(text):
    try:
        value = dateutil.parser.parse(text)
        if value.tzinfo is None:
            return None
        return (value - EPOCH) // datetime.timedelta(microseconds=1)
    except Exception:
        return None


def tzname(text):
    try:
        res, _ = dateutil.parser.DEFAULTPARSER._parse(text)
    except Exception:
        return None
    return res.tzname if res is not None else None


def main():
    texts = json.load(sys.stdin)
    today = datetime.datetime.now().date().isoformat()
    results = [{"micros": micros(t), "tzname": tzname(t)} for t in texts]
    json.dump({"today": today, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
