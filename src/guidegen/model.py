"""The guideline as typed, frozen data: what the committee's YAML means.

These dataclasses are also the schema of the YAML format.  Field metadata says
what a key is called in YAML (``key``), which values it admits (``choices``),
whether translators see it (``translatable``; ``markdown`` fields are split
into one message per paragraph) and what it is for (``doc``, shown by editors
through ``guidegen schema``).  Every node keeps its position and the position
of each of its keys' values (``at``), so checks can point at the exact line.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .problems import Position

# Patterns are written for JSON Schema (ECMA-262) too, so they keep ^...$; typed.py matches them
# with re.fullmatch, since Python's $ also matches before a trailing newline (issue 17).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
ID_HELP = "use letters, digits, '-' and '_', starting with a letter or digit"
# The guideline's id and version name its output files ({id}-{version}-{lang}.pdf): no separator, no '..'
# and a bounded length, so that a file name can never leave the output folder or exceed 255 bytes.
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"
VERSION_PATTERN = r"^(?=.{1,64}$)[0-9A-Za-z][0-9A-Za-z+-]*(?:\.[0-9A-Za-z+-]+){0,9}$"
VERSION_HELP = "use letters, digits, '+' and '-' in parts joined by single dots, e.g. 0.1.0 or 2.0-rc1"
LANG_PATTERN = r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$"
LANG_HELP = "a language tag such as uz, ru or uz-Cyrl"


def meta(
    doc: str,
    *,
    key: str | None = None,
    choices: tuple[str, ...] | None = None,
    translatable: bool = False,
    markdown: bool = False,
    pattern: str | None = None,
    pattern_help: str = ID_HELP,
) -> dict[str, Any]:
    return {
        "doc": doc,
        "key": key,
        "choices": choices,
        "translatable": translatable or markdown,
        "markdown": markdown,
        "pattern": pattern,
        "pattern_help": pattern_help,
    }


def text(doc: str, **kw: Any) -> Any:
    """A required translatable plain-text field."""
    return field(metadata=meta(doc, translatable=True, **kw))


def opt_text(doc: str, *, markdown: bool = False) -> Any:
    return field(default="", metadata=meta(doc, translatable=True, markdown=markdown))


@dataclass(frozen=True, kw_only=True)
class Node:
    """Where a block stands in the source, and where each of its values does."""

    pos: Position = field(default=Position(""), compare=False, metadata={"source": False})
    at: dict[str, Position] = field(default_factory=dict, compare=False, metadata={"source": False})

    def where(self, name: str) -> Position:
        return self.at.get(name, self.pos)


@dataclass(frozen=True, kw_only=True)
class Declaration(Node):
    """One declared interest of a committee member (WHO declaration of interests; GIN principles)."""

    type: str = field(metadata=meta("Kind of interest", choices=("financial", "non-financial", "none")))
    description: str = opt_text("What the interest is; empty for 'none'")
    recommendations: tuple[str, ...] = field(default=(), metadata=meta("Ids of the recommendations it bears on"))
    management: str = field(
        default="none",
        metadata=meta("How the committee managed it", choices=("none", "partial-recusal", "exclusion")),
    )


@dataclass(frozen=True, kw_only=True)
class Member(Node):
    name: str = field(metadata=meta("Name as it should be printed; samples use role placeholders such as '[Name]'"))
    role: str = field(
        metadata=meta("Role in the committee", choices=("chair", "member", "methodologist", "secretary", "reviewer"))
    )
    affiliation: str = opt_text("Institution or organisation")
    interests: str | tuple[Declaration, ...] = field(
        default=(),
        metadata=meta(
            "Declared interests: a list of declarations (type, description, recommendations, management)",
            translatable=True,
        ),
    )

    @property
    def declarations(self) -> tuple[Declaration, ...]:
        return self.interests if isinstance(self.interests, tuple) else ()

    def recused_from(self, rec_id: str) -> bool:
        """True when a declaration keeps this member out of the decision on ``rec_id``."""
        return any(
            d.management == "exclusion" or (d.management == "partial-recusal" and rec_id in d.recommendations)
            for d in self.declarations
        )


@dataclass(frozen=True, kw_only=True)
class Abbreviation(Node):
    term: str = field(
        metadata=meta(
            "The abbreviation as printed, e.g. TRD (translatable: Russian writes СИОЗС for SSRI)", translatable=True
        )
    )
    meaning: str = text("What it stands for")


@dataclass(frozen=True, kw_only=True)
class Metadata(Node):
    """guideline.yaml: the document's identity and outline."""

    id: str = field(metadata=meta("Slug used in output file names (at most 64 characters)", pattern=SLUG_PATTERN))
    title: str = text("Title of the guideline")
    subtitle: str = opt_text("Subtitle, e.g. 'National clinical guideline'")
    version: str = field(metadata=meta("Version, e.g. 0.1.0", pattern=VERSION_PATTERN, pattern_help=VERSION_HELP))
    status: str = field(metadata=meta("Stage of the document", choices=("draft", "consultation", "final")))
    date: datetime.date = field(metadata=meta("Date of this version, YYYY-MM-DD"))
    issuer: str = text("Issuing body, e.g. the Ministry of Health")
    source_language: str = field(
        default="en", metadata=meta("Language the YAML is written in", pattern=LANG_PATTERN, pattern_help=LANG_HELP)
    )
    languages: tuple[str, ...] = field(
        default=(),
        metadata=meta(
            "Output languages, e.g. [uz, ru, en]; default: the library's", pattern=LANG_PATTERN, pattern_help=LANG_HELP
        ),
    )
    grading: str = field(default="grade", metadata=meta("Grading scheme: grade, ru-103n, or a path to a scheme file"))
    committee: tuple[Member, ...] = field(default=(), metadata=meta("Guideline development group"))
    scope: str = opt_text("Scope and purpose (markdown)", markdown=True)
    abbreviations: tuple[Abbreviation, ...] = field(default=(), metadata=meta("Abbreviations used in the text"))
    contents: tuple[str, ...] = field(metadata=meta("Section files, in document order"))
    evidence: str | tuple[str, ...] = field(
        default="evidence", metadata=meta("Folder of evidence profiles, or a list of files")
    )
    references: str = field(
        default="references.yaml", metadata=meta("Bibliography, CSL YAML (.yaml) or CSL JSON (.json)")
    )
    translations: str = field(default="../translations", metadata=meta("Catalog folder, relative to guideline.yaml"))
    funding: str = opt_text("Who funded the guideline's development, and their role in it (markdown)", markdown=True)
    previous: str = field(
        default="",
        metadata=meta(
            "The last published version, as a git revision: builds add 'Changes since' and [new]/[amended] tags",
            pattern=r"[A-Za-z0-9_][A-Za-z0-9_./^~+-]{0,99}",  # a tag, branch or commit: never an option for git
        ),
    )
    vote_threshold: str = field(
        default="",
        metadata=meta(
            "Share of the votes cast a recommendation needs, as a fraction, e.g. '2/3'",
            pattern=r"^\d+/\d+$",
            pattern_help="write a fraction such as 2/3",
        ),
    )


