"""Remove personal details from free text before it is stored, shown or analysed.

`redact(text, names)` replaces emails, phone numbers, URLs and the names of the people on an
organisation's roster with "[email]", "[phone]", "[url]" and "[name]" (the `replacement`
pattern), and returns the spans it removed, in the ORIGINAL text.

Rules
-----
Emails: local@domain.tld.

URLs: anything starting with http://, https:// or www., and bare domains followed by a path
("acme.com/help"). A bare domain without a path ("acme.com") is left alone. Trailing
punctuation ("see https://x.io/a." -> the full stop) and an unbalanced closing bracket stay
outside the URL.

Phone numbers: a run of digit groups joined by spaces, dots, dashes, slashes or brackets,
with an optional "+country" or "00" prefix, e.g. "+44 (0)20 7946 0958", "(555) 123-4567",
"555.123.4567", "+33 6 12 34 56 78", "0049 30 1234567", "030/1234567", "07700900123". It
must have 7 to 15 digits, and it is NOT a phone number when it is
  - a date ("2024-03-15", "15.03.2024", "15/03/2024"), a time ("10:30") or a run of years
    ("2019-2023"),
  - a price or a quantity: right after a currency sign or followed by a currency or unit word
    ("£1 234 567", "1 000 000 dollars"), or grouped like thousands ("1.234.567", "8 000 000")
    unless it starts with 0,
  - a reference: right after "#" ("#12345678") or with a reference word among the three
    words before it ("order", "ref", "invoice", "account", "ticket", "tracking", "case",
    "booking", "id", "no." ...), unless it starts with "+" or "00",
  - a list of single digits ("3 4 5 6 7 8 9"), or longer than 15 digits (card numbers).
A "+"/"00" number with 8+ digits is a phone number; so is any candidate with a phone word
among the three words before it ("call", "phone", "tel", "mobile", "text", "whatsapp",
"number" ...). Otherwise a single run of digits must look dialled: 10-11 digits starting with
0 (UK/EU trunk prefix) or 10 digits starting 2-9, optionally after a 1 (North America); and a
grouped number needs 9+ digits, or "555-1234"/"555.1234", or a leading 0.

Names: each roster entry ("Priya Shah", "Dr Daniel Reyes", "Ludwig van Beethoven") gives
  - the full name, matched case-insensitively (title words such as "Dr" are dropped),
  - the first name and the last name on their own (also the parts of a hyphenated last name,
    and the last name with its particle: "van Beethoven"),
  - the first name's common nicknames and, for a nickname on the roster, its formal name
    (`NICKNAMES`: Daniel -> Dan, Danny; Robert -> Rob, Bob, Bobby ...), also with the last
    name ("Dan Reyes"),
  - single words of fewer than 3 letters are never matched alone ("Al", "Jo", "Ed") and name
    particles ("van", "de", "al", ...) never alone.
Matching ignores accents ("Zoë" = "Zoe") and case, with one exception that keeps ordinary
words readable: a name that is also a common English word (`COMMON_WORD_NAMES`: "Will", "May",
"Rose", "Grace", "Hope", "Mark", "Bill", "Frank", "Joy", "Hunter", "Young", ...) is redacted
only when it is written with a capital letter and either does not start a sentence
("thanks Grace!", "ask Will about it"; not "I will", "in May") or starts one as a person
would: possessive ("Mark's team") or followed by a word such as "said", "was", "has",
"told", "and" ("Mark said", "Will was great"; not "May I ask", "Hope you are well", "Grace
period is over"). A full name made only of such words ("Rose Hill") must be capitalised but
may start a sentence. Month names ("May", "June", "April", "August", "March") are not names
right after a date word or next to a number ("in May", "since June", "5 May", "May 5th").
A possessive ending ("Priya's", "James'") is matched but stays outside the span, so the text
reads "[name]'s".

Overlaps are resolved longest first (an email that contains a name is one email span); on
equal length email > url > phone > name.

Speed: the roster is compiled once into a dict keyed by each variant's first word (cached per
roster, or pass a `Roster` to skip even the cache look-up); a text is scanned word by word, so
the cost does not grow with the roster size.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from heard_nlp.types import Redaction, Span

__all__ = ["COMMON_WORD_NAMES", "NICKNAMES", "Roster", "redact"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Formal first name -> its common nicknames (lower case).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "abigail": ("abby", "abbie", "gail"),
    "alexander": ("alex", "alec", "xander", "sandy"),
    "alexandra": ("alex", "lexi", "sasha", "sandra"),
    "amanda": ("mandy",),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "ant"),
    "barbara": ("barb", "babs"),
    "benjamin": ("ben", "benny", "benji"),
    "caroline": ("carrie", "caro"),
    "catherine": ("cathy", "kate", "katie", "cat"),
    "charles": ("charlie", "chuck", "chas"),
    "charlotte": ("charlie", "lottie"),
    "christina": ("chris", "chrissy", "tina"),
    "christine": ("chris", "chrissy", "tina"),
    "christopher": ("chris", "kit", "topher"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey"),
    "deborah": ("debbie", "deb", "debs"),
    "donald": ("don", "donny"),
    "dorothy": ("dot", "dottie"),
    "douglas": ("doug",),
    "edward": ("eddie", "ted", "ned"),
    "eleanor": ("ellie", "nell", "nora"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "libby", "eliza"),
    "emily": ("emmy",),
    "frances": ("fran", "frankie"),
    "francis": ("frank", "fran"),
    "frederick": ("fred", "freddie"),
    "gabriel": ("gabe",),
    "gabriella": ("gabby", "ella"),
    "gerald": ("gerry", "jerry"),
    "gregory": ("greg",),
    "harold": ("harry", "hal"),
    "henry": ("harry", "hank", "hal"),
    "isabella": ("izzy", "bella", "isabel"),
    "jacob": ("jake",),
    "jacqueline": ("jackie",),
    "james": ("jim", "jimmy", "jamie"),
    "jeffrey": ("jeff",),
    "jennifer": ("jen", "jenny", "jenn"),
    "jessica": ("jess", "jessie"),
    "john": ("johnny", "jack", "jon"),
    "jonathan": ("jon", "jonny"),
    "joseph": ("joe", "joey"),
    "joshua": ("josh",),
    "judith": ("judy",),
    "katherine": ("kate", "kathy", "katie", "kat", "kitty"),
    "kenneth": ("ken", "kenny"),
    "kimberly": ("kim",),
    "lawrence": ("larry", "laurie"),
    "leonard": ("leo", "len", "lenny"),
    "madeline": ("maddie",),
    "margaret": ("maggie", "meg", "peggy", "marge"),
    "matthew": ("matt", "matty"),
    "maximilian": ("max",),
    "michael": ("mike", "mikey", "mick", "micky"),
    "nathan": ("nate",),
    "nathaniel": ("nate", "nat"),
    "natalie": ("nat",),
    "nicholas": ("nick", "nicky"),
    "nicola": ("nicky", "nikki"),
    "nicole": ("nicky", "nikki"),
    "oliver": ("ollie",),
    "olivia": ("liv", "livvy"),
    "pamela": ("pam",),
    "patricia": ("pat", "patty", "trish"),
    "patrick": ("pat", "paddy"),
    "penelope": ("penny",),
    "peter": ("pete",),
    "philip": ("phil",),
    "raymond": ("ray",),
    "rebecca": ("becky", "becca"),
    "richard": ("rick", "rich", "ricky", "richie"),
    "robert": ("rob", "bob", "bobby", "robbie", "bert"),
    "ronald": ("ron", "ronnie"),
    "samantha": ("sam", "sammy"),
    "samuel": ("sam", "sammy"),
    "stephanie": ("steph",),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "susan": ("sue", "susie"),
    "theodore": ("theo", "ted", "teddy"),
    "thomas": ("tom", "tommy"),
    "timothy": ("tim", "timmy"),
    "valerie": ("val",),
    "victoria": ("vicky", "tori"),
    "vincent": ("vince", "vinny"),
    "william": ("will", "bill", "billy", "liam", "willy"),
    "zachary": ("zach", "zack"),
}

# Names that are also common English words: redacted only when capitalised mid-sentence.
COMMON_WORD_NAMES: frozenset[str] = _wordset(
    """will bill mark frank may rose grace hope joy faith june april august summer autumn
    winter dawn eve ivy holly lily iris daisy violet amber ruby pearl crystal jade heather
    hazel olive ginger sandy penny patience prudence charity honor honour chance destiny
    harmony melody sky river brook cliff glen dale heath forest stone wood woods hill hills
    field fields lane ford bush marsh moor brown black white green gray grey young long
    short little small rich sharp strong wise best good love king bishop cook baker butcher
    carpenter mason miller turner walker hunter fisher archer porter carter cooper weaver
    gardener farmer shepherd page knight fox wolf bird crow swan drake hawk finch lamb bull
    buck hart bell hall price ward reed read rice cash gold silver case chase grant guy jack
    pat sue rob bob art miles drew don gene harry nick norm max sterling carol dean earl
    baron duke prince major bud chip rusty dusty sunny buddy bunny kitty kit cat dot ray
    rocky rock rod hank wade lance pierce colt bear ash clay flint storm rain snow frost day
    lord noble hardy moody bright gay hale free fair fine hood lock wall walls march bank
    banks brooks park parks church castle tower bridge bridges lake pool waters west east
    north south english french welsh irish can sun star son tan bliss gay happy merry early
    french tailor barber sawyer mercer dyer spencer steward usher cross rose sharp ball
    peace rich tony major chance sterling liberty unity trinity
    """
)

# Words that belong to a name but never identify anyone alone.
_PARTICLES = _wordset(
    "van von de der den del della di da dos das du la le los las bin bint ibn al el mac st"
)
_TITLES = _wordset("mr mrs ms miss mx dr prof sir dame lady lord rev")
_NOT_ALONE = _PARTICLES | _TITLES

_KINDS_ORDER = {"email": 0, "url": 1, "phone": 2, "name": 3}

# --- emails and URLs -------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[\w.%+-]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
    r"\.[^\W\d_]{2,}(?![\w-])"
)
_URL_BODY = r"[^\s<>\"'`]+"
_URL_RE = re.compile(
    rf"(?:\b(?:https?|ftp)://{_URL_BODY}"
    rf"|\bwww\d{{0,3}}\.{_URL_BODY}"
    rf"|(?<![\w@.-])(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{{2,24}}/(?:{_URL_BODY})?)",
    re.IGNORECASE,
)
_URL_TRAIL = ".,;:!?'\")]}>*"

# --- phone numbers ---------------------------------------------------------------------------

_SEP = r"(?:[ \t]?[-.\u2013/][ \t]?|[ \t])"
_PHONE_RE = re.compile(
    r"(?<![\w#£$€¥₹@/+&])(?<!\d[-.:/,])"
    r"(?:\+[ \t]?|\b|(?=\())"
    r"(?:\(\d{1,5}\)|\d++)"
    rf"(?:{_SEP}?\(\d{{1,5}}\)|(?<=\)){_SEP}?\d++|{_SEP}(?:\(\d{{1,5}}\)|\d++)){{0,8}}"
    r"(?![\w@]|[.,:/]\d)"
)
_DATE_RE = re.compile(
    r"(?:(?:19|20)\d\d[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ](?:19|20)?\d\d)"
)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_REFERENCE_WORDS = _wordset(
    """order orders ref reference invoice inv account acct acc ticket case tracking booking
    id no nr num item sku serial policy claim receipt transaction txn po parcel package
    consignment shipment membership customer
    """
)
_PHONE_WORDS = _wordset(
    """call called calling ring rang phone phoned tel telephone mobile mob cell cellphone
    text sms whatsapp number numbers contact reach fax landline dial
    """
)
_UNIT_WORDS = _wordset(
    """pounds pound gbp usd eur euros euro dollars dollar quid bucks pence cents yen rupees
    k m bn kg km miles mi people items units points pts views users customers times %
    """
)
_CURRENCY_SIGNS = "£$€¥₹"
_NANP_RE = re.compile(r"1?[2-9]\d{9}")
_WORD_BEFORE_RE = re.compile(r"[^\W\d_]+\.?")


def _preceding_words(text: str, start: int, count: int = 3) -> list[str]:
    window = text[max(0, start - 40) : start]
    return [w.lower().rstrip(".") for w in _WORD_BEFORE_RE.findall(window)][-count:]


def _is_phone(text: str, start: int, end: int) -> bool:
    candidate = text[start:end]
    digits = sum(c.isdigit() for c in candidate)
    if not 7 <= digits <= 15:
        return False
    if _DATE_RE.fullmatch(candidate):
        return False
    groups = re.findall(r"\(?\d+\)?", candidate)
    plain = [g for g in groups if not g.startswith("(")]
    if len(plain) >= 2 and all(_YEAR_RE.fullmatch(g) for g in plain):
        return False  # "2019-2023", "2020 2021 2022"
    international = candidate.startswith(("+", "00"))
    # Thousands: "1 234 567", "1.234.567" (same separator, groups of three after the first).
    if not international and "(" not in candidate and len(groups) >= 3:
        seps = set(re.findall(r"\D+", candidate))
        thousands = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
        if len(seps) == 1 and thousands and not groups[0].startswith("0"):
            return False
    before = text[max(0, start - 2) : start].rstrip()
    if before.endswith(tuple(_CURRENCY_SIGNS)):
        return False
    after = re.match(r"[ \t]*([^\W\d_]+|%)", text[end : end + 20])
    if after and after.group(1).lower() in _UNIT_WORDS:
        return False
    words = _preceding_words(text, start)
    if international:
        return digits >= 8
    if any(w in _REFERENCE_WORDS for w in words):
        return False
    if any(w in _PHONE_WORDS for w in words):
        return True
    if len(groups) == 1:
        run = candidate
        if run.startswith("0") and 10 <= len(run) <= 11:
            return True
        return bool(_NANP_RE.fullmatch(run))
    singles = sum(1 for g in plain if len(g) == 1)
    if singles >= 2:
        return False  # "1 2 3 4 5 6 7"
    if digits >= 9:
        return True
    if re.fullmatch(r"\d{3}[-.]\d{4}", candidate):
        return True
    return candidate.lstrip("(").startswith("0")


def _phones(text: str) -> Iterator[tuple[int, int]]:
    for match in _PHONE_RE.finditer(text):
        start, end = match.span()
        if _is_phone(text, start, end):
            yield start, end


def _urls(text: str) -> Iterator[tuple[int, int]]:
    for match in _URL_RE.finditer(text):
        start, end = match.span()
        opened, closed = text.count("(", start, end), text.count(")", start, end)
        while end > start:
            last = text[end - 1]
            if last not in _URL_TRAIL or (last == ")" and opened >= closed):
                break
            closed -= last == ")"
            end -= 1
        if end - start > 4:
            yield start, end


# --- names -----------------------------------------------------------------------------------

_EXTRA_FOLD = {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "\u0131": "i", "ħ": "h"}


class _FoldTable(dict[int, str]):
    """str.translate table that strips accents one character at a time, so the folded text
    keeps the original's offsets."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _EXTRA_FOLD.get(char)
        if folded is None:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            folded = base if len(base) == 1 else char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    return text if text.isascii() else text.translate(_FOLD)


