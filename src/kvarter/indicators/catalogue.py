"""The starter indicator catalogue: the indicators the municipal documents follow up.

``STARTER_CATALOGUE_V1`` is frozen: migration ``0002_starter_catalogue`` creates exactly these
rows, so editing an entry here would make a fresh database differ from an old one. To change
the catalogue, add ``STARTER_CATALOGUE_V2`` (or a list of changes) and a new data migration.

Every source id below was looked up in public material; where none could be confirmed the id
is left blank and ``source_note`` says where to find the figures. ``docs/indicator-catalogue.md``
lists what was confirmed, where, and how firmly. Plain data (no Django imports) so the
migration, the demo and the tests can all read it.
"""

from __future__ import annotations

from typing import Final

# Codes other modules refer to by name (area types, demo, tests).
EMPLOYMENT_RATE: Final = "forvarvsfrekvens-20-64"
ECONOMIC_ASSISTANCE: Final = "ekonomiskt-bistand"
LONG_TERM_ECONOMIC_ASSISTANCE: Final = "ekonomiskt-bistand-langvarigt"
ASSISTANCE_OR_LONG_TERM_UNEMPLOYED: Final = "bistand-eller-langtidsarbetslos-20-64"
EDUCATION_PRIMARY: Final = "utbildning-forgymnasial-25-64"
EDUCATION_SECONDARY: Final = "utbildning-gymnasial-25-64"
EDUCATION_TERTIARY: Final = "utbildning-eftergymnasial-25-64"
LOW_ECONOMIC_STANDARD: Final = "lag-ekonomisk-standard"
MEDIAN_DISPOSABLE_INCOME: Final = "median-ekonomisk-standard"
POPULATION: Final = "befolkning"
# Version 2 (migration 0004): the inputs of SCB's socio-economic index as SCB's table defines them.
SOCIOECONOMIC_INDEX: Final = "socioekonomiskt-index"
EDUCATION_PRIMARY_20_64: Final = "utbildning-forgymnasial-20-64"

# Suppression rules, worded once and reused.
_KOLADA_RULE = (
    "Kolada publicerar inget värde (null, status saknas) där källan har prickat eller saknar "
    "uppgiften; Kvarter lagrar det som saknat eller skyddat, aldrig som 0. / Kolada publishes "
    "no value where the source suppressed or lacks the figure; kept as missing, never 0."
)
_SCB_RULE = (
    "SCB: prickade celler ('..' i PxWeb, null i JSON-stat 2.0) lagras som skyddade, aldrig "
    "som 0. Från referensår 2025 skyddar SCB befolkningsstatistiken med Cell Key Method: små "
    "slumpmässiga heltalsjusteringar i stället för prickning, så delar summerar inte alltid "
    "till totalen. / SCB: suppressed cells are kept as suppressed, never 0. From reference "
    "year 2025 population statistics use the Cell Key Method (small random integer noise), "
    "so parts need not add up to totals."
)
_SURVEY_RULE = (
    "Kvarters regel för egna enkäter: en andel som bygger på färre än 30 svar visas inte "
    "(skyddad). / Kvarter's rule for own surveys: a share from fewer than 30 answers is "
    "kept as suppressed."
)
_BRA_RULE = (
    "Brottsförebyggande rådets (BRÅ) statistik över anmälda brott redovisas per kommun; "
    "saknade värden lagras som saknade, aldrig som 0. / Reported crime is published per "
    "municipality by BRÅ; missing values stay missing."
)


def _entry(**fields: object) -> dict[str, object]:
    """One catalogue row with the model's defaults filled in."""
    row: dict[str, object] = {
        "definition": "",
        "kolada_kpi": "",
        "scb_table": "",
        "scb_measure": "",
        "source_note": "",
        "periodicity": "year",
        "by_sex": True,
        "suppression_rule": "",
        "suppression_threshold": None,
        "decimals": 1,
    }
    row.update(fields)
    return row


