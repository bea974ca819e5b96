"""The follow-up mail after a contact moment: a ``mailto:`` link and an ``.eml`` draft."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr
from urllib.parse import quote

from crm.network.models import Interaction
from crm.web import nl_date


def recipients(interaction: Interaction) -> list[tuple[str, str]]:
    return [(c.name, c.email) for c in interaction.contacts if c.email and c.erased_at is None]


def subject(interaction: Interaction) -> str:
    return f"Fijn gesprek van {nl_date(interaction.occurred_on)} – de gezinsaanpak"


def body(interaction: Interaction, sender_name: str | None) -> str:
    names = [c.name.split(" ")[0] for c in interaction.contacts if c.erased_at is None]
    greeting = f"Beste {' en '.join(names)}," if names else "Goedendag,"
    parts = [greeting, "",
             f"Dank voor het gesprek op {nl_date(interaction.occurred_on)}. "
             "Hierbij zet ik kort op een rij wat we bespraken."]
    if interaction.key_message:
        parts += ["", interaction.key_message]
    if interaction.outcome:
        parts += ["", "Wat we afspraken:", interaction.outcome]
    if interaction.follow_up:
        parts += ["", "Zo gaan we verder:", interaction.follow_up]
    parts += ["", "Met vriendelijke groet,", sender_name or "", "Bibliotheek – gezinsaanpak"]
    return "\n".join(parts)


def mailto(interaction: Interaction, sender_name: str | None) -> str:
    to = ",".join(email for _, email in recipients(interaction))
    return (f"mailto:{quote(to, safe='@,')}?subject={quote(subject(interaction))}"
            f"&body={quote(body(interaction, sender_name))}")


def eml(interaction: Interaction, sender_name: str | None, sender_email: str | None) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject(interaction)
    message["To"] = ", ".join(formataddr(pair) for pair in
                              [(n, e) for n, e in recipients(interaction)]) or "undisclosed-recipients:;"
    if sender_email:
        message["From"] = formataddr((sender_name or "", sender_email))
    message["X-Unsent"] = "1"  # mail programs open it as a draft
    message.set_content(body(interaction, sender_name))
    return bytes(message)