_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_POSSESSIVE = ("'s", "\u2019s", "'S", "\u2019S")
_GAP_RE = re.compile(r"[ \t]{1,3}|[ \t]?-[ \t]?|\n")


def _key(word: str) -> str:
    return _fold(word).casefold().replace("\u2019", "'")


@dataclass(frozen=True)
class _Variant:
    words: tuple[str, ...]  # folded, case-folded
    needs_capital: bool


class Roster:
    """An organisation's names compiled for `redact`. Pass one instead of a list of names to
    skip the per-call cache look-up; iterating it gives the names back."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names: tuple[str, ...] = tuple(n for n in names if n and n.strip())
        variants: set[tuple[str, ...]] = set()
        for name in self.names:
            variants.update(_variants_of(name))
        index: dict[str, list[_Variant]] = {}
        for words in variants:
            needs_capital = all(w in COMMON_WORD_NAMES for w in words)
            index.setdefault(words[0], []).append(_Variant(words, needs_capital))
        for entries in index.values():
            entries.sort(key=lambda v: -len(v.words))
        self._index = index

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def find(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each roster name in `text`, possessive endings excluded."""
        if not self._index:
            return []
        folded = _fold(text)
        tokens: list[tuple[int, int, str]] = []
        for match in _TOKEN_RE.finditer(folded):
            start, end = match.span()
            if folded.endswith(_POSSESSIVE, start, end) and end - start > 2:
                end -= 2
            tokens.append((start, end, folded[start:end].casefold().replace("\u2019", "'")))
        found: list[tuple[int, int]] = []
        index = self._index
        i = 0
        while i < len(tokens):
            entries = index.get(tokens[i][2])
            taken = 0
            if entries:
                for variant in entries:
                    size = len(variant.words)
                    if self._matches(text, tokens, i, variant):
                        found.append((tokens[i][0], tokens[i + size - 1][1]))
                        taken = size
                        break
            i += taken or 1
        return found

    @staticmethod
    def _matches(text: str, tokens: list[tuple[int, int, str]], i: int, v: _Variant) -> bool:
        size = len(v.words)
        if i + size > len(tokens):
            return False
        for k in range(1, size):
            if tokens[i + k][2] != v.words[k]:
                return False
            gap = text[tokens[i + k - 1][1] : tokens[i + k][0]]
            if not _GAP_RE.fullmatch(gap):
                return False
        if not v.needs_capital:
            return True
        for k in range(size):
            word = text[tokens[i + k][0] : tokens[i + k][1]]
            if not word[0].isupper() or (len(word) > 1 and word.isupper()):
                return False
        if size == 1 and v.words[0] in _MONTHS and _is_date(text, tokens[i][0], tokens[i][1]):
            return False
        if size > 1 or not _starts_sentence(text, tokens[i][0]):
            return True
        # At a sentence start: still a name when possessive or followed by a word that
        # usually follows a person ("Mark said", "Will was", "Grace and I").
        end = tokens[i][1]
        if text.startswith(("'", "\u2019"), end):
            return True
        following = _NEXT_WORD_RE.match(text, end)
        return following is not None and following.group(1).lower() in _NAME_FOLLOWERS