@dataclass(frozen=True, kw_only=True)
class Judged(Node):
    """One criterion of an Evidence-to-Decision framework: the committee's judgement and what it rests on."""

    judgement: str = field(metadata=meta("A value of the criterion's scale in the grading scheme, e.g. probably-yes"))
    evidence: str = opt_text("Research evidence (markdown)", markdown=True)
    considerations: str = opt_text("Additional considerations (markdown)", markdown=True)


@dataclass(frozen=True, kw_only=True)
class Etd(Node):
    """The GRADE Evidence-to-Decision framework of one recommendation: twelve criteria, in the framework's order."""

    problem: Judged | None = field(default=None, metadata=meta("Is the problem a priority?"))
    desirable: Judged | None = field(
        default=None, metadata=meta("How substantial are the desirable anticipated effects?")
    )
    undesirable: Judged | None = field(
        default=None, metadata=meta("How substantial are the undesirable anticipated effects?")
    )
    certainty: Judged | None = field(
        default=None, metadata=meta("What is the overall certainty of the evidence of effects?")
    )
    values: Judged | None = field(
        default=None,
        metadata=meta(
            "Is there important uncertainty about, or variability in, how much people value the main outcomes?"
        ),
    )
    balance: Judged | None = field(
        default=None,
        metadata=meta(
            "Does the balance between desirable and undesirable effects favour the intervention or the comparison?"
        ),
    )
    resources: Judged | None = field(default=None, metadata=meta("How large are the resource requirements (costs)?"))
    resources_certainty: Judged | None = field(
        default=None,
        metadata=meta("What is the certainty of the evidence of resource requirements?", key="resources-certainty"),
    )
    cost_effectiveness: Judged | None = field(
        default=None,
        metadata=meta(
            "Does the cost-effectiveness favour the intervention or the comparison?", key="cost-effectiveness"
        ),
    )
    equity: Judged | None = field(default=None, metadata=meta("What would be the impact on health equity?"))
    acceptability: Judged | None = field(
        default=None, metadata=meta("Is the intervention acceptable to key stakeholders?")
    )
    feasibility: Judged | None = field(default=None, metadata=meta("Is the intervention feasible to implement?"))

    def criteria(self) -> list[tuple[str, Judged | None]]:
        """(criterion id as written in YAML, its judgement or None), in the framework's order."""
        return [(key, getattr(self, name)) for key, name in _criteria_fields(_hashable(type(self)))]


