"""How a person shows up in text: by full name, e-mail address or phone number for sure, by
first name or surname only possibly (``crm.network.privacy`` lists and erases with it).

A ``Matcher`` gives the database a first filter (SQL ``LIKE`` conditions that match at least
what the patterns match, also in JSON columns and with SQLite's ASCII-only case folding) and
decides in Python with regular expressions; it also scrubs the exact mentions out of a value.
"""

from __future__ import annotations

import json
import re

from sqlalchemy import JSON, Text, cast, func

from crm.network.models import Contact

REDACTED = "[verwijderd]"
#: Fields that hold one address or number: holding exactly the person's, they are cleared.
WHOLE_VALUE = ("email", "phone")
#: Parts of a Dutch name that say nothing on their own (tussenvoegsels, titles).
NAME_PARTICLES = {"van", "de", "der", "den", "het", "ten", "ter", "te", "in", "op", "aan", "bij", "'t", "la",
                  "le", "du", "da", "von", "dhr", "mw", "mevr", "mevrouw", "meneer", "heer", "dr", "mr", "ir",
                  "drs", "prof", "ing"}
#: What may stand between the digits of a phone number in text ("06-12 34 56 78", "(010) 123.45.67").
PHONE_SEPARATORS = " \t\n\r\xa0\u2009\u202f.()/-"


def _digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def _national(text: str | None) -> str:
    """A phone number as one key: a Dutch number by its digits without the country or trunk
    prefix, so "06 1234 5678", "+31 6 12345678", "+31 (0)6-1234 5678" and "0031 612345678"
    are all "612345678"; a number of another country as "+" and its digits ("+3221234567")."""
    digits = _digits(text)
    if (text or "").lstrip().startswith("+"):
        digits = "00" + digits
    if digits.startswith("0031"):
        return digits[5:] if digits[4:5] == "0" else digits[4:]  # "+31 (0)6": the trunk 0 again
    if digits.startswith("00"):
        return "+" + digits[2:]
    return digits[1:] if digits.startswith("0") else digits


def _phone_forms(key: str) -> list[str]:
    """The digit strings a number (a key of ``_national``) is written as in text."""
    if key.startswith("+"):
        return [key[1:]]  # "+32 …" or "0032 …": the same digits after the plus or the 00
    return [prefix + key for prefix in ("0", "31", "310", "0031", "00310")]  # "+31 (0)6…": "310"


