"""Whether a statistic still says what its source says: every number, every qualifier on a
number ('up to', 'an average of'...) and every name in its figure and finding must be found
in the "source says" record staff keep from checking the source, and a qualifier the source
puts on one of those numbers must not be dropped. The tests run this over every published
statistic, so an edit that drifts from the source fails CI; staff see it in the admin."""

import re

from .models import Statistic

# 'one' is left out: as a word it is more often a pronoun ('with one') than a count.
NUMBER_WORDS = {
    **{"zero": "0", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"},
    **{"seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12"},
}
NUMBER_WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)
FRACTION_WORD = re.compile(
    r"\b(?:half|halves|halved|thirds?|quarters?|twice|double[sd]?|triple[sd]?|fold)\b", re.I
)
QUALIFIERS = [
    *("up to", "at least", "at most", "more than", "less than", "fewer than", "over"),
    *("under", "about", "around", "approximately", "nearly", "almost", "roughly"),
    *("as much as", "as many as", "an average of", "on average", "only"),
]
NUMBER = r"[£$€]?\d[\d,]*(?:\.\d+)?(?: ?(?:%|×|percentage points?|million|billion))?"
QUALIFIED_NUMBER = re.compile(
    r"(?:\b(" + "|".join(QUALIFIERS) + r") )?(?<![\w.,£$€])(" + NUMBER + r")(?![\w]|[.,]\d)",
    re.I,
)
NAME = re.compile(r"[^\W\d_][\w'’-]*")
SENTENCE_END = re.compile(r"(?:^|[.!?:;]\s*[\"“(]?)$")


def normalised(text: str) -> str:
    """One spelling for what can be written several ways: 'ten percent' and '10 per cent'
    become '10%', 'four times' becomes '4×'."""
    text = " ".join(text.split())
    text = NUMBER_WORD.sub(lambda match: NUMBER_WORDS[match.group(1).lower()], text)
    text = re.sub(r"(\d) ?(?:per ?cent|percent)\b", r"\1%", text)
    return re.sub(r"(\d) ?times\b", r"\1×", text)


def contains(text: str, term: str) -> bool:
    pattern = r"(?<![\w.,£$€])" + re.escape(term) + r"(?![\w]|[.,]\d)"
    return re.search(pattern, text, re.I) is not None


def names_in(text: str) -> list[tuple[int, str]]:
    """Capitalised words that do not start a sentence, and acronyms wherever they are."""
    found = []
    for match in NAME.finditer(text):
        word = re.sub(r"['’]s?$", "", match.group())
        acronym = sum(character.isupper() for character in word) >= 2
        starts_sentence = SENTENCE_END.search(text[: match.start()]) is not None
        if acronym or (word[0].isupper() and not starts_sentence):
            found.append((match.start(), word))
    return found


def unsupported_terms(statistic: Statistic) -> list[str]:
    """The terms of the statistic's figure and finding that its source record does not
    support, in the order they appear, then the source's qualifiers the statistic drops."""
    claim = normalised(f"{statistic.figure}. {statistic.finding}")
    record = normalised(statistic.source_says)
    terms = [(match.start(), qualified(match)) for match in QUALIFIED_NUMBER.finditer(claim)]
    terms += [(match.start(), match.group()) for match in FRACTION_WORD.finditer(claim)]
    terms += names_in(claim)
    missing = [term for _position, term in sorted(terms) if not found_in(record, term)]
    for match in QUALIFIED_NUMBER.finditer(record):
        qualifier, number = match.groups()
        if qualifier and contains(claim, number) and not contains(claim, qualified(match)):
            missing.append(qualified(match))
    return list(dict.fromkeys(missing))


def qualified(match: re.Match) -> str:
    qualifier, number = match.groups()
    return f"{qualifier.lower()} {number}" if qualifier else number


def found_in(record: str, term: str) -> bool:
    if term[:1].isupper() and not term.isupper():
        # A name must appear as written, capital and all.
        return re.search(r"\b" + re.escape(term) + r"\b", record) is not None
    return contains(record, term)