@dataclass(frozen=True, kw_only=True)
class Vote(Node):
    for_: int = field(metadata=meta("Members who voted for", key="for"))
    against: int = field(default=0, metadata=meta("Members who voted against"))
    abstain: int = field(default=0, metadata=meta("Members who abstained"))


@dataclass(frozen=True, kw_only=True)
class Recommendation(Node):
    id: str = field(metadata=meta("Stable id: never renumbered; keys translations and diffs", pattern=ID_PATTERN))
    type: str = field(
        default="recommendation",
        metadata=meta("Kind of statement", choices=("recommendation", "good-practice", "research")),
    )
    text: str = field(metadata=meta("The recommendation itself (markdown)", translatable=True, markdown=True))
    direction: str | None = field(default=None, metadata=meta("for | against (graded recommendations only)"))
    strength: str | None = field(default=None, metadata=meta("Strength, in the grading scheme's terms"))
    certainty: str | None = field(default=None, metadata=meta("Certainty of evidence, in the grading scheme's terms"))
    evidence: tuple[str, ...] = field(default=(), metadata=meta("Evidence-profile ids and/or reference ids"))
    justification: str | None = field(
        default=None,
        metadata=meta("Why a strong recommendation rests on low certainty (one of the scheme's situations)"),
    )
    rationale: str = opt_text("Why the committee decided so (markdown)", markdown=True)
    remarks: tuple[str, ...] = field(
        default=(), metadata=meta("Remarks (markdown each)", translatable=True, markdown=True)
    )
    implementation: str = opt_text("Implementation considerations (markdown)", markdown=True)
    etd: Etd | None = field(
        default=None, metadata=meta("Evidence-to-Decision framework: criterion -> judgement, evidence, considerations")
    )
    vote: Vote | None = field(
        default=None, metadata=meta("The committee's vote, if one was taken: for, against, abstain")
    )


@dataclass(frozen=True, kw_only=True)
class Section(Node):
    id: str = field(metadata=meta("Stable id of the section", pattern=ID_PATTERN))
    title: str = text("Section title")
    text: str = opt_text("Introductory text (markdown)", markdown=True)
    recommendations: tuple[Recommendation, ...] = field(default=(), metadata=meta("Recommendation blocks, in order"))
    subsections: tuple[Section, ...] = field(default=(), metadata=meta("Nested sections, same shape"))