_NEXT_WORD_RE = re.compile(r"[ \t]+([^\W\d_]+)")
_NAME_FOLLOWERS = _wordset(
    """said says was is has had told asked called rang phoned emailed texted helped replied
    sorted fixed answered explained and from who"""
)


_MONTHS = _wordset("january february march april may june july august september october")
_DATE_WORDS = _wordset(
    """in of on by since until till from last next this early late mid during before after
    end start beginning"""
)
_WORD_BEFORE_NAME_RE = re.compile(r"([^\W\d_]+|\d+(?:st|nd|rd|th)?)[ \t]+$")


def _is_date(text: str, start: int, end: int) -> bool:
    """True for a month name used as one: "in May", "5 May", "May 5th"."""
    before = _WORD_BEFORE_NAME_RE.search(text, max(0, start - 30), start)
    if before and (before.group(1)[0].isdigit() or before.group(1).lower() in _DATE_WORDS):
        return True
    return re.match(r"[ \t]+\d", text[end : end + 3]) is not None


def _starts_sentence(text: str, start: int) -> bool:
    pos = start - 1
    while pos >= 0:
        char = text[pos]
        if char in " \t\"'\u201c\u2018(*\u2022-\u2013\u2014>[":
            pos -= 1
            continue
        return char in "\n\r.!?…"
    return True