STARTER_CATALOGUE_V1: Final[tuple[dict[str, object], ...]] = (
    # ── Arbete ───────────────────────────────────────────────────────────────────────────
    _entry(
        code=EMPLOYMENT_RATE,
        name_sv="Förvärvsfrekvens 20–64 år",
        name_en="Employment rate, ages 20–64",
        definition=(
            "Antal förvärvsarbetande 20–64 år delat med antal invånare 20–64 år den 31/12. "
            "Förvärvsarbetande: löneinkomst av anställning i november eller inkomst av aktiv "
            "näringsverksamhet (SCB:s registerbaserade arbetsmarknadsstatistik)."
        ),
        unit="percent",
        direction="higher",
        source_kind="kolada",
        kolada_kpi="N00914",
        scb_table="TAB6680",
        source_note=(
            "Kommun och riket: Kolada N00914 'Förvärvsarbetande invånare 20-64 år, andel (%)'. "
            "DeSO/RegSO: SCB TAB6680 (ArRegDesoStatusN, Befolkningens arbetsmarknadsstatus, "
            "2020–), andelen sysselsatta 20–64 år; BAS skiljer sig något från RAMS som Kolada "
            "bygger på. ContentsCode är inte verifierad: läs den ur tabellens metadata."
        ),
        suppression_rule=_KOLADA_RULE + " " + _SCB_RULE,
    ),
    _entry(
        code=ECONOMIC_ASSISTANCE,
        name_sv="Invånare med ekonomiskt bistånd, andel",
        name_en="Residents receiving economic assistance, share",
        definition=(
            "Antal invånare (även barn) som någon gång under året fått ekonomiskt bistånd, "
            "delat med antal invånare den 31/12, gånger 100. Källa: Socialstyrelsen och SCB."
        ),
        unit="percent",
        direction="lower",
        source_kind="kolada",
        kolada_kpi="N31807",
        source_note=(
            "Kolada N31807 'Invånare som någon gång under året erhållit ekonomiskt bistånd, "
            "andel (%) av bef.'. Per område: kommunens egna uppgifter (socialtjänstens "
            "verksamhetssystem) som egen källa."
        ),
        suppression_rule=_KOLADA_RULE,
    ),
    _entry(
        code=LONG_TERM_ECONOMIC_ASSISTANCE,
        name_sv="Långvarigt ekonomiskt bistånd, andel av biståndsmottagarna",
        name_en="Long-term economic assistance, share of adult recipients",
        definition=(
            "Vuxna biståndsmottagare (18 år och äldre) med långvarigt ekonomiskt bistånd, "
            "andel av alla vuxna biståndsmottagare."
        ),
        unit="percent",
        direction="lower",
        source_kind="kolada",
        source_note=(
            "Kolada har nyckeltalet 'Vuxna biståndsmottagare (18+ år) med långvarigt ekonomiskt "
            "bistånd, andel (%) av biståndsmottagare 18+ år', men dess id kunde inte bekräftas: "
            "slå upp det i Kolada innan import. Källa: Socialstyrelsen."
        ),
        suppression_rule=_KOLADA_RULE,
    ),
    _entry(
        code=ASSISTANCE_OR_LONG_TERM_UNEMPLOYED,
        name_sv="Ekonomiskt bistånd och/eller långvarig arbetslöshet, 20–64 år, andel",
        name_en="Economic assistance and/or long-term unemployment, ages 20–64, share",
        definition=(
            "Andel av invånarna 20–64 år (20–65 från 2023) som har ekonomiskt bistånd och/eller "
            "är långvarigt arbetslösa. En av de tre indikatorerna i SCB:s och Delmos "
            "socioekonomiska index för områdestyper."
        ),
        unit="percent",
        direction="lower",
        source_kind="scb",
        by_sex=False,
        source_note=(
            "SCB beräknar indikatorn för RegSO inom Registerdata för integration; ingen öppen "
            "tabell-id kunde bekräftas. Beställ från SCB eller lägg in som egna uppgifter."
        ),
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code="sjuk-aktivitetsersattning",
        name_sv="Invånare med sjuk- och aktivitetsersättning, andel",
        name_en="Residents receiving sickness or activity compensation, share",
        definition=(
            "Andel av befolkningen 16–64 år som har sjukersättning eller aktivitetsersättning "
            "från Försäkringskassan."
        ),
        unit="percent",
        direction="lower",
        source_kind="other",
        source_note=(
            "Försäkringskassans öppna statistik (per kommun) eller SCB; inget Kolada-id eller "
            "SCB-tabell-id kunde bekräftas."
        ),
    ),
    _entry(
        code="ohalsotal",
        name_sv="Ohälsotal",
        name_en="Ill-health rate (days)",
        definition=(
            "Antal utbetalda nettodagar med sjukpenning, rehabiliteringspenning, "
            "arbetsskadesjukpenning och sjuk- och aktivitetsersättning från Försäkringskassan, "
            "per registrerad försäkrad 16–64 år."
        ),
        unit="days",
        direction="lower",
        source_kind="kolada",
        kolada_kpi="N00957",
        source_note="Kolada N00957 'Ohälsotal, dagar' (källa Försäkringskassan).",
        suppression_rule=_KOLADA_RULE,
    ),
    # ── Utbildning ───────────────────────────────────────────────────────────────────────
    _entry(
        code=EDUCATION_PRIMARY,
        name_sv="Förgymnasial utbildning, 25–64 år, andel",
        name_en="Primary education only, ages 25–64, share",
        definition=(
            "Andel av invånarna 25–64 år (25–65 från 2024 i SCB:s DeSO-tabell) vars högsta "
            "utbildning är förgymnasial (kortare än 9 år eller 9 (10) år)."
        ),
        unit="percent",
        direction="lower",
        source_kind="scb",
        kolada_kpi="N01984",
        scb_table="TAB5956",
        scb_measure="000005MO",
        source_note=(
            "DeSO/RegSO: SCB TAB5956 (UtbSUNBefDesoRegso, 2015–2023, antal per "
            "utbildningsnivå, ContentsCode 000005MO); från 2024 TAB6534 (UtbSUNBefDesoRegsoN, "
            "25–65 år, ContentsCode 000007Z6) med DeSO 2025-koder. Täljare: nivåerna "
            "förgymnasial; nämnare: alla nivåer. Kommun: Kolada N01984."
        ),
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code=EDUCATION_SECONDARY,
        name_sv="Gymnasial utbildning, 25–64 år, andel",
        name_en="Upper secondary education, ages 25–64, share",
        definition="Andel av invånarna 25–64 år vars högsta utbildning är gymnasial.",
        unit="percent",
        direction="neutral",
        source_kind="scb",
        kolada_kpi="N01983",
        scb_table="TAB5956",
        scb_measure="000005MO",
        source_note=(
            "DeSO/RegSO: SCB TAB5956 (2015–2023) / TAB6534 (2024–), nivåerna gymnasial. "
            "Kommun: Kolada N01983."
        ),
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code=EDUCATION_TERTIARY,
        name_sv="Eftergymnasial utbildning, 25–64 år, andel",
        name_en="Post-secondary education, ages 25–64, share",
        definition=(
            "Andel av invånarna 25–64 år med eftergymnasial utbildning (kortare än 3 år, 3 år "
            "eller längre, forskarutbildning)."
        ),
        unit="percent",
        direction="higher",
        source_kind="scb",
        kolada_kpi="N01982",
        scb_table="TAB5956",
        scb_measure="000005MO",
        source_note=(
            "Kommun: Kolada N01982 'Invånare 25-64 år med eftergymnasial utbildning, andel "
            "(%)'. DeSO/RegSO: SCB TAB5956 (2015–2023) / TAB6534 (2024–), de eftergymnasiala "
            "nivåerna."
        ),
        suppression_rule=_KOLADA_RULE + " " + _SCB_RULE,
    ),
    _entry(
        code="behorighet-yrkesprogram",
        name_sv="Elever i åk 9 behöriga till yrkesprogram, andel",
        name_en="Year 9 pupils eligible for vocational upper secondary programmes, share",
        definition=(
            "Andel elever i årskurs 9, folkbokförda i kommunen (hemkommun), som är behöriga "
            "till gymnasieskolans yrkesprogram."
        ),
        unit="percent",
        direction="higher",
        source_kind="kolada",
        kolada_kpi="N15428",
        source_note=(
            "Kolada N15428 'Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel "
            "(%)' (källa Skolverket). Per område: Skolverket på beställning eller egna uppgifter."
        ),
        suppression_rule=_KOLADA_RULE,
    ),
    _entry(
        code="meritvarde-ak9",
        name_sv="Meritvärde i åk 9, genomsnitt (17 ämnen)",
        name_en="Year 9 merit rating, mean (17 subjects)",
        definition=(
            "Genomsnittligt meritvärde för elever i årskurs 9 folkbokförda i kommunen "
            "(hemkommun), summan av betygen i 16 ämnen plus moderna språk (högst 340 poäng)."
        ),
        unit="points",
        direction="higher",
        source_kind="kolada",
        kolada_kpi="N15507",
        source_note="Kolada N15507 'Elever i åk 9, meritvärde, hemkommun, genomsnitt (17 ämnen)'.",
        suppression_rule=_KOLADA_RULE,
    ),
    _entry(
        code="alla-amnen-ak9",
        name_sv="Elever i åk 9 som uppnått kunskapskraven i alla ämnen, andel",
        name_en="Year 9 pupils who passed every subject, share",
        definition=(
            "Andel elever i årskurs 9, folkbokförda i kommunen, som fått lägst betyget E i "
            "alla ämnen."
        ),
        unit="percent",
        direction="higher",
        source_kind="kolada",
        source_note=(
            "Kolada 'Elever i åk 9 som uppnått kunskapskraven i alla ämnen, hemkommun, andel "
            "(%)' (källa Skolverket). Id:t kunde inte bekräftas (offentliga källor anger olika "
            "id för hemkommun och kommunala skolor): slå upp det i Kolada innan import."
        ),
        suppression_rule=_KOLADA_RULE,
    ),
    # ── Demokrati och befolkning ─────────────────────────────────────────────────────────
    _entry(
        code="valdeltagande-kommunval",
        name_sv="Valdeltagande i kommunval",
        name_en="Voter turnout, municipal election",
        definition=(
            "Antal avgivna röster (giltiga och ogiltiga) i senaste kommunvalet delat med antal "
            "röstberättigade, gånger 100. Val hålls vart fjärde år."
        ),
        unit="percent",
        direction="higher",
        source_kind="kolada",
        kolada_kpi="N05401",
        by_sex=False,
        source_note=(
            "Kolada N05401 'Valdeltagande i senaste kommunvalet, (%)' (Valmyndigheten och SCB). "
            "Per område: Valmyndighetens valdistriktsresultat."
        ),
        suppression_rule=_KOLADA_RULE,
    ),
    _entry(
        code=POPULATION,
        name_sv="Folkmängd",
        name_en="Population",
        definition="Antal folkbokförda invånare den 31 december.",
        unit="count",
        direction="neutral",
        source_kind="scb",
        kolada_kpi="N01951",
        scb_table="TAB6574",
        scb_measure="000007Y7",
        source_note=(
            "DeSO/RegSO: SCB TAB6574 (FolkmDesoAldKon, folkmängd efter region, ålder och kön, "
            "ContentsCode 000007Y7). Kommun: Kolada N01951 'Invånare totalt, antal'."
        ),
        suppression_rule=_SCB_RULE,
        decimals=0,
    ),
    _entry(
        code="andel-0-19",
        name_sv="Invånare 0–19 år, andel",
        name_en="Residents aged 0–19, share",
        definition="Antal invånare 0–19 år den 31/12 delat med antal invånare totalt.",
        unit="percent",
        direction="neutral",
        source_kind="scb",
        scb_table="TAB6574",
        scb_measure="000007Y7",
        source_note=(
            "SCB TAB6574 (FolkmDesoAldKon): täljare åldrarna 0–19, nämnare totalt. Koladas "
            "N33900 avser 0–20 år och är därför inte samma mått."
        ),
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code="utrikes-fodda",
        name_sv="Utrikes födda, andel",
        name_en="Foreign-born residents, share",
        definition="Antal invånare födda utomlands delat med antal invånare totalt, den 31/12.",
        unit="percent",
        direction="neutral",
        source_kind="scb",
        scb_table="TAB6572",
        source_note=(
            "SCB TAB6572 (FolkmDesoLandKon, folkmängd efter region, födelseregion och kön). "
            "ContentsCode inte verifierad; inget Kolada-id kunde bekräftas."
        ),
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code="trangboddhet",
        name_sv="Trångbodda, andel (norm 2)",
        name_en="Overcrowded residents, share (norm 2)",
        definition=(
            "Andel personer i hushåll som har färre rum (kök och vardagsrum oräknade) än "
            "trångboddhetsnorm 2 kräver: ett rum per person utom för sammanboende par."
        ),
        unit="percent",
        direction="lower",
        source_kind="scb",
        source_note=(
            "SCB Hushållens boende (HE0111) redovisar trångboddhet per kommun; SCB:s "
            "DeSO-tabeller för boende (HushallT32Deso, HushallT33Deso) avser hustyp och "
            "upplåtelseform, inte trångboddhet. Inget tabell-id bekräftat."
        ),
        suppression_rule=_SCB_RULE,
    ),
    # ── Trygghet ─────────────────────────────────────────────────────────────────────────
    _entry(
        code="anmalda-brott",
        name_sv="Anmälda brott totalt per 100 000 invånare",
        name_en="Reported offences per 100,000 inhabitants",
        definition="Antal anmälda brott under året per 100 000 invånare (BRÅ).",
        unit="per_100000",
        direction="lower",
        source_kind="kolada",
        by_sex=False,
        decimals=0,
        source_note=(
            "Kolada 'Anmälda brott totalt, antal/100 000 inv' (källa BRÅ); id:t kunde inte "
            "bekräftas. Per område: polisens öppna data eller BRÅ på beställning."
        ),
        suppression_rule=_BRA_RULE,
    ),
    _entry(
        code="anmalda-valdsbrott",
        name_sv="Anmälda våldsbrott per 100 000 invånare",
        name_en="Reported violent offences per 100,000 inhabitants",
        definition="Antal anmälda våldsbrott under året per 100 000 invånare (BRÅ).",
        unit="per_100000",
        direction="lower",
        source_kind="kolada",
        kolada_kpi="N07403",
        by_sex=False,
        decimals=0,
        source_note="Kolada N07403 'Anmälda våldsbrott, antal/100 000 inv' (källa BRÅ).",
        suppression_rule=_BRA_RULE,
    ),
    _entry(
        code="trygghet-utomhus-kvall",
        name_sv="Känner sig trygga ute ensamma sent en kväll i sitt bostadsområde, andel",
        name_en="Feel safe outdoors alone late in the evening in their neighbourhood, share",
        definition=(
            "Andel av de svarande som känner sig mycket eller ganska trygga om de går ut "
            "ensamma sent en kväll i sitt eget bostadsområde (frågan som i BRÅ:s Nationella "
            "trygghetsundersökning, NTU)."
        ),
        unit="percent",
        direction="higher",
        source_kind="survey",
        source_note=(
            "Kommunens egen trygghetsundersökning per område. NTU (BRÅ) ger jämförelsetal för "
            "län och riket men inte för enskilda bostadsområden."
        ),
        suppression_rule=_SURVEY_RULE,
        suppression_threshold=30,
        decimals=0,
    ),
    _entry(
        code="attraktivitet",
        name_sv="Ser området som attraktivt att bo i, andel",
        name_en="See the area as an attractive place to live, share",
        definition=(
            "Andel av de svarande i kommunens attraktivitetsmätning som anser att området är "
            "en attraktiv plats att bo i."
        ),
        unit="percent",
        direction="higher",
        source_kind="survey",
        source_note="Kommunens egen attraktivitetsmätning; inga nationella jämförelsetal.",
        suppression_rule=_SURVEY_RULE,
        suppression_threshold=30,
        decimals=0,
    ),
    # ── Inkomst (områdestyper) ───────────────────────────────────────────────────────────
    _entry(
        code=LOW_ECONOMIC_STANDARD,
        name_sv="Låg ekonomisk standard, andel",
        name_en="Low economic standard, share",
        definition=(
            "Andel personer (alla åldrar) i hushåll vars disponibla inkomst per "
            "konsumtionsenhet är lägre än 60 procent av medianen för riket."
        ),
        unit="percent",
        direction="lower",
        source_kind="scb",
        scb_table="TAB6685",
        by_sex=False,
        source_note=(
            "SCB TAB6685 (Tab4InkDesoRegso, låg respektive hög ekonomisk standard efter region "
            "och ålder; SCB:s lista över DeSO-tabeller, april 2026). ContentsCode inte "
            "verifierad för det id:t (ett tredjepartspaket använde 000007OQ mot tabellens äldre "
            "id TAB6436): läs den ur tabellens metadata."
        ),
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code=MEDIAN_DISPOSABLE_INCOME,
        name_sv="Ekonomisk standard, median",
        name_en="Economic standard (disposable income per consumption unit), median",
        definition=(
            "Medianen av den disponibla inkomsten per konsumtionsenhet (ekonomisk standard) "
            "för invånarna, kronor per år."
        ),
        unit="kronor",
        direction="higher",
        source_kind="scb",
        by_sex=False,
        decimals=0,
        source_note=(
            "SCB Hushållens ekonomi (HE0110) redovisar ekonomisk standard per DeSO/RegSO "
            "(t.ex. Tab3InkDesoRegso, TAB6684, andel per inkomstklass); en tabell med medianen "
            "per DeSO kunde inte bekräftas. Medianer kan inte summeras upp till ett område."
        ),
        suppression_rule=_SCB_RULE,
    ),
)

