"""Refuse personal data in the short note of a referral (AVG: the log stays anonymous).

Names cannot be recognised reliably, so the form warns against them; what can be
recognised is refused: a BSN (nine digits that pass the elfproef), an e-mail address
(also written as "jan(at)example.nl"), a phone number, a Dutch postcode and a date of birth
("geboren 12-03-2019"). A street and house number is not refused: in a note it is mostly
where the partner is ("loket op de Markt 12").
"""

from __future__ import annotations

import re

EMAIL_RE = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}")
# "jan(at)example.nl", "jan [at] example [punt] nl", "jan apenstaartje example.nl"
HIDDEN_EMAIL_RE = re.compile(
    r"[\w.+-]+\s*(?:[(\[{]\s*(?:at|a|apenstaartje)\s*[)\]}]|\bapenstaartje\b)\s*[\w-]+"
    r"(?:\.|\s*[(\[{]\s*(?:dot|punt)\s*[)\]}]\s*)[A-Za-z]{2,}", re.IGNORECASE)
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
# "geboren 12-03-2019", "geb. 3 maart 2019", "geboortedatum: 12/3/19", "geb op 12-03-2019"
BIRTH_RE = re.compile(
    rf"\bgeb(?:oren|oortedatum|\.|\b)\s*(?:op|in)?\s*:?\s*\d{{1,2}}(?:[-/.]\d{{1,2}}[-/.]\d{{2,4}}|\s+(?:{MONTHS}))",
    re.IGNORECASE)
# Spaces people cannot see: a no-break space counts as a space, zero-width characters as nothing.
INVISIBLE = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",
                           "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None,
                           "\ufeff": None})
# A run of digits with the separators people type in numbers (space, dot, dash, slash, brackets).
NUMBER_RUN_RE = re.compile(r"\+?\d[\d .\-()]*\d")
# Dates ("12-03-2024", "3/4/25") are no personal data here; taken out before numbers are read.
DATE_RE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")
# A number of four digits and two letters, as a postcode is written: 1234 AB, 1234AB, 1234ab,
# 1234 Ab. Postcodes never end in SA, SD or SS. In lower case the same shape is also a number
# and a short word ("in 2024 en 2025", "om 1200 af", "1500 km"): those words are no postcode.
POSTCODE_RE = re.compile(r"\b[1-9]\d{3} ?([A-Za-z]{2})\b")
SHORT_WORDS = frozenset({
    "aa", "af", "al", "am", "ca", "cm", "de", "dl", "en", "er", "eu", "ex", "gr", "ha", "he", "hm",
    "ik", "in", "is", "ja", "je", "kg", "km", "mb", "mg", "ml", "mm", "na", "nr", "nu", "of", "oh",
    "ok", "om", "op", "pm", "sa", "sd", "ss", "st", "te", "tv", "uw", "we", "wc", "ze", "zo",
})

WHY = "De verwijzing blijft anoniem: schrijf geen gegevens op waarmee iemand te herkennen is."
MESSAGES = {
    "bsn": "Er lijkt een burgerservicenummer (BSN) in de notitie te staan. " + WHY,
    "email": "Er staat een e-mailadres in de notitie. " + WHY,
    "phone": "Er lijkt een telefoonnummer in de notitie te staan. " + WHY,
    "postcode": "Er lijkt een postcode in de notitie te staan. " + WHY,
    "birthdate": "Er lijkt een geboortedatum in de notitie te staan. " + WHY,
}


def passes_elfproef(digits: str) -> bool:
    """The BSN check: 9 digits, sum of d1*9 + d2*8 + … + d8*2 − d9 divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def _is_postcode(letters: str, spaced: bool) -> bool:
    """Written together ("2511ca") it is a postcode; with a space, lower-case short words
    ("in 2024 en", "1500 km") are a number and a word."""
    if letters.upper() in ("SA", "SD", "SS"):
        return False
    return not spaced or letters.isupper() or letters.lower() not in SHORT_WORDS


def _is_phone(run: str, digits: str) -> bool:
    if run.startswith("+") or digits.startswith("00"):
        return 10 <= len(digits) <= 15
    # "06 12345678", or a Dutch mobile number without its "+": "31 6 12345678"
    return (digits.startswith("0") and len(digits) == 10) or (digits.startswith("316") and len(digits) == 11)


def personal_data_kind(text: str | None) -> str | None:
    """'bsn', 'email', 'phone', 'postcode' or 'birthdate' when the text holds that; None
    when clean."""
    if not text:
        return None
    text = text.translate(INVISIBLE)
    if EMAIL_RE.search(text) or HIDDEN_EMAIL_RE.search(text):
        return "email"
    if BIRTH_RE.search(text):
        return "birthdate"
    for match in NUMBER_RUN_RE.finditer(DATE_RE.sub(" ", text)):
        run = match.group(0)
        digits = re.sub(r"\D", "", run)
        if _is_phone(run, digits):
            return "phone"
        # A BSN written with separators ("1234.56.782") or standing in a longer run of numbers.
        chunks = [digits] if len(digits) == 9 else re.findall(r"(?<!\d)\d{9}(?!\d)", run)
        if any(passes_elfproef(chunk) for chunk in chunks):
            return "bsn"
    if any(_is_postcode(m.group(1), spaced=" " in m.group(0)) for m in POSTCODE_RE.finditer(text)):
        return "postcode"
    return None


def personal_data_message(text: str | None) -> str | None:
    kind = personal_data_kind(text)
    return MESSAGES[kind] if kind else None