def _variants_of(name: str) -> set[tuple[str, ...]]:
    """The word sequences (folded, lower case) that stand for one roster name."""
    parts = [_words(p) for p in name.split()]
    parts = [p for p in parts if p]
    while len(parts) > 1 and len(parts[0]) == 1 and parts[0][0].rstrip(".") in _TITLES:
        parts = parts[1:]
    if not parts:
        return set()
    out: set[tuple[str, ...]] = set()

    def add(words: tuple[str, ...]) -> None:
        alone = words[0]
        if len(words) > 1 or (len(alone) >= 3 and alone not in _NOT_ALONE):
            out.add(words)

    add(tuple(w for p in parts for w in p))
    first = tuple(parts[0])
    add(first)
    firsts = {first}
    if len(first) == 1:
        for nick in _nicknames(first[0]):
            add((nick,))
            firsts.add((nick,))
    rest = parts[1:]
    if rest:
        # The last name with the particles before it ("van Beethoven"), and each of its
        # words alone ("Beethoven"; "Smith" and "Jones" of "Smith-Jones").
        last_start = len(rest) - 1
        while (
            last_start > 0
            and len(rest[last_start - 1]) == 1
            and (rest[last_start - 1][0] in _PARTICLES)
        ):
            last_start -= 1
        last = tuple(w for p in rest[last_start:] for w in p)
        add(last)
        for word in last:
            add((word,))
        for f in firsts:
            add(f + last)
    return out