@dataclass(frozen=True, kw_only=True)
class Effect(Node):
    measure: str = field(metadata=meta("Effect measure", choices=("MD", "SMD", "RR", "OR", "HR", "RD")))
    # Decimal, not float: "-7.20" is printed as the committee wrote it, precision included
    value: Decimal = field(metadata=meta("Point estimate"))
    ci: tuple[Decimal, Decimal] | None = field(default=None, metadata=meta("95% confidence interval [low, high]"))


@dataclass(frozen=True, kw_only=True)
class Outcome(Node):
    name: str = text("Outcome, e.g. 'Change in MADRS total score at day 28'")
    importance: str = field(metadata=meta("GRADE importance", choices=("critical", "important", "limited")))
    studies: int | None = field(default=None, metadata=meta("Number of studies"))
    participants: int | None = field(default=None, metadata=meta("Number of participants"))
    effect: Effect | None = field(default=None, metadata=meta("Relative or mean effect"))
    units: str = opt_text("Units of a mean difference, e.g. 'points on the MADRS (0-60)'")
    assumed_risk: Decimal | None = field(
        default=None,
        metadata=meta("Comparison group's risk as a proportion (0-1), for a dichotomous outcome with RR, OR or HR"),
    )
    assumed_risk_source: str = opt_text("Where the assumed risk comes from (markdown, with citations)", markdown=True)
    what_happens: str = opt_text(
        "What happens, in words, where the standard GRADE statement does not fit (markdown)", markdown=True
    )
    certainty: str = field(metadata=meta("Certainty of this outcome, in the grading scheme's terms"))
    downgrade: tuple[str, ...] = field(
        default=(),
        metadata=meta(
            "Reasons for rating down",
            choices=("risk-of-bias", "inconsistency", "indirectness", "imprecision", "publication-bias"),
        ),
    )
    notes: str = opt_text("Footnote for the summary-of-findings table (markdown)", markdown=True)


@dataclass(frozen=True, kw_only=True)
class EvidenceProfile(Node):
    id: str = field(metadata=meta("Stable id, cited from recommendations' evidence lists", pattern=ID_PATTERN))
    question: str = text("The PICO question")
    population: str = opt_text("Population")
    intervention: str = opt_text("Intervention")
    comparison: str = opt_text("Comparison")
    studies: tuple[str, ...] = field(default=(), metadata=meta("Reference ids of the included studies"))
    outcomes: tuple[Outcome, ...] = field(default=(), metadata=meta("Outcomes (summary of findings)"))
    certainty: str = field(metadata=meta("Overall certainty; GRADE: the lowest among critical outcomes"))


@dataclass(frozen=True, kw_only=True)
class Reference(Node):
    """One CSL item; ``data`` is what pandoc's citeproc reads."""

    id: str
    type: str
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    def get(self, name: str) -> str:
        value = self.data.get(name)
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Level:
    """One value of a grading scale, with its words in every language."""

    id: str
    label: dict[str, str]
    symbol: str = ""
    wording: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Judgement:
    """One value of an Evidence-to-Decision criterion's scale ("Probably yes", "Varies", …), in every language."""

    id: str
    label: dict[str, str]
    # On the EtD certainty criterion only: the scheme certainty this judgement states,
    # so a check can compare it with the recommendation's certainty.
    certainty: str = ""


@dataclass(frozen=True)
class EtdCriterion:
    """One criterion of the GRADE Evidence-to-Decision framework: its question and its ordered scale."""

    id: str
    label: dict[str, str]  # the question, e.g. "Is the problem a priority?"
    scale: tuple[Judgement, ...]

    def judgement(self, id: str) -> Judgement | None:
        return next((j for j in self.scale if j.id == id), None)


@dataclass(frozen=True)
class Statement:
    """A GRADE informative statement (GRADE guidance 26): what happens, worded by certainty and effect."""

    certainty: str  # a certainty id of the scheme
    effect: str  # reduction | increase | little-or-no-difference
    text: dict[str, str]


