"""Demo data, part 2: the pitch in two versions, the supporting materials and the evidence."""

from __future__ import annotations

from datetime import timedelta

from lobby.demo.base import _demo_png, _get_or_create
from lobby.models import (
    Evidence,
    EvidenceImage,
    Material,
    PitchVersion,
)


def seed_story(ctx: dict) -> list:
    today, sanne, karim = ctx["today"], ctx["sanne"], ctx["karim"]
    rivierstad = ctx["municipality"]
    # A general pitch, and one with Rivierstad's own figures: each is the current one of its kind.
    for when, title, text, author, municipality in (
        (
            today - timedelta(days=120),
            "Eerste versie",
            "De bibliotheek helpt gezinnen met lezen en taal. Wij willen graag met de gemeente "
            "samenwerken aan de gezinsaanpak. Wanneer heb je tijd?",
            sanne,
            None,
        ),
        (
            today - timedelta(days=20),
            "Versie voor de wethouder",
            "Wist je dat in Rivierstad één op de zeven volwassenen moeite heeft met lezen en schrijven? "
            "Kinderen van ouders die moeite hebben met taal, hebben later zelf een grote kans op "
            "taalproblemen. Zo ontstaat een cirkel van laaggeletterdheid. Wij, vanuit de bibliotheek, "
            "willen die cirkel samen met u doorbreken. Dat doen we door ouders te motiveren om aan "
            "hun eigen taal te werken, in hun "
            "eigen belang en in dat van hun kind. We zijn er op de plekken waar jonge gezinnen al komen: het "
            "consultatiebureau, de kinderopvang, de school. Met de nieuwe Lokale Educatieve Agenda kunnen we "
            "dat samen een vaste plek geven. Wanneer heeft u tijd?",
            karim,
            rivierstad,
        ),
    ):
        pitch = _get_or_create(
            PitchVersion,
            {"title": title},
            text=text,
            author_id=author.id if author else None,
            current=True,
            municipality_id=municipality.id if municipality else None,
        )
        pitch.created_at = pitch.created_at.replace(year=when.year, month=when.month, day=when.day)

    for kind, title, url in (
        (
            "praatplaat",
            "Praatplaat - de Bibliotheek voor jou en je gezin",
            "https://www.example.org/praatplaat",
        ),
        ("presentatie", "Presentatie gezinsaanpak voor de gemeente", None),
    ):
        _get_or_create(
            Material,
            {"title": title},
            kind=kind,
            url=url,
            note="Aangepast aan Rivierstad." if url else "Op de teamschijf, map Profilering.",
        )

    evidence = []
    for days, kind, title, text, source, permission in (
        (
            60,
            "cijfer",
            "BoekStart-koffertjes",
            "In 2025 haalden 318 ouders een BoekStart-koffertje op; 40% meer dan in 2024.",
            "Jaarcijfers bibliotheek 2025",
            True,
        ),
        (
            35,
            "quote",
            "Moeder bij de VoorleesExpress",
            "\u201cSinds de voorlezer komt, pakt mijn zoon "
            "zelf boekjes. En ik lees nu ook voor in het Nederlands.\u201d",
            "Gezin in Rivierstad-Noord, via de coördinator VoorleesExpress",
            True,
        ),
        (
            12,
            "foto",
            "Peuterochtend in vestiging Noord",
            "Taalspelletjes met ouders en peuters.",
            "Foto: bibliotheek, vestiging Noord",
            True,
        ),
        (
            5,
            "verhaal",
            "Warme overdracht door het consultatiebureau",
            "De JGZ-verpleegkundige liep met een vader mee naar het Taalhuis; hij volgt nu een cursus.",
            "Consultatiebureau Rivierstad (JGZ)",
            False,
        ),
    ):
        item = _get_or_create(
            Evidence,
            {"title": title},
            kind=kind,
            text=text,
            occurred_on=today - timedelta(days=days),
            source=source,
            permission=permission,
        )
        if kind == "foto" and item.image is None:
            data = _demo_png()
            item.image = EvidenceImage(
                content_type="image/png",
                filename=f"bewijs-{item.id}.png",
                size=len(data),
                width=480,
                height=320,
                data=data,
            )
        evidence.append(item)
    return evidence