class Matcher:
    """How the person shows up in text: exactly (erased) or possibly (only listed)."""

    def __init__(self, contact: Contact):
        name = " ".join((contact.name or "").split())
        self.email = (contact.email or "").strip().lower() or None
        national = _national(contact.phone)
        self.phone = national if len(national) >= 6 else None
        tokens = name.split()
        words = [t for t in tokens if t.lower().strip(".") not in NAME_PARTICLES]
        # Only a name of two words or more is the person for sure; "Anna" or "de Vries" alone is not.
        self.name = tokens if len(name) >= 3 and len(words) >= 2 else None
        exact = []
        if self.name:
            exact.append(r"(?<!\w)" + r"\s+".join(re.escape(t) for t in self.name) + r"(?!\w)")
        if self.email:
            exact.append(r"(?<![\w.+-])" + re.escape(self.email) + r"(?![\w-])(?!\.\w)")
        if self.phone:
            between = f"[{re.escape(PHONE_SEPARATORS)}]*"
            forms = "|".join(between.join(form) for form in _phone_forms(self.phone))
            exact.append(rf"(?<![\d+])\+?(?:{forms})(?!\d)")  # with its "+", if written
        self.exact = re.compile("|".join(exact), re.IGNORECASE) if exact else None
        self.words = sorted({w for w in words if len(w) >= 3}, key=str.lower)
        alternatives = "|".join(map(re.escape, self.words))
        self.possible = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if self.words else None

    # -- in the database: a first filter, the patterns above decide --------------------------
    def conditions(self, model, attrs) -> list:
        """SQL conditions for the rows that may name the person exactly."""
        conditions = []
        for attr in attrs:
            column = getattr(model, attr)
            is_json = isinstance(column.type, JSON)
            text = cast(column, Text) if is_json else column
            if self.name:
                conditions += _likes(func.lower(text), self.name, is_json)
            if self.email:
                conditions += _likes(func.lower(text), [self.email], is_json)
            if self.phone:
                separators = [*PHONE_SEPARATORS]
                if is_json:  # JSON text holds a newline as "\n", a no-break space as "\u00a0"
                    separators += [json.dumps(c)[1:-1] for c in PHONE_SEPARATORS if len(json.dumps(c)) > 3]
                bare = text
                for separator in separators:
                    bare = func.replace(bare, separator, "")
                conditions.append(bare.like(f"%{self.phone.lstrip('+')}%"))
        return conditions

    def possible_conditions(self, model, attrs) -> list:
        """SQL conditions for the rows that may hold the first name or surname."""
        conditions = []
        for attr in attrs:
            column = getattr(model, attr)
            is_json = isinstance(column.type, JSON)
            text = func.lower(cast(column, Text) if is_json else column)
            for word in self.words:
                conditions += _likes(text, [word], is_json)
        return conditions

    # -- in Python --------------------------------------------------------------------------
    def same_value(self, attr: str, value) -> bool:
        """A whole e-mail or phone field that holds exactly the person's address or number."""
        if attr not in WHOLE_VALUE or not isinstance(value, str):
            return False
        if attr == "email":
            return bool(self.email) and value.strip().lower() == self.email
        return bool(self.phone) and _national(value) == self.phone

    def scrub(self, value):
        """The value with every exact mention replaced; JSON keeps its keys and shape."""
        if isinstance(value, str):
            return self.exact.sub(REDACTED, value) if self.exact else value
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        return value

    def scrub_all(self, value):
        """``scrub``, and the first name and surname alone too: for a text about the person
        (a contact moment with them), where "Anna" or "mevrouw Jansen" can only be them."""
        value = self.scrub(value)
        if self.possible is None:
            return value
        if isinstance(value, str):
            return self.possible.sub(REDACTED, value)
        if isinstance(value, dict):
            return {k: self.scrub_all(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.scrub_all(v) for v in value]
        return value

    def names(self, value) -> bool:
        return bool(self.exact) and any(self.exact.search(s) for s in strings(value))

    def maybe_names(self, value) -> bool:
        """Still mentions the first name or surname once the exact mentions are gone."""
        return bool(self.possible) and any(self.possible.search(s) for s in strings(self.scrub(value)))


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def _likes(text, tokens: list[str], is_json: bool) -> list:
    """``text LIKE '%token%token%'``; in a JSON column also as the JSON escapes spell it."""
    variants = {_like_seq(tokens)}
    if is_json:
        variants.add(_like_seq(tokens, json_escaped=True))
    return [text.like(v, escape="\\") for v in sorted(variants)]


#: ASCII letters that a case-blind regular expression also matches with a non-ASCII letter.
LOOKALIKE_ASCII = frozenset("iks")


def _like_seq(tokens, json_escaped: bool = False) -> str:
    """A LIKE pattern that matches at least every text the regular expression matches.

    SQLite's lower() and LIKE fold only ASCII letters ("Ö" is not "ö"), so every other
    character becomes "_", any one character; in JSON text, where "Ö" is written "\\u00d6"
    and "ö" "\\u00f6", it becomes a pattern for any such escape.
    """
    parts = []
    for token in tokens:
        part = []
        for char in token.replace("\x00", ""):
            if char.lower() in LOOKALIKE_ASCII:
                # i, k and s also match İ/ı, the Kelvin sign and ſ in the case-blind regex:
                # any one character, or in JSON any character or escape.
                part.append("%" if json_escaped else "_")
                continue
            if not char.isascii():
                part.append("\\\\u____" * (2 if ord(char) > 0xFFFF else 1) if json_escaped else "_")
                continue
            if json_escaped:
                char = json.dumps(char)[1:-1]
            part.append("".join("\\" + c if c in "\\%_" else c.lower() for c in char))
        parts.append("".join(part))
    return "%" + "%".join(parts) + "%"
