"""What the network part of the core announces in the registry."""

from __future__ import annotations

from flask import url_for

from crm import roles
from crm.guide import Phase, Theme
from crm.network import moments, parking, services
from crm.network.models import Contact, Interaction, Partner
from crm.registry import (
    ChoiceList,
    Instrument,
    MenuItem,
    PhaseRecords,
    RecordRef,
    Registry,
    Setting,
    StartPanel,
)
from crm.web import local_today

CONTACT_POSITIONS = (
    ("ambtenaar", "Ambtenaar"),
    ("beleidsmedewerker", "Beleidsmedewerker"),
    ("wethouder", "Wethouder"),
    ("raadslid", "Raadslid"),
    ("griffie", "Griffie"),
    ("directeur", "Directeur"),
    ("manager", "Manager of teamleider"),
    ("coordinator", "Coördinator"),
    ("professional", "Professional (uitvoering)"),
)
POLICY_DOMAINS = (
    ("onderwijs", "Onderwijs"),
    ("vve", "VVE"),
    ("welzijn", "Welzijn"),
    ("jeugdgezondheid", "(Jeugd)gezondheid"),
    ("participatie", "Participatie"),
    ("werk-inkomen", "Werk en inkomen"),
    ("armoede", "Armoede"),
    ("bibliotheekwerk", "Bibliotheekwerk"),
)
INTERACTION_KINDS = (
    ("telefoon", "Telefoon"),
    ("face-to-face", "Persoonlijk gesprek"),
    ("e-mail", "E-mail"),
    ("bijeenkomst", "Bijeenkomst"),
    ("netwerkborrel", "Netwerkborrel"),
    ("raadsvergadering", "Raads- of commissievergadering"),
    ("werkgroep", "Werkgroep"),
)


def _follow_up_panel(user):
    if user is None:
        return None
    today = local_today()
    items = moments.follow_ups_for(user.id, today)
    return {"items": items, "today": today, "open_url": url_for("crm.interactions", open="1", van="mij")}


def _phase_records(model, endpoint: str, arg: str, label):
    def query(theme: Theme, phase: Phase):
        for record in services.records_of(model, theme, phase):
            yield RecordRef(model.label_nl, label(record), url_for(endpoint, **{arg: record.id}),
                            getattr(record, "occurred_on", None) or record.created_at)

    return query


def register(registry: Registry) -> None:
    registry.add_list(ChoiceList("contact_positions", "Posities van personen", CONTACT_POSITIONS,
                                 "bij personen, vooral die van de gemeente"))
    registry.add_list(ChoiceList("policy_domains", "Beleidsdomeinen", POLICY_DOMAINS,
                                 "de domeinen van de Gemeentelijke Gezinsaanpak Geletterdheid"))
    registry.add_list(ChoiceList("interaction_kinds", "Soorten contactmomenten", INTERACTION_KINDS,
                                 "bij contactmomenten"))
    registry.add_menu_item(MenuItem("crm.partners", "Partners", roles.STAFF, order=10,
                                    active_prefix="crm.partner"))
    registry.add_menu_item(MenuItem("crm.contacts", "Personen", roles.STAFF, order=11,
                                    active_prefix="crm.contact"))
    registry.add_menu_item(MenuItem("crm.interactions", "Contactmomenten", roles.STAFF, order=12,
                                    active_prefix="crm.interaction"))
    # Specialists reach the sociale kaart from the network's sub-navigation.
    registry.add_menu_item(MenuItem("crm.directory", "Sociale kaart", frozenset({roles.FRONTOFFICE}),
                                    order=15, active_prefix="crm.directory"))
    registry.add_panel(StartPanel("follow-ups", "crm/network/panel_follow_ups.html", roles.STAFF,
                                  _follow_up_panel, order=10))
    registry.add_panel(StartPanel("directory", "crm/network/panel_directory.html",
                                  frozenset({roles.FRONTOFFICE}), lambda _u: {}, order=10))
    registry.add_instrument(Instrument("woordweb", "Woordweb: partners rond de gezinsaanpak",
                                       "crm.partner_map", Theme.COLLABORATION, Phase.ORIENTATION))
    registry.add_instrument(Instrument("krachtenveld", "Krachtenveld: invloed en belang",
                                       "crm.power_grid", Theme.PROFILING, Phase.ORIENTATION))
    # DESIGN §3: the guide's stakeholdersanalyse is made in the woordweb.
    registry.add_instrument(Instrument("stakeholdersanalyse", "Stakeholdersanalyse in het woordweb",
                                       "crm.partner_map", Theme.COLLABORATION, Phase.ORIENTATION))
    registry.add_instrument(Instrument("sociale-kaart", "Sociale kaart", "crm.directory",
                                       Theme.PROFILING, Phase.IMPLEMENTATION))
    registry.add_instrument(Instrument("contactmomenten", "Contactmomenten: gesprekken en opvolging",
                                       "crm.interactions", Theme.PROFILING, Phase.IMPLEMENTATION))
    registry.add_phase_records(PhaseRecords("partner", _phase_records(
        Partner, "crm.partner_detail", "partner_id", lambda p: p.name)))
    registry.add_phase_records(PhaseRecords("persoon", _phase_records(
        Contact, "crm.contact_detail", "contact_id", lambda c: c.name)))
    registry.add_phase_records(PhaseRecords("contactmoment", _phase_records(
        Interaction, "crm.interaction_detail", "interaction_id",
        lambda i: (i.summary or "")[:60])))  # its date follows, as for every record
    registry.add_setting(Setting(
        moments.RETENTION_KEY, "Bewaartermijn contactmomenten (maanden)", 60, minimum=6, maximum=240,
        hint="Contactmomenten die langer geleden zijn, worden bij het opruimen verwijderd.",
    ))
    registry.add_purger(_purge)
    registry.add_purger(parking.purge_parked_imports)
    from crm.network.demo import seed_network_demo

    registry.add_demo_seeder(seed_network_demo)


def _purge(now) -> str:
    from crm.admin.services import get_setting

    months = get_setting(moments.RETENTION_KEY)
    removed = moments.purge_interactions(now, months)
    return f"Contactmomenten ouder dan {months} maanden: {removed} verwijderd."
