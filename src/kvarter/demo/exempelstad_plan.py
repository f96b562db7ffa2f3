"""Exempelstad's action plan 2024–2026 with its follow-up rounds.

Written through the services like the rest of the demo. A seeded generator picks the statuses,
so the demo looks the same every time. The texts hold no personal data: no names of people,
no phone numbers, no e-mail addresses.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from kvarter.accounts.models import Organisation
from kvarter.areas.models import Area, Municipality
from kvarter.core.actors import SYSTEM
from kvarter.core.services import model_update
from kvarter.demo.exempelstad_goals import assess_round, build_goals
from kvarter.followup.models import Disposition, Status
from kvarter.followup.services import round_close, round_open, status_report
from kvarter.plans.models import Measure, Plan, PlanStatus
from kvarter.plans.services import goal_area_ensure, measure_create, plan_create

PLAN_NAME = "Åtgärdsplan för områdesutveckling 2024–2026"
DECISION_REFERENCE = "KS 2023-412"
START_YEAR, END_YEAR = 2024, 2026
OPEN_ROUND_DEADLINE = dt.date(2026, 12, 15)
SEED = 2024

GOAL_AREAS = [
    (1, "Trygghet och trivsel"),
    (2, "Fler i arbete och egen försörjning"),
    (3, "Utbildning och språk"),
    (4, "En rikare fritid"),
    (5, "Boende och fysisk miljö"),
]


@dataclass(frozen=True)
class DemoMeasure:
    title: str
    description: str
    areas: str  # area names separated by ", "; empty: the whole municipality
    responsible: str  # organisations' short names, as the plan's "Ansvarig" column
    financing: str
    amount: int | None = None
    partners: str = ""


M = DemoMeasure
# Goal area n holds measures n.1, n.2 … in this order.
MEASURES: dict[int, list[DemoMeasure]] = {
    1: [
        M(
            "Effektiv samordning för trygghet (EST)",
            "Veckovis lägesbild och gemensam resursplanering mellan kommun, polis och "
            "bostadsbolag.",
            "Norrby, Västerdal",
            "KLF, Polisen, Exempelhem",
            "Genomförs inom ram, 2024–2026",
        ),
        M(
            "Medborgarlöfte för Åsen",
            "Polis och kommun tar fram och följer upp ett gemensamt medborgarlöfte utifrån "
            "invånarnas synpunkter.",
            "Åsen",
            "Polisen, KLF",
            "Genomförs inom ram, Q2/2024",
        ),
        M(
            "Kommunvärdar kvällar och helger",
            "Kommunvärdar finns på plats i centrum och kring skolorna fredag och lördag kväll.",
            "Norrby, Västerdal, Åsen",
            "SOF, Exempelhem",
            "Statsbidrag 2025, Q1/2025–Q4/2026",
            1_200_000,
        ),
        M(
            "Trygghetsvandringar med boende",
            "Två trygghetsvandringar per år och område där brister i belysning och miljö "
            "dokumenteras.",
            "",
            "MoS, Exempelhem, Polisen",
            "Genomförs inom ram, årligen",
            partners="Föreningen Norrby Framåt",
        ),
        M(
            "Förebyggande arbete mot bränder i bostadsområden",
            "Räddningstjänsten gör hembesök och informationsinsatser om brandsäkerhet och "
            "anlagda bränder.",
            "Västerdal, Kvarnbacken",
            "RTJ, Exempelhem",
            "Genomförs inom ram, Q3/2024",
        ),
        M(
            "SSPF-samverkan för unga i riskzon",
            "Skola, socialtjänst, polis och fritid samverkar kring unga som riskerar att "
            "dras in i kriminalitet.",
            "",
            "SOF, UAF, Polisen, KoF",
            "Genomförs inom ram, 2024–2026",
        ),
        M(
            "Social insatsgrupp (SIG)",
            "Individuellt anpassat stöd till unga som vill lämna en kriminell miljö.",
            "Norrby, Västerdal",
            "SOF, Polisen",
            "Statsbidrag 2025, Q1/2025",
            850_000,
        ),
        M(
            "Föräldraskapsstöd på flera språk",
            "Föräldragrupper med fokus på tonårstiden erbjuds på arabiska, somaliska och dari.",
            "Norrby, Åsen",
            "SOF",
            "ESF-medel, Q2/2025–Q4/2026",
            640_000,
        ),
        M(
            "Belysning och siktröjning i gångstråk",
            "Belysningen förbättras och buskage röjs utmed gångstråk som boende pekat ut som "
            "otrygga.",
            "Åsen, Söderängen",
            "MoS, Exempelhem",
            "Statsbidrag 2025, Q3/2025",
            2_300_000,
        ),
        M(
            "Gemensam lägesbild inför sommarlovet",
            "En gemensam lägesbild tas fram i maj varje år för att planera sommarens resurser.",
            "",
            "KLF, Polisen",
            "Genomförs inom ram, årligen i maj",
        ),
    ],
    2: [
        M(
            "Uppsökande team för personer långt från arbetsmarknaden",
            "Ett team når personer som varken arbetar, studerar eller har kontakt med myndigheter.",
            "Norrby, Västerdal",
            "UAF",
            "ESF-medel, Q1/2024–Q4/2026",
            3_400_000,
        ),
        M(
            "Lokalt jobbtorg i Västerdal",
            "Vägledning, stöd med ansökningar och matchning mot lokala arbetsgivare i en lokal "
            "i centrum.",
            "Västerdal",
            "UAF",
            "Genomförs inom ram, Q2/2024",
        ),
        M(
            "Sommarjobb för ungdomar",
            "Kommunala sommarjobb för ungdomar 16–18 år med förtur för ungdomar i områdena.",
            "Norrby, Västerdal, Åsen",
            "UAF, KLF",
            "Statsbidrag 2025, årligen",
            1_800_000,
        ),
        M(
            "Lokalt arbetsgivarnätverk",
            "Näringslivskontoret samlar lokala företag som erbjuder praktik och anställning.",
            "",
            "KLF",
            "Genomförs inom ram, Q4/2024",
        ),
        M(
            "Anställningar i bostadsbolagets områdesarbete",
            "Exempelhem erbjuder subventionerade anställningar inom skötsel och områdesvärdskap.",
            "Norrby, Åsen, Kvarnbacken",
            "Exempelhem, UAF",
            "Ej finansierad, Q1/2025",
        ),
        M(
            "Språkpraktik på kommunens arbetsplatser",
            "Praktikplatser som kombinerar svenska med yrkesträning inom vård och omsorg.",
            "",
            "UAF",
            "Genomförs inom ram, 2024–2026",
        ),
        M(
            "Vägar till arbete för kvinnor",
            "Gruppverksamhet och individuellt stöd mot arbete eller studier för kvinnor som står "
            "långt från arbetsmarknaden.",
            "Norrby, Västerdal",
            "UAF, SOF",
            "ESF-medel, Q3/2024–Q2/2026",
            2_100_000,
        ),
        M(
            "Samordnad ingång för ekonomiskt bistånd och arbetsmarknadsinsatser",
            "Den som söker ekonomiskt bistånd får tidigt en plan mot arbete tillsammans med "
            "arbetsmarknadsenheten.",
            "",
            "SOF, UAF",
            "Genomförs inom ram, Q1/2025",
        ),
        M(
            "Sociala krav i kommunens upphandlingar",
            "Krav på praktik- eller anställningsplatser ställs i större upphandlingar.",
            "",
            "KLF",
            "Genomförs inom ram, Q2/2025",
        ),
        M(
            "Företagslots för nyföretagare",
            "Rådgivning och lotsning för den som vill starta eget företag i områdena.",
            "Västerdal, Söderängen",
            "KLF",
            "Ej finansierad, 2025–2026",
        ),
    ],
    3: [
        M(
            "Språkförskola i Norrby",
            "Förskola med förstärkt språkutvecklande arbete och modersmålsstöd.",
            "Norrby",
            "UAF",
            "Statsbidrag 2025, Q3/2025",
            1_500_000,
        ),
        M(
            "Läxhjälp i skola och bibliotek",
            "Läxhjälp fyra eftermiddagar i veckan i samarbete med studieförbund.",
            "Norrby, Västerdal, Åsen",
            "UAF, KoF",
            "Genomförs inom ram, 2024–2026",
            partners="Studieförbunden i Exempelstad",
        ),
        M(
            "Lovskola inför gymnasiet",
            "Lovskola för elever i årskurs 9 som saknar godkända betyg i kärnämnen.",
            "",
            "UAF",
            "Statsbidrag 2025, årligen i juni",
            700_000,
        ),
        M(
            "Närvaroteam för elever med hög frånvaro",
            "Skola och socialtjänst arbetar tillsammans med familjen när en elev har hög frånvaro.",
            "Västerdal, Åsen",
            "UAF, SOF",
            "Genomförs inom ram, Q1/2025",
        ),
        M(
            "Svenska för föräldrar i skolans lokaler",
            "Sfi-undervisning förläggs till skolan dagtid med barnpassning under lektionerna.",
            "Norrby, Kvarnbacken",
            "UAF",
            "ESF-medel, Q2/2025",
            900_000,
        ),
        M(
            "Brobyggare mellan skola och hem",
            "Brobyggare med språkkunskaper stödjer kontakten mellan skolan och vårdnadshavare.",
            "Norrby, Västerdal",
            "UAF",
            "Genomförs inom ram, 2024–2026",
        ),
        M(
            "Familjecentral med öppen förskola",
            "Öppen förskola tillsammans med socialtjänstens familjestöd fem dagar i veckan.",
            "Åsen",
            "SOF, UAF",
            "Statsbidrag 2025, Q2/2025",
            1_100_000,
        ),
        M(
            "Studie- och yrkesvägledning i årskurs 7–9",
            "Utökad vägledning med studiebesök på arbetsplatser och gymnasieskolor.",
            "",
            "UAF",
            "Genomförs inom ram, Q3/2024",
        ),
        M(
            "Erfarna lärare i områdesskolorna",
            "Karriärtjänster och lönetillägg för att behålla erfarna lärare i skolor med stora "
            "behov.",
            "Norrby, Västerdal, Åsen",
            "UAF",
            "Ej finansierad, 2025–2026",
            2_500_000,
        ),
        M(
            "Digital vardag för vuxna",
            "Kurser i e-tjänster, e-legitimation och digitala myndighetskontakter på biblioteken.",
            "",
            "KoF",
            "Genomförs inom ram, Q4/2024",
        ),
    ],
    4: [
        M(
            "Fritidsgård med förlängda öppettider",
            "Fritidsgården har öppet till midnatt fredag och lördag.",
            "Norrby",
            "KoF",
            "Genomförs inom ram, Q1/2024",
        ),
        M(
            "Mötesplats för tjejer",
            "En egen kväll i veckan med aktiviteter som tjejerna själva väljer.",
            "Västerdal, Åsen",
            "KoF",
            "Statsbidrag 2025, Q2/2025",
            400_000,
        ),
        M(
            "Idrott för alla på loven",
            "Kostnadsfria idrottsaktiviteter på sport-, påsk-, sommar- och höstlov tillsammans "
            "med föreningar.",
            "",
            "KoF",
            "Statsbidrag 2025, årligen",
            650_000,
        ),
        M(
            "Stöd till nya föreningar",
            "Enklare ansökan om startbidrag och stöd i föreningskunskap för nya föreningar i "
            "områdena.",
            "",
            "KoF",
            "Genomförs inom ram, Q3/2024",
        ),
        M(
            "Idésmedja om fritidsaktiviteter",
            "Boende föreslår och prioriterar aktiviteter i en årlig idésmedja.",
            "Norrby, Söderängen",
            "KoF, KLF",
            "Genomförs inom ram, årligen i mars",
            partners="Föreningen Norrby Framåt",
        ),
        M(
            "Meröppet bibliotek i Åsen",
            "Biblioteksfilialen blir meröppen så att boende kan använda lokalen även utan "
            "personal.",
            "Åsen",
            "KoF",
            "Ej finansierad, Q4/2025",
            350_000,
        ),
        M(
            "Aktivitetspark i Kvarnbacken",
            "En aktivitetspark för spontanidrott planeras och byggs tillsammans med unga.",
            "Kvarnbacken",
            "MoS, KoF",
            "Statsbidrag 2025, Q3/2025–Q2/2026",
            4_200_000,
        ),
        M(
            "Fritidsbank",
            "Utlåning av sport- och fritidsutrustning utan kostnad.",
            "",
            "KoF, Exempelhem",
            "Genomförs inom ram, Q2/2024",
        ),
        M(
            "Fältarbete kvällar och helger",
            "Fältsekreterare finns där unga samlas och slussar vidare till fritidsaktiviteter.",
            "Norrby, Västerdal",
            "SOF, KoF",
            "Genomförs inom ram, 2024–2026",
        ),
        M(
            "Kulturskola i områdena",
            "Kulturskolans kurser förläggs till skolorna i områdena direkt efter skoldagen.",
            "Norrby, Västerdal, Åsen",
            "KoF, UAF",
            "Statsbidrag 2025, Q1/2025",
            800_000,
        ),
    ],
    5: [
        M(
            "Upprustning av gårdar och lekplatser",
            "Gårdar och lekplatser rustas upp efter dialog med de boende.",
            "Norrby, Västerdal",
            "Exempelhem",
            "Genomförs inom ram, 2024–2026",
            6_000_000,
        ),
        M(
            "Blandade upplåtelseformer i Norrby",
            "En detaljplan för bostadsrätter och småhus i områdets utkant tas fram.",
            "Norrby",
            "MoS",
            "Genomförs inom ram, Q4/2025",
        ),
        M(
            "Boendedialog vid renovering",
            "Hyresgästerna väljer renoveringsnivå så att hyran kan hållas nere.",
            "Västerdal, Åsen",
            "Exempelhem",
            "Genomförs inom ram, Q2/2024",
        ),
        M(
            "Motverka trångboddhet",
            "Trångboddheten kartläggs och större lägenheter förmedlas till hushåll som behöver "
            "dem.",
            "",
            "Exempelhem, MoS",
            "Ej finansierad, 2025–2026",
        ),
        M(
            "Trafiksäkra skolvägar",
            "Säkrare övergångsställen och hastighetsdämpande åtgärder vid skolor och förskolor.",
            "Åsen, Söderängen",
            "MoS",
            "Statsbidrag 2025, Q2/2025",
            1_300_000,
        ),
        M(
            "Mindre nedskräpning och klotter",
            "Gemensamma städdagar och snabbare sanering av klotter och nedskräpning.",
            "",
            "MoS, Exempelhem",
            "Genomförs inom ram, årligen i april",
        ),
        M(
            "Nytt stadsdelscentrum i Västerdal",
            "Centrumet utvecklas med ny torgyta, belysning och lokaler för service.",
            "Västerdal",
            "MoS, KLF",
            "Ej finansierad, 2026",
            12_000_000,
        ),
        M(
            "Kollektivtrafik kvällstid",
            "Tätare turer kvällstid mellan områdena och stadens centrum.",
            "Söderängen, Kvarnbacken",
            "MoS",
            "Ej finansierad, Q1/2026",
        ),
        M(
            "Bovärdar med områdesansvar",
            "Bovärdarna har fasta områden och kontorstid i området en dag i veckan.",
            "Norrby, Västerdal, Åsen",
            "Exempelhem",
            "Genomförs inom ram, Q1/2024",
        ),
        M(
            "Lokaler för civilsamhället",
            "Bostadsbolaget hyr ut lokaler till föreningar till reducerad hyra.",
            "Kvarnbacken",
            "Exempelhem, KoF",
            "Genomförs inom ram, Q3/2024",
        ),
    ],
}

COMMENTS: dict[str, list[str]] = {
    Status.DONE: [
        "Genomförd enligt plan.",
        "Genomförd med god uppslutning från de boende.",
        "Genomförd i samverkan med berörda aktörer.",
        "Klar under året; arbetet fortsätter i ordinarie verksamhet.",
        "Genomförd; utvärderingen visar att målgruppen nåtts.",
    ],
    Status.IN_PROGRESS: [
        "Pågår enligt plan.",
        "Pågår men har försenats av rekryteringar.",
        "Pågår; första etappen är klar och resten planeras till nästa år.",
        "Arbetet har startat i ett av områdena.",
        "Pågår; uppslutningen har ökat under hösten.",
    ],
    Status.NOT_DONE: [
        "Ej genomförd; prioriterades ned under året.",
        "Ej genomförd; väntar på beslut i nämnden.",
        "Skjuts upp till nästa år på grund av vakanser.",
        "Ej påbörjad; samverkansparten kunde inte delta i år.",
    ],
}
UNFUNDED_COMMENT = "Ej påbörjad eftersom finansiering saknas."
DROPPED_COMMENT = "Utgår; behovet tillgodoses i ordinarie verksamhet."


def build_plan(municipality: Municipality) -> Plan:
    """Exempelstad's action plan with two closed rounds and one open; once only.

    If the plan exists it is returned untouched: the demo never overwrites what someone has
    since changed in it.
    """
    existing = Plan.objects.filter(municipality=municipality, name__iexact=PLAN_NAME).first()
    if existing is not None:
        return existing

    rng = random.Random(SEED)  # noqa: S311 - a repeatable demo, not a secret
    plan = plan_create(
        actor=SYSTEM,
        municipality=municipality,
        name=PLAN_NAME,
        start_year=START_YEAR,
        end_year=END_YEAR,
        decision_reference=DECISION_REFERENCE,
    )
    plan, _ = model_update(
        instance=plan, fields=["status"], data={"status": PlanStatus.ADOPTED}, actor=SYSTEM
    )
    _create_measures(plan, municipality)
    # The goals draw from their own generator, so the statuses stay as they were before goals.
    goals_rng = random.Random(SEED + 1)  # noqa: S311 - a repeatable demo, not a secret
    build_goals(plan, municipality, goals_rng)
    measures = list(plan.measures.prefetch_related("responsible_units"))
    _follow_up(plan, measures, rng, goals_rng)
    return plan


def _split(names: str) -> list[str]:
    return [n.strip() for n in names.split(",") if n.strip()]


def _create_measures(plan: Plan, municipality: Municipality) -> None:
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    units = {
        o.short_name: o
        for o in Organisation.objects.filter(municipality=municipality).exclude(short_name="")
    }
    for number, name in GOAL_AREAS:
        goal_area = goal_area_ensure(actor=SYSTEM, plan=plan, number=number, name=name)
        for minor, m in enumerate(MEASURES[number], start=1):
            measure_create(
                actor=SYSTEM,
                plan=plan,
                data={
                    "goal_area": goal_area,
                    "number": f"{number}.{minor}",
                    "title": m.title,
                    "description": m.description,
                    "areas": [areas[a] for a in _split(m.areas)],
                    "responsible_text": m.responsible,
                    "responsible_units": [units[u] for u in _split(m.responsible)],
                    "partners": m.partners,
                    "financing": m.financing,
                    "amount": m.amount,
                },
            )


def _is_sof(measure: Measure) -> bool:
    return any(u.short_name == "SOF" for u in measure.responsible_units.all())


def _first_status(rng: random.Random, measure: Measure) -> str:
    draw = rng.random()
    if measure.financing.startswith("Ej finansierad"):
        return Status.NOT_DONE if draw < 0.6 else Status.IN_PROGRESS
    if draw < 0.38:
        return Status.DONE
    return Status.IN_PROGRESS if draw < 0.86 else Status.NOT_DONE


def _comment(rng: random.Random, measure: Measure, status: str) -> str:
    if status == Status.NOT_DONE and measure.financing.startswith("Ej finansierad"):
        return UNFUNDED_COMMENT
    return rng.choice(COMMENTS[status])


def _follow_up(
    plan: Plan, measures: list[Measure], rng: random.Random, goals_rng: random.Random
) -> None:
    # 2024: a first year; every measure goes on in the next year's plan.
    round_2024 = round_open(
        actor=SYSTEM, plan=plan, year=2024, deadline=dt.date(2024, 12, 15)
    )
    status_2024: dict[int, str] = {}
    for measure in measures:
        status = _first_status(rng, measure)
        status_2024[measure.pk] = status
        disposition = Disposition.DEVELOPED if rng.random() < 0.3 else Disposition.KEPT
        status_report(
            actor=SYSTEM,
            round=round_2024,
            measure=measure,
            data={
                "status": status,
                "comment": _comment(rng, measure, status),
                "disposition": disposition,
            },
        )
    assess_round(round_2024, goals_rng)
    round_close(actor=SYSTEM, round=round_2024)

    # 2025: more done; some measures are merged into another or dropped.
    round_2025 = round_open(
        actor=SYSTEM, plan=plan, year=2025, deadline=dt.date(2025, 12, 15)
    )
    ended: dict[int, dict[str, object]] = {}  # measures that stop after 2025 → their report
    for measure in measures:
        if status_2024[measure.pk] == Status.DONE and rng.random() < 0.85:
            status = Status.DONE
        else:
            status = _first_status(rng, measure)
            if status != Status.DONE and rng.random() < 0.45:
                status = Status.DONE if status == Status.IN_PROGRESS else Status.IN_PROGRESS
        data: dict[str, object] = {"status": status, "comment": _comment(rng, measure, status)}
        draw = rng.random()
        if draw < 0.08:
            siblings = [
                m for m in measures if m.goal_area_id == measure.goal_area_id and m != measure
            ]
            target = rng.choice(siblings)
            data |= {
                "disposition": Disposition.MERGED,
                "merged_into": target,
                "comment": f"{data['comment']} Ingår från 2026 i åtgärd {target.number}.",
            }
            ended[measure.pk] = {
                "status": status,
                "comment": f"Ingår sedan 2025 i åtgärd {target.number}.",
                "disposition": Disposition.MERGED,
                "merged_into": target,
            }
        elif draw < 0.14:
            data |= {"disposition": Disposition.DROPPED, "comment": DROPPED_COMMENT}
            ended[measure.pk] = {
                "status": status,
                "comment": "Utgick efter uppföljningen 2025.",
                "disposition": Disposition.DROPPED,
            }
        else:
            data["disposition"] = Disposition.DEVELOPED if draw < 0.4 else Disposition.KEPT
        status_report(actor=SYSTEM, round=round_2025, measure=measure, data=data)
    assess_round(round_2025, goals_rng)
    round_close(actor=SYSTEM, round=round_2025)

    # 2026: open; about half reported, most of the social services' measures still to do.
    round_2026 = round_open(actor=SYSTEM, plan=plan, year=2026, deadline=OPEN_ROUND_DEADLINE)
    for measure in measures:
        if measure.pk in ended:
            data = ended[measure.pk]
        elif rng.random() < (0.2 if _is_sof(measure) else 0.55):
            status = Status.DONE if rng.random() < 0.55 else Status.IN_PROGRESS
            data = {
                "status": status,
                "comment": _comment(rng, measure, status),
                "disposition": Disposition.KEPT,
            }
        else:
            continue
        status_report(actor=SYSTEM, round=round_2026, measure=measure, data=data)
