"""The tables the seeds are drawn from: departments, job titles, where people come from and
live, their names and nicknames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sandbox_hr.models import (
    SandboxGender,
    SandboxGroupType,
)

Role = Literal["ceo", "head", "member"]


@dataclass(frozen=True)
class GroupSeed:
    key: str
    name: str
    type: str
    parent_key: str | None = None


GROUP_SEEDS: tuple[GroupSeed, ...] = (
    GroupSeed("product", "Product & Engineering", SandboxGroupType.DEPARTMENT),
    GroupSeed("engineering", "Engineering", SandboxGroupType.DEPARTMENT, parent_key="product"),
    GroupSeed("people", "People & Culture", SandboxGroupType.DEPARTMENT),
    GroupSeed("sales", "Sales & Customer Success", SandboxGroupType.DEPARTMENT),
    GroupSeed("platform", "Platform Team", SandboxGroupType.TEAM, parent_key="engineering"),
    GroupSeed("rnd", "CC 4100 Research & Development", SandboxGroupType.COST_CENTER),
)
DEPARTMENT_KEYS: tuple[str, ...] = ("engineering", "product", "people", "sales")
DEPARTMENT_WEIGHTS = (45, 15, 10, 30)
HEAD_TITLES = {
    "engineering": "VP Engineering",
    "product": "Head of Product",
    "people": "Head of People & Culture",
    "sales": "VP Sales",
}
JOB_TITLES = {
    "engineering": (
        "Software Engineer",
        "Senior Software Engineer",
        "Staff Engineer",
        "Engineering Manager",
        "QA Engineer",
        "DevOps Engineer",
        "Data Engineer",
    ),
    "product": ("Product Manager", "Senior Product Designer", "UX Researcher", "Product Analyst"),
    "people": (
        "HR Generalist",
        "Talent Acquisition Partner",
        "Payroll Specialist",
        "Office Manager",
    ),
    "sales": (
        "Account Executive",
        "Customer Success Manager",
        "Sales Development Representative",
        "Solutions Consultant",
    ),
}


@dataclass(frozen=True)
class Origin:
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    weight: int


# Keyed by ISO 3166 country code (the nationality).
ORIGINS: dict[str, Origin] = {
    "DE": Origin(
        ("Hannah", "Lea", "Johanna", "Katharina", "Clara", "Greta", "Zoë", "Jördis"),
        ("Jürgen", "Lukas", "Felix", "Maximilian", "Jonas", "Björn", "Sören", "Thomas"),
        (
            "Müller",
            "Schröder",
            "Weiß",
            "Hoffmann",
            "Becker",
            "Schäfer",
            "Köhler",
            "Groß",
            "Krüger",
            "Wagner",
            "Fuchs",
            "Zimmermann",
            "Müller-Lüdenscheidt",
        ),
        45,
    ),
    "ES": Origin(
        ("María", "Lucía", "Inés", "Begoña", "Ainhoa"),
        ("José", "Álvaro", "Iñigo", "Sergio", "Raúl"),
        ("Núñez", "García", "Fernández", "Muñoz", "Peña", "Ibáñez", "Gómez"),
        6,
    ),
    "NO": Origin(
        ("Åsa", "Ingrid", "Sigrid", "Solveig"),
        ("Øystein", "Håkon", "Bjørn", "Eirik"),
        ("Øberg", "Hansen", "Johansen", "Bråthen", "Løvås", "Sæther"),
        4,
    ),
    "SE": Origin(
        ("Linnéa", "Maja", "Elsa", "Astrid"),
        ("Måns", "Gustav", "Oskar", "Erik"),
        ("Öberg", "Lindqvist", "Sjöberg", "Åkesson", "Nyström", "Bergström"),
        4,
    ),
    "FR": Origin(
        ("Chloé", "Léa", "Hélène", "Amélie", "Noémie"),
        ("François", "Jérôme", "Théo", "Benoît", "Loïc"),
        ("Lefèvre", "Dubois", "Moreau", "Girard", "Lemaître"),
        6,
    ),
    "PL": Origin(
        ("Małgorzata", "Agnieszka", "Zofia", "Katarzyna"),
        ("Łukasz", "Paweł", "Wojciech", "Michał"),
        ("Nowak", "Wójcik", "Mazur", "Krawczyk", "Zając"),
        6,
    ),
    "IT": Origin(
        ("Giulia", "Francesca", "Chiara", "Alessia"),
        ("Niccolò", "Lorenzo", "Matteo", "Andrea"),
        ("Rossi", "Bianchi", "Esposito", "Ricci", "De Luca", "Colombo"),
        5,
    ),
    "NL": Origin(
        ("Sanne", "Femke", "Anouk"),
        ("Daan", "Sem", "Joost"),
        ("de Vries", "van Dijk", "Jansen", "Bakker", "van den Berg"),
        4,
    ),
    "TR": Origin(
        ("Ayşe", "Elif", "Zeynep", "Gülşen"),
        ("Mehmet", "Çağan", "Emre", "Oğuz"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Öztürk", "Çelik"),
        6,
    ),
    "VN": Origin(
        ("Thảo", "Linh", "Ngọc"),
        ("Minh", "Đức", "Quang"),
        ("Nguyễn", "Trần", "Lê", "Phạm"),
        3,
    ),
    "IE": Origin(
        ("Siobhán", "Aoife", "Niamh", "Róisín"),
        ("Seán", "Cian", "Oisín", "Pádraig"),
        ("O'Brien", "Murphy", "Kelly", "Byrne", "O'Sullivan"),
        3,
    ),
    "PT": Origin(
        ("Conceição", "Joana", "Inês"),
        ("João", "Gonçalo", "Tomás"),
        ("Gonçalves", "Ferreira", "Magalhães", "Simões"),
        3,
    ),
}
# The first people of a new account, so the interesting names are always there.
FEATURED: tuple[tuple[str, str, str, str], ...] = (
    ("Zoë", "Müller", SandboxGender.FEMALE, "DE"),
    ("José", "Núñez", SandboxGender.MALE, "ES"),
    ("Åsa", "Øberg", SandboxGender.FEMALE, "NO"),
)
NICKNAMES = {
    "Maximilian": "Max",
    "Katharina": "Kathi",
    "Johanna": "Jo",
    "Małgorzata": "Gosia",
    "Wojciech": "Wojtek",
    "Pádraig": "Paddy",
    "Francesca": "Fran",
    "Lorenzo": "Enzo",
    "Gonçalo": "Gonça",
    "Håkon": "Håk",
    "Begoña": "Bego",
}


@dataclass(frozen=True)
class Residence:
    cities: tuple[tuple[str, tuple[str, ...]], ...]
    streets: tuple[str, ...]
    # `{street}` and `{number}` are filled in; countries write addresses differently.
    street_format: str
    phone: str
    ssn: str
    tax_id: str
    banks: tuple[tuple[str, str, str, int], ...]  # name, BIC, BBAN prefix, BBAN length


# `#` in a pattern is a random digit.
RESIDENCES: dict[str, Residence] = {
    "DE": Residence(
        (
            ("Berlin", ("10115", "10405", "10999", "12047", "13353")),
            ("München", ("80331", "80469", "81541")),
            ("Hamburg", ("20095", "22765", "22303")),
            ("Köln", ("50667", "50823")),
            ("Leipzig", ("04103", "04277")),
            ("Frankfurt am Main", ("60311", "60594")),
        ),
        (
            "Schönhauser Allee",
            "Hauptstraße",
            "Müllerstraße",
            "Königstraße",
            "Kastanienallee",
            "Friedrichstraße",
            "Am Weißen Steg",
            "Straße des 17. Juni",
        ),
        "{street} {number}",
        "+49 15# ########",
        "",
        "",
        (
            ("Deutsche Bank", "DEUTDEBBXXX", "10070000", 18),
            ("Sparkasse KölnBonn", "COLSDE33XXX", "37050198", 18),
            ("N26 Bank", "NTSBDEB1XXX", "10011001", 18),
            ("GLS Gemeinschaftsbank", "GENODEM1GLS", "43060967", 18),
        ),
    ),
    "ES": Residence(
        (
            ("Madrid", ("28004", "28013")),
            ("Barcelona", ("08001", "08012")),
            ("Valencia", ("46002",)),
        ),
        ("Calle de Alcalá", "Carrer de Mallorca", "Avenida del Puerto"),
        "{street}, {number}",
        "+34 6## ### ###",
        "28 ######## ##",
        "########Z",
        (("CaixaBank", "CAIXESBBXXX", "2100", 20), ("Banco Santander", "BSCHESMMXXX", "0049", 20)),
    ),
    "FR": Residence(
        (("Paris", ("75003", "75011", "75018")), ("Lyon", ("69001", "69007"))),
        ("rue de Rivoli", "boulevard Haussmann", "rue Mouffetard"),
        "{number} {street}",
        "+33 6 ## ## ## ##",
        "# ## ## ## ### ### ##",
        "## ## ### ### ###",
        (("BNP Paribas", "BNPAFRPPXXX", "30004", 23),),
    ),
    "NL": Residence(
        (("Amsterdam", ("1015 CJ", "1072 AB")), ("Utrecht", ("3511 LK",))),
        ("Prinsengracht", "Oudegracht", "Ferdinand Bolstraat"),
        "{street} {number}",
        "+31 6 ########",
        "#########",
        "#########",
        (("ING Bank", "INGBNL2AXXX", "INGB", 14),),
    ),
    "PL": Residence(
        (("Warszawa", ("00-001", "02-495")), ("Kraków", ("30-001", "31-019"))),
        ("ul. Marszałkowska", "ul. Floriańska", "ul. Świętokrzyska"),
        "{street} {number}",
        "+48 5## ### ###",
        "###########",
        "###-###-##-##",
        (("PKO Bank Polski", "BPKOPLPWXXX", "1020", 24),),
    ),
    "SE": Residence(
        (("Stockholm", ("111 20", "118 27")), ("Göteborg", ("411 03",))),
        ("Drottninggatan", "Götgatan", "Södra Vägen"),
        "{street} {number}",
        "+46 7# ### ## ##",
        "######-####",
        "######-####",
        (("Swedbank", "SWEDSESSXXX", "8000", 20),),
    ),
}
PRIVATE_MAIL_DOMAINS = ("mail.example", "posteo.example", "web.example", "proton.example")
ASCII_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ø": "o",
        "æ": "ae",
        "å": "a",
        "ł": "l",
        "đ": "d",
        "ı": "i",
        "œ": "oe",
    }
)