STARTER_CODES: Final[frozenset[str]] = frozenset(str(row["code"]) for row in STARTER_CATALOGUE_V1)

# ── Version 2 ─────────────────────────────────────────────────────────────────────────────
# SCB publishes the socio-economic index behind the area types per RegSO with its three
# sub-indicators (TAB6586, "Socioekonomiskt index och områdestyp", 2011–). Its footnotes define
# education as 20–64 år (not 25–64) and economic assistance as at least ten months and/or
# unemployment longer than six months. Migration 0004 adds the index and the 20–64 education
# share and corrects the third indicator's definition; frozen like version 1.
_TAB6586_NOTE = (
    "SCB TAB6586 'Socioekonomiskt index och områdestyp' per RegSO (2011–; RegSO 2020-koder "
    "t.o.m. 2023, RegSO 2025-koder från 2024), med delindikatorerna; källa SCB, STATIV. "
)

CATALOGUE_V2: Final[tuple[dict[str, object], ...]] = (
    _entry(
        code=SOCIOECONOMIC_INDEX,
        name_sv="Socioekonomiskt index (SCB/Delmos)",
        name_en="Socio-economic index (SCB/Delmos)",
        definition=(
            "Medelvärdet av tre andelar i procent: låg ekonomisk standard (alla åldrar), "
            "förgymnasial utbildning (20–64 år) och ekonomiskt bistånd i minst tio månader "
            "och/eller arbetslöshet längre än sex månader (20–64 år). 0–100; ju högre, desto "
            "sämre socioekonomiska förutsättningar. Grund för områdestyperna."
        ),
        unit="index",
        direction="lower",
        source_kind="scb",
        scb_table="TAB6586",
        scb_measure="000008IT",
        by_sex=False,
        source_note=_TAB6586_NOTE + "Indexet har ContentsCode 000008IT.",
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code=EDUCATION_PRIMARY_20_64,
        name_sv="Förgymnasial utbildning, 20–64 år, andel",
        name_en="Primary education only, ages 20–64, share",
        definition=(
            "Antal personer 20–64 år vars högsta utbildning är förgymnasial (nio år eller "
            "kortare än nio år, SUN) delat med befolkningen 20–64 år den 31/12. Utbildningar i "
            "utlandet saknas ibland i registret, så en del får en för låg nivå. Indikator V2 i "
            "SCB:s socioekonomiska index."
        ),
        unit="percent",
        direction="lower",
        source_kind="scb",
        scb_table="TAB6586",
        by_sex=False,
        source_note=(
            _TAB6586_NOTE + "Delindikatorns ContentsCode är inte verifierad: läs den ur "
            "tabellens metadata. För DeSO finns bara 25–64 år (TAB5956), se "
            "utbildning-forgymnasial-25-64."
        ),
        suppression_rule=_SCB_RULE,
    ),
    _entry(
        code=ASSISTANCE_OR_LONG_TERM_UNEMPLOYED,
        name_sv="Ekonomiskt bistånd och/eller långvarig arbetslöshet, 20–64 år, andel",
        name_en="Economic assistance and/or long-term unemployment, ages 20–64, share",
        definition=(
            "Andel av invånarna 20–64 år som haft ekonomiskt bistånd i minst tio månader "
            "och/eller varit arbetslösa längre än sex månader under året. Indikator V3 i SCB:s "
            "socioekonomiska index; SCB ersätter kommuners bortfall i rapporteringen av "
            "ekonomiskt bistånd med ett genomsnitt av närliggande års värden."
        ),
        unit="percent",
        direction="lower",
        source_kind="scb",
        scb_table="TAB6586",
        by_sex=False,
        source_note=(
            _TAB6586_NOTE + "Delindikatorns ContentsCode är inte verifierad: läs den ur "
            "tabellens metadata. Finns inte för DeSO; för kommunens egna områden: beställ från "
            "SCB eller lägg in egna uppgifter med samma definition."
        ),
        suppression_rule=_SCB_RULE,
    ),
)


def current_catalogue() -> tuple[dict[str, object], ...]:
    """The catalogue as the latest migration leaves it: version 1 with version 2 applied."""
    rows = {str(row["code"]): row for row in STARTER_CATALOGUE_V1}
    rows.update({str(row["code"]): row for row in CATALOGUE_V2})
    return tuple(rows.values())
