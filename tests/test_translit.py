"""Uzbek Latin -> Cyrillic (guidegen.i18n.translit): the hard cases of the 1995 spelling rules, the sample's
loanwords, what must never be transliterated, and the whole uz catalog of the sample."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from guidegen.cite import KEY
from guidegen.i18n.translit import exceptions, to_cyrillic, unresolved

from .conftest import ROOT

UZ_CATALOG = ROOT / "translations" / "uz" / "LC_MESSAGES" / "guideline.po"

# The hard cases of Latin -> Cyrillic: all 35, expected forms after the 1995 rules.
HARD_CASES = [
    ("yetti", "етти"),
    ("qayerda", "қаерда"),
    ("telefon", "телефон"),
    ("ekran", "экран"),
    ("poeziya", "поэзия"),
    ("aerodrom", "аэродром"),
    ("rayon", "район"),
    ("mayor", "майор"),
    ("yod", "йод"),
    ("sentabr", "сентябрь"),
    ("oktabr", "октябрь"),
    ("federatsiya", "федерация"),
    ("dissotsiatsiya", "диссоциация"),
    ("sirk", "цирк"),
    ("kvars", "кварц"),
    ("avtomobil", "автомобиль"),
    ("obyekt", "объект"),
    ("syezd", "съезд"),
    ("moʻjiza", "мўъжиза"),
    ("Isʼhoq", "Исҳоқ"),
    ("eʼlon", "эълон"),
    ("maʼno", "маъно"),
    ("o\u02bbzbek", "ўзбек"),
    ("o\u2018zbek", "ўзбек"),
    ("o'zbek", "ўзбек"),
    ("o`zbek", "ўзбек"),
    ("o\u2019zbek", "ўзбек"),
    ("gʻoz", "ғоз"),
    ("yoʻl", "йўл"),
    ("shahar", "шаҳар"),
    ("SHAHAR", "ШАҲАР"),
    ("Xitoy", "Хитой"),
    ("tong", "тонг"),
    ("esketamin", "эскетамин"),
    ("ketamin", "кетамин"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), HARD_CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(HARD_CASES)])
def test_hard_cases(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_all_hard_cases_are_there() -> None:
    assert len(HARD_CASES) == 35


# The sample's medical loanwords and other examples of the rules, with suffixes.
LOANWORDS = [
    ("platsebo", "плацебо"),
    ("Platseboga", "Плацебога"),
    ("platsebodan", "плацебодан"),
    ("retsidiv", "рецидив"),
    ("retsidivsiz", "рецидивсиз"),
    ("statsionar", "стационар"),
    ("statsionardan", "стационардан"),
    ("sedatsiya", "седация"),
    ("randomizatsiyalangan", "рандомизацияланган"),
    ("gospitalizatsiyani", "госпитализацияни"),
    ("dissotsiativ", "диссоциатив"),
    ("interstitsial sistit", "интерстициал цистит"),
    ("reanimatsion", "реанимацион"),
    ("funksiya", "функция"),
    ("induksiyani", "индукцияни"),
    ("reaksiya", "реакция"),
    ("inyeksiya", "инъекция"),
    ("suitsidallik", "суицидаллик"),
    ("retseptorining", "рецепторининг"),
    ("farmatsevtlar", "фармацевтлар"),
    ("klinitsist", "клиницист"),
    ("konferensiya", "конференция"),
    ("elektrokonvulsiv", "электроконвульсив"),
    ("pulsoksimetriya", "пульсоксиметрия"),
    ("Gamilton", "Гамильтон"),
    ("arterial", "артериал"),
    ("remissiya", "ремиссия"),
    ("depressiya", "депрессия"),
    ("unipolyar", "униполяр"),
    ("reyestr", "реестр"),
    ("moʻtadil", "мўътадил"),
    ("suiisteʼmol", "суиистеъмол"),
    ("abzas", "абзац"),
    ("antisiklon", "антициклон"),
    ("litsey", "лицей"),
    ("konstitutsiya", "конституция"),
    ("subyekt", "субъект"),
    ("pyesa", "пьеса"),
    ("konveyer", "конвейер"),
    ("poyabzal", "пойабзал"),
    ("mer", "мэр"),
    ("asʼhob", "асҳоб"),
    ("Ishoq", "Исҳоқ"),
    ("tayyor", "тайёр"),
    ("sirka", "сирка"),  # vinegar: the stem sirk (цирк) ends only before a suffix
]


@pytest.mark.parametrize(("latin", "cyrillic"), LOANWORDS, ids=[c[0] for c in LOANWORDS])
def test_loanwords(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


PROTECTED = [
    ("Javob [@daly2019; @fu2020].", "Жавоб [@daly2019; @fu2020]."),
    ("@popova2019 koʻra", "@popova2019 кўра"),
    ("[qarang @daly2019, 3-bet]", "[қаранг @daly2019, 3-бет]"),
    ("Manba: https://www.example.org/shahar/yoʻl?q=sirk.", "Манба: https://www.example.org/shahar/yoʻl?q=sirk."),
    ("doi:10.1001/jamapsychiatry.2019.1189 boʻyicha", "doi:10.1001/jamapsychiatry.2019.1189 бўйича"),
    ("xat: shifokor@example.uz", "хат: shifokor@example.uz"),
    ("`guidegen check` buyrugʻi", "`guidegen check` буйруғи"),
    ("[bu yerda](https://example.org/tavsiya)", "[бу ерда](https://example.org/tavsiya)"),
    ("<sup>yangi</sup> va&nbsp;eski", "<sup>янги</sup> ва&nbsp;эски"),
    ("%(page)s-bet, jami %(pages)s", "%(page)s-бет, жами %(pages)s"),
    ("{value} ta", "{value} та"),
    ("0,5 mg/kg 40 daqiqa", "0,5 мг/кг 40 дақиқа"),
    ("1 877 nafar, 27,1% va 5%dan", "1 877 нафар, 27,1% ва 5%дан"),
    ("40 mm sim. ust.", "40 мм сим. уст."),
    ("2019-yil 5-martda, 2025-yilgi, 8-haftada", "2019 йил 5 мартда, 2025 йилги, 8-ҳафтада"),
    ("MADRS, SSRI, TRD, GRADE, NMDA va IV", "MADRS, SSRI, TRD, GRADE, NMDA ва IV"),
    ("ICD-10 va DSM-5 boʻyicha", "ICD-10 ва DSM-5 бўйича"),
    ("HAM-D, QIDS-SR16, CGI-SS-r, KARMA-Dep 2", "HAM-D, QIDS-SR16, CGI-SS-r, KARMA-Dep 2"),
    ("TRDni, ECTga, SmPCga, VA/DoDning", "TRDни, ECTга, SmPCга, VA/DoDнинг"),
    ("AQShda va YeIdagi, 95% IO", "АҚШда ва ЕИдаги, 95% ИО"),
    ("N-metil-D-aspartat, P < 0,001, nominal p = 0,03", "N-метил-D-аспартат, P < 0,001, номинал p = 0,03"),
    ("Cochrane sharhi, Cohen d, post hoc tahlil", "Cochrane шарҳи, Cohen d, post hoc таҳлил"),
    ("ASPIRE I va II", "ASPIRE I ва II"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), PROTECTED, ids=[c[0][:24] for c in PROTECTED])
def test_what_stays_latin(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


CAPITALS = [
    ("Shahar", "Шаҳар"),
    ("Chiqish", "Чиқиш"),
    ("Oʻzbekiston", "Ўзбекистон"),
    ("OʻZBEKISTON", "ЎЗБЕКИСТОН"),
    ("Gʻalaba", "Ғалаба"),
    ("Yoqubov", "Ёқубов"),
    ("Yevropa", "Европа"),
    ("Esketamin", "Эскетамин"),
    ("Platsebo", "Плацебо"),
    ("U va u", "У ва у"),
    ("**NAMUNAVIY LOYIHA — TIBBIY MASLAHAT EMAS.**", "**НАМУНАВИЙ ЛОЙИҲА — ТИББИЙ МАСЛАҲАТ ЭМАС.**"),
    ("bu NAMUNAVIY loyiha", "бу НАМУНАВИЙ лойиҳа"),
]


@pytest.mark.parametrize(("latin", "cyrillic"), CAPITALS, ids=[c[0][:24] for c in CAPITALS])
def test_capitalisation(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("ma'no, ma’no, maʼno", "маъно, маъно, маъно"),  # every tutuq look-alike between letters
        ("tog' va tog‘", "тоғ ва тоғ"),  # gʻ ends a word
        ("‘Spravato’ va “yangi”", "‘Справато’ ва “янги”"),  # a closing quote after o is no oʻ
        ("tong’", "тонг’"),  # nor after ng
    ],
)
def test_apostrophes(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


LATIN_LETTERS = "".join(map(chr, range(0x41, 0x5B))) + "".join(map(chr, range(0x61, 0x7B)))


@given(st.text(st.characters(codec="utf-8", exclude_characters=LATIN_LETTERS)))
def test_text_without_latin_letters_is_unchanged(text: str) -> None:
    assert to_cyrillic(text) == text


def test_cyrillic_output_is_a_fixed_point() -> None:
    text = "Ўзбекистонда 2019 йил 5 мартда 0,5 мг/кг, «кетамин» — [@daly2019]."
    assert to_cyrillic(text) == text
    assert to_cyrillic(to_cyrillic("Oʻzbekistonda platsebo")) == to_cyrillic("Oʻzbekistonda platsebo")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("kompyuter va intervyu", ["kompyuter", "intervyu"]),  # ь lost before yu
        ("abzatsli sotsiolog", ["abzatsli"]),  # ts that is no tsi + vowel; sotsiolog is decided by tsio
        ("gipoksiya va pensiya", ["gipoksiya", "pensiya"]),  # -ksiya, -nsiya: ц or с
        ("Smith va Whitehall", ["Smith", "Whitehall"]),  # letters Uzbek lacks: kept, but ask
        ("Thompson", ["Thompson"]),
        ("oʼzbek", ["oʼzbek"]),  # the tutuq where oʻ was meant
        ("XALQARO HAMKORLIK", ["XALQARO", "HAMKORLIK"]),  # two long words in capitals: Uzbek or names?
        ("BOSHQA", ["BOSHQA"]),  # transliterated for its sh, but a guess
    ],
)
def test_unresolved_names_doubtful_words(text: str, words: list[str]) -> None:
    found = unresolved(text)
    assert [w for _, w in found] == words
    assert all(text[offset : offset + len(word)] == word for offset, word in found)


def test_unresolved_passes_words_the_rules_or_the_file_decide() -> None:
    text = "Ketsa, sifatsiz, platseboga, federatsiya, MADRS [@sotsio2020], retsidiv, kelsin, ketamin, hayot."
    assert unresolved(text) == []


def _messages() -> list[str]:
    with UZ_CATALOG.open("rb") as f:
        catalog = read_po(f)
    found: list[str] = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found += [str(s) for s in strings if s]
    return found


def _left_in_latin(cyrillic: str) -> list[str]:
    """Latin runs of a transliterated text that are not in a protected span, an abbreviation, a symbol or a
    name the data file keeps."""
    keys = [m.span() for m in KEY.finditer(cyrillic)]
    keep = [re.escape(name) for name in exceptions().keep]
    kept = [m.span() for m in re.finditer("|".join(keep), cyrillic, re.I)] if keep else []
    left = []
    for run in re.finditer(r"[A-Za-z0-9ʻʼ]*[A-Za-zʻʼ][A-Za-z0-9ʻʼ]*(?:-[A-Za-z0-9]+)*", cyrillic):
        if any(s <= run.start() < e for s, e in keys + kept):
            continue
        letters = re.sub(r"[^A-Za-z]", "", run.group())
        if len(letters) == 1 or sum(c.isupper() for c in letters) >= 2:
            continue  # a symbol (P, d), or an abbreviation (MADRS, SmPC, KARMA-Dep)
        left.append(run.group())
    return left


def test_the_latin_finder_finds_latin() -> None:
    assert _left_in_latin("Кетамин va ketamin, SSRI, p = 0,03 [@daly2019] Cochrane") == ["va", "ketamin"]


def test_every_uz_message_transliterates_completely() -> None:
    messages = _messages()
    assert len(messages) > 250
    cyrillic = [to_cyrillic(text) for text in messages]
    assert {word for text in cyrillic for word in _left_in_latin(text)} == set()
    assert not [text for text in cyrillic if "\u02bb" in text or "\u02bc" in text]


def test_the_sample_has_no_unresolved_word() -> None:
    assert {word for text in _messages() for _, word in unresolved(text)} == set()


def test_every_exception_is_cyrillic() -> None:
    data = exceptions()
    for table in (data.words, data.stems, data.patterns, data.abbreviations):
        for latin, cyrillic in table.items():
            assert re.fullmatch(r"[a-zA-Zʻʼ]+", latin), latin
            assert re.fullmatch(r"[а-яёўқғҳА-ЯЁЎҚҒҲ]+", cyrillic), cyrillic