def _words(part: str) -> list[str]:
    return [_key(w) for w in _TOKEN_RE.findall(part)]


@functools.cache
def _nickname_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for formal, nicks in NICKNAMES.items():
        members = {formal, *nicks}
        for member in members:
            groups.setdefault(member, set()).update(members)
    return {k: frozenset(v) for k, v in groups.items()}


def _nicknames(first: str) -> frozenset[str]:
    """Other forms of a first name: a formal name's nicknames, a nickname's formal name(s)
    and their nicknames."""
    return _nickname_groups().get(first, frozenset()) - {first}


@functools.lru_cache(maxsize=16)
def _roster(names: tuple[str, ...]) -> Roster:
    return Roster(names)


# --- the whole ---------------------------------------------------------------------------------


def _longest_first(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The non-overlapping spans, longest first (then by kind, then leftmost), in order."""
    found.sort(key=lambda f: (f[0] - f[1], _KINDS_ORDER[f[2]], f[0]))
    starts: list[int] = []  # kept spans, sorted by start; they never overlap
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        i = bisect.bisect_right(starts, start)
        if i > 0 and kept[i - 1][1] > start:
            continue  # overlaps the kept span that starts before it
        if i < len(kept) and kept[i][0] < end:
            continue  # overlaps the kept span that starts after it
        starts.insert(i, start)
        kept.insert(i, (start, end, kind))
    return kept


def redact(text: str, names: Iterable[str] = (), *, replacement: str = "[{kind}]") -> Redaction:
    """Replace emails, phone numbers, URLs and roster names in `text` with `replacement`
    ("{kind}" becomes email, phone, url or name). Returns the new text and the removed spans
    (positions in the original text), in order. See the module's docstring for the rules."""
    if isinstance(names, Roster):
        roster = names
    elif isinstance(names, str):
        roster = _roster((names,))
    else:
        roster = _roster(names if isinstance(names, tuple) else tuple(names))
    if not text:
        return Redaction(text=text)
    found: list[tuple[int, int, str]] = []
    if "@" in text:
        found.extend((m.start(), m.end(), "email") for m in _EMAIL_RE.finditer(text))
    if "." in text or "/" in text:
        found.extend((s, e, "url") for s, e in _urls(text))
    if any(c.isdigit() for c in text):
        found.extend((s, e, "phone") for s, e in _phones(text))
    found.extend((s, e, "name") for s, e in roster.find(text))
    if not found:
        return Redaction(text=text)
    kept = _longest_first(found)
    pieces: list[str] = []
    spans: list[tuple[Span, str]] = []
    position = 0
    for start, end, kind in kept:
        pieces.append(text[position:start])
        pieces.append(replacement.replace("{kind}", kind))
        spans.append((Span(text[start:end], start, end), kind))
        position = end
    pieces.append(text[position:])
    return Redaction(text="".join(pieces), spans=tuple(spans))


def is_word_name_at(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], a name that is also an English word ("Grace", "Will"), is used
    as a name here: capitalised mid-sentence, or at a sentence start before a word that usually
    follows a person ("Grace said")."""
    word = text[start:end]
    if word.lower() not in COMMON_WORD_NAMES or not word[0].isupper() or word.isupper():
        return False
    if word.lower() in _MONTHS and _is_date(text, start, end):
        return False
    if not _starts_sentence(text, start):
        return True
    following = _NEXT_WORD_RE.match(text, end)
    return following is not None and following.group(1).lower() in _NAME_FOLLOWERS