@dataclass(frozen=True)
class Scheme:
    """A grading scheme (GRADE, Russian Order 103n, …): data, loaded from a YAML file."""

    id: str
    name: dict[str, str]
    strength: tuple[Level, ...]
    direction: tuple[Level, ...]
    certainty: tuple[Level, ...]  # highest first
    justification: tuple[Level, ...]
    justify_strength: tuple[str, ...]  # strengths that need a justification ...
    justify_certainty: tuple[str, ...]  # ... when resting on these certainties
    profile_rule: str  # "lowest-critical" (GRADE) or "none"
    strength_label: dict[str, str] = field(default_factory=dict)
    certainty_label: dict[str, str] = field(default_factory=dict)
    methodology: dict[str, str] = field(default_factory=dict)
    # Evidence to decision (issue 13); empty in schemes that do not use it, such as Order 103n
    statements: tuple[Statement, ...] = ()
    etd: tuple[EtdCriterion, ...] = ()

    def rank(self, certainty: str) -> int:
        """0 for the highest certainty; larger is lower."""
        return [level.id for level in self.certainty].index(certainty)


@dataclass(frozen=True, kw_only=True)
class Comment(Node):
    """One stakeholder comment from consultation (consultation/comments.yaml), and the committee's answer."""

    id: str = field(metadata=meta("Stable id, made on import from the comment's content", pattern=ID_PATTERN))
    organisation: str = field(metadata=meta("Who commented (an organisation; a role placeholder in samples)"))
    language: str = field(
        default="", metadata=meta("Language of the document that was commented", pattern=LANG_PATTERN)
    )
    target: str = field(default="", metadata=meta("Id of the recommendation or section commented on"))
    quote: str = field(default="", metadata=meta("The text the comment was attached to"))
    comment: str = field(metadata=meta("The comment, in its original language"))
    source: str = field(default="", metadata=meta("The file it was imported from"))
    response: str = opt_text("The committee's response (markdown, translated like any other text)", markdown=True)
    action: str = field(
        default="",
        metadata=meta("What the committee did", choices=("", "accepted", "partly-accepted", "rejected", "noted")),
    )
    note: str = field(
        default="", metadata=meta("Where the target went, if it no longer exists (e.g. 'merged into esk-add-on')")
    )


@dataclass(frozen=True, kw_only=True)
class Consultation(Node):
    """consultation/comments.yaml: every comment received, append-only."""

    comments: tuple[Comment, ...] = field(default=(), metadata=meta("Comments, in the order they were imported"))


@dataclass(frozen=True, kw_only=True)
class LibraryMeta(Node):
    """library.yaml at a repository's root: the guidelines it holds and what they share."""

    id: str = field(metadata=meta("Slug of the library, used in the index's file names", pattern=ID_PATTERN))
    title: str = field(metadata=meta("Name of the collection, e.g. 'National clinical guidelines'"))
    guidelines: tuple[str, ...] = field(
        metadata=meta("Guideline folders (each holding guideline.yaml), relative to library.yaml; globs allowed")
    )
    languages: tuple[str, ...] = field(
        default=(), metadata=meta("Languages of a guideline that names none", pattern=LANG_PATTERN)
    )
    references: str = field(
        default="", metadata=meta("A shared bibliography (CSL YAML) every guideline may cite alongside its own")
    )
    glossary: str = field(
        default="",
        metadata=meta("A shared glossary (terms every translation renders one way), added to each guideline's"),
    )
    grading: str = field(
        default="", metadata=meta("A folder of shared grading scheme files, found by name: grading: my-scheme")
    )
    theme: str = field(
        default="",
        metadata=meta("A shared theme folder (print.css, templates, fonts) for guidelines without their own"),
    )
    labels: str = field(default="", metadata=meta("A shared folder of label overrides: <lang>/LC_MESSAGES/guidegen.po"))


@dataclass(frozen=True)
class Library:
    """A loaded library: its folder, its metadata, and the shared references every guideline may cite."""

    root: Path
    meta: LibraryMeta
    references: tuple[Reference, ...] = ()

    def path(self, name: str) -> Path | None:
        """A shared resource named in library.yaml, resolved; None when not named."""
        return (self.root / name).resolve() if name else None


