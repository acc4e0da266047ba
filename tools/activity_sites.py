"""Where conservation organizations work for the Amur leopard and Amur tiger, as points.

The records below are the hand-curated source of the ``activities`` layer: one point per
organization, activity and place, placed as precisely as the sources allow. Each record names
the source of its facts and the source of its coordinates; every description is written for
this project (no sentence is copied from the sources).

``location_precision`` says how a point was placed:

``site``
    a named field site or a park headquarters (e.g. Kedrovaya Pad, Barabash);
``district``
    the centre of a district or county, because the sources name only the area (e.g. "SW
    Primorye" is placed at Slavyanka, centre of Khasansky district);
``office``
    the office or home city of the organization.

Run as a script to print a summary and the result of the checks::

    python tools/activity_sites.py [--borders PATH]

Notes
-----
Source documents are cited by file name (``seed 000_7dfafb5c132f43e6.txt`` ...) from
``shared/seeds``; ``FACTS.md`` is ``shared/reference/FACTS.md`` and is cited through the public
source it names. Town coordinates in the field region come from GeoNames (CC-BY 4.0) as listed
in FACTS.md; offices elsewhere use city-centre coordinates rounded to 2-4 decimals.

Examples
--------
>>> points = build_activities()  # doctest: +SKIP
>>> points.crs.to_epsg()  # doctest: +SKIP
4326
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["PLACES", "RECORDS", "Place", "Record", "build_activities", "check_records", "main"]


class Place(NamedTuple):
    """A named point where activities are placed."""

    name: str
    lon: float
    lat: float
    iso3: str
    coord_source: str


class Record(NamedTuple):
    """One activity point: an organization doing one kind of work at one place."""

    organization: str
    activity: str
    description: str
    place: str
    location_precision: str
    since: int | None
    source: str
    lon: float
    lat: float


# --- Sources ---------------------------------------------------------------------------------

S000 = "seed 000_7dfafb5c132f43e6.txt"
S001 = "seed 001_70f0e18a797eba9b.txt"
S002 = "seed 002_3063fc55f579f41e.txt"
S003 = "seed 003_dd387442eedf998c.txt"
S004 = "seed 004_ba743dd752a100a2.txt"
PHOENIX_SMART = "Phoenix Fund, SMART report 2016 (docslib.org/doc/12834855)"
PHOENIX_2017 = "Phoenix Fund, final report 2017 (docslib.org/doc/9580586)"
ALTA_WCS_CHINA = (
    "altaconservation.org, WCS China monitoring projects 2015 and 2017 (Hunchun Nature Reserve)"
)
WILDCATS_CHINA = "conservewildcats.org/portfolio/china"
WCS_CHINA_OFFICES = "chinadevelopmentbrief.cn/directory/wildlife-conservation-society"
WCS_PARK_2016 = "newsroom.wcs.org, 16 Nov 2016 (Wangqing and Hunchun central to the park)"
WVI_FIELD = "photography4bigcats.co.uk/wildlife-vets-international; wildlifevetsinternational.org"
WVI_BASE = "thetelegraphandargus.co.uk/news/1411706 (Keighley-based WVI)"
WVI_LAZO = "actionforthewild.org, overview of WVI's work in 2013"
WILDCATS_ZSL = "conservewildcats.org, 26 Feb 2020 (WildCats is part of ZSL)"
WILDCATS_HISTORY = "blackpoolzoo.org.uk (WildCats' earlier forms: 21st Century Tiger and ALTA)"
DSWF_ADDRESS = "DSWF, Wildlife Matters 54 (2019): Shalford, Guildford, Surrey"
IFAW_RUSSIA = "IFAW Russia (prnewswire.com, 23 Sep 2011; pushkin-house events 2017)"
TIGRIS = "tigrisfoundation.nl"
MOSCOW_ZOO = "thetelegraphandargus.co.uk/news/1411706 (Moscow breeding for reintroduction)"
FACTS_LOTL = "en.wikipedia.org/wiki/Land_of_the_Leopard_National_Park via FACTS.md"
FACTS_KP = "biosoil.ru/en/biota-environ/publication/2350 via FACTS.md"
FACTS_NCTLNP = "e-info.org.tw/node/206874; k1u.com/trip/107032 via FACTS.md"
FACTS_HUNCHUN = "m.gethgdk.com; english.china.org.cn/english/SO-e/23692.htm via FACTS.md"

# --- Places ----------------------------------------------------------------------------------

GEONAMES_FACTS = "GeoNames via FACTS.md"
CITY_GEONAMES = "city centre coordinates (GeoNames)"

KHASANSKY = Place(
    "Khasansky district, SW Primorye (placed at Slavyanka)",
    131.3882,
    42.8641,
    "RUS",
    GEONAMES_FACTS + " (Slavyanka)",
)
BARABASH = Place(
    "Land of the Leopard NP headquarters, Barabash", 131.4919, 43.1995, "RUS", GEONAMES_FACTS
)
KEDROVAYA_PAD = Place(
    "Kedrovaya Pad reserve", 131.500, 43.083, "RUS", "published centre point via FACTS.md"
)
VLADIVOSTOK = Place("Vladivostok", 131.8735, 43.1056, "RUS", GEONAMES_FACTS)
LAZOVSKY = Place(
    "Lazovsky district, southern Sikhote-Alin (placed at Lazo)",
    133.8978,
    43.3803,
    "RUS",
    "village coordinates (Wikipedia: Lazo, Lazovsky District)",
)
HUNCHUN = Place("Hunchun, Jilin", 130.3581, 42.8675, "CHN", GEONAMES_FACTS)
WANGQING = Place(
    "Wangqing county, Northeast China Tiger and Leopard NP", 129.7634, 43.3218, "CHN",
    GEONAMES_FACTS,
)  # fmt: skip
CHANGCHUN = Place(
    "Changchun (park administration)",
    125.32,
    43.88,
    "CHN",
    GEONAMES_FACTS + " (marked uncertain there)",
)
BEIJING = Place("Beijing", 116.3972, 39.9075, "CHN", CITY_GEONAMES)
MOSCOW = Place("Moscow", 37.6156, 55.7522, "RUS", CITY_GEONAMES)
LONDON = Place("London", -0.1257, 51.5085, "GBR", CITY_GEONAMES)
KEIGHLEY = Place(
    "Keighley, West Yorkshire", -1.91, 53.87, "GBR", "town coordinates, approx. (Wikipedia)"
)
SHALFORD = Place(
    "Shalford, Surrey", -0.568, 51.211, "GBR", "village coordinates (Wikipedia: Shalford, Surrey)"
)
HELSINKI = Place("Helsinki", 24.9354, 60.1695, "FIN", CITY_GEONAMES)
APPLE_VALLEY = Place(
    "Apple Valley, Minnesota",
    -93.2175,
    44.7319,
    "USA",
    "city coordinates (Wikipedia: Apple Valley, Minnesota)",
)

#: Every place used by a record, by name.
PLACES: dict[str, Place] = {
    p.name: p
    for p in (
        KHASANSKY, BARABASH, KEDROVAYA_PAD, VLADIVOSTOK, LAZOVSKY, HUNCHUN, WANGQING, CHANGCHUN,
        BEIJING, MOSCOW, LONDON, KEIGHLEY, SHALFORD, HELSINKI, APPLE_VALLEY,
    )
}  # fmt: skip


def _at(
    place: Place,
    *,
    organization: str,
    activity: str,
    precision: str,
    since: int | None,
    sources: Sequence[str],
    description: str,
) -> Record:
    """Make a record at `place`; the coordinate source is appended to the fact sources."""
    source = "; ".join([*sources, f"coordinates: {place.coord_source}"])
    return Record(
        organization=organization,
        activity=activity,
        description=description,
        place=place.name,
        location_precision=precision,
        since=since,
        source=source,
        lon=place.lon,
        lat=place.lat,
    )


# --- Organizations ---------------------------------------------------------------------------

ALTA = "Amur Leopard and Tiger Alliance (ALTA)"
WCS = "Wildlife Conservation Society (WCS)"
PHOENIX = "Phoenix Fund"
WVI = "Wildlife Vets International (WVI)"
ZSL = "Zoological Society of London (ZSL)"
WWF = "WWF (World Wide Fund for Nature)"
WILDCATS = "WildCats Conservation Alliance"
FEB_RAS = "Far Eastern Branch of the Russian Academy of Sciences (FEB RAS)"
MNR = "Ministry of Natural Resources and Environment of the Russian Federation"
NFGA = "National Forestry and Grassland Administration (China)"
LOTL = "Land of the Leopard National Park"
TIGRIS = "Tigris Foundation"

# --- Records ---------------------------------------------------------------------------------

#: The activity points, before sorting.
RECORDS: list[Record] = [
    # Amur Leopard and Tiger Alliance: field work in SW Primorye, no sites named.
    _at(
        KHASANSKY, organization=ALTA, activity="anti-poaching", precision="district", since=None,
        sources=[S000, S004],
        description=(
            "Backs anti-poaching teams working against the killing of leopards and tigers and "
            "the trade in their parts in SW Primorye. No patrol base is named, so the point "
            "sits at the district centre."
        ),
    ),
    _at(
        KHASANSKY, organization=ALTA, activity="community", precision="district", since=None,
        sources=[S000],
        description=(
            "Community-engagement and eco-tourism projects with villagers who share the forest "
            "with leopards in SW Primorye; the villages are not named (district-level point)."
        ),
    ),
    _at(
        KHASANSKY, organization=ALTA, activity="education", precision="district", since=None,
        sources=[S000, S004],
        description=(
            "Has set up 'leopard-friendly' schools for village children inside the leopard's "
            "range in SW Primorye. The schools are not named, so this is a district-level point."
        ),
    ),
    _at(
        KHASANSKY, organization=ALTA, activity="fire-fighting", precision="district", since=None,
        sources=[S000, S004],
        description=(
            "Supports fire crews and a system of firebreaks that stop seasonal grass fires from "
            "turning leopard forest into open grassland in SW Primorye. No fire line is located "
            "in the sources, hence the district point."
        ),
    ),
    _at(
        KHASANSKY, organization=ALTA, activity="habitat-protection", precision="district",
        since=None, sources=[S000],
        description=(
            "Works to end illegal logging and to protect the leopard's forest and its roe and "
            "sika deer prey in SW Primorye (district-level point)."
        ),
    ),
    _at(
        KHASANSKY, organization=ALTA, activity="monitoring", precision="district", since=None,
        sources=[S000],
        description=(
            "Funds the long-running counts that follow Amur tiger and leopard numbers (over two "
            "decades for tigers); the leopard surveys lie in SW Primorye, placed here at the "
            "district centre."
        ),
    ),
    _at(
        KHASANSKY, organization=ALTA, activity="research", precision="district", since=None,
        sources=[S000],
        description=(
            "Supports field research on wild Amur leopards, such as how many there are, where "
            "they live and how the population is changing, in SW Primorye (district-level)."
        ),
    ),
    _at(
        KHASANSKY, organization=ALTA, activity="veterinary", precision="district", since=None,
        sources=[S000, S001],
        description=(
            "Provides veterinary care and health checks for wild leopards and tigers, with "
            "Wildlife Vets International among its implementing agencies; no clinic is located, "
            "so the point is district-level."
        ),
    ),
    _at(
        LONDON, organization=ALTA, activity="funding", precision="office", since=None,
        sources=[S000, S001],
        description=(
            "London-based coalition of Russian and international NGOs, zoos and scientific "
            "bodies that raises money and awareness and passes it to selected projects in "
            "Russia and China."
        ),
    ),
    # Wildlife Conservation Society: WCS Russia (Vladivostok) and WCS China (Beijing, Hunchun).
    _at(
        KEDROVAYA_PAD, organization=WCS, activity="monitoring", precision="site", since=2002,
        sources=[S001, S004],
        description=(
            "WCS Russia has run yearly camera-trap surveys of leopards since 2002 in the core of "
            "their range. The camera stations are not published; Kedrovaya Pad stands for that "
            "core here."
        ),
    ),
    _at(
        HUNCHUN, organization=WCS, activity="monitoring", precision="district", since=None,
        sources=[S002, ALTA_WCS_CHINA],
        description=(
            "WCS China keeps camera traps running for leopards and tigers in and around the "
            "Hunchun reserve and shares the results with Russian teams. Placed at Hunchun city: "
            "the reserve's published centre lies too close to the border to place reliably."
        ),
    ),
    _at(
        KHASANSKY, organization=WCS, activity="research", precision="district", since=None,
        sources=[S004],
        description=(
            "Follows leopard tracks in the snow every winter day and gathers ecological, "
            "medical and genetic samples to learn about habitat needs, diet, disease and causes "
            "of death in SW Primorye (district-level point)."
        ),
    ),
    _at(
        HUNCHUN, organization=WCS, activity="research", precision="district", since=None,
        sources=[ALTA_WCS_CHINA],
        description=(
            "WCS China snow-tracks tigers and leopards around the Hunchun reserve to study how "
            "they move and to choose where cameras go (placed at Hunchun city)."
        ),
    ),
    _at(
        BARABASH, organization=WCS, activity="anti-poaching", precision="site", since=2010,
        sources=[S002, S004, PHOENIX_SMART],
        description=(
            "Together with Phoenix Fund and ZSL, brought SMART patrol monitoring to the rangers "
            "of Land of the Leopard NP in 2010, and funds anti-poaching brigades that guard "
            "leopards and their deer prey."
        ),
    ),
    _at(
        HUNCHUN, organization=WCS, activity="anti-poaching", precision="district", since=None,
        sources=[S002, S004],
        description=(
            "Funds Chinese anti-poaching teams in the border forests used by leopards, with "
            "SMART patrols and cameras that alert rangers to intruders (placed at Hunchun city)."
        ),
    ),
    _at(
        KHASANSKY, organization=WCS, activity="education", precision="district", since=None,
        sources=[S004],
        description=(
            "Education and media campaigns in the villages of SW Primorye, so that residents "
            "learn that the leopard survives only here and come to value it (district-level)."
        ),
    ),
    _at(
        KHASANSKY, organization=WCS, activity="community", precision="district", since=None,
        sources=[S002],
        description=(
            "Village patrols pick up snares and local teams show people how to live safely "
            "next to tigers and leopards; WildCats-funded work, placed at the district centre."
        ),
    ),
    _at(
        HUNCHUN, organization=WCS, activity="community", precision="district", since=None,
        sources=[S002, WILDCATS_CHINA],
        description=(
            "WCS China answers conflicts between tigers and villagers in Hunchun county quickly "
            "and professionally, so that fewer tigers are lost and villagers grow more tolerant."
        ),
    ),
    _at(
        HUNCHUN, organization=WCS, activity="policy", precision="district", since=2001,
        sources=[S004, FACTS_HUNCHUN],
        description=(
            "Brought Russian and Chinese officials together; the Hunchun reserve on the border, "
            "a provincial reserve from 2001, was one result. Placed at Hunchun city because the "
            "reserve's published centre lies within 1 km of the border."
        ),
    ),
    _at(
        VLADIVOSTOK, organization=WCS, activity="policy", precision="office", since=None,
        sources=[S004],
        description=(
            "WCS Russia, based in Vladivostok, works with Russian officials toward joint "
            "Russian-Chinese management of the leopard's cross-border range."
        ),
    ),
    _at(
        BEIJING, organization=WCS, activity="policy", precision="office", since=None,
        sources=[S004, WCS_CHINA_OFFICES],
        description=(
            "WCS China's Beijing office is the Chinese counterpart in WCS's effort to bring the "
            "two governments into cooperation over tigers and leopards."
        ),
    ),
    # Phoenix Fund: Vladivostok NGO, implementing agency of ALTA, supports Land of the Leopard.
    _at(
        BARABASH, organization=PHOENIX, activity="anti-poaching", precision="site", since=2010,
        sources=[S003, PHOENIX_SMART],
        description=(
            "Supports the rangers of Land of the Leopard NP and has run the SMART patrol "
            "monitoring programme there since 2010, with WCS and ZSL."
        ),
    ),
    _at(
        BARABASH, organization=PHOENIX, activity="habitat-protection", precision="site",
        since=None, sources=[S003],
        description=(
            "One of the two NGOs that seed 003 names as backing the park's work to keep leopard "
            "habitat and prey intact; placed at the park headquarters."
        ),
    ),
    _at(
        VLADIVOSTOK, organization=PHOENIX, activity="education", precision="office", since=None,
        sources=[S001, PHOENIX_2017],
        description=(
            "Russian wildlife NGO in Vladivostok that runs environmental education and outreach, "
            "including workshops for teachers, art contests and a Tiger Day festival."
        ),
    ),
    # Wildlife Vets International.
    _at(
        KHASANSKY, organization=WVI, activity="veterinary", precision="district", since=None,
        sources=[S000, WVI_FIELD],
        description=(
            "A WVI vet visits Primorye about once a year to examine wild leopards and tigers and "
            "to train local vets in safe sedation and sampling; no site is given (district-level)."
        ),
    ),
    _at(
        KEIGHLEY, organization=WVI, activity="veterinary", precision="office", since=None,
        sources=[S001, WVI_BASE],
        description=(
            "Keeps the Amur Leopard Veterinary Database, which by 2011 held health records of "
            "more than 600 zoo leopards and a few wild ones. Placed at the base a newspaper "
            "reported for WVI, which may be out of date."
        ),
    ),
    _at(
        LAZOVSKY, organization=WVI, activity="reintroduction", precision="district", since=None,
        sources=[WVI_LAZO],
        description=(
            "Compiles a disease-risk analysis for returning leopards to southern Sikhote-Alin, "
            "including the health of prey animals around Lazo (district-level point)."
        ),
    ),
    # Zoological Society of London.
    _at(
        BARABASH, organization=ZSL, activity="anti-poaching", precision="site", since=2010,
        sources=[PHOENIX_SMART],
        description=(
            "Partner of Phoenix Fund and WCS in introducing SMART patrol monitoring to the "
            "rangers of Land of the Leopard NP in 2010."
        ),
    ),
    _at(
        LONDON, organization=ZSL, activity="funding", precision="office", since=None,
        sources=[S000, S001, WILDCATS_ZSL],
        description=(
            "London zoological society, one of ALTA's four implementing agencies; it also hosts "
            "WildCats Conservation Alliance, which makes the grants."
        ),
    ),
    # WWF: rangers, forests, communities; transboundary cooperation; reintroduction study.
    _at(
        KHASANSKY, organization=WWF, activity="anti-poaching", precision="district", since=None,
        sources=[S003],
        description=(
            "Supports local ranger teams against poaching in the leopard's range; the teams' "
            "bases are not named, so the point is district-level."
        ),
    ),
    _at(
        KHASANSKY, organization=WWF, activity="community", precision="district", since=None,
        sources=[S003],
        description=(
            "Works to reduce conflict between people and big cats and promotes land use that "
            "does not cut leopard habitat apart, in SW Primorye (district-level point)."
        ),
    ),
    _at(
        KHASANSKY, organization=WWF, activity="education", precision="district", since=None,
        sources=[S003],
        description=(
            "Community education for people living in and near leopard habitat in SW Primorye "
            "(district-level point)."
        ),
    ),
    _at(
        KHASANSKY, organization=WWF, activity="habitat-protection", precision="district",
        since=None, sources=[S003],
        description=(
            "Forest restoration and support for sustainable forestry to keep leopard habitat "
            "whole, in SW Primorye (district-level point)."
        ),
    ),
    _at(
        VLADIVOSTOK, organization=WWF, activity="policy", precision="office", since=None,
        sources=[S003],
        description=(
            "WWF-Russia's Amur branch in Vladivostok pushes for Russian-Chinese cooperation on "
            "leopards that cross the border, and backs Land of the Leopard NP."
        ),
    ),
    _at(
        BEIJING, organization=WWF, activity="policy", precision="office", since=None,
        sources=[S003],
        description=(
            "WWF China in Beijing, the Chinese side of WWF's transboundary cooperation for the "
            "Amur leopard."
        ),
    ),
    _at(
        LAZOVSKY, organization=WWF, activity="reintroduction", precision="district", since=None,
        sources=[S003],
        description=(
            "Studies with FEB RAS scientists whether leopards could be brought back to former "
            "range in southern Sikhote-Alin; placed at the Lazovsky district centre."
        ),
    ),
    # WildCats Conservation Alliance.
    _at(
        LONDON, organization=WILDCATS, activity="funding", precision="office", since=2000,
        sources=[S002, WILDCATS_ZSL, WILDCATS_HISTORY],
        description=(
            "Zoo-supported grant fund, part of ZSL in London, that has paid for WCS's Amur tiger "
            "and leopard projects in Russia and China since 2000 (about GBP 2.76 million)."
        ),
    ),
    # Far Eastern Branch of the Russian Academy of Sciences.
    _at(
        LAZOVSKY, organization=FEB_RAS, activity="reintroduction", precision="district",
        since=None, sources=[S003],
        description=(
            "Scientists judge whether leopards can be reintroduced to their former habitat in "
            "southern Sikhote-Alin; placed at Lazo, centre of Lazovsky district."
        ),
    ),
    _at(
        VLADIVOSTOK, organization=FEB_RAS, activity="research", precision="office", since=None,
        sources=[S003],
        description=(
            "Genetic monitoring of the small leopard population from camera-trap records, scats "
            "and DNA sequencing, to watch its genetic diversity; placed at the Branch's seat."
        ),
    ),
    # Russia's Ministry of Natural Resources and the park it manages.
    _at(
        BARABASH, organization=MNR, activity="habitat-protection", precision="site", since=2012,
        sources=[S003, FACTS_LOTL],
        description=(
            "The federal ministry in charge of Land of the Leopard NP, set up in 2012 and run "
            "from its central estate at Barabash."
        ),
    ),
    _at(
        MOSCOW, organization=MNR, activity="policy", precision="office", since=None,
        sources=[S003],
        description=(
            "Sets federal policy for Russia's protected areas from Moscow, including the "
            "national park that holds most of the leopard's Russian habitat."
        ),
    ),
    _at(
        BARABASH, organization=LOTL, activity="anti-poaching", precision="site", since=2012,
        sources=[S003, FACTS_LOTL],
        description=(
            "Park rangers patrol against poaching of leopards and their prey across the park, "
            "which is run from Barabash."
        ),
    ),
    _at(
        BARABASH, organization=LOTL, activity="habitat-protection", precision="site",
        since=2012, sources=[S003, FACTS_LOTL],
        description=(
            "Manages the park's forests and protects the roe and sika deer the leopards hunt; "
            "placed at the park headquarters."
        ),
    ),
    _at(
        BARABASH, organization=LOTL, activity="monitoring", precision="site", since=2012,
        sources=[S003, FACTS_LOTL],
        description=(
            "Watches the park's leopards by camera trap and GPS; placed at the park "
            "headquarters."
        ),
    ),
    _at(
        KEDROVAYA_PAD, organization=LOTL, activity="habitat-protection", precision="site",
        since=2012, sources=[FACTS_KP],
        description=(
            "Has run Kedrovaya Pad, a strict reserve protected since 1916 and a UNESCO biosphere "
            "reserve since 2004, together with the national park since 2012."
        ),
    ),
    # China's National Forestry and Grassland Administration and the Chinese park.
    _at(
        BEIJING, organization=NFGA, activity="policy", precision="office", since=None,
        sources=[S003, FACTS_NCTLNP],
        description=(
            "National agency in Beijing that oversees China's national parks, among them the "
            "Northeast China Tiger and Leopard NP, formally approved in 2021."
        ),
    ),
    _at(
        CHANGCHUN, organization=NFGA, activity="habitat-protection", precision="office",
        since=2017, sources=[S003, FACTS_NCTLNP],
        description=(
            "The park administration, set up in Changchun in August 2017, runs the roughly "
            "14,000 km2 park in Jilin and Heilongjiang."
        ),
    ),
    _at(
        WANGQING, organization=NFGA, activity="habitat-protection", precision="district",
        since=2017, sources=[S003, WCS_PARK_2016],
        description=(
            "Ecological restoration and corridors that link tiger and leopard habitat across "
            "the border with Russia. No sites are named: placed at Wangqing, a county at the "
            "heart of the park."
        ),
    ),
    _at(
        WANGQING, organization=NFGA, activity="reintroduction", precision="district",
        since=2017, sources=[S003, WCS_PARK_2016],
        description=(
            "Restores prey populations in the park so that tigers and leopards have enough to "
            "hunt; placed at Wangqing county (district-level point)."
        ),
    ),
    _at(
        WANGQING, organization=NFGA, activity="community", precision="district", since=2017,
        sources=[S003, WCS_PARK_2016],
        description=(
            "Moves settlements out of key habitat to ease human pressure on the big cats; placed "
            "at Wangqing county (district-level point)."
        ),
    ),
    # Other ALTA partners named in seed 001, where they can be placed.
    _at(
        KHASANSKY, organization=TIGRIS, activity="funding", precision="district", since=None,
        sources=[S001, TIGRIS],
        description=(
            "Dutch foundation and ALTA partner that funds leopard protection, including better "
            "anti-poaching patrols. Its office is not known, so it is shown in the leopard's "
            "range at district level."
        ),
    ),
    _at(
        LONDON, organization="21st Century Tiger", activity="funding", precision="office",
        since=None, sources=[S001, WILDCATS_HISTORY],
        description=(
            "Zoo-backed tiger fund in London named as an ALTA partner; it later merged with ALTA "
            "into WildCats Conservation Alliance."
        ),
    ),
    _at(
        SHALFORD, organization="David Shepherd Wildlife Foundation (DSWF)", activity="funding",
        precision="office", since=None, sources=[S001, DSWF_ADDRESS],
        description=(
            "UK wildlife charity in Shalford, Surrey, listed as an ALTA partner; the sources "
            "show it as a supporter, so the point is funding at its office."
        ),
    ),
    _at(
        MOSCOW, organization="International Fund for Animal Welfare (IFAW) Russia",
        activity="funding", precision="office", since=None, sources=[S001, IFAW_RUSSIA],
        description=(
            "IFAW's Russian office in Moscow, listed as an ALTA partner that supports its "
            "projects for Amur tigers and leopards."
        ),
    ),
    _at(
        HELSINKI, organization="Helsinki Zoo (Korkeasaari)", activity="funding",
        precision="office", since=None, sources=[S001],
        description=(
            "Helsinki's zoo, one of the three zoos listed as ALTA partners that help pay for its "
            "field projects."
        ),
    ),
    _at(
        HELSINKI, organization="Helsinki Zoo (Korkeasaari)", activity="reintroduction",
        precision="office", since=None, sources=[S001, S002],
        description=(
            "Stands for the zoo breeding programme: a genetically managed captive population "
            "kept as a reserve for restocking the wild. The sources do not say which species "
            "this zoo breeds."
        ),
    ),
    _at(
        APPLE_VALLEY, organization="Minnesota Zoo", activity="funding", precision="office",
        since=None, sources=[S001],
        description=(
            "Zoo in Apple Valley, Minnesota, one of the three zoos listed as ALTA partners that "
            "help pay for its field projects."
        ),
    ),
    _at(
        APPLE_VALLEY, organization="Minnesota Zoo", activity="reintroduction",
        precision="office", since=None, sources=[S001, S002],
        description=(
            "Stands for the zoo breeding programme, a genetically sound captive reserve for "
            "restocking the wild; the sources do not say which species this zoo breeds."
        ),
    ),
    _at(
        MOSCOW, organization="Moscow Zoo", activity="funding", precision="office", since=None,
        sources=[S001],
        description=(
            "Moscow's zoo, one of the three zoos listed as ALTA partners that help pay for its "
            "field projects."
        ),
    ),
    _at(
        MOSCOW, organization="Moscow Zoo", activity="reintroduction", precision="office",
        since=None, sources=[S001, S002, MOSCOW_ZOO],
        description=(
            "Breeds Amur leopards in captivity as part of the zoo breeding programme, with a "
            "view to future releases that WVI would screen for disease."
        ),
    ),
]  # fmt: skip


def _sort_key(record: Record) -> tuple[str, str, str]:
    return (record.organization.casefold(), record.activity, record.place.casefold())


def build_activities() -> gpd.GeoDataFrame:
    """Return the activity points as a GeoDataFrame.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per record, sorted by organization, activity and place; columns
        ``ACTIVITY_FIELDS`` in order, then ``geometry`` (points, EPSG:4326). ``since`` is a
        nullable integer.
    """
    import geopandas as gpd
    import pandas as pd

    from amurgeo.schema import ACTIVITY_FIELDS

    records = sorted(RECORDS, key=_sort_key)
    frame = pd.DataFrame({field: [getattr(r, field) for r in records] for field in ACTIVITY_FIELDS})
    frame["since"] = frame["since"].astype("Int64")
    geometry = gpd.points_from_xy([r.lon for r in records], [r.lat for r in records])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


#: The field region: points inside it are checked against the country borders.
FIELD_REGION = (126.0, 40.0, 136.0, 47.5)

#: Natural Earth places its China-Russia border up to ~3.5 km from OpenStreetMap's (FACTS.md).
BORDER_MARGIN_KM = 3.5


def check_records(records: Sequence[Record], borders: Path | None = None) -> list[str]:
    """Return a list of problems found in `records` (empty when all pass).

    Parameters
    ----------
    records
        The records to check.
    borders
        Natural Earth countries of the field region (GeoJSON with ``iso_a3`` or ``iso3``).
        When given, points inside :data:`FIELD_REGION` must lie in the country of their place
        and at least :data:`BORDER_MARGIN_KM` from a land border.
    """
    from amurgeo.schema import ACTIVITY_TYPES, LOCATION_PRECISIONS

    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    for r in records:
        label = f"{r.organization} / {r.activity} / {r.place}"
        key = (r.organization, r.activity, r.place)
        if key in seen:
            problems.append(f"{label}: duplicate (organization, activity, place)")
        seen.add(key)
        if r.activity not in ACTIVITY_TYPES:
            problems.append(f"{label}: activity {r.activity!r} not in ACTIVITY_TYPES")
        if r.location_precision not in LOCATION_PRECISIONS:
            problems.append(f"{label}: precision {r.location_precision!r} unknown")
        if r.since is not None and not 1900 <= r.since <= 2030:
            problems.append(f"{label}: since {r.since} out of range")
        if len(r.description) < 40 or r.description.count(". ") > 2:
            problems.append(f"{label}: description too short or too long")
        if not r.source or "coordinates:" not in r.source:
            problems.append(f"{label}: source lacks facts or coordinate source")
        place = PLACES.get(r.place)
        if place is None or (place.lon, place.lat) != (r.lon, r.lat):
            problems.append(f"{label}: place not in PLACES or coordinates differ from it")
        if not (-180 <= r.lon <= 180 and -90 <= r.lat <= 90):
            problems.append(f"{label}: coordinates out of range")
    if borders is not None:
        problems.extend(_check_borders(records, borders))
    return problems


def _check_borders(records: Sequence[Record], borders: Path) -> list[str]:
    """Check field-region points against the country polygons in `borders`."""
    import geopandas as gpd
    import shapely

    countries = gpd.read_file(borders)
    iso = "iso_a3" if "iso_a3" in countries.columns else "iso3"
    countries = countries.dissolve(by=iso)
    utm = "EPSG:32652"
    outlines = dict(countries.to_crs(utm).geometry.items())
    west, south, east, north = FIELD_REGION
    problems: list[str] = []
    for r in records:
        if not (west <= r.lon <= east and south <= r.lat <= north):
            continue
        label = f"{r.organization} / {r.activity} / {r.place}"
        expected = PLACES[r.place].iso3 if r.place in PLACES else "?"
        point = gpd.GeoSeries([shapely.Point(r.lon, r.lat)], crs="EPSG:4326").to_crs(utm)[0]
        inside = [code for code, geom in outlines.items() if geom.contains(point)]
        if inside != [expected]:
            problems.append(f"{label}: lies in {inside or 'the sea'}, expected {expected}")
            continue
        for code, geom in outlines.items():
            if code == expected:
                continue
            shared = outlines[expected].boundary.intersection(geom.boundary)
            if not shared.is_empty and point.distance(shared) < BORDER_MARGIN_KM * 1000:
                problems.append(f"{label}: within {BORDER_MARGIN_KM} km of the {code} border")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Build the points, print counts per organization and activity, and report problems."""
    src = Path(__file__).resolve().parents[1] / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    default_borders = (
        Path(__file__).resolve().parents[2]
        / "shared"
        / "reference"
        / "natural_earth_10m_countries_region.geojson"
    )
    parser = argparse.ArgumentParser(description="Summarize and check the activity points.")
    parser.add_argument(
        "--borders",
        type=Path,
        default=default_borders if default_borders.is_file() else None,
        help="Natural Earth countries of the region, for the on-land check",
    )
    args = parser.parse_args(argv)

    points = build_activities()
    print(f"{len(points)} points, {points['organization'].nunique()} organizations")
    print("\nPoints per organization:")
    for name, count in points["organization"].value_counts().sort_index().items():
        print(f"  {count:3d}  {name}")
    print("\nPoints per activity:")
    for name, count in points["activity"].value_counts().sort_index().items():
        print(f"  {count:3d}  {name}")
    print("\nPoints per location precision:")
    for name, count in points["location_precision"].value_counts().sort_index().items():
        print(f"  {count:3d}  {name}")

    if args.borders is None:
        print("\n(border check skipped: no --borders file)")
    problems = check_records(RECORDS, args.borders)
    print(f"\n{len(problems)} problem(s)")
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
