"""The words the sentence rules of ``reader.text.segments`` and the clause cuts of
``reader.text.sentences`` look at (lowercase, no period)."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Titles: a name follows, so their period never ends a sentence ("Pres. Biden", "Dr. A. Smith").
TITLES = _words(
    """
    mr mrs ms mx messrs mmes dr prof rev fr hon pres gen col lt sgt capt cmdr adm maj brig
    gov sen rep supt insp det amb atty sec
    """
)

#: Abbreviations whose period ends a sentence only before a sentence opener ("Apple Inc. The").
ABBREVIATIONS = _words(
    """
    jr sr st mt ft ave blvd rd inc ltd co corp plc llc bros dept univ assn est approx
    cf vs v etc al ca tue tues thu thurs
    """
)

#: Abbreviations a number follows: their period ends a sentence unless a digit comes next
#: ("No. 5", "p. 12", "Jan. 6"; but "She said no. Then").
NUMBERED = _words(
    """
    no nos nr vol vols fig figs para p pp ch
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)

#: Capitalised, these start a sentence after an abbreviation or initialism ("the U.N. In").
SENTENCE_OPENERS = _words(
    """
    a an the in on at for from by with as after before since during while when if but and or so
    this that these those there here it its he she they we i you his her their our my
    what who why how where which however meanwhile moreover although though yet still also then
    thus instead nevertheless
    """
)

#: Compare mode may cut a long sentence into clauses before these (after a comma).
CLAUSE_OPENERS = _words(
    """
    and but while whereas although though yet or nor so which who where including
    """
)
