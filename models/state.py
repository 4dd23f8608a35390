"""State (table states): name (128, required); has cities, deleted with it."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base_model import BaseModel

if TYPE_CHECKING:
    from models.city import City


class State(BaseModel):
    """A state; deleting it deletes its cities (and what hangs from them)."""

    __tablename__ = "states"

    name: Mapped[str] = mapped_column(String(128), nullable=False)

    # passive_deletes: the database's ON DELETE CASCADE removes rows the session
    # has not loaded, instead of the ORM loading each child to delete it.
    cities: Mapped[list[City]] = relationship(
        back_populates="state", cascade="save-update, merge, delete",
        passive_deletes=True)