@dataclass(frozen=True)
class Guideline:
    """The whole guideline as loaded: metadata, sections in order, evidence, references."""

    root: Path
    meta: Metadata
    scheme: Scheme
    sections: tuple[Section, ...]
    profiles: tuple[EvidenceProfile, ...]
    references: tuple[Reference, ...]
    files: tuple[Path, ...]  # every source file read, for caches and watchers
    consultation: Consultation | None = None  # consultation/comments.yaml, if there is one
    library: Library | None = None  # the library it belongs to, if any (library.yaml in a parent folder)

    @property
    def theme(self) -> Path:
        """The guideline's own theme folder, else its library's shared one (which may not exist: then the default)."""
        own = self.root / "theme"
        if own.is_dir() or self.library is None or not self.library.meta.theme:
            return own
        return self.library.root / self.library.meta.theme

    def walk(self) -> list[tuple[str, Section]]:
        """Every section with its displayed number (1, 1.2, 1.2.3), in document order."""
        out: list[tuple[str, Section]] = []

        def visit(sections: tuple[Section, ...], prefix: str) -> None:
            for i, section in enumerate(sections, 1):
                number = f"{prefix}{i}"
                out.append((number, section))
                visit(section.subsections, number + ".")

        visit(self.sections, "")
        return out

    def recommendations(self) -> list[tuple[str, Recommendation]]:
        """Every recommendation block with its displayed number (section number . position)."""
        return [
            (f"{number}.{i}", rec)
            for number, section in self.walk()
            for i, rec in enumerate(section.recommendations, 1)
        ]


def markdown_fields(node: Node) -> list[tuple[str, str, Position]]:
    """The markdown texts of one node: (field name, text, position), lists flattened."""
    out = []
    for name in _markdown_names(_hashable(type(node))):
        value = getattr(node, name)
        if isinstance(value, str):
            if value:
                out.append((name, value, node.where(name)))
        else:
            out += [(name, item, node.where(f"{name}[{i}]")) for i, item in enumerate(value)]
    return out


def _hashable(cls: type[Node]) -> Hashable:
    """A model class as a cache key: the class is hashable, though its instances (dataclasses with ``eq``) are not."""
    return typing.cast(Hashable, cls)


@cache
def _criteria_fields(cls: Any) -> tuple[tuple[str, str], ...]:
    """(criterion id, field name) of an EtD framework class, read once."""
    import dataclasses

    return tuple(
        (f.metadata.get("key") or f.name, f.name)
        for f in dataclasses.fields(cls)
        if f.metadata.get("source") is not False
    )


@cache
def _markdown_names(cls: Any) -> tuple[str, ...]:
    """The markdown fields of a class, read once: the checks ask for them of every node, 25,000 in a large guideline."""
    import dataclasses

    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("markdown"))


def parts(node: Node) -> list[tuple[str, Node]]:
    """The text-holding blocks inside a node, with the name that keys their messages (``etd.values``, ``interests``)."""
    if isinstance(node, Recommendation) and node.etd is not None:
        return [(f"etd.{criterion}", judged) for criterion, judged in node.etd.criteria() if judged is not None]
    if isinstance(node, Member):
        return [("interests", d) for d in node.declarations]
    return []


def all_nodes(guideline: Guideline) -> list[Node]:
    """Every node that can hold text, in document order."""
    nodes: list[Node] = [guideline.meta]
    for member in guideline.meta.committee:
        nodes += [member, *(part for _, part in parts(member))]
    nodes += guideline.meta.abbreviations
    for _, section in guideline.walk():
        nodes.append(section)
        for rec in section.recommendations:
            nodes += [rec, *(part for _, part in parts(rec))]
    for profile in guideline.profiles:
        nodes.append(profile)
        nodes += profile.outcomes
    if guideline.consultation is not None:
        nodes += guideline.consultation.comments
    return nodes
